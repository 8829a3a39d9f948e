"""Setup and template screens through Pilot: column widths that follow the terminal."""

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
from segtui.models import Contact
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.code_tables import (
    MailingGroupScreen,
    QuestionnaireLinesScreen,
    QuestionnaireScreen,
)
from segtui.ui.screens.contacts import PAGE_SIZE as CONTACT_PAGE
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.listing import DESIGN_WIDTH
from segtui.ui.screens.saved_criteria import SavedCriteriaScreen
from segtui.ui.screens.setup_screens import (
    InteractionGroupListScreen,
    SalutationListScreen,
)
from segtui.ui.screens.templates import TemplateLanguagesScreen, TemplateListScreen
from segtui.ui.screens.worksheet import WorksheetScreen
from segtui.ui.text import TRUNCATION_MARK
from segtui.ui.widgets.virtual_table import WindowTable
from tests.builders import World
from tests.conftest import TEST_USER
from tests.test_scale_screens import add_contacts
from tests.test_state_words import screen_lines
from tests.tui_helpers import settle

# 57 characters: wider than the text columns at 80 columns, narrower than each at
# 160 columns.
LONG_TEXT = "Stammkunden mit Katalogwunsch im Sauerland, Büro Nord-Ost"
# 94 characters, for the salutations' one text column, 62 cells wide at 80 columns.
LONGER_TEXT = LONG_TEXT + ", zweite Welle mit Nachfass im Herbst"
LONG_START = LONG_TEXT[:12]


def long_code_text() -> Screen[Any]:
    classifications.save_code(
        "mailing_group", "NEWS", LONG_TEXT, user=TEST_USER, new=False
    )
    return MailingGroupScreen()


def long_questionnaire() -> Screen[Any]:
    profiles.save_questionnaire("SIZE", LONG_TEXT, user=TEST_USER, new=True)
    return QuestionnaireScreen()


def long_question() -> Screen[Any]:
    profiles.save_questionnaire("SIZE", "Company size", user=TEST_USER, new=True)
    profiles.save_question("SIZE", "STAFF", LONG_TEXT, user=TEST_USER)
    return QuestionnaireLinesScreen("SIZE")


def long_saved_criteria() -> Screen[Any]:
    segment = segmentation.create_segment("Widths", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER
    )
    saved_criteria.save_criteria(segment.no, "WIDE", LONG_TEXT, user=TEST_USER)
    return SavedCriteriaScreen()


def long_template_description() -> Screen[Any]:
    templates.save_template("LETTER", {"description": LONG_TEXT}, user=TEST_USER)
    return TemplateListScreen()


def long_template_subject() -> Screen[Any]:
    templates.set_template_language("LETTER", "EN", subject=LONG_TEXT, user=TEST_USER)
    return TemplateLanguagesScreen("LETTER")


def long_salutation() -> Screen[Any]:
    setup_tables.save_record(
        "salutation", "LONG", {"description": LONGER_TEXT}, user=TEST_USER
    )
    return SalutationListScreen()


# Each screen with the function that stores its long text, and that text.
SCREENS: dict[str, tuple[Callable[[], Screen[Any]], str]] = {
    "code table": (long_code_text, LONG_TEXT),
    "questionnaires": (long_questionnaire, LONG_TEXT),
    "questionnaire lines": (long_question, LONG_TEXT),
    "saved criteria": (long_saved_criteria, LONG_TEXT),
    "templates": (long_template_description, LONG_TEXT),
    "template languages": (long_template_subject, LONG_TEXT),
    "salutations": (long_salutation, LONGER_TEXT),
}


def shows_whole(pilot: Pilot[Any], text: str) -> bool:
    return any(text in line for line in screen_lines(pilot))


def shows_cut(pilot: Pilot[Any]) -> bool:
    """Return whether a line shows the start of LONG_TEXT and then TRUNCATION_MARK."""
    for line in screen_lines(pilot):
        start = line.find(LONG_START)
        if start >= 0 and TRUNCATION_MARK in line[start:]:
            return True
    return False


