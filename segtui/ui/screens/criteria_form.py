"""The criteria builder's form: its sections and rows, and checking each filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from segtui.domain.criteria import Filters, clean_filters
from segtui.domain.criteria_sources import EXISTS_FIELD, build_sources
from segtui.domain.dates import german_dates
from segtui.domain.errors import SegtuiError
from segtui.domain.filters import FilterSyntaxError
from segtui.i18n import _, pgettext
from segtui.ui.text import format_date

# The fields the builder offers per source, in form order, with an example each. A
# source missing here is offered with all its fields, so a new source still shows up.
# Examples that name data use values of the demo database, so typing one selects
# contacts there. The demo has no profiles, so the profile examples name the
# questionnaire of `segtui init --sample --contacts N`. It has no campaigns and no
# interactions until a segment is logged, so SPRING and SEG00001 name what a user
# creates first. The entry filter of the interaction history uses the same values.
# Contact No., Name, Type, City, Post Code, Country come first, in that order, so
# Country stays five Tab presses from the first field.
FORM_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "contact": (
        ("no", "..CT000500"),
        ("name", "*GmbH*|@müller*"),
        ("type", "company|person"),
        ("city", "Hünfeld|Dachau"),
        ("post_code", "10000..19999"),
        ("country", "DE|AT|CH"),
        ("county", "West Yorkshire"),
        ("territory", "<>NORTH"),
        ("salesperson", "JO|AS"),
        ("language", "DE"),
        ("correspondence_type", "email"),
        ("email", "<>''"),
        ("company_no", "CT000001"),
        ("job_title", "*Manager*"),
        ("exclude_from_segment", "no"),
    ),
    "mailing_group": (("code", "NEWS|VIP"),),
    "industry_group": (("code", "RETAIL"),),
    "business_relation": (("code", "CUST"),),
    "job_responsibility": (("code", "PURCH|MGMT"),),
    "profile": (
        ("questionnaire", "INTERESTS"),
        ("question", "SIZE"),
        ("answer", "SIZE-LARGE"),
    ),
    "interaction": (
        ("date", "2026-01-01.."),
        ("template", "LETTER"),
        ("group", "LETTER|EMAIL"),
        ("segment_no", "SEG00001"),
        ("campaign_no", "SPRING"),
        ("evaluation", "positive"),
        ("correspondence_type", "email"),
        ("canceled", "no"),
    ),
    "campaign": (
        ("no", "SPRING"),
        ("target", "yes"),
        ("response", "yes"),
    ),
}

FILTER_HELP = (
    _(
        """Filter expressions, as in Business Central:
  DE|AT|CH      any of these values
  1000..1999    a range; ..2026-06-30 and 2026-01-01.. are open ranges
  <>NORTH       not NORTH (blank values match too)
  >=10  <20     comparisons
  *GmbH*        wildcards: * any text, ? one character
  ''            blank
  @müller       any case, umlauts included
  >=10&<20      both conditions; (A|B)&C groups them
  yes, no       fields that are yes or no, such as Exclude from Segment"""
    )
    # Only German dates have a short form without the year.
    + (
        "\n\n"
        + _(
            "A date without the year, such as 01.03. or 0103, is that day in the "
            "current year: 01.03...31.03. is March of this year, and 01.03.. is "
            "every date from 1 March on."
        )
        if german_dates()
        else ""
    )
    + "\n\n"
    + _(
        "A value without @ or wildcards matches exactly: case and accents count, so "
        "Müller does not match Muller or MÜLLER. Ranges and comparisons order text "
        "as the database does, which for accented letters can differ from the "
        "contact list's order. Put a value with characters such as | & * ( or ' in "
        "single quotes, and double each quote inside them: '''s-Hertogenbosch'."
    )
    + "\n\n"
    + _(
        "The form has a group per source: the contact, then each classification. "
        "Filters in different groups must all match. Within a classification group "
        "one row must match all of that group's filters: an interaction log entry "
        "with the date AND the template. Industry group and business relation are "
        "the company's, and its persons inherit them."
    )
    + "\n\n"
    + _(
        "The None tick of a group selects the contacts that have no row matching "
        "that group's filters, or no row at all when the group's filters are empty."
    )
)


def translated_example(example: str) -> str:
    """Return a form example as typed in the interface language: nein, 01.01.2026..

    The filters read these words and dates in German, so the example shows what the
    field accepts.
    """
    translated = {
        "company|person": pgettext("filter example", "company|person"),
        "email": pgettext("filter example", "email"),
        "yes": pgettext("filter example", "yes"),
        "no": pgettext("filter example", "no"),
        "positive": pgettext("filter example", "positive"),
        "2026-01-01..": format_date(date(2026, 1, 1)) + "..",
    }
    return translated.get(example, example)


@dataclass(frozen=True)
class FormRow:
    source: str
    field: str
    label: str
    example: str


@dataclass(frozen=True)
class FormSection:
    """The rows of one criteria source under a heading, with its None tick."""

    source: str
    label: str
    rows: tuple[FormRow, ...]
    has_none_tick: bool


def form_sections() -> list[FormSection]:
    """Return the builder's sections in build_sources() order, labels translated."""
    sections = []
    for source in build_sources().values():
        listed = FORM_FIELDS.get(source.key)
        if listed is None:
            listed = tuple(
                (field.key, "") for field in source.fields if field.key != EXISTS_FIELD
            )
        rows = tuple(
            FormRow(
                source.key, key, source.field(key).label, translated_example(example)
            )
            for key, example in listed
        )
        sections.append(
            FormSection(source.key, source.label, rows, source.key != "contact")
        )
    return sections


def input_id(source: str, field: str) -> str:
    return f"filter-{source}-{field}"


def none_tick_id(source: str) -> str:
    return f"none-{source}"


@dataclass(frozen=True)
class Outcome:
    """The result of counting or applying, or the invalid filter that stopped it.

    ``invalid_id`` is the id of the input whose filter is invalid, and ``position``
    the character, counted from 1, where its expression goes wrong (0 if unknown).
    """

    value: Any = None
    problem: str = ""
    invalid_id: str = ""
    position: int = 0


def find_invalid_filter(filters: Filters) -> Outcome | None:
    """Check each filter on its own, so an error names the input it came from.

    The domain reports only the field key, and several sources share keys such as
    ``code``.
    """
    labels = {section.source: section.label for section in form_sections()}
    for source, fields in filters.items():
        for field, expression in fields.items():
            try:
                clean_filters({source: {field: expression}})
            except SegtuiError as error:
                position = error.position if isinstance(error, FilterSyntaxError) else 0
                target = (
                    none_tick_id(source)
                    if field == EXISTS_FIELD
                    else input_id(source, field)
                )
                return Outcome(
                    problem=f"{labels.get(source, source)}: {error.message}",
                    invalid_id=target,
                    position=position,
                )
    return None
