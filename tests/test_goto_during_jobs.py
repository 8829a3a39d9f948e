"""Go to and F2 keep a screen open while its job runs toward its result."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from segtui.domain import segment_actions
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria import AddContactsScreen
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.menu import GoToDialog
from segtui.ui.screens.quit_question import QuitQuestion
from segtui.ui.screens.segment_dialogs import LogDialog
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from segtui.ui.worker import dismiss_on_top
from tests.conftest import TEST_USER
from tests.test_dialog_keys import wait_until
from tests.test_quit_during_log import (
    end_jobs,
    hold_letters,
    make_letter_segment,
    open_quit_question_over_log,
    screen_types,
)
from tests.test_quit_jobs import JobScreen
from tests.test_tui_criteria import contacts_of, new_segment
from tests.test_tui_criteria_cancel import Hold, open_builder, wait_for_event
from tests.test_tui_screens import open_first_segment
from tests.tui_helpers import press_settled, settle, type_text


def notices(app: App[Any]) -> list[str]:
    return [notification.message for notification in app._notifications]


async def press_go_key(pilot: Any, key: str) -> None:
    """Press ctrl+g or F2 and wait until it warned or opened the menu.

    A key pressed right after one that started a job waits up to a second for
    that job before segtui hands it on.
    """
    app = pilot.app
    count = len(notices(app))
    await pilot.press(key)
    assert await wait_until(
        pilot,
        lambda: len(notices(app)) > count or isinstance(app.screen, GoToDialog),
    )


async def test_go_to_keeps_running_log(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+G leaves the log dialog open, and its logged segment still opens."""
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

            await press_go_key(pilot, "ctrl+g")
            assert app.screen is dialog
            assert not any(isinstance(s, GoToDialog) for s in app.screen_stack)
            assert len(notices(app)) == 1
            notice = notices(app)[0]
            assert f'"{dialog.dialog_title}" is still running' in notice
            assert "press Esc there to stop it" in notice

        finally:
            await end_jobs(pilot, release)

        assert await wait_until(
            pilot, lambda: isinstance(app.screen, LoggedSegmentScreen)
        )
        assert screen_types(app) == [SegmentListScreen, LoggedSegmentScreen]

        # With the log ended, Go to opens again.
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, GoToDialog)


async def test_go_to_keeps_ended_log_under_question(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log that ended under the quit question keeps its result from Go to."""
    make_letter_segment()
    release, started = hold_letters(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            question = await open_quit_question_over_log(pilot, started)
        finally:
            await end_jobs(pilot, release)
        assert isinstance(question, QuitQuestion)

        await press_go_key(pilot, "ctrl+g")
        assert app.screen is question
        assert LogDialog in screen_types(app)
        assert len(notices(app)) == 1
        assert "has ended its job and shows the result" in notices(app)[0]

        await press_settled(pilot, "n")
        assert screen_types(app) == [SegmentListScreen, LoggedSegmentScreen]


async def test_go_to_keeps_running_add(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+G and F2 leave Add Contacts open while it adds, until it closes."""
    no = new_segment()
    hold = Hold()
    monkeypatch.setattr(
        segment_actions, "insert_lines", hold.before(segment_actions.insert_lines)
    )
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            builder = await open_builder(pilot, no, "a")
            assert isinstance(builder, AddContactsScreen)
            await type_text(pilot, "CO1")
            await pilot.pause(0.5)
            await settle(pilot)
            await pilot.press("ctrl+s")
            await wait_for_event(hold.started)

            await press_go_key(pilot, "ctrl+g")
            assert app.screen is builder
            assert len(notices(app)) == 1
            assert f'"{builder.title_text()}" is still running' in notices(app)[0]

            await press_go_key(pilot, "f2")
            assert app.screen is builder
            assert len(notices(app)) == 2
        finally:
            hold.release.set()

        assert await wait_until(pilot, lambda: app.screen is not builder)
        await settle(pilot)
        assert builder not in app.screen_stack
        assert isinstance(app.screen, WorksheetScreen)
        assert "CO1" in contacts_of(no)


async def test_go_to_leaves_loading_screen(world) -> None:
    """A screen that only loads rows in a job does not hold Go to."""
    release = threading.Event()
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        screen = JobScreen(release)
        try:
            app.push_screen(screen)
            await pilot.pause()
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert isinstance(app.screen, GoToDialog)
            assert notices(app) == []
        finally:
            release.set()


class PlainScreen(Screen[str]):
    def compose(self) -> Any:
        yield Static("Job")


async def test_closed_screen_drops_result() -> None:
    """dismiss_on_top on a screen no longer open leaves the top screen as it is."""
    app: App[None] = App()
    results: list[str | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = PlainScreen()
        app.push_screen(screen, results.append)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        other = PlainScreen()
        app.push_screen(other)
        await pilot.pause()

        dismiss_on_top(screen, "late")
        await pilot.pause()
        assert app.screen is other
        assert results == []
