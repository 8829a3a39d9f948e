"""Reading the dates users type: ISO always, and DD.MM.YYYY when German is chosen.

CSV files and saved data stay ISO only and are read with ``date.fromisoformat``.
"""

from __future__ import annotations

import re
from datetime import date

from segtui import i18n
from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

# Day, month and year as German writes them: 5.3.2026 or 05.03.2026.
GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def german_dates() -> bool:
    """Return whether typed and shown dates use the German form, DD.MM.YYYY."""
    return i18n.language() == "de"


def date_forms() -> str:
    """Return the forms a typed date may take, for hints and error messages."""
    if german_dates():
        return _("DD.MM.YYYY or YYYY-MM-DD")
    return "YYYY-MM-DD"


def date_hint() -> str:
    """Return the form to show as the placeholder of a date input."""
    return _("DD.MM.YYYY") if german_dates() else "YYYY-MM-DD"


def invalid_date_message(text: str, field: str = "") -> str:
    """Return the error for a value that is not a date, naming the field if given."""
    if field:
        return _("{field} {value!r} is not a date; write it as {forms}.").format(
            field=field, value=text, forms=date_forms()
        )
    return _("{value!r} is not a date; write it as {forms}.").format(
        value=text, forms=date_forms()
    )


def read_date(text: str) -> date | None:
    """Return the date written in ``text``, or None when it is not a date.

    ISO dates are read in every language, DD.MM.YYYY only when German is chosen.
    """
    text = text.strip()
    if german_dates():
        found = GERMAN_DATE.fullmatch(text)
        if found:
            day, month, year = (int(part) for part in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_date(text: str, field: str = "") -> date:
    """Return the date written in ``text``.

    Raises InvalidValueError naming ``field`` if given, ``text`` and the forms.
    """
    day = read_date(text)
    if day is None:
        raise InvalidValueError(invalid_date_message(text, field))
    return day
