"""The trigram index behind the contact list's substring search.

On SQLite 3.34 or later, the FTS5 table ``contact_search`` stores, under each
contact's rowid, the text the list searches: number, name, city and email joined by
spaces and folded by ``segtui_fold``. Its trigram tokenizer lets ``GLOB '*word*'``
find a substring from the index instead of folding every contact in Python.

The index covers the contacts up to its highest rowid. Triggers on ``contact``
note the rowid of each changed or deleted contact in ``contact_search_pending``,
with plain SQL, so that any connection can write contacts, also one without
segtui's fold function. A search scans the noted contacts and the ones above that
rowid, and ``update_search_index`` indexes both in one set-based pass after each
write. New contacts get no trigger, because a trigger of any kind doubled the time
of inserting 100,000 contacts with executemany (SQLite 3.40, Python 3.11). They are
easy to find without one, since SQLite gives a new row a rowid above every existing
one. On an older SQLite the index is left out and the search scans the whole table.

NOTE: the index assumes that rowids of contacts never change. SQLite documents that
VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY. In a test
with 3.40, VACUUM kept them for a table with indexes, as ``contact`` is.
``rebuild_search_index`` rebuilds the index.

On PostgreSQL, pg_trgm GIN indexes on the searched columns serve the search's
``ILIKE '%word%'``, when the server lets the user create the extension.
"""

from __future__ import annotations

import logging

from peewee import Database, DatabaseError, SqliteDatabase

from segtui.db import current_database

log = logging.getLogger("segtui.models.contact_search")

SEARCH_TABLE = "contact_search"
PENDING_TABLE = "contact_search_pending"

# The contact columns the list searches, in the order they are joined.
SEARCHED_COLUMNS = ("no", "name", "city", "email")

# SQLite 3.34.0 added the trigram tokenizer with its indexed LIKE and GLOB.
TRIGRAM_SQLITE_VERSION = (3, 34, 0)

PG_TRIGRAM_EXTENSION = "pg_trgm"


def searched_text_sql(table: str = "contact") -> str:
    """Return the SQL of a contact's folded search text, as the list's scan builds it."""
    joined = " || ' ' || ".join(f'{table}."{column}"' for column in SEARCHED_COLUMNS)
    return f"segtui_fold({joined})"


def trigram_supported(database: Database) -> bool:
    """Tell whether this SQLite library has FTS5 with the trigram tokenizer."""
    row = database.execute_sql(
        "SELECT sqlite_version(), sqlite_compileoption_used('ENABLE_FTS5')"
    ).fetchone()
    version = tuple(int(part) for part in row[0].split(".")[:3])
    return version >= TRIGRAM_SQLITE_VERSION and bool(row[1])


def search_index_ready(database: Database) -> bool:
    """Tell whether a SQLite database has the trigram index and can read it now.

    A database indexed by a newer SQLite and opened with an older one has the
    table, but its tokenizer is missing, so the search scans instead.
    """
    if not isinstance(database, SqliteDatabase):
        return False
    if not database.table_exists(SEARCH_TABLE):
        return False
    return trigram_supported(database)


def install_search_index(database: Database) -> None:
    """Create the search index with its triggers and index the existing contacts.

    On PostgreSQL a server that does not let the user create pg_trgm leaves the
    search without an index, and the schema upgrade goes on.
    """
    if isinstance(database, SqliteDatabase):
        _install_sqlite(database)
    else:
        _install_postgresql(database)


def _install_sqlite(database: Database) -> None:
    # The table has no key, so no insert in a trigger can conflict. A conflict
    # there takes the ON CONFLICT action of the statement that fired the trigger,
    # which made the import's upsert fail. Repeated rowids do no harm.
    database.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (contact_rowid INTEGER NOT NULL)"
    )
    note = f"INSERT INTO {PENDING_TABLE} (contact_rowid)"
    columns = ", ".join(f'"{column}"' for column in SEARCHED_COLUMNS)
    triggers = {
        "update": (
            f"AFTER UPDATE OF {columns} ON contact",
            f"{note} VALUES (new.rowid); "
            f"{note} SELECT old.rowid WHERE old.rowid <> new.rowid;",
        ),
        "delete": ("AFTER DELETE ON contact", f"{note} VALUES (old.rowid);"),
    }
    for name, (event, action) in triggers.items():
        database.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_{name} {event} "
            f"BEGIN {action} END"
        )
    update_search_index(database)


