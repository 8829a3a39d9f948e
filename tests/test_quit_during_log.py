"""The quit question stays open when the letter job it is about ends first."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from segtui.domain import delivery, documents, segmentation
from segtui.models import InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.segment_dialogs import LogDialog
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.screens.send_dialog import SendAgainDialog
from segtui.ui.worker import run_job, running_jobs
from tests.conftest import TEST_USER
from tests.test_cancel_logged import entries_of, log_world_segment
from tests.test_dialog_keys import wait_until
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import press_settled, settle


def hold_letters(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event]:
    """Hold every letter until the release event, returned first, is set.

    The second event returned is set when the first letter starts.
    """
    original = documents.render_letter
    started = threading.Event()
    release = threading.Event()

    def held_render(*args: Any, **kwargs: Any) -> bytes:
        started.set()
        release.wait(timeout=20)
        return original(*args, **kwargs)

    monkeypatch.setattr(documents, "render_letter", held_render)
    return release, started


def screen_types(app: SegtuiApp) -> list[type]:
    """Return the classes of the screens above Textual's default screen."""
    return [type(screen) for screen in app.screen_stack[1:]]


async def open_quit_question_over_log(
    pilot: Pilot[Any], started: threading.Event
) -> ConfirmDialog:
    """Start logging the worksheet's segment, then press ctrl+q while letters run."""
    app = pilot.app
    await open_first_segment(pilot)
    await press_settled(pilot, "l")
    assert isinstance(app.screen, LogDialog)
    await pilot.press("ctrl+s")
    assert await wait_until(pilot, started.is_set)
    await pilot.press("ctrl+q")
    assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    return app.screen


async def end_jobs(pilot: Pilot[Any], release: threading.Event) -> None:
    release.set()
    assert await wait_until(pilot, lambda: not running_jobs(pilot.app))
    await settle(pilot, rounds=5)


def make_letter_segment() -> None:
    no = make_segment(contacts="IND1|IND2")
    segmentation.update_header(no, {"salesperson": "AH"}, user=TEST_USER)


async def test_quit_question_outlasts_log(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No keeps segtui open on the logged segment, and ctrl+q then still quits."""
    make_letter_segment()
    release, started = hold_letters(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            question = await open_quit_question_over_log(pilot, started)
        finally:
            await end_jobs(pilot, release)

        assert app.screen is question
        assert LogDialog in screen_types(app)

        await press_settled(pilot, "n")
        assert isinstance(app.screen, LoggedSegmentScreen)
        assert screen_types(app) == [SegmentListScreen, LoggedSegmentScreen]

        await press_settled(pilot, "escape")
        assert screen_types(app) == [SegmentListScreen]

        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0

    assert LoggedSegment.select().count() == 1
    assert InteractionLogEntry.select().count() == 2


async def test_quit_yes_after_log_ended(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """Yes quits once the log has ended, and the letters written stay recorded."""
    make_letter_segment()
    release, started = hold_letters(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            question = await open_quit_question_over_log(pilot, started)
        finally:
            await end_jobs(pilot, release)

        assert app.screen is question
        await pilot.press("y")
        assert await wait_until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0

    entries = list(InteractionLogEntry.select())
    assert len(entries) == 2
    assert all(entry.document_path for entry in entries)


async def test_quit_question_outlasts_send_again(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No after Send again ended goes back to the logged segment, and q then quits."""
    logged_no = log_world_segment(tmp_path / "letters")
    for entry in entries_of(logged_no):
        Path(entry.document_path).unlink()
    release = threading.Event()
    deliver = delivery.deliver_logged_segment

    def held_deliver(*args: Any, **kwargs: Any) -> delivery.DeliveryReport:
        kwargs["progress"](0, 2)
        assert release.wait(10)
        return deliver(*args, **kwargs)

    monkeypatch.setattr(delivery, "deliver_logged_segment", held_deliver)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            app.push_screen(LoggedSegmentScreen(logged_no))
            await settle(pilot)
            await press_settled(pilot, "s")
            await pilot.press("y")
            assert await wait_until(
                pilot, lambda: isinstance(app.screen, SendAgainDialog)
            )
            await pilot.press("ctrl+q")
            assert await wait_until(
                pilot, lambda: isinstance(app.screen, ConfirmDialog)
            )
            question = app.screen
        finally:
            await end_jobs(pilot, release)

        assert app.screen is question
        await press_settled(pilot, "n")
        assert isinstance(app.screen, LoggedSegmentScreen)
        assert SendAgainDialog not in screen_types(app)

        await press_settled(pilot, "escape")
        assert screen_types(app) == [SegmentListScreen]
        await pilot.press("q")
        assert await wait_until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0


async def test_quit_asks_again_after_question_closed(world) -> None:
    """A quit question closed without an answer lets ctrl+q ask again."""
    release = threading.Event()
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        run_job(app.screen, lambda: release.wait(10), lambda _: None)
        try:
            assert await wait_until(pilot, lambda: bool(running_jobs(app)))
            await pilot.press("ctrl+q")
            assert await wait_until(
                pilot, lambda: isinstance(app.screen, ConfirmDialog)
            )
            app.pop_screen()
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmDialog)

            await pilot.press("ctrl+q")
            assert await wait_until(
                pilot, lambda: isinstance(app.screen, ConfirmDialog)
            )
            await pilot.press("n")
            await pilot.pause()
            assert app.return_code is None
        finally:
            release.set()
