"""Terminal cases: table updates, cut cells, wide terminals and column alignment.

The Pilot tests check how the tables are filled and how wide their columns are.
The tmux tests read the screen as a real terminal draws it, with its own idea of
how many cells each character takes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import locale
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.padding import Padding

from segtui.db import open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.contacts import create_contact
from segtui.domain.criteria import AddOptions
from segtui.models import Contact
from segtui.ui import exit_signals
from segtui.ui import text as ui_text
from segtui.ui.app import SegtuiApp
from segtui.ui.exit_signals import SignalExit
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.listing import DESIGN_WIDTH, widen_columns
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.screens.worksheet import WINDOW_SIZE, WorksheetScreen
from segtui.ui.widgets.virtual_table import WindowTable
from tests import test_terminal_keys as terminal_keys
from tests.conftest import TEST_USER
from tests.terminal_fixture import STORED, load_fixture
from tests.test_signal_logging import running
from tests.test_state_words import screen_lines
from tests.tmux_harness import (
    Tmux,
    descendant_pid,
    inherited_environment,
    process_tree,
    segtui_command,
)
from tests.tui_helpers import settle

# The sample database with a segment of 39 lines, for the tmux tests.
segment_database = terminal_keys.segment_database

# The table API calls the spy counts.
SPIED_METHODS = ("add_row", "remove_row", "clear", "update_cell")


class TableSpy:
    """Count the calls to a table's row methods, wrapping the bound methods."""

    def __init__(self, table: WindowTable) -> None:
        self.calls = dict.fromkeys(SPIED_METHODS, 0)
        for name in SPIED_METHODS:
            setattr(table, name, self.counting(name, getattr(table, name)))

    def counting(self, name: str, method: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted

    def take(self) -> dict[str, int]:
        """Return the counts since the last take, and start counting again."""
        calls = dict(self.calls)
        self.calls = dict.fromkeys(SPIED_METHODS, 0)
        return calls


# Lines of the worksheet: three times the rows its table keeps at once.
SPY_LINES = 3 * WINDOW_SIZE


def big_segment(count: int) -> str:
    """Return a segment of ``count`` persons BIG00001 on, the even ones in AT."""
    rows = [
        {
            "no": f"BIG{index:05d}",
            "type": "person",
            "name": f"Person {index:05d}",
            "country_code": "AT" if index % 2 == 0 else "DE",
            "created_by": TEST_USER,
        }
        for index in range(1, count + 1)
    ]
    for start in range(0, count, 500):
        Contact.insert_many(rows[start : start + 500]).execute()
    segment = segmentation.create_segment("Large", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "BIG*"}}, AddOptions(), user=TEST_USER
    )
    return segment.no


def first_line_numbers(no: str, count: int) -> list[int]:
    return [line.line_no for line in segmentation.segment_lines(no, 0, count)]


async def test_worksheet_reloads_page_not_rows(world: Any) -> None:
    """Removing lines reads one window of rows again and removes no single row."""
    no = big_segment(SPY_LINES)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(WorksheetScreen(no))
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#lines", WindowTable)
        spy = TableSpy(table)

        # Reduce by country removes every second line, as the builder's Reduce does.
        result = segment_actions.reduce_contacts(
            no, {"contact": {"country": "AT"}}, user=TEST_USER
        )
        assert result.deleted == SPY_LINES // 2
        screen.after_change("reduced")
        await settle(pilot)
        reduced = spy.take()
        assert reduced["remove_row"] == 0
        assert reduced["update_cell"] == 0
        assert reduced["add_row"] <= WINDOW_SIZE
        assert table.total == SPY_LINES // 2
        assert table.row_count <= WINDOW_SIZE

        # Delete the line under the cursor with d and y.
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        deleted = spy.take()
        assert deleted["remove_row"] == 0
        assert deleted["add_row"] <= WINDOW_SIZE
        assert table.total == SPY_LINES // 2 - 1

        # Another user deletes 200 lines, and the refresh key reads the window again.
        gone = first_line_numbers(no, 200)
        segment_actions.delete_lines(no, gone, user=TEST_USER)
        await pilot.press("f5")
        await settle(pilot)
        refreshed = spy.take()
        assert refreshed["remove_row"] == 0
        assert refreshed["add_row"] <= WINDOW_SIZE
        assert table.total == SPY_LINES // 2 - 201
        assert str(gone[0]) not in table.rows

        # Moving focus off the table and back touches no row.
        await pilot.press("tab")
        await pilot.press("shift+tab")
        await settle(pilot)
        assert spy.take() == dict.fromkeys(SPIED_METHODS, 0)


