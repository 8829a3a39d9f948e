"""The trigram index behind the contact list's substring search.

On SQLite 3.34 or later, the FTS5 table ``contact_search`` stores, under each
contact's rowid, the text the list searches: number, name, city and email joined by
spaces and folded by ``segtui_search_fold``. Its trigram tokenizer lets
``GLOB '*word*'`` find a substring from the index instead of folding every contact
in Python.

The index covers the contacts up to its highest rowid. Triggers on ``contact``
note the rowid of each changed or deleted contact in ``contact_search_pending``,
with plain SQL, so that any connection can write contacts, also one without
segtui's fold function. A search scans the noted contacts and the ones above that
rowid, and ``update_search_index`` indexes both by set-based statements after each
write. New contacts get no trigger, because a trigger of any kind doubled the time
of inserting 100,000 contacts with executemany (SQLite 3.40, Python 3.11). They are
easy to find without one, since SQLite gives a new row a rowid above every existing
one. On an older SQLite the index is left out and the search scans the whole table.

NOTE: the index assumes that rowids of contacts never change. SQLite documents that
VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY. In a test
with 3.40, VACUUM kept them for a table with indexes, as ``contact`` is.
``rebuild_search_index`` rebuilds the index.

On PostgreSQL, the stored generated column ``contact.search_text`` contains the
searched columns joined by line feeds, folded and lowercased, and the server
computes it on every insert and update. One pg_trgm GIN index on it serves the
search's ``LIKE '%word%'``, when the server lets the user create the extension.
The Contact model leaves the column out, so no insert or update names it.

Both databases fold letters the same way: they lose their accents and umlauts, and
ß reads as ss. Case is ignored by ``casefold()`` on SQLite and by ``lower()`` on
PostgreSQL, which differ for a few letters such as the Greek final sigma. A query
folds its words with the same function as the index.

A word without a trigram, such as one of one or two letters, is tested against
every contact. On PostgreSQL such a test reads the stored text, so no row is folded
while searching.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from peewee import (
    OP,
    SQL,
    Database,
    DatabaseError,
    Expression,
    NodeList,
    SqliteDatabase,
    Value,
    fn,
)

from segtui.db import current_database

log = logging.getLogger("segtui.models.contact_search")

SEARCH_TABLE = "contact_search"
PENDING_TABLE = "contact_search_pending"
# The rowids of new contacts that one statement indexes. Indexing the 100,000 new
# contacts of an import in a single statement took 2.8 s on SQLite 3.40, with no
# progress report and no cancel check in between.
NEW_ROWS_INDEXED_AT_ONCE = 10_000

# The contact columns the list searches, in the order they are joined.
SEARCHED_COLUMNS = ("no", "name", "city", "email")

# SQLite 3.34.0 added the trigram tokenizer with its indexed LIKE and GLOB.
TRIGRAM_SQLITE_VERSION = (3, 34, 0)

PG_TRIGRAM_EXTENSION = "pg_trgm"

# The generated column of folded search text on PostgreSQL, and its trigram index.
SEARCH_TEXT_COLUMN = "search_text"
SEARCH_TEXT_INDEX = "contact_search_text_trigram"
# The text of a LIKE pattern between wildcards that pg_trgm takes a trigram from.
# pg_trgm reads runs of letters and digits as words. A word after another
# character gets two leading spaces, and a word before one a trailing space, so
# "ab-" has the trigram "ab " and "-a" has "  a". Without a trigram, LIKE makes
# pg_trgm read the whole index.
PG_TRIGRAM_WORD = re.compile(r"[^\W_]{3}|[^\W_]{2}[\W_]|[\W_][^\W_]")
# The characters that LIKE reads as wildcards or as its escape character.
LIKE_WILDCARD = re.compile(r"[\\%_]")
# The per-column indexes of schema versions 8 to 11, which the column replaces.
COLUMN_TRIGRAM_INDEXES = tuple(
    f"contact_{column}_trigram" for column in SEARCHED_COLUMNS
)


# The SQLite function that folds the search text, registered by segtui.db.
SQLITE_FOLD_FUNCTION = "segtui_search_fold"

# Letters that Unicode's compatibility decomposition (NFKD) leaves whole or turns
# into a letter and a sign, with the letters the search reads them as. The other
# Latin letters with accents fold by that decomposition. Changing this table
# changes the folded text, which then needs a migration that rebuilds the index.
# On PostgreSQL that migration must drop and add the stored search text column,
# because adding it skips a column that exists, whatever its expression.
SPECIAL_LETTER_FOLDS = {
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "ß": "ss",
    "ẞ": "SS",
    "Þ": "TH",
    "þ": "th",
    "Ð": "D",
    "ð": "d",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "ĸ": "k",
    "Ŀ": "L",
    "ŀ": "l",
    "Ł": "L",
    "ł": "l",
    "ŉ": "n",
    "Ŋ": "N",
    "ŋ": "n",
    "Ø": "O",
    "ø": "o",
    "Ŧ": "T",
    "ŧ": "t",
}
_SPECIAL_LETTER_TABLE = str.maketrans(SPECIAL_LETTER_FOLDS)

# The Unicode block Combining Diacritical Marks, which NFKD splits off letters.
COMBINING_MARKS = r"[\u0300-\u036f]"
_COMBINING_MARKS_PATTERN = re.compile(COMBINING_MARKS + "+")


def fold_letters(text: str) -> str:
    """Replace letters with accents or umlauts, and ß, by base letters of the same case.

    ``fold_letters_sql`` computes the same text in PostgreSQL.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTER_TABLE))
    return _COMBINING_MARKS_PATTERN.sub("", text)