def _create_sqlite_table(database: Database) -> None:
    """Create the FTS5 table and fill it from every contact.

    The text is folded already, so the tokenizer keeps case. With detail=none
    the index stores no token positions, which made it a third of the size and
    three times faster to build in a test of 200,000 contacts, and FTS5 then
    checks each GLOB against the stored text. Nothing reads the column sizes
    that columnsize=0 leaves out.
    """
    database.execute_sql(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(text, "
        "tokenize='trigram case_sensitive 1', detail=none, columnsize=0)"
    )
    database.execute_sql(
        f"INSERT INTO {SEARCH_TABLE} (rowid, text) "
        f"SELECT rowid, {searched_text_sql()} FROM contact"
    )
    database.execute_sql(f"DELETE FROM {PENDING_TABLE}")


def indexed_up_to_sql() -> str:
    """Return SQL for the highest rowid in the index, 0 for an empty index."""
    return (
        f"COALESCE((SELECT rowid FROM {SEARCH_TABLE} ORDER BY rowid DESC LIMIT 1), 0)"
    )


def unindexed_rowids_sql() -> str:
    """Return SQL that selects the rowids of the contacts the index may not match.

    Those are the changed or deleted contacts noted since the last update, and
    the contacts inserted since then.
    """
    return (
        f"SELECT contact_rowid FROM {PENDING_TABLE} UNION ALL "
        f"SELECT rowid FROM contact WHERE rowid > {indexed_up_to_sql()}"
    )


def update_search_index(database: Database | None = None) -> None:
    """Index the contacts written since the last update, in one set-based pass.

    Call it in the transaction of each write to contacts. ``database`` defaults
    to the open one. It creates the index when the SQLite library supports it and
    the database still lacks it, and does nothing on PostgreSQL, whose indexes
    follow every write.
    """
    if database is None:
        database = current_database()
    if not isinstance(database, SqliteDatabase):
        return
    if not database.table_exists(PENDING_TABLE) or not trigram_supported(database):
        return
    with database.atomic():
        if not database.table_exists(SEARCH_TABLE):
            _create_sqlite_table(database)
            return
        # Read before any insert moves it: the rows above it are new.
        indexed_up_to = database.execute_sql(f"SELECT {indexed_up_to_sql()}")
        last = int(indexed_up_to.fetchone()[0])
        noted = f"SELECT contact_rowid FROM {PENDING_TABLE}"
        if database.execute_sql(f"{noted} LIMIT 1").fetchone() is not None:
            database.execute_sql(f"DELETE FROM {SEARCH_TABLE} WHERE rowid IN ({noted})")
            database.execute_sql(
                f"INSERT INTO {SEARCH_TABLE} (rowid, text) "
                f"SELECT rowid, {searched_text_sql()} FROM contact "
                f"WHERE rowid IN ({noted}) AND rowid <= {last}"
            )
            database.execute_sql(f"DELETE FROM {PENDING_TABLE}")
        database.execute_sql(
            f"INSERT INTO {SEARCH_TABLE} (rowid, text) "
            f"SELECT rowid, {searched_text_sql()} FROM contact WHERE rowid > {last}"
        )


def reindex(database: Database) -> bool:
    """Build the search index again from every contact; tell whether it is in use.

    On SQLite the table is built anew, which repairs it after a VACUUM that gave
    contacts new rowids. On PostgreSQL the extension and indexes are created if
    missing, for a server that gained pg_trgm after the schema upgrade.
    """
    if isinstance(database, SqliteDatabase):
        _install_sqlite(database)
        rebuild_search_index(database)
        return search_index_ready(database)
    _install_postgresql(database)
    indexes = {index.name for index in database.get_indexes("contact")}
    return all(f"contact_{column}_trigram" in indexes for column in SEARCHED_COLUMNS)


def rebuild_search_index(database: Database | None = None) -> None:
    """Drop the SQLite index and build it again from every contact."""
    if database is None:
        database = current_database()
    if not isinstance(database, SqliteDatabase):
        return
    with database.atomic():
        database.execute_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        update_search_index(database)


def _install_postgresql(database: Database) -> None:
    try:
        with database.atomic():
            database.execute_sql(
                f"CREATE EXTENSION IF NOT EXISTS {PG_TRIGRAM_EXTENSION}"
            )
    except DatabaseError as error:
        log.warning(
            "could not create the PostgreSQL extension %s, so the contact search "
            "scans the table: %s",
            PG_TRIGRAM_EXTENSION,
            error,
        )
        return
    for column in SEARCHED_COLUMNS:
        database.execute_sql(
            f"CREATE INDEX IF NOT EXISTS contact_{column}_trigram "
            f'ON contact USING gin ("{column}" gin_trgm_ops)'
        )
