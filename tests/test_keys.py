"""Key bindings: ids, keys that reach segtui over SSH, the keymap file, the palette."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.binding import Binding

from segtui import paths
from segtui.models import Role, UserSetup
from segtui.ui.app import SegtuiApp
from segtui.ui.catalog import binding_catalog, binding_classes
from segtui.ui.key_names import help_key_name
from segtui.ui.keymap import load_keymap
from segtui.ui.keys import PORTABLE_KEYS, action_name, key_problem, read_keymap
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.criteria_list import CriteriaListScreen
from segtui.ui.screens.help import HelpScreen, help_text
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
        assert add_line.split()[0] == help_key_name("plus")


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
        assert log_line.split()[:2] == ["l,", help_key_name("f9")]


def write_keymap(path: Path, *entries: str) -> Path:
    path.write_text("[keys]\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return path


def test_keymap_entry_takes_default_key(tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"worksheet.criteria_list" = "a"')
    keymap = load_keymap(path)
    assert keymap.keys == {"worksheet.criteria_list": "a"}
    assert len(keymap.conflicts) == 1
    conflict = keymap.conflicts[0]
    assert conflict.kind == "taken"
    assert conflict.key == "a"
    assert conflict.winner == "worksheet.criteria_list"
    assert conflict.loser == "worksheet.criteria_add"
    assert conflict.keys_left == ()
    assert len(keymap.problems) == 1
    warning = keymap.problems[0]
    for part in (str(path), " a,", "worksheet.criteria_list", "worksheet.criteria_add"):
        assert part in warning
    assert "another key" in warning


def test_keymap_loser_keeps_other_keys(tmp_path: Path) -> None:
    """An action that loses one of two keys keeps the other, named in the warning."""
    path = write_keymap(tmp_path / "keys.toml", '"worksheet.preview" = "f9"')
    keymap = load_keymap(path)
    (conflict,) = keymap.conflicts
    assert conflict.loser == "worksheet.log"
    assert conflict.keys_left == ("l",)
    assert "worksheet.log keeps l" in keymap.problems[0]


def test_keymap_first_entry_keeps_shared_key(tmp_path: Path) -> None:
    path = write_keymap(
        tmp_path / "keys.toml",
        '"worksheet.preview" = "z"',
        '"worksheet.edit_header" = "z,f7"',
        '"worksheet.refresh" = "z"',
    )
    keymap = load_keymap(path)
    assert keymap.keys["worksheet.preview"] == "z"
    assert keymap.keys["worksheet.edit_header"] == "f7"
    # Left without keys, the entry is dropped and refresh keeps its own key.
    assert "worksheet.refresh" not in keymap.keys
    shared = {c.loser: c for c in keymap.conflicts if c.kind == "shared"}
    assert set(shared) == {"worksheet.edit_header", "worksheet.refresh"}
    assert shared["worksheet.edit_header"].winner == "worksheet.preview"
    assert any("left out" in problem for problem in keymap.problems)


def test_keymap_priority_app_key_reserved(tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"segment_list.new" = "ctrl+g,f7"')
    keymap = load_keymap(path)
    assert keymap.keys == {"segment_list.new": "f7"}
    (conflict,) = keymap.conflicts
    assert conflict.kind == "reserved"
    assert conflict.winner == "app.go_to"
    assert "app.go_to" in keymap.problems[0]
    assert "ctrl+g" in keymap.problems[0]


def test_keymap_screen_key_shadows_app_key(tmp_path: Path) -> None:
    """A screen key runs before a plain app key, so the app action loses it there."""
    path = write_keymap(tmp_path / "keys.toml", '"worksheet.criteria_list" = "f3"')
    keymap = load_keymap(path)
    (conflict,) = keymap.conflicts
    assert conflict.kind == "taken"
    assert conflict.loser == "app.logged_segments"
    assert conflict.scopes == ("Worksheet",)


def test_keymap_without_conflicts_quiet(tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"worksheet.preview" = "f7"')
    keymap = load_keymap(path)
    assert keymap.conflicts == []
    assert keymap.problems == []


def help_keys_for(help_lines: list[str], description: str) -> str:
    """Return the key column of the one F1 help line for ``description``."""
    found = [line for line in help_lines if line[17:].startswith(description + ":")]
    assert len(found) == 1, (description, help_lines)
    return found[0][:17].strip()


async def test_taken_key_runs_remap_only(world, tmp_path: Path) -> None:
    make_segment()
    path = write_keymap(
        tmp_path / "keys.toml",
        '"worksheet.criteria_list" = "a"',
        '"worksheet.preview" = "f3"',
    )
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        warnings = [n.message for n in app._notifications]
        add_warnings = [m for m in warnings if "worksheet.criteria_add" in m]
        assert len(add_warnings) == 1
        assert str(path) in add_warnings[0]
        assert "worksheet.criteria_list" in add_warnings[0]
        await open_first_segment(pilot)

        # F1 lists a only for Criteria, and f3 only for Preview on this screen.
        help_lines = help_text(app.screen).splitlines()
        assert help_keys_for(help_lines, "Criteria") == "a"
        assert help_keys_for(help_lines, "Add") == "-"
        assert help_keys_for(help_lines, "Preview") == help_key_name("f3")
        assert help_keys_for(help_lines, "Logged") == "-"

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, CriteriaListScreen)


def test_keys_command_prints_effective_keys() -> None:
    """`segtui keys` reads keys.toml from the user config folder and marks changes."""
    path = paths.keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_keymap(path, '"worksheet.criteria_list" = "a"')
    result = subprocess.run(
        [sys.executable, "-m", "segtui", "keys", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = {entry["id"]: entry for entry in json.loads(result.stdout)}
    assert entries["worksheet.criteria_list"]["keys"] == "a"
    assert entries["worksheet.criteria_list"]["default_keys"] == "c"
    assert entries["worksheet.criteria_list"]["remapped"] is True
    assert entries["worksheet.criteria_add"]["keys"] == ""
    assert entries["worksheet.criteria_add"]["taken_keys"] == ["a"]
    assert entries["worksheet.log"]["remapped"] is False
    assert str(path) in result.stderr
    assert "worksheet.criteria_add" in result.stderr

    table = subprocess.run(
        [sys.executable, "-m", "segtui", "keys"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {line.split()[0]: line.split()[1:] for line in table.stdout.splitlines()}
    assert rows["worksheet.criteria_list"][:2] == ["*", "a"]
    assert rows["worksheet.criteria_add"][:2] == ["!", "-"]
    assert rows["worksheet.log"][0] == "l,F9"
    assert "Warning:" in table.stderr


def test_keymap_f1_left_out(tmp_path: Path) -> None:
    """F1 runs help on every screen, so an entry that requests it loses it."""
    path = write_keymap(tmp_path / "keys.toml", '"contact_list.filter" = "F1"')
    keymap = load_keymap(path)
    assert keymap.keys == {}
    (conflict,) = keymap.conflicts
    assert conflict.kind == "everywhere"
    assert conflict.key == "f1"
    assert conflict.winner == "screen.help"
    assert conflict.loser == "contact_list.filter"
    (problem,) = keymap.problems
    assert "contact_list.filter" in problem
    assert "screen.help" in problem
    assert str(path) in problem
    assert "left out" in problem


def test_keymap_app_entry_loses_f1(tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"app.go_to" = "ctrl+g,f1"')
    keymap = load_keymap(path)
    assert keymap.keys == {"app.go_to": "ctrl+g"}
    (conflict,) = keymap.conflicts
    assert conflict.kind == "everywhere"
    assert conflict.keys_left == ("ctrl+g",)


def test_keymap_palette_key_reserved(tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"segment_list.new" = "ctrl+p,f7"')
    keymap = load_keymap(path)
    assert keymap.keys == {"segment_list.new": "f7"}
    (conflict,) = keymap.conflicts
    assert conflict.kind == "reserved"
    assert conflict.winner == "command_palette"
    assert "ctrl+p" in keymap.problems[0]


def test_keymap_key_names_lowercased(tmp_path: Path) -> None:
    path = write_keymap(
        tmp_path / "keys.toml", '"worksheet.preview" = "F7"', '"segment_list.new" = "N"'
    )
    keymap = load_keymap(path)
    assert keymap.keys["worksheet.preview"] == "f7"
    # A capital letter is shift and that letter, so it keeps its case.
    assert keymap.keys["segment_list.new"] == "N"


async def test_f1_entry_keeps_help(world, tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", '"contact_list.filter" = "F1"')
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactListScreen())
        await settle(pilot)
        keys = {
            active.binding.id: key
            for key, active in app.active_bindings.items()
            if active.binding.id in ("contact_list.filter", "screen.help")
        }
        assert keys == {"contact_list.filter": "f", "screen.help": "f1"}
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
