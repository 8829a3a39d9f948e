"""Importing contacts from a CSV file in the TUI at 80x24: progress, cancel, errors.

The small world (tests/builders.py) has nine contacts and the mailing groups NEWS
and VIP. Files are written to the test's own folder, which is the working folder,
so the dialog gets paths relative to it as a user types them.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, Static

from segtui.domain import contact_import
from segtui.domain.contact_import import BATCH_SIZE
from segtui.domain.csv_format import READ_BATCH
from segtui.models import Contact, ContactMailingGroup, Role, UserSetup
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contact_import import ContactImportDialog
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.help import HelpScreen
from tests.conftest import TEST_USER
from tests.test_layout import cut_off_widgets, title_problems
from tests.test_scale_import import snapshot
from tests.tui_helpers import settle, type_text

HEADER = ["no", "type", "name", "company_no", "city", "country_code", "mailing_groups"]
# Four batches of rows, so the import can be held after one batch is written.
LONG_ROWS = 4 * BATCH_SIZE


@pytest.fixture(autouse=True)
def in_test_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)


def long_rows(count: int = LONG_ROWS) -> list[list[str]]:
    return [
        [f"IMP{index:05d}", "person", f"Person {index}", "", "Köln", "DE", "NEWS"]
        for index in range(1, count + 1)
    ]


def rendered(widget: Static) -> str:
    content = widget.render()
    return getattr(content, "plain", str(content))


def past_first_write(steps: Any) -> bool:
    # Each row is read, then checked, then written.
    return steps.done >= 2 * steps.rows + BATCH_SIZE


def past_first_read(steps: Any) -> bool:
    return READ_BATCH <= steps.done <= steps.rows


class HeldImport:
    """Holds the import in its worker at a point, by default its first batch written.

    The import reports progress after each batch and checks the cancel event
    before the next one, so a test can look at the bar and cancel at a known
    point, however fast the machine is.
    """

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        hold_when: Callable[[Any], bool] = past_first_write,
    ) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()
        advance = contact_import._Steps.advance

        def advance_and_hold(steps: Any, count: int) -> None:
            advance(steps, count)
            if hold_when(steps) and not self.reached.is_set():
                self.reached.set()
                assert self.release.wait(30), "the test never released the import"

        monkeypatch.setattr(contact_import._Steps, "advance", advance_and_hold)

    async def wait_until_held(self, pilot: Pilot[Any]) -> None:
        for _round in range(600):
            if self.reached.is_set():
                await pilot.pause()
                return
            await pilot.pause(0.05)
        raise AssertionError("the import never reached the point to hold at")


@pytest.fixture
def held_import(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldImport]:
    hold = HeldImport(monkeypatch)
    yield hold
    # A failed test must not leave the worker waiting.
    hold.release.set()


async def open_import_dialog(pilot: Pilot[Any]) -> ContactImportDialog:
    await settle(pilot)
    screen = ContactListScreen()
    pilot.app.push_screen(screen)
    await settle(pilot)
    # i opens the import from the list, wherever the screen put the focus.
    screen.action_to_list()
    await pilot.press("i")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ContactImportDialog)
    return dialog


async def start_import(pilot: Pilot[Any], path: str) -> None:
    await type_text(pilot, path)
    await pilot.press("enter")


async def test_import_writes_rows_and_reloads(world, in_test_folder: Path) -> None:
    write_csv(
        in_test_folder / "new.csv",
        [
            ["NEW1", "company", "Neu AG", "", "Graz", "AT", "VIP"],
            ["NEW1P1", "person", "Eva Neu", "NEW1", "", "", "NEWS;VIP"],
            ["NEW2", "person", "Tom Solo", "", "Basel", "CH", ""],
        ],
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_import_dialog(pilot)
        await start_import(pilot, "new.csv")
        await settle(pilot, rounds=5)

        screen = pilot.app.screen
        assert isinstance(screen, ContactListScreen)
        assert screen.total == 12
        messages = [notification.message for notification in pilot.app._notifications]
        assert any("Imported: 3 contacts created" in text for text in messages)

    company = Contact.get(Contact.no == "NEW1")
    assert company.type == "company"
    assert company.city == "Graz"
    person = Contact.get(Contact.no == "NEW1P1")
    assert person.company_no == "NEW1"
    # A new person takes its company's city and country where its own are blank.
    assert person.city == "Graz"
    assert person.country_code == "AT"
    assert Contact.get(Contact.no == "NEW2").name == "Tom Solo"
    links = ContactMailingGroup.select(
        ContactMailingGroup.contact, ContactMailingGroup.mailing_group
    ).where(ContactMailingGroup.contact.in_(["NEW1", "NEW1P1", "NEW2"]))
    groups = set(links.tuples())
    assert groups == {("NEW1", "VIP"), ("NEW1P1", "NEWS"), ("NEW1P1", "VIP")}


async def test_progress_advances_before_end(
    world, in_test_folder: Path, held_import: HeldImport
) -> None:
    write_csv(in_test_folder / "long.csv", long_rows())
    before = Contact.select().count()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await start_import(pilot, "long.csv")
        await held_import.wait_until_held(pilot)

        bar = dialog.query_one("#progress", ProgressBar)
        assert bar.display
        assert bar.total == 3 * LONG_ROWS
        assert bar.progress > 0
        assert bar.progress < bar.total
        assert "Esc cancels" in rendered(dialog.query_one("#status", Static))

        held_import.release.set()
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, ContactListScreen)

    assert Contact.select().count() == before + LONG_ROWS


async def test_cancel_rolls_back_everything(
    world, in_test_folder: Path, held_import: HeldImport
) -> None:
    write_csv(in_test_folder / "long.csv", long_rows())
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        before = snapshot()
        await start_import(pilot, "long.csv")
        await held_import.wait_until_held(pilot)
        # One batch is written inside the import's transaction by now.
        assert dialog.query_one("#progress", ProgressBar).progress > 2 * LONG_ROWS
        status = rendered(dialog.query_one("#status", Static))
        # The bar shows a report of the writing, at most PROGRESS_INTERVAL old.
        assert status.startswith("Writing row ")
        assert f"of {LONG_ROWS:,}; Esc" in status

        await pilot.press("escape")
        await pilot.pause()
        assert dialog.cancel_event.is_set()
        assert pilot.app.screen is dialog
        held_import.release.set()
        await settle(pilot, rounds=5)

        assert pilot.app.screen is dialog
        status = rendered(dialog.query_one("#status", Static))
        assert "Import of long.csv canceled; nothing was written." in status
        assert not dialog.query_one("#progress", ProgressBar).display
        path_input = dialog.query_one("#path", Input)
        assert path_input.value == "long.csv"
        assert not path_input.disabled
        assert snapshot() == before

        # Escape now closes the dialog.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
    assert snapshot() == before


async def test_cancel_while_reading_changes_nothing(
    world, in_test_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held_import = HeldImport(monkeypatch, hold_when=past_first_read)
    write_csv(in_test_folder / "long.csv", long_rows())
    try:
        async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
            dialog = await open_import_dialog(pilot)
            before = snapshot()
            await start_import(pilot, "long.csv")
            await held_import.wait_until_held(pilot)
            status = rendered(dialog.query_one("#status", Static))
            assert f"Reading row {READ_BATCH:,} of {LONG_ROWS:,}; Esc" in status

            await pilot.press("escape")
            await pilot.pause()
            assert dialog.cancel_event.is_set()
            held_import.release.set()
            await settle(pilot, rounds=5)

            assert pilot.app.screen is dialog
            status = rendered(dialog.query_one("#status", Static))
            assert "Import of long.csv canceled; nothing was written." in status
            assert snapshot() == before
    finally:
        held_import.release.set()


async def test_bad_row_names_line(world, in_test_folder: Path) -> None:
    rows = long_rows(3)
    rows[1][6] = "NEWS;NOPE"
    write_csv(in_test_folder / "bad.csv", rows)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        before = snapshot()
        await start_import(pilot, "bad.csv")
        await settle(pilot, rounds=5)

        assert pilot.app.screen is dialog
        error = rendered(dialog.query_one("#error", Static))
        assert "bad.csv has 1 problem; nothing was imported." in error
        # The header is line 1, so the second row is line 3.
        assert "line 3, column mailing_groups: unknown mailing group 'NOPE'" in error
        assert "NEWS, VIP" in error
        assert dialog.query_one("#path", Input).value == "bad.csv"
        assert snapshot() == before


async def test_missing_file_named(world, in_test_folder: Path) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await start_import(pilot, "[b]nowhere.csv")
        await settle(pilot)

        assert pilot.app.screen is dialog
        error = rendered(dialog.query_one("#error", Static))
        # The name shows as typed: brackets in it are not read as markup.
        assert "[b]nowhere.csv does not exist" in error
        assert str(in_test_folder) in error
        assert dialog.query_one("#path", Input).value == "[b]nowhere.csv"


async def test_file_not_csv_rejected(world, in_test_folder: Path) -> None:
    # The start of a ZIP archive, which is what an .xlsx file is.
    (in_test_folder / "contacts.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\xe4")
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        before = snapshot()
        await start_import(pilot, "contacts.xlsx")
        await settle(pilot)

        assert pilot.app.screen is dialog
        error = rendered(dialog.query_one("#error", Static))
        assert "contacts.xlsx is not a UTF-8 file; nothing was imported." in error
        assert "line 1: byte 0xE4 is not UTF-8" in error
        assert "CSV UTF-8" in error
        assert snapshot() == before


async def test_folder_path_rejected(world, in_test_folder: Path) -> None:
    (in_test_folder / "exports").mkdir()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await start_import(pilot, "exports")
        await settle(pilot)
        error = rendered(dialog.query_one("#error", Static))
        assert "exports is a folder; give the path of a file." in error


async def test_empty_path_asks_for_one(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is dialog
        error = rendered(dialog.query_one("#error", Static))
        assert "Type the path of a CSV file" in error


async def test_markup_value_shown_as_text(world, in_test_folder: Path) -> None:
    rows = long_rows(1)
    rows[0][6] = "[red]x"
    write_csv(in_test_folder / "markup.csv", rows)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await start_import(pilot, "markup.csv")
        await settle(pilot)
        error = rendered(dialog.query_one("#error", Static))
        assert "unknown mailing group '[RED]X'" in error


async def test_escape_before_start_changes_nothing(world, in_test_folder: Path) -> None:
    write_csv(in_test_folder / "new.csv", long_rows(3))
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_import_dialog(pilot)
        before = snapshot()
        await type_text(pilot, "new.csv")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
        assert pilot.app.screen.total == 9
        assert snapshot() == before
    assert not Contact.select().where(Contact.no == "IMP00001").exists()


async def test_check_only_writes_nothing(world, in_test_folder: Path) -> None:
    write_csv(in_test_folder / "new.csv", long_rows(3))
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        before = snapshot()
        await type_text(pilot, "new.csv")
        # Tab past Update to Check only, and tick it.
        await pilot.press("tab", "tab", "space")
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)

        assert pilot.app.screen is dialog
        status = rendered(dialog.query_one("#status", Static))
        assert "Checked: 3 contacts would be created, 0 updated" in status
        assert "Nothing was written." in status
        assert snapshot() == before


async def test_update_tick_updates_existing(world, in_test_folder: Path) -> None:
    write_csv(
        in_test_folder / "update.csv",
        [["IND1", "person", "Zoë Keller", "", "Zürich", "CH", "NEWS"]],
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await start_import(pilot, "update.csv")
        await settle(pilot)
        # Without the tick, a row whose number exists is a problem.
        error = rendered(dialog.query_one("#error", Static))
        assert "line 2, column no: contact IND1 exists already" in error

        await pilot.press("tab", "space", "ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(pilot.app.screen, ContactListScreen)
        messages = [notification.message for notification in pilot.app._notifications]
        assert any("0 contacts created, 1 updated" in text for text in messages)
    assert Contact.get(Contact.no == "IND1").city == "Zürich"


async def test_f1_shows_file_format(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.help_title == "Help: Import contacts from a CSV file"
        assert "profile_answers as QUESTIONNAIRE:ANSWER" in help_screen.text
        assert "Esc cancels a running import" in help_screen.text
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is dialog


async def test_dialog_fits_80x24(world, in_test_folder: Path) -> None:
    rows = long_rows(80)
    for row in rows:
        row[6] = "NOPE"
    write_csv(in_test_folder / "bad.csv", rows)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        dialog = await open_import_dialog(pilot)
        assert await cut_off_widgets(pilot) == []
        assert title_problems(dialog) == []

        # A long list of problems scrolls in the body, and the buttons stay.
        await start_import(pilot, "bad.csv")
        await settle(pilot, rounds=5)
        error = rendered(dialog.query_one("#error", Static))
        assert "... and 30 more problems." in error
        assert await cut_off_widgets(pilot) == []


async def test_viewer_cannot_open_import(world) -> None:
    UserSetup.insert(user_id="reader", role=Role.VIEWER).execute()
    async with SegtuiApp(user="reader").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = ContactListScreen()
        pilot.app.push_screen(screen)
        await settle(pilot)
        screen.action_to_list()
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactListScreen)
