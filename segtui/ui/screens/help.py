"""F1 help: what the current screen is for, and its keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from segtui.i18n import _
from segtui.ui.key_names import help_key_names
from segtui.ui.keymap import screen_and_app_keys
from segtui.ui.keys import NamedBindings


def declared_bindings(owner: object) -> list[Binding]:
    """Return the bindings segtui's classes declare for ``owner``, its own class first.

    Textual's base classes are left out: their keys are listed under "Moving around".
    """
    bindings: dict[str, Binding] = {}
    for cls in type(owner).__mro__:
        if not cls.__module__.startswith("segtui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding):
                continue
            name = binding.id or binding.action
            known = bindings.get(name)
            if known is None:
                bindings[name] = binding
            elif known.action == binding.action:
                # Another key for the same action, such as F9 beside l for Log.
                bindings[name] = known.with_key(f"{known.key},{binding.key}")
    return list(bindings.values())


def describe_bindings(
    bindings: list[Binding], key_lists: dict[str, list[str]]
) -> list[str]:
    """Return one help line per binding, with its keys from ``key_lists`` by id.

    A binding missing from ``key_lists`` has no key, because the user's keymap gave
    its keys to other actions, and its line shows "-".
    """
    lines = []
    for binding in bindings:
        if not binding.description:
            continue
        key_list = key_lists.get(binding.id or "")
        keys = help_key_names(",".join(key_list)) if key_list else "-"
        text = f"  {keys:<14} {binding.description}"
        if binding.tooltip:
            text += f": {binding.tooltip}"
        lines.append(text)
    return lines


def help_text(screen: Screen[object]) -> str:
    """Return the help of a screen: its HELP text, its keys and the keys everywhere."""
    lines = [getattr(screen, "HELP", "") or "", "", _("Keys on this screen:")]
    # The keys as Textual applies the user's keymap, so a key that a keymap entry
    # took from another action is listed only for the action it runs.
    keymap = getattr(screen.app, "user_keys", {})
    # help_text also takes plain objects with HELP and app, which have no bindings.
    screen_bindings = getattr(screen, "_bindings", None) or BindingsMap()
    screen_keys, app_keys = screen_and_app_keys(
        screen_bindings, screen.app._bindings, keymap
    )
    lines.extend(describe_bindings(declared_bindings(screen), screen_keys))
    lines.extend(["", _("Keys everywhere:")])
    lines.extend(describe_bindings(declared_bindings(screen.app), app_keys))
    lines.extend(
        [
            "",
            _("Moving around:"),
            "  " + _("Tab, shift+Tab   next and previous field"),
            "  " + _("arrows, PageUp, PageDown   move in lists and tables"),
            "  "
            + _(
                "ctrl+a, ctrl+e   first and last row of a list, start and end of "
                "a text field (Home and End where the terminal sends them)"
            ),
            "  " + _("ctrl+u, ctrl+d   page up and down in long lists"),
            "  " + _("Escape           close a dialog without changing anything"),
        ]
    )
    return "\n".join(lines)


class HelpScreen(NamedBindings, ModalScreen[None]):
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
            with Horizontal(id="dialog-buttons"):
                yield Label(Text(_("Escape closes the help.")), markup=False)

    def on_mount(self) -> None:
        self.query_one("#dialog-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
