"""The contact list's search through the trigram index gives the rows of the scan."""

from __future__ import annotations

import logging

import pytest
from peewee import Database

import segtui.domain.contact_queries as contact_queries
import segtui.models.contact_search as contact_search
from segtui.db import open_database
from segtui.domain.contact_import import import_contacts
from segtui.domain.contact_queries import count_contacts, list_contacts
from segtui.domain.contacts import create_contact, delete_contact, update_contact
from segtui.domain.large_sample import load_large_sample
from segtui.models import Contact
from segtui.models.contact_search import (
    PENDING_TABLE,
    SEARCH_TABLE,
    fold_for_search,
    install_search_index,
    rebuild_search_index,
    search_index_ready,
    unindexed_rowids_sql,
    update_search_index,
)
from segtui.models.migrations import MIGRATIONS, SCHEMA_VERSION_TABLE, migrate
from tests.backends import POSTGRES, fresh_database_url
from tests.conftest import TEST_USER
from tests.test_cli import run_segtui

SEARCH_VERSION = 8

# Names that test case folding, LIKE and GLOB wildcards, quotes and trigrams
# that occur apart but not together ("mülx üllx llex lerx" has every trigram of
# "müller").
NAMES = [
    "Müller",
    "MÜLLER GmbH",
    "Mu\u0308ller decomposed",
    "mülx üllx llex lerx",
    "Ærø Rejser",
    "ÆRØ",
    "Straße der Nationen",
    "Strasse",
    "50% off",
    "5000 off",
    "a_b",
    "axb",
    "O'Brien",
    'Say "hi"',
    "a*b?c[d]",
    "abcd",
    "Σίσυφος",
    "ΣΊΣΥΦΟΣ",
    "İstanbul",
    "x",
]

WORDS = [
    "müller",
    "MÜLLER",
    "mü",
    "ü",
    "mülle",
    "lle",
    "ærø",
    "ÆRØ",
    "rø",
    "straße",
    "strasse",
    "ss",
    "%",
    "50%",
    "_",
    "a_b",
    "'",
    "o'brien",
    '"hi"',
    '"',
    "*",
    "a*b",
    "?",
    "[d]",
    "[",
    "σίσυφος",
    "ΣΊΣΥΦΟΣ",
    "istanbul",
    "x",
    "@example",
    "ix0",
    "müller gmbh",
    "mü ærø",
    "nothing-like-this",
]


def add_contacts() -> None:
    """Insert a contact per name, with cities and emails that vary too."""
    rows = []
    for index, name in enumerate(NAMES):
        rows.append(
            {
                "no": f"IX{index:03d}",
                "name": name,
                "city": NAMES[-1 - index],
                "email": f"ix{index}@example.com" if index % 3 else "",
            }
        )
    Contact.insert_many(rows).execute()


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


def found_numbers(text: str) -> list[str]:
    rows = list_contacts(text)
    assert count_contacts(text) == len(rows)
    return [row.no for row in rows]


