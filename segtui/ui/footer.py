"""The footer of segtui's screens: which keys it shows at which width."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList

# NOTE: FooterKey is not exported by textual.widgets in Textual 8.2.8, but Footer
# itself builds its entries from it.
from textual.widgets._footer import FooterKey

from segtui.i18n import _
from segtui.ui.keys import PORTABLE_KEYS, action_name

# Terminal width, in columns, below which screens use their compact layout.
COMPACT_BELOW = 100

# Actions that move a list to its first or last row: the screen's, and those of
# segtui's own tables.
END_ACTIONS = {
    "first_item": "first",
    "first": "first",
    "last_item": "last",
    "last": "last",
}


@dataclass(frozen=True)
class FooterEntry:
    """One key the footer shows: the key to press, how it is shown, and its action."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


def portable_binding(bindings: list[Binding]) -> Binding:
    """Return the first of the bindings whose key every terminal sends, if any."""
    portable = (binding for binding in bindings if binding.key in PORTABLE_KEYS)
    return next(portable, bindings[0])


def first_last_entry(screen: Screen[Any]) -> FooterEntry | None:
    """Return one footer entry for the screen's Ctrl+A and Ctrl+E while a list has focus.

    Many terminals behind tmux or SSH do not send Home and End, so the footer shows
    the keys that always arrive. It shows nothing while another widget, such as an
    input field, has focus or has its own binding for those keys.
    """
    focused = screen.focused
    if not isinstance(focused, (DataTable, OptionList)):
        return None
    found: dict[str, list[Binding]] = {}
    for active in screen.active_bindings.values():
        # Segtui's tables bind first and last themselves, before the screen does.
        if active.node is not focused and active.node is not screen:
            continue
        end = END_ACTIONS.get(action_name(active.binding.action))
        if end:
            found.setdefault(end, []).append(active.binding)
    if len(found) < 2:
        return None
    first = portable_binding(found["first"])
    last = portable_binding(found["last"])
    display = screen.app.get_key_display
    return FooterEntry(
        key=first.key,
        key_display=f"{display(first)}/{display(last)}",
        description=_("First/last"),
        action=first.action,
        enabled=True,
        tooltip=_("Go to the first or the last row (Home and End where they work)"),
    )


def enter_entry(screen: Screen[Any]) -> FooterEntry | None:
    """Return a footer entry for Enter where the screen names what Enter does.

    A pick list binds Enter itself with the footer entry hidden, so a dialog that
    is a list would not show the key that picks. A screen with an ``enter_label``
    method names the action, and the entry shows while the focused widget's own
    Enter binding is the one that runs.
    """
    label_of = getattr(screen, "enter_label", None)
    label = label_of() if label_of is not None else None
    active = screen.active_bindings.get("enter")
    if not label or active is None or active.node is not screen.focused:
        return None
    return FooterEntry(
        key="enter",
        key_display=screen.app.get_key_display(active.binding),
        description=label,
        action=active.binding.action,
        enabled=active.enabled,
        tooltip=_("Pick the highlighted row"),
    )


def textual_labels() -> dict[str, str]:
    """Return segtui's footer labels for the descriptions of Textual's own shown
    bindings, which Textual 8.2.8 gives in English only.

    The only one is Escape on an open drop-down list (SelectOverlay).
    """
    return {"Dismiss menu": _("Close list")}


def button_description(screen: Screen[Any], binding: Binding) -> str:
    """Return what the footer calls a binding: a dialog's button label if a button
    does the same, else the binding's description.

    The button "Log (Ctrl+S)" then shows as "^S Log", not as "^S Save".
    """
    label = getattr(screen, "button_label", None)
    found = label(action_name(binding.action)) if label is not None else None
    if found:
        return found
    return textual_labels().get(binding.description, binding.description)


