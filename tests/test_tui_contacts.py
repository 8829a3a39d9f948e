"""The contact screens through Pilot at 80x24: search, card, form, setup, roles."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from segtui.models import Contact, ContactMailingGroup, MailingGroup, Role, UserSetup
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.code_tables import MailingGroupScreen
from segtui.ui.screens.contact_card import ContactCardScreen
from segtui.ui.screens.contact_dialogs import ContactDialog, TagDialog
from segtui.ui.screens.contact_import import ContactImportDialog
from segtui.ui.screens.contacts import ContactFilterScreen, ContactListScreen
from segtui.ui.screens.menu import GoToDialog
from tests.conftest import TEST_USER
from tests.test_state_words import screen_lines
from tests.tui_helpers import settle, table_rows, type_text


async def open_contacts(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.push_screen(ContactListScreen())
    await settle(pilot)


async def test_go_to_lists_contact_areas(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(pilot.app.screen, GoToDialog)
        keys = [area.key for area in pilot.app.screen.areas]
        for key in ("contacts", "interactions", "campaigns", "mailing_groups"):
            assert key in keys
        await pilot.press("escape")


async def test_search_as_you_type(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        assert len(table_rows(pilot, "#contacts")) == 9
        await pilot.press("s")
        assert pilot.app.focused is pilot.app.screen.query_one("#search", Input)
        await type_text(pilot, "müller berlin")
        await pilot.pause(0.5)
        await settle(pilot)
        rows = table_rows(pilot, "#contacts")
        assert [row[0] for row in rows] == ["CO1", "CO1P1"]
        # Markup in names shows as typed.
        await pilot.press("ctrl+u")
        await type_text(pilot, "[bold]")
        await pilot.pause(0.5)
        await settle(pilot)
        assert [row[1] for row in table_rows(pilot, "#contacts")] == ["[bold]x"]


async def test_card_opens_with_history(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await pilot.press("s")
        await type_text(pilot, "IND1")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ContactCardScreen)
        fields = screen.query_one("#fields", Static).render()
        assert "Zoë Keller" in getattr(fields, "plain", str(fields))
        await pilot.press("3")
        await settle(pilot)
        rows = table_rows(pilot, "#tags")
        assert [row[1] for row in rows] == ["NEWS", "VIP"]
        await pilot.press("5")
        await settle(pilot)
        totals = screen.query_one("#totals", Static).render()
        assert "Interactions: 0" in getattr(totals, "plain", str(totals))


async def test_new_contact_form(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactDialog)
        # Number blank; Tab past Type to the name fields.
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Ida")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Ott")
        await pilot.press("tab")
        await type_text(pilot, "co1")
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, ContactCardScreen)
        contact = Contact.get(Contact.surname == "Ott")
        assert contact.name == "Ida Ott"
        assert contact.company_no == "CO1"
        assert contact.city == "Berlin"


async def test_form_errors_keep_dialog(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactCardScreen("IND2"))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ContactDialog)
        dialog.query_one("#email", Input).value = "tom@"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        error = dialog.query_one("#error", Static).render()
        assert "invalid email address 'tom@'" in getattr(error, "plain", str(error))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactCardScreen)
        assert Contact.get_by_id("IND2").email == ""


async def test_add_and_remove_tag(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ContactCardScreen("IND2"))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, TagDialog)
        dialog.query_one("#code").value = "VIP"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [
            row.mailing_group_code for row in Contact.get_by_id("IND2").mailing_groups
        ] == ["VIP"]
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert (
            not ContactMailingGroup.select()
            .where(ContactMailingGroup.contact == "IND2")
            .exists()
        )


async def test_filter_screen_filters_list(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactFilterScreen)
        pilot.app.screen.query_one("#filter-contact-country", Input).value = "DE|AT"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
        rows = table_rows(pilot, "#contacts")
        assert {row[5] for row in rows} == {"DE", "AT"}
        await pilot.press("escape")


async def test_viewer_sees_no_change_keys(world) -> None:
    from segtui.domain.users import role_of

    role_of(TEST_USER)
    UserSetup.create(user_id="viewer", role=Role.VIEWER)
    async with SegtuiApp(user="viewer").run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
        assert Contact.select().count() == 9


async def test_marketer_cannot_change_setup(world) -> None:
    from segtui.domain.users import role_of

    role_of(TEST_USER)
    UserSetup.create(user_id="marketer", role=Role.MARKETER)
    async with SegtuiApp(user="marketer").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(MailingGroupScreen())
        await settle(pilot)
        assert [row[0] for row in table_rows(pilot, "#codes")] == ["NEWS", "VIP"]
        await pilot.press("n")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MailingGroupScreen)
        assert MailingGroup.select().count() == 2


async def test_admin_creates_mailing_group(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(MailingGroupScreen())
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "gold")
        await pilot.press("tab")
        await type_text(pilot, "Gold customers")
        await pilot.press("enter")
        await settle(pilot)
        assert MailingGroup.get_by_id("GOLD").description == "Gold customers"
        rows = table_rows(pilot, "#codes")
        assert ["GOLD", "Gold customers", "      0"] in rows
        table = pilot.app.screen.query_one("#codes", DataTable)
        assert table.row_count == 3


async def test_list_has_focus_at_open(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        table = pilot.app.screen.query_one("#contacts", DataTable)
        assert pilot.app.focused is table
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactImportDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
        assert pilot.app.focused is table


async def test_footer_shows_list_keys(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        footer = screen_lines(pilot)[-1]
        assert "n New" in footer
        assert "i Import" in footer
        assert "s Search" in footer


async def test_search_key_and_back(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        screen = pilot.app.screen
        search = screen.query_one("#search", Input)
        table = screen.query_one("#contacts", DataTable)
        await pilot.press("s")
        assert pilot.app.focused is search
        await type_text(pilot, "wien")
        await pilot.pause(0.5)
        await settle(pilot)
        # Escape in the search field goes back to the list and keeps the search.
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert pilot.app.focused is table
        assert search.value == "wien"
        assert [row[0] for row in table_rows(pilot, "#contacts")] == ["CO2", "CO2P1"]
        await pilot.press("ctrl+f")
        assert pilot.app.focused is search
        await pilot.press("enter")
        assert pilot.app.focused is table
        assert pilot.app.screen is screen
        # Escape on the list leaves the screen.
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ContactListScreen)
