"""Ctrl+C stops a command's running statement at once and leaves the database as it was.

Each command runs as a real segtui process. Triggers make the statement that writes
the lines or the contacts slow: on SQLite a join of a large table with itself for
every row written, on PostgreSQL a two-minute sleep. Uninterrupted, the statement
runs for minutes, so a command that waits for it to end fails the time bound.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from peewee import OperationalError

from segtui.commands.common import run_interruptible
from segtui.db import current_database, is_sqlite, open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError
from segtui.domain.interrupts import CanceledError
from segtui.domain.saved_criteria import save_criteria
from segtui.domain.users import current_user
from segtui.models import ALL_MODELS, Role, UserSetup
from tests.backends import POSTGRES, fresh_database_url
from tests.builders import build_world
from tests.conftest import TEST_USER

# Seconds from Ctrl+C to the end of the process that pass. segtui took 0.05-0.25 s
# on SQLite 3.40 and PostgreSQL on a shared 2-core machine, and the rest is room for
# a loaded machine.
EXIT_SECONDS = 5

# Seconds to wait on SQLite after the command took the write lock, so that its slow
# statement has started. Its statements before that one take milliseconds.
STATEMENT_START_SECONDS = 1.0

# Rows of the table that the SQLite triggers join with itself for every row written.
# The join of 10,000 rows took 1.2 s on a shared 2-core machine (SQLite 3.40), so
# this is an estimated 10 s for each row written.
SLOW_ROWS = 30_000

SQLITE_TRIGGERS = (
    "CREATE TRIGGER slow_line_insert BEFORE INSERT ON segment_line "
    "BEGIN SELECT count(*) FROM slow_rows AS a, slow_rows AS b; END",
    "CREATE TRIGGER slow_line_delete BEFORE DELETE ON segment_line "
    "BEGIN SELECT count(*) FROM slow_rows AS a, slow_rows AS b; END",
    "CREATE TRIGGER slow_contact_insert BEFORE INSERT ON contact "
    "BEGIN SELECT count(*) FROM slow_rows AS a, slow_rows AS b; END",
)

POSTGRES_TRIGGERS = (
    "CREATE FUNCTION slow_statement() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN PERFORM pg_sleep(120); RETURN NULL; END $$",
    "CREATE TRIGGER slow_line_insert BEFORE INSERT ON segment_line "
    "FOR EACH STATEMENT EXECUTE FUNCTION slow_statement()",
    "CREATE TRIGGER slow_line_delete BEFORE DELETE ON segment_line "
    "FOR EACH STATEMENT EXECUTE FUNCTION slow_statement()",
    "CREATE TRIGGER slow_contact_insert BEFORE INSERT ON contact "
    "FOR EACH STATEMENT EXECUTE FUNCTION slow_statement()",
)

POSTGRES_CLEANUP = (
    # A process that the test killed may have left its statement running.
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    "DROP TRIGGER IF EXISTS slow_line_insert ON segment_line",
    "DROP TRIGGER IF EXISTS slow_line_delete ON segment_line",
    "DROP TRIGGER IF EXISTS slow_contact_insert ON contact",
    "DROP FUNCTION IF EXISTS slow_statement()",
)

# The slow statements as PostgreSQL's pg_stat_activity shows them.
SLOW_STATEMENT_PATTERN = '^(INSERT INTO|DELETE FROM) "(segment_line|contact)"'


@dataclass
class SlowDatabase:
    url: str
    # A segment with a line for every person, made by one Add Contacts.
    full_segment: str
    empty_segment: str
    # Saved criteria that add every person.
    criteria_code: str


def snapshot() -> dict[str, list[tuple[str, ...]]]:
    """Return every row of every segtui table, in a stable order."""
    rows = {}
    for model in ALL_MODELS:
        query = model.select().order_by(*model._meta.sorted_fields).tuples()
        rows[model._meta.table_name] = [tuple(map(str, row)) for row in query]
    return rows


@pytest.fixture
def slow_database(tmp_path: Path) -> Iterator[SlowDatabase]:
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    full = segmentation.create_segment(
        "Alle Personen", user=TEST_USER, template_code="LETTER"
    )
    segment_actions.add_contacts(
        full.no, {"contact": {"type": "person"}}, AddOptions(), user=TEST_USER
    )
    save_criteria(full.no, "PERSONS", "Every person", user=TEST_USER)
    empty = segmentation.create_segment("Leer", user=TEST_USER, template_code="LETTER")
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    try:
        if is_sqlite():
            database.execute_sql("CREATE TABLE slow_rows (n INTEGER)")
            database.execute_sql(
                "INSERT INTO slow_rows (n) "
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                f"WHERE n < {SLOW_ROWS}) SELECT n FROM c"
            )
            statements = SQLITE_TRIGGERS
        else:
            statements = POSTGRES_TRIGGERS
        for statement in statements:
            database.execute_sql(statement)
        yield SlowDatabase(url, full.no, empty.no, "PERSONS")
    finally:
        if POSTGRES:
            database = open_database(url)
            for statement in POSTGRES_CLEANUP:
                database.execute_sql(statement)
        database.close()


def statement_running(url: str) -> bool:
    """Return whether a segtui process is in its write transaction or slow statement.

    SQLite shows only that another connection holds the write lock, PostgreSQL the
    statement itself.
    """
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
        # Other test workers run such statements in databases of their own.
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
        "AND datname = current_database() AND pid <> pg_backend_pid() "
        "AND query ~ %s",
        (SLOW_STATEMENT_PATTERN,),
    )
    return cursor.fetchone()[0] > 0


@dataclass
class Interrupted:
    seconds: float
    returncode: int
    stderr: str


def interrupt_command(url: str, *arguments: str) -> Interrupted:
    """Start segtui with ``arguments``, press Ctrl+C in its slow statement, and wait.

    Raises AssertionError when the statement never starts or segtui still runs
    EXIT_SECONDS after Ctrl+C, and kills segtui then.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "segtui", "--lang", "en", "--db", url, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )
    try:
        deadline = time.monotonic() + 60
        while not statement_running(url):
            if process.poll() is not None:
                _stdout, stderr = process.communicate()
                raise AssertionError(f"segtui ended before its statement: {stderr}")
            assert time.monotonic() < deadline, "the statement never started"
            time.sleep(0.05)
        if not POSTGRES:
            time.sleep(STATEMENT_START_SECONDS)
        assert process.poll() is None, "segtui ended before Ctrl+C"

        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        try:
            _stdout, stderr = process.communicate(timeout=EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"segtui still runs {EXIT_SECONDS} s after Ctrl+C"
            ) from None
        return Interrupted(time.monotonic() - started, process.returncode, stderr)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def check_interrupted(
    slow: SlowDatabase, message: str, arguments: tuple[str, ...]
) -> None:
    before = snapshot()
    result = interrupt_command(slow.url, *arguments)
    assert result.seconds < EXIT_SECONDS
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot() == before


