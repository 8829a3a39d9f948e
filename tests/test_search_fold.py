"""The contact search ignores case, accents and umlauts, and reads ß as ss.

A word typed without accents finds the accented text and the other way round, on
SQLite and PostgreSQL alike, through the trigram index and without it.
"""

from __future__ import annotations

import pytest
from peewee import Database

import segtui.domain.contact_queries as contact_queries
from segtui.db import is_sqlite
from segtui.domain.contact_queries import count_contacts, list_contacts
from segtui.domain.contacts import create_contact, update_contact
from segtui.models import Contact
from segtui.models.contact_search import (
    SEARCH_TABLE,
    SEARCH_TEXT_COLUMN,
    SEARCH_TEXT_INDEX,
    SEARCHED_COLUMNS,
    update_search_index,
)
from segtui.models.contacts import FIRST_LETTER_FOLDS
from segtui.models.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    SCHEMA_VERSION_TABLE,
    current_version,
    migrate,
)
from tests.backends import POSTGRES
from tests.conftest import TEST_USER

# The schema version whose index folds accents.
FOLD_VERSION = 11
# The schema version that stores the folded text on PostgreSQL.
STORED_TEXT_VERSION = 12

CONTACTS = {
    "FD01": ("Jähn", "Köln"),
    "FD02": ("Müller GmbH", "Düsseldorf"),
    "FD03": ("Straße & Co", ""),
    "FD04": ("Strasse AG", ""),
    "FD05": ("jähn kg", ""),
    "FD06": ("Ærø Łódź Café Dvořák", ""),
    "FD07": ("Jahn", ""),
    "FD08": ("Muller", ""),
    "FD09": ("Jakob Hahn", "Graz"),
}

JAHN = ["FD01", "FD05", "FD07"]
MULLER = ["FD02", "FD08"]
STRASSE = ["FD03", "FD04"]

# Words and the contacts whose number, name or city contains them.
WORD_MATCHES = [
    ("jahn", JAHN),
    ("JAHN", JAHN),
    ("jähn", JAHN),
    ("Jähn", JAHN),
    ("JÄHN", JAHN),
    ("muller", MULLER),
    ("Müller", MULLER),
    ("MÜLLER", MULLER),
    ("mü", MULLER),
    ("strasse", STRASSE),
    ("straße", STRASSE),
    ("STRASSE", STRASSE),
    ("koln", ["FD01"]),
    ("dusseldorf", ["FD02"]),
    ("aero", ["FD06"]),
    ("lodz", ["FD06"]),
    ("cafe", ["FD06"]),
    ("dvorak", ["FD06"]),
    ("jahn koln", ["FD01"]),
]


def add_contacts() -> None:
    rows = [
        {"no": no, "name": name, "city": city} for no, (name, city) in CONTACTS.items()
    ]
    Contact.insert_many(rows).execute()
    update_search_index()


def found_numbers(text: str) -> list[str]:
    rows = list_contacts(text)
    assert count_contacts(text) == len(rows)
    return [row.no for row in rows]


