"""Key bindings: stable ids, the keys a remote terminal sends, and the user's keymap.

Every binding of a segtui screen, dialog or widget gets an id ``AREA.ACTION``, such
as ``worksheet.add_contacts``. The ids name the bindings in the keymap file, where a
user gives an action other keys, and in the command palette.

The keymap is a TOML file in the user config folder::

    [keys]
    "worksheet.add_contacts" = "plus"
    "segment_list.new_segment" = "n,insert"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

# NOTE: a private helper of Textual 8.2.8, used so that segtui names keys of the
# keymap file exactly as App.set_keymap does.
from textual.keys import _character_to_key
from textual.widget import Widget

from segtui.i18n import _

# Keys that reach the application through SSH, tmux and GNU screen in every common
# terminal. Every binding needs one of them, so no action depends on the others.
PORTABLE_KEYS = frozenset(
    [chr(code) for code in range(ord("a"), ord("z") + 1)]
    # Shift with a letter arrives as the capital letter, like any typed character.
    + [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    + [str(digit) for digit in range(10)]
    + [f"f{number}" for number in range(1, 11)]
    + ["up", "down", "left", "right", "enter", "escape", "tab", "shift+tab", "space"]
    + ["plus", "minus", "question_mark", "slash", "delete", "backspace"]
    + [f"ctrl+{chr(code)}" for code in range(ord("a"), ord("z") + 1)]
)

# Keys that tmux takes as its prefix, that arrive as another key (backspace, tab,
# line feed, Enter), or that terminals often turn into signals (suspend, quit).
UNREACHABLE_KEYS = frozenset(
    {"ctrl+b", "ctrl+h", "ctrl+i", "ctrl+j", "ctrl+m", "ctrl+z", "ctrl+backslash"}
)

# Modifiers that some terminals never send, or send only when set up to.
UNRELIABLE_MODIFIERS = ("alt+", "meta+", "super+", "hyper+")


# Keys whose bytes differ between terminals, tmux and screen. A binding on one of
# them also needs a key from PORTABLE_KEYS, listed first, so that the footer and
# F1 show the key that works everywhere.
NAVIGATION_KEYS = frozenset({"home", "end", "ctrl+home", "ctrl+end"})


def first_and_last_bindings() -> list[Binding]:
    """Return ctrl+a and ctrl+e bindings that move the focused list to an end.

    Textual's DataTable, OptionList and scrolling containers bind only Home, End,
    ctrl+Home and ctrl+End for this. Some terminal stacks do not send those keys, so
    a screen or dialog adds these, which every terminal sends.
    """
    return [
        Binding(
            "ctrl+a",
            "first_item",
            _("First row"),
            show=False,
            tooltip=_("Go to the first row of the list (Home where it works)"),
        ),
        Binding(
            "ctrl+e",
            "last_item",
            _("Last row"),
            show=False,
            tooltip=_("Go to the last row of the list (End where it works)"),
        ),
    ]


def move_focused_to_end(focused: Widget | None, last: bool) -> None:
    """Move the focused table or list, or the area that scrolls it, to an end."""
    from textual.widgets import DataTable, OptionList

    if isinstance(focused, DataTable):
        if last:
            focused.action_scroll_bottom()
        else:
            focused.action_scroll_top()
        return
    if isinstance(focused, OptionList):
        if last:
            focused.action_last()
        else:
            focused.action_first()
        return
    node = focused
    while isinstance(node, Widget):
        if node.allow_vertical_scroll:
            if last:
                node.scroll_end(animate=False)
            else:
                node.scroll_home(animate=False)
            return
        node = node.parent


def N_(message: str) -> str:
    """Mark text for translation where it is defined; ``_`` translates it when shown."""
    return message


# Area names the command palette puts before each action: "Worksheet: Add".
AREA_LABELS = {
    "app": N_("segtui"),
    "segment_list": N_("Segments"),
    "worksheet": N_("Worksheet"),
    "add_contacts": N_("Add Contacts"),
    "reduce_contacts": N_("Reduce Contacts"),
    "refine_contacts": N_("Refine Contacts"),
    "criteria_list": N_("Criteria"),
    "saved_criteria": N_("Saved criteria"),
    "logged_segment_list": N_("Logged segments"),
    "logged_segment": N_("Logged segment"),
    "contact_list": N_("Contacts"),
    "contact_card": N_("Contact"),
    "contact_filter": N_("Contact filter"),
    "contact_import": N_("Import contacts"),
    "interaction_history": N_("Interaction log"),
    "campaign_list": N_("Campaigns"),
    "code_table": N_("Codes"),
    "questionnaire": N_("Questionnaires"),
    "questionnaire_lines": N_("Questionnaire"),
    "template_list": N_("Interaction templates"),
    "template_languages": N_("Template languages"),
    "template_fields": N_("Template fields"),
    "setup_list": N_("Setup"),
    "smtp_settings": N_("Email settings"),
}


def area_label(cls: type) -> str:
    """Return the translated name of the area a screen or widget class belongs to."""
    area = area_of(cls)
    label = AREA_LABELS.get(area)
    if label is None:
        return area.replace("_", " ").capitalize()
    return _(label)


def area_of(cls: type) -> str:
    """Return the area part of a class's binding ids: its AREA or its snake-case name."""
    area = cls.__dict__.get("AREA")
    if area:
        return str(area)
    name = re.sub(r"(Screen|Dialog)$", "", cls.__name__) or cls.__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def action_name(action: str) -> str:
    """Return an action's name without namespace, with its arguments as words.

    ``app.help`` becomes ``help`` and ``criteria('add')`` becomes ``criteria_add``.
    """
    name, _bracket, arguments = action.partition("(")
    words = [word.replace("-", "minus_") for word in re.findall(r"-?\w+", arguments)]
    return "_".join([name.rsplit(".", 1)[-1], *words]).lower()


