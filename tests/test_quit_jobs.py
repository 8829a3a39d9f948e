"""Quitting shows its question for a job whose screen was closed while it runs."""

from __future__ import annotations

import threading

from segtui.ui.app import SegtuiApp
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.worker import running_jobs
from tests.conftest import TEST_USER
from tests.tui_helpers import settle


class JobScreen(BaseScreen):
    """A screen that starts a job which runs until the test lets it end."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release
        self.cancel_event = threading.Event()

    def on_mount(self) -> None:
        cancel = self.cancel_event
        self.run(lambda: self.release.wait(10) or cancel.is_set(), lambda _: None)


async def test_quit_asks_about_closed_screens_job(world) -> None:
    release = threading.Event()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot, rounds=1)
        screen = JobScreen(release)
        pilot.app.push_screen(screen)
        await pilot.pause()
        pilot.app.pop_screen()
        await pilot.pause()
        try:
            assert running_jobs(pilot.app) == [screen]
            await pilot.press("ctrl+q")
            await pilot.pause(0.6)
            assert isinstance(pilot.app.screen, ConfirmDialog)
            await pilot.press("y")
            await pilot.pause()
            assert screen.cancel_event.is_set()
        finally:
            release.set()
