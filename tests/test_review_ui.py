"""Screens a reviewer found wrong in the demo, driven through Pilot."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from segtui.domain import campaigns, profiles
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.campaigns import CampaignListScreen
from segtui.ui.screens.code_tables import (
    IndustryGroupScreen,
    MailingGroupScreen,
    QuestionnaireLinesScreen,
    QuestionnaireScreen,
)
from segtui.ui.screens.contact_dialogs import ContactDialog
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.listing import selected_key
from segtui.ui.screens.setup_screens import SalespersonListScreen
from tests.conftest import TEST_USER
from tests.test_layout import area
from tests.test_state_words import screen_lines
from tests.tui_helpers import open_screen, press_settled, settle, type_text

COUNTRY_PROBLEM = "- Country: unknown country code 'Göttingen'"


def screen_text(pilot: Pilot[Any]) -> str:
    return "\n".join(screen_lines(pilot))


async def open_new_contact(pilot: Pilot[Any]) -> None:
    await open_screen(pilot, ContactListScreen())
    await press_settled(pilot, "n")
    assert isinstance(pilot.app.screen, ContactDialog)


async def test_second_contact_problem_shown_whole(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_new_contact(pilot)
        await press_settled(pilot, "ctrl+s")
        assert "A contact needs a name" in screen_text(pilot)
        # The problem put the focus on the name field.
        await type_text(pilot, "Ida Ott")
        for _ in range(10):
            await pilot.press("tab")
        assert pilot.app.focused is not None
        assert pilot.app.focused.id == "country_code"
        await type_text(pilot, "Göttingen")
        await press_settled(pilot, "ctrl+s")
        drawn = screen_text(pilot)
        assert "The contact was not saved:" in drawn
        # The reason wraps onto the rows below the first line of the message.
        assert COUNTRY_PROBLEM in drawn
        assert "or leave it blank." in drawn


async def test_first_long_contact_problem_shown(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_new_contact(pilot)
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "Ida")
        for _ in range(9):
            await pilot.press("tab")
        assert pilot.app.focused is not None
        assert pilot.app.focused.id == "country_code"
        await type_text(pilot, "Göttingen")
        await press_settled(pilot, "ctrl+s")
        drawn = screen_text(pilot)
        assert COUNTRY_PROBLEM in drawn
        assert "or leave it blank." in drawn


def cursor_key(pilot: Pilot[Any], selector: str) -> str | None:
    return selected_key(pilot.app.screen.query_one(selector, DataTable))


async def create_code(pilot: Pilot[Any], code: str, text: str) -> None:
    await press_settled(pilot, "n")
    await type_text(pilot, code)
    await pilot.press("tab")
    await type_text(pilot, text)
    await press_settled(pilot, "ctrl+s")


@pytest.mark.parametrize(
    "screen", [MailingGroupScreen, IndustryGroupScreen], ids=lambda cls: cls.__name__
)
async def test_new_code_gets_cursor(world, screen: type[Any]) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, screen())
        before = cursor_key(pilot, "#codes")
        assert before is not None
        assert before != "ZZNEU"
        await create_code(pilot, "zzneu", "Neu angelegt")
        assert cursor_key(pilot, "#codes") == "ZZNEU"
        # d now offers to delete the new code, not the one the cursor was on.
        await press_settled(pilot, "d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "ZZNEU" in screen_text(pilot)
        await pilot.press("escape")


async def test_new_questionnaire_gets_cursor(world) -> None:
    profiles.save_questionnaire("AAA", "Erster", user=TEST_USER, new=True)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, QuestionnaireScreen())
        assert cursor_key(pilot, "#questionnaires") == "AAA"
        await create_code(pilot, "zzq", "Neu")
        assert cursor_key(pilot, "#questionnaires") == "ZZQ"


async def create_question(pilot: Pilot[Any], code: str, text: str) -> None:
    await press_settled(pilot, "q")
    await type_text(pilot, code)
    await pilot.press("tab")
    await type_text(pilot, text)
    await press_settled(pilot, "ctrl+s")


async def test_new_question_and_answer_get_cursor(world) -> None:
    profiles.save_questionnaire("SIZE", "Größe", user=TEST_USER, new=True)
    first = profiles.save_question("SIZE", "A", "Erste Frage", user=TEST_USER)
    profiles.save_answer(first, "X", "Antwort", user=TEST_USER)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, QuestionnaireLinesScreen("SIZE"))
        await create_question(pilot, "zb", "Zweite Frage")
        key = cursor_key(pilot, "#lines")
        assert key is not None
        question = pilot.app.screen.rows[key]
        assert question.question_code == "ZB"
        await press_settled(pilot, "a")
        await type_text(pilot, "zy")
        await pilot.press("tab")
        await type_text(pilot, "Neue Antwort")
        await press_settled(pilot, "ctrl+s")
        key = cursor_key(pilot, "#lines")
        assert key is not None
        answer = pilot.app.screen.rows[key]
        assert answer.question_code == "ZB"
        assert answer.code == "ZY"


async def test_new_campaign_gets_cursor(world) -> None:
    campaigns.save_campaign("CP01", description="Erste", user=TEST_USER, new=True)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, CampaignListScreen())
        assert cursor_key(pilot, "#campaigns") == "CP01"
        await press_settled(pilot, "n")
        await type_text(pilot, "CP09")
        await pilot.press("tab")
        await type_text(pilot, "Neue Kampagne")
        await press_settled(pilot, "ctrl+s")
        assert cursor_key(pilot, "#campaigns") == "CP09"


async def test_new_salesperson_gets_cursor(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, SalespersonListScreen())
        before = cursor_key(pilot, "#records")
        assert before is not None
        await create_code(pilot, "zzverk", "Zora Verkauf")
        assert cursor_key(pilot, "#records") == "ZZVERK"


@pytest.fixture
def german_ui() -> Iterator[ModuleType]:
    # The snapshot tests import the layout tests, so this import waits until now.
    from tests.test_snapshots import ui_in_language

    with ui_in_language("de") as app_module:
        yield app_module


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=str)
async def test_german_email_settings_whole(
    world, german_ui: ModuleType, size: tuple[int, int]
) -> None:
    app = german_ui.SegtuiApp(user=TEST_USER)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await area("email")(pilot)
        await settle(pilot)
        drawn = screen_text(pilot)
        assert "nicht festgelegt" in drawn
        assert "nicht festg…" not in drawn
        await press_settled(pilot, "e")
        assert "Zusätzliche CA-Datei" in screen_text(pilot)
        await pilot.press("escape")


async def test_questionnaire_count_after_questions(world) -> None:
    profiles.save_questionnaire("AAA", "Erster", user=TEST_USER, new=True)
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, QuestionnaireScreen())
        table = pilot.app.screen.query_one("#questionnaires", DataTable)
        assert table.get_row("AAA")[2].plain.strip() == "0"
        await press_settled(pilot, "enter")
        assert isinstance(pilot.app.screen, QuestionnaireLinesScreen)
        await create_question(pilot, "zb", "Frage")
        await press_settled(pilot, "escape")
        assert isinstance(pilot.app.screen, QuestionnaireScreen)
        table = pilot.app.screen.query_one("#questionnaires", DataTable)
        assert table.get_row("AAA")[2].plain.strip() == "1"
