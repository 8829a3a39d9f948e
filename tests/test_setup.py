"""Setup tables: salespeople, languages, salutations, interaction groups, SMTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from segtui.domain.email_delivery import (
    effective_smtp_values,
    save_smtp_settings,
    smtp_settings,
)
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.setup_tables import (
    delete_record,
    get_record,
    list_records,
    salutation_formulas,
    save_record,
    set_salutation_formula,
    set_salutation_formulas,
)
from segtui.domain.users import PermissionDeniedError
from segtui.models import (
    InteractionGroup,
    Language,
    Role,
    Salesperson,
    Salutation,
    SalutationFormula,
    Setting,
    UserSetup,
)
from tests.conftest import TEST_USER
from tests.test_templates import cli_url, run_cli  # noqa: F401 - the fixture

# Salespeople, languages, salutations and groups.


def test_salesperson_created(world) -> None:
    saved = save_record(
        "salesperson",
        "jd",
        {"name": "  Jo Doe ", "email": "jo@example.com", "phone": "+1 5"},
        user=TEST_USER,
        create=True,
    )
    assert saved["code"] == "JD"
    row = Salesperson.get_by_id("JD")
    assert row.name == "Jo Doe"
    assert row.email == "jo@example.com"
    assert get_record("salesperson", "jd")["phone"] == "+1 5"


def test_salesperson_needs_name(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_record("salesperson", "JD", {"email": "a@b.de"}, user=TEST_USER)
    assert "Name" in caught.value.message
    assert Salesperson.get_or_none(Salesperson.code == "JD") is None


def test_salesperson_invalid_email(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_record("salesperson", "AH", {"email": "annette at home"}, user=TEST_USER)
    assert "'annette at home'" in caught.value.message
    assert Salesperson.get_by_id("AH").email == "ah@example.com"


def test_code_with_space_rejected(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_record("interaction-group", "A B", {}, user=TEST_USER)
    assert "'A B'" in caught.value.message


def test_code_too_long(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_record("salutation", "X" * 11, {}, user=TEST_USER)
    assert "maximum is 10" in caught.value.message


def test_change_missing_record(world) -> None:
    with pytest.raises(NotFoundError) as caught:
        save_record("salesperson", "ZZ", {"name": "x"}, user=TEST_USER, create=False)
    assert "'ZZ' does not exist" in caught.value.message


def test_unknown_table(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        list_records("territory")
    assert "'territory'" in caught.value.message
    assert "salesperson" in caught.value.message


def test_unknown_field(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_record("language", "DE", {"colour": "red"}, user=TEST_USER)
    assert "'colour'" in caught.value.message
    assert "locale" in caught.value.message


def test_language_locale_checked(world) -> None:
    saved = save_record(
        "language", "NL", {"name": "Nederlands", "locale": "nl-NL"}, user=TEST_USER
    )
    assert saved["locale"] == "nl_NL"
    with pytest.raises(InvalidValueError) as caught:
        save_record("language", "NL", {"locale": "xx_YY"}, user=TEST_USER)
    assert "'xx_YY'" in caught.value.message
    assert Language.get_by_id("NL").locale == "nl_NL"


def test_setup_needs_admin(world) -> None:
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)
    UserSetup.create(user_id="mark", role=Role.MARKETER)
    with pytest.raises(PermissionDeniedError):
        save_record("interaction-group", "NEW", {}, user="mark")
    with pytest.raises(PermissionDeniedError):
        delete_record("interaction-group", "LETTER", user="mark")
    assert InteractionGroup.get_or_none(InteractionGroup.code == "NEW") is None


@pytest.mark.parametrize(
    ("table", "code", "used_by"),
    [
        ("salesperson", "AH", "1 contact (CO1)"),
        ("language", "DE", "contacts (CO1, CO1P1, CO1P2, ...)"),
        ("salutation", "M", "contacts"),
        ("interaction-group", "LETTER", "2 interaction templates (CALL, LETTER)"),
    ],
)
def test_delete_used_record(world, table: str, code: str, used_by: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        delete_record(table, code, user=TEST_USER)
    assert used_by in caught.value.message
    assert "change those first" in caught.value.message
    assert code in [row["code"] for row in list_records(table)]


def test_delete_unused_record(world) -> None:
    save_record("interaction-group", "SPARE", {"description": "x"}, user=TEST_USER)
    delete_record("interaction-group", "spare", user=TEST_USER)
    assert InteractionGroup.get_or_none(InteractionGroup.code == "SPARE") is None


# Salutation formulas.


def test_formula_set_and_removed(world) -> None:
    save_record("salutation", "F", {"description": "Female"}, user=TEST_USER)
    set_salutation_formula(
        "F", "de", "formal", "Sehr geehrte Frau {surname},", user=TEST_USER
    )
    set_salutation_formula("F", "DE", "informal", "Liebe {first_name},", user=TEST_USER)
    assert salutation_formulas("F") == {
        ("DE", "formal"): "Sehr geehrte Frau {surname},",
        ("DE", "informal"): "Liebe {first_name},",
    }
    set_salutation_formula("F", "DE", "informal", "", user=TEST_USER)
    assert salutation_formulas("F") == {
        ("DE", "formal"): "Sehr geehrte Frau {surname},"
    }


def test_formula_unknown_placeholder(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        set_salutation_formula("M", "EN", "formal", "Dear {nachname},", user=TEST_USER)
    assert "{nachname}" in caught.value.message
    assert "{surname}" in caught.value.message
    assert salutation_formulas("M")[("EN", "formal")] == "Dear Mr {surname},"


def test_formulas_all_or_nothing(world) -> None:
    before = list(SalutationFormula.select().dicts())
    with pytest.raises(InvalidValueError):
        set_salutation_formulas(
            "M",
            {("EN", "formal"): "Hello {surname},", ("DE", "formal"): "Hallo {bad},"},
            user=TEST_USER,
        )
    assert list(SalutationFormula.select().dicts()) == before


def test_formula_bad_kind(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        set_salutation_formula("M", "EN", "casual", "Hi,", user=TEST_USER)
    assert "'casual'" in caught.value.message


def test_language_delete_removes_nothing_used(world) -> None:
    save_record(
        "language", "FR", {"name": "Français", "locale": "fr_FR"}, user=TEST_USER
    )
    set_salutation_formula("M", "FR", "formal", "Monsieur {surname},", user=TEST_USER)
    delete_record("language", "FR", user=TEST_USER)
    assert ("FR", "formal") not in salutation_formulas("M")
    assert Salutation.get_by_id("M")


# SMTP settings.


def test_smtp_stored_and_overridden(world, monkeypatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\nsecond line\n")
    save_smtp_settings(
        {
            "host": "mail.example.com",
            "port": "587",
            "security": "STARTTLS",
            "user": "marketing",
            "password_file": str(secret),
        },
        user=TEST_USER,
    )
    settings = smtp_settings()
    assert settings is not None
    assert (settings.host, settings.port, settings.security) == (
        "mail.example.com",
        587,
        "starttls",
    )
    assert settings.password == "s3cret"
    assert "s3cret" not in json.dumps(list(Setting.select().dicts()))

    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PASSWORD_FILE", "")
    monkeypatch.setenv("SEGTUI_SMTP_PASSWORD", "from-env")
    values = effective_smtp_values()
    assert values["host"] == ("127.0.0.1", "environment")
    assert values["user"] == ("marketing", "database")
    assert smtp_settings().host == "127.0.0.1"


def test_smtp_password_never_stored(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_smtp_settings({"host": "x", "password": "secret"}, user=TEST_USER)
    assert "never stores" in caught.value.message
    assert Setting.select().count() == 0


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("port", "70000", "'70000'"), ("security", "ssl", "'ssl'")],
)
def test_smtp_invalid_value(world, name: str, value: str, expected: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_smtp_settings({"host": "mail", name: value}, user=TEST_USER)
    assert expected in caught.value.message
    assert Setting.select().count() == 0


def test_smtp_unreadable_password_file(world, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(InvalidValueError) as caught:
        smtp_settings()
    assert str(tmp_path / "missing") in caught.value.message


# The command line.


def test_cli_setup_set_list_delete(cli_url: str) -> None:  # noqa: F811
    code, out, _err = run_cli(
        cli_url, "setup", "set", "salesperson", "jd", "name=Jo Doe", "job-title=Sales"
    )
    assert (code, out.strip()) == (0, "JD")
    code, out, _err = run_cli(cli_url, "setup", "list", "salesperson", "--json")
    rows = {row["code"]: row for row in json.loads(out)}
    assert rows["JD"]["job_title"] == "Sales"
    code, _out, err = run_cli(cli_url, "setup", "delete", "salesperson", "AH")
    assert code == 1
    assert "used by" in err
    code, _out, _err = run_cli(cli_url, "setup", "delete", "salesperson", "JD")
    assert code == 0


def test_cli_setup_formula(cli_url: str) -> None:  # noqa: F811
    code, _out, _err = run_cli(
        cli_url, "setup", "formula", "M", "DE", "formal", "Guten Tag Herr {surname},"
    )
    assert code == 0
    code, out, _err = run_cli(cli_url, "setup", "list", "salutation", "--json")
    rows = {row["code"]: row for row in json.loads(out)}
    assert rows["M"]["formulas"]["DE formal"] == "Guten Tag Herr {surname},"


def test_cli_setup_smtp(cli_url: str) -> None:  # noqa: F811
    code, out, _err = run_cli(
        cli_url,
        "setup",
        "smtp",
        "--host",
        "mail.example.com",
        "--port",
        "2525",
        "--json",
    )
    assert code == 0
    shown = json.loads(out)
    assert shown["host"] == {"value": "mail.example.com", "source": "database"}
    assert shown["port"]["value"] == "2525"
    code, _out, err = run_cli(cli_url, "setup", "smtp", "--port", "x")
    assert code == 1
    assert "'x'" in err
