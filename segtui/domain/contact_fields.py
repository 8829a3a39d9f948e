"""The fields of a contact by their CSV column names, and how typed values are read.

The contact form, the command line and the CSV import and export all name a
contact's fields as the columns of ``contacts.csv`` (``language_code``,
``company_no``, ...), and all read a typed value with ``parse_value``, so a value
that one accepts the others accept too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from peewee import CharField

from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import FALSE_WORDS, TRUE_WORDS
from segtui.domain.text import clean_line
from segtui.i18n import _, format_count
from segtui.models import (
    Contact,
    ContactType,
    CorrespondenceType,
    Language,
    Salesperson,
    Salutation,
    Territory,
)

# Columns stored as text, in the order of contacts.csv.
TEXT_COLUMNS = (
    "name",
    "first_name",
    "middle_name",
    "surname",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_code",
    "phone",
    "mobile_phone",
    "email",
    "job_title",
)

# Columns that name a setup record, with the model field and the code table.
CODE_COLUMNS: dict[str, tuple[str, Any]] = {
    "language_code": ("language", Language),
    "salutation_code": ("salutation", Salutation),
    "salesperson_code": ("salesperson", Salesperson),
    "territory_code": ("territory", Territory),
}

BOOLEAN_COLUMNS = ("exclude_from_segment", "privacy_blocked")

# The maximum number of characters of a value that a message quotes. A longer value
# is cut, so that a long cell does not fill the import dialog and hide the problems
# after it.
QUOTED_VALUE_MAX = 40

# Every contact column in the order of contacts.csv.
CONTACT_COLUMNS = (
    "no",
    "type",
    "name",
    "first_name",
    "middle_name",
    "surname",
    "company_no",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_code",
    "phone",
    "mobile_phone",
    "email",
    "language_code",
    "salutation_code",
    "salesperson_code",
    "territory_code",
    "correspondence_type",
    "job_title",
    "exclude_from_segment",
    "privacy_blocked",
)

# A person's fields that it takes from its company. A person's value follows its
# company's while the two are equal: when the person moves to another company, and
# when the company's value changes.
INHERITED_COLUMNS = (
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_code",
    "phone",
    "language_code",
    "salesperson_code",
    "territory_code",
)

# One address, one "@", and a domain with a dot; no spaces or control characters.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")

CORRESPONDENCE_WORDS = {
    CorrespondenceType.BLANK: ("", "blank", "none"),
    CorrespondenceType.HARD_COPY: (
        "hard_copy",
        "hard copy",
        "letter",
        "brief",
        "papier",
    ),
    CorrespondenceType.EMAIL: ("email", "e-mail", "e_mail", "mail"),
}

TYPE_WORDS = {
    ContactType.COMPANY: ("company", "firma", "unternehmen"),
    ContactType.PERSON: ("person",),
}


def model_field(column: str) -> str:
    """Return the Contact field name of a column: ``language_code`` is ``language``."""
    if column in CODE_COLUMNS:
        return CODE_COLUMNS[column][0]
    if column == "company_no":
        return "company"
    return column


@cache
def max_length(column: str) -> int | None:
    field = getattr(Contact, model_field(column))
    return field.max_length if isinstance(field, CharField) else None


def column_value(contact: Contact, column: str) -> Any:
    """Return a contact's value of a column, a code as text and blank as ""."""
    if column in CODE_COLUMNS or column == "company_no":
        field = getattr(Contact, model_field(column))
        return contact.__data__.get(field.name) or ""
    if column in BOOLEAN_COLUMNS:
        return bool(getattr(contact, column))
    return getattr(contact, column) or ""


def parse_value(column: str, raw: Any, codes: Mapping[str, set[str]]) -> Any:
    """Read a typed or imported value of a column and return it as stored.

    Text is cleaned to one NFC line; codes and numbers are upper-cased. ``codes``
    holds the existing codes of each code column, as ``known_codes`` returns them.
    Raises InvalidValueError with a message that names the value and the fix; the
    caller adds the field or column. A company number is only upper-cased here,
    because whether it exists depends on the other contacts.
    """
    if isinstance(raw, bool) and column in BOOLEAN_COLUMNS:
        return raw
    text = clean_line(raw)
    # A word for a stored code (Unternehmen for company) may be longer than the code.
    if column == "type":
        return _pick_word(text, TYPE_WORDS, _("Use company or person."))
    if column == "correspondence_type":
        return _pick_word(
            text, CORRESPONDENCE_WORDS, _("Use hard_copy, email or leave it blank.")
        )
    if column in BOOLEAN_COLUMNS:
        return parse_boolean(text)
    # Any value that is not a known country code gets the country code message,
    # also one too long for the column, such as Deutschland.
    if column == "country_code":
        code = text.upper()
        if code and code not in codes.get(column, set()):
            raise InvalidValueError(
                _(
                    "unknown country code {value}; use a two-letter ISO 3166 code "
                    "such as DE, AT or CH, or leave it blank."
                ).format(value=quote_value(text))
            )
        return code
    limit = max_length(column)
    if limit is not None and len(text) > limit:
        raise InvalidValueError(
            _("{value} is longer than {limit} characters; shorten it.").format(
                value=quote_value(text), limit=format_count(limit)
            )
        )
    if column in ("no", "company_no"):
        return text.upper()
    if column == "email":
        if text and not EMAIL_PATTERN.match(text):
            raise InvalidValueError(
                _(
                    "invalid email address {value}; write it as name@example.com "
                    "or leave it blank."
                ).format(value=quote_value(text))
            )
        return text
    if column in CODE_COLUMNS:
        code = text.upper()
        if code and code not in codes.get(column, set()):
            listing = ", ".join(sorted(codes.get(column, set()))[:20]) or _("none")
            raise InvalidValueError(
                _("unknown {what} {value}; the codes are: {codes}.").format(
                    what=code_label(column), value=quote_value(code), codes=listing
                )
            )
        return code
    return text


