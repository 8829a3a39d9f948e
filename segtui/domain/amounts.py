"""Reading the amounts users type, in the number format of the interface language.

German writes 1.234,50 and English 1,234.50. The TUI forms and the command line
read typed amounts with ``parse_amount``. Both languages also take the plain form
1234.50 that scripts and numeric keypads write, so a script's ``--unit-cost 2.50``
works under a German locale too. CSV files and saved data keep the point as the
decimal separator and are read with ``Decimal``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from segtui.domain.dates import german_dates
from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

# An optional minus, then digits and separators. Babel's parser alone would also
# take exponents such as 1e3.
AMOUNT_CHARACTERS = re.compile(r"-?[0-9.,]+")
# Digits, a point and one or two digits. German groups thousands in threes, so a
# German 1.20 or 1234.50 can only mean a decimal point.
PLAIN_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]{1,2}")


def amount_locale() -> str:
    """Return the Babel locale whose separators typed and shown amounts use."""
    return "de" if german_dates() else "en"


def read_amount(text: str) -> Decimal | None:
    """Return the amount written in ``text``, or None when it is not a number.

    German takes 1.234,50 and 1234,50, English 1,234.50 and 1234.50, and both
    take the plain form 1234.50. Thousands separators are optional but must
    separate groups of three digits, so a German 12.34,5 or an English 1,20 is
    rejected, not read as 1234.5 or 120, and a German 1.234 is 1234.
    """
    # Babel loads its locale data on first use, which most commands do without.
    from babel.numbers import NumberFormatError, parse_decimal

    text = text.strip()
    if not AMOUNT_CHARACTERS.fullmatch(text):
        return None
    if PLAIN_DECIMAL.fullmatch(text):
        return Decimal(text)
    try:
        number = parse_decimal(text, locale=amount_locale(), strict=True)
    except NumberFormatError:
        return None
    return number if number.is_finite() else None


def invalid_amount_message(field: str, text: object) -> str:
    """Return the error for a value of ``field`` that is not an amount."""
    from babel.numbers import format_decimal

    example = format_decimal(Decimal("1.20"), "#,##0.00", locale=amount_locale())
    if isinstance(text, str) and not text.strip():
        return _("{field} is empty; enter a number such as {example}.").format(
            field=field, example=example
        )
    return _(
        "{field} {value!r} is not a number; enter an amount such as {example}."
    ).format(field=field, value=text, example=example)


def parse_amount(field: str, text: str) -> Decimal:
    """Return the amount typed into ``field``.

    Raises InvalidValueError naming the field and the value, with an example in
    the interface language.
    """
    number = read_amount(text)
    if number is None:
        raise InvalidValueError(invalid_amount_message(field, text))
    return number
