"""Numbered schema migrations, applied in order and recorded in ``schema_version``.

Each migration is frozen once released: a database made by any earlier segtui reaches
the current schema by applying the migrations it lacks. Migration 1 is the first
schema as plain DDL per database kind, so later model changes cannot alter it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from peewee import Database, SqliteDatabase

from segtui.models.migrations.history_columns import history_line_columns
from segtui.models.migrations.history_trigger import history_trigger
from segtui.models.migrations.stored_search_text import stored_search_text

SCHEMA_VERSION_TABLE = "schema_version"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Database], None]


class SchemaError(RuntimeError):
    """Raised when a database's schema does not fit this version of segtui."""


def _dialect(database: Database) -> str:
    return "sqlite" if isinstance(database, SqliteDatabase) else "postgresql"


def _run_sql_file(name: str) -> Callable[[Database], None]:
    def apply(database: Database) -> None:
        text = (
            resources.files(__package__)
            .joinpath(f"{name}.{_dialect(database)}.sql")
            .read_text(encoding="utf-8")
        )
        for statement in text.split(";\n"):
            lines = [
                line for line in statement.splitlines() if not line.startswith("--")
            ]
            sql = "\n".join(lines).strip()
            if sql:
                database.execute_sql(sql)

    return apply


def _line_modified_by(database: Database) -> None:
    """Record who changed a segment line last and when, for edit conflicts."""
    from peewee import CharField, DateTimeField
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    migrator = (
        SqliteMigrator(database)
        if isinstance(database, SqliteDatabase)
        else PostgresqlMigrator(database)
    )
    migrate(
        migrator.add_column("segment_line", "modified_at", DateTimeField(null=True)),
        migrator.add_column(
            "segment_line", "modified_by", CharField(max_length=100, default="")
        ),
    )


def _entry_send_as_attachment(database: Database) -> None:
    """Record per entry whether its email attaches the letter or carries its text."""
    from peewee import BooleanField
    from playhouse.migrate import migrate

    migrate(
        _migrator(database).add_column(
            "interaction_log_entry", "send_as_attachment", BooleanField(default=True)
        )
    )


def _sorted_page_indexes(database: Database) -> None:
    """Index the contact list's sort columns with the number, and the log by date.

    A page of a list sorted by an indexed key is then an index walk in either
    direction, not a sort of the whole table. Each new contact index replaces the
    one on its sort column alone, which it covers.
    """
    from playhouse.migrate import migrate

    migrator = _migrator(database)
    operations = []
    for column in ("name", "city", "post_code", "country_code"):
        operations.append(migrator.drop_index("contact", f"contact_{column}"))
        operations.append(migrator.add_index("contact", (column, "no")))
    operations.append(migrator.add_index("interaction_log_entry", ("date", "entry_no")))
    migrate(*operations)


def _inserted_line_range(database: Database) -> None:
    """Record the line numbers an action inserted on the action itself.

    Go Back then snapshots those lines when it removes them, instead of every
    insert writing a history row per line.
    """
    from peewee import IntegerField
    from playhouse.migrate import migrate

    migrator = _migrator(database)
    migrate(
        migrator.add_column(
            "segment_criteria_action", "first_line_no", IntegerField(null=True)
        ),
        migrator.add_column(
            "segment_criteria_action", "last_line_no", IntegerField(null=True)
        ),
    )


def _never_reused_numbers(database: Database) -> None:
    """Keep entry, logged segment and attachment numbers from being handed out twice."""
    from segtui.models.migrations import never_reused_numbers

    never_reused_numbers.apply(database)


def _contact_search_index(database: Database) -> None:
    """Index the contact list's search: FTS5 trigrams on SQLite, pg_trgm on PostgreSQL.

    Builds the index for the existing contacts. Without trigram support (SQLite
    before 3.34, or a PostgreSQL server that rejects CREATE EXTENSION) the search
    scans the contacts, as before.
    """
    from segtui.models.contact_search import install_search_index

    install_search_index(database)


def _name_and_city_sort_keys(database: Database) -> None:
    """Index the name and city sort keys with the number, for dictionary order.

    Each replaces the index on its plain column and the number from version 4,
    since the contact list no longer sorts by the plain column. Both steps skip
    what exists already, so running the migration again changes nothing.
    NOTE: a criteria filter on the exact name or city, such as city=Berlin, now
    scans the contacts instead of looking them up in an index.
    """
    from segtui.models.contacts import sort_key_indexes

    for column in ("name", "city"):
        database.execute_sql(f'DROP INDEX IF EXISTS "contact_{column}_no"')
    for index in sort_key_indexes():
        database.execute(index)


def _accent_folded_search(database: Database) -> None:
    """Fold accents and umlauts in the contact search index, and ß to ss.

    On SQLite the index is built again with the new fold. On PostgreSQL the
    trigram indexes on plain columns are replaced by the current search index,
    the stored folded text of version 12, and what exists already is kept, so
    running this again changes nothing.
    """
    from segtui.models.contact_search import install_search_index, rebuild_search_index

    if isinstance(database, SqliteDatabase):
        rebuild_search_index(database)
    else:
        install_search_index(database)


