"""The demo data follows the user interface language of the moment it is created.

Descriptions are German in a sample created under German, and English under English.
Codes, contacts and the template languages' own texts are the same in both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from segtui import i18n
from segtui.domain.large_sample import load_large_sample
from segtui.domain.sample_data import load_sample_data
from segtui.models import (
    BusinessRelation,
    Contact,
    IndustryGroup,
    InteractionGroup,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    JobResponsibility,
    Language,
    MailingGroup,
    NumberSeries,
    ProfileAnswer,
    ProfileQuestion,
    ProfileQuestionnaire,
    Salesperson,
    Salutation,
    Territory,
)
from tests.backends import fresh_database
from tests.conftest import TEST_USER

# (model, code, field, English text, German text) of one description per setup
# table, and every template.
DESCRIPTIONS: list[tuple[Any, str, str, str, str]] = [
    (
        InteractionTemplate,
        "LETTER",
        "description",
        "Product catalogue letter",
        "Produktkatalog Brief",
    ),
    (
        InteractionTemplate,
        "EMAIL",
        "description",
        "Product catalogue email",
        "Produktkatalog E-Mail",
    ),
    (
        InteractionTemplate,
        "CALL",
        "description",
        "Follow-up phone call",
        "Nachfassanruf",
    ),
    (InteractionGroup, "PHONE", "description", "Phone calls", "Anrufe"),
    (Language, "EN", "name", "English", "Englisch"),
    (Language, "NL", "name", "Nederlands", "Niederländisch"),
    (MailingGroup, "XMAS", "description", "Christmas card", "Weihnachtskarte"),
    (IndustryGroup, "RETAIL", "description", "Retail", "Einzelhandel"),
    (BusinessRelation, "CUST", "description", "Customer", "Kunde"),
    (JobResponsibility, "PURCH", "description", "Purchasing", "Einkauf"),
    (Territory, "NORTH", "name", "Northern Germany", "Norddeutschland"),
    (Salutation, "M", "description", "Male person", "Männliche Person"),
    (Salesperson, "JO", "job_title", "Sales Manager", "Vertriebsleitung"),
    (NumberSeries, "SEGMENT", "description", "Segments", "Segmente"),
]

CODES = {
    InteractionTemplate: {"LETTER", "EMAIL", "CALL"},
    InteractionGroup: {"LETTER", "EMAIL", "PHONE"},
    Language: {"EN", "DE", "NL"},
    MailingGroup: {"NEWS", "XMAS", "EVENT", "VIP", "PRESS"},
    BusinessRelation: {"CUST", "PROSPECT", "VEND", "PARTNER", "PRESS"},
}


@pytest.fixture
def interface_language() -> Iterator[Any]:
    """Return i18n.set_language, and restore the environment's language after."""
    yield i18n.set_language
    i18n.set_language(None)


def load_sample_in(language: str, tmp_path: Path, set_language: Any) -> Database:
    set_language(language)
    database = fresh_database(tmp_path)
    load_sample_data(TEST_USER)
    return database


def stored_descriptions() -> dict[tuple[str, str], str]:
    """Return the stored text of each DESCRIPTIONS row by model name and code."""
    return {
        (model.__name__, code): getattr(model.get_by_id(code), field)
        for model, code, field, _english, _german in DESCRIPTIONS
    }


def test_german_sample_descriptions(tmp_path: Path, interface_language: Any) -> None:
    database = load_sample_in("de", tmp_path, interface_language)
    try:
        stored = stored_descriptions()
    finally:
        database.close()
    for model, code, _field, _english, german in DESCRIPTIONS:
        assert stored[model.__name__, code] == german, (model.__name__, code)


def test_english_sample_descriptions(tmp_path: Path, interface_language: Any) -> None:
    database = load_sample_in("en", tmp_path, interface_language)
    try:
        stored = stored_descriptions()
    finally:
        database.close()
    for model, code, _field, english, _german in DESCRIPTIONS:
        assert stored[model.__name__, code] == english, (model.__name__, code)


