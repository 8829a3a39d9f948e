"""Input and message dialogs: whole prompts, their callers' own F1 help, file paths."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Input

from segtui import paths
from segtui.domain import logged_segments
from segtui.domain.saved_criteria import save_criteria
from segtui.models import InteractionLogEntry
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import InputDialog, MessageDialog
from segtui.ui.screens.help import help_text
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.saved_criteria import SavedCriteriaScreen
from segtui.ui.screens.segment_dialogs import LogDialog
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged, entries_of, log_world_segment
from tests.test_question_help import dialog_calls
from tests.test_state_words import screen_lines
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import open_screen, press_settled, settle


def flat(text: str) -> str:
    """Return ``text`` with every run of whitespace made one space."""
    return re.sub(r"\s+", " ", text).strip()


def dialog_text(pilot: Pilot[Any]) -> str:
    """Return the text drawn inside the dialog's border, lines joined by spaces."""
    inside = []
    for line in screen_lines(pilot):
        parts = line.split("│")
        if len(parts) >= 3:
            inside.append(parts[1])
    return flat(" ".join(inside))


async def open_non_responders(pilot: Pilot[Any], logged_no: int) -> InputDialog:
    await open_screen(pilot, LoggedSegmentScreen(logged_no))
    await press_settled(pilot, "n")
    dialog = pilot.app.screen
    assert isinstance(dialog, InputDialog)
    return dialog


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_non_responders_prompt_whole(world, size: tuple[int, int]) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    async with SegtuiApp(user=TEST_USER).run_test(size=size) as pilot:
        dialog = await open_non_responders(pilot, logged_no)
        assert "on or after (YYYY-MM-DD):" in dialog.prompt
        assert flat(dialog.prompt) in dialog_text(pilot)


async def test_long_input_prompt_wrapped(world) -> None:
    prompt = " ".join(f"word{index}" for index in range(60)) + " end:"
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InputDialog("Long", prompt, help="Test help."))
        assert prompt in dialog_text(pilot)


def input_dialog_calls() -> list[tuple[str, ast.Call]]:
    return dialog_calls("InputDialog")


def help_literal(call: ast.Call) -> str:
    """Return the text of a call's help=_("...") or _("...").format(...), or ""."""
    values = [keyword.value for keyword in call.keywords if keyword.arg == "help"]
    if not values:
        return ""
    value = values[0]
    # _("...").format(...) is a call of the format attribute of the _() call.
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        value = value.func.value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "_"
        and isinstance(value.args[0], ast.Constant)
    ):
        return str(value.args[0].value)
    return ""


def test_input_dialog_calls_found() -> None:
    # A parse that finds no calls would let the next tests pass on nothing.
    assert len(input_dialog_calls()) >= 2


def test_every_input_dialog_passes_help() -> None:
    missing = [place for place, call in input_dialog_calls() if not help_literal(call)]
    assert missing == []


def test_input_helps_name_enter_and_esc() -> None:
    for place, call in input_dialog_calls():
        text = help_literal(call)
        assert "Enter" in text, place
        assert "Esc" in text, place


def test_input_help_replaces_generic() -> None:
    assert InputDialog("Name", "Name:", help="The name.").HELP == "The name."
    assert InputDialog("Name", "Name:").HELP == InputDialog.HELP


async def test_f1_in_non_responders(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_non_responders(pilot, logged_no)
        text = help_text(dialog)
        assert text.startswith("The date from which campaign responses count.")
        assert "Write the date as YYYY-MM-DD." in text
        assert "Enter creates the segment and opens its worksheet." in text
        assert "Esc closes the dialog and creates nothing." in text
        assert InputDialog.HELP not in text


def test_message_help_adds_scroll_keys() -> None:
    dialog = MessageDialog("Letter", "Dear ...", help="The letter.")
    assert dialog.HELP.startswith("The letter.\n\n")
    assert "The up and down arrows, PageUp and PageDown" in dialog.HELP
    assert "Enter or Esc closes the dialog" in dialog.HELP
    assert MessageDialog("Not done", "Failed.").HELP == MessageDialog.HELP


async def test_letter_view_help_and_scroll(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    # The world's letters fit the dialog, so the one shown is made longer.
    long_letter = "\n".join(f"Line {index} of the letter" for index in range(60))
    monkeypatch.setattr(
        logged_segments, "entry_letter_text", lambda entry_no: long_letter
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        text = help_text(dialog)
        assert text.startswith("The text of the entry's letter without its layout")
        assert "The up and down arrows, PageUp and PageDown" in text
        assert "  Page Down, Ctrl+D Scroll: Scroll down one page" in text
        assert MessageDialog.HELP not in text
        body = dialog.query_one("#dialog-body", VerticalScroll)
        # The letter is longer than the dialog, or the keys could not be tested.
        assert body.max_scroll_y > 0
        assert "Line 0 of the letter" in dialog_text(pilot)
        await press_settled(pilot, "pagedown")
        assert body.scroll_y > 0
        await press_settled(pilot, "pageup")
        assert body.scroll_y == 0
        await press_settled(pilot, "down")
        assert body.scroll_y == 1
        await press_settled(pilot, "up")
        assert body.scroll_y == 0
        # Ctrl+D and Ctrl+U page where a terminal sends no PageDown and PageUp.
        await press_settled(pilot, "ctrl+d")
        assert body.scroll_y > 1
        await press_settled(pilot, "ctrl+u")
        assert body.scroll_y == 0
        await press_settled(pilot, "enter")
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)


async def test_saved_criteria_view_help(world) -> None:
    segment_no = make_segment()
    save_criteria(segment_no, "KEEP", "Kept criteria", user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, SavedCriteriaScreen())
        await press_settled(pilot, "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        text = help_text(dialog)
        assert text.startswith("The description of the saved criteria, then their")
        assert "PageUp and PageDown (or Ctrl+U and Ctrl+D) scroll" in text
        assert MessageDialog.HELP not in text


async def test_log_dialog_help_keys(world) -> None:
    make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await press_settled(pilot, "l")
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        text = help_text(dialog)
        assert "Save and close" not in text
        assert "Log: Start logging the segment" in text
        assert "Space ticks or clears the focused tick box" in text


async def test_save_letter_proposes_letter_folder(world, tmp_path: Path) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    first = entries_of(logged_no)[0]
    assert first.document_path
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "w")
        dialog = pilot.app.screen
        assert isinstance(dialog, InputDialog)
        proposed = Path(dialog.query_one("#value", Input).value)
        assert proposed.parent == Path(first.document_path).parent
        assert proposed.name == f"entry-{first.entry_no}.docx"
        assert "Enter writes the file" in help_text(dialog)


async def test_save_letter_unwritten_uses_default(world) -> None:
    logged_no = add_logged(["IND1"])
    entry = InteractionLogEntry.get(InteractionLogEntry.logged_segment == logged_no)
    assert entry.document_path == ""
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "w")
        dialog = pilot.app.screen
        assert isinstance(dialog, InputDialog)
        proposed = Path(dialog.query_one("#value", Input).value)
        expected = paths.default_letters_dir() / "SEG9" / f"entry-{entry.entry_no}.docx"
        assert proposed == expected
        assert proposed.parent != Path.cwd()
        await settle(pilot)