# Cut cells.


def render_cell(value: str, width: int) -> str:
    """Render ``value`` in a table cell ``width`` cells wide, as DataTable does."""
    console = Console(width=100, color_system=None)
    options = console.options.update_width(width + 2).update(no_wrap=True)
    lines = console.render_lines(Padding(ui_text.plain(value), (0, 1)), options)
    return "".join(segment.text for segment in lines[0])


@pytest.mark.parametrize(
    ("value", "width", "shown"),
    [
        ("Jürgen Müller-Lüdenscheid", 10, "Jürgen Mü~"),
        ("Jürgen Müller-Lüdenscheid", 25, "Jürgen Müller-Lüdenscheid"),
        ("山田 太郎 Trading", 8, "山田 太~"),
        # The cut falls inside a wide character, which becomes a space.
        ("山田 太郎 Trading", 7, "山田  ~"),
    ],
)
def test_cut_cell_ends_in_narrow_mark(value: str, width: int, shown: str) -> None:
    cell = render_cell(value, width)
    assert cell == f" {shown} "
    assert "\u2026" not in cell


def test_truncation_mark_one_cell() -> None:
    assert ui_text.TRUNCATION_MARK in ui_text.CHROME_GLYPHS
    assert ui_text.truncate_cells("abcdef", 4) == "abc~"
    assert ui_text.truncate_cells("abcd", 4) == "abcd"
    assert ui_text.truncate_cells("abcd", 0) == ""


# Wide terminals.

LONG_NAME = "Jürgen Müller-Lüdenscheid Immobilienverwaltung GmbH & Co. KG"
LONG_DESCRIPTION = "Frühjahrsaktion 2027 für alle Bestandskunden in Nordrhein-Westfalen"


def test_widen_columns_keeps_80() -> None:
    columns = [("No.", "no", 8), ("Name", "name", 24), ("City", "city", 12)]
    assert widen_columns(columns, ("name", "city"), DESIGN_WIDTH) == columns
    assert widen_columns(columns, ("name", "city"), 60) == columns
    widened = widen_columns(columns, ("name", "city"), DESIGN_WIDTH + 36)
    assert widened == [("No.", "no", 8), ("Name", "name", 48), ("City", "city", 24)]


async def open_wide_case(pilot: Any, case: str, no: str) -> None:
    await settle(pilot)
    if case == "contacts":
        pilot.app.push_screen(ContactListScreen())
    elif case == "worksheet":
        pilot.app.push_screen(WorksheetScreen(no))
    else:
        assert isinstance(pilot.app.screen, SegmentListScreen)
    await settle(pilot)


@pytest.mark.parametrize("case", ["contacts", "worksheet", "segments"])
async def test_wide_terminal_shows_long_name(world: Any, case: str) -> None:
    create_contact(
        {"no": "A0001", "type": "company", "name": LONG_NAME, "country_code": "DE"},
        user=TEST_USER,
    )
    segment = segmentation.create_segment(LONG_DESCRIPTION, user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "A0001"}}, AddOptions(), user=TEST_USER
    )
    long_text = LONG_DESCRIPTION if case == "segments" else LONG_NAME
    for size, whole in [((80, 24), False), ((200, 60), True)]:
        async with SegtuiApp(user=TEST_USER).run_test(size=size) as pilot:
            await open_wide_case(pilot, case, segment.no)
            lines = screen_lines(pilot)
            assert (long_text in "\n".join(lines)) is whole, (size, lines)
            assert any(long_text[:15] in line for line in lines), lines


# Column alignment in tmux.

LIBC = ctypes.CDLL(ctypes.util.find_library("c"))
LIBC.wcwidth.argtypes = [ctypes.c_wchar]
# Contacts with plain ASCII names, for rows to compare against.
ASCII_CONTACTS = ("A-001", "A-002", "A-003")
# Rows whose every column must sit under its header: umlauts, NFC from NFD, CJK,
# Thai, whose marks Rich and the C library both count as zero cells wide, and an
# emoji with a presentation selector, which table cells show without it.
ALIGNED_NOS = (*ASCII_CONTACTS, "P-MUE", "P-NFD", "P-CJK", "P-THA", "C-EMJ")


