"""List screens through Pilot: the focus at open, and column widths on resize."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import Database
from textual.pilot import Pilot
from textual.widgets import DataTable

from segtui.domain import campaigns, segment_actions, segmentation
from segtui.domain.contacts import create_contact
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.campaigns import CampaignListScreen
from segtui.ui.screens.contact_card import ContactCardScreen
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.listing import DESIGN_WIDTH, TableScreen
from segtui.ui.screens.logged import LoggedSegmentListScreen, LoggedSegmentScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.builders import World
from tests.conftest import TEST_USER
from tests.test_layout import AREA_ROUTES, ROUTES, build_screens_world
from tests.test_state_words import screen_lines
from tests.tui_helpers import settle

# The routes of tests/test_layout.py that open a screen with one list.
LIST_ROUTES = [
    "segment_list",
    "worksheet",
    "logged_list",
    "logged_segment",
    "saved_criteria",
    *AREA_ROUTES,
]


@pytest.fixture
def screens_world(database: Database, tmp_path: Path) -> World:
    return build_screens_world(tmp_path / "letters")


@pytest.mark.parametrize("route", LIST_ROUTES)
async def test_list_screen_opens_on_list(screens_world: World, route: str) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ROUTES[route](pilot)
        screen = pilot.app.screen
        tables = list(screen.query(DataTable))
        assert len(tables) == 1, (route, type(screen).__name__)
        assert pilot.app.focused is tables[0], (route, pilot.app.focused)


# Column widths after a resize.

LONG_NAME = "Jürgen Müller-Lüdenscheid Immobilienverwaltung GmbH & Co. KG"


def add_long_names() -> str:
    """Add a contact and a campaign with LONG_NAME, and a segment of the contact.

    Return the segment's number.
    """
    create_contact(
        {"no": "A0001", "type": "company", "name": LONG_NAME, "country_code": "DE"},
        user=TEST_USER,
    )
    # The worksheet shows the description whole above its table.
    segment = segmentation.create_segment("Resize", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "A0001"}}, AddOptions(), user=TEST_USER
    )
    campaigns.save_campaign("CP9", description=LONG_NAME, user=TEST_USER, new=True)
    return segment.no


def design_widths(screen: TableScreen) -> list[int]:
    [widened] = screen.widened_tables
    return [width for _label, _key, width in widened.columns]


def column_widths(table: DataTable[Any]) -> list[int]:
    return [column.width for column in table.columns.values()]


def shows_long_name(pilot: Pilot[Any], text: str = LONG_NAME) -> bool:
    return any(text in line for line in screen_lines(pilot))


async def check_resizes(
    pilot: Pilot[Any], selector: str, text: str = LONG_NAME
) -> None:
    """Widen the terminal from 80x24 to 200x60 and back, checking that the table
    shows ``text`` whole only while wide."""
    screen = pilot.app.screen
    assert isinstance(screen, TableScreen)
    table = screen.query_one(selector, DataTable)
    assert column_widths(table) == design_widths(screen)
    assert not shows_long_name(pilot, text)

    await pilot.resize_terminal(200, 60)
    await settle(pilot)
    assert sum(column_widths(table)) > sum(design_widths(screen))
    assert shows_long_name(pilot, text), screen_lines(pilot)

    await pilot.resize_terminal(DESIGN_WIDTH, 24)
    await settle(pilot)
    assert column_widths(table) == design_widths(screen)
    assert not shows_long_name(pilot, text)
    # Every column fits, so none needs scrolling sideways to be seen.
    assert table.virtual_size.width <= table.size.width


async def test_contact_columns_follow_resize(world: World) -> None:
    add_long_names()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactListScreen())
        await settle(pilot)
        await check_resizes(pilot, "#contacts")


async def test_worksheet_columns_follow_resize(world: World) -> None:
    no = add_long_names()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(WorksheetScreen(no))
        await settle(pilot)
        await check_resizes(pilot, "#lines")


async def test_campaign_columns_follow_resize(world: World) -> None:
    add_long_names()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(CampaignListScreen())
        await settle(pilot)
        await check_resizes(pilot, "#campaigns")


async def test_covered_list_widens_on_return(world: World) -> None:
    """A resize while another screen is on top reaches the list when it is back."""
    add_long_names()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        contacts = ContactListScreen()
        pilot.app.push_screen(contacts)
        await settle(pilot)
        table = contacts.query_one("#contacts", DataTable)
        pilot.app.push_screen(ContactCardScreen("A0001"))
        await settle(pilot)
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        pilot.app.pop_screen()
        await settle(pilot)
        assert pilot.app.screen is contacts
        assert sum(column_widths(table)) > sum(design_widths(contacts))
        assert shows_long_name(pilot), screen_lines(pilot)


# Numbers shown whole. The large sample numbers contacts CT0000001 on, one cell
# wider than the contact number columns were drawn for.

LONG_NO = "CT0000001"
LONG_DESCRIPTION = "Herbstkatalog für Stammkunden im Sauerland, Büro Nord"


def add_long_number_entries(letters: Path) -> tuple[str, int]:
    """Add contact LONG_NO named LONG_NAME, on a segment and on a logged segment
    whose description is LONG_DESCRIPTION.

    Return the open segment's number and the logged segment's entry number.
    """
    create_contact(
        {"no": LONG_NO, "type": "company", "name": LONG_NAME, "country_code": "DE"},
        user=TEST_USER,
    )
    for description in (LONG_DESCRIPTION, "Open"):
        segment = segmentation.create_segment(
            description,
            user=TEST_USER,
            template_code="LETTER",
            salesperson_code="AH",
        )
        segment_actions.add_contacts(
            segment.no, {"contact": {"no": LONG_NO}}, AddOptions(), user=TEST_USER
        )
        if description == LONG_DESCRIPTION:
            logged = log_segment(
                segment.no, LogOptions(output_folder=letters), user=TEST_USER
            )
    return segment.no, logged.logged_segment_no


def table_lines(pilot: Pilot[Any], text: str) -> list[str]:
    return [line for line in screen_lines(pilot) if text in line]


async def check_number_whole(
    pilot: Pilot[Any], screen: TableScreen, selector: str, number: str
) -> None:
    """Open ``screen`` at 80x24 and 120x36, and check that ``number`` is drawn whole
    in its table, which fits the terminal."""
    pilot.app.push_screen(screen)
    await settle(pilot)
    table = screen.query_one(selector, DataTable)
    for size in ((80, 24), (120, 36)):
        await pilot.resize_terminal(*size)
        await settle(pilot)
        assert table_lines(pilot, number), (size, screen_lines(pilot))
        assert table.virtual_size.width <= table.size.width, size


@pytest.mark.parametrize("where", ["contacts", "worksheet", "history", "logged"])
async def test_long_contact_number_whole(
    world: World, tmp_path: Path, where: str
) -> None:
    segment_no, entry_no = add_long_number_entries(tmp_path / "letters")
    screens = {
        "contacts": (ContactListScreen, "#contacts"),
        "worksheet": (lambda: WorksheetScreen(segment_no), "#lines"),
        "history": (InteractionHistoryScreen, "#entries"),
        "logged": (lambda: LoggedSegmentScreen(entry_no), "#entries"),
    }
    make_screen, selector = screens[where]
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await check_number_whole(pilot, make_screen(), selector, LONG_NO)


async def test_logged_segment_columns_follow_resize(
    world: World, tmp_path: Path
) -> None:
    _segment_no, entry_no = add_long_number_entries(tmp_path / "letters")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(entry_no))
        await settle(pilot)
        await check_resizes(pilot, "#entries")


async def test_logged_list_columns_follow_resize(world: World, tmp_path: Path) -> None:
    add_long_number_entries(tmp_path / "letters")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentListScreen())
        await settle(pilot)
        await check_resizes(pilot, "#logged", LONG_DESCRIPTION)


async def test_contact_card_tables_follow_resize(world: World) -> None:
    """The card's tables widen on a wide terminal, as the lists do."""
    add_long_names()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        card = ContactCardScreen("CO1")
        pilot.app.push_screen(card)
        await settle(pilot)
        narrow = {
            table.id: sum(column_widths(table)) for table in card.query(DataTable)
        }
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        for table in card.query(DataTable):
            assert sum(column_widths(table)) > narrow[table.id], table.id
