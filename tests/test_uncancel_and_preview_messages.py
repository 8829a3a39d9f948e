"""Messages about un-canceling entries, and the worksheet's letter preview.

The interaction log entries screen rejects un-canceling an entry of a canceled
logged segment at once, the domain error names each entry's logged segment in
words, the questions of X and U say "un-cancel", and the worksheet names the
contact of a line rather than its line number, which it does not show.
"""

from __future__ import annotations

import pytest

from segtui.domain import segment_actions, segmentation
from segtui.domain.cancellation import set_entries_canceled, set_logged_canceled
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError
from segtui.models import Contact, InteractionLogEntry
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog, MessageDialog
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.letter_dialogs import LetterPreviewDialog
from segtui.ui.screens.logged import LoggedSegmentScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged
from tests.tui_helpers import open_screen, press_settled, settle


def entry_numbers(logged_no: int) -> list[int]:
    return [
        entry.entry_no
        for entry in InteractionLogEntry.select(InteractionLogEntry.entry_no)
        .where(InteractionLogEntry.logged_segment == logged_no)
        .order_by(InteractionLogEntry.entry_no)
    ]


def notices(app: SegtuiApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_history_u_rejects_entry_of_canceled_logged(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    set_logged_canceled([logged_no], True, user=TEST_USER)
    # The list shows the newest entry first.
    newest = entry_numbers(logged_no)[-1]
    screen = InteractionHistoryScreen({"logged_segment": str(logged_no)})
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, screen)
        await press_settled(pilot, "u")
        assert pilot.app.screen is screen
        [message] = notices(pilot.app)
        assert message.startswith(
            f"Entry {newest} belongs to logged segment {logged_no}, which is canceled"
        )
        assert f"U on logged segment {logged_no}" in message
        assert "u on the list of logged segments" in message
    assert all(entry.canceled for entry in InteractionLogEntry.select())


async def test_history_u_asks_for_entry_canceled_alone(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    newest = entry_numbers(logged_no)[-1]
    set_entries_canceled([newest], True, user=TEST_USER)
    screen = InteractionHistoryScreen({"logged_segment": str(logged_no)})
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, screen)
        await press_settled(pilot, "u")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question.startswith(f"Un-cancel entry {newest} ")
        await pilot.press("y")
        await settle(pilot, rounds=5)
    assert not InteractionLogEntry.get_by_id(newest).canceled


def test_blocked_uncancel_names_logged_segments(world) -> None:
    first = add_logged(["IND1", "IND2"])
    second = add_logged(["CO1P1"])
    set_logged_canceled([first, second], True, user=TEST_USER)
    first_no, second_no = entry_numbers(first)
    [third_no] = entry_numbers(second)
    with pytest.raises(InvalidValueError) as caught:
        set_entries_canceled([first_no, second_no, third_no], False, user=TEST_USER)
    message = caught.value.message
    assert (
        f"Entries {first_no}, {second_no} belong to logged segment {first}, which"
    ) in message
    assert f"Entry {third_no} belongs to logged segment {second}, which" in message
    assert "un-cancel the logged segments instead" in message
    assert "(" not in message
    assert "brackets" not in message


def test_blocked_uncancel_of_one_entry(world) -> None:
    logged_no = add_logged(["IND1"])
    set_logged_canceled([logged_no], True, user=TEST_USER)
    [entry_no] = entry_numbers(logged_no)
    with pytest.raises(InvalidValueError) as caught:
        set_entries_canceled([entry_no], False, user=TEST_USER)
    assert caught.value.message == (
        f"Entry {entry_no} belongs to logged segment {logged_no}, which is canceled, "
        "so it cannot be un-canceled on its own. To un-cancel it, un-cancel the "
        "logged segment instead, which un-cancels all its entries. Nothing was "
        "changed."
    )


async def test_cancel_and_uncancel_questions_say_uncancel(world) -> None:
    logged_no = add_logged(["IND1", "IND2", "CO1P1"])
    first, second, _third = entry_numbers(logged_no)
    set_entries_canceled([first, second], True, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "X")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert (
            "2 entries are canceled on their own already. Un-canceling the logged "
            "segment later un-cancels those entries too."
        ) in dialog.question
        assert "restore" not in dialog.question
        await pilot.press("y")
        await settle(pilot, rounds=5)

        await press_settled(pilot, "U")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert (
            "Entries that were canceled on their own before are un-canceled too."
        ) in dialog.question
        assert "restore" not in dialog.question
        await press_settled(pilot, "escape")


def segment_with(contact_no: str, template: str = "") -> str:
    segment = segmentation.create_segment(
        "Preview", user=TEST_USER, template_code=template or None
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": contact_no}}, AddOptions(), user=TEST_USER
    )
    return segment.no


async def test_preview_without_template_names_contact(world) -> None:
    no = segment_with("IND1")
    name = Contact.get_by_id("IND1").name
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, WorksheetScreen(no))
        await press_settled(pilot, "p")
        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        assert dialog.message.startswith(
            f"The line of contact IND1 {name} has no interaction template"
        )
        assert "Line " not in dialog.message


async def test_preview_title_names_contact(world) -> None:
    no = segment_with("IND1", "LETTER")
    name = Contact.get_by_id("IND1").name
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, WorksheetScreen(no))
        await press_settled(pilot, "p")
        dialog = pilot.app.screen
        assert isinstance(dialog, LetterPreviewDialog)
        assert dialog.dialog_title == f"Letter to IND1 {name}"
