"""PostgreSQL stores each contact's folded search text in a generated column.

The search reads that column instead of folding every contact, and every way of
writing contacts leaves the column to the server.
"""

from __future__ import annotations

import uuid

import pytest
from peewee import Database

from segtui.db import bind, open_database
from segtui.domain import contact_queries
from segtui.domain.contact_import import import_contacts
from segtui.domain.contact_queries import count_contacts, list_contacts
from segtui.domain.contacts import create_contact, update_contact
from segtui.domain.large_sample import load_large_sample
from segtui.domain.transfer import copy_database
from segtui.models import Contact
from segtui.models.contact_search import (
    SEARCH_TEXT_COLUMN,
    SEARCH_TEXT_INDEX,
    SEARCHED_COLUMNS,
    fold_for_search,
)
from tests.backends import POSTGRES
from tests.concurrent_worker import separate_database_url, url_of
from tests.conftest import TEST_USER

pytestmark = pytest.mark.skipif(
    not POSTGRES, reason="tests PostgreSQL's stored search text"
)

# Words that pg_trgm takes no trigram from, and words that it takes one from.
SHORT_WORDS = ["e", "xq", "jä", "%", "a_", "'"]
LONG_WORDS = ["jahn", "jähn", "köln", "-a", "ab-"]


def insert_contacts(database: Database, count: int) -> None:
    """Insert numbered contacts with plain SQL. Every 500th is named Jähn."""
    database.execute_sql(
        "INSERT INTO contact (no, type, name, first_name, middle_name, surname, "
        "address, address_2, post_code, city, county, country_code, phone, "
        "mobile_phone, email, correspondence_type, job_title, exclude_from_segment, "
        "privacy_blocked, created_by, modified_by, version) "
        "SELECT 'ST' || lpad(i::text, 6, '0'), 'person', "
        "CASE WHEN mod(i, 500) = 0 THEN 'Jähn ' ELSE 'Schulz ' END || i, "
        "'', '', '', '', '', '', "
        "CASE WHEN mod(i, 1000) = 0 THEN 'Köln' ELSE 'Berlin' END, "
        "'', '', '', '', 'p' || i || '@example.com', '', '', false, false, '', '', 1 "
        "FROM generate_series(1, %s) AS i",
        (count,),
    )
    # VACUUM moves the new rows from the GIN index's pending list into the index.
    # The planner counts that list's pages, which may make a scan look cheaper.
    database.execute_sql("VACUUM ANALYZE contact")


def expected_numbers(text: str) -> list[str]:
    """Select by Python: every word's fold is in the fold of one searched column."""
    words = [fold_for_search(word) or "" for word in text.split()]
    found = []
    for contact in Contact.select().order_by(Contact.no):
        columns = [fold_for_search(getattr(contact, name)) for name in SEARCHED_COLUMNS]
        if all(any(word in column for column in columns) for word in words):
            found.append(contact.no)
    return found


def found_numbers(text: str) -> list[str]:
    rows = list_contacts(text)
    assert count_contacts(text) == len(rows)
    return [row.no for row in rows]


def verbose_plan(database: Database, word: str) -> str:
    sql, params = contact_queries.contact_query(word).sql()
    rows = database.execute_sql("EXPLAIN VERBOSE " + sql, params).fetchall()
    return "\n".join(row[0] for row in rows)


def generic_plan(database: Database, word: str) -> str:
    """Return the plan PostgreSQL reuses for a prepared search, whatever the word."""
    sql, params = contact_queries.contact_query(word).sql()
    pieces = sql.split("%s")
    numbered = pieces[0]
    for number, piece in enumerate(pieces[1:], start=1):
        numbered += f"${number}{piece}"
    name = f"search_{uuid.uuid4().hex[:8]}"
    # EXECUTE takes its arguments as SQL literals, not as bound parameters, and
    # psycopg reads %% in the statement as one percent sign.
    assert all(isinstance(value, str) for value in params), params
    declared = ", ".join(["text"] * len(params))
    literals = ", ".join(
        "'" + value.replace("'", "''").replace("%", "%%") + "'" for value in params
    )
    with database.atomic():
        database.execute_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        database.execute_sql(f"PREPARE {name} ({declared}) AS {numbered}")
        try:
            rows = database.execute_sql(
                f"EXPLAIN EXECUTE {name}({literals})"
            ).fetchall()
        finally:
            database.execute_sql(f"DEALLOCATE {name}")
    return "\n".join(row[0] for row in rows)


