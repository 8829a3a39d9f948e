"""F1 help: what the current screen is for, and its keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.actions import ActionError
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from segtui import i18n
from segtui.i18n import _
from segtui.ui.footer import button_description
from segtui.ui.key_names import help_key_name, help_key_names
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
    return [binding for binding in bindings.values() if applies(owner, binding)]


def applies(owner: object, binding: Binding) -> bool:
    """Return whether ``binding`` can run on ``owner``: the keys F1 lists.

    A subclass's binding for the same key replaces a base class's, and an action
    that ``check_action`` rules out on ``owner`` does not run there.
    """
    merged = getattr(type(owner), "_merged_bindings", None)
    if merged is not None and binding.id:
        ids = {
            bound.id
            for bound_list in merged.key_to_bindings.values()
            for bound in bound_list
        }
        if binding.id not in ids:
            return False
    check_action = getattr(owner, "check_action", None)
    if check_action is None:
        return True
    try:
        namespace, action, parameters = parse_action(binding.action)
    except ActionError:
        return True
    if namespace:
        # Actions of the app or another namespace are checked there when run.
        return True
    return check_action(action, parameters) is not False


@dataclass(frozen=True)
class KeyRow:
    """One key line of the help: the keys, what they do, and the line as plain text."""

    keys: str
    description: str
    text: str


def describe_bindings(
    bindings: list[Binding],
    key_lists: dict[str, list[str]],
    name: Callable[[Binding], str] | None = None,
) -> list[KeyRow]:
    """Return one help row per binding, with its keys from ``key_lists`` by id.

    A binding missing from ``key_lists`` has no key, because the user's keymap gave
    its keys to other actions, and its row shows "-". ``name`` returns what a
    binding is called, its description unless given.
    """
    rows = []
    for binding in bindings:
        if not binding.description:
            continue
        key_list = key_lists.get(binding.id or "")
        keys = help_key_names(",".join(key_list)) if key_list else "-"
        description = name(binding) if name else binding.description
        if binding.tooltip:
            description += f": {binding.tooltip}"
        rows.append(KeyRow(keys, description, f"  {keys:<14} {description}"))
    return rows


# Keys, then two or more spaces, then what they do: the form of each translated
# line under "Moving around".
KEYS_AND_DESCRIPTION = re.compile(r"(\S.*?) {2,}(\S.*)")


def moving_row(line: str) -> KeyRow | str:
    """Return a translated "keys   what they do" line as a row, or as a plain line
    when a translation lacks the gap of two spaces."""
    text = "  " + line
    match = KEYS_AND_DESCRIPTION.fullmatch(line)
    if match is None:
        return text
    return KeyRow(match.group(1), match.group(2), text)


class HelpText(str):
    """The F1 help as plain text, with its key rows also kept apart in ``lines``.

    The help screen draws the key rows in two columns, so that a description that
    wraps goes on under the description and not under the keys.
    """

    lines: tuple[str | KeyRow, ...]

    def __new__(cls, lines: Sequence[str | KeyRow]) -> HelpText:
        plain = (line.text if isinstance(line, KeyRow) else line for line in lines)
        text = super().__new__(cls, "\n".join(plain))
        text.lines = tuple(lines)
        return text


# Other spellings of keys in help prose, besides the keymap name and F1's name.
KEY_SPELLINGS = {"escape": ["esc"], "delete": ["del"]}


def lost_default_keys(
    bindings: list[Binding],
    default_lists: dict[str, list[str]],
    key_lists: dict[str, list[str]],
) -> dict[str, list[str]]:
    """Return each default key a binding no longer has, with the keys it has now."""
    replacements: dict[str, list[str]] = {}
    for binding in bindings:
        if not binding.id:
            continue
        now = key_lists.get(binding.id, [])
        for key in default_lists.get(binding.id, []):
            if key not in now:
                replacements.setdefault(key, now)
    return replacements


def key_pattern(key: str) -> str:
    """Return a regular expression for ``key`` where help prose names it.

    A single letter counts only as a word of its own, so "d" matches in "d deletes"
    but not in "d.h.". In English a lone "a" before a noun is the article, so it
    matches only before punctuation or a verb ending in s, as in "a adds".
    """
    if len(key) == 1:
        pattern = rf"(?<![\w+.'-]){re.escape(key)}(?![\w+'-])(?!\.\w)"
        if key == "a" and i18n.language() == "en":
            pattern += r"(?! (?![a-z]*[a-hj-rtv-z]s\b)[a-z])"
        return pattern
    spellings = {key, help_key_name(key), *KEY_SPELLINGS.get(key, [])}
    names = "|".join(
        re.escape(name) for name in sorted(spellings, key=len, reverse=True)
    )
    return rf"(?i:(?<![\w+])(?:{names})(?![\w+]))"


def prose_with_keys(prose: str, replacements: dict[str, list[str]]) -> str:
    """Return help prose with the keys the user's keymap changed named as they are now.

    ``replacements`` maps a default key to the keys its action has now. An action
    left without keys is named as having none, since the command palette still
    runs it.
    """
    if not replacements:
        return prose
    patterns = {key: key_pattern(key) for key in replacements}
    combined = re.compile(
        "|".join(
            f"(?P<k{index}>{pattern})"
            for index, pattern in enumerate(patterns.values())
        )
    )
    keys = list(patterns)

    def replace(match: re.Match[str]) -> str:
        key = keys[int(str(match.lastgroup)[1:])]
        now = replacements[key]
        if not now:
            return _("no key")
        return "/".join(help_key_name(name) for name in now)

    return combined.sub(replace, prose)


def help_text(screen: Screen[object]) -> HelpText:
    """Return the help of a screen: its HELP text, its keys and the keys everywhere."""
    # The keys as Textual applies the user's keymap, so a key that a keymap entry
    # took from another action is listed only for the action it runs.
    keymap = getattr(screen.app, "user_keys", {})
    # help_text also takes plain objects with HELP and app, which have no bindings.
    screen_bindings = getattr(screen, "_bindings", None) or BindingsMap()
    screen_keys, app_keys = screen_and_app_keys(
        screen_bindings, screen.app._bindings, keymap
    )
    prose = getattr(screen, "HELP", "") or ""
    if keymap:
        # The prose names the default keys, so name the ones the keymap moved. The
        # classes keep the default keys, while set_keymap changes the bindings
        # of the screen and app objects.
        default_screen_keys, default_app_keys = screen_and_app_keys(
            getattr(type(screen), "_merged_bindings", None) or BindingsMap(),
            type(screen.app)._merged_bindings or BindingsMap(),
            {},
        )
        replacements = lost_default_keys(
            declared_bindings(screen), default_screen_keys, screen_keys
        )
        app_replacements = lost_default_keys(
            declared_bindings(screen.app), default_app_keys, app_keys
        )
        for key, now in app_replacements.items():
            replacements.setdefault(key, now)
        prose = prose_with_keys(prose, replacements)
    lines: list[str | KeyRow] = [prose, "", _("Keys on this screen:")]
    # A dialog's keys are named as its footer names them, after its buttons.
    lines.extend(
        describe_bindings(
            declared_bindings(screen),
            screen_keys,
            lambda binding: button_description(screen, binding),
        )
    )
    app_bindings = declared_bindings(screen.app)
    if isinstance(screen, ModalScreen):
        # While a dialog is open Textual runs only the app's priority bindings.
        app_bindings = [binding for binding in app_bindings if binding.priority]
    lines.extend(["", _("Keys everywhere:")])
    lines.extend(describe_bindings(app_bindings, app_keys))
    lines.extend(["", _("Moving around:")])
    lines.extend(
        moving_row(line)
        for line in [
            _("Tab, Shift+Tab   next and previous field"),
            _("arrows, PageUp, PageDown   move in lists and tables"),
            _(
                "Ctrl+A, Ctrl+E   first and last row of a list, start and end of "
                "a text field (Home and End where the terminal sends them)"
            ),
            _("Ctrl+U, Ctrl+D   page up and down in long lists"),
            _("Esc              close a dialog without changing anything"),
        ]
    )
    return HelpText(lines)


# The keys column is at least this wide. Wider keys widen it up to a third of the
# columns left after the indent and the gap, and keys wider still wrap.
KEYS_MIN_WIDTH = 14
# Columns before the keys, and between the keys and the description.
KEYS_INDENT = 2
KEYS_GAP = 2


@dataclass(frozen=True)
class KeyTable:
    """Key rows drawn as two columns, so a description wraps under itself."""

    rows: Sequence[KeyRow]

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[Padding]:
        room = options.max_width - KEYS_INDENT - KEYS_GAP
        widest = max(cell_len(row.keys) for row in self.rows)
        keys_width = max(KEYS_MIN_WIDTH, min(widest, room // 3))
        table = Table.grid(padding=(0, KEYS_GAP, 0, 0))
        table.add_column(width=keys_width, overflow="fold")
        table.add_column(ratio=1)
        for row in self.rows:
            table.add_row(Text(row.keys), Text(row.description))
        yield Padding(table, (0, 0, 0, KEYS_INDENT))


def help_blocks(text: str) -> Iterator[Static]:
    """Yield the help as widgets: plain lines as text, key rows as two columns.

    A plain string, without the key rows of HelpText, is shown as it is.
    """
    lines: Sequence[str | KeyRow] = getattr(text, "lines", None) or (text,)
    for is_row, group in groupby(lines, key=lambda line: isinstance(line, KeyRow)):
        block = list(group)
        if is_row:
            key_rows = [line for line in block if isinstance(line, KeyRow)]
            yield Static(KeyTable(key_rows))
        else:
            plain = [line for line in block if isinstance(line, str)]
            yield Static(Text("\n".join(plain)), markup=False)


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
                yield from help_blocks(self.text)
            with Horizontal(id="dialog-buttons"):
                yield Label(Text(_("Esc closes the help.")), markup=False)

    def on_mount(self) -> None:
        self.query_one("#dialog-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
