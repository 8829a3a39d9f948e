"""Schema migration 10: a trigger, not a foreign key, deletes an action's history.

A Refine after a Go Back deletes the undone action with all its history rows. With
foreign keys enforced, SQLite 3.40 took about three times as long to delete those
rows while segment_history had its foreign key to the action: 0.05 s against
0.017 s of CPU time for 40,000 rows. The history keeps its primary key (action_id,
change, line_no). An AFTER DELETE trigger on segment_criteria_action deletes the
history rows of every deleted action, also when a deleted segment takes its actions
along, as the ON DELETE CASCADE did. PostgreSQL gets the same trigger, so both
databases delete the history the same way.

Like every migration it is frozen: the columns are listed as they were at
version 10, not read from the models. The existing history rows are kept.

NOTE: SQLite refuses to rename a table to segment_history while this trigger
exists and the table does not, so a later migration that rebuilds the table must
drop the trigger first and create it again.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

# The history columns after the primary key, as migration 7 made them: name, SQLite
# type, and whether the column is NOT NULL. They are unchanged since.
HISTORY_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("contact_no", "VARCHAR(20)", True),
    ("date", "DATE", False),
    ("salesperson_code", "VARCHAR(20)", False),
    ("interaction_template_code", "VARCHAR(20)", False),
    ("language_code", "VARCHAR(10)", False),
    ("subject", "VARCHAR(250)", True),
    ("description", "VARCHAR(100)", True),
    ("correspondence_type", "VARCHAR(10)", True),
    ("unit_cost", "DECIMAL(14, 2)", True),
    ("unit_duration", "DECIMAL(14, 2)", True),
    ("information_flow", "VARCHAR(10)", True),
    ("initiated_by", "VARCHAR(10)", True),
    ("evaluation", "VARCHAR(20)", True),
    ("campaign_no", "VARCHAR(20)", False),
    ("campaign_target", "INTEGER", True),
    ("campaign_response", "INTEGER", True),
    ("attachment_id", "INTEGER", False),
    ("personal_note", "TEXT", True),
    ("version", "INTEGER", True),
    ("modified_at", "DATETIME", False),
    ("modified_by", "VARCHAR(100)", True),
)

TRIGGER_NAME = "segment_criteria_action_delete_history"
POSTGRES_FUNCTION_NAME = "segment_criteria_action_delete_history"


def history_trigger(database: Database) -> None:
    """Replace the history's foreign key to its action by a trigger on the action."""
    if isinstance(database, SqliteDatabase):
        _rebuild_sqlite(database)
    else:
        _alter_postgresql(database)


def _rebuild_sqlite(database: Database) -> None:
    # SQLite cannot drop a foreign key, so the table is built anew without it. The
    # trigger goes first, because SQLite rejects the rename while a trigger names
    # a table that does not exist.
    database.execute_sql(f'DROP TRIGGER IF EXISTS "{TRIGGER_NAME}"')
    definitions = [
        f'"{name}" {sqlite_type}{" NOT NULL" if not_null else ""}'
        for name, sqlite_type, not_null in HISTORY_COLUMNS
    ]
    database.execute_sql(
        'CREATE TABLE "segment_history_new" ("action_id" INTEGER NOT NULL, '
        '"change" VARCHAR(10) NOT NULL, "line_no" INTEGER NOT NULL, '
        + ", ".join(definitions)
        + ', PRIMARY KEY ("action_id", "change", "line_no")) WITHOUT ROWID'
    )
    names = ", ".join(f'"{column[0]}"' for column in HISTORY_COLUMNS)
    database.execute_sql(
        'INSERT INTO "segment_history_new" ("action_id", "change", "line_no", '
        f'{names}) SELECT "action_id", "change", "line_no", {names} '
        'FROM "segment_history"'
    )
    database.execute_sql('DROP TABLE "segment_history"')
    database.execute_sql(
        'ALTER TABLE "segment_history_new" RENAME TO "segment_history"'
    )
    database.execute_sql(
        f'CREATE TRIGGER "{TRIGGER_NAME}" '
        'AFTER DELETE ON "segment_criteria_action" '
        'FOR EACH ROW BEGIN DELETE FROM "segment_history" '
        'WHERE "action_id" = OLD."id"; END'
    )


def _alter_postgresql(database: Database) -> None:
    # PostgreSQL named the key when migration 1 created the table, so it is read.
    cursor = database.execute_sql(
        "SELECT conname FROM pg_constraint "
        "WHERE conrelid = 'segment_history'::regclass AND contype = 'f'"
    )
    for (name,) in cursor.fetchall():
        database.execute_sql(f'ALTER TABLE "segment_history" DROP CONSTRAINT "{name}"')
    database.execute_sql(
        f'CREATE OR REPLACE FUNCTION "{POSTGRES_FUNCTION_NAME}"() RETURNS trigger '
        "LANGUAGE plpgsql AS $$ BEGIN "
        'DELETE FROM "segment_history" WHERE "action_id" = OLD."id"; '
        "RETURN NULL; END $$"
    )
    # CREATE OR REPLACE TRIGGER needs PostgreSQL 14, so an old trigger is dropped.
    database.execute_sql(
        f'DROP TRIGGER IF EXISTS "{TRIGGER_NAME}" ON "segment_criteria_action"'
    )
    database.execute_sql(
        f'CREATE TRIGGER "{TRIGGER_NAME}" '
        'AFTER DELETE ON "segment_criteria_action" '
        f'FOR EACH ROW EXECUTE FUNCTION "{POSTGRES_FUNCTION_NAME}"()'
    )
