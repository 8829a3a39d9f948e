"""Importing many contacts: queries independent of the size, and cancels in any phase.

The small world (tests/builders.py) has the mailing groups NEWS and VIP, the
industry groups RETAIL and IT and the business relation CUST. Each test adds a
profile questionnaire and a job responsibility, so a file can carry every
classification column of an export.
"""

from __future__ import annotations

import csv
import io
import threading

import pytest
from playhouse.test_utils import count_queries

import segtui.models.contact_search as contact_search
from segtui.db import current_database
from segtui.domain.contact_import import (
    CODES_BATCH_SIZE,
    CODES_WRITE_SHARE,
    OLD_CODES_SHARE,
    SEARCH_INDEX_SHARE,
    STEPS_PER_ROW,
    WRITING,
    ImportCanceledError,
    import_contacts,
)
from segtui.domain.contact_queries import list_contacts
from segtui.models import (
    Contact,
    ContactMailingGroup,
    ContactProfileAnswer,
    JobResponsibility,
    ProfileAnswer,
    ProfileQuestion,
    ProfileQuestionnaire,
)
from tests.conftest import TEST_USER
from tests.test_scale_import import snapshot

HEADER = [
    "no",
    "type",
    "name",
    "company_no",
    "city",
    "mailing_groups",
    "industry_groups",
    "business_relations",
    "job_responsibilities",
    "profile_answers",
]


@pytest.fixture
def classified_world(world):
    """The small world with a profile questionnaire and a job responsibility."""
    questionnaire = ProfileQuestionnaire.create(code="INTERESTS", description="")
    question = ProfileQuestion.create(questionnaire=questionnaire, code="TOPIC")
    for code in ("PRODUCTS", "SERVICE"):
        ProfileAnswer.create(
            questionnaire=questionnaire, question=question, code=code, description=code
        )
    JobResponsibility.create(code="BUYER", description="Buyer")
    return world