def footer_entries(
    screen: Screen[Any], compact: bool, width: int | None = None
) -> list[FooterEntry]:
    """Return the keys the footer of ``screen`` shows, in order, each action once.

    In the compact layout the actions the screen names in FOOTER_WIDE_ONLY are left
    out, so the others fit in 80 columns. When the rest is still wider than
    ``width`` columns, in either layout, the footer leaves out, in turn:

    1. the FOOTER_WIDE_ONLY actions, which only the wide layout shows;
    2. the screen's keys that are not in FOOTER_ESSENTIAL;
    3. the keys that work alike on every screen: the Ctrl+A/Ctrl+E entry, then
       segtui's keys such as Go to, then the Enter entry;
    4. the FOOTER_ESSENTIAL keys.

    Within each kind the FOOTER_DROP_TO_FIT actions go first, in that order, then
    the others from the right. F1 help and Back always stay, and F1 help and the
    command palette list every key left out. The Ctrl+A/Ctrl+E entry comes before
    the app's keys, and an Enter entry (see ``enter_entry``) first.
    """
    wide_only = getattr(screen, "FOOTER_WIDE_ONLY", frozenset()) if compact else ()
    first_last = first_last_entry(screen)
    enter = enter_entry(screen)
    entries: list[FooterEntry] = [enter] if enter is not None else []
    shared: list[FooterEntry] = [first_last] if first_last is not None else []
    # The screen's own entries by action name, without F1 help and Back.
    screen_entries: dict[str, FooterEntry] = {}
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if first_last is not None and active.node is screen.app:
            entries.append(first_last)
            first_last = None
        if not binding.show or binding.action in seen:
            continue
        name = action_name(binding.action)
        if name in wide_only:
            continue
        seen.add(binding.action)
        entry = FooterEntry(
            key=binding.key,
            key_display=screen.app.get_key_display(binding),
            description=button_description(screen, binding),
            action=binding.action,
            enabled=active.enabled,
            tooltip=active.tooltip or binding.tooltip,
        )
        entries.append(entry)
        if active.node is screen.app:
            shared.append(entry)
        elif active.node is screen and name not in {"back", "help"}:
            screen_entries[name] = entry
    if first_last is not None:
        entries.append(first_last)
    if enter is not None:
        shared.append(enter)
    if width is None:
        return entries
    return fit_entries(
        entries, give_way_order(screen, screen_entries, shared), width, compact
    )


def give_way_order(
    screen: Screen[Any],
    screen_entries: dict[str, FooterEntry],
    shared: list[FooterEntry],
) -> list[FooterEntry]:
    """Return footer entries in the order ``footer_entries`` leaves them out.

    ``screen_entries`` are the screen's own entries by action name, in footer
    order, and ``shared`` the entries of keys that work alike on every screen, in
    the order they give way.
    """
    wide_only = getattr(screen, "FOOTER_WIDE_ONLY", frozenset())
    essential = getattr(screen, "FOOTER_ESSENTIAL", frozenset())
    drop_to_fit = getattr(screen, "FOOTER_DROP_TO_FIT", ())
    names = [name for name in drop_to_fit if name in screen_entries]
    names += [name for name in reversed(screen_entries) if name not in names]
    first = [name for name in names if name in wide_only]
    other = [name for name in names if name not in wide_only and name not in essential]
    last = [name for name in names if name in essential and name not in wide_only]
    return [
        *(screen_entries[name] for name in first + other),
        *shared,
        *(screen_entries[name] for name in last),
    ]


def compact_width(entries: list[FooterEntry]) -> int:
    """Return the columns the compact footer draws the entries in.

    Each entry is its key, a space and its description, and one column separates
    the entries, as in Textual 8.2.8's compact footer.
    """
    cells = [
        cell_len(entry.key_display) + 1 + cell_len(entry.description)
        for entry in entries
    ]
    return sum(cells) + max(len(cells) - 1, 0)


def spaced_width(entries: list[FooterEntry]) -> int:
    """Return the columns the footer's wide layout draws the entries in.

    Textual 8.2.8 pads each key with a space on both sides and each description
    with a space after it, and puts no margin between the entries.
    """
    return sum(
        cell_len(entry.key_display) + cell_len(entry.description) + 3
        for entry in entries
    )


def fit_entries(
    entries: list[FooterEntry],
    drop_order: list[FooterEntry],
    width: int,
    compact: bool = True,
) -> list[FooterEntry]:
    """Leave out the entries of ``drop_order``, in turn, until the rest fit
    ``width`` columns in the compact or the wide layout, or none is left to drop."""
    measure = compact_width if compact else spaced_width
    for dropped in drop_order:
        if measure(entries) <= width:
            break
        entries = [entry for entry in entries if entry is not dropped]
    return entries


class KeyFooter(Footer):
    """The footer of segtui's screens, with the entries ``footer_entries`` returns."""

    # The terminal width the entries were built for, because which keys fit depends
    # on it.
    built_width: int | None = None

    def __init__(self) -> None:
        super().__init__(
            compact=self.app.size.width < COMPACT_BELOW, show_command_palette=False
        )

    def compose(self) -> ComposeResult:
        self.built_width = self.app.size.width
        entries = footer_entries(self.screen, self.compact, self.built_width)
        for entry in entries:
            yield FooterKey(
                entry.key,
                entry.key_display,
                entry.description,
                entry.action,
                disabled=not entry.enabled,
                tooltip=entry.tooltip,
            ).data_bind(compact=Footer.compact)

    def watch_compact(self, compact: bool) -> None:
        # The compact layout shows fewer keys, so the entries are built again.
        if self.is_mounted:
            self.call_after_refresh(self.recompose)

    def on_resize(self, event: events.Resize) -> None:
        # The footer drops keys that do not fit, so a new width may need others.
        self.compact = self.app.size.width < COMPACT_BELOW
        if self.app.size.width != self.built_width:
            self.call_after_refresh(self.recompose)
