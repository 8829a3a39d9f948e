"""The contact list sorts names and cities in dictionary order (DIN 5007-1).

Case is ignored, ä sorts as a, ß as ss, and the other Latin letters with
diacritics as their base letters, on SQLite and PostgreSQL alike. The order comes
from a sort key in plain SQL with an index of its own, so pages are still index
walks and seeks from an anchor row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from segtui.db import create_database, is_sqlite, open_database
from segtui.domain import contact_queries
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_actions import add_contacts, count_reduce
from segtui.domain.segmentation import create_segment
from segtui.domain.sql import Anchor, reading_next_to
from segtui.models import Contact
from segtui.models.contacts import SortKey, fold_for_sorting
from segtui.models.migrations import current_version, migrate
from tests.backends import POSTGRES
from tests.concurrent_worker import separate_database_url
from tests.conftest import TEST_USER
from tests.test_scale_paging import plan_details, statement_log

# Names in the order a German dictionary lists them. Straße and Strasse share a
# sort key, so their contact numbers decide.
NAMES_IN_ORDER = (
    "",
    "Ähren",
    "Bauer",
    "Éric Durand",
    "Gunter",
    "Günther",
    "Łukasz",
    "Nagel",
    "Ömer Yilmaz",
    "Peters",
    "Škoda",
    "Straße",
    "Strasse",
    "Ulm",
    "Vahl",
    "van der Berg",
    "Vogel",
    "Zoë",
    "Zoltan",
)

# Texts and their sort keys, as SQL and fold_for_sorting compute them.
FOLDED_TEXTS = {
    "": "",
    "Ömer Yilmaz": "omer yilmaz",
    "ÄHREN": "ahren",
    "Straße": "strasse",
    # Capital ẞ and capitals with diacritics after the first letter stay.
    "STRAẞE": "straẞe",
    "ßa": "ssa",
    "Æbeltoft": "aebeltoft",
    "Œuvre": "oeuvre",
    "Ĳssel": "ijssel",
    "Øresund": "oresund",
    "Šimek Čapek": "simek Čapek",
    "Ångström": "angstrom",
    "MÜLLER GMBH": "muller gmbh",
    "Niño": "nino",
    "O'Brien": "o'brien",
    "Žižkov": "zizkov",
    "Жанна": "Жанна",
}

# Contacts for paging: spellings that share a sort key, and many numbers each.
PAGING_NAMES = (
    "Müller",
    "MÜLLER",
    "Muller",
    "müller",
    "Mueller",
    "Ömer",
    "omer",
    "Straße",
    "STRASSE",
    "Strasse",
    "Ähren",
    "van der Berg",
    "Van Der Berg",
    "",
    "Zoë",
    "Łódź",
)
PAGING_CONTACTS = 240
PAGE = 25


def add_named_contacts(names: tuple[str, ...]) -> list[str]:
    """Add a contact for each name, with the name as its city too; return the numbers.

    The numbers run against the order of the names, so the order cannot come from
    the numbers.
    """
    numbers = []
    for index, name in enumerate(names):
        no = f"N{len(names) - index:04d}"
        Contact.create(no=no, name=name, city=name, created_by=TEST_USER)
        numbers.append(no)
    return numbers


def add_paging_contacts() -> None:
    rows = [
        {
            "no": f"P{index:05d}",
            "name": PAGING_NAMES[index * 7 % len(PAGING_NAMES)],
            "city": PAGING_NAMES[index % len(PAGING_NAMES)],
            "created_by": TEST_USER,
        }
        for index in range(PAGING_CONTACTS)
    ]
    Contact.insert_many(rows).execute()


def listed_names(sort: str) -> list[str]:
    rows = contact_queries.list_contacts(sort=sort)
    return [row.name if sort == "name" else row.city for row in rows]


@pytest.mark.parametrize("sort", ["name", "city"])
def test_list_in_dictionary_order(database: Database, sort: str) -> None:
    add_named_contacts(NAMES_IN_ORDER[::-1])
    names = listed_names(sort)
    assert names.index("Ähren") < names.index("Bauer")
    assert names.index("Nagel") < names.index("Ömer Yilmaz")
    assert names.index("Ömer Yilmaz") < names.index("Peters")
    assert names.index("Vahl") < names.index("van der Berg")
    assert names.index("van der Berg") < names.index("Vogel")
    assert abs(names.index("Straße") - names.index("Strasse")) == 1
    assert names.index("Éric Durand") < names.index("Günther")
    assert names.index("Škoda") < names.index("Straße")
    assert names.index("Łukasz") < names.index("Nagel")
    assert names.index("Zoë") < names.index("Zoltan")
    assert names == list(NAMES_IN_ORDER)


def test_ties_broken_by_number(database: Database) -> None:
    numbers = add_named_contacts(("Straße", "STRASSE", "strasse", "Strasse"))
    rows = contact_queries.list_contacts(sort="name")
    assert [row.no for row in rows] == sorted(numbers)


def test_sql_key_matches_python(database: Database) -> None:
    for index, text in enumerate(FOLDED_TEXTS):
        Contact.create(no=f"F{index:03d}", name=text, created_by=TEST_USER)
    rows = Contact.select(Contact.name, SortKey(Contact.name).alias("key")).tuples()
    keys = dict(rows)
    assert set(keys) == set(FOLDED_TEXTS)
    for text, key in keys.items():
        assert key == FOLDED_TEXTS[text], text
        assert fold_for_sorting(text) == key, text


def anchors_around(offset: int, keys: list[str]) -> list[Anchor]:
    anchors = []
    for index in (offset - 1, offset - 3, offset + PAGE, offset + PAGE + 2):
        if 0 <= index < len(keys):
            anchors.append(Anchor(index, keys[index]))
    return anchors


@pytest.mark.parametrize("sort", ["name", "city"])
def test_keyset_pages_match_full_read(database: Database, sort: str) -> None:
    add_paging_contacts()
    keys = [row.no for row in contact_queries.list_contacts(sort=sort)]
    total = len(keys)
    assert total == PAGING_CONTACTS
    for offset in range(0, total + 1, 7):
        expected = keys[offset : offset + PAGE]
        for anchor in anchors_around(offset, keys):
            with statement_log() as log, reading_next_to(anchor):
                page = contact_queries.list_contacts(
                    sort=sort, offset=offset, limit=PAGE, total=total
                )
            assert [row.no for row in page] == expected, (offset, anchor)
            # A neighbour's page is a seek, with no OFFSET at all.
            if anchor.index in (offset - 1, offset + PAGE):
                assert log.selects_with_offset() == [], (offset, anchor)


def test_seek_backwards_then_forwards(database: Database) -> None:
    """Stepping page by page from the end to the start and back gives the full list."""
    add_paging_contacts()
    keys = [row.no for row in contact_queries.list_contacts(sort="name")]
    total = len(keys)
    offsets = list(range(0, total, PAGE))
    read: list[str] = []
    anchor = None
    for offset in reversed(offsets):
        with reading_next_to(anchor):
            page = contact_queries.list_contacts(
                sort="name", offset=offset, limit=PAGE, total=total
            )
        read = [row.no for row in page] + read
        anchor = Anchor(offset, page[0].no)
    assert read == keys
    read = []
    for offset in offsets:
        with reading_next_to(anchor):
            page = contact_queries.list_contacts(
                sort="name", offset=offset, limit=PAGE, total=total
            )
        read += [row.no for row in page]
        anchor = Anchor(offset + len(page) - 1, page[-1].no)
    assert read == keys


def test_seek_with_search_and_filter(database: Database) -> None:
    """The longest page query, a seek with a search and a filter, stays parseable.

    Each letter of INNER_LETTER_FOLDS nests the sort key one call deeper, and
    SQLite rejects a statement nested too deep.
    """
    add_paging_contacts()
    search, filters = "er", {"contact": {"type": "person"}}
    keys = [row.no for row in contact_queries.list_contacts(search, filters, "name")]
    total = len(keys)
    assert total > 2 * PAGE
    offset = total // 2
    for anchor in (
        Anchor(offset - 1, keys[offset - 1]),
        Anchor(offset + PAGE, keys[offset + PAGE]),
    ):
        with statement_log() as log, reading_next_to(anchor):
            page = contact_queries.list_contacts(
                search, filters, "name", offset, PAGE, total
            )
        assert [row.no for row in page] == keys[offset : offset + PAGE], anchor
        assert log.selects_with_offset() == [], anchor


def page_plans(sort: str) -> list[list[str]]:
    """Return the plans of the first, last and a seek page of the list by ``sort``."""
    keys = [row.no for row in contact_queries.list_contacts(sort=sort)]
    total = len(keys)
    with statement_log() as log:
        contact_queries.list_contacts(sort=sort, offset=0, limit=PAGE, total=total)
        contact_queries.list_contacts(
            sort=sort, offset=total - PAGE, limit=PAGE, total=total
        )
        middle = total // 2
        with reading_next_to(Anchor(middle - 1, keys[middle - 1])):
            contact_queries.list_contacts(
                sort=sort, offset=middle, limit=PAGE, total=total
            )
    pages = [
        (sql, params)
        for sql, params in log.statements
        if "ORDER BY" in sql and "LIMIT" in sql
    ]
    assert len(pages) == 3
    return [plan_details(sql, params) for sql, params in pages]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("sort", ["name", "city"])
def test_pages_walk_sort_key_index(database: Database, sort: str) -> None:
    add_paging_contacts()
    for details in page_plans(sort):
        walks = [detail for detail in details if f"contact_{sort}_sort_key" in detail]
        sorts = [detail for detail in details if "TEMP B-TREE" in detail]
        assert walks, details
        assert sorts == [], details


@pytest.mark.skipif(not POSTGRES, reason="tests PostgreSQL's plan")
def test_postgresql_can_walk_sort_key_index(database: Database) -> None:
    """PostgreSQL reads the sort order from the index when sorting is ruled out.

    A small table's plan sorts, because that is cheaper, so the test forbids sorts
    to show that the query's key matches the indexed expression.
    """
    add_paging_contacts()
    query = contact_queries.contact_query(sort="name").limit(PAGE)
    sql, params = query.sql()
    with database.atomic():
        database.execute_sql("SET LOCAL enable_sort = off")
        database.execute_sql("SET LOCAL enable_seqscan = off")
        plan = [row[0] for row in database.execute_sql("EXPLAIN " + sql, params)]
    assert any("contact_name_sort_key" in line for line in plan), plan
    assert not any(line.strip().startswith("-> Sort") for line in plan), plan


# The indexes of the contact table that migration 9 replaces and adds.
OLD_INDEXES = {"contact_name_no", "contact_city_no"}
NEW_INDEXES = {"contact_name_sort_key", "contact_city_sort_key"}


def contact_indexes(database: Database) -> set[str]:
    return {index.name for index in database.get_indexes("contact")}


def contact_rows(database: Database) -> list[tuple[Any, ...]]:
    cursor = database.execute_sql(
        "SELECT no, name, city, post_code, email FROM contact ORDER BY no"
    )
    return [tuple(row) for row in cursor.fetchall()]


def test_version_8_upgrades_to_9(tmp_path: Path) -> None:
    with separate_database_url(tmp_path) as url:
        database = create_database(url)
        database.connect()
        assert migrate(database, target=8) == list(range(1, 9))
        assert contact_indexes(database) >= OLD_INDEXES
        assert not NEW_INDEXES & contact_indexes(database)
        param = database.param
        for index, name in enumerate(NAMES_IN_ORDER):
            database.execute_sql(
                "INSERT INTO contact (no, type, name, first_name, middle_name, "
                "surname, address, address_2, post_code, city, county, "
                "country_code, phone, mobile_phone, email, correspondence_type, "
                "job_title, exclude_from_segment, privacy_blocked, created_by, "
                "modified_by, version) VALUES "
                f"({param}, 'person', {param}, '', '', '', '', '', {param}, "
                f"{param}, '', 'DE', '', '', {param}, '', '', {param}, {param}, "
                f"{param}, '', 1)",
                (
                    f"OLD{index:03d}",
                    name,
                    f"{index:05d}",
                    name,
                    f"old{index}@example.com",
                    False,
                    False,
                    TEST_USER,
                ),
            )
        rows = contact_rows(database)
        assert len(rows) == len(NAMES_IN_ORDER)

        applied = migrate(database)
        assert applied[0] == 9
        assert current_version(database) >= 9
        assert contact_rows(database) == rows
        indexes = contact_indexes(database)
        assert indexes >= NEW_INDEXES
        assert not OLD_INDEXES & indexes
        if is_sqlite(database):
            assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        database.close()

        database = open_database(url, create=False)
        try:
            assert listed_names("name") == list(NAMES_IN_ORDER)
        finally:
            database.close()


def test_new_and_upgraded_databases_match(database: Database, tmp_path: Path) -> None:
    """A new database gets the same contact indexes as one upgraded from version 8."""
    new_indexes = contact_indexes(database)
    assert new_indexes >= NEW_INDEXES
    assert not OLD_INDEXES & new_indexes
    with separate_database_url(tmp_path) as url:
        upgraded = create_database(url)
        upgraded.connect()
        migrate(upgraded, target=8)
        migrate(upgraded)
        try:
            assert contact_indexes(upgraded) == new_indexes
        finally:
            upgraded.close()


# Filters on name and city that the sort key index narrows, with the names of
# PAGING_NAMES each must find. Spellings that share a key must not match.
KEYED_FILTERS = {
    "Müller": {"Müller"},
    "Straße|Ähren|Zoë": {"Straße", "Ähren", "Zoë"},
    "Mü*": {"Müller"},
    "M*": {"Müller", "MÜLLER", "Muller", "Mueller"},
    "Str?ße": {"Straße"},
    "*er": {"Müller", "Muller", "müller", "Mueller", "Ömer", "omer"},
}


def filtered_numbers(field: str, expression: str, search: str = "") -> set[str]:
    rows = contact_queries.list_contacts(search, {"contact": {field: expression}})
    return {row.no for row in rows}


@pytest.mark.parametrize("field", ["name", "city"])
def test_keyed_filters_stay_exact(database: Database, field: str) -> None:
    add_paging_contacts()
    contacts = list(Contact.select(Contact.no, getattr(Contact, field)).tuples())
    for expression, names in KEYED_FILTERS.items():
        expected = {no for no, value in contacts if value in names}
        assert expected, expression
        assert filtered_numbers(field, expression) == expected, expression
        assert contact_queries.count_contacts(
            "", {"contact": {field: expression}}
        ) == len(expected), expression


@pytest.mark.sqlite_only
@pytest.mark.parametrize("field", ["name", "city"])
def test_keyed_filters_use_index(database: Database, field: str) -> None:
    """Exact and prefix filters read the sort key index instead of the table."""
    add_paging_contacts()
    for expression in ("Müller", "Straße|Ähren|Zoë", "Mü*"):
        with statement_log() as log:
            contact_queries.count_contacts("", {"contact": {field: expression}})
        (sql, params), *_ = log.statements
        details = plan_details(sql, params)
        assert any(f"contact_{field}_sort_key" in line for line in details), details
        assert not any(line.startswith("SCAN") for line in details), details


@pytest.mark.skipif(not POSTGRES, reason="tests PostgreSQL's plan")
def test_postgresql_keyed_filters_use_index(database: Database) -> None:
    add_paging_contacts()
    for expression in ("Müller", "Straße|Ähren|Zoë", "Mü*"):
        query = contact_queries.contact_query("", {"contact": {"city": expression}})
        sql, params = query.sql()
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            plan = [row[0] for row in database.execute_sql("EXPLAIN " + sql, params)]
        assert any("contact_city_sort_key" in line for line in plan), plan


def test_seek_with_keyed_filters_parses(database: Database) -> None:
    """A seek by name with filters on both keyed columns and a search still parses.

    Each filter adds a sort key expression to the statement, next to the anchor's.
    """
    add_paging_contacts()
    search = "e"
    filters = {"contact": {"name": "M*|Straße|Ömer", "city": "M*|Straße|Ö*"}}
    keys = [row.no for row in contact_queries.list_contacts(search, filters, "name")]
    total = len(keys)
    assert total > PAGE
    offset = total // 2
    with reading_next_to(Anchor(offset - 1, keys[offset - 1])):
        page = contact_queries.list_contacts(
            search, filters, "name", offset, PAGE, total
        )
    assert [row.no for row in page] == keys[offset : offset + PAGE]


def test_deep_keyed_filter_runs_again(sample_database: Database) -> None:
    """A Reduce whose filter nests the sort key too deep for SQLite still counts.

    The statement runs again without the key, so it returns what the same filter
    written as a range, which the key does not narrow, returns.
    """
    city = Contact.select(Contact.city).where(Contact.city != "").first().city
    segment = create_segment(description="Deep", user=TEST_USER)
    add_contacts(segment.no, {"contact": {"city": city}}, AddOptions(), user=TEST_USER)
    counts = [
        count_reduce(segment.no, {"contact": {"city": expression}})
        for expression in (city, f"{city}..{city}")
    ]
    assert counts[0] == counts[1] > 0
