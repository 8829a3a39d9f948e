"""The Go to menu: every area of segtui in one list."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from segtui.i18n import _
from segtui.ui.areas import Area, all_areas
from segtui.ui.screens.dialogs import Dialog


class GoToDialog(Dialog):
    """Pick an area to open; Enter opens it, Escape closes the menu."""

    def __init__(self) -> None:
        super().__init__(_("Go to"))
        self.areas = all_areas()

    def compose_body(self) -> ComposeResult:
        options = []
        for area in self.areas:
            label = f"{area.group}: {area.title}" if area.group else area.title
            options.append(Option(Text(label), id=area.key))
        yield OptionList(*options, id="areas")

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#areas", OptionList).focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        chosen: Area = next(area for area in self.areas if area.key == event.option.id)
        self.dismiss(chosen)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
