"""Key names as the user reads them: in F1 help, and in the footer and palette.

Keys are named as their key caps print them: F1, Ctrl+G, Esc, Shift+Tab in English,
and Strg+G, Esc, Entf, Bild auf, Pos1 in German. Keymap files keep the names Textual
uses (ctrl+g, escape, f1).
"""

from __future__ import annotations

import re

from segtui.i18n import pgettext

# Textual's names of the function keys, f1 to f24.
FUNCTION_KEY = re.compile(r"f\d{1,2}")


def _help_names() -> dict[str, str]:
    """Return the translated names of Textual's key and modifier names, for F1 help."""
    return {
        "ctrl": pgettext("key name", "Ctrl"),
        "shift": pgettext("key name", "Shift"),
        "alt": pgettext("key name", "Alt"),
        "escape": pgettext("key name", "Esc"),
        "enter": pgettext("key name", "Enter"),
        "tab": pgettext("key name", "Tab"),
        "space": pgettext("key name", "Space"),
        "delete": pgettext("key name", "Delete"),
        "backspace": pgettext("key name", "Backspace"),
        "insert": pgettext("key name", "Insert"),
        "home": pgettext("key name", "Home"),
        "end": pgettext("key name", "End"),
        "pageup": pgettext("key name", "Page Up"),
        "pagedown": pgettext("key name", "Page Down"),
        "up": pgettext("key name", "Up"),
        "down": pgettext("key name", "Down"),
        "left": pgettext("key name", "Left"),
        "right": pgettext("key name", "Right"),
        "plus": "+",
        "minus": "-",
        "question_mark": "?",
        "slash": "/",
    }


def _footer_names() -> dict[str, str]:
    """Return the translated short names Textual 8 shows in the footer."""
    return {
        "esc": pgettext("key in the footer", "Esc"),
        "del": pgettext("key in the footer", "Del"),
        "pgup": pgettext("key in the footer", "PgUp"),
        "pgdn": pgettext("key in the footer", "PgDn"),
        "space": pgettext("key in the footer", "Space"),
        "home": pgettext("key in the footer", "Home"),
        "end": pgettext("key in the footer", "End"),
        "insert": pgettext("key in the footer", "Ins"),
        "tab": pgettext("key in the footer", "Tab"),
        "shift": pgettext("key in the footer", "Shift"),
    }


def _cap(name: str, after_modifier: bool) -> str:
    """Return a key name as its key cap prints it: F1, and A after a modifier."""
    if FUNCTION_KEY.fullmatch(name) or (after_modifier and len(name) == 1):
        return name.upper()
    return name


def help_key_name(key: str) -> str:
    """Return one key as F1 help names it: ``ctrl+g`` is Ctrl+G, in German Strg+G."""
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

    ``name`` is what Textual's ``format_key`` returns (esc, del, pgup). English gets
    Esc, Del and PgUp, German Esc, Entf and BildAuf. Textual's ``^`` for ctrl stays,
    as in nano's footer, because Ctrl+ or Strg+ would not fit an 80-column footer,
    and the letter after it is upper case as on the key cap: ^G.
    """
    names = _footer_names()
    name = _cap(names.get(name, name), bool(modifiers))
    rest = [modifier for modifier in modifiers if modifier != "ctrl"]
    if len(rest) < len(modifiers):
        name = f"^{name}"
    return "+".join([*(names.get(modifier, modifier) for modifier in rest), name])