def csv_bytes(rows: list[list[str]]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def first_file(prefix: str, companies: int) -> bytes:
    """Return new companies, each with one person, with every classification column."""
    rows = []
    for index in range(companies):
        company = f"{prefix}C{index:05d}"
        rows.append(
            [company, "company", f"Firma {index}", "", "Köln", "NEWS", "RETAIL"]
            + ["CUST", "", "INTERESTS:PRODUCTS"]
        )
        rows.append(
            [f"{prefix}P{index:05d}", "person", f"Person {index}", company, ""]
            + ["NEWS;VIP", "", "", "BUYER", "INTERESTS:PRODUCTS"]
        )
    return csv_bytes(rows)


def second_file(prefix: str, companies: int) -> bytes:
    """Return updates of first_file's contacts that change every kind of value.

    The first half of the companies moves to another city, which their persons
    inherit. Each person moves to the next company, which is not in the file
    for the second half, and gets other codes in every column.
    """
    rows = []
    for index in range(companies // 2):
        rows.append(
            [f"{prefix}C{index:05d}", "company", f"Firma {index}", "", "Bonn", "VIP"]
            + ["IT", "", "", "INTERESTS:SERVICE"]
        )
    for index in range(companies):
        next_company = f"{prefix}C{(index + 1) % companies:05d}"
        rows.append(
            [f"{prefix}P{index:05d}", "person", f"Person {index}", next_company, ""]
            + ["VIP", "", "", "", "INTERESTS:SERVICE;INTERESTS:PRODUCTS"]
        )
    return csv_bytes(rows)


def queries_of_update(prefix: str, companies: int) -> int:
    import_contacts(first_file(prefix, companies), user=TEST_USER)
    with count_queries() as counter:
        result = import_contacts(
            second_file(prefix, companies), user=TEST_USER, update=True
        )
    assert result.updated == companies + companies // 2
    return counter.count


def queries_of_new(prefix: str, companies: int) -> int:
    with count_queries() as counter:
        result = import_contacts(first_file(prefix, companies), user=TEST_USER)
    assert result.created == 2 * companies
    return counter.count


def test_new_contacts_take_fixed_queries(classified_world) -> None:
    """Importing 4 or 1,200 new contacts runs as many queries.

    Each batch of rows is one prepared statement run with executemany, which
    count_queries does not count, so this counts the lookups and the statements
    per table.
    """
    # The first import also reads what later ones find cached.
    queries_of_new("W", 1)
    assert queries_of_new("A", 2) == queries_of_new("B", 600)


def test_update_takes_fixed_queries(classified_world) -> None:
    """Updating 3 or 900 contacts runs as many queries, whatever they change."""
    queries_of_update("W", 2)
    assert queries_of_update("A", 2) == queries_of_update("B", 600)

    person = Contact.get_by_id("BP00000")
    assert person.company_no == "BC00001"
    groups = (
        ContactMailingGroup.select(ContactMailingGroup.mailing_group)
        .where(ContactMailingGroup.contact == person)
        .tuples()
    )
    assert [code for (code,) in groups] == ["VIP"]
    answers = (
        ContactProfileAnswer.select(ProfileAnswer.code)
        .join(ProfileAnswer)
        .where(ContactProfileAnswer.contact == person)
        .order_by(ProfileAnswer.code)
        .tuples()
    )
    assert [code for (code,) in answers] == ["PRODUCTS", "SERVICE"]
    assert Contact.get_by_id("BC00000").city == "Bonn"
    # A company outside the file keeps its city.
    assert Contact.get_by_id("BC00599").city == "Köln"


def test_cancel_while_writing_codes(classified_world) -> None:
    """A cancel between two batches of classification rows rolls everything back."""
    companies = CODES_BATCH_SIZE // 2
    data = first_file("X", companies)
    rows = 2 * companies
    codes_start = (WRITING + CODES_WRITE_SHARE[0]) * rows
    codes_end = (WRITING + CODES_WRITE_SHARE[1]) * rows
    before = snapshot()
    cancel = threading.Event()
    links_when_canceled: list[int] = []

    def progress(done: int, total: int) -> None:
        assert total == STEPS_PER_ROW * rows
        if codes_start < done < codes_end and not cancel.is_set():
            cancel.set()
            links_when_canceled.append(
                ContactMailingGroup.select()
                .where(ContactMailingGroup.contact.startswith("X"))
                .count()
            )

    with pytest.raises(ImportCanceledError, match="nothing was written"):
        import_contacts(data, user=TEST_USER, progress=progress, cancel=cancel)

    # The cancel came after some of the new contacts' mailing groups were written
    # in the open transaction, and before the last of them.
    assert links_when_canceled, "no progress was reported while writing codes"
    assert 0 < links_when_canceled[0] < 3 * companies
    assert snapshot() == before


def test_cancel_while_reading_old_codes(classified_world) -> None:
    companies = 600
    import_contacts(first_file("Y", companies), user=TEST_USER)
    data = second_file("Y", companies)
    rows = companies + companies // 2
    old_codes_start = (1 + OLD_CODES_SHARE[0]) * rows
    before = snapshot()
    cancel = threading.Event()
    canceled_at: list[int] = []

    def progress(done: int, total: int) -> None:
        if done > old_codes_start and not cancel.is_set():
            cancel.set()
            canceled_at.append(done)

    with pytest.raises(ImportCanceledError, match="nothing was written"):
        import_contacts(
            data, user=TEST_USER, update=True, progress=progress, cancel=cancel
        )

    assert canceled_at[0] < 2 * rows
    assert snapshot() == before


def indexed_rows() -> int:
    cursor = current_database().execute_sql(
        f"SELECT COUNT(*) FROM {contact_search.SEARCH_TABLE}"
    )
    return int(cursor.fetchone()[0])


def search_index_steps(rows: int) -> tuple[float, float]:
    """Return the progress steps between which the search index is updated."""
    return (
        (WRITING + SEARCH_INDEX_SHARE[0]) * rows,
        (WRITING + SEARCH_INDEX_SHARE[1]) * rows,
    )


@pytest.mark.sqlite_only
def test_search_index_update_reports_progress(classified_world, monkeypatch) -> None:
    """The search index takes new contacts by ranges, with progress after each.

    In one statement, the bar stood still for 2.8 s at the end of an import of
    100,000 new contacts.
    """
    monkeypatch.setattr(contact_search, "NEW_ROWS_INDEXED_AT_ONCE", 100)
    companies = 300
    rows = 2 * companies
    index_start, index_end = search_index_steps(rows)
    during_index: list[int] = []

    def progress(done: int, total: int) -> None:
        if index_start < done < index_end:
            during_index.append(done)

    import_contacts(first_file("S", companies), user=TEST_USER, progress=progress)

    # 600 new rowids in ranges of 100: five reports before the last range.
    assert len(set(during_index)) >= 5
    assert during_index == sorted(during_index)
    assert contact_search.search_index_ready(current_database())
    assert [row.no for row in list_contacts("Person 299")] == ["SP00299"]


@pytest.mark.sqlite_only
def test_cancel_while_updating_search_index(classified_world, monkeypatch) -> None:
    """A cancel between two ranges of the search index rolls everything back."""
    monkeypatch.setattr(contact_search, "NEW_ROWS_INDEXED_AT_ONCE", 100)
    companies = 300
    rows = 2 * companies
    index_start, index_end = search_index_steps(rows)
    before = snapshot()
    indexed_before = indexed_rows()
    cancel = threading.Event()
    indexed_when_canceled: list[int] = []

    def progress(done: int, total: int) -> None:
        if index_start < done < index_end and not cancel.is_set():
            cancel.set()
            indexed_when_canceled.append(indexed_rows())

    with pytest.raises(ImportCanceledError, match="nothing was written"):
        import_contacts(
            first_file("T", companies), user=TEST_USER, progress=progress, cancel=cancel
        )

    # The first range was in the index of the open transaction, and is gone.
    assert indexed_when_canceled == [indexed_before + 100]
    assert snapshot() == before
    assert indexed_rows() == indexed_before