def fold_for_search(value: str | None) -> str | None:
    """Fold text for the contact search: case, accents and umlauts ignored, ß as ss.

    SQLite connections get this function as ``segtui_search_fold``.
    """
    if value is None:
        return None
    text = str(value)
    if text.isascii():
        return text.lower()
    return fold_letters(text).casefold()


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fold_letters_sql(column: str) -> str:
    """Return PostgreSQL's SQL of ``fold_letters`` applied to the SQL ``column``.

    Only built-in functions that PostgreSQL declares immutable are used, so a
    generated column can store the expression. Text whose characters are all one
    byte long is ASCII and skips the fold. The letters of SPECIAL_LETTER_FOLDS are
    replaced only in text that contains one, because the replace() calls took
    about 40 percent of the fold's time (PostgreSQL 15, 11,566 generated names
    that are not all ASCII).

    NOTE: normalize() came with PostgreSQL 13, and it raised "Unicode normalization
    can only be performed if server encoding is UTF8" in a LATIN1 database of
    PostgreSQL 15. So the stored search text needs a UTF8 database of version 13
    or later.
    """
    special = _sql_text("[" + "".join(SPECIAL_LETTER_FOLDS) + "]")
    replaced = "replace(" * len(SPECIAL_LETTER_FOLDS) + column
    for letter, base in SPECIAL_LETTER_FOLDS.items():
        replaced += f", {_sql_text(letter)}, {_sql_text(base)})"
    unaccented = (
        f"regexp_replace(normalize(CASE WHEN {column} ~ {special} THEN {replaced} "
        f"ELSE {column} END, NFKD), {_sql_text(COMBINING_MARKS)}, '', 'g')"
    )
    return (
        f"CASE WHEN octet_length({column}) = length({column}) THEN {column} "
        f"ELSE {unaccented} END"
    )


def stored_search_text_sql() -> str:
    """Return PostgreSQL's SQL of the folded and lowercased search text of a contact.

    The columns are joined by line feeds, which no search word contains, so a
    word matches within one column only. The fold keeps a line feed and never
    moves an accent across it, so folding the joined text equals joining the
    folded columns.
    """
    joined = " || E'\\n' || ".join(f'"{column}"' for column in SEARCHED_COLUMNS)
    return f"lower({fold_letters_sql(f'({joined})')})"


