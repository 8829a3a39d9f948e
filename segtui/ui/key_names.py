"""Key names as the user reads them: in F1 help, and in the footer and palette.

English keeps the names that keymap files and Textual use (ctrl+g, escape, and
Textual's esc, del, pgup in the footer). German uses what German keyboards print:
Strg+G, Esc, Entf, Bild auf, Pos1.
"""

from __future__ import annotations

import re

from segtui import i18n
from segtui.i18n import pgettext

# Textual's names of the function keys, f1 to f24.
FUNCTION_KEY = re.compile(r"f\d{1,2}")


def _help_names() -> dict[str, str]:
    """Return the translated names of Textual's key and modifier names, for F1 help."""
    return {
        "ctrl": pgettext("key name", "ctrl"),
        "shift": pgettext("key name", "shift"),
        "alt": pgettext("key name", "alt"),
        "escape": pgettext("key name", "escape"),
        "enter": pgettext("key name", "enter"),
        "tab": pgettext("key name", "tab"),
        "space": pgettext("key name", "space"),
        "delete": pgettext("key name", "delete"),
        "backspace": pgettext("key name", "backspace"),
        "insert": pgettext("key name", "insert"),
        "home": pgettext("key name", "home"),
        "end": pgettext("key name", "end"),
        "pageup": pgettext("key name", "pageup"),
        "pagedown": pgettext("key name", "pagedown"),
        "up": pgettext("key name", "up"),
        "down": pgettext("key name", "down"),
        "left": pgettext("key name", "left"),
        "right": pgettext("key name", "right"),
        "plus": pgettext("key name", "plus"),
        "minus": pgettext("key name", "minus"),
        "question_mark": pgettext("key name", "question_mark"),
        "slash": pgettext("key name", "slash"),
    }


def _footer_names() -> dict[str, str]:
    """Return the translated short names Textual 8 shows in the footer."""
    return {
        "esc": pgettext("key in the footer", "esc"),
        "del": pgettext("key in the footer", "del"),
        "pgup": pgettext("key in the footer", "pgup"),
        "pgdn": pgettext("key in the footer", "pgdn"),
        "space": pgettext("key in the footer", "space"),
        "home": pgettext("key in the footer", "home"),
        "end": pgettext("key in the footer", "end"),
        "insert": pgettext("key in the footer", "insert"),
        "tab": pgettext("key in the footer", "tab"),
        "shift": pgettext("key in the footer", "shift"),
    }


def key_caps() -> bool:
    """Return whether keys are named as printed on the key caps: F1, Strg+A.

    English keeps the lower-case names a keymap file takes, so F1 help shows what
    to write there.
    """
    return i18n.language() != "en"


def _cap(name: str, after_modifier: bool) -> str:
    if key_caps() and (
        FUNCTION_KEY.fullmatch(name) or (after_modifier and len(name) == 1)
    ):
        return name.upper()
    return name


def help_key_name(key: str) -> str:
    """Return one key as F1 help names it: ``ctrl+g`` is Strg+G in German."""
    names = _help_names()
    *modifiers, main = key.split("+")
    parts = [names.get(modifier, modifier) for modifier in modifiers]
    parts.append(_cap(names.get(main, main), bool(modifiers)))
    return "+".join(parts)


def help_key_names(keys: str) -> str:
    """Return the comma-separated keys of a binding as F1 help lists them."""
    return ", ".join(help_key_name(key.strip()) for key in keys.split(","))


def footer_key_name(modifiers: list[str], name: str) -> str:
    """Return a key for the footer and palette, given its modifiers and Textual's name.

    ``name`` is what Textual's ``format_key`` returns (esc, del, pgup). German gets
    Esc, Entf and BildAuf. Textual's ``^`` for ctrl stays, as in nano's German footer,
    because Strg+ would not fit an 80-column footer. In English the result is what
    Textual 8.2.8's App.get_key_display returns.
    """
    names = _footer_names()
    name = _cap(names.get(name, name), bool(modifiers))
    rest = [modifier for modifier in modifiers if modifier != "ctrl"]
    if len(rest) < len(modifiers):
        name = f"^{name}"
    return "+".join([*(names.get(modifier, modifier) for modifier in rest), name])