@pytest.mark.parametrize("name", list(SCREENS))
async def test_columns_follow_resize(world: World, name: str) -> None:
    make_screen, text = SCREENS[name]
    screen = make_screen()
    async with SegtuiApp(user=TEST_USER).run_test(size=(DESIGN_WIDTH, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(screen)
        await settle(pilot)
        assert not shows_whole(pilot, text), screen_lines(pilot)
        assert shows_cut(pilot), screen_lines(pilot)

        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert shows_whole(pilot, text), screen_lines(pilot)

        await pilot.resize_terminal(DESIGN_WIDTH, 24)
        await settle(pilot)
        assert not shows_whole(pilot, text), screen_lines(pilot)
        assert shows_cut(pilot), screen_lines(pilot)


# A number column widens for a longer number on a page read after the first.

LATER_NO = "ZZ0000001"


async def test_later_page_widens_number(world: World) -> None:
    add_contacts(CONTACT_PAGE + 50)
    # LATER_NO sorts last, so the first page does not have it.
    Contact.insert(
        no=LATER_NO, type="person", name="Last", country_code="DE", created_by=TEST_USER
    ).execute()
    async with SegtuiApp(user=TEST_USER).run_test(size=(DESIGN_WIDTH, 24)) as pilot:
        await settle(pilot)
        screen = ContactListScreen()
        pilot.app.push_screen(screen)
        await settle(pilot, rounds=5)
        table = screen.query_one("#contacts", WindowTable)
        assert table.total > CONTACT_PAGE
        assert table.window[-1].key == LATER_NO
        await pilot.press("end")
        await settle(pilot)
        assert table.columns["no"].width == len(LATER_NO)  # type: ignore[index]
        assert any(LATER_NO in line for line in screen_lines(pilot)), screen_lines(
            pilot
        )
        assert table.virtual_size.width <= table.size.width


# A screen title wider than the terminal ends in TRUNCATION_MARK.

# 100 characters, the maximum length of a segment description.
LONG_DESCRIPTION = (
    "Herbstkatalog für Stammkunden im Sauerland und Siegerland, "
    "Büro Nord-Ost, zweite Welle mit Nachfass."
)


def title_line(pilot: Pilot[Any]) -> str:
    title = pilot.app.screen.query_one("#screen-title")
    return screen_lines(pilot)[title.region.y]


async def test_long_title_cut_with_mark(world: World) -> None:
    assert len(LONG_DESCRIPTION) == 100
    segment = segmentation.create_segment(LONG_DESCRIPTION, user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(DESIGN_WIDTH, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(WorksheetScreen(segment.no))
        await settle(pilot)
        line = title_line(pilot)
        assert f"Segment {segment.no}  Herbstkatalog" in line
        assert LONG_DESCRIPTION not in line
        # The title's last cell before the right padding is the mark.
        assert line.rstrip().endswith(TRUNCATION_MARK), line
        assert len(line.rstrip()) == DESIGN_WIDTH - 1, line

        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        line = title_line(pilot)
        assert LONG_DESCRIPTION in line
        assert not line.rstrip().endswith(TRUNCATION_MARK), line

        await pilot.resize_terminal(DESIGN_WIDTH, 24)
        await settle(pilot)
        assert title_line(pilot).rstrip().endswith(TRUNCATION_MARK)


async def test_short_title_has_no_mark(world: World) -> None:
    segment = segmentation.create_segment("Short", user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(DESIGN_WIDTH, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(WorksheetScreen(segment.no))
        await settle(pilot)
        line = title_line(pilot)
        assert line.rstrip().endswith(f"Segment {segment.no}  Short"), line


# Codes of 20 characters, the longest a code may be, on the lists that showed only
# their first 10 or 16 characters.
LONG_CODE = "HERBSTAKTION2026NORD"


def long_template_code() -> Screen[Any]:
    templates.save_template(LONG_CODE, {"group": "LETTER"}, user=TEST_USER, create=True)
    return TemplateListScreen()


def long_criteria_code() -> Screen[Any]:
    segment = segmentation.create_segment("Codes", user=TEST_USER)
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER
    )
    saved_criteria.save_criteria(segment.no, LONG_CODE, "Codes", user=TEST_USER)
    return SavedCriteriaScreen()


def long_group_code() -> Screen[Any]:
    setup_tables.save_record(
        "interaction-group", LONG_CODE, {"description": "Kurz"}, user=TEST_USER
    )
    return InteractionGroupListScreen()


@pytest.mark.parametrize(
    ("make_screen", "code"),
    [
        (long_template_code, LONG_CODE),
        (long_criteria_code, LONG_CODE),
        (long_group_code, LONG_CODE),
    ],
    ids=["templates", "saved criteria", "interaction groups"],
)
async def test_long_code_shown_whole(
    world: World, make_screen: Callable[[], Screen[Any]], code: str
) -> None:
    screen = make_screen()
    async with SegtuiApp(user=TEST_USER).run_test(size=(DESIGN_WIDTH, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(screen)
        await settle(pilot)
        assert shows_whole(pilot, code), screen_lines(pilot)
