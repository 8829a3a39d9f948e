"""Schema migration 7: segment history rows keep a line in columns, not JSON text.

Rows written before keep the line as one JSON object in ``line_values``. The
migration copies each value into a column of the same name and type as the line's,
so restoring a line is a column copy. Like every migration it is frozen: the columns
are listed here as they were at version 7, not read from the models.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

# Each history column taken from the JSON: name, SQLite type, PostgreSQL type, and
# the value for a key that the JSON lacks, or None for a column that allows NULL.
# History written before schema 2 has no modified_at and modified_by keys.
HISTORY_LINE_COLUMNS: tuple[tuple[str, str, str, str | None], ...] = (
    ("date", "DATE", "DATE", None),
    ("salesperson_code", "VARCHAR(20)", "VARCHAR(20)", None),
    ("interaction_template_code", "VARCHAR(20)", "VARCHAR(20)", None),
    ("language_code", "VARCHAR(10)", "VARCHAR(10)", None),
    ("subject", "VARCHAR(250)", "VARCHAR(250)", "''"),
    ("description", "VARCHAR(100)", "VARCHAR(100)", "''"),
    ("correspondence_type", "VARCHAR(10)", "VARCHAR(10)", "''"),
    ("unit_cost", "DECIMAL(14, 2)", "NUMERIC(14, 2)", "0"),
    ("unit_duration", "DECIMAL(14, 2)", "NUMERIC(14, 2)", "0"),
    ("information_flow", "VARCHAR(10)", "VARCHAR(10)", "''"),
    ("initiated_by", "VARCHAR(10)", "VARCHAR(10)", "''"),
    ("evaluation", "VARCHAR(20)", "VARCHAR(20)", "''"),
    ("campaign_no", "VARCHAR(20)", "VARCHAR(20)", None),
    ("campaign_target", "INTEGER", "BOOLEAN", "FALSE"),
    ("campaign_response", "INTEGER", "BOOLEAN", "FALSE"),
    ("attachment_id", "INTEGER", "INTEGER", None),
    ("personal_note", "TEXT", "TEXT", "''"),
    ("version", "INTEGER", "INTEGER", "1"),
    ("modified_at", "DATETIME", "TIMESTAMP", None),
    ("modified_by", "VARCHAR(100)", "VARCHAR(100)", "''"),
)

# PostgreSQL casts for the text that ->> returns, by column type.
POSTGRES_TEXT_CASTS = {
    "DATE": "date",
    "NUMERIC(14, 2)": "numeric",
    "BOOLEAN": "boolean",
    "INTEGER": "integer",
    "TIMESTAMP": "timestamp",
}


def history_line_columns(database: Database) -> None:
    """Move the lines in segment history from JSON text into columns of their own.

    The primary key becomes (action_id, change, line_no), which replaces the row id
    and the index on action and change. Where rows share such a key, only the
    newest one is kept, so that the key can be added.
    """
    database.execute_sql(
        'DELETE FROM "segment_history" WHERE "id" NOT IN (SELECT MAX("id") '
        'FROM "segment_history" GROUP BY "action_id", "change", "line_no")'
    )
    if isinstance(database, SqliteDatabase):
        _rebuild_sqlite(database)
    else:
        _alter_postgresql(database)


def _rebuild_sqlite(database: Database) -> None:
    # SQLite cannot change a table's primary key, so the table is built anew.
    definitions = []
    for name, sqlite_type, _postgres_type, default in HISTORY_LINE_COLUMNS:
        null = "" if default is None else " NOT NULL"
        definitions.append(f'"{name}" {sqlite_type}{null}')
    database.execute_sql(
        'CREATE TABLE "segment_history_new" ("action_id" INTEGER NOT NULL, '
        '"change" VARCHAR(10) NOT NULL, "line_no" INTEGER NOT NULL, '
        '"contact_no" VARCHAR(20) NOT NULL, '
        + ", ".join(definitions)
        + ', PRIMARY KEY ("action_id", "change", "line_no"), '
        'FOREIGN KEY ("action_id") REFERENCES "segment_criteria_action" ("id") '
        "ON DELETE CASCADE) WITHOUT ROWID"
    )
    values = []
    for name, _sqlite_type, _postgres_type, default in HISTORY_LINE_COLUMNS:
        value = f'json_extract("line_values", \'$."{name}"\')'
        values.append(value if default is None else f"COALESCE({value}, {default})")
    names = ", ".join(f'"{column[0]}"' for column in HISTORY_LINE_COLUMNS)
    database.execute_sql(
        'INSERT INTO "segment_history_new" ("action_id", "change", "line_no", '
        f'"contact_no", {names}) SELECT "action_id", "change", "line_no", '
        f'"contact_no", {", ".join(values)} FROM "segment_history"'
    )
    database.execute_sql('DROP TABLE "segment_history"')
    database.execute_sql(
        'ALTER TABLE "segment_history_new" RENAME TO "segment_history"'
    )


def _alter_postgresql(database: Database) -> None:
    additions = []
    for name, _sqlite_type, postgres_type, default in HISTORY_LINE_COLUMNS:
        # A NOT NULL column needs a default while it is added to existing rows.
        extra = "" if default is None else f" NOT NULL DEFAULT {default}"
        additions.append(f'ADD COLUMN "{name}" {postgres_type}{extra}')
    database.execute_sql('ALTER TABLE "segment_history" ' + ", ".join(additions))

    assignments = []
    for name, _sqlite_type, postgres_type, default in HISTORY_LINE_COLUMNS:
        value = f"CAST(\"line_values\" AS json) ->> '{name}'"
        cast = POSTGRES_TEXT_CASTS.get(postgres_type)
        if cast:
            value = f"CAST({value} AS {cast})"
        if default is not None:
            value = f"COALESCE({value}, {default})"
        assignments.append(f'"{name}" = {value}')
    database.execute_sql('UPDATE "segment_history" SET ' + ", ".join(assignments))

    changes = [
        f'ALTER COLUMN "{name}" DROP DEFAULT'
        for name, _sqlite_type, _postgres_type, default in HISTORY_LINE_COLUMNS
        if default is not None
    ]
    changes += [
        'DROP COLUMN "line_values"',
        'DROP COLUMN "id"',
        'ADD PRIMARY KEY ("action_id", "change", "line_no")',
    ]
    database.execute_sql('ALTER TABLE "segment_history" ' + ", ".join(changes))
    database.execute_sql('DROP INDEX "segment_history_action_id_change"')
