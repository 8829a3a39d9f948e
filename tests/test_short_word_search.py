"""Searching the contact list for words of one or two letters, which have no trigram.

The expected contacts come from a Python reference, so the tests run on SQLite and
PostgreSQL alike, except where they test how SQLite reads its trigram index.
"""

from __future__ import annotations

import pytest
from peewee import Database

import segtui.domain.contact_queries as contact_queries
from segtui.domain.contact_queries import count_contacts, list_contacts
from segtui.models import Contact
from segtui.models.contact_search import (
    SQLITE_FOLD_FUNCTION,
    fold_for_search,
    unindexed_rowids_sql,
    update_search_index,
)

# Names with umlauts, ß and ss, and short runs of letters that also occur across
# the space between two columns ("ab" + "c" reads as "ab c" when joined).
NAMES = [
    "Müller",
    "Mueller",
    "Übel Abt",
    "Straße",
    "Strasse",
    "Große Gasse",
    "ab",
    "Zz Top",
    "Jazz",
    "Öz",
    "Ärzte am See",
    "Bö",
]
CITIES = ["Köln", "Abtsgmünd", "Essen", "Buß", "Ulm", "Aachen", "Zürich"]

WORDS = [
    "a",
    "A",
    "ab",
    "AB",
    "zz",
    "ü",
    "Ü",
    "u",
    "ö",
    "ß",
    "ss",
    "SS",
    "ue",
    "bö",
    "b c",
    "ab müller",
    "ü ab",
    "mü ß",
    "ss straße",
    "qq",
]

# Contacts each name and city make; enough that a test of every contact differs
# clearly from a test of the few noted as changed.
CONTACTS = len(NAMES) * len(CITIES)


def add_contacts() -> None:
    rows = []
    for index in range(CONTACTS):
        rows.append(
            {
                "no": f"SW{index:04d}",
                "name": NAMES[index % len(NAMES)],
                "city": CITIES[index % len(CITIES)],
                "email": f"ab{index}@example.com" if index % 5 == 0 else "",
            }
        )
    Contact.insert_many(rows).execute()
    update_search_index()


def expected_numbers(text: str) -> list[str]:
    """Select by Python: every word's fold is in the fold of the joined columns."""
    words = [fold_for_search(word) or "" for word in text.split()]
    found = []
    for contact in Contact.select().order_by(Contact.no):
        joined = " ".join((contact.no, contact.name, contact.city, contact.email))
        folded = fold_for_search(joined) or ""
        if all(word in folded for word in words):
            found.append(contact.no)
    return found


def assert_pages_match(text: str) -> None:
    """The count, the first page and the last page equal the Python reference."""
    expected = expected_numbers(text)
    total = count_contacts(text)
    assert total == len(expected)
    assert [row.no for row in list_contacts(text)] == expected
    limit = 5
    first = list_contacts(text, offset=0, limit=limit, total=total)
    assert [row.no for row in first] == expected[:limit]
    start = max(total - limit, 0)
    last = list_contacts(text, offset=start, limit=limit, total=total)
    assert [row.no for row in last] == expected[start:]


def change_outside_segtui(database: Database) -> None:
    """Change, delete and insert contacts without updating the search index.

    On SQLite the changed and deleted contacts are noted by triggers, and the
    inserted one lies above the indexed rowids, so the search scans all three.
    """
    Contact.update(name="Zähler").where(Contact.no == "SW0003").execute()
    Contact.update(city="Abbach").where(Contact.no == "SW0010").execute()
    Contact.delete().where(Contact.no == "SW0006").execute()
    Contact.insert(no="SW9999", name="Neue Straße", city="Öhringen").execute()


@pytest.mark.parametrize("text", WORDS)
def test_short_words_match_reference(database: Database, text: str) -> None:
    add_contacts()
    assert_pages_match(text)


@pytest.mark.parametrize("text", WORDS)
def test_short_words_after_outside_changes(database: Database, text: str) -> None:
    add_contacts()
    change_outside_segtui(database)
    assert_pages_match(text)


def unindexed_count(database: Database) -> int:
    sql = f"SELECT COUNT(*) FROM ({unindexed_rowids_sql()}) AS unindexed"
    return int(database.execute_sql(sql).fetchone()[0])


def count_folds(database: Database) -> list[int]:
    """Replace the fold function of the open connection by one that counts calls."""
    calls = [0]

    def counted(value: str | None) -> str | None:
        calls[0] += 1
        return fold_for_search(value)

    database.connection().create_function(
        SQLITE_FOLD_FUNCTION, 1, counted, deterministic=True
    )
    return calls


@pytest.mark.sqlite_only
@pytest.mark.parametrize("text", ["a", "ab", "ü", "ß", "ab müller"])
def test_short_words_read_indexed_text_without_fold(
    database: Database, text: str
) -> None:
    """Indexed contacts are tested on their stored text, and unindexed ones folded."""
    add_contacts()
    assert unindexed_count(database) == 0
    calls = count_folds(database)
    assert_pages_match(text)
    assert calls[0] == 0

    change_outside_segtui(database)
    unindexed = unindexed_count(database)
    assert 0 < unindexed < CONTACTS // 10
    calls[0] = 0
    total = count_contacts(text)
    assert calls[0] <= unindexed
    calls[0] = 0
    list_contacts(text, offset=0, limit=5, total=total)
    list_contacts(text, offset=max(total - 5, 0), limit=5, total=total)
    # The Python reference reads contacts without SQL, so it folds nothing here.
    assert calls[0] <= 2 * unindexed
    assert_pages_match(text)


@pytest.mark.sqlite_only
def test_dense_last_page_walks_backwards(database: Database) -> None:
    """The last page of a word most contacts contain walks the sort index backwards
    instead of sorting every match."""
    add_contacts()
    total = count_contacts("a")
    assert total > CONTACTS // 2
    limit = 5
    assert contact_queries._walk_is_shorter("a", total - limit, limit, total)
    # A word few contacts contain is looked up, at the end as at the start.
    rare = count_contacts("zz")
    assert 0 < rare * rare < limit * CONTACTS
    assert not contact_queries._walk_is_shorter("zz", rare - limit, limit, rare)
    last = list_contacts("a", offset=total - limit, limit=limit, total=total)
    assert [row.no for row in last] == expected_numbers("a")[-limit:]
    query = contact_queries.contact_query("a", row_by_row=True)
    sql, params = query.order_by(Contact.no.desc()).limit(limit).sql()
    plan = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    details = [row[-1] for row in plan]
    assert any(detail.startswith("SCAN t1 USING") for detail in details), details
    assert not any("TEMP B-TREE" in detail for detail in details), details