@pytest.mark.parametrize("language", ["en", "de"])
def test_sample_codes_unchanged(
    tmp_path: Path, interface_language: Any, language: str
) -> None:
    database = load_sample_in(language, tmp_path, interface_language)
    try:
        codes = {
            model: {row.code for row in model.select(model.code)} for model in CODES
        }
        company = Contact.get_by_id("CT000001")
        salesperson = Salesperson.get_by_id("JO")
        german_letter = InteractionTemplateLanguage.get(
            template="LETTER", language="DE"
        )
        english_letter = InteractionTemplateLanguage.get(
            template="LETTER", language="EN"
        )
    finally:
        database.close()
    for model, expected in CODES.items():
        assert codes[model] == expected, model.__name__
    assert company.name == "Sauerland Büromöbel GmbH"
    assert company.city == "Lüdenscheid"
    assert salesperson.name == "Jörg Öztürk"
    assert german_letter.subject == "Unser neuer Produktkatalog"
    assert english_letter.description == "Product catalogue letter"
    assert english_letter.subject == "Our new product catalogue"


@pytest.mark.parametrize(
    ("language", "letter", "call"), [("en", "EN", "EN"), ("de", "DE", "EN")]
)
def test_template_default_language(
    tmp_path: Path, interface_language: Any, language: str, letter: str, call: str
) -> None:
    """A template defaults to its letter in the interface language where it has
    one; CALL has no letters and keeps EN."""
    database = load_sample_in(language, tmp_path, interface_language)
    try:
        defaults = {
            row.code: row.language_code_default for row in InteractionTemplate.select()
        }
    finally:
        database.close()
    assert defaults["LETTER"] == letter
    assert defaults["EMAIL"] == letter
    assert defaults["CALL"] == call


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_init_sample_keeps_language(tmp_path: Path) -> None:
    """`--lang de init --sample` stores German, and a later English run reads the
    same German text."""
    path = tmp_path / "german.sqlite3"
    environment = dict(os.environ, PYTHONIOENCODING="utf-8")
    segtui = [sys.executable, "-m", "segtui", "--db", str(path)]
    subprocess.run(
        [*segtui, "--lang", "de", "init", "--sample"],
        check=True,
        capture_output=True,
        env=environment,
        timeout=120,
    )
    listed = subprocess.run(
        [*segtui, "--lang", "en", "template", "list"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )
    assert "Produktkatalog Brief" in listed.stdout
    assert "Nachfassanruf" in listed.stdout
    assert "Product catalogue" not in listed.stdout


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("language", "questionnaire", "question", "answer", "template"),
    [
        ("en", "Customer interests", "Company size", "Large", "Follow-up phone call"),
        ("de", "Kundeninteressen", "Unternehmensgröße", "Groß", "Nachfassanruf"),
    ],
)
def test_large_sample_language(
    tmp_path: Path,
    interface_language: Any,
    language: str,
    questionnaire: str,
    question: str,
    answer: str,
    template: str,
) -> None:
    """The generated contacts' questionnaire and history follow the language, as
    the setup loaded with them does."""
    interface_language(language)
    database = fresh_database(tmp_path)
    try:
        load_large_sample(TEST_USER, 60)
        stored_questionnaire = ProfileQuestionnaire.get_by_id("INTERESTS")
        stored_question = ProfileQuestion.get(code="SIZE")
        stored_answer = ProfileAnswer.get(code="SIZE-LARGE")
        templates = {row.code: row.description for row in InteractionTemplate.select()}
        entries = list(InteractionLogEntry.select())
    finally:
        database.close()
    assert stored_questionnaire.description == questionnaire
    assert stored_question.description == question
    assert stored_answer.description == answer
    assert templates["CALL"] == template
    assert entries
    for entry in entries:
        assert entry.description == templates[entry.template_code], entry.entry_no
