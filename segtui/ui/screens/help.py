"""F1 help: what the current screen is for, and its keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from segtui.i18n import _


def help_text(screen: Screen[object]) -> str:
    """Return the help of a screen: its HELP text and every key it answers to."""
    lines = [getattr(screen, "HELP", "") or "", "", _("Keys:")]
    seen = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action in seen or not binding.description:
            continue
        seen.add(binding.action)
        keys = (
            ", ".join(k.strip() for k in binding.key.split(","))
            if binding.key == key
            else key
        )
        text = f"  {keys:<14} {binding.description}"
        if binding.tooltip:
            text += f": {binding.tooltip}"
        lines.append(text)
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "close", _("Close"), tooltip=_("Close the help")),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.help_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.help_title), id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body"):
                yield Static(Text(self.text), markup=False)
            yield Label(Text(_("Escape closes the help.")), markup=False)

    def on_mount(self) -> None:
        self.query_one("#dialog-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
