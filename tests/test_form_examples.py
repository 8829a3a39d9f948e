"""The examples of the Add Contacts form and the entry filter select demo data, and
name the same data on both."""

from __future__ import annotations

import pytest
from peewee import Database

from segtui.domain.criteria import clean_filters, contacts_matching
from segtui.domain.large_sample import load_large_sample
from segtui.ui.screens.criteria_form import FORM_FIELDS
from segtui.ui.screens.history import FILTER_FIELDS
from tests.conftest import TEST_USER

# The sources that the shipped sample, which `segtui demo` loads, has data for.
SAMPLE_SOURCES = (
    "contact",
    "mailing_group",
    "industry_group",
    "business_relation",
    "job_responsibility",
)


def example_count(source: str, field: str, example: str) -> int:
    """Return how many contacts the example selects on its own."""
    filters = clean_filters({source: {field: example}})
    return contacts_matching(filters).count()


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_examples_select_demo_contacts(sample_database: Database, source: str) -> None:
    """Typed into the form on the demo database, each example selects contacts."""
    empty = [
        f"{field}={example}"
        for field, example in FORM_FIELDS[source]
        if example_count(source, field, example) == 0
    ]
    assert empty == []


def test_city_example_names_demo_cities(sample_database: Database) -> None:
    """Each city of the City example has contacts of its own in the demo."""
    (example,) = [value for field, value in FORM_FIELDS["contact"] if field == "city"]
    for city in example.split("|"):
        assert example_count("contact", "city", city) > 0, city


@pytest.mark.sqlite_only
def test_profile_examples_select_generated(database: Database) -> None:
    """The profile examples name the questionnaire of the generated sample."""
    load_large_sample(TEST_USER, 200)
    for field, example in FORM_FIELDS["profile"]:
        assert example_count("profile", field, example) > 0, field


def form_example(source: str, field: str) -> str:
    return dict(FORM_FIELDS[source])[field]


def test_entry_filter_matches_form() -> None:
    """The entry filter names the same campaign, template, group, segment and
    company as the form."""
    entry_examples = dict(FILTER_FIELDS)
    assert entry_examples["campaign"] == form_example("interaction", "campaign_no")
    assert entry_examples["campaign"] == form_example("campaign", "no")
    assert entry_examples["template"] == form_example("interaction", "template")
    assert entry_examples["group"] == form_example("interaction", "group")
    assert entry_examples["segment"] == form_example("interaction", "segment_no")
    assert entry_examples["company"] == form_example("contact", "company_no")
