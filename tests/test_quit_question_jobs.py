"""The quit question follows the running jobs, and asks at once about long ones."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from segtui.ui import app as app_module
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.quit_question import QuitQuestion
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.worker import run_job, running_jobs
from tests.conftest import TEST_USER
from tests.test_dialog_keys import wait_until
from tests.test_quit_during_log import (
    end_jobs,
    hold_letters,
    make_letter_segment,
    open_quit_question_over_log,
    screen_types,
)
from tests.test_tui_screens import visible_text
from tests.tui_helpers import press_settled, settle

RUNNING_TEXT = "A job is still running. Cancel it and quit?"
LOG_RUNNING_TEXT = "Stop the letters and quit?"
ENDED_TEXT = "The job has ended. Quit segtui? Press n or Esc to stay."


async def start_held_job(app: SegtuiApp, pilot: Any) -> threading.Event:
    """Start a job on the top screen that runs until the returned event is set."""
    release = threading.Event()
    run_job(app.screen, lambda: release.wait(10), lambda _: None)
    assert await wait_until(pilot, lambda: bool(running_jobs(app)))
    return release


async def test_question_changes_when_log_ends(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question stops offering to cancel once the letters it was about end."""
    make_letter_segment()
    release, started = hold_letters(monkeypatch)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            question = await open_quit_question_over_log(pilot, started)
            assert isinstance(question, QuitQuestion)
            assert LOG_RUNNING_TEXT in visible_text(pilot)
        finally:
            await end_jobs(pilot, release)

        assert await wait_until(pilot, lambda: ENDED_TEXT in visible_text(pilot))
        assert app.screen is question
        assert LOG_RUNNING_TEXT not in visible_text(pilot)
        assert "quitting cancels nothing" in question.HELP

        await press_settled(pilot, "n")
        assert screen_types(app) == [SegmentListScreen, LoggedSegmentScreen]
        assert app.return_code is None


async def test_question_follows_new_job(world) -> None:
    """A job started while the plain question is open brings the cancel text back."""
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        first = await start_held_job(app, pilot)
        try:
            await pilot.press("ctrl+q")
            assert await wait_until(pilot, lambda: isinstance(app.screen, QuitQuestion))
        finally:
            first.set()
        assert await wait_until(pilot, lambda: ENDED_TEXT in visible_text(pilot))

        second = threading.Event()
        run_job(app.screen_stack[1], lambda: second.wait(10), lambda _: None)
        try:
            assert await wait_until(pilot, lambda: RUNNING_TEXT in visible_text(pilot))
        finally:
            second.set()
        assert await wait_until(pilot, lambda: ENDED_TEXT in visible_text(pilot))

        await pilot.press("y")
        assert await wait_until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0


async def test_quit_asks_at_once_about_long_job(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job that ran past the grace time gets the question without any wait."""
    monkeypatch.setattr(app_module, "QUIT_GRACE_SECONDS", 0.05)
    sleeps: list[float] = []
    real_sleep = asyncio.sleep

    async def recorded_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr(app_module, "asyncio", SimpleNamespace(sleep=recorded_sleep))
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        release = await start_held_job(app, pilot)
        try:
            # Longer than the grace time, so the job is older than it.
            await pilot.pause(0.1)
            await pilot.press("ctrl+q")
            assert isinstance(app.screen, QuitQuestion)
            assert sleeps == []
            assert not app.quit_waiting
        finally:
            release.set()


async def test_quit_waits_for_young_job(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job that ends within the grace time lets segtui quit without the question."""
    monkeypatch.setattr(app_module, "QUIT_GRACE_SECONDS", 10.0)
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        release = await start_held_job(app, pilot)
        timer = threading.Timer(0.2, release.set)
        timer.start()
        try:
            await pilot.press("ctrl+q")
            assert await wait_until(pilot, lambda: app.return_code is not None)
        finally:
            timer.cancel()
            release.set()
        assert app.return_code == 0
        assert app.quit_question is None
