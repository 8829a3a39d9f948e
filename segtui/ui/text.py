"""Showing user data on screen as plain text, never as markup."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.text import Text

from segtui.domain.text import printable
from segtui.i18n import _
from segtui.models import CorrespondenceType, DeliveryStatus


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
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return printable(value)


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
