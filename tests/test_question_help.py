"""F1 help of yes/no questions and code tables: each describes what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.widgets import Static

from segtui.domain.classifications import code_tables
from segtui.models import MailingGroup
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.code_tables import (
    CODE_TABLE_KEYS_HELP,
    CodeTableScreen,
    MailingGroupScreen,
)
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.help import HelpScreen, help_text
from tests.conftest import TEST_USER
from tests.test_tui_screens import make_segment
from tests.tui_helpers import open_screen, press_settled, settle, table_rows

UI_FOLDER = Path(__file__).resolve().parent.parent / "segtui" / "ui"

# The sentence every question's own help ends with, naming its keys.
QUESTION_KEYS = (
    "y (or j) answers yes, n answers no, Enter presses the highlighted button, "
    "and Esc backs out."
)


def dialog_calls(name: str) -> list[tuple[str, ast.Call]]:
    """Return every call of the class ``name`` in segtui/ui with its file and line."""
    calls = []
    for path in sorted(UI_FOLDER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == name
            ):
                place = f"{path.relative_to(UI_FOLDER)}:{node.lineno}"
                calls.append((place, node))
    return calls


def confirm_calls() -> list[tuple[str, ast.Call]]:
    return dialog_calls("ConfirmDialog")


def test_confirm_calls_found() -> None:
    # A parse that finds no calls would let the next test pass on nothing.
    assert len(confirm_calls()) >= 20


def test_every_question_passes_help() -> None:
    missing = []
    for place, call in confirm_calls():
        # A call without help= counts as passing an empty one.
        help_values = [kw.value for kw in call.keywords if kw.arg == "help"]
        value = help_values[0] if help_values else ast.Constant("")
        if isinstance(value, ast.Constant) and not value.value:
            missing.append(place)
    assert missing == []


def literal_helps() -> list[tuple[str, str]]:
    """Return the question helps written as _("...") in segtui/ui, with their file.

    A caller passes its help as help=_("...") or through a variable named
    question_help or step_help. Other dialogs' help= keywords are left out.
    """
    helps = []
    for path in sorted(UI_FOLDER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        values: list[ast.expr] = []
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ConfirmDialog"
            ):
                values += [kw.value for kw in node.keywords if kw.arg == "help"]
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name)
                and target.id in ("question_help", "step_help")
                for target in node.targets
            ):
                values.append(node.value)
        for value in values:
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == "_"
                and isinstance(value.args[0], ast.Constant)
            ):
                helps.append((path.name, str(value.args[0].value)))
    return helps


def test_question_helps_differ() -> None:
    helps = literal_helps()
    assert len(helps) >= len(confirm_calls())
    texts = [text for _name, text in helps]
    repeated = sorted({text[:50] for text in texts if texts.count(text) > 1})
    assert repeated == []


def test_question_helps_name_yes_and_esc() -> None:
    for name, text in literal_helps():
        assert "yes" in text.lower(), name
        # What Esc keeps is part of every question's help.
        assert "Esc" in text, name


def test_question_help_replaces_generic() -> None:
    question = ConfirmDialog("Delete", "Delete X?", help="Yes deletes X.")
    question_help = question.HELP
    assert question_help == f"Yes deletes X.\n\n{QUESTION_KEYS}"
    assert ConfirmDialog.HELP not in question.HELP
    # Without a help of its own a question keeps the class's text.
    assert ConfirmDialog("Delete", "Delete X?").HELP == ConfirmDialog.HELP


def code_table_screens() -> list[type[CodeTableScreen]]:
    return list(CodeTableScreen.__subclasses__())


def test_every_code_table_has_screen() -> None:
    tables_with_screen = {screen.TABLE for screen in code_table_screens()}
    assert tables_with_screen == set(code_tables())


@pytest.mark.parametrize(
    "screen", code_table_screens(), ids=lambda screen: screen.__name__
)
def test_code_table_has_own_help(screen: type[CodeTableScreen]) -> None:
    assert "HELP" in screen.__dict__
    assert screen.HELP != CodeTableScreen.HELP
    assert screen.HELP.endswith(CODE_TABLE_KEYS_HELP)
    # The part before the keys names the table's own filter key.
    assert f"--filter {screen.TABLE}=" in screen.HELP


def test_code_tables_differ() -> None:
    helps = [screen.HELP for screen in code_table_screens()]
    assert len(set(helps)) == len(helps)


async def test_f1_in_code_delete_question(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, MailingGroupScreen())
        assert table_rows(pilot, "#codes")[0][0] == "NEWS"
        await press_settled(pilot, "f1")
        table_help = pilot.app.screen
        assert isinstance(table_help, HelpScreen)
        assert "Mailing groups are lists" in table_help.text
        await press_settled(pilot, "escape")
        await press_settled(pilot, "d")
        question = pilot.app.screen
        assert isinstance(question, ConfirmDialog)
        await press_settled(pilot, "f1")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        on_screen = "\n".join(
            str(static.content) for static in help_screen.query(Static)
        )
        assert "Yes deletes the code from this table for good" in on_screen
        assert QUESTION_KEYS in on_screen
        assert "A yes/no question about the step you started" not in on_screen
        # The keys of the question are still listed below its help.
        assert "  y, j" in help_screen.text
        await press_settled(pilot, "escape")
        assert pilot.app.screen is question
        await press_settled(pilot, "n")
        assert isinstance(pilot.app.screen, MailingGroupScreen)
    assert MailingGroup.get_or_none(MailingGroup.code == "NEWS") is not None


async def test_f1_in_delete_segment_question(world) -> None:
    make_segment()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press_settled(pilot, "d")
        question = pilot.app.screen
        assert isinstance(question, ConfirmDialog)
        text = help_text(question)
        assert text.startswith("Yes deletes the unlogged segment")
        assert QUESTION_KEYS in text