def terminal_cells(line: str) -> list[str]:
    """Split a captured line into the terminal's cells, as tmux placed the text.

    tmux 3.3a on Linux measures each character with the C library's wcwidth(). A
    zero-width character joins the cell before it, and a wide character takes an
    empty cell after it.
    """
    previous = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    try:
        cells: list[str] = []
        for character in line:
            width = LIBC.wcwidth(character)
            if width == 0 and cells:
                cells[-1] += character
            else:
                cells.append(character)
                cells.extend([""] * (max(width, 1) - 1))
        return cells
    finally:
        locale.setlocale(locale.LC_CTYPE, previous)


def column_starts(header: str, labels: list[str]) -> list[int]:
    """Return the cell where each label starts in the ASCII header line."""
    starts = []
    # capture-pane drops trailing spaces, so the last label gets its space back.
    padded = header + " "
    for label in labels:
        start = padded.index(f" {label} ", starts[-1] if starts else 0) + 1
        starts.append(start)
    return starts


def row_cells(line: str, starts: list[int]) -> list[str]:
    """Return the text of each column of a captured row, cut at the header's cells."""
    cells = terminal_cells(line)
    bounds = [*starts[1:], len(cells) + 1]
    return [
        "".join(cells[start : end - 1]).strip()
        for start, end in zip(starts, bounds, strict=True)
    ]


@pytest.fixture
def fixture_database(tmp_path: Path) -> Iterator[str]:
    """Return a database with the small world, the terminal fixture and A-001..A-003."""
    from tests.backends import fresh_database_url
    from tests.builders import build_world

    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    load_fixture(TEST_USER)
    for no in ASCII_CONTACTS:
        create_contact(
            {
                "no": no,
                "type": "company",
                "name": f"Plain {no} GmbH",
                "country_code": "DE",
            },
            user=TEST_USER,
        )
    from segtui.domain.users import current_user
    from segtui.models import Role, UserSetup

    UserSetup.insert(
        user_id=current_user(), role=Role.ADMIN
    ).on_conflict_ignore().execute()
    database.close()
    yield url


CONTACT_LABELS = ["No.", "Name", "T", "!", "City", "Ctry", "Email"]


def contact_rows(screen: str) -> tuple[list[int], dict[str, list[str]]]:
    """Return the header's column starts and the cells of each contact row by number."""
    lines = screen.splitlines()
    header = next(line for line in lines if " No. " in line and " Ctry " in line)
    starts = column_starts(header, CONTACT_LABELS)
    rows = {}
    for line in lines:
        cells = row_cells(line, starts)
        if cells[0] in STORED or cells[0] in ASCII_CONTACTS:
            rows[cells[0]] = cells
    return starts, rows


@pytest.mark.slow
def test_wide_characters_keep_columns(fixture_database: str) -> None:
    environment = {**inherited_environment(), "TERM": "tmux-256color"}
    pane = Tmux(segtui_command(fixture_database), env=environment)
    try:
        pane.wait_for("Segments (")
        pane.send("C-g")
        pane.wait_for("Contacts: Contacts")
        pane.send(*["Down"] * 9, pause=0.05)
        pane.send("Enter")
        # The footer shows s for the search while the list has the focus, and
        # ctrl+f while the search field has it.
        pane.wait_for("s Search")
        pane.send("s")
        pane.wait_for("^F Search")
        # Every fixture number and A-001..A-003 contain "-"; Enter moves to the list.
        pane.type("-")
        pane.wait_for("15 contacts")
        pane.send("Enter")
        screens = [pane.screen()]
        for _step in range(4):
            pane.send("Down")
            screens.append(pane.screen())
    finally:
        pane.close()

    for screen in screens:
        _starts, rows = contact_rows(screen)
        assert set(ALIGNED_NOS) <= set(rows), screen
        for no in ALIGNED_NOS:
            cells = rows[no]
            assert cells[CONTACT_LABELS.index("Ctry")] == "DE", (no, cells, screen)
            assert cells[CONTACT_LABELS.index("T")] in ("P", "C"), (no, cells)
            name = cells[CONTACT_LABELS.index("Name")]
            expected = STORED.get(no, f"Plain {no} GmbH")
            shown = ui_text.terminal_text(expected)
            assert name == ui_text.truncate_cells(shown, 24), (no, cells)


# The terminal goes away.


