"""The criteria screens by keys at 80x24 on the small world.

Reduce, Refine, Go Back, Go Forward, saving and reusing criteria, reusing a logged
segment, the saved criteria screen, Escape everywhere, and user data shown as text.

The world of tests/builders.py has the company CO1 (DE) with the persons CO1P1
(NEWS), CO1P2 (excluded) and CO1P3 (privacy blocked). The company CO2 (AT) has the
person CO2P1 (NEWS). IND1 (CH, NEWS and VIP), IND2 (GB) and IND3 (US) are independent
persons, and IND3 is named ``[bold]x``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Static

from segtui.domain import saved_criteria, segment_actions, segmentation
from segtui.domain.criteria import AddOptions, describe_action
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.models import (
    Contact,
    SavedCriteria,
    SegmentCriteriaAction,
    SegmentLine,
)
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.criteria import (
    AddContactsScreen,
    ReduceContactsScreen,
    RefineContactsScreen,
)
from segtui.ui.screens.criteria_dialogs import ReuseLoggedDialog, SaveCriteriaDialog
from segtui.ui.screens.criteria_list import CriteriaListScreen
from segtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from segtui.ui.screens.help import HelpScreen
from segtui.ui.screens.saved_criteria import SavedCriteriaScreen
from segtui.ui.screens.segments import SegmentListScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.tui_helpers import settle, table_rows, type_text

USER = "tester"
ALL_ADDABLE = {"CO1", "CO1P1", "CO2", "CO2P1", "IND1", "IND2", "IND3"}
SIZE = (80, 24)

# Tab presses from the first filter (Contact No.) to a field of the builder.
TABS_TO_COUNTRY = 5
TABS_TO_MAILING_GROUP = 15


def new_segment(description: str = "Herbst", filters: Any = None) -> str:
    """Create a segment and add the contacts the filters select; None adds none."""
    segment = segmentation.create_segment(
        description, user=USER, template_code="LETTER", salesperson_code="AH"
    )
    if filters is not None:
        segment_actions.add_contacts(segment.no, filters, AddOptions(), user=USER)
    return segment.no


def contacts_of(no: str) -> set[str]:
    return {
        line.contact_no
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }


def actions_of(no: str) -> list[tuple[str, bool]]:
    return [
        (action.action, bool(action.active))
        for action in SegmentCriteriaAction.select()
        .where(SegmentCriteriaAction.segment == no)
        .order_by(SegmentCriteriaAction.sequence)
    ]


def described(action: str, filters: dict[str, dict[str, str]]) -> str:
    """Return the line the domain renders for an action without options."""
    return describe_action(action, filters, {})


def screen_text(pilot: Pilot[Any]) -> str:
    """Return the text of every Static and every list option on the current screen."""
    texts = []
    for widget in pilot.app.screen.query(Static):
        rendered = widget.render()
        texts.append(getattr(rendered, "plain", str(rendered)))
    for options in pilot.app.screen.query(OptionList):
        for index in range(options.option_count):
            prompt = options.get_option_at_index(index).prompt
            texts.append(getattr(prompt, "plain", str(prompt)))
    return "\n".join(texts)


def count_line(pilot: Pilot[Any]) -> str:
    rendered = pilot.app.screen.query_one("#count", Static).render()
    return getattr(rendered, "plain", str(rendered))


async def press_times(pilot: Pilot[Any], key: str, times: int) -> None:
    for _ in range(times):
        await pilot.press(key)


async def open_segment(pilot: Pilot[Any], no: str) -> None:
    """Move the segment list's cursor to segment ``no`` with Down and open it."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, SegmentListScreen)
    numbers = [row[0] for row in table_rows(pilot, "#segments")]
    await press_times(pilot, "down", numbers.index(no))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WorksheetScreen)
    assert pilot.app.screen.segment_no == no


async def wait_for_count(pilot: Pilot[Any]) -> str:
    """Wait past the count's debounce and for its worker; return the count line."""
    await pilot.pause(0.5)
    await settle(pilot)
    return count_line(pilot)


