"""Keys as tmux, screen and a slow SSH link deliver them, and dialogs after a resize.

The tmux tests run segtui in a pane of `tmux -f /dev/null` at 80x24 on a private
copy of the sample database. They send keys by name with `send-keys` and raw bytes
with `send-keys -H`, and wait for text on the screen.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widgets import DataTable, OptionList

from segtui.db import open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.models import LoggedSegment, SegmentHeader, SegmentLine
from segtui.ui.catalog import binding_catalog, binding_classes
from segtui.ui.keys import (
    NAVIGATION_KEYS,
    PORTABLE_KEYS,
    key_problem,
    read_keymap,
    split_keys,
)
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.dialogs import Dialog
from segtui.ui.screens.help import help_text
from tests.backends import POSTGRES, sqlite_url
from tests.conftest import TEST_USER
from tests.tmux_harness import Tmux, inherited_environment, segtui_command

# Enter with a modifier: most terminals send the byte of plain Enter for these.
MODIFIED_ENTER = re.compile(r"^(ctrl|shift|alt|meta|super)\+(enter|return)$")


def segtui_bindings() -> list[tuple[str, Binding]]:
    return [
        (cls.__qualname__, binding)
        for cls in binding_classes()
        for binding in cls.__dict__["BINDINGS"]
    ]


def binding_key(binding: Binding | tuple[str, ...]) -> str:
    return binding.key if isinstance(binding, Binding) else binding[0]


# Textual widgets that segtui puts on screen, with Home and End bindings of their own.
TEXTUAL_WIDGETS_WITH_HOME = (DataTable, OptionList, ScrollableContainer)


def test_navigation_bindings_show_portable_key() -> None:
    """A binding on Home or End lists a key every terminal sends, first."""
    found = 0
    for owner, binding in segtui_bindings():
        keys = split_keys(binding.key)
        if not NAVIGATION_KEYS & set(keys):
            continue
        found += 1
        assert keys[0] in PORTABLE_KEYS, (owner, binding.key)
    # The screens' first/last keys and those of segtui's own tables.
    assert found >= 2


@pytest.mark.parametrize("widget", TEXTUAL_WIDGETS_WITH_HOME)
def test_textual_home_end_have_portable_key(widget: type) -> None:
    """Each Home/End action of a Textual widget has ctrl+a or ctrl+e somewhere.

    The widget itself binds only Home and End, so every segtui screen and dialog
    binds ctrl+a and ctrl+e to move the focused widget to its first or last row.
    """
    navigation = [
        binding
        for cls in widget.__mro__
        for binding in cls.__dict__.get("BINDINGS", [])
        if NAVIGATION_KEYS & set(split_keys(binding_key(binding)))
    ]
    assert navigation, widget
    for owner in (BaseScreen, Dialog):
        keys = {
            key: binding.action
            for binding in owner.__dict__["BINDINGS"]
            for key in split_keys(binding.key)
        }
        assert keys.get("ctrl+a") == "first_item", owner
        assert keys.get("ctrl+e") == "last_item", owner


def test_no_binding_on_modified_enter() -> None:
    for owner, binding in segtui_bindings():
        for key in split_keys(binding.key):
            assert not MODIFIED_ENTER.match(key), (owner, binding.key)
    for entry in binding_catalog():
        for key in split_keys(entry.keys):
            assert not MODIFIED_ENTER.match(key), entry


@pytest.mark.parametrize("key", ["ctrl+enter", "shift+enter", "alt+enter"])
def test_keymap_rejects_modified_enter(key: str, tmp_path: Path) -> None:
    assert key_problem(key) is not None
    path = tmp_path / "keys.toml"
    path.write_text(f'[keys]\n"worksheet.log" = "{key}"\n', encoding="utf-8")
    keymap = read_keymap(path, ["worksheet.log"])
    assert keymap.keys == {}
    assert len(keymap.problems) == 1
    assert key in keymap.problems[0]


def test_help_names_first_last_keys(database: object) -> None:
    from segtui.ui.app import SegtuiApp

    class Owner:
        HELP = ""
        app = SegtuiApp(user=TEST_USER)

    text = help_text(Owner())  # type: ignore[arg-type]
    assert "Ctrl+A, Ctrl+E   first and last row" in text


# The tmux tests.

DESCRIPTION = "Fruehjahrsaktion 2027"
# Contacts CT000001 to CT000039 of the sample data: companies and persons.
FIRST_CONTACTS = {"contact": {"no": "CT00000*|CT00001*|CT00002*|CT00003*"}}
# Lines whose salesperson the fixture clears, so that logging lists that many.
LINES_WITHOUT_SALESPERSON = 30


@pytest.fixture
def segment_database(sample_database_path: Path | str) -> str:
    """The sample database with one segment of 39 lines, 30 without a salesperson."""
    path = sample_database_path
    url = str(path) if POSTGRES else sqlite_url(Path(path))
    database = open_database(url)
    segment = segmentation.create_segment(
        DESCRIPTION, user=TEST_USER, template_code="LETTER"
    )
    segment_actions.add_contacts(
        segment.no, FIRST_CONTACTS, AddOptions(), user=TEST_USER
    )
    line_numbers = [
        line.line_no
        for line in SegmentLine.select(SegmentLine.line_no)
        .where(SegmentLine.segment == segment.no)
        .order_by(SegmentLine.line_no)
        .limit(LINES_WITHOUT_SALESPERSON)
    ]
    SegmentLine.update(salesperson=None).where(
        (SegmentLine.segment == segment.no) & SegmentLine.line_no.in_(line_numbers)
    ).execute()
    database.close()
    return str(sample_database_path)


def segment_state(database: str) -> tuple[int, int, int]:
    """Return the segment's line count, its change count and the logged segments."""
    url = database if POSTGRES else sqlite_url(Path(database))
    connection = open_database(url)
    try:
        header = SegmentHeader.get()
        lines = SegmentLine.select().where(SegmentLine.segment == header.no).count()
        return lines, header.version, LoggedSegment.select().count()
    finally:
        connection.close()