def scanned_numbers(
    database: Database, text: str, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Search with every index left out: the SQLite scan, or no index on PostgreSQL."""
    if is_sqlite(database):
        with monkeypatch.context() as patch:
            patch.setattr(contact_queries, "search_index_ready", lambda database: False)
            return found_numbers(text)
    with database.atomic():
        database.execute_sql("SET LOCAL enable_bitmapscan = off")
        database.execute_sql("SET LOCAL enable_indexscan = off")
        return found_numbers(text)


@pytest.mark.parametrize(("word", "expected"), WORD_MATCHES)
def test_search_folds_word(database: Database, word: str, expected: list[str]) -> None:
    add_contacts()
    assert found_numbers(word) == expected


@pytest.mark.parametrize(("word", "expected"), WORD_MATCHES)
def test_scan_folds_word(
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    word: str,
    expected: list[str],
) -> None:
    add_contacts()
    assert scanned_numbers(database, word, monkeypatch) == expected


@pytest.mark.sqlite_only
def test_unindexed_contacts_found_folded(database: Database) -> None:
    """Contacts written without an index update are scanned with the same fold."""
    add_contacts()
    database.execute_sql(
        "INSERT INTO contact (no, type, name, first_name, middle_name, surname, "
        "address, address_2, post_code, city, county, country_code, phone, "
        "mobile_phone, email, correspondence_type, job_title, exclude_from_segment, "
        "privacy_blocked, created_by, modified_by, version) VALUES ('NEW1', "
        "'person', 'Jähnke', '', '', '', '', '', '', 'Lübeck', '', '', '', '', "
        "'', '', '', 0, 0, '', '', 1)"
    )
    database.execute_sql("UPDATE contact SET name = 'Gößling' WHERE no = 'FD08'")
    assert found_numbers("jahn") == [*JAHN, "NEW1"]
    assert found_numbers("lubeck") == ["NEW1"]
    assert found_numbers("gossling") == ["FD08"]
    assert found_numbers("muller") == ["FD02"]


def test_fold_agrees_with_sort_table() -> None:
    """Every letter the sort reads as base letters, the search reads the same way."""
    from segtui.models.contact_search import fold_for_search

    for letter, base in FIRST_LETTER_FOLDS.items():
        assert fold_for_search(letter) == base, letter
        assert fold_for_search(f"x{letter}x") == f"x{base}x", letter


@pytest.mark.skipif(not POSTGRES, reason="tests the PostgreSQL fold expression")
def test_postgresql_fold_matches_python(database: Database) -> None:
    """The SQL fold and the Python fold of the query words give the same letters."""
    from segtui.models.contact_search import fold_letters, fold_letters_sql

    texts = [*FIRST_LETTER_FOLDS, "ǅ", "ﬁ", "Ǻ", "Ṝ", "ǖ", "Σίσυφος", "Jähn Straße"]
    sql = f"SELECT {fold_letters_sql('t')} FROM (SELECT %s::text AS t) AS given"
    for text in texts:
        (folded,) = database.execute_sql(sql, (text,)).fetchone()
        assert folded == fold_letters(text), text


def roll_back_to_version_10(database: Database) -> None:
    """Give the database the search index of version 10, which folds case only."""
    if POSTGRES:
        database.execute_sql(
            f"ALTER TABLE contact DROP COLUMN IF EXISTS {SEARCH_TEXT_COLUMN}"
        )
        for column in SEARCHED_COLUMNS:
            database.execute_sql(f"DROP INDEX IF EXISTS contact_{column}_trigram")
            database.execute_sql(
                f"CREATE INDEX contact_{column}_trigram "
                f'ON contact USING gin ("{column}" gin_trgm_ops)'
            )
    else:
        # segtui_fold, the fold of case-insensitive filters, is the fold that
        # version 10 indexed with.
        joined = " || ' ' || ".join(f'"{column}"' for column in SEARCHED_COLUMNS)
        database.execute_sql(f"DELETE FROM {SEARCH_TABLE}")
        database.execute_sql(
            f"INSERT INTO {SEARCH_TABLE} (rowid, text) "
            f"SELECT rowid, segtui_fold({joined}) FROM contact"
        )
    database.execute_sql(
        f"DELETE FROM {SCHEMA_VERSION_TABLE} WHERE version >= {FOLD_VERSION}"
    )


def search_text_expression(database: Database) -> str | None:
    """Return the expression of the stored search text, None without the column."""
    row = database.execute_sql(
        "SELECT generation_expression FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'contact' "
        "AND column_name = %s",
        (SEARCH_TEXT_COLUMN,),
    ).fetchone()
    return None if row is None else row[0]


def trigram_index_definitions(database: Database) -> dict[str, str]:
    rows = database.execute_sql(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE tablename = 'contact' AND right(indexname, 8) = '_trigram'"
    ).fetchall()
    return dict(rows)


def test_migration_folds_existing_contacts(database: Database) -> None:
    assert LATEST_VERSION >= FOLD_VERSION
    add_contacts()
    roll_back_to_version_10(database)
    try:
        assert current_version(database) == FOLD_VERSION - 1
        if is_sqlite(database):
            # The index of version 10 does not find the accented names.
            assert found_numbers("jahn") == ["FD07"]
        if POSTGRES:
            assert search_text_expression(database) is None
        assert migrate(database)[0] == FOLD_VERSION
    finally:
        # The worker's PostgreSQL database outlives the test.
        migrate(database)
    assert current_version(database) == LATEST_VERSION
    for word, expected in WORD_MATCHES:
        assert found_numbers(word) == expected, word
    if POSTGRES:
        # The per-column indexes of version 10 give way to the stored text.
        definitions = trigram_index_definitions(database)
        assert sorted(definitions) == [SEARCH_TEXT_INDEX]
        assert SEARCH_TEXT_COLUMN in definitions[SEARCH_TEXT_INDEX]
        expression = search_text_expression(database)
        assert expression is not None
        assert "normalize(" in expression.lower(), expression


def test_migration_runs_again(database: Database) -> None:
    """Applying the migrations to a database that has them changes nothing."""
    versions = (FOLD_VERSION, STORED_TEXT_VERSION)
    migrations = [m for m in MIGRATIONS if m.version in versions]
    assert [m.version for m in migrations] == list(versions)
    add_contacts()
    if POSTGRES:
        before = trigram_index_definitions(database)
        oids = database.execute_sql(
            "SELECT indexrelid FROM pg_index WHERE indrelid = 'contact'::regclass"
        ).fetchall()
        expression = search_text_expression(database)
    with database.atomic():
        for migration in migrations:
            migration.apply(database)
            migration.apply(database)
    for word, expected in WORD_MATCHES:
        assert found_numbers(word) == expected, word
    if POSTGRES:
        # The indexes are kept, not built again.
        assert trigram_index_definitions(database) == before
        assert search_text_expression(database) == expression
        assert (
            database.execute_sql(
                "SELECT indexrelid FROM pg_index WHERE indrelid = 'contact'::regclass"
            ).fetchall()
            == oids
        )
    else:
        total = database.execute_sql(f"SELECT COUNT(*) FROM {SEARCH_TABLE}")
        assert total.fetchone()[0] == len(CONTACTS)


def test_edited_contacts_found_folded(world, database: Database) -> None:
    """Contacts created and changed after the migration are found folded."""
    created = create_contact(
        {"name": "Özdemir Bäckerei", "city": "Fürth"}, user=TEST_USER
    )
    assert found_numbers("ozdemir") == [created.no]
    assert found_numbers("backerei furth") == [created.no]

    update_contact(created.no, {"name": "Großmann Söhne"}, user=TEST_USER)
    assert found_numbers("ozdemir") == []
    assert found_numbers("grossmann sohne") == [created.no]
    assert found_numbers("GROSSMANN") == [created.no]
    assert found_numbers("großmann") == [created.no]


@pytest.mark.skipif(not POSTGRES, reason="tests the PostgreSQL trigram indexes")
def test_postgresql_search_uses_index(database: Database) -> None:
    """At 50,000 contacts the folded search reads the trigram indexes."""
    database.execute_sql(
        "INSERT INTO contact (no, type, name, first_name, middle_name, surname, "
        "address, address_2, post_code, city, county, country_code, phone, "
        "mobile_phone, email, correspondence_type, job_title, exclude_from_segment, "
        "privacy_blocked, created_by, modified_by, version) "
        "SELECT 'PG' || lpad(i::text, 6, '0'), 'person', "
        "CASE WHEN mod(i, 500) = 0 THEN 'Jähn ' ELSE 'Schulz ' END || i, "
        "'', '', '', '', '', '', "
        "CASE WHEN mod(i, 1000) = 0 THEN 'Köln' ELSE 'Berlin' END, "
        "'', '', '', '', 'p' || i || '@example.com', '', '', false, false, '', '', 1 "
        "FROM generate_series(1, 50000) AS i"
    )
    # VACUUM moves the new rows from the GIN index's pending list into the index.
    # The planner counts that list's pages, which may make a scan look cheaper.
    database.execute_sql("VACUUM ANALYZE contact")
    for word in ("jahn", "jähn", "4711", "koln"):
        sql, params = (
            Contact.select(Contact.no)
            .where(contact_queries.search_condition(word))
            .sql()
        )
        plan = " ".join(
            row[0] for row in database.execute_sql("EXPLAIN " + sql, params)
        )
        assert "_trigram" in plan, (word, plan)
    assert count_contacts("jahn 4711") == 0
    assert count_contacts("jähn 49500") == 1
    assert count_contacts("koln") == 50
