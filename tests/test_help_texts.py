"""F1 help lists only the keys that work on a screen, in plain text without markup."""

from __future__ import annotations

from textual.widgets import Static

from segtui.ui.app import SegtuiApp
from segtui.ui.key_names import help_key_name
from segtui.ui.keymap import keymap_scopes
from segtui.ui.screens.contact_import import ContactImportDialog
from segtui.ui.screens.help import HelpScreen, help_text
from segtui.ui.screens.segment_dialogs import NewSegmentDialog
from tests.conftest import TEST_USER
from tests.test_dialog_frames import DIALOGS
from tests.tui_helpers import settle


def key_lines(text: str) -> list[str]:
    """Return the lines of the "Keys on this screen" part of a help text."""
    part = text.split("Keys on this screen:\n", 1)[1]
    return part.split("\n\n", 1)[0].splitlines()


def described(lines: list[str], description: str) -> list[str]:
    return [line for line in lines if line[17:].startswith(description + ":")]


async def test_import_help_lists_its_keys(world) -> None:
    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactImportDialog())
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        lines = key_lines(text)
        assert described(lines, "Save") == []
        assert described(lines, "First row") == []
        assert described(lines, "Last row") == []
        (import_line,) = described(lines, "Import")
        assert import_line.split()[0] == help_key_name("ctrl+s")
        assert len(described(lines, "Cancel")) == 1
        assert "`" not in text
        shown = "\n".join(str(static.content) for static in app.screen.query(Static))
        assert "segtui export contacts" in shown
        assert "`" not in shown


async def test_list_dialog_keeps_row_keys(world) -> None:
    """A dialog with a list lists ctrl+a and ctrl+e, and a form without one does not."""
    from segtui.ui.screens.dialogs import ChoiceDialog

    app = SegtuiApp(user=TEST_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ChoiceDialog("Sort", [("a", "A"), ("b", "B")]))
        await settle(pilot)
        lines = key_lines(help_text(app.screen))
        assert len(described(lines, "First row")) == 1
        app.pop_screen()
        app.push_screen(NewSegmentDialog())
        await settle(pilot)
        lines = key_lines(help_text(app.screen))
        assert described(lines, "First row") == []
        # Ctrl+S is named after the button that does the same, as in the footer.
        assert len(described(lines, "Create")) == 1


def help_classes() -> list[type]:
    return sorted(
        {*keymap_scopes(), *DIALOGS}, key=lambda cls: (cls.__module__, cls.__name__)
    )


def test_no_backticks_in_help() -> None:
    """Help, key descriptions and tooltips are shown as they are: no `code` marks."""
    marked = []
    for cls in help_classes():
        texts = [getattr(cls, "HELP", "") or ""]
        bindings = cls._merged_bindings
        if bindings is not None:
            for binding_list in bindings.key_to_bindings.values():
                for binding in binding_list:
                    texts += [binding.description, binding.tooltip]
        marked += [(cls.__name__, text[:60]) for text in texts if "`" in text]
    assert marked == []
