"""A hangup while a segment is being logged leaves the database as it was.

The log's transaction is made slow on purpose with a trigger on the interaction log,
so the signal is sure to arrive while the entries are being written. segtui then has
to stop the statement, roll the transaction back and exit within a second or two,
not wait for the log to finish and commit.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from segtui.db import current_database, is_sqlite, open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.users import current_user
from segtui.models import ALL_MODELS, Role, UserSetup
from tests.backends import POSTGRES, fresh_database_url
from tests.builders import build_world
from tests.tmux_harness import Tmux, child_pid, inherited_environment, segtui_command

# Rows of a table the SQLite trigger joins with itself for every entry written: a
# few seconds of work per entry, so logging takes far longer than the test waits.
SLOW_ROWS = 10000

SQLITE_SLOW_TRIGGER = """
CREATE TRIGGER slow_log BEFORE INSERT ON interaction_log_entry
BEGIN
    SELECT count(*) FROM slow_rows AS a, slow_rows AS b;
END
"""

POSTGRES_SLOW_TRIGGER = (
    "CREATE FUNCTION slow_log() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN PERFORM pg_sleep(120); RETURN NULL; END $$",
    "CREATE TRIGGER slow_log BEFORE INSERT ON interaction_log_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION slow_log()",
)

POSTGRES_DROP_TRIGGER = (
    "DROP TRIGGER IF EXISTS slow_log ON interaction_log_entry",
    "DROP FUNCTION IF EXISTS slow_log()",
)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every segtui table, in a stable order."""
    rows = {}
    for model in ALL_MODELS:
        query = model.select().order_by(*model._meta.sorted_fields).tuples()
        rows[model._meta.table_name] = [tuple(map(str, row)) for row in query]
    return rows


@pytest.fixture
def slow_log_database(tmp_path: Path) -> Iterator[str]:
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    segment = segmentation.create_segment(
        "Herbstbrief", user="tester", template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"type": "person"}}, AddOptions(), user="tester"
    )
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    if is_sqlite():
        database.execute_sql("CREATE TABLE slow_rows (n INTEGER)")
        database.execute_sql(
            "INSERT INTO slow_rows (n) "
            f"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
            f"WHERE n < {SLOW_ROWS}) SELECT n FROM c"
        )
        database.execute_sql(SQLITE_SLOW_TRIGGER)
    else:
        for statement in POSTGRES_SLOW_TRIGGER:
            database.execute_sql(statement)
    database.close()
    try:
        yield url
    finally:
        if POSTGRES:
            database = open_database(url)
            for statement in POSTGRES_DROP_TRIGGER:
                database.execute_sql(statement)
            database.close()


def log_in_flight(url: str) -> bool:
    """Return whether another session has a write transaction open on the log."""
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        finally:
            connection.close()
        return False
    cursor = current_database().execute_sql(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
        "AND query LIKE %s",
        ('INSERT INTO "interaction_log_entry"%',),
    )
    return cursor.fetchone()[0] > 0


@pytest.mark.slow
def test_hangup_while_logging_changes_nothing(
    slow_log_database: str, tmp_path: Path
) -> None:
    database = open_database(slow_log_database)
    before = snapshot()
    output = tmp_path / "letters"
    pane = Tmux(segtui_command(slow_log_database), env=inherited_environment())
    try:
        pane.wait_for("Segments (1)")
        pane.send("Enter")
        # The header, not the list row: the list also shows the description.
        pane.wait_for("Corresp.:")
        pane.send("l")
        pane.wait_for("Output folder")
        # Replace the suggested output folder with one inside the test's folder.
        pane.send("Tab", "Tab", "C-u")
        pane.type(str(output))
        pane.send("C-s")

        deadline = time.monotonic() + 20
        while not log_in_flight(slow_log_database):
            assert time.monotonic() < deadline, pane.screen()
            time.sleep(0.1)

        os.kill(child_pid(pane), signal.SIGHUP)
        hung_up = time.monotonic()
        screen = pane.wait_for("SEGTUI-EXITED", timeout=10)
        waited = time.monotonic() - hung_up
        assert f"SEGTUI-EXITED {128 + signal.SIGHUP.value}" in screen
        assert "Traceback" not in screen
    finally:
        pane.close()

    # A second or two, not the minutes the log would take to finish.
    assert waited < 3, f"segtui took {waited:.1f} s to exit after the hangup"
    assert not log_in_flight(slow_log_database)
    assert snapshot() == before
    assert not output.exists() or not any(output.iterdir())
    database.close()
