"""Cleaning text typed or imported by users before it is stored.

Text is stored in Unicode NFC, so a name saved on macOS (decomposed umlauts) equals
the same name typed on a server. Control characters are removed: stored in a name or
description they would reach the terminal as escape sequences.
"""

from __future__ import annotations

import re
import unicodedata

from segtui.i18n import _

# C0 and C1 control characters and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(value: object) -> str:
    """Return one line of text: NFC, control characters as spaces, ends trimmed."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return CONTROL_CHARACTERS.sub(" ", text).strip()


def clean_text(value: object) -> str:
    """Return text that may span lines: NFC, tabs and line breaks kept."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return CONTROL_EXCEPT_LINES.sub("", text.replace("\r\n", "\n"))


def printable(value: object) -> str:
    """Return text safe to print on a terminal: each control character becomes ``?``."""
    return CONTROL_CHARACTERS.sub("?", "" if value is None else str(value))


def no_value() -> str:
    """Return the placeholder for a field with no value set: "(none)".

    Forms, pick lists, detail panels such as the worksheet's header summary and
    messages show it for an empty field. It is also the label of the blank option
    of a choice (correspondence type, information flow, initiated by), on screen
    and in the command line's output and choice input. Table cells leave an empty
    value empty, because the column header names the field and a column of
    placeholders hides the values that are set. A table cell shows it only where
    the missing value is what the user should notice, such as a template with no
    letter language.
    """
    return _("(none)")
