"""The Go to menu: every area of segtui in one list."""

from __future__ import annotations

import time

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from segtui.i18n import _
from segtui.ui.areas import Area, all_areas
from segtui.ui.screens.dialogs import Dialog

# Seconds after which a typed letter starts a new name instead of adding to one.
TYPING_PAUSE = 1.0


def area_label(area: Area) -> str:
    """Return an area's name as the menu shows it: after its group, if it has one."""
    return f"{area.group}: {area.title}" if area.group else area.title


class GoToDialog(Dialog):
    """Pick an area to open; Enter opens it, Escape closes the menu.

    Typing the start of an area's name moves to it.
    """

    HELP = _(
        "Every area of segtui in one list: segments, contacts, campaigns, "
        "interaction templates and setup. Move with the arrows, or type the first "
        "letters of an area's name to jump to it. Enter opens the highlighted "
        "area over the segment list and closes the screens opened before. Ctrl+G "
        "or F6 opens this menu. Esc closes it and stays where you were."
    )

    def __init__(self) -> None:
        super().__init__(_("Go to"))
        self.areas = all_areas()
        # The letters typed so far, and when the last one was typed.
        self.typed = ""
        self.typed_at = 0.0

    def compose_body(self) -> ComposeResult:
        options = [Option(Text(area_label(area)), id=area.key) for area in self.areas]
        yield OptionList(*options, id="areas")

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#areas", OptionList).focus()

    def enter_label(self) -> str | None:
        # Enter in the list opens the highlighted area.
        if super().enter_label() is None:
            return None
        return _("Open")

    def on_key(self, event: events.Key) -> None:
        """Move to the first area whose name or shown label starts with the letters.

        Letters typed within TYPING_PAUSE seconds of each other add up, so "sal"
        finds Salespeople after "sa" found Saved criteria. The label is the name
        after its group, as the list shows it, so "Contacts: Int" finds
        "Contacts: Interaction log entries" instead of staying on "Contacts:
        Contacts".
        """
        character = event.character
        if not character or len(character) != 1 or not character.isprintable():
            return
        now = time.monotonic()
        if now - self.typed_at > TYPING_PAUSE:
            self.typed = ""
        self.typed += character.casefold()
        self.typed_at = now
        event.stop()
        for index, area in enumerate(self.areas):
            names = (area.title.casefold(), area_label(area).casefold())
            if any(name.startswith(self.typed) for name in names):
                self.query_one("#areas", OptionList).highlighted = index
                return

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        chosen: Area = next(area for area in self.areas if area.key == event.option.id)
        self.dismiss(chosen)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
