"""Helpers for driving the TUI with Pilot: wait for workers, type text, read tables."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Wait until background jobs are done and their results are on screen.

    A job canceled by a newer one of its group, as a list's reload cancels the
    load before it, counts as done.
    """
    for _ in range(rounds):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press_settled(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys, then wait until their jobs are done and shown."""
    await pilot.press(*keys)
    await settle(pilot)


async def open_screen(pilot: Pilot[Any], screen: Screen[Any]) -> None:
    """Open ``screen`` over the current one once the app is idle, and let it load."""
    await settle(pilot)
    pilot.app.push_screen(screen)
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text one key at a time, as a user does."""
    for character in text:
        await pilot.press(character)


def table_rows(pilot: Pilot[Any], selector: str) -> list[list[str]]:
    table = pilot.app.screen.query_one(selector, DataTable)
    return [
        [getattr(cell, "plain", str(cell)) for cell in table.get_row_at(index)]
        for index in range(table.row_count)
    ]