async def open_criteria_list(pilot: Pilot[Any]) -> None:
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CriteriaListScreen)


def send_together(pilot: Pilot[Any], keys: list[str]) -> None:
    """Queue key presses with no pause between them, as a slow SSH link delivers them.

    Pilot.press waits after each key, so it never shows what happens when keys
    arrive faster than the app handles them.
    """
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        character = key if len(key) == 1 else None
        event = events.Key(key, character)
        event.set_sender(pilot.app)
        driver.send_message(event)


# Reduce and Refine.


async def test_reduce_by_keys_removes_matching(world) -> None:
    no = new_segment(filters={})
    assert contacts_of(no) == ALL_ADDABLE
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReduceContactsScreen)
        assert f"Reduce Contacts: segment {no}" in screen_text(pilot)
        await press_times(pilot, "tab", TABS_TO_COUNTRY)
        await type_text(pilot, "DE")
        # The count shows what Reduce would do before anything changes.
        assert await wait_for_count(pilot) == "2 lines would be removed, 5 would stay."
        assert contacts_of(no) == ALL_ADDABLE
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        table_contacts = {row[0] for row in table_rows(pilot, "#lines")}
    expected = ALL_ADDABLE - {"CO1", "CO1P1"}
    assert contacts_of(no) == expected
    assert table_contacts == expected
    assert actions_of(no) == [("add", True), ("reduce", True)]


async def test_reduce_without_filter_asks_first(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReduceContactsScreen)
        assert await wait_for_count(pilot) == "7 lines would be removed, 0 would stay."

        # Enter takes the default answer, No: nothing changes, the form stays.
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert f"Remove all 7 lines of segment {no}?" in dialog.question
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReduceContactsScreen)
        assert contacts_of(no) == ALL_ADDABLE
        assert actions_of(no) == [("add", True)]
        assert await wait_for_count(pilot) == "7 lines would be removed, 0 would stay."

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert contacts_of(no) == set()
        assert actions_of(no) == [("add", True), ("reduce", True)]

        # Go Back brings every line back.
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert contacts_of(no) == ALL_ADDABLE
        assert len(table_rows(pilot, "#lines")) == len(ALL_ADDABLE)


async def test_refine_by_keys_keeps_matching(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RefineContactsScreen)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        assert pilot.app.focused is pilot.app.screen.query_one(
            "#filter-mailing_group-code", Input
        )
        await type_text(pilot, "NEWS")
        assert await wait_for_count(pilot) == "4 lines would be removed, 3 would stay."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert contacts_of(no) == {"CO1P1", "CO2P1", "IND1"}
    assert actions_of(no)[-1] == ("refine", True)