def start(database: str, **env: str) -> Tmux:
    environment = {**inherited_environment(), **env}
    return Tmux(segtui_command(database), env=environment)


def send_bytes(pane: Tmux, *hex_bytes: str) -> None:
    pane.tmux("send-keys", "-t", pane.name, "-H", *hex_bytes)


def wait_gone(pane: Tmux, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    screen = pane.screen()
    while text in screen and time.monotonic() < deadline:
        time.sleep(0.1)
        screen = pane.screen()
    assert text not in screen, screen
    return screen


def open_worksheet(pane: Tmux) -> None:
    pane.wait_for("Segments (1)")
    pane.send("Enter")
    pane.wait_for("a Add")


def open_contact_list(pane: Tmux) -> None:
    pane.wait_for("Segments (1)")
    pane.send("C-g")
    pane.wait_for("Contacts: Contacts")
    # The tenth entry of the menu.
    pane.send(*["Down"] * 9, pause=0.05)
    pane.send("Enter")
    pane.wait_for("Contacts (2,000)")


def field_line(screen: str, label: str) -> str:
    return next(line for line in screen.splitlines() if label in line)


@pytest.mark.slow
@pytest.mark.parametrize("term", ["tmux-256color", "screen"])
def test_home_end_in_tmux(segment_database: str, term: str) -> None:
    pane = start(segment_database, TERM=term)
    try:
        open_contact_list(pane)
        pane.wait_for("CT000019")
        # Down moves from the search field to the list, whose keys the footer shows.
        pane.send("Down")
        pane.wait_for("f Filter")
        for keys, shown in [
            (["C-End"], "CT002000"),
            (["C-Home"], "CT000001"),
            (["C-e"], "CT002000"),
            (["C-a"], "CT000001"),
        ]:
            pane.send(*keys)
            pane.wait_for(shown)
        # Home and End as tmux sends them: ESC [ 4 ~ and ESC [ 1 ~.
        send_bytes(pane, "1b", "5b", "34", "7e")
        pane.wait_for("CT002000")
        send_bytes(pane, "1b", "5b", "31", "7e")
        pane.wait_for("CT000001")

        # The criteria builder's name filter: Home and End, then ctrl+a and ctrl+e.
        pane.send("Escape")
        pane.wait_for("Segments (1)")
        pane.send("Enter")
        pane.wait_for("a Add")
        pane.send("a")
        pane.wait_for("would be added")
        pane.send("Tab")
        for home, end in [
            (["Home"], ["End"]),
            (["-H", "1b", "5b", "31", "7e"], ["-H", "1b", "5b", "34", "7e"]),
            (["C-a"], ["C-e"]),
        ]:
            pane.send("C-u")
            pane.type("Müller|Meier")
            pane.tmux("send-keys", "-t", pane.name, *home)
            pane.type("*")
            pane.tmux("send-keys", "-t", pane.name, *end)
            pane.type("*")
            pane.wait_for("*Müller|Meier*")
        pane.send("Escape")
        pane.wait_for("a Add")
    finally:
        pane.close()
    assert segment_state(segment_database)[0] == 39


@pytest.mark.slow
def test_enter_moves_on_in_filter(segment_database: str) -> None:
    """C-m, the byte of ctrl+Enter and shift+Enter, moves on and applies nothing."""
    before = segment_state(segment_database)
    pane = start(segment_database)
    try:
        open_worksheet(pane)
        pane.send("a")
        pane.wait_for("would be added")
        pane.send(*["Tab"] * 5)
        pane.type("DE|AT")
        pane.wait_for("DE|AT")
        pane.send("C-m")
        pane.type("Q")
        screen = pane.wait_for("DE|AT")
        assert "DE|ATQ" not in screen
        pane.send("C-m")
        screen = pane.screen()
        assert "Add Contacts" in screen
        assert not re.search(r"\d+ contacts? added", screen)
        assert segment_state(segment_database) == before
        # The footer names the key that applies the filters and closes.
        assert "^S Add contacts" in screen
        pane.send("Escape")
        pane.wait_for("a Add")
    finally:
        pane.close()
    assert segment_state(segment_database) == before


def split_down(pane: Tmux, gap: float) -> None:
    """Send Down as two writes, ESC and then `[ B`, as a slow link may deliver it."""
    send_bytes(pane, "1b")
    time.sleep(gap)
    send_bytes(pane, "5b", "42")


SPLIT_CASES = [
    pytest.param({}, 0.05, id="default-50ms"),
    pytest.param({"ESCDELAY": "300"}, 0.15, id="escdelay300-150ms"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("env", "gap"), SPLIT_CASES)
def test_split_arrow_key(segment_database: str, env: dict[str, str], gap: float):
    before = segment_state(segment_database)
    pane = start(segment_database, **env)
    try:
        open_worksheet(pane)
        # (a) The worksheet's cursor moves from line 1 to line 2.
        split_down(pane, gap)
        time.sleep(0.3)
        pane.send("d")
        screen = pane.wait_for("Delete line")
        # Line 2 holds CT000002; line 1 holds the company CT000001.
        assert "CT000002 Jürgen Müller-Lüdenscheid" in screen, screen
        # A key sent within ESCDELAY of Escape would arrive as alt plus that key.
        pane.send("Escape")
        wait_gone(pane, "Delete line")

        # (b) The Log dialog's output folder gets no stray characters.
        pane.send("l")
        pane.wait_for("Output folder")
        pane.send("Tab", "Tab")
        time.sleep(0.3)
        folder = field_line(pane.screen(), "Output folder")
        split_down(pane, gap)
        time.sleep(0.3)
        screen = pane.screen()
        assert "Output folder" in screen
        assert field_line(screen, "Output folder") == folder
        assert "[B" not in screen
        pane.send("Escape")
        wait_gone(pane, "Output folder")

        # (c) The criteria builder's city filter keeps its text.
        pane.send("a")
        pane.wait_for("would be added")
        pane.send(*["Tab"] * 3)
        pane.type("Köln")
        screen = pane.wait_for("Köln")
        split_down(pane, gap)
        time.sleep(0.3)
        screen = pane.screen()
        assert "Add Contacts" in screen
        assert "[B" not in screen
        assert "Köln" in screen
        pane.send("Escape")
        pane.wait_for("a Add")
    finally:
        pane.close()
    assert segment_state(segment_database) == before


@pytest.mark.slow
def test_split_escape_closes_dialog(segment_database: str) -> None:
    """With the default ESCDELAY a 150 ms gap may read as Escape: nothing changes."""
    before = segment_state(segment_database)
    pane = start(segment_database)
    try:
        open_worksheet(pane)
        pane.send("l")
        pane.wait_for("Output folder")
        pane.send("Tab", "Tab")
        split_down(pane, 0.15)
        time.sleep(0.5)
        screen = pane.screen()
        assert "[B" not in screen
        if "Output folder" in screen:
            pane.send("Escape")
        wait_gone(pane, "Output folder")
        pane.wait_for("a Add")
    finally:
        pane.close()
    assert segment_state(segment_database) == before


def resize(pane: Tmux, width: int, height: int) -> None:
    pane.tmux("resize-window", "-t", pane.name, "-x", str(width), "-y", str(height))


LOG_FIELDS = ["Deliver", "Create a follow-up", "Output folder"]
LOG_BUTTONS = ["Log (Ctrl+S)", "Cancel (Esc)"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("first", "second"), [((200, 60), (80, 24)), ((80, 24), (200, 60))]
)
def test_log_dialog_follows_resize(
    segment_database: str, first: tuple[int, int], second: tuple[int, int]
) -> None:
    before = segment_state(segment_database)
    pane = start(segment_database)
    try:
        resize(pane, *first)
        open_worksheet(pane)
        pane.send("l")
        pane.wait_for("Output folder")
        # Logging fails validation and lists one problem per line.
        pane.send("C-s")
        pane.wait_for("no salesperson")
        resize(pane, *second)
        time.sleep(0.5)
        screen = pane.screen()
        width = max(len(line) for line in screen.splitlines())
        assert width <= second[0]
        for button in LOG_BUTTONS:
            assert button in screen, screen
        # Tab reaches each field, the problem list and both buttons.
        seen = set()
        for _step in range(8):
            pane.send("Tab")
            screen = pane.screen()
            for button in LOG_BUTTONS:
                assert button in screen, screen
            seen.update(field for field in LOG_FIELDS if field in screen)
        assert seen == set(LOG_FIELDS)
        # The problem list scrolls to its end while the buttons stay.
        pane.send("C-e")
        time.sleep(0.3)
        pane.send("C-e")
        screen = pane.wait_for("- line")
        for button in LOG_BUTTONS:
            assert button in screen, screen
        pane.send("Escape")
        wait_gone(pane, "Output folder")
        pane.wait_for("a Add")
    finally:
        pane.close()
    assert segment_state(segment_database) == before
