"""What the screens call things: lines by their contact, empty values, the
Initiated by choices, code table titles and the German languages table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from segtui import i18n
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError
from segtui.domain.line_letters import import_line_letter, remove_line_letter
from segtui.domain.text import no_value
from segtui.models import SegmentLine
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.letter_dialogs import ImportLetterDialog
from segtui.ui.screens.line_dialog import LineDialog
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.builders import World, word_file
from tests.conftest import TEST_USER
from tests.tui_helpers import settle

SMALL = (80, 24)
# The contact on the first line of new_segment's segment, as the worksheet shows it.
FIRST_CONTACT = "IND1 Zoë Keller"


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    """segtui.ui.app imported afresh with German texts."""
    # The snapshot tests import the layout tests, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


@pytest.fixture
def english_ui() -> Iterator[ModuleType]:
    from tests.test_snapshots import ui_in_language

    with ui_in_language("en") as app_module:
        yield app_module


def new_segment(contacts: str = "IND*") -> str:
    segment = segmentation.create_segment("Autumn", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": contacts}}, AddOptions(), user=TEST_USER
    )
    return segment.no


def messages(pilot: Pilot[Any]) -> list[str]:
    return [notice.message for notice in pilot.app._notifications]


def dialog_title(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#dialog-title", Label).render())


async def open_worksheet(pilot: Pilot[Any], no: str) -> None:
    await settle(pilot)
    pilot.app.push_screen(WorksheetScreen(no))
    await settle(pilot)


# Lines are named by their contact: the worksheet shows no line numbers.


async def test_line_save_names_contact(world: World) -> None:
    no = new_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LineDialog)
        title = dialog_title(pilot)
        assert FIRST_CONTACT in title
        assert "10000" not in title

        pilot.app.screen.query_one("#subject", Input).value = "Changed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert f"Line of contact {FIRST_CONTACT} saved." in messages(pilot)
        assert not any("10000" in message for message in messages(pilot))


async def test_line_save_names_new_contact(world: World) -> None:
    """A line given another contact is named by the contact it has after saving."""
    no = new_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#contact", Input).value = "CO2P1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        assert "Line of contact CO2P1 Lena Gruber saved." in messages(pilot)


async def test_line_delete_names_contact(world: World) -> None:
    no = new_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("d")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == f"Delete the line of contact {FIRST_CONTACT}?"

        await pilot.press("y")
        await settle(pilot)
        assert f"Line of contact {FIRST_CONTACT} deleted." in messages(pilot)
        assert not any("10000" in message for message in messages(pilot))


async def test_line_delete_question_adds_company(world: World) -> None:
    """The question names the person's company too; the message only the contact."""
    no = new_segment("CO1P1")
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("d")
        await settle(pilot)
        question = pilot.app.screen.question
        assert (
            question == "Delete the line of contact CO1P1 Jürgen Müller (Müller GmbH)?"
        )

        await pilot.press("y")
        await settle(pilot)
        assert "Line of contact CO1P1 Jürgen Müller deleted." in messages(pilot)


async def test_line_delete_shows_markup_names(world: World) -> None:
    """A contact name such as "[bold]x" is shown as typed, never as markup."""
    no = new_segment("IND3")
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("d")
        await settle(pilot)
        question = pilot.app.screen.query_one("#question", Static).render()
        assert "Delete the line of contact IND3 [bold]x?" in str(question)

        await pilot.press("y")
        await settle(pilot)
        assert "Line of contact IND3 [bold]x deleted." in messages(pilot)


async def test_own_letter_messages_name_contact(world: World, tmp_path: Path) -> None:
    no = new_segment()
    edited = tmp_path / "edited.docx"
    edited.write_bytes(word_file(["Subject"]))
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ImportLetterDialog)
        title = dialog_title(pilot)
        assert FIRST_CONTACT in title
        assert "10000" not in title

        pilot.app.screen.query_one("#path", Input).value = str(edited)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        imported = (
            f"Line of contact {FIRST_CONTACT} now has its own letter edited.docx."
        )
        assert imported in messages(pilot)

        await pilot.press("m")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        again = f"Line of contact {FIRST_CONTACT} uses its template's letter again."
        assert again in messages(pilot)
        assert not any("10000" in message for message in messages(pilot))


async def test_export_title_names_contact(world: World) -> None:
    no = new_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await open_worksheet(pilot, no)
        await pilot.press("x")
        await settle(pilot)
        title = dialog_title(pilot)
        assert title == f"Export the letter to {FIRST_CONTACT}"


def test_remove_missing_letter_names_contact(world: World) -> None:
    no = new_segment()
    line = SegmentLine.get(
        (SegmentLine.segment == no) & (SegmentLine.contact == "IND1")
    )
    import_line_letter(
        no, line.line_no, word_file(["Subject"]), "own.docx", user=TEST_USER
    )
    remove_line_letter(no, line.line_no, user=TEST_USER)
    with pytest.raises(InvalidValueError) as caught:
        remove_line_letter(no, line.line_no, user=TEST_USER)
    message = caught.value.message
    assert message.startswith(f"The line of contact {FIRST_CONTACT} has no letter")
    assert str(line.line_no) not in message