async def test_refine_entire_companies_by_keys(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("k")
        await settle(pilot)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        await type_text(pilot, "NEWS")
        # Backwards from the first field: Cancel, the apply button, Entire companies.
        await press_times(pilot, "shift+tab", TABS_TO_MAILING_GROUP)
        await press_times(pilot, "shift+tab", 3)
        tick = pilot.app.screen.query_one("#option-entire_companies", Checkbox)
        assert pilot.app.focused is tick
        await pilot.press("enter")
        assert tick.value
        # The persons' companies stay with them; only IND2 and IND3 go.
        assert await wait_for_count(pilot) == "2 lines would be removed, 5 would stay."
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert contacts_of(no) == ALL_ADDABLE - {"IND2", "IND3"}


async def test_none_tick_reduces_without_group(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("r")
        await settle(pilot)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP + 1)
        tick = pilot.app.screen.query_one("#none-mailing_group", Checkbox)
        assert pilot.app.focused is tick
        await pilot.press("enter")
        # Contacts with no mailing group at all: CO1, CO2, IND2, IND3.
        assert await wait_for_count(pilot) == "4 lines would be removed, 3 would stay."
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert contacts_of(no) == {"CO1P1", "CO2P1", "IND1"}


async def test_none_tick_with_code(world) -> None:
    """None with a code: the contacts that do not have that mailing group."""
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("k")
        await settle(pilot)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        await type_text(pilot, "VIP")
        await pilot.press("tab", "enter")
        assert await wait_for_count(pilot) == "1 line would be removed, 6 would stay."
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert contacts_of(no) == ALL_ADDABLE - {"IND1"}


async def test_add_count_shows_before_applying(world) -> None:
    no = new_segment(filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddContactsScreen)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        await type_text(pilot, "NEWS")
        assert await wait_for_count(pilot) == "3 contacts would be added."
        assert contacts_of(no) == set()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert contacts_of(no) == {"CO1P1", "CO2P1", "IND1"}


async def test_invalid_code_filter_marks_field(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("r")
        await settle(pilot)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        await type_text(pilot, "NE[")
        text = await wait_for_count(pilot)
        assert text.startswith("! Mailing Group: ")
        assert "'mailing group=NE[' at position 3" in text
        field = pilot.app.screen.query_one("#filter-mailing_group-code", Input)
        assert field.has_class("invalid-filter")
        # Applying anyway changes nothing, keeps the form and returns to the field.
        await press_times(pilot, "tab", 3)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReduceContactsScreen)
        assert pilot.app.focused is field
        # The cursor is on the "[", so Delete removes it.
        assert field.cursor_position == 2
        await pilot.press("delete")
        await type_text(pilot, "WS")
        assert field.value == "NEWS"
        assert await wait_for_count(pilot) == "3 lines would be removed, 4 would stay."
        assert not field.has_class("invalid-filter")
    assert contacts_of(no) == ALL_ADDABLE
    assert actions_of(no) == [("add", True)]


async def test_unknown_code_names_codes(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("r")
        await settle(pilot)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        await type_text(pilot, "NOPE")
        text = await wait_for_count(pilot)
        assert "'NOPE'" in text
        assert "NEWS, VIP" in text
        assert pilot.app.screen.query_one(
            "#filter-mailing_group-code", Input
        ).has_class("invalid-filter")


async def test_keys_typed_together_stay_in_order(world) -> None:
    """Text and editing keys stay in the field they were typed in."""
    no = new_segment(filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("a")
        await settle(pilot)
        keys = ["Q", "ctrl+u"] + ["tab"] * TABS_TO_COUNTRY
        keys += ["D", "E", "X", "backspace"]
        keys += ["enter"] * (TABS_TO_MAILING_GROUP - TABS_TO_COUNTRY)
        keys += ["N", "E", "W", "S", "S", "backspace"]
        send_together(pilot, keys)
        screen = pilot.app.screen
        mailing_group = screen.query_one("#filter-mailing_group-code", Input)
        # On a loaded machine the queued keys take more than one settle to handle;
        # the last ones are typed into the mailing group field.
        last_value = None
        for _round in range(50):
            await settle(pilot)
            if mailing_group.value and mailing_group.value == last_value:
                break
            last_value = mailing_group.value
        assert screen.query_one("#filter-contact-no", Input).value == ""
        assert screen.query_one("#filter-contact-country", Input).value == "DE"
        assert screen.query_one("#filter-mailing_group-code", Input).value == "NEWS"
        assert await wait_for_count(pilot) == "1 contact would be added."


async def test_builder_escape_changes_nothing(world) -> None:
    no = new_segment(filters={})
    for key in ("a", "r", "k"):
        async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
            await open_segment(pilot, no)
            await pilot.press(key)
            await settle(pilot)
            await press_times(pilot, "tab", TABS_TO_COUNTRY)
            await type_text(pilot, "DE")
            await wait_for_count(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(pilot.app.screen, WorksheetScreen), key
    assert contacts_of(no) == ALL_ADDABLE
    assert actions_of(no) == [("add", True)]


async def test_builder_help_keeps_syntax(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        for key, purpose in (
            ("r", "remove the lines whose contacts match"),
            ("k", "keep only the lines whose contacts match"),
        ):
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(pilot.app.screen, HelpScreen)
            text = screen_text(pilot)
            assert purpose in text
            assert "DE|AT|CH" in text
            assert "<>NORTH" in text
            assert "None tick" in text
            assert "Ctrl+S" in text
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(pilot.app.screen, WorksheetScreen)


# Go Back and Go Forward.


async def test_go_back_forward_in_worksheet(world) -> None:
    no = new_segment(filters={})
    segment_actions.reduce_contacts(no, {"contact": {"country": "DE"}}, user=USER)
    reduced = ALL_ADDABLE - {"CO1", "CO1P1"}
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)

        # Go Back shows a question first, and Enter on its default "No" changes nothing.
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert described("reduce", {"contact": {"country": "DE"}}) in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert contacts_of(no) == reduced

        await pilot.press("b")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert contacts_of(no) == ALL_ADDABLE
        assert actions_of(no) == [("add", True), ("reduce", False)]
        assert len(table_rows(pilot, "#lines")) == len(ALL_ADDABLE)

        # Go Forward likewise.
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert contacts_of(no) == ALL_ADDABLE

        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert contacts_of(no) == reduced
        assert actions_of(no) == [("add", True), ("reduce", True)]
        assert len(table_rows(pilot, "#lines")) == len(reduced)


async def test_go_back_in_criteria_list(world) -> None:
    no = new_segment(filters={})
    segment_actions.refine_contacts(no, {"mailing_group": {"code": "NEWS"}}, user=USER)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await open_criteria_list(pilot)
        text = screen_text(pilot)
        assert "Add Contacts" in text
        assert described("refine", {"mailing_group": {"code": "NEWS"}}) in text
        assert "undone" not in text

        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert contacts_of(no) == {"CO1P1", "CO2P1", "IND1"}

        await pilot.press("b")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert contacts_of(no) == ALL_ADDABLE
        lines = pilot.app.screen.query_one("#actions", OptionList)
        refine = lines.get_option_at_index(1).prompt.plain
        assert "undone" in refine
        assert "Action 2 undone: 4 lines restored, 0 removed." in screen_text(pilot)

        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert contacts_of(no) == {"CO1P1", "CO2P1", "IND1"}
        assert "undone" not in screen_text(pilot)

        # The worksheet reads the lines again when the list closes.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert {row[0] for row in table_rows(pilot, "#lines")} == {
            "CO1P1",
            "CO2P1",
            "IND1",
        }


async def test_go_back_without_actions(world) -> None:
    no = new_segment(filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert actions_of(no) == []


async def test_step_questions_escape(world) -> None:
    no = new_segment(filters={})
    segment_actions.reduce_contacts(no, {"contact": {"country": "DE"}}, user=USER)
    segment_actions.go_back(no, user=USER)
    segment_actions.reduce_contacts(no, {"contact": {"country": "AT"}}, user=USER)
    segment_actions.go_back(no, user=USER)
    before = (contacts_of(no), actions_of(no))
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        for screen_key in ("", "c"):
            if screen_key:
                await open_criteria_list(pilot)
            for key in ("b", "f"):
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(pilot.app.screen, ConfirmDialog)
                await pilot.press("escape")
                await settle(pilot)
                assert not isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert (contacts_of(no), actions_of(no)) == before


# Saving and reusing criteria.


async def test_save_and_reuse_criteria(world) -> None:
    source = new_segment("Quelle", filters={"contact": {"country": "DE|AT|CH"}})
    segment_actions.refine_contacts(
        source, {"mailing_group": {"code": "NEWS"}}, user=USER
    )
    target = new_segment("Ziel", filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, source)
        await open_criteria_list(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaveCriteriaDialog)
        await type_text(pilot, "news-dach")
        await pilot.press("enter")
        await type_text(pilot, "Newsletter [DACH]")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
        assert "Criteria saved as NEWS-DACH." in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        await open_segment(pilot, target)
        await open_criteria_list(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceDialog)
        assert "NEWS-DACH  Newsletter [DACH]  (2 actions)" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        # A question lists the actions first; Yes is its default.
        assert isinstance(pilot.app.screen, ConfirmDialog)
        text = screen_text(pilot)
        add = described("add", {"contact": {"country": "DE|AT|CH"}})
        refine = described("refine", {"mailing_group": {"code": "NEWS"}})
        assert f"1  {add}" in text
        assert f"2  {refine}" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
        assert "Saved criteria NEWS-DACH replayed, 2 actions" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert {row[0] for row in table_rows(pilot, "#lines")} == contacts_of(source)
    assert contacts_of(target) == contacts_of(source)
    assert contacts_of(target) == {"CO1P1", "CO2P1", "IND1"}
    saved = SavedCriteria.get_by_id("NEWS-DACH")
    assert saved.description == "Newsletter [DACH]"


async def test_save_criteria_error_inline(world) -> None:
    no = new_segment(filters={})
    saved_criteria.save_criteria(no, "TAKEN", "First", user=USER)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await open_criteria_list(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "taken")
        await pilot.press("enter")
        await type_text(pilot, "Second")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaveCriteriaDialog)
        assert "TAKEN already exist" in screen_text(pilot)
        # The message requests another code, so the code field has the focus.
        assert pilot.app.focused.id == "code"

        # The tick replaces them.
        await pilot.press("tab", "tab")
        assert pilot.app.focused.id == "replace"
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
    assert SavedCriteria.get_by_id("TAKEN").description == "Second"


async def test_save_criteria_needs_actions(world) -> None:
    no = new_segment(filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await open_criteria_list(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "EMPTY")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaveCriteriaDialog)
        assert "has no criteria to save" in screen_text(pilot)
    assert SavedCriteria.select().count() == 0


async def test_save_and_reuse_escape(world) -> None:
    source = new_segment("Quelle", filters={"contact": {"country": "DE"}})
    saved_criteria.save_criteria(source, "DE", "Germany", user=USER)
    target = new_segment("Ziel", filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, target)
        await open_criteria_list(pilot)

        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "OTHER")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)

        # Escape in the list of saved criteria, then in the question after it.
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    assert [row.code for row in saved_criteria.list_saved_criteria()] == ["DE"]
    assert contacts_of(target) == set()
    assert actions_of(target) == []


# Reusing a logged segment.


async def test_reuse_logged_segment(world, tmp_path: Path) -> None:
    logged = new_segment("Geloggt", filters={"contact": {"no": "IND*"}})
    result = log_segment(logged, LogOptions(output_folder=tmp_path), user=USER)
    # IND3, named [bold]x, is deleted after logging: the reuse names it.
    Contact.delete_by_id("IND3")
    target = new_segment("Folge", filters={"contact": {"no": "IND1"}})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, target)
        await open_criteria_list(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReuseLoggedDialog)
        text = screen_text(pilot)
        assert f"{result.logged_segment_no}  {logged}  Geloggt" in text
        assert "3 interactions" in text
        await pilot.press("enter")
        await settle(pilot)
        # Contacts deleted since logging are named in a dialog, as plain text.
        assert isinstance(pilot.app.screen, MessageDialog)
        text = screen_text(pilot)
        assert "1 contact added." in text
        assert "Deleted since logging, so not added: IND3 [bold]x." in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
        assert "Reuse Logged Segment" in screen_text(pilot)
    assert contacts_of(target) == {"IND1", "IND2"}
    assert actions_of(target)[-1] == ("reuse_logged", True)