def search_text_contains(column: Any, word: str) -> Expression:
    """Match PostgreSQL's stored search text ``column`` that contains the word.

    The word is folded like the stored text and lowercased by the server's
    lower(), which also lowercased the stored text. That is the case folding
    of ILIKE in a UTF8 database, but ILIKE lowercases every row's text while
    searching: a scan of 100,000 generated contacts took a quarter of the time
    with LIKE (PostgreSQL 15, 2 shared cores).

    A word without a trigram, see PG_TRIGRAM_WORD, is tested with strpos(),
    which the trigram index does not serve. psycopg prepares a statement run
    five times, and the server's generic plan for LIKE then read the whole index
    for such a word: 180 ms against 35 to 50 ms for a scan of 100,000 contacts.
    """
    folded = fold_letters(word)
    if PG_TRIGRAM_WORD.search(folded) is None:
        # A subquery lowercases the word once per query, not once per row.
        lowered = NodeList((SQL("(SELECT lower("), folded, SQL("))")), glue="")
        return Expression(fn.strpos(column, lowered), OP.GT, SQL("0"))
    escaped = LIKE_WILDCARD.sub(r"\\\g<0>", folded)
    pattern = NodeList(
        (fn.lower(f"%{escaped}%"), SQL("ESCAPE"), Value("\\", converter=False))
    )
    return Expression(column, OP.LIKE, pattern)


def searched_text_sql(table: str = "contact") -> str:
    """Return the SQL of a contact's folded search text, as the list's scan builds it."""
    joined = " || ' ' || ".join(f'{table}."{column}"' for column in SEARCHED_COLUMNS)
    return f"{SQLITE_FOLD_FUNCTION}({joined})"


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


def update_search_index(
    database: Database | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Index the contacts written since the last update, by set-based statements.

    Call it in the transaction of each write to contacts. ``database`` defaults
    to the open one. It creates the index when the SQLite library supports it and
    the database still lacks it, and does nothing on PostgreSQL, whose indexes
    follow every write.

    New contacts are indexed in ranges of NEW_ROWS_INDEXED_AT_ONCE rowids, and
    ``progress(rowids done, rowids in all)`` is called after each range, so a
    caller can move its progress bar and raise to cancel between two of them.
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
        cursor = database.execute_sql("SELECT MAX(rowid) FROM contact")
        top = cursor.fetchone()[0] or last
        for start in range(last, top, NEW_ROWS_INDEXED_AT_ONCE):
            end = min(start + NEW_ROWS_INDEXED_AT_ONCE, top)
            database.execute_sql(
                f"INSERT INTO {SEARCH_TABLE} (rowid, text) "
                f"SELECT rowid, {searched_text_sql()} FROM contact "
                f"WHERE rowid > {start} AND rowid <= {end}"
            )
            if progress is not None:
                progress(end - last, top - last)


def reindex(database: Database) -> bool:
    """Build the search index again from every contact; tell whether it is in use.

    On SQLite the table is built anew, which repairs it after a VACUUM that gave
    contacts new rowids. On PostgreSQL the stored search text, the extension and
    the index are created if missing, for a server that gained pg_trgm after the
    schema upgrade.
    """
    if isinstance(database, SqliteDatabase):
        _install_sqlite(database)
        rebuild_search_index(database)
        return search_index_ready(database)
    _install_postgresql(database)
    indexes = {index.name for index in database.get_indexes("contact")}
    return SEARCH_TEXT_INDEX in indexes


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
    """Add the stored search text with its trigram index, and drop the older indexes.

    Each step skips what exists already. The column needs no extension, so a
    server without pg_trgm still searches the stored text, by a scan.
    Adding the column rewrites the contact table. For 100,000 generated contacts
    that took 3.5 to 4.7 s and the index 1.7 to 2.3 s (PostgreSQL 15, 2 shared
    cores).
    """
    database.execute_sql(
        f'ALTER TABLE contact ADD COLUMN IF NOT EXISTS "{SEARCH_TEXT_COLUMN}" text '
        f"GENERATED ALWAYS AS ({stored_search_text_sql()}) STORED"
    )
    for name in COLUMN_TRIGRAM_INDEXES:
        database.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
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
    database.execute_sql(
        f'CREATE INDEX IF NOT EXISTS "{SEARCH_TEXT_INDEX}" '
        f'ON contact USING gin ("{SEARCH_TEXT_COLUMN}" gin_trgm_ops)'
    )
