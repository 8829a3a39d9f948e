"""The send-again question, the quit question and the Esc key during a log's letters."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from segtui.domain import delivery
from segtui.domain.errors import SegtuiError
from segtui.ui.app import SegtuiApp
from segtui.ui.screens import segment_dialogs
from segtui.ui.screens.dialogs import ConfirmDialog, MessageDialog
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.quit_question import QuitQuestion
from segtui.ui.screens.segment_dialogs import LogDialog
from segtui.ui.worker import run_job, running_jobs
from tests.conftest import TEST_USER
from tests.test_dialog_keys import wait_until
from tests.test_layout import footer_line
from tests.test_quit_during_log import make_letter_segment
from tests.test_send_again_kinds import log_stopped_before_letters
from tests.test_tui_screens import open_first_segment, visible_text
from tests.tui_helpers import press_settled, settle


async def test_question_after_stopped_log(world, tmp_path: Path) -> None:
    """Letters a stopped log never wrote are not called missing or sent again."""
    result = log_stopped_before_letters(tmp_path / "letters", deliver=False)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(LoggedSegmentScreen(result.logged_segment_no))
        await settle(pilot)
        await press_settled(pilot, "s")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question.splitlines() == [
            "Write 2 letters of this logged segment?",
            "2 were never written before.",
            "2 were logged without delivery, so they are only written.",
        ]
        assert "again?" not in dialog.question
        assert "delivered before" not in dialog.question
        # The whole question shows at 80x24, without scrolling.
        assert dialog.query_one("#dialog-body", VerticalScroll).max_scroll_y == 0
        assert "never written" in dialog.HELP


def hold_log(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event]:
    """Replace log_segment by one that saves nothing, reports the letters phase,
    then waits for the release event, returned first, and fails.

    The second event returned is set once the letters phase is reported.
    """
    release = threading.Event()
    letters = threading.Event()

    def held_log(*args: Any, progress: Any, **kwargs: Any) -> None:
        progress(0, 2)
        letters.set()
        release.wait(timeout=20)
        raise SegtuiError("The disk is full.")

    monkeypatch.setattr(segment_dialogs, "log_segment", held_log)
    return release, letters


async def start_log(pilot: Pilot[Any], letters: threading.Event) -> LogDialog:
    await open_first_segment(pilot)
    await press_settled(pilot, "l")
    dialog = pilot.app.screen
    assert isinstance(dialog, LogDialog)
    await pilot.press("ctrl+s")
    assert await wait_until(pilot, letters.is_set)
    assert await wait_until(pilot, lambda: dialog.entries_saved)
    return dialog


def escape_binding(dialog: LogDialog) -> tuple[str, str]:
    """Return the description and tooltip of the dialog's active Esc binding."""
    binding = dialog.active_bindings["escape"].binding
    return binding.description, binding.tooltip


def palette_titles(dialog: LogDialog) -> list[str]:
    return [command.title for command in dialog.app.get_system_commands(dialog)]


def titled(dialog: LogDialog, action: str) -> str:
    """Return a palette entry of the dialog, which the palette names by its title."""
    return f"{dialog.title_text()}: {action}"


async def test_escape_follows_log_phase(world, monkeypatch) -> None:
    """Footer, Esc binding and command palette name Esc as the button does."""
    make_letter_segment()
    release, letters = hold_log(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await open_first_segment(pilot)
            await press_settled(pilot, "l")
            dialog = app.screen
            assert isinstance(dialog, LogDialog)
            assert escape_binding(dialog)[0] == "Cancel"
            assert titled(dialog, "Cancel") in palette_titles(dialog)

            await pilot.press("ctrl+s")
            assert await wait_until(pilot, lambda: dialog.entries_saved)
            await pilot.pause()
            description, tooltip = escape_binding(dialog)
            assert description == "Stop letters"
            assert "entries stay logged" in tooltip
            assert titled(dialog, "Stop letters") in palette_titles(dialog)
            assert titled(dialog, "Cancel") not in palette_titles(dialog)
            assert "Esc Stop letters" in footer_line(dialog)
        finally:
            release.set()
        assert await wait_until(pilot, lambda: not dialog.running)
        await pilot.pause()
        description, tooltip = escape_binding(dialog)
        assert description == "Close"
        assert "logged already" in tooltip
        assert titled(dialog, "Close") in palette_titles(dialog)
        assert titled(dialog, "Stop letters") not in palette_titles(dialog)

    # Another log dialog starts with the class's Cancel again.
    assert LogDialog._merged_bindings is not None
    cancel = [
        binding
        for _key, binding in LogDialog._merged_bindings
        if binding.action == "cancel"
    ]
    assert [binding.description for binding in cancel] == ["Cancel"]


async def test_quit_question_names_log(world, monkeypatch) -> None:
    """Ctrl+Q while a log writes letters names the log and what stays."""
    make_letter_segment()
    release, letters = hold_log(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            dialog = await start_log(pilot, letters)
            await pilot.press("ctrl+q")
            assert await wait_until(pilot, lambda: isinstance(app.screen, QuitQuestion))
            question = app.screen
            text = question.question
            assert text.startswith(f'"{dialog.title_text()}"')
            assert dialog.title_text().startswith("Log segment ")
            assert "The entries stay logged" in text
            assert "letters not yet written are stopped" in text
            assert "s on the logged segment writes them later" in text
            assert "rolled back" not in text
            assert "Stop the letters and quit?" in visible_text(pilot)
            assert "stay logged" in question.HELP
            assert "s on the logged segment" in question.HELP
            assert "rolled back" not in question.HELP
            # The whole question shows at 80x24, without scrolling.
            body = question.query_one("#dialog-body", VerticalScroll)
            assert body.max_scroll_y == 0
        finally:
            release.set()
        assert await wait_until(pilot, lambda: not dialog.running)
        await pilot.pause(0.3)
        assert "The job has ended" in question.question
        await press_settled(pilot, "n")


async def test_quit_question_names_dialog_job(world) -> None:
    """A dialog's job running alone is named by the dialog's title."""
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        dialog = MessageDialog("Export contacts", "Working ...")
        app.push_screen(dialog)
        await pilot.pause()
        release = threading.Event()
        run_job(dialog, lambda: release.wait(10), lambda _result: None)
        try:
            assert await wait_until(pilot, lambda: running_jobs(app) == [dialog])
            question, help = QuitQuestion.running_texts(app)
            assert question.startswith('"Export contacts" is still running.')
            assert help == QuitQuestion.HELP
        finally:
            release.set()
        await settle(pilot)


def test_plain_quit_question_without_dialog(world) -> None:
    """No job, or a job of a screen that is no dialog, keeps the plain question."""

    class NoJobs:
        pass

    question, _help = QuitQuestion.running_texts(NoJobs())  # type: ignore[arg-type]
    assert question.startswith("A job is still running. Cancel it and quit?")


def test_question_counts_deliveries() -> None:
    """The question lists only the kinds that apply."""
    counts = delivery.ResendCounts(never_written=3, failed=1, emails=4)
    assert delivery.send_again_question(counts).splitlines() == [
        "Write 4 letters of this logged segment?",
        "3 were never written before.",
        "1 failed to be written or delivered.",
        "4 emails are sent.",
    ]
