"""Every dialog gets the modal frame: centred over the dimmed screen it covers.

Textual takes a screen's style names from the first base class only, so a dialog
declared with a mix-in screen class first would lose the ModalScreen styles: it
would sit at the top left and hide the screen behind it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap

import pytest

import segtui.ui.screens
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import Dialog
from segtui.ui.screens.segment_dialogs import NewSegmentDialog
from tests.conftest import TEST_USER
from tests.test_layout import footer_line
from tests.tui_helpers import settle


def all_dialogs() -> list[type[Dialog]]:
    for module in pkgutil.iter_modules(segtui.ui.screens.__path__):
        importlib.import_module(f"segtui.ui.screens.{module.name}")
    found: list[type[Dialog]] = []
    waiting = [Dialog]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            found.append(subclass)
            waiting.append(subclass)
    return sorted(set(found), key=lambda cls: cls.__qualname__)


DIALOGS = all_dialogs()


def test_dialogs_found() -> None:
    names = {cls.__name__ for cls in DIALOGS}
    assert {"ConfirmDialog", "ContactDialog", "CodeDialog"} <= names


@pytest.mark.parametrize("dialog", DIALOGS, ids=lambda cls: cls.__name__)
def test_dialog_has_modal_styles(dialog: type[Dialog]) -> None:
    assert "ModalScreen" in dialog._css_type_names
    assert "Dialog" in dialog._css_type_names


def button_labels(dialog: type[Dialog]) -> list[tuple[str, str]]:
    """Return the id and English label of each button the dialog's own code adds."""
    method = dialog.__dict__.get("compose_buttons")
    if method is None:
        return []
    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Button"
        ):
            continue
        label_node = node.args[0]
        if isinstance(label_node, ast.Call):
            label = label_node.args[0].value
        elif isinstance(label_node, ast.Attribute):
            label = getattr(dialog, label_node.attr)
        else:
            label = label_node.value
        ids = [k.value.value for k in node.keywords if k.arg == "id"]
        found.append((ids[0] if ids else "", label))
    return found


DIALOGS_WITH_BUTTONS = [dialog for dialog in DIALOGS if button_labels(dialog)]


def test_button_labels_found() -> None:
    names = {dialog.__name__ for dialog in DIALOGS_WITH_BUTTONS}
    assert {"ChoiceDialog", "InputDialog", "NewSegmentDialog"} <= names


@pytest.mark.parametrize("dialog", DIALOGS_WITH_BUTTONS, ids=lambda cls: cls.__name__)
def test_buttons_name_their_keys(dialog: type[Dialog]) -> None:
    """Each button names its key in brackets, and Cancel and Close name Esc."""
    for button_id, label in button_labels(dialog):
        assert re.search(r" \([^()]+\)$", label), (button_id, label)
        if button_id in ("cancel", "close"):
            assert label.endswith("(Esc)"), (button_id, label)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_dialog_footer_lists_own_keys(world, size: tuple[int, int]) -> None:
    """The bottom line shows the dialog's keys, not those of the list below it."""
    async with SegtuiApp(user=TEST_USER).run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NewSegmentDialog)
        line = footer_line(dialog)
        assert "Esc Cancel" in line
        assert "^S Create" in line
        assert "Delete" not in line
        assert "Refresh" not in line
