"""A hangup while a segment is being logged leaves nothing half-done.

A hangup while the entries are written leaves the database as it was. The log's
transaction is made slow on purpose with a trigger on the interaction log,
so the signal is sure to arrive while the entries are being written. segtui then has
to stop the statement, roll the transaction back and exit within a second, not wait
for the log to finish and commit.

A hangup while the letters are written keeps the saved entries and the letters
already written, and leaves no worker process and no partial file behind.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from segtui import paths
from segtui.db import current_database, is_sqlite, open_database
from segtui.domain import (
    delivery,
    documents,
    letter_jobs,
    segment_actions,
    segmentation,
)
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.users import current_user
from segtui.models import (
    ALL_MODELS,
    Contact,
    InteractionLogEntry,
    LoggedSegment,
    Role,
    UserSetup,
)
from tests.backends import POSTGRES, fresh_database_url
from tests.builders import World, build_world
from tests.conftest import TEST_USER
from tests.tmux_harness import (
    Tmux,
    child_pid,
    inherited_environment,
    process_tree,
    segtui_command,
)

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


def exit_seconds(pid: int, hang_up: Callable[[], None], timeout: float = 10) -> float:
    """Run ``hang_up`` and return the seconds until process ``pid`` ends.

    The process is watched through a pidfd, which becomes readable when it ends, so
    the time is segtui's own and not the interval at which a test reads the pane.
    """
    watcher = os.pidfd_open(pid)
    try:
        started = time.monotonic()
        hang_up()
        readable, _, _ = select.select([watcher], [], [], timeout)
        assert readable, f"segtui still runs {timeout} s after the hangup"
        return time.monotonic() - started
    finally:
        os.close(watcher)


def log_lines(text: str) -> list[str]:
    """Return the lines of segtui's log file that contain ``text``."""
    path = paths.log_dir() / "segtui.log"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if text in line]


def start_log(pane: Tmux, output: Path) -> None:
    """Open the only segment, and log it with its letters written into ``output``."""
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


@pytest.mark.slow
def test_hangup_while_logging_changes_nothing(
    slow_log_database: str, tmp_path: Path
) -> None:
    database = open_database(slow_log_database)
    before = snapshot()
    output = tmp_path / "letters"
    pane = Tmux(segtui_command(slow_log_database), env=inherited_environment())
    try:
        start_log(pane, output)

        deadline = time.monotonic() + 20
        while not log_in_flight(slow_log_database):
            assert time.monotonic() < deadline, pane.screen()
            time.sleep(0.1)

        segtui = child_pid(pane)
        waited = exit_seconds(segtui, lambda: os.kill(segtui, signal.SIGHUP))
        screen = pane.wait_for("SEGTUI-EXITED", timeout=10)
        assert f"SEGTUI-EXITED {128 + signal.SIGHUP.value}" in screen
        assert "Traceback" not in screen
    finally:
        pane.close()

    # Within a second, not the minutes the log would take to finish.
    assert waited < 1, f"segtui took {waited:.2f} s to exit after the hangup"
    assert log_lines(f"exiting on signal {signal.SIGHUP.value}")
    # The orderly exit ended segtui, not the deadline's os._exit.
    assert log_lines("did not exit within") == []
    # PostgreSQL ends the canceled statement on its own time after the client is
    # gone, so the test gives the server a few seconds.
    deadline = time.monotonic() + 5
    while log_in_flight(slow_log_database):
        assert time.monotonic() < deadline, "the log's statement still runs"
        time.sleep(0.1)
    assert snapshot() == before
    assert not output.exists() or not any(output.iterdir())
    database.close()


# Hanging up while the letters are written.

# Persons added to the small world, so the log writes enough letters in worker
# processes for the hangup to come while they are busy.
LETTER_PERSONS = 600


def letter_workers(pid: int) -> set[int]:
    """Return the worker processes below ``pid`` that multiprocessing spawned."""
    workers = set()
    for child in process_tree(pid) - {pid}:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            workers.add(child)
    return workers


