"""Keys in dialogs: F1 help, Enter in pick lists, and what the footer calls Esc."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar
from textual.widgets._footer import FooterKey

from segtui.domain import segment_logging, segmentation
from segtui.domain.delivery import DeliveryReport
from segtui.models import Campaign, InteractionLogEntry, LoggedSegment
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.campaigns import CampaignDialog, CampaignListScreen
from segtui.ui.screens.contact_dialogs import ContactDialog
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.criteria_dialogs import ReuseLoggedDialog
from segtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, Dialog
from segtui.ui.screens.help import HelpScreen
from segtui.ui.screens.history import EntryFilterDialog, InteractionHistoryScreen
from segtui.ui.screens.menu import GoToDialog
from segtui.ui.screens.segment_dialogs import (
    FormDialog,
    HeaderDialog,
    InsertLineDialog,
    LogDialog,
)
from tests.conftest import TEST_USER
from tests.test_dialog_frames import DIALOGS
from tests.test_layout import footer_line
from tests.test_tui_screens import make_segment, open_first_segment
from tests.tui_helpers import open_screen, press_settled, settle, type_text

# Every dialog that segtui opens gives its own help. FormDialog is left out because
# it is only the base class of the forms and is never opened itself.
OWN_HELP = [dialog for dialog in DIALOGS if dialog is not FormDialog]


@pytest.mark.parametrize("dialog", DIALOGS, ids=lambda cls: cls.__name__)
def test_f1_bound_in_dialog(dialog: type[Dialog]) -> None:
    bindings = dialog._merged_bindings
    assert bindings is not None
    actions = [binding.action for binding in bindings.key_to_bindings.get("f1", [])]
    assert actions == ["app.help"]
    assert dialog.HELP


@pytest.mark.parametrize("dialog", OWN_HELP, ids=lambda cls: cls.__name__)
def test_dialog_has_own_help(dialog: type[Dialog]) -> None:
    assert "HELP" in dialog.__dict__
    # A dialog derived from another, such as the salutation card from the setup
    # card, describes what it adds instead of repeating the help of its base class.
    for base in dialog.__mro__[1:]:
        assert getattr(base, "HELP", None) != dialog.HELP, base.__name__


def test_every_modal_screen_is_a_dialog() -> None:
    """Every modal screen of the screens package but the help itself gets F1 from
    the Dialog class. The command palette, a modal screen of Textual's, has its own
    keys."""
    found = []
    waiting: list[type] = [ModalScreen]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("segtui.ui.screens.") and is_current(
                subclass
            ):
                found.append(subclass)
    # Tests of the German screens import the screen modules again, so the classes
    # to compare with are the ones of the modules imported now.
    dialog = sys.modules[Dialog.__module__].Dialog
    help_screen = sys.modules[HelpScreen.__module__].HelpScreen
    others = [
        cls.__name__
        for cls in found
        if not issubclass(cls, dialog) and cls is not help_screen
    ]
    assert found
    assert others == []


def is_current(cls: type) -> bool:
    """Tell whether ``cls`` is the class its module defines now, not an older one."""
    module = sys.modules.get(cls.__module__)
    return getattr(module, cls.__qualname__, None) is cls


async def help_keeps_typed_value(
    pilot: Pilot[Any], dialog_class: type[Dialog], field: str, typed: str
) -> None:
    """Type into a field, open F1 help, close it, and check the dialog kept it."""
    dialog = pilot.app.screen
    assert isinstance(dialog, dialog_class)
    field_input = dialog.query_one(f"#{field}", Input)
    field_input.focus()
    await settle(pilot)
    await type_text(pilot, typed)
    value = field_input.value
    assert typed in value
    await press_settled(pilot, "f1")
    help_screen = pilot.app.screen
    assert isinstance(help_screen, HelpScreen)
    assert dialog_class.HELP in help_screen.text
    assert dialog.dialog_title in help_screen.help_title
    await press_settled(pilot, "escape")
    assert pilot.app.screen is dialog
    assert field_input.value == value


async def test_f1_in_segment_dialogs(world) -> None:
    make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        cases = [
            ("l", LogDialog, "output", "-x"),
            ("i", InsertLineDialog, "contact_no", "IND1"),
            ("e", HeaderDialog, "description", " typed"),
        ]
        for key, dialog_class, field, typed in cases:
            await press_settled(pilot, key)
            await help_keeps_typed_value(pilot, dialog_class, field, typed)
            await press_settled(pilot, "escape")
    assert LoggedSegment.select().count() == 0


async def test_f1_in_new_contact(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ContactListScreen())
        await press_settled(pilot, "n")
        await help_keeps_typed_value(pilot, ContactDialog, "name", "Neu")


async def test_f1_in_setup_and_filter_dialogs(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, InteractionHistoryScreen())
        await press_settled(pilot, "f")
        await help_keeps_typed_value(pilot, EntryFilterDialog, "filter-contact", "CT1")
        await pilot.press("escape")
        await open_screen(pilot, CampaignListScreen())
        await press_settled(pilot, "n")
        await help_keeps_typed_value(pilot, CampaignDialog, "description", "Spring")
        await press_settled(pilot, "escape")
        await press_settled(pilot, "ctrl+g")
        menu = pilot.app.screen
        assert isinstance(menu, GoToDialog)
        await press_settled(pilot, "f1")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert GoToDialog.HELP in help_screen.text
        await press_settled(pilot, "escape")
        assert pilot.app.screen is menu
    assert Campaign.select().count() == 0


async def test_list_dialogs_name_enter(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "ctrl+g")
        assert isinstance(pilot.app.screen, GoToDialog)
        # Enter in the Go to menu opens the highlighted area.
        line = footer_line(pilot.app.screen)
        assert "⏎ Open" in line
        assert "Select" not in line
        await pilot.press("escape")
        await open_screen(pilot, ChoiceDialog("Sort by", [("no", "No."), ("x", "X")]))
        assert "⏎ Select" in footer_line(pilot.app.screen)
        # With the focus on the Cancel button Enter presses it, and the footer
        # does not claim that Enter selects.
        pilot.app.screen.query_one("#cancel", Button).focus()
        await settle(pilot)
        assert "Select" not in footer_line(pilot.app.screen)
        pilot.app.pop_screen()
        pilot.app.push_screen(ReuseLoggedDialog("SEG00001"))
        await settle(pilot)
        assert "⏎ Reuse" in footer_line(pilot.app.screen)


async def test_question_names_what_esc_answers(world) -> None:
    make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d")
        question = pilot.app.screen
        assert isinstance(question, ConfirmDialog)
        line = footer_line(question)
        assert "Esc No" in line
        assert "Cancel" not in line
        await press_settled(pilot, "f1")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "  Esc            No: " in help_screen.text
        assert "Cancel" not in help_screen.text
        await press_settled(pilot, "escape")
        assert pilot.app.screen is question
        await press_settled(pilot, "escape")
        # The header's question: "no" saves without the lines, so Esc is not "no".
        await press_settled(pilot, "enter")
        await press_settled(pilot, "e")
        await press_settled(pilot, "tab", "tab", "enter")
        await pilot.press("down", "enter")
        await press_settled(pilot, "ctrl+s")
        question = pilot.app.screen
        assert isinstance(question, ConfirmDialog)
        line = footer_line(question)
        assert "Esc Back to the form" in line
        await press_settled(pilot, "escape")
        assert isinstance(pilot.app.screen, HeaderDialog)


async def wait_until(pilot: Pilot[Any], condition: Any, seconds: float = 10.0) -> bool:
    """Let the app run until ``condition()`` holds, without waiting for its jobs."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return bool(condition())


