"""Fixes to screens at 80x24 and to the message for a code that is too long.

The criteria list cuts a long action to one line, and the questionnaire screens
reload on F5. After lines are removed, the worksheet keeps its cursor on a line
that exists. A code that is too long gets one message wherever it is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from segtui.domain import (
    classifications,
    profiles,
    saved_criteria,
    segment_actions,
    segmentation,
    setup_tables,
    templates,
)
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError
from segtui.ui.app import SegtuiApp
from segtui.ui.keymap import keymap_scopes, merged_bindings
from segtui.ui.screens.code_tables import (
    MailingGroupScreen,
    QuestionnaireLinesScreen,
    QuestionnaireScreen,
)
from segtui.ui.screens.criteria_list import CriteriaListScreen
from segtui.ui.screens.worksheet import WINDOW_SIZE, WorksheetScreen
from segtui.ui.text import TRUNCATION_MARK
from segtui.ui.widgets.virtual_table import WindowTable
from tests.builders import World
from tests.conftest import TEST_USER
from tests.test_scale_screens import add_contacts
from tests.test_state_words import screen_lines
from tests.tui_helpers import open_screen, press_settled, settle, table_rows

SIZE = (80, 24)


# The criteria list shows each action on one line, cut with TRUNCATION_MARK.

# A contact name filter wider than the action column at 80 columns.
LONG_NAME = "Stammkunden mit Katalogwunsch im Sauerland, Buero Nord-Ost, zweite Welle"
LONG_TAIL = "zweite Welle"


def long_action_segment() -> str:
    segment = segmentation.create_segment("Long filter", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"name": LONG_NAME}}, AddOptions(), user=TEST_USER
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER
    )
    return segment.no


async def test_criteria_action_cut_to_width(world: World) -> None:
    no = long_action_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SIZE) as pilot:
        await open_screen(pilot, CriteriaListScreen(no))
        lines = screen_lines(pilot)
        first = next(i for i, line in enumerate(lines) if "name=Stammkunden" in line)
        assert lines[first].rstrip().endswith(TRUNCATION_MARK), lines
        assert not any(LONG_TAIL in line for line in lines), lines
        # The second action follows on the next line, not under a wrapped first.
        assert "no.=CO1" in lines[first + 1], lines

        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        assert any(LONG_NAME in line for line in screen_lines(pilot))


async def test_criteria_action_keeps_full_text(world: World) -> None:
    """The option's text is the whole action, so help and tests can read it."""
    no = long_action_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SIZE) as pilot:
        await open_screen(pilot, CriteriaListScreen(no))
        screen = pilot.app.screen
        assert isinstance(screen, CriteriaListScreen)
        prompt = screen.query_one("#actions").get_option_at_index(0).prompt
        assert LONG_NAME in prompt.plain


# F5 reads the list screens again.


def add_mailing_group() -> str:
    classifications.save_code(
        "mailing_group", "LATE", "Added later", user=TEST_USER, new=True
    )
    return "LATE"


def add_questionnaire() -> str:
    profiles.save_questionnaire("LATE", "Added later", user=TEST_USER, new=True)
    return "LATE"


def add_question() -> str:
    profiles.save_question("SIZE", "LATE", "Added later", user=TEST_USER)
    return "LATE"


def questionnaire_lines() -> Screen[Any]:
    profiles.save_questionnaire("SIZE", "Company size", user=TEST_USER, new=True)
    profiles.save_question("SIZE", "STAFF", "Staff", user=TEST_USER)
    return QuestionnaireLinesScreen("SIZE")


# Each screen with a function that makes it, its table, and a change made elsewhere
# that returns the code the screen shows after F5.
RELOADING: dict[str, tuple[Callable[[], Screen[Any]], str, Callable[[], str]]] = {
    "mailing groups": (MailingGroupScreen, "#codes", add_mailing_group),
    "questionnaires": (QuestionnaireScreen, "#questionnaires", add_questionnaire),
    "questionnaire lines": (questionnaire_lines, "#lines", add_question),
}


@pytest.mark.parametrize("name", list(RELOADING))
async def test_list_reloads_on_f5(world: World, name: str) -> None:
    make_screen, table, change = RELOADING[name]
    async with SegtuiApp(user=TEST_USER).run_test(size=SIZE) as pilot:
        await open_screen(pilot, make_screen())
        code = change()
        assert code not in {row[0] for row in table_rows(pilot, table)}
        await press_settled(pilot, "f5")
        assert code in {row[0] for row in table_rows(pilot, table)}


def test_every_reloading_screen_has_f5() -> None:
    """A screen that can read its list again does so on F5."""
    screens = [
        scope
        for scope in keymap_scopes()
        if issubclass(scope, Screen) and hasattr(scope, "action_refresh")
    ]
    assert MailingGroupScreen in screens
    for screen in screens:
        keys = {
            key
            for key, bindings in merged_bindings(screen).key_to_bindings.items()
            if any(binding.action == "refresh" for binding in bindings)
        }
        assert "f5" in keys, screen.__name__


# The worksheet after a reload that removes many lines.

CONTACTS = 1200
FIRST_ACTION = 200


