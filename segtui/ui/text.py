"""Showing user data on screen as plain text, never as markup.

Dates, amounts and counts follow the user interface language: German shows
05.03.2026 and 1.234,50, English ISO dates and 1,234.50. Command line output, CSV and
JSON do not use these functions and stay ISO.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from rich.text import Text

from segtui.domain.dates import german_dates
from segtui.domain.text import printable
from segtui.i18n import _
from segtui.models import CorrespondenceType, DeliveryStatus

# The characters segtui draws around user data. Each is one cell wide and not
# East Asian ambiguous, which some terminals draw two cells wide, so columns and
# borders stay where segtui computed them. User data is shown as stored.
# NOTE: plain() still lets Rich end a cropped cell with U+2026, which is ambiguous.
RULE = "-"
ELLIPSIS = "..."
CHROME_GLYPHS = (RULE, ELLIPSIS)


def plain(value: Any) -> Text:
    """Return a Rich Text of the value with no markup parsing, for tables and labels."""
    return Text(display(value), no_wrap=True, overflow="ellipsis")


def display(value: Any) -> str:
    """Return a value as one line of text, control characters shown as ``?``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_amount(value)
    return printable(value)


def number_locale() -> str:
    """Return the Babel locale whose digits and separators the screens use."""
    return "de" if german_dates() else "en"


def format_date(value: date) -> str:
    """Return a date as DD.MM.YYYY in German and as YYYY-MM-DD otherwise."""
    if german_dates():
        return babel_format_date(value, "dd.MM.yyyy", locale="de")
    return value.isoformat()


def format_datetime(value: datetime) -> str:
    return f"{format_date(value.date())} {value:%H:%M}"


def format_month(value: date) -> str:
    """Return the month of a date: 03.2026 in German, 2026-03 otherwise."""
    if german_dates():
        return babel_format_date(value, "MM.yyyy", locale="de")
    return f"{value:%Y-%m}"


def format_amount(value: Decimal | int | float) -> str:
    """Return an amount with two decimals and thousands separators: 1.234,50."""
    return format_decimal(value, "#,##0.00", locale=number_locale())


def editable_amount(value: Decimal | int | float) -> str:
    """Return an amount for an input field, without thousands separators: 1234,50.

    Amount parsing reads a comma as the decimal point, and a thousands separator
    would not parse.
    """
    return format_decimal(value, "0.00", locale=number_locale())


def format_count(value: int) -> str:
    """Return a count with thousands separators: 12.345 in German, 12,345 otherwise."""
    return format_decimal(value, "#,##0", locale=number_locale())


def correspondence_label(value: str) -> str:
    return {
        CorrespondenceType.HARD_COPY: _("Hard Copy"),
        CorrespondenceType.EMAIL: _("Email"),
    }.get(value or "", "")


def delivery_label(value: str) -> str:
    """Delivery status as a word, so it reads without colour."""
    return {
        DeliveryStatus.PENDING: _("pending"),
        DeliveryStatus.SENT: _("sent"),
        DeliveryStatus.FAILED: _("FAILED"),
        DeliveryStatus.NOT_DELIVERED: _("not delivered"),
    }.get(value, value)
