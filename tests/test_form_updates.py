"""Forms show what saving stores: template values at once, and only current errors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.models import SegmentHeader, SegmentLine
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contact_dialogs import ContactDialog, load_contact_form
from segtui.ui.screens.dialogs import ConfirmDialog, InputDialog
from segtui.ui.screens.line_dialog import LineDialog, load_line_form
from segtui.ui.screens.segment_dialogs import HeaderDialog
from segtui.ui.screens.setup_forms import SetupCardDialog
from tests.conftest import TEST_USER
from tests.tui_helpers import open_screen, settle, type_text


def segment_with_cost(template: str | None = None) -> str:
    """Create a segment with three lines, unit cost 2.50 and duration 0."""
    segment = segmentation.create_segment(
        "Herbst", user=TEST_USER, template_code=template
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "IND*"}}, AddOptions(), user=TEST_USER
    )
    segmentation.update_header(
        segment.no,
        {"unit_cost": Decimal("2.50"), "unit_duration": Decimal("0")},
        user=TEST_USER,
    )
    return segment.no


async def open_header(pilot: Pilot[Any], no: str) -> HeaderDialog:
    await settle(pilot)
    header = SegmentHeader.get_by_id(no)
    lines = SegmentLine.select().where(SegmentLine.segment == no).count()
    dialog = HeaderDialog(header, lines)
    pilot.app.push_screen(dialog)
    await settle(pilot)
    return dialog


async def pick_template(pilot: Pilot[Any], dialog: HeaderDialog, code: str) -> None:
    """Open the template list and pick ``code`` with the arrows and Enter."""
    select = dialog.query_one("#interaction_template", Select)
    select.focus()
    await settle(pilot, rounds=1)
    await pilot.press("enter")
    await settle(pilot, rounds=1)
    # The list shows "(none)" first, then the templates by code: CALL, LETTER.
    steps = {"": 0, "CALL": 1, "LETTER": 2}[code]
    await pilot.press("home", *["down"] * steps, "enter")
    await settle(pilot)


def field_value(dialog: HeaderDialog, name: str) -> str:
    return dialog.query_one(f"#{name}", Input).value


async def save_header(pilot: Pilot[Any], dialog: HeaderDialog) -> None:
    """Press ctrl+s and answer yes to the question whether the lines follow."""
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("y")
    await settle(pilot)
    assert pilot.app.screen is not dialog


def error_text(dialog: Any) -> str:
    error = dialog.query_one("#error", Static)
    if not error.display:
        return ""
    rendered = error.render()
    return getattr(rendered, "plain", str(rendered))


async def test_template_fills_header_form(world) -> None:
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        assert field_value(dialog, "unit_cost") == "2.50"
        await pick_template(pilot, dialog, "LETTER")

        assert pilot.app.screen is dialog
        assert field_value(dialog, "unit_cost") == "1.20"
        assert field_value(dialog, "unit_duration") == "5.00"
        assert dialog.query_one("#correspondence_type", Select).value == "hard_copy"
        assert dialog.query_one("#language", Select).value == "EN"
        assert dialog.query_one("#subject", Input).value == ""
        assert not dialog.query_one("#ignore_contact_corresp_type", Checkbox).value

        await save_header(pilot, dialog)
    header = SegmentHeader.get_by_id(no)
    assert header.interaction_template_code == "LETTER"
    assert header.unit_cost == Decimal("1.20")
    assert header.unit_duration == Decimal("5")


@pytest.mark.parametrize("typed", ["2.50", "3.75"])
async def test_cost_typed_after_template_kept(world, typed: str) -> None:
    """A cost typed after picking a template is saved, the header's old one too."""
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        await pick_template(pilot, dialog, "LETTER")
        field = dialog.query_one("#unit_cost", Input)
        field.focus()
        field.value = ""
        await type_text(pilot, typed)
        await save_header(pilot, dialog)
    header = SegmentHeader.get_by_id(no)
    assert header.interaction_template_code == "LETTER"
    assert header.unit_cost == Decimal(typed)
    assert header.unit_duration == Decimal("5")
    lines = SegmentLine.select().where(SegmentLine.segment == no)
    assert {line.unit_cost for line in lines} == {Decimal(typed)}


async def test_save_right_after_pick_uses_template(world) -> None:
    """Ctrl+S before the Select's message arrives still saves the template's cost."""
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        select = dialog.query_one("#interaction_template", Select)
        select.value = "LETTER"
        dialog.action_save()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    assert SegmentHeader.get_by_id(no).unit_cost == Decimal("1.20")


async def test_header_template_kept_on_open(world) -> None:
    """Opening the form shows the header's own cost, not its template's."""
    no = segment_with_cost(template="LETTER")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        assert dialog.query_one("#interaction_template", Select).value == "LETTER"
        assert field_value(dialog, "unit_cost") == "2.50"
        assert field_value(dialog, "unit_duration") == "0.00"


async def test_no_template_keeps_typed_values(world) -> None:
    no = segment_with_cost(template="LETTER")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        field = dialog.query_one("#unit_cost", Input)
        field.focus()
        field.value = ""
        await type_text(pilot, "7")
        await pick_template(pilot, dialog, "")
        assert dialog.query_one("#interaction_template", Select).selection is None
        assert field_value(dialog, "unit_cost") == "7"
        assert field_value(dialog, "unit_duration") == "0.00"
        await save_header(pilot, dialog)
    header = SegmentHeader.get_by_id(no)
    assert header.interaction_template_code is None
    assert header.unit_cost == Decimal("7")
    assert header.unit_duration == Decimal("0")


