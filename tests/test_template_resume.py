"""The template screens close themselves when the user returns to them and their
template or language was deleted meanwhile, as another user can."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from segtui.domain import templates
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.saved_criteria import SavedCriteriaScreen
from segtui.ui.screens.templates import TemplateFieldsScreen, TemplateLanguagesScreen
from tests.builders import World
from tests.conftest import TEST_USER
from tests.test_resume_deleted import notification_texts
from tests.tui_helpers import settle


def add_memo_template() -> None:
    """Add template MEMO with an English language that no segment uses."""
    templates.save_template(
        "MEMO",
        {"group": "LETTER", "description": "Memo"},
        user=TEST_USER,
        create=True,
    )
    templates.set_template_language("MEMO", "EN", subject="Memo", user=TEST_USER)


async def cover_and_return(pilot: Pilot[Any]) -> None:
    """Push a full screen over the current one, then go back with Esc."""
    pilot.app.push_screen(SavedCriteriaScreen())
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot, rounds=5)


def stacked(pilot: Pilot[Any], kind: type[Screen[Any]]) -> bool:
    return any(isinstance(screen, kind) for screen in pilot.app.screen_stack)


async def test_languages_close_after_delete(world: World) -> None:
    add_memo_template()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(TemplateLanguagesScreen("MEMO"))
        await settle(pilot)
        templates.delete_template("MEMO", user=TEST_USER)
        await cover_and_return(pilot)
        assert not stacked(pilot, TemplateLanguagesScreen)
        assert "Template MEMO was deleted." in notification_texts(pilot.app)


async def test_languages_stay_when_kept(world: World) -> None:
    add_memo_template()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(TemplateLanguagesScreen("MEMO"))
        await settle(pilot)
        await cover_and_return(pilot)
        assert isinstance(pilot.app.screen, TemplateLanguagesScreen)
        assert not any("deleted" in text for text in notification_texts(pilot.app))


async def test_fields_close_after_language_removed(world: World) -> None:
    add_memo_template()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(TemplateLanguagesScreen("MEMO"))
        await settle(pilot)
        pilot.app.push_screen(TemplateFieldsScreen("MEMO", "EN"))
        await settle(pilot)
        templates.remove_template_language("MEMO", "EN", user=TEST_USER)
        await cover_and_return(pilot)
        assert not stacked(pilot, TemplateFieldsScreen)
        assert isinstance(pilot.app.screen, TemplateLanguagesScreen)
        assert "Template MEMO has no language EN any more." in notification_texts(
            pilot.app
        )


async def test_fields_and_languages_close_after_delete(world: World) -> None:
    """Both screens close when the template went while the fields were covered."""
    add_memo_template()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(TemplateLanguagesScreen("MEMO"))
        await settle(pilot)
        pilot.app.push_screen(TemplateFieldsScreen("MEMO", "EN"))
        await settle(pilot)
        templates.delete_template("MEMO", user=TEST_USER)
        await cover_and_return(pilot)
        await settle(pilot, rounds=5)
        assert not stacked(pilot, TemplateFieldsScreen)
        assert not stacked(pilot, TemplateLanguagesScreen)
        assert "Template MEMO was deleted." in notification_texts(pilot.app)