# One placeholder for a value that is not set.


async def test_worksheet_summary_empty_values(world: World) -> None:
    no = new_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(120, 36)) as pilot:
        await open_worksheet(pilot, no)
        summary = str(pilot.app.screen.query_one("#header-summary", Static).render())
    assert f"Template: {no_value()}" in summary
    assert f"Corresp.: {no_value()}" in summary
    assert f"Language: {no_value()}" in summary
    assert "(blank)" not in summary
    assert "Language: -" not in summary


def test_blank_choices_use_placeholder() -> None:
    from segtui.domain.templates import (
        CORRESPONDENCE_CHOICES,
        FLOW_CHOICES,
        INITIATED_CHOICES,
    )
    from segtui.ui.screens import segment_dialogs

    for choices in (CORRESPONDENCE_CHOICES, FLOW_CHOICES, INITIATED_CHOICES):
        labels = dict((code, label()) for code, label in choices)
        assert labels[""] == no_value()
    assert dict(segment_dialogs.CORRESPONDENCE_CHOICES)[""] == no_value()


@pytest.mark.parametrize(
    ("language", "placeholder"), [("en", "(none)"), ("de", "(keine)")]
)
def test_placeholder_in_language(language: str, placeholder: str) -> None:
    i18n.set_language(language)
    try:
        assert no_value() == placeholder
    finally:
        i18n.set_language(None)


# Initiated by reads as Business Central has it in German: Wir and Sie.


@pytest.mark.parametrize(
    ("language", "labels"),
    [("en", {"us": "Us", "them": "Them"}), ("de", {"us": "Wir", "them": "Sie"})],
)
def test_initiated_by_labels(language: str, labels: dict[str, str]) -> None:
    from segtui.commands.common import LabeledChoice, choice_text
    from segtui.commands.templates import initiated_choices
    from segtui.domain.templates import INITIATED_CHOICES

    i18n.set_language(language)
    try:
        choice = LabeledChoice(initiated_choices)
        for code, label in labels.items():
            assert choice_text(INITIATED_CHOICES, code) == label
            assert choice.convert(label, None, None) == code
            assert choice.convert(label.upper(), None, None) == code
            assert choice.convert(code, None, None) == code
    finally:
        i18n.set_language(None)


# Code table titles are the names that Go to lists.


def goto_labels() -> dict[str, str]:
    """Return the Go to label of each code table screen, by screen class name."""
    from segtui.ui.areas_contacts import areas

    return {
        area.screen.rpartition(":")[2]: area.title
        for area in areas()
        if ".code_tables:" in area.screen
    }


@pytest.mark.parametrize("language", ["en", "de"])
async def test_code_table_titles_match_goto(
    world: World, language: str, request: pytest.FixtureRequest
) -> None:
    app_module = request.getfixturevalue(
        f"{'german' if language == 'de' else 'english'}_ui"
    )
    import importlib

    code_tables = importlib.import_module("segtui.ui.screens.code_tables")
    labels = goto_labels()
    assert "MailingGroupScreen" in labels
    app = app_module.SegtuiApp(user=TEST_USER)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for name, label in labels.items():
            screen = getattr(code_tables, name)()
            pilot.app.push_screen(screen)
            await settle(pilot)
            assert screen.title_text() == label, name
            title = pilot.app.screen.query_one("#screen-title").text
            assert title.startswith(label), (name, title)
            pilot.app.pop_screen()
            await settle(pilot)


# The German languages table fits 80 columns.


async def test_german_languages_table_fits(world: World, german_ui: ModuleType) -> None:
    import importlib

    setup_screens = importlib.import_module("segtui.ui.screens.setup_screens")
    app = german_ui.SegtuiApp(user=TEST_USER)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        pilot.app.push_screen(setup_screens.LanguageListScreen())
        await settle(pilot)
        table = pilot.app.screen.query_one("#records", DataTable)
        total = 0
        for column in table.ordered_columns:
            label = column.label.plain
            assert cell_len(label) <= column.width, (label, column.width)
            total += column.get_render_width(table)
        assert total <= SMALL[0]
        headers = [column.label.plain for column in table.ordered_columns]
        assert "Gebietsschema" in headers


async def test_question_without_answers_empty_cell(world: World) -> None:
    """A question with no answers leaves its Answer cell empty, as tables do."""
    from segtui.domain import profiles
    from segtui.ui.screens.code_tables import QuestionnaireLinesScreen

    profiles.save_questionnaire("SIZE", "Company size", user=TEST_USER, new=True)
    profiles.save_question("SIZE", "EMPL", "Employees", user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=SMALL) as pilot:
        await settle(pilot)
        pilot.app.push_screen(QuestionnaireLinesScreen("SIZE"))
        await settle(pilot)
        table = pilot.app.screen.query_one("#lines", DataTable)
        cells = [cell.plain for cell in table.get_row_at(0)]
    assert cells[:2] == ["EMPL", "Employees"]
    assert cells[2] == ""