async def test_log_esc_relabeled_after_commit(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While letters are written, the button and footer name Esc Stop letters."""
    no = make_segment(contacts="IND1|IND2")
    segmentation.update_header(no, {"salesperson": "AH"}, user=TEST_USER)
    release = threading.Event()
    stop_requested: list[bool] = []

    def slow_delivery(
        logged_segment_no: int, folder: Path, **options: Any
    ) -> DeliveryReport:
        progress = options["progress"]
        progress(0, 2)
        release.wait(timeout=20)
        cancel = options["cancel"]
        stop_requested.append(cancel.is_set())
        return DeliveryReport(canceled=cancel.is_set())

    monkeypatch.setattr(segment_logging, "deliver_logged_segment", slow_delivery)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_first_segment(pilot)
        await press_settled(pilot, "l")
        dialog = pilot.app.screen
        assert isinstance(dialog, LogDialog)
        cancel = dialog.query_one("#cancel", Button)
        assert str(cancel.label) == "Cancel (Esc)"
        assert "Esc Cancel" in footer_line(dialog)
        try:
            await pilot.press("ctrl+s")
            # The first progress report comes after the commit.
            bar = dialog.query_one("#progress", ProgressBar)
            assert await wait_until(pilot, lambda: bar.total == 2)
            await pilot.pause()
            assert str(cancel.label) == "Stop letters (Esc)"
            # The button grew with its label, so none of it is cut.
            assert cancel.size.width >= len("Stop letters (Esc)")
            assert "Esc Stop letters" in footer_line(dialog)
            footer_keys = {key.key: key for key in dialog.query(FooterKey)}
            assert footer_keys["ctrl+s"].has_class("-disabled")
            await pilot.press("escape")
            assert await wait_until(pilot, dialog.cancel_event.is_set)
        finally:
            release.set()
        await settle(pilot, rounds=5)
        assert pilot.app.screen is not dialog
    assert stop_requested == [True]
    # Esc after the commit stops only the letters, so the entries stay.
    assert LoggedSegment.select().count() == 1
    assert InteractionLogEntry.select().count() == 2