async def show_header_errors(pilot: Pilot[Any], dialog: HeaderDialog) -> None:
    """Type an invalid date and cost, press ctrl+s and check both are listed."""
    dialog.query_one("#date", Input).value = "31.02.2026"
    dialog.query_one("#unit_cost", Input).value = "abc"
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen is dialog
    text = error_text(dialog)
    assert "31.02.2026" in text
    assert "Unit cost 'abc' is not a number" in text


async def test_header_errors_gone_at_question(world) -> None:
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        await show_header_errors(pilot, dialog)
        dialog.query_one("#date", Input).value = "2026-03-02"
        dialog.query_one("#unit_cost", Input).value = "2.75"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert error_text(dialog) == ""


async def test_unnamed_problem_gone_at_question(world) -> None:
    """A problem that names no field stays while editing and goes at the question."""
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        dialog.show_problem("The server did not answer.")
        dialog.query_one("#unit_cost", Input).value = "2.75"
        await settle(pilot, rounds=1)
        assert error_text(dialog) == "The server did not answer."

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert error_text(dialog) == ""


async def test_header_error_goes_with_its_field(world) -> None:
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        await show_header_errors(pilot, dialog)

        dialog.query_one("#date", Input).value = "2026-03-02"
        await settle(pilot, rounds=1)
        text = error_text(dialog)
        assert "31.02.2026" not in text
        assert "Unit cost 'abc' is not a number" in text

        # A field that no problem names leaves the rest in place.
        dialog.query_one("#subject", Input).value = "Spring"
        await settle(pilot, rounds=1)
        assert "Unit cost 'abc' is not a number" in error_text(dialog)

        dialog.query_one("#unit_cost", Input).value = "2.75"
        await settle(pilot, rounds=1)
        assert error_text(dialog) == ""
        assert pilot.app.screen is dialog


async def test_template_pick_drops_cost_error(world) -> None:
    """Picking a template replaces the cost, so the error about the cost goes."""
    no = segment_with_cost()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        await show_header_errors(pilot, dialog)
        await pick_template(pilot, dialog, "LETTER")
        text = error_text(dialog)
        assert "Unit cost" not in text
        assert "31.02.2026" in text


async def test_line_error_goes_with_its_field(world) -> None:
    no = segment_with_cost()
    line = SegmentLine.select().where(SegmentLine.segment == no).first()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = LineDialog(load_line_form(no, line.line_no))
        pilot.app.push_screen(dialog)
        await settle(pilot)
        dialog.query_one("#unit_duration", Input).value = "-5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Duration is -5" in error_text(dialog)

        dialog.query_one("#unit_duration", Input).value = "5"
        await settle(pilot, rounds=1)
        assert error_text(dialog) == ""
        assert pilot.app.screen is dialog


async def test_contact_error_goes_with_its_field(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = ContactDialog(load_contact_form(None))
        pilot.app.push_screen(dialog)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert error_text(dialog) != ""
        assert dialog.focused is not None
        named = dialog.focused

        named.focus()
        await type_text(pilot, "Neu GmbH")
        await settle(pilot, rounds=1)
        assert error_text(dialog) == ""


async def test_setup_card_error_goes_with_field(world) -> None:
    from tests.test_tui_templates import go_to, make_admin

    make_admin()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Interaction templates")
        await pilot.press("down", "enter")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, SetupCardDialog)
        field = card.query_one("#field-unit_cost", Input)
        field.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is card
        assert "Unit cost is empty" in error_text(card)

        field.value = "1.50"
        await settle(pilot, rounds=1)
        assert error_text(card) == ""


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    """segtui.ui.app imported afresh with German texts."""
    # The snapshot tests import the layout tests, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


async def test_template_fills_german_amounts(world, german_ui: ModuleType) -> None:
    segment_with_cost()
    app = german_ui.SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = pilot.app.screen
        assert dialog.query_one("#unit_cost", Input).value == "2,50"
        await pick_template(pilot, dialog, "LETTER")
        assert dialog.query_one("#unit_cost", Input).value == "1,20"
        assert dialog.query_one("#unit_duration", Input).value == "5,00"


async def test_input_dialog_error_goes_when_typed(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = InputDialog("Name", "Name:")
        await open_screen(pilot, dialog)
        await pilot.press("enter")
        await settle(pilot, rounds=1)
        assert pilot.app.screen is dialog
        assert "Enter a value" in error_text(dialog)

        await type_text(pilot, "Spring")
        await settle(pilot, rounds=1)
        assert error_text(dialog) == ""


async def test_template_without_language_clears_it(world) -> None:
    from segtui.models import InteractionTemplate

    InteractionTemplate.create(
        code="NOTE", group="LETTER", unit_cost=Decimal("0.50"), language=None
    )
    no = segment_with_cost()
    segmentation.update_header(no, {"language": "DE"}, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_header(pilot, no)
        assert dialog.query_one("#language", Select).selection == "DE"
        select = dialog.query_one("#interaction_template", Select)
        select.value = "NOTE"
        await settle(pilot)
        assert dialog.query_one("#language", Select).selection is None
        assert field_value(dialog, "unit_cost") == "0.50"
