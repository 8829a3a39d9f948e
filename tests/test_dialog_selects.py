"""Form dialogs at 80x24: drop-down lists stay inside the dialog, and errors focus."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select

from segtui import i18n
from segtui.models import SegmentHeader, SegmentLine
from segtui.ui.app import SegtuiApp
from segtui.ui.footer import footer_entries
from segtui.ui.screens.campaigns import CampaignDialog
from segtui.ui.screens.contact_dialogs import (
    ContactDialog,
    ResponseDialog,
    TagDialog,
    load_contact_form,
)
from segtui.ui.screens.line_dialog import LineDialog, load_line_form
from segtui.ui.screens.segment_dialogs import HeaderDialog, NewSegmentDialog
from tests.conftest import TEST_USER
from tests.test_tui_screens import make_segment
from tests.tui_helpers import settle

# Enough choices that a drop-down list would be as tall as Textual allows.
MANY = [(f"C{number:02}", f"Choice {number}") for number in range(30)]


def header_dialog() -> HeaderDialog:
    no = make_segment()
    header = SegmentHeader.get(SegmentHeader.no == no)
    return HeaderDialog(header, 1)


def line_dialog() -> LineDialog:
    no = make_segment()
    line = SegmentLine.select().where(SegmentLine.segment_no == no).first()
    return LineDialog(load_line_form(no, line.line_no))


DIALOG_FACTORIES = {
    "new segment": NewSegmentDialog,
    "header": header_dialog,
    "line": line_dialog,
    "contact": lambda: ContactDialog(load_contact_form(None)),
    "tag": lambda: TagDialog("IND1", {"mailing_group": MANY}),
    "response": lambda: ResponseDialog("IND1", MANY, MANY),
    "campaign": lambda: CampaignDialog(None, MANY),
}


def inner_region(screen: Screen[Any]) -> Region:
    """Return the region inside the dialog's border."""
    return screen.query_one("#dialog").region.shrink((1, 1, 1, 1))


async def open_select(pilot: Pilot[Any], select: Select[Any]) -> Region:
    select.focus()
    await settle(pilot, rounds=1)
    await pilot.press("enter")
    await settle(pilot)
    assert select.expanded
    return select.query_one("SelectOverlay").region


@pytest.mark.parametrize("name", list(DIALOG_FACTORIES))
async def test_drop_downs_inside_dialog(world, name: str) -> None:
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DIALOG_FACTORIES[name]())
        await settle(pilot)
        selects = list(app.screen.query(Select))
        assert selects
        for select in selects:
            if select.disabled:
                continue
            overlay = await open_select(pilot, select)
            inside = inner_region(app.screen)
            options = select.query_one("SelectOverlay").option_count
            assert overlay.height >= min(3, options), (select.id, overlay)
            assert inside.contains_region(overlay), (select.id, overlay, inside)
            await pilot.press("escape")
            await settle(pilot, rounds=1)
            assert not select.expanded


# Per form: the values to type, the field that has focus at ctrl+s, and the field
# the error names, which then gets focus.
SAVE_ERRORS = {
    "header cost": ("header", {"unit_cost": "abc"}, "description", "unit_cost"),
    "header first problem": (
        "header",
        {"description": "", "unit_duration": "x"},
        "unit_cost",
        "description",
    ),
    "new segment": ("new segment", {"description": ""}, "salesperson", "description"),
    "campaign date": (
        "campaign",
        {"no": "C1", "description": "Spring", "starting_date": "soon"},
        "description",
        "starting_date",
    ),
    "contact name": ("contact", {"name": ""}, "city", "name"),
}


@pytest.mark.parametrize("case", list(SAVE_ERRORS))
async def test_save_error_focuses_field(world, case: str) -> None:
    dialog_name, values, focused, expected = SAVE_ERRORS[case]
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = DIALOG_FACTORIES[dialog_name]()
        app.push_screen(dialog)
        await settle(pilot)
        for field_id, text in values.items():
            app.screen.query_one(f"#{field_id}", Input).value = text
        app.screen.query_one(f"#{focused}").focus()
        await settle(pilot, rounds=1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert app.screen.query_one("#error").display
        assert app.screen.focused is not None
        assert app.screen.focused.id == expected


@pytest.mark.parametrize(
    ("language", "label"), [(None, "Close list"), ("de", "Liste schließen")]
)
async def test_open_list_footer_label(world, language, label: str) -> None:
    """The footer names Escape on an open list in the interface language."""
    i18n.set_language(language)
    try:
        app = SegtuiApp(user=TEST_USER)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(NewSegmentDialog())
            await settle(pilot)
            await open_select(pilot, app.screen.query(Select).first())
            entries = footer_entries(app.screen, compact=True, width=80)
            descriptions = [entry.description for entry in entries]
    finally:
        i18n.set_language(None)
    assert label in descriptions
    assert "Dismiss menu" not in descriptions
