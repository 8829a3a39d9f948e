"""The letter views at 80x24: Home and End (Ctrl+A and Ctrl+E) go to the letter's
top and bottom, and F1 help and the footer list those keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import TextArea

from segtui.domain import logged_segments
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import MessageDialog
from segtui.ui.screens.help import help_text
from segtui.ui.screens.letter_dialogs import LetterPreviewDialog
from segtui.ui.screens.logged import LoggedSegmentScreen
from tests.conftest import TEST_USER
from tests.test_cancel_logged import log_world_segment
from tests.test_layout import footer_line
from tests.tui_helpers import open_screen, press_settled

# A letter longer than any dialog at 80x24, so that it scrolls.
LONG_LETTER = "\n".join(f"Line {index} of the letter" for index in range(60))


@pytest.mark.parametrize(("top", "bottom"), [("home", "end"), ("ctrl+a", "ctrl+e")])
async def test_logged_letter_top_bottom(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, top: str, bottom: str
) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    monkeypatch.setattr(
        logged_segments, "entry_letter_text", lambda entry_no: LONG_LETTER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        body = dialog.query_one("#dialog-body", VerticalScroll)
        assert body.max_scroll_y > 0
        await press_settled(pilot, bottom)
        assert body.scroll_y == body.max_scroll_y
        await press_settled(pilot, top)
        assert body.scroll_y == 0
        # The arrows and page keys scroll it as before.
        await press_settled(pilot, "pagedown")
        assert body.scroll_y > 0
        await press_settled(pilot, "up")
        await press_settled(pilot, "pageup")
        assert body.scroll_y == 0


async def test_logged_letter_lists_keys(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    monkeypatch.setattr(
        logged_segments, "entry_letter_text", lambda entry_no: LONG_LETTER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "v")
        dialog = pilot.app.screen
        text = help_text(dialog)
        assert "Home and End (or Ctrl+A and Ctrl+E) go to its top" in text
        assert "Top: Scroll to the top of the text" in text
        assert "Bottom: Scroll to the bottom of the text" in text
        line = footer_line(dialog)
        assert "^A Top" in line
        assert "^E Bottom" in line


async def test_short_message_hides_top_bottom(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, MessageDialog("Done", "One short line."))
        dialog = pilot.app.screen
        line = footer_line(dialog)
        assert "Top" not in line
        assert "Bottom" not in line
        assert "Top:" not in help_text(dialog)


@pytest.mark.parametrize(("top", "bottom"), [("home", "end"), ("ctrl+a", "ctrl+e")])
async def test_preview_top_bottom(world, top: str, bottom: str) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LetterPreviewDialog("Letter to IND1", LONG_LETTER))
        dialog = pilot.app.screen
        letter = dialog.query_one("#letter-text", TextArea)
        assert letter.max_scroll_y > 0
        await press_settled(pilot, bottom)
        assert letter.scroll_y == letter.max_scroll_y
        assert letter.cursor_location == letter.document.end
        await press_settled(pilot, top)
        assert letter.scroll_y == 0
        assert letter.cursor_location == (0, 0)
        await press_settled(pilot, "pagedown")
        assert letter.scroll_y > 0


async def test_preview_lists_keys(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LetterPreviewDialog("Letter to IND1", LONG_LETTER))
        dialog = pilot.app.screen
        text = help_text(dialog)
        assert "Home and End (or Ctrl+A and Ctrl+E) go to its top" in text
        assert "Top: Scroll to the top of the text" in text
        line = footer_line(dialog)
        assert "^A Top" in line
        assert "^E Bottom" in line
