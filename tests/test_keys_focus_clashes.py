"""`segtui keys` lists keymap keys that a focused table or text field takes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from segtui import paths
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contacts import ContactListScreen
from tests.conftest import TEST_USER
from tests.test_keys import write_keymap
from tests.tui_helpers import settle

# A key the worksheet's table pages with, a key the contact search field deletes
# with, and a letter that field types.
CLASHING_ENTRIES = (
    '"worksheet.criteria_add" = "pagedown"',
    '"contact_list.new" = "ctrl+u"',
    '"contact_list.sort" = "z"',
)


def write_user_keymap(*entries: str) -> Path:
    path = paths.keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_keymap(path, *entries)


def run_keys(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segtui", "keys", *options],
        capture_output=True,
        text=True,
        check=True,
    )


def warnings_naming(text: str, binding_id: str) -> list[str]:
    return [line for line in text.splitlines() if f" {binding_id} gets " in line]


def test_keys_names_table_clash() -> None:
    path = write_user_keymap(*CLASHING_ENTRIES)
    result = run_keys()
    warnings = warnings_naming(result.stderr, "worksheet.criteria_add")
    assert len(warnings) == 1
    assert warnings[0].startswith(f"Warning: {path}: ")
    assert "while a table has focus (Worksheet)" in warnings[0]
    assert "pagedown runs page_down of a table instead" in warnings[0]


def test_keys_marks_action_losing_key_to_table() -> None:
    """The listing marks with ! an action whose key a focused table takes."""
    write_user_keymap(*CLASHING_ENTRIES)
    lines = run_keys().stdout.splitlines()
    (criteria_add,) = [
        line for line in lines if line.startswith("worksheet.criteria_add ")
    ]
    assert "*!" in criteria_add
    (log,) = [line for line in lines if line.startswith("worksheet.log ")]
    assert "!" not in log.split()[1]


def test_keys_names_text_field_clashes() -> None:
    write_user_keymap(*CLASHING_ENTRIES)
    result = run_keys()
    new_warnings = warnings_naming(result.stderr, "contact_list.new")
    assert len(new_warnings) == 1
    assert "while a text field has focus (Contacts)" in new_warnings[0]
    assert "ctrl+u runs delete_left_all" in new_warnings[0]
    sort_warnings = warnings_naming(result.stderr, "contact_list.sort")
    assert len(sort_warnings) == 1
    assert "z is typed into it instead" in sort_warnings[0]


def test_keys_json_focus_warnings() -> None:
    write_user_keymap(*CLASHING_ENTRIES)
    result = run_keys("--json")
    entries = {entry["id"]: entry for entry in json.loads(result.stdout)}
    add_warnings = entries["worksheet.criteria_add"]["focus_warnings"]
    assert len(add_warnings) == 1
    assert "while a table has focus (Worksheet)" in add_warnings[0]
    assert len(entries["contact_list.sort"]["focus_warnings"]) == 1
    # The entry's key still counts as its key, as it runs once the table has none.
    assert entries["worksheet.criteria_add"]["keys"] == "pagedown"
    assert entries["worksheet.preview"]["focus_warnings"] == []


def test_keys_quiet_without_clash() -> None:
    write_user_keymap('"worksheet.preview" = "f7"')
    result = run_keys()
    assert "has focus" not in result.stderr
    entries = {entry["id"]: entry for entry in json.loads(run_keys("--json").stdout)}
    assert all(entry["focus_warnings"] == [] for entry in entries.values())


async def test_keys_words_match_screen_warning(world) -> None:
    """The warning a screen shows when it opens is the line `segtui keys` prints."""
    path = write_user_keymap(*CLASHING_ENTRIES)
    printed = run_keys().stderr
    app = SegtuiApp(user=TEST_USER, keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactListScreen())
        await settle(pilot)
        screen_notices = "\n".join(notice.message for notice in app._notifications)
    for binding_id in ("contact_list.new", "contact_list.sort"):
        on_screen = warnings_naming(screen_notices, binding_id)
        assert len(on_screen) == 1, screen_notices
        assert f"Warning: {on_screen[0]}" in printed.splitlines()
