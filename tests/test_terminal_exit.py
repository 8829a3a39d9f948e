"""Quitting in a real terminal: running jobs, signals, crashes and mouse reports.

Quitting while a job runs asks first and, once the job is canceled, leaves the
database as it was and no process behind. Every way out (ctrl+q, kill -TERM, an
unhandled exception) hands the shell back with mouse reporting and the alternate
screen off and the line discipline in canonical mode with echo.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from segtui.db import open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.users import current_user
from segtui.models import Role, UserSetup
from tests.backends import POSTGRES, fresh_database_url
from tests.builders import build_world
from tests.test_signal_logging import SLOW_ROWS, log_in_flight, snapshot
from tests.tmux_harness import (
    Tmux,
    child_pid,
    descendant_pid,
    inherited_environment,
    process_tree,
    segtui_command,
    shell_pane,
    terminal_exit_modes,
)

# Triggers that make every insert into the log and into segment lines take seconds,
# so a quit is sure to arrive while the job is still writing.
SLOW_TRIGGERS = (
    "CREATE TRIGGER slow_log BEFORE INSERT ON interaction_log_entry "
    "BEGIN SELECT count(*) FROM slow_rows AS a, slow_rows AS b; END",
    "CREATE TRIGGER slow_line BEFORE INSERT ON segment_line "
    "BEGIN SELECT count(*) FROM slow_rows AS a, slow_rows AS b; END",
)

QUESTION = "Cancel it and quit?"

# One SGR mouse-move report (button 35 = motion without a button, column 10, row 5).
SGR_MOUSE_MOVE = ["1b", "5b", "3c", "33", "35", "3b", "31", "30", "3b", "35", "4d"]


@pytest.fixture
def slow_jobs_database(tmp_path: Path) -> Iterator[str]:
    """Return a database with a segment to log (SEG00001) and an empty one."""
    if POSTGRES:
        pytest.skip("the slow triggers are written for SQLite")
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    segment = segmentation.create_segment(
        "Herbstbrief", user="tester", template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"type": "person"}}, AddOptions(), user="tester"
    )
    segmentation.create_segment("Winterbrief", user="tester")
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.execute_sql("CREATE TABLE slow_rows (n INTEGER)")
    database.execute_sql(
        "INSERT INTO slow_rows (n) "
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
        f"WHERE n < {SLOW_ROWS}) SELECT n FROM c"
    )
    for statement in SLOW_TRIGGERS:
        database.execute_sql(statement)
    database.close()
    yield url


def open_segment(pane: Tmux, description: str) -> None:
    """Open a segment of the two in the list, whichever row it is on."""
    screen = pane.wait_for("Segments (2)")
    rows = [line for line in screen.splitlines() if "SEG0000" in line]
    index = next(i for i, row in enumerate(rows) if description in row)
    pane.send(*["Down"] * index, "Enter")
    pane.wait_for(f"{description}")
    pane.wait_for("Esc Back")


def wait_for_write(url: str, pane: Tmux) -> None:
    deadline = time.monotonic() + 20
    while not log_in_flight(url):
        assert time.monotonic() < deadline, pane.screen()
        time.sleep(0.05)


def wait_until_gone(pids: set[int], timeout: float) -> float:
    """Wait until none of ``pids`` runs; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            break
        time.sleep(0.02)
    return time.monotonic() - started


def quit_and_cancel(pane: Tmux, url: str) -> tuple[float, set[int]]:
    """Ask to quit, keep the job at first, then cancel it; return exit time and pids."""
    pane.send("C-q")
    pane.wait_for(QUESTION)
    pane.send("Escape")
    deadline = time.monotonic() + 5
    while QUESTION in pane.screen():
        assert time.monotonic() < deadline, pane.screen()
        time.sleep(0.05)
    # Escape kept the job running and segtui open.
    assert log_in_flight(url)
    assert "SEGTUI-EXITED" not in pane.screen()

    pane.send("C-q")
    pane.wait_for(QUESTION)
    pids = process_tree(child_pid(pane))
    pane.send("y", pause=0)
    waited = wait_until_gone(pids, timeout=10)
    return waited, pids


@pytest.mark.slow
def test_quit_while_logging(slow_jobs_database: str, tmp_path: Path) -> None:
    url = slow_jobs_database
    database = open_database(url)
    before = snapshot()
    database.close()
    output = tmp_path / "letters"
    pane = Tmux(segtui_command(url), env=inherited_environment())
    try:
        open_segment(pane, "Herbstbrief")
        pane.send("l")
        pane.wait_for("Output folder")
        pane.send("Tab", "Tab", "C-u")
        pane.type(str(output))
        pane.send("C-s")
        wait_for_write(url, pane)

        waited, pids = quit_and_cancel(pane, url)
        screen = pane.wait_for("SEGTUI-EXITED", timeout=5)
        assert "SEGTUI-EXITED 0" in screen
        assert "Traceback" not in screen
    finally:
        pane.close()

    assert waited < 1, f"segtui and its children {pids} took {waited:.2f} s to end"
    assert not log_in_flight(url)
    database = open_database(url)
    assert snapshot() == before
    database.close()
    assert not output.exists() or not any(output.iterdir())


