"""Reading the dates users type: ISO always, and DD.MM.YYYY when German is chosen.

German also takes a day and month without the year: 05.03., 05.03 and 0503 are
5 March of the current year, taken from segtui's clock. English reads ISO dates
only. CSV files and saved data stay ISO only and are read with
``date.fromisoformat``.
"""

from __future__ import annotations

import calendar
import re
from datetime import MAXYEAR, MINYEAR, date

from segtui import i18n
from segtui.domain import clock
from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

# Day, month and year as German writes them: 5.3.2026 or 05.03.2026.
GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# Day and month of the current year: 5.3., 05.03. and 05.03 with points, since the
# point after the month is optional, or 0503 without.
GERMAN_SHORT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.?|(\d{2})(\d{2})")
# Year, month and day as date.fromisoformat reads them: 2026-03-05 or 20260305.
ISO_DATE = re.compile(r"(\d{4})(-?)(\d{2})\2(\d{2})")


def german_dates() -> bool:
    """Return whether typed and shown dates use the German form, DD.MM.YYYY."""
    return i18n.language() == "de"


def date_forms() -> str:
    """Return the forms a typed date may take, for hints and error messages."""
    if german_dates():
        return _("DD.MM.YYYY, DD.MM. or YYYY-MM-DD")
    return "YYYY-MM-DD"


def date_hint() -> str:
    """Return the form to show as the placeholder of a date input."""
    return _("DD.MM.YYYY") if german_dates() else "YYYY-MM-DD"


def iso_date_hint() -> str:
    """Return the ISO form of a date in the interface language: JJJJ-MM-TT in German.

    Files such as CSV imports take this form only, whatever the language.
    """
    return _("YYYY-MM-DD")


def month_name(month: int) -> str:
    """Return the name of a month (1 to 12) in the interface language."""
    # Babel loads its locale data on first use, which most commands do without.
    from babel.dates import get_month_names

    return get_month_names("wide", locale="de" if german_dates() else "en")[month]


def german_date_parts(text: str) -> tuple[int, int, int] | None:
    """Return the year, month and day of a German date, or None for another form.

    A day and month without the year, such as 05.03. or 0503, get the current year.
    The parts are returned as written, so they may name no day, such as 31.02.
    """
    found = GERMAN_DATE.fullmatch(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        return year, month, day
    found = GERMAN_SHORT_DATE.fullmatch(text)
    if found:
        day, month = (int(part) for part in found.groups() if part is not None)
        return clock.today().year, month, day
    return None


def impossible_date_reason(text: str, *, iso_only: bool = False) -> str | None:
    """Return why a date written in an accepted form names no day, such as 31.02.

    Returns None when ``text`` is a valid date or is not written in a date form at
    all. ``iso_only`` accepts only the ISO form, as CSV files do.
    """
    text = text.strip()
    parts = None if iso_only or not german_dates() else german_date_parts(text)
    if parts:
        year, month, day = parts
    else:
        found = ISO_DATE.fullmatch(text)
        if not found:
            return None
        year, month, day = (int(found[number]) for number in (1, 3, 4))
    if not MINYEAR <= year <= MAXYEAR:
        return _("years go from {first} to {last}").format(first=MINYEAR, last=MAXYEAR)
    if not 1 <= month <= 12:
        return _("months go from 1 to 12")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return _("{month} {year} has {days} days").format(
            month=month_name(month), year=year, days=days
        )
    return None


def invalid_date_message(text: str, field: str = "") -> str:
    """Return the error for a value that is not a date, naming the field if given.

    A date in the right form that names no day, such as 31.02.2026, gets the
    reason and not the forms.
    """
    reason = impossible_date_reason(text)
    if reason and field:
        return _("{field} {value!r} is not a valid date: {reason}.").format(
            field=field, value=text, reason=reason
        )
    if reason:
        return _("{value!r} is not a valid date: {reason}.").format(
            value=text, reason=reason
        )
    if field:
        return _("{field} {value!r} is not a date; write it as {forms}.").format(
            field=field, value=text, forms=date_forms()
        )
    return _("{value!r} is not a date; write it as {forms}.").format(
        value=text, forms=date_forms()
    )


def read_date(text: str) -> date | None:
    """Return the date written in ``text``, or None when it is not a date.

    ISO dates are read in every language. DD.MM.YYYY and the day and month of the
    current year (DD.MM., DD.MM, DDMM) are read only when German is chosen.
    """
    text = text.strip()
    if german_dates():
        parts = german_date_parts(text)
        if parts:
            year, month, day = parts
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
