"""Reading a search's count and pages on SQLite with the trigram index.

A word of one or two letters has no trigram, so looking it up tests every contact's
text. A walk in sort order that tests far fewer contacts reads the page sooner, and
the count reads the index alone while it has every contact.
"""

from __future__ import annotations

import pytest
from peewee import Database

import segtui.domain.contact_queries as contact_queries
from segtui.domain.contact_queries import count_contacts, list_contacts
from segtui.models import Contact
from segtui.models.contact_search import SEARCH_TABLE, update_search_index

CONTACTS = 800
# Every 16th contact is named with "qjx", which no other contact contains.
MATCH_EVERY = 16


def add_contacts() -> None:
    Contact.insert_many(
        [
            {
                "no": f"WK{index:04d}",
                "name": f"Qjx {index}" if index % MATCH_EVERY == 0 else f"Name {index}",
                "city": "Bonn",
            }
            for index in range(CONTACTS)
        ]
    ).execute()
    update_search_index()


@pytest.mark.sqlite_only
def test_short_word_page_walks(database: Database) -> None:
    add_contacts()
    total = count_contacts("qj")
    limit = 5
    assert total == CONTACTS // MATCH_EVERY
    # The walk tests about limit * MATCH_EVERY contacts, far fewer than all.
    assert contact_queries._walk_is_shorter("qj", 0, limit, total)
    assert contact_queries._walk_is_shorter("qj", total - limit, limit, total)
    assert limit * contact_queries.WALK_ROW_COST < total

    expected = [f"WK{index:04d}" for index in range(0, CONTACTS, MATCH_EVERY)]
    first = list_contacts("qj", offset=0, limit=limit, total=total)
    assert [row.no for row in first] == expected[:limit]
    last = list_contacts("qj", offset=total - limit, limit=limit, total=total)
    assert [row.no for row in last] == expected[-limit:]


@pytest.mark.sqlite_only
def test_deep_or_indexed_page_looked_up(database: Database) -> None:
    """A page far from both ends, or of a word with trigrams, keeps the lookup."""
    add_contacts()
    total = count_contacts("qj")
    limit = 5
    assert not contact_queries._walk_is_shorter("qj", total // 2, limit, total)
    # "qjx" matches the same contacts but is looked up by its trigrams.
    assert count_contacts("qjx") == total
    assert not contact_queries._walk_is_shorter("qjx", 0, limit, total)


@pytest.mark.sqlite_only
def test_count_reads_index_alone(database: Database, monkeypatch) -> None:
    """While every contact is indexed, a search's count reads only the index."""
    add_contacts()
    statements: list[str] = []
    execute_sql = database.execute_sql

    def recorded(sql: str, *args: object, **kwargs: object) -> object:
        statements.append(sql)
        return execute_sql(sql, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", recorded)
    for text in ("qj", "qjx", "wk 1"):
        statements.clear()
        expected = [
            contact.no
            for contact in Contact.select()
            if all(
                word in f"{contact.no} {contact.name} {contact.city}".lower()
                for word in text.split()
            )
        ]
        assert count_contacts(text) == len(expected), text
        counts = [sql for sql in statements if "COUNT" in sql]
        assert len(counts) == 1, statements
        assert counts[0].startswith(f"SELECT COUNT(*) FROM {SEARCH_TABLE} "), counts
