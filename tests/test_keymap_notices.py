"""Keymap warnings at start, `segtui keys` marks, and keys named in F1 help prose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets._toast import Toast, ToastRack

from segtui import i18n, paths
from segtui.i18n import _
from segtui.ui.app import SegtuiApp
from segtui.ui.key_names import help_key_name
from segtui.ui.keymap import load_keymap, lost_keys, warning_notice, wrapped_lines
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.help import help_text
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import TEST_USER
from tests.test_keys import write_keymap
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import settle

# Four entries that each give a warning: two unknown ids and two taken keys.
NOISY_KEYMAP = (
    '"worksheet.nothing" = "z"',
    '"segment_list.nothing" = "z"',
    '"worksheet.criteria_list" = "a"',
    '"worksheet.preview" = "f9"',
)


def test_notice_short_on_small_screen() -> None:
    problems = [f"warning {number}: " + "word " * 60 for number in range(10)]
    notice = warning_notice(problems, 80, 24)
    assert notice.title == "10 warnings about the keymap file"
    # The toast is 40 cells wide at 80 columns, 37 of them for text: the title,
    # three lines of the first warning and two of the pointer to segtui keys.
    assert wrapped_lines(notice.title + "\n" + notice.message, 37) <= 6
    assert notice.message.startswith("warning 0: word")
    assert " ~" in notice.message
    assert "warning 1:" not in notice.message
    assert "segtui keys" in notice.message.splitlines()[-1]
    assert notice.timeout == 10


def test_notice_keeps_short_warning_whole() -> None:
    notice = warning_notice(["first problem.", "second problem."], 200, 60)
    assert notice.title == "2 warnings about the keymap file"
    assert notice.message.splitlines()[0] == "first problem."
    assert "second problem." not in notice.message
    assert "~" not in notice.message
    assert "segtui keys" in notice.message


async def test_start_warnings_one_notice(world, tmp_path: Path) -> None:
    path = write_keymap(tmp_path / "keys.toml", *NOISY_KEYMAP)
    problems = load_keymap(path).problems
    assert len(problems) == 4
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        notifications = list(app._notifications)
        assert len(notifications) == 1
        message = notifications[0].message
        assert "4 warnings" in notifications[0].title
        first = problems[0].removeprefix(f"{path}: ")
        assert message.splitlines()[0] == first
        for problem in problems[1:]:
            assert problem.removeprefix(f"{path}: ") not in message
        assert message.splitlines()[-1].startswith(f"{path}: run segtui keys")
        assert notifications[0].timeout <= 10
        rack = app.screen.get_child_by_type(ToastRack)
        toasts = list(rack.query(Toast))
        assert len(toasts) == 1
        region = toasts[0].region
        # The toast leaves more than half the screen and the footer line free.
        assert region.height <= 12
        assert region.bottom <= 23


def keys_table() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segtui", "keys"],
        capture_output=True,
        text=True,
        check=True,
    )


def test_keys_marks_only_lost_keys() -> None:
    """! marks an action that lost a key, not one whose entry was left out."""
    path = paths.keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_keymap(
        path,
        '"worksheet.preview" = "z"',
        '"worksheet.refresh" = "z"',
        '"segment_list.new" = "ctrl+g"',
        '"worksheet.criteria_list" = "a"',
    )
    table = keys_table()
    rows = {line.split()[0]: line.split()[1:] for line in table.stdout.splitlines()}
    # Both entries that were left out keep their own keys, unmarked.
    assert rows["worksheet.refresh"][0] != "!"
    assert rows["segment_list.new"][0] != "!"
    assert "left out" in table.stderr
    # The action whose default key a went to Criteria is marked.
    assert rows["worksheet.criteria_add"][:2] == ["!", "-"]
    assert rows["worksheet.criteria_list"][:2] == ["*", "a"]
    assert rows["worksheet.preview"][:2] == ["*", "z"]


def test_lost_keys_skips_left_out(tmp_path: Path) -> None:
    keymap = load_keymap(
        write_keymap(
            tmp_path / "keys.toml",
            '"worksheet.preview" = "z"',
            '"worksheet.refresh" = "z"',
        )
    )
    assert {conflict.kind for conflict in keymap.conflicts} == {"shared"}
    assert lost_keys(keymap.conflicts) == {}


async def test_help_prose_names_remapped_keys(world, tmp_path: Path) -> None:
    make_segment()
    path = write_keymap(
        tmp_path / "keys.toml",
        '"worksheet.criteria_add" = "plus"',
        '"worksheet.criteria_list" = "f7"',
    )
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        prose = help_text(app.screen).split("\n\n")[0]
        plus = help_key_name("plus")
        assert f"Add contacts by criteria with {plus}," in prose
        assert "with a," not in prose
        # Unchanged keys and the article "a" stay as they are.
        assert "insert one contact with i," in prose
        assert "log the segment with l:" in prose
        assert "and one Word letter per line" in prose
        full = help_text(app.screen)
        assert f"in the criteria list ({help_key_name('f7')})" in full
        assert "criteria list (c)" not in full


async def test_help_prose_german_keys(world, tmp_path: Path) -> None:
    make_segment()
    path = write_keymap(
        tmp_path / "keys.toml",
        '"worksheet.criteria_add" = "ctrl+n"',
        '"worksheet.log" = "f8"',
    )
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        i18n.set_language("de")
        try:
            # HELP was translated when its module was imported, in English.
            app.screen.HELP = _(WorksheetScreen.HELP)
            text = help_text(app.screen)
            ctrl_n = help_key_name("ctrl+n")
            f8 = help_key_name("f8")
        finally:
            i18n.set_language(None)
        assert f"Fügen Sie mit {ctrl_n} Kontakte" in text
        assert "mit a Kontakte" not in text
        assert f"protokollieren Sie das Segment mit {f8}:" in text
        assert "fügen Sie mit i einen" in text


def notification_text(app: SegtuiApp) -> str:
    return "\n".join(notice.message for notice in app._notifications)


async def test_table_key_clash_warned(world, tmp_path: Path) -> None:
    make_segment()
    path = write_keymap(tmp_path / "keys.toml", '"worksheet.criteria_add" = "pagedown"')
    assert load_keymap(path).problems == []
    app = SegtuiApp(user="tester", keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await settle(pilot)
        warnings = [
            notice.message
            for notice in app._notifications
            if "worksheet.criteria_add" in notice.message
        ]
        assert len(warnings) == 1
        assert str(path) in warnings[0]
        assert "pagedown" in warnings[0]
        assert "a table" in warnings[0]
        # The table takes the key, as the warning states.
        await pilot.press("pagedown")
        await settle(pilot)
        assert isinstance(app.screen, WorksheetScreen)

        # The criteria list removes the warning as it opens, and coming back to
        # the worksheet does not show it again.
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        text = notification_text(app)
        assert text.count("worksheet.criteria_add gets pagedown") == 0


async def test_text_field_clashes_warned(world, tmp_path: Path) -> None:
    path = write_keymap(
        tmp_path / "keys.toml",
        '"contact_list.new" = "ctrl+u"',
        '"contact_list.sort" = "z"',
    )
    app = SegtuiApp(user=TEST_USER, keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "contact_list" not in notification_text(app)
        app.push_screen(ContactListScreen())
        await settle(pilot)
        text = notification_text(app)
        new_warning = [line for line in text.splitlines() if "contact_list.new" in line]
        assert len(new_warning) == 1
        assert "ctrl+u" in new_warning[0]
        assert "a text field" in new_warning[0]
        sort_warning = [
            line for line in text.splitlines() if "contact_list.sort" in line
        ]
        assert len(sort_warning) == 1
        assert "z is typed into it" in sort_warning[0]
        assert str(path) in sort_warning[0]


async def test_default_widget_keys_quiet(world, tmp_path: Path) -> None:
    """Keys the widgets take by default give no warning, only keymap entries do."""
    path = write_keymap(tmp_path / "keys.toml", '"worksheet.preview" = "f7"')
    app = SegtuiApp(user=TEST_USER, keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactListScreen())
        await settle(pilot)
        assert list(app._notifications) == []
