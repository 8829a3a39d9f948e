"""Key bindings: ids, keys that reach segtui over SSH, the keymap file, the palette."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.binding import Binding

from segtui.models import Role, UserSetup
from segtui.ui.app import SegtuiApp
from segtui.ui.catalog import binding_catalog, binding_classes
from segtui.ui.keys import PORTABLE_KEYS, action_name, key_problem, read_keymap
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.help import help_text
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import settle


def all_bindings() -> list[tuple[str, Binding]]:
    found = []
    for cls in binding_classes():
        for binding in cls.__dict__["BINDINGS"]:
            found.append((cls.__qualname__, binding))
    return found


def test_catalog_finds_every_area() -> None:
    ids = {entry.id for entry in binding_catalog()}
    for expected in (
        "app.go_to",
        "screen.help",
        "segment_list.new",
        "worksheet.criteria_add",
        "worksheet.log",
        "dialog.cancel",
        "form.save",
    ):
        assert expected in ids


def test_every_binding_documented() -> None:
    """Each binding has an id, a description for the footer and a tooltip."""
    for owner, binding in all_bindings():
        assert isinstance(binding, Binding), owner
        assert binding.id, (owner, binding.action)
        assert binding.description, (owner, binding.id)
        assert binding.tooltip, (owner, binding.id)


def test_every_binding_reaches_over_ssh() -> None:
    """Each action has a key every terminal sends, and no key tmux or SSH eats."""
    for owner, binding in all_bindings():
        keys = [key.strip() for key in binding.key.split(",")]
        assert any(key in PORTABLE_KEYS for key in keys), (owner, binding.id, keys)
        for key in keys:
            assert key_problem(key) is None, (owner, binding.id, key)


@pytest.mark.parametrize(
    ("action", "name"),
    [
        ("log", "log"),
        ("app.help", "help"),
        ("criteria('add')", "criteria_add"),
        ("cursor(-1)", "cursor_minus_1"),
        ("answer(True)", "answer_true"),
    ],
)
def test_action_name_cases(action: str, name: str) -> None:
    assert action_name(action) == name


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("alt+a", "alt or meta"),
        ("meta+x", "alt or meta"),
        ("ctrl+b", "terminal or tmux"),
        ("ctrl+h", "terminal or tmux"),
        ("f12", "F1-F10"),
        ("f7", None),
        ("ctrl+n", None),
        ("plus", None),
    ],
)
def test_key_problem_cases(key: str, problem: str | None) -> None:
    found = key_problem(key)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found
        assert key in found


KNOWN = ["worksheet.criteria_add", "worksheet.log", "segment_list.new"]


def test_keymap_reads_good_entries(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(
        '[keys]\n"worksheet.criteria_add" = "plus"\n"segment_list.new" = " n , f7 "\n',
        encoding="utf-8",
    )
    keymap = read_keymap(path, KNOWN)
    assert keymap.keys == {"worksheet.criteria_add": "plus", "segment_list.new": "n,f7"}
    assert keymap.problems == []


def test_keymap_names_each_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(
        "[keys]\n"
        '"worksheet.criteria_add" = "plus"\n'
        '"worksheet.lgo" = "g"\n'
        '"worksheet.log" = "alt+l"\n'
        '"segment_list.new" = 5\n',
        encoding="utf-8",
    )
    keymap = read_keymap(path, KNOWN)
    assert keymap.keys == {"worksheet.criteria_add": "plus"}
    assert len(keymap.problems) == 3
    unknown, alt, number = keymap.problems
    assert "'worksheet.lgo'" in unknown
    assert "segtui keys" in unknown
    assert "worksheet.log" in alt
    assert "alt+l" in alt
    assert "segment_list.new = 5" in number


def test_keymap_invalid_toml_ignored(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text('[keys\n"worksheet.log" = "g"\n', encoding="utf-8")
    keymap = read_keymap(path, KNOWN)
    assert keymap.keys == {}
    assert len(keymap.problems) == 1
    assert str(path) in keymap.problems[0]
    assert "its own keys" in keymap.problems[0]


def test_keymap_missing_file_empty(tmp_path: Path) -> None:
    keymap = read_keymap(tmp_path / "keys.toml", KNOWN)
    assert keymap.keys == {}
    assert keymap.problems == []


async def test_remapped_key_opens_add_contacts(world, tmp_path: Path) -> None:
    make_segment()
    path = tmp_path / "keys.toml"
    path.write_text(
        '[keys]\n"worksheet.criteria_add" = "plus"\n"worksheet.nothing" = "z"\n',
        encoding="utf-8",
    )
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        warnings = [n.message for n in app._notifications]
        assert any("'worksheet.nothing'" in message for message in warnings)
        await open_first_segment(pilot)
        assert isinstance(app.screen, WorksheetScreen)

        # The old key does nothing now; the new one opens Add Contacts.
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(app.screen, AddContactsScreen)

        # F1 on the worksheet shows the new key.
        await pilot.press("escape")
        await settle(pilot)
        help_lines = help_text(app.screen).splitlines()
        add_line = next(line for line in help_lines if "Add: Add contacts by" in line)
        assert add_line.split()[0] == "plus"


async def test_invalid_keymap_keeps_default_keys(world, tmp_path: Path) -> None:
    make_segment()
    path = tmp_path / "keys.toml"
    path.write_text("[keys\n", encoding="utf-8")
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        warnings = [n.message for n in app._notifications]
        assert any(str(path) in message for message in warnings)
        await open_first_segment(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddContactsScreen)


def palette_titles(app: SegtuiApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_palette_lists_screen_actions(world) -> None:
    make_segment()
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = palette_titles(app)
        assert "Segments: New" in titles
        assert "segtui: Go to" in titles
        assert not [title for title in titles if title.startswith("Worksheet:")]

        await open_first_segment(pilot)
        titles = palette_titles(app)
        assert "Worksheet: Add" in titles
        assert "Worksheet: Log" in titles
        assert "Segments: New" not in titles
        # Each action once, however many keys it has.
        assert len(titles) == len(set(titles))


async def test_palette_runs_chosen_action(world) -> None:
    make_segment()
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_first_segment(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for character in "worksheet: add":
            await pilot.press(character if character != " " else "space")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddContactsScreen)


async def test_palette_hides_actions_viewer_lacks(world) -> None:
    make_segment()
    UserSetup.insert(user_id="reader", role=Role.VIEWER).execute()
    app = SegtuiApp(user="reader")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_first_segment(pilot)
        titles = palette_titles(app)
        assert "Worksheet: Add" not in titles
        assert "Worksheet: Log" not in titles
        assert "Worksheet: Back" in titles


def test_keys_command_lists_ids() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "segtui", "keys", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = {entry["id"]: entry for entry in json.loads(result.stdout)}
    assert entries["worksheet.criteria_add"]["keys"] == "a"
    assert entries["app.go_to"]["keys"] == "ctrl+g,f6"


async def test_help_lists_every_key(world) -> None:
    make_segment()
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        help_lines = help_text(app.screen).splitlines()
        log_line = next(line for line in help_lines if "Log" in line.split(":")[0])
        assert log_line.split()[:2] == ["l,", "f9"]
