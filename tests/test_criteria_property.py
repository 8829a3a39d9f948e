"""Criteria actions on random contacts, compared with a plain-Python reference.

Each example builds a new SQLite database with random companies, their persons and
independent persons, then runs random Add Contacts, Reduce, Refine, Go Back and Go
Forward actions on one segment. After every action the segment's lines, as the set
of (contact number, number of lines), must equal what the reference computes row by
row with segtui.domain.filters.matches, the Python evaluator of one expression.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segtui.domain.criteria import AddOptions
from segtui.domain.criteria_sources import BOOLEAN, CODE, EXISTS_FIELD, TEXT
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import FieldSpec, matches
from segtui.domain.segment_actions import (
    add_contacts,
    count_add_contacts,
    count_reduce,
    count_refine,
    go_back,
    go_forward,
    reduce_contacts,
    refine_contacts,
)
from segtui.domain.segmentation import create_segment
from segtui.models import (
    Contact,
    ContactIndustryGroup,
    ContactMailingGroup,
    IndustryGroup,
    MailingGroup,
    SegmentLine,
    Territory,
)
from tests.backends import fresh_database
from tests.conftest import TEST_USER

Filters = dict[str, dict[str, str]]

# Stored values, blank ones included.
COUNTRIES = ["DE", "AT", "CH", ""]
CITIES = ["Berlin", "Bonn", "Wien", "Zürich", "bern", ""]
NAMES = ["Anna", "anna", "Bauer", "Müller", "Zoë", ""]
TERRITORIES = [None, "NORTH", "SOUTH"]
MAILING_GROUPS = ["NEWS", "VIP", "GOLF"]
INDUSTRY_GROUPS = ["IT", "RETAIL", "BANK"]

# Values typed in filters. Codes must exist in their code table when compared with
# "=", so only country, which has none, gets a code that no contact has.
FILTER_VALUES = {
    "country": ["DE", "AT", "CH", "FR"],
    "city": ["Berlin", "Bonn", "Wien", "Zürich", "bern", "B", "Z"],
    "name": ["Anna", "anna", "Bauer", "Müller", "Zoë", "A", "M"],
    "territory": ["NORTH", "SOUTH"],
    "mailing_group": MAILING_GROUPS,
    "industry_group": INDUSTRY_GROUPS,
}
CONTACT_SPECS: dict[str, FieldSpec] = {
    "country": CODE,
    "city": TEXT,
    "name": TEXT,
    "territory": CODE,
    "exclude_from_segment": BOOLEAN,
}
BOOLEAN_EXPRESSIONS = ["yes", "no", "<>yes", "<>no", "yes|no", "''", "<>''"]


@dataclass(frozen=True)
class ContactRow:
    no: str
    type: str
    company: str | None
    name: str
    city: str
    country_code: str
    territory: str | None
    exclude_from_segment: bool
    privacy_blocked: bool
    mailing_groups: frozenset[str]
    # Only companies have industry groups, and their persons inherit them.
    industry_groups: frozenset[str]

    def value(self, field: str) -> Any:
        if field == "country":
            return self.country_code
        return getattr(self, field)


# Random contacts.

# True about one time in four, so most contacts can be added.
rarely_true = st.sampled_from([False, False, False, True])


@st.composite
def contact_rows(
    draw: st.DrawFn, no: str, kind: str, company: str | None
) -> ContactRow:
    industry_groups: frozenset[str] = frozenset()
    if kind == "company":
        industry_groups = draw(st.frozensets(st.sampled_from(INDUSTRY_GROUPS)))
    return ContactRow(
        no=no,
        type=kind,
        company=company,
        name=draw(st.sampled_from(NAMES)),
        city=draw(st.sampled_from(CITIES)),
        country_code=draw(st.sampled_from(COUNTRIES)),
        territory=draw(st.sampled_from(TERRITORIES)),
        exclude_from_segment=draw(rarely_true),
        privacy_blocked=draw(rarely_true),
        mailing_groups=draw(st.frozensets(st.sampled_from(MAILING_GROUPS))),
        industry_groups=industry_groups,
    )


@st.composite
def contact_sets(draw: st.DrawFn) -> list[ContactRow]:
    """Draw one to three companies with up to three persons each, and independents."""
    contacts = []
    for company_index in range(1, draw(st.integers(1, 3)) + 1):
        company_no = f"C{company_index}"
        contacts.append(draw(contact_rows(company_no, "company", company_no)))
        for person_index in range(1, draw(st.integers(0, 3)) + 1):
            person_no = f"{company_no}P{person_index}"
            contacts.append(draw(contact_rows(person_no, "person", company_no)))
    for index in range(1, draw(st.integers(1, 3)) + 1):
        contacts.append(draw(contact_rows(f"I{index}", "person", None)))
    return contacts


# Random filters from a small grammar.


def expressions(values: list[str]) -> st.SearchStrategy[str]:
    """Draw `A`, `A|B`, `<>A`, `''`, `<>''`, `A*`, `@a` or a range of the values."""
    value = st.sampled_from(values)
    pairs = st.tuples(value, value)
    return st.one_of(
        value,
        pairs.map(lambda pair: f"{pair[0]}|{pair[1]}"),
        value.map(lambda text: f"<>{text}"),
        st.just("''"),
        st.just("<>''"),
        value.map(lambda text: f"{text[:2]}*"),
        value.map(lambda text: f"@{text.lower()}"),
        pairs.map(lambda pair: "{}..{}".format(*sorted(pair))),
        value.map(lambda text: f"..{text}"),
        value.map(lambda text: f"{text}.."),
    )


def contact_expressions(field: str) -> st.SearchStrategy[str]:
    if field == "exclude_from_segment":
        return st.sampled_from(BOOLEAN_EXPRESSIONS)
    return expressions(FILTER_VALUES[field])


@st.composite
def filter_sets(draw: st.DrawFn) -> Filters:
    """Draw filters on a random subset of the sources, possibly none at all.

    Most draws filter on one or two sources, so that filters often match.
    """
    filters: Filters = {}
    fields = draw(
        st.lists(st.sampled_from(sorted(CONTACT_SPECS)), unique=True, max_size=2)
    )
    for field in fields:
        filters.setdefault("contact", {})[field] = draw(contact_expressions(field))
    for source in ("mailing_group", "industry_group"):
        use = draw(st.sampled_from(["none", "none", "code", "exists", "both"]))
        if use in ("code", "both"):
            code = draw(expressions(FILTER_VALUES[source]))
            filters.setdefault(source, {})["code"] = code
        if use in ("exists", "both"):
            exists = draw(st.sampled_from(["yes", "no"]))
            filters.setdefault(source, {})[EXISTS_FIELD] = exists
    return filters


add_options = st.builds(
    AddOptions,
    allow_existing=st.booleans(),
    expand_companies=st.booleans(),
    allow_related_companies=st.booleans(),
    ignore_exclusion=st.booleans(),
)

add_actions = st.tuples(st.just("add"), filter_sets(), add_options)
actions = st.one_of(
    add_actions,
    st.tuples(st.just("reduce"), filter_sets(), st.booleans()),
    st.tuples(st.just("refine"), filter_sets(), st.booleans()),
    st.just(("go_back",)),
    st.just(("go_forward",)),
)


# The reference.


class Reference:
    """The lines of one segment, computed in plain Python from the contact rows.

    ``states`` is the list of line states that Go Back and Go Forward move along:
    each state counts the lines per contact number.
    """

    def __init__(self, contacts: list[ContactRow]) -> None:
        self.contacts = {contact.no: contact for contact in contacts}
        self.states: list[Counter[str]] = [Counter()]
        self.position = 0

    @property
    def lines(self) -> Counter[str]:
        return self.states[self.position]

    def source_rows(self, source: str, contact: ContactRow) -> frozenset[str]:
        if source == "mailing_group":
            return contact.mailing_groups
        if contact.company is None:
            return frozenset()
        return self.contacts[contact.company].industry_groups

    def source_matches(
        self, source: str, fields: dict[str, str], contact: ContactRow
    ) -> bool:
        """Check one source: at least one of its rows must match all of its filters.

        With ``exists`` set to no, the contact must have no such row instead.
        """
        if source == "contact":
            return all(
                matches(contact.value(field), CONTACT_SPECS[field], expression)
                for field, expression in fields.items()
            )
        conditions = [
            expression for field, expression in fields.items() if field != EXISTS_FIELD
        ]
        found = any(
            all(matches(code, CODE, expression) for expression in conditions)
            for code in self.source_rows(source, contact)
        )
        expected_found = True
        if EXISTS_FIELD in fields:
            expected_found = matches(True, BOOLEAN, fields[EXISTS_FIELD])
        return found == expected_found

    def matching(self, filters: Filters) -> set[str]:
        return {
            no
            for no, contact in self.contacts.items()
            if all(
                self.source_matches(source, fields, contact)
                for source, fields in filters.items()
            )
        }

    def companies_of(self, numbers: set[str]) -> set[str]:
        companies = {self.contacts[no].company for no in numbers}
        return {company for company in companies if company is not None}

    def with_companies(self, numbers: set[str]) -> set[str]:
        """Add every contact of the companies the numbers belong to."""
        companies = self.companies_of(numbers)
        members = {
            no for no, contact in self.contacts.items() if contact.company in companies
        }
        return numbers | members

    def to_add(self, filters: Filters, options: AddOptions) -> set[str]:
        matched = self.matching(filters)
        chosen = set(matched)
        if options.expand_companies:
            chosen = self.with_companies(matched)
        elif options.allow_related_companies:
            persons = {no for no in matched if self.contacts[no].type == "person"}
            chosen |= self.companies_of(persons)
        chosen = {no for no in chosen if not self.contacts[no].privacy_blocked}
        if not options.ignore_exclusion:
            chosen = {no for no in chosen if not self.contacts[no].exclude_from_segment}
        if not options.allow_existing:
            chosen -= set(self.lines)
        return chosen

    def acted_on(self, filters: Filters, entire_companies: bool) -> set[str]:
        matched = self.matching(filters)
        if entire_companies:
            return self.with_companies(matched)
        return matched

    def push(self, lines: Counter[str]) -> None:
        del self.states[self.position + 1 :]
        self.states.append(lines)
        self.position += 1

    def add(self, filters: Filters, options: AddOptions) -> None:
        self.push(self.lines + Counter(self.to_add(filters, options)))

    def reduce(self, filters: Filters, entire_companies: bool) -> None:
        removed = self.acted_on(filters, entire_companies)
        remaining = {no: n for no, n in self.lines.items() if no not in removed}
        self.push(Counter(remaining))

    def refine(self, filters: Filters, entire_companies: bool) -> None:
        refined_contacts = self.acted_on(filters, entire_companies)
        remaining = {no: n for no, n in self.lines.items() if no in refined_contacts}
        self.push(Counter(remaining))

    def removed_count(self, keep: set[str], reduce: bool) -> int:
        return sum(count for no, count in self.lines.items() if (no in keep) == reduce)

    def go_back(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def go_forward(self) -> bool:
        if self.position == len(self.states) - 1:
            return False
        self.position += 1
        return True


# The database side.


@contextmanager
def example_database(folder: Path) -> Iterator[None]:
    """Open an empty database for one example, in its own folder under ``folder``."""
    directory = Path(tempfile.mkdtemp(dir=folder))
    database = fresh_database(directory)
    try:
        yield
    finally:
        database.close()
        shutil.rmtree(directory)


def store(contacts: list[ContactRow]) -> None:
    for code in MAILING_GROUPS:
        MailingGroup.create(code=code)
    for code in INDUSTRY_GROUPS:
        IndustryGroup.create(code=code)
    for code in TERRITORIES:
        if code is not None:
            Territory.create(code=code, name=code.title())
    if not contacts:
        return
    Contact.insert_many(
        [
            {
                "no": contact.no,
                "type": contact.type,
                "company": contact.company,
                "name": contact.name,
                "city": contact.city,
                "country_code": contact.country_code,
                "territory": contact.territory,
                "exclude_from_segment": contact.exclude_from_segment,
                "privacy_blocked": contact.privacy_blocked,
            }
            for contact in contacts
        ]
    ).execute()
    mailing = [
        {"contact": contact.no, "mailing_group": code}
        for contact in contacts
        for code in sorted(contact.mailing_groups)
    ]
    industry = [
        {"contact": contact.no, "industry_group": code}
        for contact in contacts
        for code in sorted(contact.industry_groups)
    ]
    if mailing:
        ContactMailingGroup.insert_many(mailing).execute()
    if industry:
        ContactIndustryGroup.insert_many(industry).execute()


def line_counts(no: str) -> set[tuple[str, int]]:
    contacts = [
        row[0]
        for row in SegmentLine.select(SegmentLine.contact)
        .where(SegmentLine.segment == no)
        .tuples()
    ]
    return set(Counter(contacts).items())


def run_action(no: str, action: tuple[Any, ...], reference: Reference) -> None:
    """Run one action on the segment and the reference, checking the live counts."""
    kind = action[0]
    if kind == "add":
        filters, options = action[1], action[2]
        expected = reference.to_add(filters, options)
        assert count_add_contacts(filters, options, no) == len(expected)
        result = add_contacts(no, filters, options, user=TEST_USER)
        assert result.inserted == len(expected)
        reference.add(filters, options)
    elif kind in ("reduce", "refine"):
        filters, entire = action[1], action[2]
        acted_on = reference.acted_on(filters, entire)
        if kind == "reduce":
            expected_removed = reference.removed_count(acted_on, reduce=True)
            assert count_reduce(no, filters, entire) == expected_removed
            result = reduce_contacts(
                no, filters, entire_companies=entire, user=TEST_USER
            )
            reference.reduce(filters, entire)
        else:
            expected_removed = reference.removed_count(acted_on, reduce=False)
            assert count_refine(no, filters, entire) == expected_removed
            result = refine_contacts(
                no, filters, entire_companies=entire, user=TEST_USER
            )
            reference.refine(filters, entire)
        assert result.deleted == expected_removed
    elif kind == "go_back":
        if reference.go_back():
            go_back(no, user=TEST_USER)
        else:
            with pytest.raises(InvalidValueError):
                go_back(no, user=TEST_USER)
    else:
        if reference.go_forward():
            go_forward(no, user=TEST_USER)
        else:
            with pytest.raises(InvalidValueError):
                go_forward(no, user=TEST_USER)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    contacts=contact_sets(),
    first=add_actions,
    more=st.lists(actions, max_size=8),
)
def test_actions_match_reference(contacts, first, more, tmp_path):
    """Start with Add Contacts, so the later actions usually have lines to act on."""
    steps = [first, *more]
    with example_database(tmp_path):
        store(contacts)
        reference = Reference(contacts)
        no = create_segment("Property", user=TEST_USER).no
        for index, action in enumerate(steps):
            run_action(no, action, reference)
            expected = set(reference.lines.items())
            assert line_counts(no) == expected, f"after step {index}: {action}"


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(contacts=contact_sets(), filters=filter_sets(), options=add_options)
def test_add_matches_reference(contacts, filters, options, tmp_path):
    """One Add Contacts on an empty segment, for more filters per second."""
    with example_database(tmp_path):
        store(contacts)
        reference = Reference(contacts)
        no = create_segment("Property", user=TEST_USER).no
        run_action(no, ("add", filters, options), reference)
        assert line_counts(no) == set(reference.lines.items())