@pytest.mark.slow
def test_quit_while_adding_contacts(slow_jobs_database: str) -> None:
    url = slow_jobs_database
    database = open_database(url)
    before = snapshot()
    database.close()
    pane = Tmux(segtui_command(url), env=inherited_environment())
    try:
        open_segment(pane, "Winterbrief")
        pane.wait_for("a Add")
        pane.send("a")
        pane.wait_for("would be added")
        pane.send("C-s")
        wait_for_write(url, pane)

        waited, pids = quit_and_cancel(pane, url)
        screen = pane.wait_for("SEGTUI-EXITED", timeout=5)
        assert "SEGTUI-EXITED 0" in screen
        assert "Traceback" not in screen
    finally:
        pane.close()

    assert waited < 1, f"segtui and its children {pids} took {waited:.2f} s to end"
    database = open_database(url)
    assert snapshot() == before
    database.close()


@pytest.fixture
def small_database(tmp_path: Path) -> Iterator[str]:
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    segmentation.create_segment("Frühjahrsaktion", user="tester")
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.close()
    yield url


def send_mouse_burst(pane: Tmux, reports: int) -> None:
    pane.tmux("send-keys", "-t", pane.name, "-H", *(SGR_MOUSE_MOVE * reports))


def assert_shell_restored(pane: Tmux, status: int) -> None:
    """Check the pane after segtui ended: modes off, no stray text, sane tty."""
    screen = pane.wait_for("SEGTUI-EXITED", timeout=10)
    assert f"SEGTUI-EXITED {status}" in screen
    # Mouse any-event, button and standard reporting, SGR encoding, alternate screen.
    assert terminal_exit_modes(pane) == "00000"
    pane.type("stty -a; echo STTY-DONE")
    pane.send("Enter")
    screen = pane.wait_for("STTY-DONE\n", timeout=5)
    assert re.search(r"(?<![-\w])icanon\b", screen), screen
    assert re.search(r"(?<![-\w])echo\b", screen), screen
    assert "35;10;5M" not in screen
    assert "[<35" not in screen


def start_in_shell(pane: Tmux, command: list[str]) -> None:
    pane.wait_for("shell-prompt$")
    # The quotes keep the typed command line from matching what wait_for looks for.
    pane.type(f"{shlex.join(command)}; echo SEGTUI''-EXITED $?")
    pane.send("Enter")


@pytest.mark.slow
def test_ctrl_q_with_mouse_burst(small_database: str) -> None:
    pane = shell_pane(env=inherited_environment())
    try:
        start_in_shell(pane, segtui_command(small_database))
        pane.wait_for("Segments (1)")
        assert terminal_exit_modes(pane).endswith("1")
        send_mouse_burst(pane, 40)
        pane.send("C-q", pause=0)
        send_mouse_burst(pane, 40)
        assert_shell_restored(pane, 0)
        assert "Traceback" not in pane.screen()
    finally:
        pane.close()


@pytest.mark.slow
def test_kill_term_restores_shell(small_database: str) -> None:
    pane = shell_pane(env=inherited_environment())
    try:
        start_in_shell(pane, segtui_command(small_database))
        pane.wait_for("Segments (1)")
        send_mouse_burst(pane, 20)
        os.kill(descendant_pid(pane), signal.SIGTERM)
        assert_shell_restored(pane, 128 + signal.SIGTERM.value)
        assert "Traceback" not in pane.screen()
    finally:
        pane.close()


# Starts segtui with F1 made to raise, standing in for a bug that escapes a handler.
CRASHING_SEGTUI = (
    "import sys\n"
    "from segtui.ui.app import SegtuiApp\n"
    "def crash(self):\n"
    "    raise RuntimeError('injected failure')\n"
    "SegtuiApp.action_help = crash\n"
    "from segtui.entry import main\n"
    "sys.argv = ['segtui', *sys.argv[1:]]\n"
    "main()\n"
)


@pytest.mark.slow
def test_unhandled_exception_restores_shell(
    small_database: str, tmp_path: Path
) -> None:
    script = tmp_path / "crashing_segtui.py"
    script.write_text(CRASHING_SEGTUI)
    command = [sys.executable, str(script), "--db", small_database]
    pane = shell_pane(env=inherited_environment(), height=40)
    try:
        start_in_shell(pane, command)
        pane.wait_for("Segments (1)")
        send_mouse_burst(pane, 20)
        pane.send("F1", pause=0)
        send_mouse_burst(pane, 20)
        assert_shell_restored(pane, 1)
        assert "injected failure" in pane.screen()
    finally:
        pane.close()


def test_process_tree_lists_children() -> None:
    """process_tree finds grandchildren, which the quit checks rely on."""
    parent = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30; wait"])
    try:
        deadline = time.monotonic() + 5
        pids: set[int] = set()
        while len(pids) < 3 and time.monotonic() < deadline:
            pids = process_tree(parent.pid)
            time.sleep(0.05)
        assert parent.pid in pids
        assert len(pids) == 3
    finally:
        parent.kill()
        parent.wait()
        for pid in pids - {parent.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