def scanned_numbers(text: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(contact_queries, "search_index_ready", lambda database: False)
        return found_numbers(text)


def unindexed_count(database: Database) -> int:
    sql = f"SELECT COUNT(*) FROM ({unindexed_rowids_sql()}) AS unindexed"
    return int(database.execute_sql(sql).fetchone()[0])


def indexed_text(database: Database, no: str) -> str | None:
    row = database.execute_sql(
        f"SELECT s.text FROM {SEARCH_TABLE} AS s JOIN contact AS c "
        "ON c.rowid = s.rowid WHERE c.no = ?",
        (no,),
    ).fetchone()
    return None if row is None else row[0]


def assert_index_complete(database: Database) -> None:
    """Every contact is indexed with the text the scan folds, and nothing else is."""
    assert unindexed_count(database) == 0
    contacts = {
        contact.no: fold_for_search(
            " ".join((contact.no, contact.name, contact.city, contact.email))
        )
        for contact in Contact.select()
    }
    indexed = dict(
        database.execute_sql(
            f"SELECT c.no, s.text FROM {SEARCH_TABLE} AS s "
            "JOIN contact AS c ON c.rowid = s.rowid"
        ).fetchall()
    )
    assert indexed == contacts
    total = database.execute_sql(f"SELECT COUNT(*) FROM {SEARCH_TABLE}").fetchone()[0]
    assert total == len(contacts)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("text", WORDS)
def test_indexed_search_matches_scan(
    database: Database, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    add_contacts()
    update_search_index()
    assert search_index_ready(database)
    assert unindexed_count(database) == 0
    expected = expected_numbers(text)
    assert found_numbers(text) == expected
    assert scanned_numbers(text, monkeypatch) == expected
    row_by_row = contact_queries.contact_query(text, row_by_row=True)
    assert [contact.no for contact in row_by_row.objects()] == expected


@pytest.mark.sqlite_only
def test_unindexed_contacts_found_by_scan(database: Database) -> None:
    """Contacts written by another program stay findable before the next update."""
    add_contacts()
    update_search_index()
    database.execute_sql(
        "INSERT INTO contact (no, type, name, first_name, middle_name, surname, "
        "address, address_2, post_code, city, county, country_code, phone, "
        "mobile_phone, email, correspondence_type, job_title, exclude_from_segment, "
        "privacy_blocked, created_by, modified_by, version) VALUES ('NEW1', "
        "'person', 'Neuer Müller', '', '', '', '', '', '', 'Köln', '', '', '', '', "
        "'', '', '', 0, 0, '', '', 1)"
    )
    database.execute_sql("UPDATE contact SET name = 'Renamed' WHERE no = 'IX000'")
    database.execute_sql("DELETE FROM contact WHERE no = 'IX001'")
    assert unindexed_count(database) == 3
    assert found_numbers("müller") == expected_numbers("müller")
    assert "NEW1" in found_numbers("müller")
    assert found_numbers("renamed") == ["IX000"]
    assert found_numbers("köln") == ["NEW1"]

    update_search_index()
    assert_index_complete(database)
    assert found_numbers("müller") == expected_numbers("müller")
    assert found_numbers("renamed") == ["IX000"]


@pytest.mark.sqlite_only
def test_index_follows_contact_edits(world, database: Database) -> None:
    created = create_contact({"name": "Zyprian Quast"}, user=TEST_USER)
    assert indexed_text(database, created.no) == fold_for_search(
        f"{created.no} Zyprian Quast {created.city} {created.email}"
    )
    assert unindexed_count(database) == 0
    assert found_numbers("quast") == [created.no]

    update_contact(created.no, {"name": "Zyprian Ærøsen"}, user=TEST_USER)
    assert unindexed_count(database) == 0
    assert found_numbers("quast") == []
    assert found_numbers("ærøsen") == [created.no]

    # A company's new city reaches its persons through the propagation UPDATE.
    update_contact(world.company, {"city": "Quedlinburg"}, user=TEST_USER)
    assert unindexed_count(database) == 0
    assert found_numbers("quedlinburg") == expected_numbers("quedlinburg")
    assert world.person in found_numbers("quedlinburg")

    delete_contact(created.no, user=TEST_USER)
    assert unindexed_count(database) == 0
    assert found_numbers("zyprian") == []
    assert_index_complete(database)


@pytest.mark.sqlite_only
def test_index_follows_import(world, database: Database) -> None:
    update_search_index()
    data = (
        "no,type,name,city,email\n"
        "IMP1,person,Quirin Überall,Husum,quirin@example.de\n"
        f"{world.independent},person,Umbenannt Zacharias,Bern,\n"
    ).encode()
    import_contacts(data, user=TEST_USER, update=True)
    assert_index_complete(database)
    assert found_numbers("überall") == ["IMP1"]
    assert found_numbers("zacharias") == [world.independent]


@pytest.mark.sqlite_only
def test_index_follows_large_sample(database: Database) -> None:
    load_large_sample(TEST_USER, 40)
    assert Contact.select().count() == 40
    assert_index_complete(database)
    name = Contact.get(Contact.no == "CT0000007").name
    assert found_numbers(name) == expected_numbers(name)


@pytest.mark.sqlite_only
def test_query_plan_uses_trigram_index(database: Database) -> None:
    add_contacts()
    update_search_index()
    query = contact_queries.contact_query("müller")
    sql, params = query.sql()
    plan = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    details = [row[-1] for row in plan]
    # FTS5 reports the GLOB constraint it uses as "G" in the index string.
    assert any(
        detail.startswith(f"SCAN {SEARCH_TABLE} VIRTUAL TABLE INDEX 0:G")
        for detail in details
    ), details
    assert not any(detail == "SCAN t1" for detail in details), details


@pytest.mark.sqlite_only
def test_dense_page_walks_sorted_contacts(database: Database) -> None:
    """A page of a word most contacts contain tests rows in sort order."""
    add_contacts()
    update_search_index()
    total = count_contacts("ix")
    assert total == len(NAMES)
    assert contact_queries._walk_is_shorter("ix", 0, 5, total)
    assert not contact_queries._walk_is_shorter("ix", 0, 5, 2)
    page = list_contacts("ix", offset=3, limit=5, total=total)
    assert [row.no for row in page] == expected_numbers("ix")[3:8]
    sql, params = contact_queries.contact_query("ix", row_by_row=True).sql()
    plan = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    details = [row[-1] for row in plan]
    assert any(detail.startswith("SCAN t1 USING") for detail in details), details
    assert any(
        detail == f"SCAN {SEARCH_TABLE} VIRTUAL TABLE INDEX 0:=" for detail in details
    ), details


@pytest.mark.sqlite_only
def test_old_sqlite_scans_and_writes_work(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the trigram tokenizer the search scans, and writes to contacts work."""
    add_contacts()
    update_search_index()
    monkeypatch.setattr(contact_search, "trigram_supported", lambda database: False)
    assert not search_index_ready(database)
    update_contact("IX000", {"name": "Zebedäus"}, user=TEST_USER)
    created = create_contact({"name": "Yoshi Zebedäus"}, user=TEST_USER)
    delete_contact("IX002", user=TEST_USER)
    assert found_numbers("zebedäus") == [created.no, "IX000"]
    assert found_numbers("müller") == expected_numbers("müller")

    monkeypatch.undo()
    update_search_index()
    assert_index_complete(database)
    assert found_numbers("zebedäus") == [created.no, "IX000"]


@pytest.mark.sqlite_only
def test_old_sqlite_migrates_without_index(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema upgrade on SQLite before 3.34 leaves the index out, and 3.34 adds it."""
    database.execute_sql(f"DROP TABLE {SEARCH_TABLE}")
    monkeypatch.setattr(contact_search, "trigram_supported", lambda database: False)
    install_search_index(database)
    add_contacts()
    update_search_index()
    assert not database.table_exists(SEARCH_TABLE)
    assert found_numbers("ærø") == expected_numbers("ærø")

    monkeypatch.undo()
    update_search_index()
    assert database.table_exists(SEARCH_TABLE)
    assert_index_complete(database)


@pytest.mark.sqlite_only
def test_rebuild_restores_lost_rows(database: Database) -> None:
    add_contacts()
    update_search_index()
    database.execute_sql(f"DELETE FROM {SEARCH_TABLE} WHERE rowid % 2 = 0")
    assert found_numbers("ix") != expected_numbers("ix")
    rebuild_search_index()
    assert_index_complete(database)
    assert found_numbers("ix") == expected_numbers("ix")


def roll_back_to_before_search_index(database: Database) -> None:
    """Undo migration 8 by hand, as if the database were made by the version before."""
    if POSTGRES:
        database.execute_sql(
            f"ALTER TABLE contact DROP COLUMN {contact_search.SEARCH_TEXT_COLUMN}"
        )
    else:
        for name in ("update", "delete"):
            database.execute_sql(f"DROP TRIGGER {SEARCH_TABLE}_{name}")
        database.execute_sql(f"DROP TABLE {SEARCH_TABLE}")
        database.execute_sql(f"DROP TABLE {PENDING_TABLE}")
    database.execute_sql(
        f"DELETE FROM {SCHEMA_VERSION_TABLE} WHERE version >= {SEARCH_VERSION}"
    )


def trigram_indexes(database: Database) -> list[str]:
    return sorted(
        index.name
        for index in database.get_indexes("contact")
        if index.name.endswith("_trigram")
    )


def test_migration_indexes_existing_contacts(database: Database) -> None:
    assert SEARCH_VERSION in [migration.version for migration in MIGRATIONS]
    roll_back_to_before_search_index(database)
    add_contacts()
    assert migrate(database)[0] == SEARCH_VERSION
    if POSTGRES:
        assert trigram_indexes(database) == [contact_search.SEARCH_TEXT_INDEX]
    else:
        assert_index_complete(database)
    assert found_numbers("brien") == expected_numbers("brien")


@pytest.mark.skipif(not POSTGRES, reason="tests the PostgreSQL extension pg_trgm")
def test_postgresql_without_extension_migrates(
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A server that rejects CREATE EXTENSION leaves the search scanning."""
    roll_back_to_before_search_index(database)
    add_contacts()
    monkeypatch.setattr(
        contact_search, "PG_TRIGRAM_EXTENSION", "segtui_missing_extension"
    )
    try:
        with caplog.at_level(logging.WARNING, logger="segtui.models.contact_search"):
            assert migrate(database)[0] == SEARCH_VERSION
        assert "segtui_missing_extension" in caplog.text
        assert trigram_indexes(database) == []
        assert found_numbers("ix00") == [f"IX00{index}" for index in range(10)]
    finally:
        # The worker's database outlives the test, so later tests get the indexes.
        monkeypatch.undo()
        install_search_index(database)
    assert trigram_indexes(database) == [contact_search.SEARCH_TEXT_INDEX]


@pytest.mark.skipif(not POSTGRES, reason="tests the PostgreSQL trigram indexes")
def test_postgresql_index_matches_scan(database: Database) -> None:
    """The words give the same rows with the GIN indexes forced on and off."""
    add_contacts()
    for text in WORDS:
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            condition = contact_queries.search_condition(text)
            sql, params = Contact.select(Contact.no).where(condition).sql()
            plan = " ".join(
                row[0] for row in database.execute_sql("EXPLAIN " + sql, params)
            )
            indexed = found_numbers(text)
        with database.atomic():
            database.execute_sql("SET LOCAL enable_bitmapscan = off")
            database.execute_sql("SET LOCAL enable_indexscan = off")
            scanned = found_numbers(text)
        assert indexed == scanned, text
        if (
            len(fold_for_search(text) or "") >= 3
            and "%" not in text
            and "_" not in text
        ):
            assert "_trigram" in plan, (text, plan)


@pytest.mark.sqlite_only
def test_copied_database_is_indexed(database: Database, tmp_path) -> None:
    from segtui.db import open_database
    from segtui.domain.transfer import copy_database
    from tests.concurrent_worker import separate_database_url, url_of

    load_large_sample(TEST_USER, 30)
    with separate_database_url(tmp_path) as target_url:
        copy_database(url_of(database), target_url)
        target = open_database(target_url, create=False)
        try:
            assert Contact.select().count() == 30
            assert_index_complete(target)
        finally:
            target.close()


def test_reindex_command_repairs_index(tmp_path) -> None:
    """`segtui db reindex` builds the index again.

    On SQLite it repairs stale text, which a VACUUM that renumbers rowids leaves.
    On PostgreSQL it creates the trigram indexes again after they were dropped.
    """
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    add_contacts()
    update_search_index(database)
    if POSTGRES:
        for name in trigram_indexes(database):
            database.execute_sql(f'DROP INDEX "{name}"')
        assert trigram_indexes(database) == []
    else:
        database.execute_sql(f"UPDATE {SEARCH_TABLE} SET text = 'stale'")
        assert found_numbers("brien") == []

    result = run_segtui(url, "db", "reindex")

    assert f"Search index built for {len(NAMES)} contacts." in result.stderr
    if POSTGRES:
        assert trigram_indexes(database) == [contact_search.SEARCH_TEXT_INDEX]
    else:
        assert_index_complete(database)
    assert found_numbers("brien") == expected_numbers("brien")
    database.close()
