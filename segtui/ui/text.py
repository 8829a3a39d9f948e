"""Showing user data on screen as plain text, never as markup.

Dates, amounts and counts follow the user interface language: German shows
05.03.2026 and 1.234,50, English ISO dates and 1,234.50. The command line's text
output uses them too, while CSV and JSON stay ISO.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from segtui import i18n
from segtui.domain.dates import german_dates
from segtui.domain.text import printable
from segtui.i18n import _
from segtui.models import CorrespondenceType

# The characters segtui draws around user data. Each is one cell wide and not
# East Asian ambiguous, which some terminals draw two cells wide, so columns and
# borders stay where segtui computed them. User data is shown as stored.
RULE = "-"
ELLIPSIS = "..."
# The last cell of a value cut to fit its column. Rich's own mark, U+2026, is
# East Asian ambiguous, so a CJK locale or terminal may draw it two cells wide and
# push the rest of the row one cell to the right.
TRUNCATION_MARK = "~"
CHROME_GLYPHS = (RULE, ELLIPSIS, TRUNCATION_MARK)

# Characters that join or restyle the character before them, which Rich 15.0 and
# terminals count differently. They are the variation selectors, the zero width
# joiner of emoji sequences, and the emoji skin tone modifiers. U+FE0F selects the
# emoji form of U+1F441 EYE, which Rich counts as two cells and tmux 3.3a as one.
# Rich counts a skin tone as part of the emoji before it, tmux 3.3a as two cells.
# tmux 3.3a measures each character with the C library's wcwidth(), and without
# these characters an emoji is as wide for Rich as for wcwidth().
# NOTE: some other characters still differ, because Rich and the C library follow
# other Unicode versions or rules: Rich 15.0 counts the spacing vowel signs of
# Indic scripts (U+093E and others) as no cells and glibc as one, and the trigrams
# U+2630..U+2637 as two cells and glibc as one. They are shown as stored.
TERMINAL_UNSAFE = re.compile(
    r"[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200d\U0001f3fb-\U0001f3ff]"
)


class CellText(Text):
    """A Rich Text that ends a line cut to the render width with TRUNCATION_MARK."""

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        width = options.max_width
        if "\n" in self.plain or cell_len(self.plain) <= width:
            yield from super().__rich_console__(console, options)
            return
        cut = self.copy()
        cut.plain = truncate_cells(self.plain, width)
        yield from cut.__rich_console__(console, options)


def truncate_cells(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` cells, ending in TRUNCATION_MARK if it was cut.

    A wide character that would straddle the cut is replaced by a space, so the
    result is never wider than ``width``.
    """
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1) + TRUNCATION_MARK


def plain(value: Any) -> CellText:
    """Return a Rich Text of the value with no markup parsing, for tables and labels.

    A DataTable cell too narrow for the value shows its start and TRUNCATION_MARK.
    The text leaves out the characters of TERMINAL_UNSAFE, so the columns after
    it stay where Rich puts them. Label and Static turn the Text into Textual
    Content, which Textual 8.2.8 wraps at the widget's width, so they cut nothing
    unless their height is fixed: then the lines past it are hidden, with no mark.
    """
    return CellText(terminal_text(display(value)), no_wrap=True, overflow="ellipsis")


def terminal_text(text: str) -> str:
    """Return ``text`` without the characters of TERMINAL_UNSAFE.

    An emoji then shows in its plain form: U+1F441 U+FE0F as U+1F441, a family
    joined by U+200D as its members side by side.
    """
    return TERMINAL_UNSAFE.sub("", text)


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
        return f"{value.day:02}.{value.month:02}.{value.year:04}"
    return value.isoformat()


def format_datetime(value: datetime) -> str:
    return f"{format_date(value.date())} {value:%H:%M}"


def format_month(value: date) -> str:
    """Return the month of a date: 03.2026 in German, 2026-03 otherwise."""
    if german_dates():
        return f"{value.month:02}.{value.year:04}"
    return f"{value:%Y-%m}"


def format_amount(value: Decimal | int | float) -> str:
    """Return an amount with two decimals and thousands separators: 1.234,50."""
    # Babel loads its locale data on first use, which the first screen, showing
    # no amounts, does without.
    from babel.numbers import format_decimal

    return format_decimal(value, "#,##0.00", locale=number_locale())


def editable_amount(value: Decimal | int | float) -> str:
    """Return an amount for an input field, without thousands separators: 1234,50."""
    from babel.numbers import format_decimal

    return format_decimal(value, "0.00", locale=number_locale())


def read_amount(label: str, text: str) -> Decimal:
    """Return the amount typed into the field ``label``: 1.234,56 in German.

    The command line reads amounts with the same parser, so both take the same
    forms. Raises InvalidValueError naming the field and the value.
    """
    from segtui.domain.amounts import parse_amount

    return parse_amount(label, text)


def format_count(value: int) -> str:
    """Return a count with thousands separators: 12.345 in German, 12,345 otherwise."""
    return i18n.format_count(value)


def correspondence_label(value: str) -> str:
    return {
        CorrespondenceType.HARD_COPY: _("Hard Copy"),
        CorrespondenceType.EMAIL: _("Email"),
    }.get(value or "", "")


def delivery_label(value: str) -> str:
    """Delivery status as a word, so it reads without colour."""
    # The history module reads the filter catalogue at import, which the first
    # screen does not need.
    from segtui.domain.history import delivery_word

    return delivery_word(value)