def test_search_reads_stored_text(database: Database) -> None:
    """No word folds a contact while searching: the plan reads the stored text."""
    insert_contacts(database, 2000)
    for word in [*SHORT_WORDS, *LONG_WORDS]:
        plan = verbose_plan(database, word)
        assert f"t1.{SEARCH_TEXT_COLUMN}" in plan, (word, plan)
        assert "normalize" not in plan.lower(), (word, plan)
        assert "regexp_replace" not in plan.lower(), (word, plan)
    assert found_numbers("jähn 1500") == ["ST001500"]
    assert count_contacts("koln") == 2
    assert count_contacts("xq") == 0


def test_generic_plan_scans_short_words(database: Database) -> None:
    """A prepared search reads the trigram index only for a word with a trigram.

    psycopg prepares a statement run five times, and a generic plan that read
    the whole index for a word without a trigram was several times slower than
    a scan.
    """
    insert_contacts(database, 20000)
    for word in SHORT_WORDS:
        plan = generic_plan(database, word)
        assert SEARCH_TEXT_INDEX not in plan, (word, plan)
    for word in LONG_WORDS:
        plan = generic_plan(database, word)
        assert SEARCH_TEXT_INDEX in plan, (word, plan)


def test_plain_sql_update_found(database: Database) -> None:
    """The server computes the column for a write that segtui did not make."""
    insert_contacts(database, 10)
    database.execute_sql(
        "UPDATE contact SET name = 'Großmann Söhne', city = 'Lübeck' "
        "WHERE no = 'ST000003'"
    )
    assert found_numbers("grossmann") == ["ST000003"]
    assert found_numbers("GROSSMANN sohne") == ["ST000003"]
    assert found_numbers("lubeck") == ["ST000003"]
    assert found_numbers("schulz 3") == []
    database.execute_sql("UPDATE contact SET email = 'Ærø@Example.DK'")
    assert len(found_numbers("aero@example.dk")) == 10


def test_word_matches_within_one_column(database: Database) -> None:
    """A word never matches across the end of one column and the next."""
    create_contact({"name": "Anna Ab", "city": "Cdorf"}, user=TEST_USER)
    assert found_numbers("ab") == expected_numbers("ab")
    assert found_numbers("bc") == []
    assert found_numbers("abcdorf") == []


def test_app_writes_set_search_text(world, database: Database) -> None:
    """Create, update and CSV import leave the column to the server and are found."""
    created = create_contact(
        {"name": "Özdemir Bäckerei", "city": "Fürth"}, user=TEST_USER
    )
    assert found_numbers("backerei") == [created.no]
    update_contact(created.no, {"city": "Görlitz"}, user=TEST_USER)
    assert found_numbers("gorlitz") == [created.no]
    assert found_numbers("furth") == []

    data = (
        "no,type,name,city,email\n"
        "IMP1,person,Quirin Überall,Husum,quirin@example.de\n"
        f"{world.independent},person,Umbenannt Zäch,Bern,\n"
    ).encode()
    import_contacts(data, user=TEST_USER, update=True)
    assert found_numbers("uberall") == ["IMP1"]
    assert found_numbers("zach") == [world.independent]
    for word in ("e", "ü", "an", "berg", "ZACH"):
        assert found_numbers(word) == expected_numbers(word), word


def test_large_sample_and_copy_found(database: Database, tmp_path) -> None:
    """The sample generator's executemany and a database copy write no search text."""
    load_large_sample(TEST_USER, 60)
    assert Contact.select().count() == 60
    names = [contact.name for contact in Contact.select().limit(5)]
    for text in [*names, "e", "ö", "str"]:
        assert found_numbers(text) == expected_numbers(text), text

    with separate_database_url(tmp_path) as target_url:
        copy_database(url_of(database), target_url)
        target = open_database(target_url, create=False)
        try:
            for text in [*names, "e", "ö"]:
                assert found_numbers(text) == expected_numbers(text), text
        finally:
            target.close()
            bind(database)