def with_ids(cls: type, bindings: Iterable[BindingType]) -> list[BindingType]:
    """Return the bindings with an id ``AREA.ACTION`` on each one that has none."""
    area = area_of(cls)
    named: list[BindingType] = []
    for binding in bindings:
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        if isinstance(binding, Binding) and binding.id is None:
            binding = replace(binding, id=f"{area}.{action_name(binding.action)}")
        named.append(binding)
    return named


class NamedBindings:
    """Give the class's own bindings ids before Textual merges them.

    Put this first among the bases of a Textual screen or widget class; every
    subclass then gets ids too.
    """

    AREA: ClassVar[str] = ""

    def __init_subclass__(cls, **options: Any) -> None:
        own = cls.__dict__.get("BINDINGS")
        if own:
            cls.BINDINGS = with_ids(cls, own)  # type: ignore[attr-defined]
        super().__init_subclass__(**options)


def split_keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]


def normalized_keys(keys: str) -> list[str]:
    """Return the keys of a comma-separated list once each, by Textual's key names.

    A single character becomes its key name, so "?" and "question_mark" are the same
    key, as they are when Textual applies a keymap.
    """
    names: list[str] = []
    for key in split_keys(keys):
        name = _character_to_key(key) if len(key) == 1 else key
        if name not in names:
            names.append(name)
    return names


def key_problem(key: str) -> str | None:
    """Return why ``key`` may never reach segtui over SSH or tmux, or None."""
    if key.startswith(UNRELIABLE_MODIFIERS):
        return _(
            "{key} needs alt or meta, which many terminals do not send; "
            "use a letter, a digit, F1-F10 or ctrl with a letter"
        ).format(key=key)
    if re.fullmatch(r"(ctrl|shift)\+(enter|return)", key):
        return _(
            "{key} arrives as plain Enter in most terminals; "
            "use ctrl with a letter or F1-F10"
        ).format(key=key)
    if key in UNREACHABLE_KEYS:
        return _(
            "{key} is taken by the terminal or tmux before segtui sees it; "
            "use another ctrl key"
        ).format(key=key)
    if re.fullmatch(r"f(1[1-9]|2\d)", key):
        return _(
            "{key} is taken by many terminals (full screen, menus); use F1-F10"
        ).format(key=key)
    return None


@dataclass
class Keymap:
    """The keys the user chose for binding ids, and what was wrong with the file."""

    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    conflicts: list[KeyConflict] = field(default_factory=list)


def read_keymap(path: Path, known_ids: Iterable[str]) -> Keymap:
    """Read a keymap file; a wrong entry is left out and named in ``problems``.

    A missing file is an empty keymap. A file that is not valid TOML is ignored as a
    whole, with the parser's message, so segtui still starts with its own keys.
    """
    if not path.exists():
        return Keymap()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Keymap(
            problems=[
                _("{path} was not read: {error}. segtui uses its own keys.").format(
                    path=path, error=error
                )
            ]
        )
    table = data.get("keys", {})
    keymap = Keymap()
    if not isinstance(table, dict):
        keymap.problems.append(
            _("{path}: [keys] must be a table of binding ids and keys.").format(
                path=path
            )
        )
        return keymap
    known = set(known_ids)
    for binding_id, keys in table.items():
        if binding_id not in known:
            keymap.problems.append(
                _(
                    "{path}: there is no binding {id!r}; the command segtui keys "
                    "lists the ids."
                ).format(path=path, id=binding_id)
            )
            continue
        if not isinstance(keys, str) or not split_keys(keys):
            keymap.problems.append(
                _(
                    "{path}: {id} = {keys!r} is not a key; write keys as text, "
                    'such as "n" or "ctrl+n,f7".'
                ).format(path=path, id=binding_id, keys=keys)
            )
            continue
        problems = [
            problem for key in split_keys(keys) if (problem := key_problem(key))
        ]
        if problems:
            keymap.problems.append(
                _("{path}: {id} was left as it is: {problems}.").format(
                    path=path, id=binding_id, problems="; ".join(problems)
                )
            )
            continue
        keymap.keys[binding_id] = ",".join(normalized_keys(keys))
    return keymap


@dataclass(frozen=True)
class KeyConflict:
    """A key the keymap file gives one action while another one has it too.

    ``loser`` is the binding id (or, for a Textual binding without one, the action)
    that does not get ``key`` in the ``scopes``: the screens or widgets where both
    are bound. ``keys_left`` are the keys ``loser`` keeps there. ``kind`` is
    "taken" when a keymap entry took the key from ``loser``, "shared" when an
    earlier entry of the file has it, "reserved" when it is a priority key of the
    app, and "blocked" when a screen's own key runs before the app key that the
    entry for ``loser`` requests. While a widget has focus its own keys run first:
    "focus" when one of them runs ``winner`` instead of the key an entry requests,
    "typed" when a text field takes it as typing, and "focus_taken" when an entry
    for the widget's binding takes a key of the screen or app.
    """

    key: str
    winner: str
    loser: str
    scopes: tuple[str, ...]
    keys_left: tuple[str, ...]
    kind: str
    # The focused widget for "focus", "typed" and "focus_taken", such as "a table".
    widget: str = ""