def wait_until_gone(pids: set[int], timeout: float) -> float | None:
    """Wait until none of ``pids`` runs; return the monotonic time they were gone.

    Return None if one still runs after ``timeout`` seconds. A zombie counts as
    gone, because its parent, the pane's shell, ended too, and how soon init
    reaps it is not segtui's doing.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(running(pid) for pid in pids):
            return time.monotonic()
        time.sleep(0.01)
    return None


def hang_up_after_dialog(database: str) -> tuple[set[int], float]:
    """Kill tmux just after the criteria builder closed.

    Return segtui's process tree and the monotonic time just before tmux was killed.

    Closing the terminal hangs it up: the shell in the pane gets SIGHUP, and when it
    ends the kernel sends SIGHUP and then SIGCONT to segtui.
    """
    pane = terminal_keys.start(database)
    try:
        terminal_keys.open_worksheet(pane)
        pane.send("a")
        pane.wait_for("would be added")
        pane.send("Tab")
        pane.type("Müller|Meier")
        pane.wait_for("Müller|Meier")
        pane.send("Escape")
        pane.wait_for("a Add")
        pids = process_tree(descendant_pid(pane))
        hung_up = time.monotonic()
    finally:
        pane.close()
    return pids, hung_up


# Hangups per test. Without the SIGCONT guard, 5 of 7 single hangups in this
# state left segtui running on a 2-core machine, so three make a miss unlikely.
HANGUP_ROUNDS = 3


@pytest.mark.slow
def test_killed_tmux_ends_segtui(segment_database: str) -> None:
    for round_no in range(HANGUP_ROUNDS):
        pids, hung_up = hang_up_after_dialog(segment_database)
        try:
            ended_at = wait_until_gone(pids, timeout=3)
            assert ended_at, f"round {round_no}: {pids} still run 3 s after tmux ended"
            took = ended_at - hung_up
            assert took < 1, f"round {round_no}: segtui took {took:.2f} s to end"
        finally:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


# The command palette.

PALETTE_WORDS = ("logged", "Worksheet: add")


@pytest.mark.slow
def test_palette_takes_typed_burst(segment_database: str) -> None:
    """ctrl+p and a word in one write to the terminal: the palette gets every key."""
    pane = terminal_keys.start(segment_database)
    try:
        terminal_keys.open_worksheet(pane)
        for word in PALETTE_WORDS:
            # 0x10 is ctrl+p.
            burst = ["10", *(f"{ord(character):02x}" for character in word)]
            terminal_keys.send_bytes(pane, *burst)
            screen = pane.wait_for("🔎")
            deadline = time.monotonic() + 5
            while f"🔎 {word}" not in screen and time.monotonic() < deadline:
                time.sleep(0.1)
                screen = pane.screen()
            assert f"🔎 {word}" in screen, screen
            pane.send("Escape")
            terminal_keys.wait_gone(pane, "🔎")
    finally:
        pane.close()


# A script whose orderly exit blocks for a minute after SIGHUP, as a stuck output
# thread or database call would block it. It prints the monotonic clock, which all
# processes share on Linux, just before it sends itself the signal.
STUCK_EXIT_SCRIPT = """
import asyncio, os, signal, time
from segtui.ui.exit_signals import SignalExit

async def main():
    handlers = SignalExit(lambda number: time.sleep(60))
    handlers.install()
    print(time.monotonic(), flush=True)
    os.kill(os.getpid(), signal.SIGHUP)
    await asyncio.sleep(60)

asyncio.run(main())
"""


def test_stuck_exit_ends_by_deadline() -> None:
    """A hangup ends segtui within a second even when its orderly exit is stuck."""
    process = subprocess.Popen(
        [sys.executable, "-c", STUCK_EXIT_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        signaled = float(process.stdout.readline())
        return_code = process.wait(timeout=30)
        took = time.monotonic() - signaled
    finally:
        process.kill()
        process.communicate()
    assert return_code == 128 + signal.SIGHUP
    assert took < 1, f"the process ended {took:.2f} s after SIGHUP"


def test_sigcont_skipped_after_hangup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's SIGCONT handler runs only while the terminal is there."""
    resumed = []
    handlers = SignalExit(lambda number: None)
    handlers.previous[signal.SIGCONT] = lambda number, frame: resumed.append(number)

    monkeypatch.setattr(exit_signals, "terminal_attached", lambda: True)
    handlers.on_continue(signal.SIGCONT, None)
    assert resumed == [signal.SIGCONT]

    monkeypatch.setattr(exit_signals, "terminal_attached", lambda: False)
    handlers.on_continue(signal.SIGCONT, None)
    assert resumed == [signal.SIGCONT]

    monkeypatch.setattr(exit_signals, "terminal_attached", lambda: True)
    handlers.received = signal.SIGHUP
    handlers.on_continue(signal.SIGCONT, None)
    assert resumed == [signal.SIGCONT]
