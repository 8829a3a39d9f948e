"""Schema version 6: numbers of entries, logged segments and attachments never return.

Users cite entry numbers in letters and audits, and Business Central never hands one
out twice. SQLite gives a new row the highest key plus one unless the key is declared
AUTOINCREMENT, so deleting the newest canceled logged segment let the next log take
its numbers again. Attachment ids are also kept in the segment history, outside
any foreign key, so a reused id could restore a line with another letter.

Frozen like every released migration: it expects the tables of schema version 5.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

from segtui.i18n import _, format_count, ngettext

# Each table whose key must never be handed out again, with its key column.
NEVER_REUSED_KEYS = {
    "attachment": "id",
    "logged_segment": "entry_no",
    "interaction_log_entry": "entry_no",
}

# The tables rebuilt on SQLite, parents before children: those above and every table
# with a foreign key to one of them. Renaming a table rewrites the foreign keys that
# refer to it, so a child is rebuilt too, to refer to the new table again.
REBUILT_TABLES = (
    "attachment",
    "logged_segment",
    "interaction_template_language",
    "segment_line",
    "interaction_log_entry",
)

OLD_TABLE_SUFFIX = "_before_v6"


def apply(database: Database) -> None:
    if isinstance(database, SqliteDatabase):
        rebuild_with_autoincrement(database)
    else:
        move_sequences_past_max(database)


def rebuild_with_autoincrement(database: Database) -> None:
    """Rebuild the tables with AUTOINCREMENT keys inside the migration's transaction.

    SQLite ignores PRAGMA foreign_keys inside a transaction, so foreign keys stay
    enforced throughout, and dropping a parent table would delete or reject its
    children's rows. So every old table is renamed first, the new tables are filled
    parents first, and the old ones are dropped children first, when no row refers
    to them. Copying the rows with their keys sets each table's AUTOINCREMENT
    counter to its highest key, the highest number known to have been used.
    """
    _reject_other_referencing_tables(database)
    table_sql = {}
    index_sql = []
    row_counts = {}
    for table in REBUILT_TABLES:
        table_sql[table] = _new_table_sql(table, _schema_sql(database, table))
        index_sql.extend(_schema_sql(database, table, kind="index"))
        row_counts[table] = _row_count(database, table)

    for table in REBUILT_TABLES:
        database.execute_sql(
            f'ALTER TABLE "{table}" RENAME TO "{table}{OLD_TABLE_SUFFIX}"'
        )
    for table in REBUILT_TABLES:
        database.execute_sql(table_sql[table])
        columns = ", ".join(
            f'"{row[1]}"'
            for row in database.execute_sql(f'PRAGMA table_info("{table}")')
        )
        database.execute_sql(
            f'INSERT INTO "{table}" ({columns}) '
            f'SELECT {columns} FROM "{table}{OLD_TABLE_SUFFIX}"'
        )
    for table in reversed(REBUILT_TABLES):
        database.execute_sql(f'DROP TABLE "{table}{OLD_TABLE_SUFFIX}"')
    for sql in index_sql:
        database.execute_sql(sql)

    _check_rebuilt_tables(database, row_counts)


def _schema_sql(database: Database, table: str, kind: str = "table") -> list[str]:
    """Return the CREATE statements of a table, or of its explicit indexes."""
    cursor = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = ? AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (kind, table),
    )
    return [row[0] for row in cursor]


def _new_table_sql(table: str, statements: list[str]) -> str:
    """Return the CREATE TABLE statement of the rebuilt table, AUTOINCREMENT added."""
    from segtui.models.migrations import SchemaError

    if len(statements) != 1:
        raise SchemaError(
            _(
                "Table {table} is missing, so the database cannot be upgraded to "
                "schema version 6, and nothing was changed; undo the changes made to "
                "it outside segtui, then run `segtui db migrate` again."
            ).format(table=table)
        )
    statement = statements[0]
    key = NEVER_REUSED_KEYS.get(table)
    if key is None:
        return statement
    definition = f'"{key}" INTEGER NOT NULL PRIMARY KEY'
    if statement.count(definition) != 1:
        raise SchemaError(
            _(
                "Table {table} has no key column defined as {definition}, so the "
                "database cannot be upgraded to schema version 6, and nothing was "
                "changed; undo the changes made to it outside segtui, then run "
                "`segtui db migrate` again."
            ).format(table=table, definition=definition)
        )
    return statement.replace(definition, definition + " AUTOINCREMENT")


def _row_count(database: Database, table: str) -> int:
    return int(database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def _reject_other_referencing_tables(database: Database) -> None:
    """Raise SchemaError when a table that is not rebuilt refers to a rebuilt one.

    Renaming the rebuilt table would leave that table referring to the old one.
    """
    from segtui.models.migrations import SchemaError

    tables = [
        row[0]
        for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite%'"
        )
    ]
    for table in tables:
        if table in REBUILT_TABLES:
            continue
        for key in database.execute_sql(f'PRAGMA foreign_key_list("{table}")'):
            if key[2] in REBUILT_TABLES:
                raise SchemaError(
                    _(
                        "Table {table} refers to table {parent}, which schema version "
                        "6 rebuilds, so the database cannot be upgraded, and nothing "
                        "was changed; undo the changes made to it outside segtui, "
                        "then run `segtui db migrate` again."
                    ).format(table=table, parent=key[2])
                )


def _check_rebuilt_tables(database: Database, row_counts: dict[str, int]) -> None:
    """Raise SchemaError, which rolls the migration back, if a row or link was lost."""
    from segtui.models.migrations import SchemaError

    for table, expected in row_counts.items():
        found = _row_count(database, table)
        if found != expected:
            raise SchemaError(
                _(
                    "Rebuilding table {table} failed: it had {expected} rows and then "
                    "{found}, so nothing was changed; report this as a bug in segtui."
                ).format(table=table, expected=expected, found=found)
            )
        broken = database.execute_sql(f'PRAGMA foreign_key_check("{table}")').fetchall()
        if broken:
            raise SchemaError(
                ngettext(
                    "Rebuilding table {table} failed: {count} row refers to a row "
                    "that does not exist, so nothing was changed; report this as a "
                    "bug in segtui.",
                    "Rebuilding table {table} failed: {count} rows refer to rows that "
                    "do not exist, so nothing was changed; report this as a bug in "
                    "segtui.",
                    len(broken),
                ).format(table=table, count=format_count(len(broken)))
            )


def move_sequences_past_max(database: Database) -> None:
    """Move each key's sequence past the highest key in its table.

    A PostgreSQL serial sequence only goes back when reset by hand (setval, or
    TRUNCATE ... RESTART IDENTITY). So a number can come back only when rows were
    written with explicit keys above the sequence, and this moves it past them.
    """
    for table, key in NEVER_REUSED_KEYS.items():
        sequence = database.execute_sql(
            "SELECT pg_get_serial_sequence(%s, %s)", (f'"{table}"', key)
        ).fetchone()[0]
        last_value, is_called = database.execute_sql(
            f"SELECT last_value, is_called FROM {sequence}"
        ).fetchone()
        last_used = last_value if is_called else last_value - 1
        highest = database.execute_sql(
            f'SELECT MAX("{key}") FROM "{table}"'
        ).fetchone()[0]
        if highest is not None and highest > last_used:
            database.execute_sql("SELECT setval(%s, %s)", (sequence, highest))
