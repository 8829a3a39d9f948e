"""Number series: the next number of a series such as ``SEG00001``."""

from __future__ import annotations

import re

from segtui.db import is_sqlite, write_transaction
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.i18n import _
from segtui.models import NumberSeries

SEGMENT_SERIES = "SEGMENT"
CONTACT_SERIES = "CONTACT"

# Series a new database gets on first use, with their description and first number.
DEFAULT_SERIES = {
    SEGMENT_SERIES: ("Segments", "SEG00001"),
    CONTACT_SERIES: ("Contacts", "CT000001"),
}

_TRAILING_DIGITS = re.compile(r"(\d+)(\D*)$")


def increment(number: str) -> str:
    """Add one to the last run of digits, keeping its width: ``SEG0099`` → ``SEG0100``."""
    match = _TRAILING_DIGITS.search(number)
    if match is None:
        raise InvalidValueError(
            _(
                "Number {number!r} has no digits to count up; give the series a "
                "starting number that ends in digits, such as SEG00001."
            ).format(number=number)
        )
    digits = match.group(1)
    bumped = str(int(digits) + 1).rjust(len(digits), "0")
    return number[: match.start(1)] + bumped + match.group(2)


def next_number(series_code: str) -> str:
    """Take the next number of a series and record it as used.

    The series row stays locked until the caller's write transaction ends, so two
    users never get the same number.
    """
    with write_transaction():
        query = NumberSeries.select().where(NumberSeries.code == series_code)
        if not is_sqlite():
            # SQLite's BEGIN IMMEDIATE already holds the one write lock.
            query = query.for_update()
        series = query.first()
        if series is None and series_code in DEFAULT_SERIES:
            description, starting_no = DEFAULT_SERIES[series_code]
            series = NumberSeries.create(
                code=series_code, description=description, starting_no=starting_no
            )
        if series is None:
            raise NotFoundError(
                _(
                    "Number series {code!r} does not exist; create it with "
                    "`segtui init`."
                ).format(code=series_code)
            )
        number = (
            increment(series.last_no_used)
            if series.last_no_used
            else series.starting_no
        )
        (
            NumberSeries.update(last_no_used=number)
            .where(NumberSeries.code == series_code)
            .execute()
        )
        return number