def quote_value(value: str) -> str:
    """Quote a value for a message, cut to QUOTED_VALUE_MAX characters.

    A cut value ends with "~", as cut values do on screen, and is followed by its
    full length: 'MMMM~' (5,000 characters).
    """
    if len(value) <= QUOTED_VALUE_MAX:
        return repr(value)
    cut = repr(value[: QUOTED_VALUE_MAX - 1] + "~")
    return _("{value} ({count} characters)").format(
        value=cut, count=format_count(len(value))
    )


def parse_boolean(text: str) -> bool:
    word = text.strip().casefold()
    if word in TRUE_WORDS or word == "x":
        return True
    if word in FALSE_WORDS or word == "":
        return False
    raise InvalidValueError(
        _("{value} is not yes or no; use yes or no.").format(value=quote_value(text))
    )


def _pick_word(text: str, words: Mapping[str, tuple[str, ...]], hint: str) -> str:
    wanted = text.casefold()
    for stored, accepted in words.items():
        if wanted == stored or wanted in accepted:
            return stored
    raise InvalidValueError(
        _("{value} is not a valid value. {hint}").format(
            value=quote_value(text), hint=hint
        )
    )


def code_label(column: str) -> str:
    labels = {
        "language_code": _("language"),
        "salutation_code": _("salutation"),
        "salesperson_code": _("salesperson"),
        "territory_code": _("territory"),
    }
    return labels.get(column, column)


def known_codes() -> dict[str, set[str]]:
    """Return the valid codes of every code column and of ``country_code``.

    The setup tables take one small query each.
    """
    codes: dict[str, set[str]] = {}
    for column, (_field, model) in CODE_COLUMNS.items():
        key = model._meta.primary_key
        codes[column] = {row[0] for row in model.select(key).tuples()}
    codes["country_code"] = set(country_codes())
    return codes


# CLDR territory codes that name a group of countries, a pseudo-locale or no place.
NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def country_codes() -> frozenset[str]:
    """Return the country codes a contact may have: ISO 3166 alpha-2, as CLDR lists.

    The list is the territories of Babel's CLDR data, the same that names the
    country on a letter, so every accepted code prints with a name.
    """
    from babel import Locale

    return frozenset(
        code
        for code in Locale.parse("en").territories
        if isinstance(code, str)
        and len(code) == 2
        and code.isalpha()
        and code not in NOT_COUNTRIES
    )


def composed_name(first_name: str, middle_name: str, surname: str) -> str:
    """Return a person's name from its parts, as Business Central builds it."""
    return " ".join(part for part in (first_name, middle_name, surname) if part)


def column_label(column: str) -> str:
    """Return a column's name as the contact form shows it."""
    labels = {
        "no": _("No."),
        "type": _("Type"),
        "name": _("Name"),
        "first_name": _("First name"),
        "middle_name": _("Middle name"),
        "surname": _("Surname"),
        "company_no": _("Company No."),
        "address": _("Address"),
        "address_2": _("Address 2"),
        "post_code": _("Post code"),
        "city": _("City"),
        "county": _("County"),
        "country_code": _("Country"),
        "phone": _("Phone"),
        "mobile_phone": _("Mobile phone"),
        "email": _("Email"),
        "language_code": _("Language"),
        "salutation_code": _("Salutation"),
        "salesperson_code": _("Salesperson"),
        "territory_code": _("Territory"),
        "correspondence_type": _("Correspondence type"),
        "job_title": _("Job title"),
        "exclude_from_segment": _("Exclude from segment"),
        "privacy_blocked": _("Privacy blocked"),
    }
    return labels.get(column, column)