def running(pid: int) -> bool:
    """Return whether ``pid`` runs: it exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def letter_database(tmp_path: Path) -> Iterator[str]:
    """The small world with LETTER_PERSONS more persons, all in segment Herbstbrief."""
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    Contact.insert_many(
        [
            {
                "no": f"HUP{number:04d}",
                "type": "person",
                "name": f"Person {number}",
                "first_name": "Person",
                "surname": str(number),
                "salutation": "M",
                "country_code": "GB",
                "city": "London",
                "language": "EN",
                "email": f"hup{number}@example.com",
            }
            for number in range(LETTER_PERSONS)
        ]
    ).execute()
    segment = segmentation.create_segment(
        "Herbstbrief", user="tester", template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"type": "person"}}, AddOptions(), user="tester"
    )
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.close()
    yield url


def log_until_letters(pane: Tmux, output: Path) -> tuple[int, set[int]]:
    """Log the segment into ``output`` and wait until its letters are being written.

    Return the ids of segtui and of its letter worker processes.
    """
    start_log(pane, output)

    deadline = time.monotonic() + 60
    while len(list(output.glob("*.docx"))) < 10:
        assert time.monotonic() < deadline, pane.screen()
        time.sleep(0.05)
    segtui = child_pid(pane)
    workers = letter_workers(segtui)
    assert workers, "the letters are not written in worker processes"
    return segtui, workers


@pytest.mark.slow
@pytest.mark.parametrize("hang_up", ["signal", "terminal"])
def test_hangup_while_writing_letters(
    letter_database: str, tmp_path: Path, hang_up: str
) -> None:
    """A hangup after the entries are saved keeps them and the letters written.

    "signal" sends SIGHUP to segtui alone. "terminal" kills tmux, so the kernel
    hangs up the terminal and sends SIGHUP to segtui and its worker processes.
    """
    output = tmp_path / "letters"
    pane = Tmux(segtui_command(letter_database), env=inherited_environment())
    try:
        segtui, workers = log_until_letters(pane, output)
        if hang_up == "signal":
            waited = exit_seconds(segtui, lambda: os.kill(segtui, signal.SIGHUP))
            screen = pane.wait_for("SEGTUI-EXITED", timeout=10)
            assert f"SEGTUI-EXITED {128 + signal.SIGHUP.value}" in screen
            assert "Traceback" not in screen
        else:
            waited = exit_seconds(segtui, pane.close)
        still_running = {pid for pid in workers if running(pid)}
    finally:
        pane.close()

    assert waited < 1, f"segtui took {waited:.2f} s to exit after the hangup"
    assert log_lines("stopped 1 letter run(s)")
    assert log_lines("did not exit within") == []
    assert still_running == set()

    database = open_database(letter_database)
    logged = LoggedSegment.get()
    entries = list(
        InteractionLogEntry.select().where(
            InteractionLogEntry.logged_segment == logged.entry_no
        )
    )
    written = {Path(entry.document_path) for entry in entries if entry.document_path}
    # The print file of the hard-copy letters written is left out.
    on_disk = {
        path
        for path in output.glob("*.docx")
        if not path.name.startswith("All letters")
    }
    # The entries stay saved, as after Escape once they are saved.
    assert len(entries) >= LETTER_PERSONS
    # Each letter on disk is a whole one and recorded, and the rest can be sent.
    assert list(output.glob("*.part")) == []
    assert on_disk == written
    for path in on_disk:
        assert zipfile.is_zipfile(path), path
    unwritten = len(entries) - len(written)
    assert unwritten > 0, "the hangup came after the last letter"
    assert delivery.count_to_resend(logged.entry_no) == unwritten
    database.close()


@pytest.mark.slow
def test_killed_segtui_ends_letter_workers(
    letter_database: str, tmp_path: Path
) -> None:
    """Workers end by themselves when segtui ends without stopping them.

    That is the case when the exit deadline ends segtui with os._exit, or when
    segtui is killed. SIGKILL goes to segtui alone, as the deadline's exit does.
    """
    output = tmp_path / "letters"
    pane = Tmux(segtui_command(letter_database), env=inherited_environment())
    try:
        segtui, workers = log_until_letters(pane, output)
        os.kill(segtui, signal.SIGKILL)
        # Read before the pane closes, because closing it hangs up the workers.
        deadline = time.monotonic() + 1
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        still_running = {pid for pid in workers if running(pid)}
    finally:
        pane.close()

    assert still_running == set()
    assert list(output.glob("*.part")) == []
    for path in output.glob("*.docx"):
        assert zipfile.is_zipfile(path), path


# Stopping letter runs, without a terminal.


def test_stop_ends_letters_in_thread(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Letters merged in the calling thread stop after the one in progress."""
    original = documents.render_letter
    rendered: list[str] = []

    def render_then_stop(*args: Any) -> bytes:
        rendered.append("letter")
        if len(rendered) == 2:
            assert letter_jobs.stop_all() == 1
        return original(*args)

    monkeypatch.setattr(documents, "render_letter", render_then_stop)
    segment = segmentation.create_segment(
        "Stop", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"type": "person"}}, AddOptions(), user=TEST_USER
    )
    folder = tmp_path / "letters"
    result = log_segment(segment.no, LogOptions(output_folder=folder), user=TEST_USER)

    entries = list(
        InteractionLogEntry.select().where(
            InteractionLogEntry.logged_segment == result.logged_segment_no
        )
    )
    written = {Path(entry.document_path) for entry in entries if entry.document_path}
    assert len(entries) > 2
    assert len(rendered) == 2
    assert len(written) == 2
    # Besides the letters written, only the print file of their hard copies.
    print_files = set(result.delivery.print_files)
    assert set(folder.glob("*.docx")) == written | print_files
    unwritten = len(entries) - len(written)
    assert delivery.count_to_resend(result.logged_segment_no) == unwritten
    assert letter_jobs.stop_all() == 0


def test_letters_on_disk_takes_whole_files(tmp_path: Path) -> None:
    """An ended worker's letters count if renamed into place; temporary files go."""
    whole = tmp_path / "whole.docx"
    whole.write_bytes(b"letter")
    half = tmp_path / "half.docx"
    half_temporary = tmp_path / "half.docx.part"
    half_temporary.write_bytes(b"let")
    jobs: list[letter_jobs.LetterJob] = [
        (1, 7, {}, str(whole)),
        (2, 7, {}, str(half)),
        (3, 7, {}, str(tmp_path / "not started.docx")),
    ]

    assert letter_jobs.letters_on_disk(jobs) == [(1, str(whole), "")]
    assert not half_temporary.exists()
    assert whole.read_bytes() == b"letter"