def test_add_contacts_interrupted(slow_database: SlowDatabase) -> None:
    segment = slow_database.empty_segment
    check_interrupted(
        slow_database,
        f"Ctrl+C canceled Add Contacts. Segment {segment} was not changed.",
        ("segment", "add", segment),
    )


def test_reduce_interrupted(slow_database: SlowDatabase) -> None:
    segment = slow_database.full_segment
    check_interrupted(
        slow_database,
        f"Ctrl+C canceled Reduce Contacts. Segment {segment} was not changed.",
        ("segment", "reduce", segment, "--all"),
    )


def test_refine_interrupted(slow_database: SlowDatabase) -> None:
    segment = slow_database.full_segment
    check_interrupted(
        slow_database,
        f"Ctrl+C canceled Refine Contacts. Segment {segment} was not changed.",
        ("segment", "refine", segment, "--filter", "country=DE"),
    )


def test_go_back_interrupted(slow_database: SlowDatabase) -> None:
    segment = slow_database.full_segment
    check_interrupted(
        slow_database,
        f"Ctrl+C canceled Go Back. Segment {segment} was not changed.",
        ("segment", "go-back", segment),
    )


def test_criteria_reuse_interrupted(slow_database: SlowDatabase) -> None:
    segment = slow_database.empty_segment
    code = slow_database.criteria_code
    check_interrupted(
        slow_database,
        f"Ctrl+C canceled the replay of saved criteria {code}. "
        f"Segment {segment} was not changed.",
        ("criteria", "reuse", code, segment),
    )


def test_import_interrupted(slow_database: SlowDatabase, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "no,type,name,country_code\n"
        "IMP1,person,Person Eins,DE\n"
        "IMP2,person,Person Zwei,AT\n",
        encoding="utf-8",
    )
    check_interrupted(
        slow_database,
        f"Import of {path} canceled; nothing was written.",
        ("import", "contacts", str(path)),
    )


# run_interruptible in this process. Each test sends itself SIGINT, which only
# the handler that run_interruptible installs in the main thread may receive.


@pytest.fixture
def main_thread() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be installed in the main thread")


def press_ctrl_c_and_wait(cancel: threading.Event) -> None:
    os.kill(os.getpid(), signal.SIGINT)
    assert cancel.wait(10), "Ctrl+C did not set the cancel event"


def test_late_ctrl_c_keeps_result(
    database: Any, main_thread: None, capsys: Any
) -> None:
    def work(cancel: threading.Event) -> str:
        press_ctrl_c_and_wait(cancel)
        return "saved"

    result = run_interruptible(work, name="test", canceled_message="canceled")

    assert result == "saved"
    assert "Ctrl+C came too late" in capsys.readouterr().err


def test_statement_error_after_ctrl_c_canceled(
    database: Any, main_thread: None
) -> None:
    def work(cancel: threading.Event) -> None:
        press_ctrl_c_and_wait(cancel)
        raise OperationalError("interrupted")

    with pytest.raises(CanceledError, match="^Nothing changed[.]$") as raised:
        run_interruptible(work, name="test", canceled_message="Nothing changed.")

    assert isinstance(raised.value.__cause__, OperationalError)


def test_own_error_after_ctrl_c_kept(database: Any, main_thread: None) -> None:
    def work(cancel: threading.Event) -> None:
        press_ctrl_c_and_wait(cancel)
        raise InvalidValueError("its own message")

    with pytest.raises(InvalidValueError, match="its own message"):
        run_interruptible(work, name="test", canceled_message="canceled")


def test_error_without_ctrl_c_kept(database: Any) -> None:
    def work(_cancel: threading.Event) -> None:
        raise OperationalError("disk I/O error")

    with pytest.raises(OperationalError, match="disk I/O error"):
        run_interruptible(work, name="test", canceled_message="canceled")


def test_ctrl_c_handler_restored(database: Any, main_thread: None) -> None:
    before = signal.getsignal(signal.SIGINT)
    run_interruptible(lambda _cancel: None, name="test", canceled_message="canceled")
    assert signal.getsignal(signal.SIGINT) is before
