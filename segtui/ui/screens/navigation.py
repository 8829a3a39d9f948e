"""Moving between form fields so that keys typed ahead land in the right field."""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from segtui.i18n import _
from segtui.ui.keys import NamedBindings


class FieldNavigation(NamedBindings, Screen[Any]):
    """Tab, shift+Tab and Enter that move the focus before the next key is read.

    Textual 8.2.8 hands a key to the focused input's message queue, and a Tab or
    Enter that the input does not handle bubbles up to the screen later. Keys that
    arrive together, as they do over a slow SSH link, are queued on the input before
    the focus moves, so text typed after Tab or Enter lands in the field just left.
    Priority bindings run in the app before it reads the next key. Text already
    queued on the old field still reaches it, and so do its editing keys (Backspace,
    ctrl+u) when the field is a TypeAheadInput.

    Enter in an input listed in SUBMIT_INPUTS is left to the input, whose
    Input.Submitted then comes after the text typed before it. Enter on any other
    widget keeps its usual meaning.

    Mix it in after a dialog class, ``class Form(FormDialog, FieldNavigation)``:
    Textual takes a screen's style names from the first base class at each level,
    so with FieldNavigation first a dialog would lose the ModalScreen styles that
    centre it over the dimmed screen behind. A full screen may put it first.
    """

    # Ids of the inputs in which Enter submits the form instead of moving on.
    SUBMIT_INPUTS: frozenset[str] = frozenset()

    BINDINGS = [
        Binding(
            "tab",
            "next_field",
            _("Next field"),
            show=False,
            priority=True,
            tooltip=_("Move to the next field"),
        ),
        Binding(
            "shift+tab",
            "previous_field",
            _("Previous field"),
            show=False,
            priority=True,
            tooltip=_("Move to the previous field"),
        ),
        Binding(
            "enter",
            "enter",
            _("Next field"),
            show=False,
            priority=True,
            tooltip=_(
                "Move from a text field to the next field. On a tick, list or button "
                "Enter works as usual"
            ),
        ),
    ]

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_enter(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id in self.SUBMIT_INPUTS:
            # Lets the focused widget handle Enter as usual.
            raise SkipAction()
        self.focus_next()
