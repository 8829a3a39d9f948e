"""Cancel keys on the logged segment and entry screens: x cancels the marked or
selected rows, u un-cancels them, and X cancels the whole logged segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from segtui.domain.cancellation import set_entries_canceled
from segtui.models import InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.help import help_text
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.logged import LoggedSegmentScreen
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged
from tests.tui_helpers import open_screen, press_settled, settle

CONTACTS = ["IND1", "IND2", "CO1P1"]


def canceled_contacts(logged_no: int) -> set[str]:
    return {
        entry.contact_no
        for entry in InteractionLogEntry.select().where(
            (InteractionLogEntry.logged_segment == logged_no)
            & (InteractionLogEntry.canceled == True)  # noqa: E712
        )
    }


def logged_canceled(logged_no: int) -> bool:
    return bool(LoggedSegment.get_by_id(logged_no).canceled)


def entry_no_of(contact_no: str) -> int:
    return InteractionLogEntry.get(
        InteractionLogEntry.contact_no == contact_no
    ).entry_no


async def question(pilot: Pilot[Any], key: str) -> ConfirmDialog:
    """Press ``key`` and return the yes/no question it opens."""
    await press_settled(pilot, key)
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmDialog), (key, dialog)
    return dialog


async def answer_yes(pilot: Pilot[Any]) -> None:
    await pilot.press("y")
    await settle(pilot, rounds=5)


async def test_x_cancels_selected_entry_only(world) -> None:
    logged_no = add_logged(CONTACTS)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        dialog = await question(pilot, "x")
        assert dialog.question.startswith("Cancel entry ")
        assert "IND1" in dialog.question
        await answer_yes(pilot)
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)

    assert canceled_contacts(logged_no) == {"IND1"}
    assert not logged_canceled(logged_no)


async def test_x_cancels_marked_entries(world) -> None:
    logged_no = add_logged(CONTACTS)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        screen = LoggedSegmentScreen(logged_no)
        await open_screen(pilot, screen)
        # m marks the row and moves down: mark the first and the third entry.
        await press_settled(pilot, "m", "down", "m")
        dialog = await question(pilot, "x")
        first, third = entry_no_of("IND1"), entry_no_of("CO1P1")
        assert f"Cancel the 2 entries {first}, {third}?" in dialog.question
        await answer_yes(pilot)
        assert screen.marked == set()

    assert canceled_contacts(logged_no) == {"IND1", "CO1P1"}
    assert not logged_canceled(logged_no)


async def test_u_uncancels_marked_entries(world) -> None:
    logged_no = add_logged(CONTACTS)
    set_entries_canceled(
        [entry_no_of("IND1"), entry_no_of("IND2")], True, user=TEST_USER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "m", "m")
        dialog = await question(pilot, "u")
        assert dialog.question.startswith("Un-cancel the 2 entries ")
        await answer_yes(pilot)

    assert canceled_contacts(logged_no) == set()


async def test_x_on_canceled_entry_asks_nothing(world) -> None:
    logged_no = add_logged(CONTACTS)
    set_entries_canceled([entry_no_of("IND1")], True, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "x")
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)
        messages = [notice.message for notice in pilot.app._notifications]
        assert "The entry is canceled already." in messages

    assert canceled_contacts(logged_no) == {"IND1"}


async def test_shift_x_cancels_whole_segment(world) -> None:
    logged_no = add_logged(CONTACTS)
    set_entries_canceled([entry_no_of("IND2")], True, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        dialog = await question(pilot, "X")
        # Two entries are not canceled yet, and the third was canceled on its own.
        assert dialog.question.startswith(
            f"Cancel logged segment {logged_no} with its 2 entries?"
        )
        assert "1 entry is canceled on its own already" in dialog.question
        assert "U on one logged segment" in help_text(dialog)
        await answer_yes(pilot)

    assert logged_canceled(logged_no)
    assert canceled_contacts(logged_no) == set(CONTACTS)


async def test_shift_u_uncancels_whole_segment(world) -> None:
    logged_no = add_logged(CONTACTS)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await question(pilot, "X")
        await answer_yes(pilot)
        assert logged_canceled(logged_no)

        # u on an entry of a canceled logged segment explains U instead of asking.
        await press_settled(pilot, "u")
        assert isinstance(pilot.app.screen, LoggedSegmentScreen)
        assert canceled_contacts(logged_no) == set(CONTACTS)

        dialog = await question(pilot, "U")
        assert dialog.question.startswith(f"Un-cancel logged segment {logged_no}")
        await answer_yes(pilot)

    assert not logged_canceled(logged_no)
    assert canceled_contacts(logged_no) == set()


async def test_escape_on_each_question_changes_nothing(world) -> None:
    logged_no = add_logged(CONTACTS)
    set_entries_canceled([entry_no_of("CO1P1")], True, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        screen = LoggedSegmentScreen(logged_no)
        await open_screen(pilot, screen)
        # The selected entry, the marked entries, and the whole logged segment.
        for keys in (["x"], ["m", "m", "x"], ["X"]):
            for key in keys[:-1]:
                await press_settled(pilot, key)
            await question(pilot, keys[-1])
            await press_settled(pilot, "escape")
            assert pilot.app.screen is screen
            assert canceled_contacts(logged_no) == {"CO1P1"}
            assert not logged_canceled(logged_no)
            screen.marked.clear()

        # Un-cancel the canceled third entry, then back out.
        await press_settled(pilot, "down", "down")
        await question(pilot, "u")
        await press_settled(pilot, "escape")
        assert canceled_contacts(logged_no) == {"CO1P1"}

        # Un-cancel the whole logged segment, then back out.
        LoggedSegment.update(canceled=True).where(
            LoggedSegment.entry_no == logged_no
        ).execute()
        await press_settled(pilot, "r")
        await question(pilot, "U")
        await press_settled(pilot, "escape")
        assert pilot.app.screen is screen
    assert logged_canceled(logged_no)
    assert canceled_contacts(logged_no) == {"CO1P1"}


async def test_logged_help_names_cancel_keys(world) -> None:
    logged_no = add_logged(CONTACTS)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        commands = {
            command.title: command.help
            for command in pilot.app.get_system_commands(pilot.app.screen)
        }
        text = help_text(pilot.app.screen)

    assert commands["Logged segment: Cancel all"].endswith("(X)")
    assert commands["Logged segment: Un-cancel all"].endswith("(U)")
    assert commands["Logged segment: Cancel"].endswith("(x)")
    assert commands["Logged segment: Un-cancel"].endswith("(u)")
    assert "x cancels the marked entries, or the selected one" in text
    assert "t cancels" not in text


async def test_remapped_cancel_all_key(world, tmp_path: Path) -> None:
    """A keymap entry moves canceling the whole logged segment to another key."""
    logged_no = add_logged(CONTACTS)
    path = tmp_path / "keys.toml"
    path.write_text('[keys]\n"logged_segment.cancel" = "K"\n', encoding="utf-8")
    app = SegtuiApp(user=TEST_USER, keymap_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, LoggedSegmentScreen(logged_no))
        await press_settled(pilot, "X")
        assert isinstance(app.screen, LoggedSegmentScreen)
        dialog = await question(pilot, "K")
        assert dialog.question.startswith(f"Cancel logged segment {logged_no}")
        await answer_yes(pilot)

    assert logged_canceled(logged_no)


async def test_history_x_cancels_u_uncancels(world) -> None:
    add_logged(["IND1", "IND2"])
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        screen = InteractionHistoryScreen()
        await open_screen(pilot, screen)
        entry = screen.selected()
        assert entry is not None
        contact = entry.contact_no

        dialog = await question(pilot, "x")
        assert dialog.question.startswith(f"Cancel entry {entry.entry_no} ")
        await answer_yes(pilot)
        assert InteractionLogEntry.get_by_id(entry.entry_no).canceled

        # x again does not un-cancel it: only u does.
        await press_settled(pilot, "x")
        assert pilot.app.screen is screen
        assert InteractionLogEntry.get_by_id(entry.entry_no).canceled

        dialog = await question(pilot, "u")
        assert dialog.question.startswith(f"Un-cancel entry {entry.entry_no} ")
        await press_settled(pilot, "escape")
        assert InteractionLogEntry.get_by_id(entry.entry_no).canceled
        await question(pilot, "u")
        await answer_yes(pilot)

    assert not InteractionLogEntry.get(
        InteractionLogEntry.contact_no == contact
    ).canceled