def two_action_segment() -> str:
    """Return a segment of CONTACTS lines: FIRST_ACTION, then the rest, in order."""
    add_contacts(CONTACTS)
    segment = segmentation.create_segment("Large", user=TEST_USER)
    for numbers in (
        f"BIG00001..BIG{FIRST_ACTION:05d}",
        f"BIG{FIRST_ACTION + 1:05d}..BIG{CONTACTS:05d}",
    ):
        segment_actions.add_contacts(
            segment.no, {"contact": {"no": numbers}}, AddOptions(), user=TEST_USER
        )
    assert segmentation.count_lines(segment.no) == CONTACTS
    return segment.no


def cursor_contact(table: WindowTable) -> str:
    return table.get_row_at(table.cursor_row)[0].plain


def assert_cursor_on_screen(pilot: Pilot[Any], table: WindowTable) -> None:
    """Check that the cursor's row is drawn and that the table shows no empty rows."""
    visible = range(
        int(table.scroll_y),
        int(table.scroll_y) + table.scrollable_content_region.height,
    )
    assert table.cursor_row in visible, (table.cursor_row, visible)
    contact = cursor_contact(table)
    assert any(line.lstrip().startswith(contact) for line in screen_lines(pilot))
    region = table.region
    # The header row comes first, then every other row of the table is a line.
    for line in screen_lines(pilot)[region.y + 1 : region.bottom]:
        assert line.lstrip().startswith("BIG"), screen_lines(pilot)


async def test_go_back_cursor_to_nearest(world: World) -> None:
    no = two_action_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SIZE) as pilot:
        await open_screen(pilot, WorksheetScreen(no))
        table = pilot.app.screen.query_one("#lines", WindowTable)
        await press_settled(pilot, "end")
        assert cursor_contact(table) == f"BIG{CONTACTS:05d}"

        await press_settled(pilot, "b")
        await pilot.press("y")
        await settle(pilot, rounds=5)
        assert table.total == FIRST_ACTION
        # The cursor's line is gone, and the last line left is the nearest.
        assert cursor_contact(table) == f"BIG{FIRST_ACTION:05d}"
        assert table.start + table.cursor_row == FIRST_ACTION - 1
        assert_cursor_on_screen(pilot, table)


async def test_reload_keeps_cursor_contact(world: World) -> None:
    no = two_action_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=SIZE) as pilot:
        await open_screen(pilot, WorksheetScreen(no))
        table = pilot.app.screen.query_one("#lines", WindowTable)
        for _ in range(30):
            await pilot.press("pagedown")
        await settle(pilot)
        kept_contact = cursor_contact(table)
        index = table.start + table.cursor_row
        # The window does not start at the first line, and the cursor is more than
        # a window away from the last line. So the old offset, cut to the new line
        # count, leaves the cursor's line out of the rows it reads.
        assert table.start > 0
        assert index + WINDOW_SIZE < CONTACTS

        # Another user removes all but 20 of the lines before the cursor's line,
        # more lines than the window has above the cursor.
        removed = index - 20
        assert removed > table.cursor_row
        segment_actions.reduce_contacts(
            no, {"contact": {"no": f"BIG00001..BIG{removed:05d}"}}, user=TEST_USER
        )
        await pilot.press("f5")
        await settle(pilot, rounds=5)
        assert table.total == CONTACTS - removed
        assert cursor_contact(table) == kept_contact
        assert table.start + table.cursor_row == index - removed
        assert_cursor_on_screen(pilot, table)


# A code longer than its column allows gets the same message everywhere.


def long_mailing_group() -> None:
    classifications.save_code(
        "mailing_group", "X" * 21, "Too long", user=TEST_USER, new=True
    )


def long_questionnaire() -> None:
    profiles.save_questionnaire("X" * 21, "Too long", user=TEST_USER, new=True)


def long_salutation() -> None:
    setup_tables.save_record("salutation", "X" * 21, {}, user=TEST_USER)


def long_template() -> None:
    templates.save_template("X" * 21, {"description": "Too long"}, user=TEST_USER)


def long_saved_criteria() -> None:
    segment = segmentation.create_segment("Saved", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER
    )
    saved_criteria.save_criteria(segment.no, "X" * 21, "Too long", user=TEST_USER)


# Each way to save a code of 21 characters, with the maximum it is checked against.
LONG_CODES: dict[str, tuple[Callable[[], None], int]] = {
    "code table": (long_mailing_group, 20),
    "questionnaire": (long_questionnaire, 20),
    "setup table": (long_salutation, 10),
    "template": (long_template, 20),
    "saved criteria": (long_saved_criteria, 20),
}


@pytest.mark.parametrize("name", list(LONG_CODES))
def test_long_code_message(world: World, name: str) -> None:
    save, maximum = LONG_CODES[name]
    with pytest.raises(InvalidValueError) as caught:
        save()
    assert caught.value.message == (
        f"Code '{'X' * 21}' has 21 characters, but the maximum is {maximum}. "
        "Type a shorter code."
    )


def test_long_code_quoted_short() -> None:
    """A long pasted code is quoted by its start, and its length is given."""
    with pytest.raises(InvalidValueError) as caught:
        setup_tables.check_code_length("X" * 500, "Code", 20)
    message = caught.value.message
    assert "X" * 40 not in message
    assert "'" + "X" * 39 + "~'" in message
    assert "has 500 characters" in message
