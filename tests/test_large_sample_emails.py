"""Email addresses of the generated contacts of ``segtui init --sample --contacts N``."""

from __future__ import annotations

import re

import pytest
from peewee import Database

from segtui.domain.large_sample import load_large_sample
from segtui.models import Contact
from tests.conftest import TEST_USER

# German letters and how an email address spells them.
GERMAN_LETTERS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def spelled(name: str) -> str:
    """Return a name as the local part of an address spells it: Jähn as jaehn."""
    lowered = name.lower()
    for letter, replacement in GERMAN_LETTERS.items():
        lowered = lowered.replace(letter, replacement)
    return re.sub(r"[^a-z0-9]", "", lowered)


@pytest.mark.sqlite_only
def test_person_emails_spell_umlauts(database: Database) -> None:
    load_large_sample(TEST_USER, 400)
    persons = list(
        Contact.select().where((Contact.type == "person") & (Contact.email != ""))
    )
    assert persons
    for person in persons:
        assert person.email.isascii(), person.email

    german_names = [
        person
        for person in persons
        if re.fullmatch(r"[A-Za-zÄÖÜäöüß' -]+", person.first_name + person.surname)
        and not (person.first_name + person.surname).isascii()
    ]
    assert german_names
    for person in german_names:
        local = person.email.split("@")[0].rstrip("0123456789")
        expected = f"{spelled(person.first_name)}.{spelled(person.surname)}"
        assert local == expected, (person.first_name, person.surname, person.email)
