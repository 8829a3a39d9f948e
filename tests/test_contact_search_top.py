"""The contact list after a search: a new search shows its first match at the top."""

from __future__ import annotations

import threading
from typing import Any

from textual.pilot import Pilot

from segtui.domain import contact_queries
from segtui.models import Contact
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contacts import SEARCH_DELAY, ContactListScreen
from segtui.ui.widgets.virtual_table import WindowTable
from tests.conftest import TEST_USER
from tests.tui_helpers import open_screen, press_settled, settle, type_text

# Contacts ZZ001 to ZZ120, which sort after the small world's. The odd ones are
# named Alpha, so a search for alpha finds 60 of them, more than a screen shows.
CONTACTS = 120


def add_contacts() -> None:
    Contact.insert_many(
        [
            {
                "no": f"ZZ{number:03d}",
                "type": "company",
                "name": f"{'Alpha' if number % 2 else 'Beta'} {number:03d}",
                "city": "Bonn",
                "country_code": "DE",
            }
            for number in range(1, CONTACTS + 1)
        ]
    ).execute()


async def search(pilot: Pilot[Any], text: str) -> None:
    await press_settled(pilot, "s")
    await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await pilot.pause(SEARCH_DELAY + 0.2)
    await settle(pilot)


async def test_new_search_starts_at_first_match(world) -> None:
    add_contacts()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ContactListScreen())
        table = pilot.app.screen.query_one("#contacts", WindowTable)
        # ZZ119 is the last Alpha, the 60th match of the search below.
        await press_settled(pilot, "end", "up")
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key == "ZZ119"

        await search(pilot, "alpha")

        assert table.total == CONTACTS // 2
        assert table.cursor_row == 0
        cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        assert cursor_key == "ZZ001"
        assert table.scroll_y == 0


async def test_same_search_refresh_keeps_row(world) -> None:
    add_contacts()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ContactListScreen())
        table = pilot.app.screen.query_one("#contacts", WindowTable)
        await search(pilot, "alpha")
        await press_settled(pilot, "enter")
        await press_settled(pilot, *["down"] * 30)
        cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        assert cursor_key == "ZZ061"

        await press_settled(pilot, "f5")

        assert table.total == CONTACTS // 2
        assert table.cursor_row == 30
        cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        assert cursor_key == "ZZ061"


async def test_superseded_search_reads_no_page(world, monkeypatch) -> None:
    """A search that a newer one replaces while it counts reads no page."""
    counted = contact_queries.count_contacts
    listed = contact_queries.list_contacts
    newer_started = threading.Event()
    pages: list[str] = []

    def count_contacts(search: str, filters: Any = None) -> int:
        if search == "ab":
            newer_started.set()
        elif search == "a":
            # Hold the first search's count until the newer search has started.
            assert newer_started.wait(timeout=10)
        return counted(search, filters)

    def list_contacts(search: str = "", *args: Any) -> Any:
        pages.append(search)
        return listed(search, *args)

    monkeypatch.setattr(contact_queries, "count_contacts", count_contacts)
    monkeypatch.setattr(contact_queries, "list_contacts", list_contacts)
    add_contacts()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ContactListScreen())
        pages.clear()
        await press_settled(pilot, "s")
        await pilot.press("a")
        # The first search starts counting and waits for the newer one.
        await pilot.pause(SEARCH_DELAY + 0.2)
        await pilot.press("b")
        await pilot.pause(SEARCH_DELAY + 0.2)
        await settle(pilot)

        table = pilot.app.screen.query_one("#contacts", WindowTable)
        assert newer_started.is_set()
        assert pages == ["ab"]
        assert table.total == contact_queries.count_contacts("ab")
