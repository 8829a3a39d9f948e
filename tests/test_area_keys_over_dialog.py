"""F2, F3 and F4 over a dialog show a notice of why they do nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import Dialog
from segtui.ui.screens.help import HelpScreen
from segtui.ui.screens.logged import LoggedSegmentListScreen
from segtui.ui.screens.segment_dialogs import LogDialog
from segtui.ui.screens.segments import SegmentListScreen
from tests.conftest import TEST_USER
from tests.test_dialog_keys import wait_until
from tests.test_goto_during_jobs import notices, press_go_key
from tests.test_keys import write_keymap
from tests.test_quit_during_log import end_jobs, hold_letters, make_letter_segment
from tests.test_tui_screens import open_first_segment
from tests.tui_helpers import press_settled


@pytest.mark.parametrize(
    ("key", "action"), [("f2", "Segments"), ("f3", "Logged"), ("f4", "Saved criteria")]
)
async def test_area_key_over_dialog_explained(world, key: str, action: str) -> None:
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_settled(pilot, "n")
        dialog = app.screen
        assert isinstance(dialog, Dialog)

        await press_go_key(pilot, key)
        assert app.screen is dialog
        assert len(notices(app)) == 1
        notice = notices(app)[0]
        assert f'"{dialog.dialog_title}" is open' in notice
        assert f"{key.upper()} ({action}) does nothing" in notice
        assert "Close it with Esc first" in notice


async def test_f3_works_after_dialog_closed(world) -> None:
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_settled(pilot, "n")
        await press_go_key(pilot, "f3")
        await press_settled(pilot, "escape")
        assert isinstance(app.screen, SegmentListScreen)

        await press_settled(pilot, "f3")
        assert isinstance(app.screen, LoggedSegmentListScreen)
        assert len(notices(app)) == 1


async def test_area_key_over_help_explained(world) -> None:
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_settled(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)

        await press_go_key(pilot, "f2")
        assert isinstance(app.screen, HelpScreen)
        notice = notices(app)[0]
        assert f'"{app.screen.help_title}" is open' in notice
        assert "F2 (Segments) does nothing" in notice


async def test_area_key_over_full_screen_quiet(world) -> None:
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_settled(pilot, "f3")
        assert isinstance(app.screen, LoggedSegmentListScreen)
        await press_settled(pilot, "f2")
        assert isinstance(app.screen, SegmentListScreen)
        assert notices(app) == []


async def test_remapped_area_key_explained(world, tmp_path: Path) -> None:
    """A dialog names the key the keymap file gives the action, not the default."""
    path = write_keymap(tmp_path / "keys.toml", '"app.segments" = "f7"')
    app = SegtuiApp(user=TEST_USER, keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_settled(pilot, "n")
        await press_settled(pilot, "f2")
        assert notices(app) == []

        await press_go_key(pilot, "f7")
        assert len(notices(app)) == 1
        assert "F7 (Segments) does nothing" in notices(app)[0]


async def test_f2_over_running_log(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over a dialog whose job runs, F2 gives Ctrl+G's message: wait or stop it."""
    make_letter_segment()
    release, started = hold_letters(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await open_first_segment(pilot)
            await press_settled(pilot, "l")
            dialog = app.screen
            assert isinstance(dialog, LogDialog)
            await pilot.press("ctrl+s")
            assert await wait_until(pilot, started.is_set)

            await press_go_key(pilot, "f2")
            assert app.screen is dialog
            assert len(notices(app)) == 1
            notice = notices(app)[0]
            assert f'"{dialog.dialog_title}" is still running' in notice
            assert "press Esc there to stop it" in notice
        finally:
            await end_jobs(pilot, release)