async def test_reuse_logged_allow_existing(world, tmp_path: Path) -> None:
    logged = new_segment("Geloggt", filters={"contact": {"no": "IND1|IND2"}})
    log_segment(logged, LogOptions(output_folder=tmp_path), user=USER)
    target = new_segment("Folge", filters={"contact": {"no": "IND1"}})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, target)
        await open_criteria_list(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.press("enter")
        assert pilot.app.screen.query_one("#allow_existing", Checkbox).value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
        assert "2 contacts added." in screen_text(pilot)
    lines = [
        line.contact_no
        for line in SegmentLine.select().where(SegmentLine.segment == target)
    ]
    assert sorted(lines) == ["IND1", "IND1", "IND2"]


async def test_reuse_logged_escape(world, tmp_path: Path) -> None:
    logged = new_segment("Geloggt", filters={"contact": {"no": "IND1"}})
    log_segment(logged, LogOptions(output_folder=tmp_path), user=USER)
    target = new_segment("Folge", filters=None)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, target)
        await open_criteria_list(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReuseLoggedDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CriteriaListScreen)
    assert contacts_of(target) == set()
    assert actions_of(target) == []


# The saved criteria screen.


async def test_saved_criteria_list_view_delete(world) -> None:
    no = new_segment(filters={"contact": {"name": "[bold]x"}})
    saved_criteria.save_criteria(no, "MARKUP", "Name [red]", user=USER)
    saved_criteria.save_criteria(no, "ZWEI", "Zweite", user=USER)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SavedCriteriaScreen)
        assert table_rows(pilot, "#saved") == [
            ["MARKUP", "Name [red]", "      1", USER],
            ["ZWEI", "Zweite", "      1", USER],
        ]

        # Enter shows the actions, filter text as typed.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MessageDialog)
        text = screen_text(pilot)
        assert "Name [red]" in text
        assert "1  Add Contacts  name=[bold]x" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SavedCriteriaScreen)

        # Delete shows a question. Its default "No" and Escape keep them, y deletes.
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert "Delete saved criteria MARKUP Name [red]?" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert len(table_rows(pilot, "#saved")) == 2
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [row[0] for row in table_rows(pilot, "#saved")] == ["ZWEI"]

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SegmentListScreen)
    assert [row.code for row in saved_criteria.list_saved_criteria()] == ["ZWEI"]


