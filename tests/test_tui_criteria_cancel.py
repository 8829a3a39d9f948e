"""Esc while Add, Reduce or Refine Contacts runs its statement, at 80x24.

The tests hold the action inside its transaction with a statement that runs until
it is interrupted or released. On SQLite it is a counting query that calls a
Python function to decide whether to continue, and the function pauses without
holding the GIL. On PostgreSQL it is a series of short pg_sleep statements. Esc
must interrupt it, so the transaction rolls back and the form stays open with its
filters.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, ProgressBar

from segtui.db import current_database, is_sqlite
from segtui.domain import segment_actions
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria import (
    AddContactsScreen,
    CriteriaBuilderScreen,
    ReduceContactsScreen,
)
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.test_tui_criteria import (
    ALL_ADDABLE,
    SIZE,
    TABS_TO_COUNTRY,
    USER,
    actions_of,
    contacts_of,
    count_line,
    new_segment,
    open_segment,
    wait_for_count,
)
from tests.tui_helpers import settle, type_text

# The maximum rows the held SQLite query counts, each after a pause of HELD_PAUSE
# seconds, so a statement that is not interrupted still ends after some seconds.
HELD_ROWS = 500
HELD_PAUSE = 0.01
# The maximum pg_sleep statements of HELD_PAUSE seconds each that the PostgreSQL
# hold runs, one after the other until canceled or released.
HELD_SLEEPS = 500
# Seconds a test waits for the job to start or to end.
WAIT = 10.0


class Hold:
    """A statement that runs inside the action's transaction until interrupted."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()

    def run(self) -> None:
        database = current_database()
        self.started.set()
        try:
            if is_sqlite(database):
                database.connection().create_function(
                    "still_held", 0, lambda: int(not self.release.wait(HELD_PAUSE))
                )
                database.execute_sql(
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                    "WHERE still_held() AND x < ?) SELECT count(*) FROM n",
                    (HELD_ROWS,),
                )
            else:
                for _ in range(HELD_SLEEPS):
                    if self.release.is_set():
                        break
                    database.execute_sql("SELECT pg_sleep(%s)", (HELD_PAUSE,))
            # Reached only when nothing interrupted the statement.
            self.finished.set()
        finally:
            self.started.clear()

    def before(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``function`` run after the held statement."""

        def held(*args: Any, **kwargs: Any) -> Any:
            self.run()
            return function(*args, **kwargs)

        return held


@pytest.fixture
def hold() -> Iterator[Hold]:
    held = Hold()
    yield held
    # A statement that Esc did not stop ends now, so no thread outlives the test.
    held.release.set()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def wait_for_event(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, WAIT), "the job did not start"


async def open_builder(pilot: Pilot[Any], no: str, key: str) -> CriteriaBuilderScreen:
    await open_segment(pilot, no)
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CriteriaBuilderScreen)
    return screen


async def test_escape_cancels_running_add(world, hold, monkeypatch) -> None:
    no = new_segment()
    monkeypatch.setattr(
        segment_actions, "insert_lines", hold.before(segment_actions.insert_lines)
    )
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot, no, "a")
        assert isinstance(builder, AddContactsScreen)
        await type_text(pilot, "CO1")
        await wait_for_count(pilot)
        stack = list(pilot.app.screen_stack)

        await pilot.press("ctrl+s")
        await wait_for_event(hold.started)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Canceled" in count_line(pilot))

        # The form stays open with its filter, as before ctrl+s.
        assert pilot.app.screen_stack == stack
        assert count_line(pilot) == "Canceled: the segment was not changed."
        assert builder.query_one("#filter-contact-no", Input).value == "CO1"
        assert not hold.finished.is_set()
        assert contacts_of(no) == set()
        assert actions_of(no) == []

        # A second Esc closes the form, and nothing closes the worksheet later.
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen_stack == stack[:-1]
        await pilot.pause(0.5)
        await settle(pilot)
        assert pilot.app.screen_stack == stack[:-1]
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert contacts_of(no) == set()
    assert actions_of(no) == []


async def test_running_add_shows_busy_state(world, hold, monkeypatch) -> None:
    no = new_segment()
    monkeypatch.setattr(
        segment_actions, "insert_lines", hold.before(segment_actions.insert_lines)
    )
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot, no, "a")
        await wait_for_count(pilot)
        await pilot.press("ctrl+s")
        await wait_for_event(hold.started)
        await pilot.pause()

        assert pilot.app.screen is builder
        assert count_line(pilot) == "Adding contacts ... Esc cancels."
        assert builder.query_one("#apply-progress", ProgressBar).display
        assert builder.query_one("#apply", Button).disabled
        assert builder.query_one("#filter-contact-no", Input).is_disabled
        # Typing while it works starts no count over the busy line.
        await type_text(pilot, "CO1")
        await pilot.pause(0.5)
        assert count_line(pilot) == "Adding contacts ... Esc cancels."

        hold.release.set()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, WorksheetScreen))
        await settle(pilot)
    assert contacts_of(no) == ALL_ADDABLE
    assert actions_of(no) == [("add", True)]


async def test_escape_after_commit_reports_saved(world, monkeypatch) -> None:
    """Esc after the add committed closes the form with a message saying so."""
    no = new_segment()
    saved = threading.Event()
    answered = threading.Event()
    add_contacts = segment_actions.add_contacts

    def add_then_wait(*args: Any, **kwargs: Any) -> Any:
        result = add_contacts(*args, **kwargs)
        saved.set()
        answered.wait(WAIT)
        return result

    monkeypatch.setattr(segment_actions, "add_contacts", add_then_wait)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_builder(pilot, no, "a")
        await wait_for_count(pilot)
        notices: list[str] = []
        monkeypatch.setattr(
            pilot.app.screen_stack[-2],
            "notify",
            lambda message, **_options: notices.append(message),
        )
        await pilot.press("ctrl+s")
        await wait_for_event(saved)
        await pilot.press("escape")
        await pilot.pause(0.3)
        answered.set()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, WorksheetScreen))
        await settle(pilot)
    assert contacts_of(no) == ALL_ADDABLE
    assert notices == ["Esc came too late: the change was saved. 7 contacts added."]


async def test_escape_cancels_running_reduce(world, hold, monkeypatch) -> None:
    no = new_segment(filters={})
    monkeypatch.setattr(
        segment_actions,
        "_delete_recorded",
        hold.before(segment_actions._delete_recorded),
    )
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot, no, "r")
        assert isinstance(builder, ReduceContactsScreen)
        for _ in range(TABS_TO_COUNTRY):
            await pilot.press("tab")
        await type_text(pilot, "DE")
        await wait_for_count(pilot)
        stack = list(pilot.app.screen_stack)

        await pilot.press("ctrl+s")
        await wait_for_event(hold.started)
        assert count_line(pilot) == "Removing lines ... Esc cancels."
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Canceled" in count_line(pilot))
        assert pilot.app.screen_stack == stack
        assert builder.query_one("#filter-contact-country", Input).value == "DE"
    assert contacts_of(no) == ALL_ADDABLE
    assert actions_of(no) == [("add", True)]


def test_criteria_help_names_cancel() -> None:
    """F1 in Add, Reduce and Refine Contacts tells that Esc cancels a running change."""
    from segtui.ui.screens.criteria import (
        AddContactsScreen,
        ReduceContactsScreen,
        RefineContactsScreen,
    )

    for screen in (AddContactsScreen, ReduceContactsScreen, RefineContactsScreen):
        assert "Esc cancels: the segment stays as it was" in screen.HELP, screen
