"""Screens fixed after a review: sending chosen entries again, and the line note."""

from __future__ import annotations

from pathlib import Path

from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.logged import LoggedSegmentScreen
from tests.conftest import TEST_USER
from tests.test_cancel_logged import entries_of, log_world_segment
from tests.tui_helpers import settle, table_rows


async def test_logged_screen_sends_marked_entries(world, tmp_path: Path) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    letters = [Path(entry.document_path) for entry in entries_of(logged_no)]
    assert len(letters) == 3
    for letter in letters:
        letter.unlink()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        # m marks the entry and moves down, so this marks the first two.
        await pilot.press("m", "m")
        numbers = [entry.entry_no for entry in entries_of(logged_no)]
        rows = table_rows(pilot, "#entries")
        assert [row[0] for row in rows] == [
            f"*{numbers[0]}",
            f"*{numbers[1]}",
            str(numbers[2]),
        ]
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, rounds=10)
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)
        rows = table_rows(pilot, "#entries")
        assert [row[0] for row in rows] == [str(number) for number in numbers]
    assert letters[0].exists()
    assert letters[1].exists()
    assert not letters[2].exists()
    recorded = [entry.document_path for entry in entries_of(logged_no)]
    assert recorded == [str(letter) for letter in letters]


async def test_logged_screen_sends_selected_entry(world, tmp_path: Path) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    letters = [Path(entry.document_path) for entry in entries_of(logged_no)]
    for letter in letters:
        letter.unlink()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, rounds=10)
    assert [letter.exists() for letter in letters] == [False, True, False]


async def test_line_note_warns_without_field(world) -> None:
    from textual.widgets import TextArea

    from segtui.models import SegmentLine
    from segtui.ui.screens.line_dialog import LineDialog, load_line_form
    from tests.test_letters import new_segment, second_template

    second_template()
    no = new_segment("IND2", template="OFFER")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LineDialog(load_line_form(no, 10000)))
        await settle(pilot)
        pilot.app.screen.query_one("#personal_note", TextArea).text = "Hello!"
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert not isinstance(pilot.app.screen, LineDialog)
        warnings = [
            note.message
            for note in pilot.app._notifications
            if note.severity == "warning"
        ]
    assert SegmentLine.get(SegmentLine.segment == no).personal_note == "Hello!"
    assert len(warnings) == 1
    assert "template OFFER in language EN" in warnings[0]
    assert "Add a PersonalNote field to the Word file" in warnings[0]


async def test_cancel_question_names_entries_canceled_alone(
    world, tmp_path: Path
) -> None:
    from segtui.domain.cancellation import set_entries_canceled

    logged_no = log_world_segment(tmp_path / "letters")
    alone = entries_of(logged_no)[0].entry_no
    set_entries_canceled([alone], True, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "1 entry is canceled on its own already" in dialog.question
        assert "Un-canceling the logged segment later un-cancels that entry too" in (
            dialog.question
        )
        await pilot.press("y")
        await settle(pilot, rounds=5)
        await pilot.press("U")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "canceled on their own before are un-canceled too" in dialog.question
        await pilot.press("y")
        await settle(pilot, rounds=5)
    assert [entry.canceled for entry in entries_of(logged_no)] == [False] * 3


async def test_cancel_question_without_entries_canceled_alone(
    world, tmp_path: Path
) -> None:
    logged_no = log_world_segment(tmp_path / "letters")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "on its own" not in dialog.question
        assert "on their own" not in dialog.question


async def test_chart_names_busiest_month(world) -> None:
    from textual.widgets import Static

    from segtui.domain.cancellation import set_logged_canceled
    from tests.test_cancel_logged import add_logged

    logged_no = add_logged(["IND1", "IND2"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(LoggedSegmentScreen(logged_no))
        await settle(pilot)
        scale = pilot.app.screen.query_one("#chart-scale", Static).render()
        assert str(scale).endswith(", peak 2026-11: 2")
        set_logged_canceled([logged_no], True, user=TEST_USER)
        await pilot.press("r")
        await settle(pilot)
        scale = pilot.app.screen.query_one("#chart-scale", Static).render()
        assert str(scale).endswith(", no interactions")


async def test_template_card_empty_unit_cost(world) -> None:
    from decimal import Decimal

    from textual.widgets import Input, Static

    from segtui.models import InteractionTemplate
    from segtui.ui.screens.setup_forms import SetupCardDialog
    from tests.test_tui_templates import go_to, make_admin

    make_admin()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Interaction templates")
        await pilot.press("down", "enter")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, SetupCardDialog)
        card.query_one("#field-unit_cost", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is card
        error = str(card.query_one("#error", Static).render())
        assert "Unit cost is empty; enter an amount such as 1.20, or 0 for none." in (
            error
        )
        assert "''" not in error
    assert InteractionTemplate.get_by_id("LETTER").unit_cost != Decimal("0")
