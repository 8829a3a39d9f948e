"""Text fields of the generated contacts of ``segtui init --sample --contacts N``."""

from __future__ import annotations

import pytest
from peewee import CharField, Database

from segtui.domain.large_sample import build_pools, load_large_sample, one_line
from segtui.models import Contact
from tests.conftest import TEST_USER

# Characters that end a line for str.splitlines, besides \n and \r.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def has_line_break(text: str | None) -> bool:
    return any(character in (text or "") for character in LINE_BREAKS)


def test_pools_hold_single_lines() -> None:
    # en_GB writes some street addresses on two lines, such as "Studio 51o\n...".
    for country, pools in build_pools(seed=1).items():
        texts = [
            *(name for name, _gender in pools.first_names),
            *pools.surnames,
            *(part for place in pools.places for part in place),
            *pools.streets,
            *pools.companies,
        ]
        broken = [text for text in texts if has_line_break(text)]
        assert broken == [], country


def test_one_line_joins_with_comma() -> None:
    assert one_line("Studio 51o\nYvonne Landing") == "Studio 51o, Yvonne Landing"
    assert one_line("Flat 2\r\n\r\n 3 High Street ") == "Flat 2, 3 High Street"
    assert one_line("Hauptstraße 5") == "Hauptstraße 5"


@pytest.mark.sqlite_only
def test_contact_addresses_single_line(database: Database) -> None:
    load_large_sample(TEST_USER, 400)
    # Every one-line field of a contact, such as name, address, city and job title.
    fields = [
        field.name
        for field in Contact._meta.sorted_fields
        if isinstance(field, CharField)
    ]
    assert "address" in fields
    for contact in Contact.select():
        for name in fields:
            value = getattr(contact, name)
            assert not has_line_break(value), (contact.no, name, value)
