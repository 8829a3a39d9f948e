"""Every dialog gets the modal frame: centred over the dimmed screen it covers.

Textual takes a screen's style names from the first base class only, so a dialog
declared with a mix-in screen class first would lose the ModalScreen styles: it
would sit at the top left and hide the screen behind it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import segtui.ui.screens
from segtui.ui.screens.dialogs import Dialog


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