async def test_saved_criteria_by_f4(world) -> None:
    no = new_segment(filters={})
    saved_criteria.save_criteria(no, "ALL", "", user=USER)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SavedCriteriaScreen)
        assert [row[0] for row in table_rows(pilot, "#saved")] == ["ALL"]
        await pilot.press("f1")
        await settle(pilot)
        assert "Criteria saved from segments" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)


# Help and user data as text.


async def test_criteria_list_help(world) -> None:
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await open_criteria_list(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        # The key rows are drawn as a table, so the help's own text is read.
        text = help_screen.text
        assert "every action that changed its lines" in text
        for key in ("b ", "f ", "s ", "u ", "o ", "Esc"):
            assert f"\n  {key}" in text, key
        drawn = "\n".join(
            strip.text for strip in help_screen._compositor.render_strips()
        )
        assert "every action that changed" in drawn


async def test_markup_shown_literally(world) -> None:
    no = new_segment("[b]Aktion", filters={})
    segment_actions.reduce_contacts(no, {"contact": {"name": "[bold]x"}}, user=USER)
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await open_criteria_list(pilot)
        text = screen_text(pilot)
        assert "Reduce Contacts  name=[bold]x" in text
        assert f"Criteria of segment {no}  [b]Aktion" in text
        await pilot.press("b")
        await settle(pilot)
        assert "Reduce Contacts  name=[bold]x" in screen_text(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "IND3" in contacts_of(no)


# Keys.

SAFE_KEY = re.compile(
    r"^([a-z0-9]|f([1-9]|10)|ctrl\+[a-z]|up|down|left|right|enter|escape|tab"
    r"|shift\+tab)$"
)
UNSAFE_KEY = re.compile(r"^(alt\+.*|.*\+enter|home|end)$")


@pytest.mark.parametrize(
    "owner",
    [
        SegtuiApp,
        SegmentListScreen,
        WorksheetScreen,
        AddContactsScreen,
        ReduceContactsScreen,
        RefineContactsScreen,
        CriteriaListScreen,
        SaveCriteriaDialog,
        ReuseLoggedDialog,
        SavedCriteriaScreen,
    ],
)
def test_bindings_safe_and_described(owner: type) -> None:
    for cls in owner.__mro__:
        if not cls.__module__.startswith("segtui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            keys = [key.strip() for key in binding.key.split(",")]
            assert any(SAFE_KEY.match(key) for key in keys), (cls, binding.key)
            assert not any(UNSAFE_KEY.match(key) for key in keys), (cls, binding.key)
            assert binding.description, (cls, binding.key)
            assert binding.tooltip, (cls, binding.key)
