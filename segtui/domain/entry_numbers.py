"""The counters behind entry numbers: reading the highest number used, and raising it.

Logged segments, interaction log entries and attachments never get a number that an
earlier row had. Their keys draw from a counter that only rises: SQLite's
AUTOINCREMENT counter in ``sqlite_sequence``, or a PostgreSQL sequence. A copy of
the rows into another database keeps each row's number, but the new counter starts
from the highest number copied. A number deleted from the top of a table would then
be handed out again, unless the copy carries the counter over as well.
"""

from __future__ import annotations

from peewee import Database, Field, SqliteDatabase

from segtui.models import Attachment, InteractionLogEntry, LoggedSegment

NEVER_REUSED_KEYS: tuple[Field, ...] = (
    Attachment.id,
    LoggedSegment.entry_no,
    InteractionLogEntry.entry_no,
)


def highest_used_numbers(database: Database) -> dict[str, int]:
    """Return, by table, the highest number its key has handed out, or 0 for none."""
    numbers = {}
    for key in NEVER_REUSED_KEYS:
        table = key.model._meta.table_name
        highest = database.execute_sql(
            f'SELECT MAX("{key.column_name}") FROM "{table}"'
        ).fetchone()[0]
        numbers[table] = max(int(highest or 0), _counter(database, key))
    return numbers


def raise_counters(database: Database, numbers: dict[str, int]) -> None:
    """Make each key's next number come after ``numbers[table]``.

    A counter that is higher already is left alone, so this never lowers one.
    """
    for key in NEVER_REUSED_KEYS:
        table = key.model._meta.table_name
        number = numbers.get(table, 0)
        if number <= _counter(database, key):
            continue
        if isinstance(database, SqliteDatabase):
            updated = database.execute_sql(
                "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (number, table)
            ).rowcount
            if not updated:
                database.execute_sql(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                    (table, number),
                )
        else:
            database.execute_sql(
                "SELECT setval(%s, %s)", (_sequence_name(database, key), number)
            )


def _counter(database: Database, key: Field) -> int:
    """Return the last number the key's counter handed out, or 0 for none."""
    table = key.model._meta.table_name
    if isinstance(database, SqliteDatabase):
        row = database.execute_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)
        ).fetchone()
        return int(row[0]) if row else 0
    last_value, is_called = database.execute_sql(
        f"SELECT last_value, is_called FROM {_sequence_name(database, key)}"
    ).fetchone()
    return int(last_value) if is_called else int(last_value) - 1


def _sequence_name(database: Database, key: Field) -> str:
    return database.execute_sql(
        "SELECT pg_get_serial_sequence(%s, %s)",
        (f'"{key.model._meta.table_name}"', key.column_name),
    ).fetchone()[0]