def _migrator(database: Database) -> Any:
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    if isinstance(database, SqliteDatabase):
        return SqliteMigrator(database)
    return PostgresqlMigrator(database)


# The columns that hold segment line numbers. Each Add Contacts numbers its lines
# in steps of 10,000, so one add of more than 214,748 contacts passes 2**31.
LINE_NUMBER_COLUMNS = (
    ("segment_line", "line_no"),
    ("segment_criteria_action", "first_line_no"),
    ("segment_criteria_action", "last_line_no"),
    ("segment_history", "line_no"),
)


def _line_numbers_beyond_32_bits(database: Database) -> None:
    """Widen the line number columns to 64 bits on PostgreSQL.

    PostgreSQL's integer has 32 bits, so adding more than 214,748 contacts to a
    segment at once failed with "integer out of range". SQLite stores any integer
    in 64 bits, so nothing changes there. Running this again changes nothing.
    """
    if isinstance(database, SqliteDatabase):
        return
    for table, column in LINE_NUMBER_COLUMNS:
        database.execute_sql(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE bigint'
        )


def _entry_email_sent_to(database: Database) -> None:
    """Record per entry the address its email went to, which a resend may change.

    Running this again changes nothing.
    """
    from peewee import CharField
    from playhouse.migrate import migrate

    columns = database.get_columns("interaction_log_entry")
    if any(column.name == "email_sent_to" for column in columns):
        return
    migrate(
        _migrator(database).add_column(
            "interaction_log_entry",
            "email_sent_to",
            CharField(max_length=100, null=True),
        )
    )


MIGRATIONS: list[Migration] = [
    Migration(1, "initial schema", _run_sql_file("0001_initial")),
    Migration(2, "who changed a segment line last", _line_modified_by),
    Migration(3, "email letters as attachment or body", _entry_send_as_attachment),
    Migration(4, "indexes for sorted contact and log pages", _sorted_page_indexes),
    Migration(5, "line numbers inserted by a segment action", _inserted_line_range),
    Migration(6, "entry numbers never handed out twice", _never_reused_numbers),
    Migration(7, "segment history lines in columns", history_line_columns),
    Migration(8, "trigram index for the contact search", _contact_search_index),
    Migration(9, "dictionary order of names and cities", _name_and_city_sort_keys),
    Migration(10, "segment history deleted by a trigger", history_trigger),
    Migration(11, "contact search ignores accents", _accent_folded_search),
    Migration(12, "folded contact search text stored", stored_search_text),
    Migration(13, "line numbers beyond 32 bits", _line_numbers_beyond_32_bits),
    Migration(14, "address each email went to", _entry_email_sent_to),
]

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(database: Database) -> int:
    """Return the schema version of the database, 0 for a database without tables."""
    if not database.table_exists(SCHEMA_VERSION_TABLE):
        if database.get_tables():
            raise SchemaError(
                f"Database {database.database!r} has tables but no "
                f"{SCHEMA_VERSION_TABLE} table, so it was not made by segtui; "
                "point --db at a segtui database or at a new file."
            )
        return 0
    cursor = database.execute_sql(f"SELECT MAX(version) FROM {SCHEMA_VERSION_TABLE}")
    row = cursor.fetchone()
    return int(row[0] or 0)


def migrate(database: Database, target: int = LATEST_VERSION) -> list[int]:
    """Apply the migrations between the database's version and ``target``.

    Each migration runs in its own transaction together with its version row, so an
    interrupted upgrade leaves the database at the last complete version.
    """
    applied = []
    version = current_version(database)
    if version > LATEST_VERSION:
        raise _too_new(database, version)

    for migration in MIGRATIONS:
        if migration.version <= version or migration.version > target:
            continue
        with database.atomic():
            if migration.version == 1:
                database.execute_sql(
                    f"CREATE TABLE {SCHEMA_VERSION_TABLE} "
                    "(version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL)"
                )
            migration.apply(database)
            database.execute_sql(
                f"INSERT INTO {SCHEMA_VERSION_TABLE} (version, description) "
                f"VALUES ({database.param}, {database.param})",
                (migration.version, migration.description),
            )
        applied.append(migration.version)
    return applied


def check_version(database: Database) -> None:
    """Raise SchemaError unless the database is at the schema version of this segtui."""
    version = current_version(database)
    if version > LATEST_VERSION:
        raise _too_new(database, version)
    if version < LATEST_VERSION:
        raise SchemaError(
            f"Database {database.database!r} has schema version {version}, and this "
            f"segtui needs version {LATEST_VERSION}; run `segtui db migrate` to "
            "upgrade it."
        )


def _too_new(database: Database, version: int) -> SchemaError:
    return SchemaError(
        f"Database {database.database!r} has schema version {version}, newer than "
        f"this segtui knows ({LATEST_VERSION}); upgrade segtui to open it."
    )
