"""The shipped sample data: its contents, its generator and its Word templates."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from peewee import Database

from segtui.domain.documents import (
    document_text,
    inspect_template,
    leftover_field_codes,
    render_letter,
)
from segtui.domain.errors import InvalidValueError
from segtui.domain.sample_data import (
    CSV_COLUMNS,
    SAMPLE_DATA_PACKAGE,
    load_sample_data,
    write_sample_files,
)
from segtui.models import (
    Attachment,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    InteractionTemplate,
    InteractionTemplateLanguage,
    Language,
    NumberSeries,
    Salesperson,
    SalutationFormula,
)
from tests.backends import fresh_database

USER = "sample-loader"
LETTER_FILES = ("letter_en.docx", "letter_de.docx", "email_en.docx", "email_de.docx")


@pytest.fixture
def loaded_database(tmp_path: Path) -> Iterator[Database]:
    """A new SQLite file with the shipped sample data loaded."""
    database = fresh_database(tmp_path)
    load_sample_data(USER)
    yield database
    database.close()


def shipped_folder() -> Any:
    return files(SAMPLE_DATA_PACKAGE)


def contact_by_name(name: str) -> Contact:
    return Contact.get(Contact.name == name)


def persons() -> list[Contact]:
    return list(Contact.select().where(Contact.type == "person"))


def companies() -> list[Contact]:
    return list(Contact.select().where(Contact.type == "company"))


# Contacts.


def test_contact_count(loaded_database: Database) -> None:
    assert Contact.select().count() == 2000


def test_contact_numbers(loaded_database: Database) -> None:
    numbers = sorted(contact.no for contact in Contact.select(Contact.no))
    assert numbers[0] == "CT000001"
    assert numbers[-1] == "CT002000"


def test_all_six_countries(loaded_database: Database) -> None:
    counts = Counter(contact.country_code for contact in Contact.select())
    for country in ("DE", "AT", "CH", "NL", "GB", "US"):
        assert counts[country] >= 100, f"{country}: {counts[country]} contacts"


def test_companies_and_persons(loaded_database: Database) -> None:
    company_persons = [person for person in persons() if person.company_no]
    independent = [person for person in persons() if person.company_no is None]
    assert len(companies()) > 100
    assert len(company_persons) > 1000
    # About 15% independent persons.
    assert 200 <= len(independent) <= 400


def test_company_is_its_own_company(loaded_database: Database) -> None:
    for company in companies():
        assert company.company_no == company.no


def test_company_sizes(loaded_database: Database) -> None:
    sizes = Counter(person.company_no for person in persons() if person.company_no)
    assert min(sizes.values()) >= 1
    assert max(sizes.values()) <= 8
    assert set(sizes) == {company.no for company in companies()}


def test_non_ascii_names(loaded_database: Database) -> None:
    names = [contact.name for contact in Contact.select()]
    non_ascii = [name for name in names if not name.isascii()]
    assert len(non_ascii) >= 200
    for letter in ("ä", "ö", "ü", "ß", "é", "ø"):
        assert any(letter in name for name in names), letter


def test_fixed_persons(loaded_database: Database) -> None:
    juergen = contact_by_name("Jürgen Müller-Lüdenscheid")
    zoe = contact_by_name("Zoë Müller")
    francois = contact_by_name("François Lefèvre")

    assert juergen.type == "person"
    assert juergen.company.type == "company"
    assert juergen.country_code == "DE"
    assert juergen.surname == "Müller-Lüdenscheid"
    assert juergen.salutation_code == "M"

    assert zoe.type == "person"
    assert zoe.company_no is None
    assert zoe.country_code == "DE"
    assert zoe.salutation_code == "F"

    assert francois.company.type == "company"
    assert francois.country_code == "CH"

    # Among the first contacts, so demos and screenshots find them at once.
    for person in (juergen, zoe, francois):
        assert person.no <= "CT000020"
        assert person.email
        assert not person.privacy_blocked
        assert not person.exclude_from_segment


def test_missing_emails_and_flags(loaded_database: Database) -> None:
    people = persons()
    without_email = [person for person in people if not person.email]
    companies_without_email = [company for company in companies() if not company.email]
    excluded = Contact.select().where(Contact.exclude_from_segment).count()
    blocked = Contact.select().where(Contact.privacy_blocked).count()

    # About 10% of the persons have no email address.
    assert 0.07 * len(people) <= len(without_email) <= 0.13 * len(people)
    assert companies_without_email
    assert excluded == 60
    assert blocked == 20


def test_correspondence_types(loaded_database: Database) -> None:
    contacts = list(Contact.select())
    types = Counter(contact.correspondence_type for contact in contacts)
    email_without_address = [
        contact.no
        for contact in contacts
        if contact.correspondence_type == "email" and not contact.email
    ]
    assert set(types) == {"", "hard_copy", "email"}
    assert email_without_address == []


def test_languages_follow_country(loaded_database: Database) -> None:
    expected = {"DE": "DE", "AT": "DE", "CH": "DE", "GB": "EN", "US": "EN", "NL": "NL"}
    for contact in Contact.select():
        assert contact.language_code == expected[contact.country_code], contact.no


def test_company_persons_copy_address(loaded_database: Database) -> None:
    companies_by_no = {company.no: company for company in companies()}
    for person in persons():
        if person.company_no is None:
            continue
        company = companies_by_no[person.company_no]
        assert person.city == company.city, person.no
        assert person.address == company.address, person.no
        assert person.post_code == company.post_code, person.no
        assert person.country_code == company.country_code, person.no
        assert person.phone == company.phone, person.no
        assert person.salesperson_code == company.salesperson_code, person.no


def test_company_persons_own_emails(loaded_database: Database) -> None:
    emails = [contact.email for contact in Contact.select() if contact.email]
    assert len(emails) == len(set(emails))


def test_territories(loaded_database: Database) -> None:
    counts = Counter(contact.territory_code for contact in Contact.select())
    assert {"NORTH", "SOUTH", "EAST", "WEST", "INTL"} <= set(counts)
    # About 10% without a territory.
    assert 120 <= counts[None] <= 300


def test_salutation_codes(loaded_database: Database) -> None:
    for company in companies():
        assert company.salutation_code == "COMPANY", company.no
    codes = Counter(person.salutation_code for person in persons())
    assert set(codes) == {"M", "F", "U"}


def test_created_by_and_at(loaded_database: Database) -> None:
    missing = Contact.select().where(
        (Contact.created_by != USER) | Contact.created_at.is_null()
    )
    assert missing.count() == 0


# Classifications.


def test_classifications_present(loaded_database: Database) -> None:
    mailing = {link.mailing_group_code for link in ContactMailingGroup.select()}
    industry = {link.industry_group_code for link in ContactIndustryGroup.select()}
    relations = {
        link.business_relation_code for link in ContactBusinessRelation.select()
    }
    jobs = {link.job_responsibility_code for link in ContactJobResponsibility.select()}

    assert mailing == {"NEWS", "XMAS", "EVENT", "VIP", "PRESS"}
    assert industry == {
        "RETAIL",
        "WHOLESALE",
        "MANUFACT",
        "IT",
        "FINANCE",
        "HEALTH",
        "FOOD",
        "LOGISTICS",
    }
    assert relations == {"CUST", "PROSPECT", "VEND", "PARTNER", "PRESS"}
    assert jobs == {"MGMT", "PURCH", "SALES", "IT", "MARKETING", "FINANCE"}


def test_classifications_by_contact_type(loaded_database: Database) -> None:
    company_numbers = {company.no for company in companies()}
    company_person_numbers = {
        person.no for person in persons() if person.company_no is not None
    }
    industry_owners = {link.contact_no for link in ContactIndustryGroup.select()}
    relation_owners = {link.contact_no for link in ContactBusinessRelation.select()}
    job_owners = {link.contact_no for link in ContactJobResponsibility.select()}

    assert industry_owners <= company_numbers
    assert relation_owners <= company_numbers
    assert job_owners <= company_person_numbers


def test_classification_counts(loaded_database: Database) -> None:
    mailing = Counter(link.contact_no for link in ContactMailingGroup.select())
    industry = Counter(link.contact_no for link in ContactIndustryGroup.select())
    relations = Counter(link.contact_no for link in ContactBusinessRelation.select())
    jobs = Counter(link.contact_no for link in ContactJobResponsibility.select())
    company_count = len(companies())

    assert max(mailing.values()) <= 3
    assert max(industry.values()) <= 2
    assert max(jobs.values()) <= 2
    assert min(relations.values()) >= 1
    assert max(relations.values()) <= 2
    assert len(relations) == company_count
    # Some companies have no industry group and some persons no mailing group.
    assert 0 < company_count - len(industry) < company_count // 4
    assert any(person.no not in mailing for person in persons())


# Setup.


def test_languages(loaded_database: Database) -> None:
    languages = {language.code: language for language in Language.select()}
    assert set(languages) == {"EN", "DE", "NL"}
    assert languages["EN"].locale == "en_GB"
    assert languages["DE"].locale == "de_DE"
    assert languages["NL"].locale == "nl_NL"


def test_five_salespeople(loaded_database: Database) -> None:
    salespeople = list(Salesperson.select())
    assert len(salespeople) == 5
    assert any(not salesperson.name.isascii() for salesperson in salespeople)
    for salesperson in salespeople:
        assert salesperson.job_title, salesperson.code
        assert salesperson.phone, salesperson.code
        assert salesperson.email.endswith(("@example.com", "@example.de"))
    used = {contact.salesperson_code for contact in Contact.select()}
    assert used == {salesperson.code for salesperson in salespeople}


def test_salutation_formulas(loaded_database: Database) -> None:
    formulas = {
        (formula.salutation_code, formula.language_code, formula.kind): formula.formula
        for formula in SalutationFormula.select()
    }
    for code in ("M", "F", "U", "COMPANY"):
        for language in ("EN", "DE"):
            for kind in ("formal", "informal"):
                assert formulas.get((code, language, kind)), (code, language, kind)
    assert formulas[("M", "EN", "formal")] == "Dear Mr {surname},"
    assert formulas[("M", "DE", "formal")] == "Sehr geehrter Herr {surname},"
    assert formulas[("F", "DE", "informal")] == "Liebe {first_name},"
    assert formulas[("COMPANY", "EN", "formal")] == "Dear Sir or Madam,"
    assert formulas[("COMPANY", "DE", "formal")] == "Sehr geehrte Damen und Herren,"
    assert not [key for key in formulas if key[1] == "NL"]


def test_number_series(loaded_database: Database) -> None:
    series = {row.code: row for row in NumberSeries.select()}
    assert series["SEGMENT"].starting_no == "SEG00001"
    assert series["SEGMENT"].last_no_used == ""
    assert series["CONTACT"].starting_no == "CT000001"
    assert series["CONTACT"].last_no_used == "CT002000"


# Interaction templates.


def test_letter_template(loaded_database: Database) -> None:
    template = InteractionTemplate.get_by_id("LETTER")
    assert template.interaction_group_code == "LETTER"
    assert template.description == "Product catalogue letter"
    assert template.correspondence_type == "hard_copy"
    assert template.ignore_contact_corresp_type is False
    assert template.unit_cost == Decimal("1.20")
    assert template.unit_duration == Decimal("5")
    assert template.information_flow == "outbound"
    assert template.initiated_by == "us"
    assert template.language_code_default == "EN"


def test_email_and_call_templates(loaded_database: Database) -> None:
    email = InteractionTemplate.get_by_id("EMAIL")
    call = InteractionTemplate.get_by_id("CALL")

    assert email.interaction_group_code == "EMAIL"
    assert email.correspondence_type == "email"
    assert email.ignore_contact_corresp_type is True
    assert email.unit_cost == Decimal("0.05")
    assert email.unit_duration == Decimal("1")
    assert email.language_code_default == "EN"

    assert call.interaction_group_code == "PHONE"
    assert call.correspondence_type == ""
    assert call.ignore_contact_corresp_type is True
    assert call.unit_cost == Decimal("4.50")
    assert call.unit_duration == Decimal("15")
    assert call.language_code_default == "EN"
    assert call.languages.count() == 0


def test_template_attachments(loaded_database: Database) -> None:
    expected = {
        ("LETTER", "EN"): "letter_en.docx",
        ("LETTER", "DE"): "letter_de.docx",
        ("EMAIL", "EN"): "email_en.docx",
        ("EMAIL", "DE"): "email_de.docx",
    }
    rows = {
        (row.interaction_template_code, row.language_code): row
        for row in InteractionTemplateLanguage.select()
    }
    assert set(rows) == set(expected)
    letters = shipped_folder().joinpath("letters")
    for key, file_name in expected.items():
        attachment = rows[key].attachment
        assert rows[key].subject, key
        assert attachment.file_name == file_name
        assert bytes(attachment.content) == letters.joinpath(file_name).read_bytes()
        assert attachment.created_by == USER
        assert attachment.created_at is not None
    assert rows[("LETTER", "DE")].subject == "Unser neuer Produktkatalog"
    assert Attachment.select().count() == 4


# Loading.


def test_load_uses_bulk_inserts(tmp_path: Path) -> None:
    database = fresh_database(tmp_path)
    statements: list[str] = []
    execute_sql = database.execute_sql
    cursor = database.cursor

    class CountingCursor:
        """A cursor that records each statement sent with executemany once."""

        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def executemany(self, sql: str, parameters: Any) -> Any:
            statements.append(sql)
            return self.inner.executemany(sql, parameters)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    def counting_execute_sql(sql: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(sql)
        return execute_sql(sql, *args, **kwargs)

    database.execute_sql = counting_execute_sql
    database.cursor = lambda *args, **kwargs: CountingCursor(cursor(*args, **kwargs))
    try:
        load_sample_data(USER)
    finally:
        del database.execute_sql
        del database.cursor
        database.close()
    inserts = [sql for sql in statements if sql.lstrip().upper().startswith("INSERT")]
    contact_inserts = [sql for sql in inserts if 'INTO "contact"' in sql]
    # 2,000 contacts in a few batches rather than a statement per contact, and about
    # 4,500 classification links likewise.
    assert 1 <= len(contact_inserts) <= 4
    assert len(inserts) < 60


def test_load_rejects_database_with_contacts(loaded_database: Database) -> None:
    with pytest.raises(InvalidValueError, match="already contains contacts"):
        load_sample_data(USER)
    assert Contact.select().count() == 2000
    assert Attachment.select().count() == 4


def test_load_from_folder(tmp_path: Path) -> None:
    folder = tmp_path / "generated"
    write_sample_files(folder, contacts=50, seed=7)
    database = fresh_database(tmp_path)
    try:
        load_sample_data(USER, folder)
        contact_count = Contact.select().count()
        last_no_used = NumberSeries.get_by_id("CONTACT").last_no_used
    finally:
        database.close()
    assert contact_count == 50
    assert last_no_used == "CT000050"


def test_load_keeps_existing_setup(tmp_path: Path) -> None:
    database = fresh_database(tmp_path)
    try:
        Language.create(code="EN", name="Englisch", locale="en_US")
        NumberSeries.create(
            code="SEGMENT", starting_no="SEG00001", last_no_used="SEG00007"
        )
        NumberSeries.create(code="CONTACT", starting_no="CT000001", last_no_used="")
        load_sample_data(USER)
        english = Language.get_by_id("EN")
        segment_series = NumberSeries.get_by_id("SEGMENT")
        contact_series = NumberSeries.get_by_id("CONTACT")
        contact_count = Contact.select().count()
    finally:
        database.close()
    assert english.name == "Englisch"
    assert english.locale == "en_US"
    assert segment_series.last_no_used == "SEG00007"
    assert contact_series.last_no_used == "CT002000"
    assert contact_count == 2000


@pytest.mark.parametrize(
    ("line", "column", "value", "message"),
    [
        (
            2,
            "exclude_from_segment",
            "maybe",
            "line 2, column exclude_from_segment: 'maybe' is not yes or no",
        ),
        (2, "type", "robot", "line 2, column type: 'robot' is not a valid value"),
        (
            2,
            "correspondence_type",
            "fax",
            "line 2, column correspondence_type: 'fax' is not a valid value",
        ),
        (
            3,
            "territory_code",
            "MOON",
            "line 3, column territory_code: unknown territory 'MOON'",
        ),
        (
            3,
            "company_no",
            "CT999999",
            "line 3, column company_no: company 'CT999999' does not exist",
        ),
        (
            3,
            "mailing_groups",
            "NEWS;MOON",
            "line 3, column mailing_groups: unknown mailing group 'MOON'",
        ),
    ],
)
def test_load_rejects_invalid_contact(
    tmp_path: Path, line: int, column: str, value: str, message: str
) -> None:
    folder = tmp_path / "broken"
    write_sample_files(folder, contacts=20, seed=1)
    contacts_file = folder / "contacts.csv"
    with contacts_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[line - 2][column] = value
    with contacts_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS["contacts.csv"])
        writer.writeheader()
        writer.writerows(rows)

    database = fresh_database(tmp_path)
    try:
        with pytest.raises(
            InvalidValueError, match="^contacts.csv has 1 problem"
        ) as caught:
            load_sample_data(USER, folder)
        assert message in str(caught.value)
        contact_count = Contact.select().count()
        language_count = Language.select().count()
    finally:
        database.close()
    # The whole load is one transaction, so the setup rows are rolled back too.
    assert contact_count == 0
    assert language_count == 0


# Generator.


def test_regenerated_csv_files_identical(tmp_path: Path) -> None:
    write_sample_files(tmp_path)
    shipped = shipped_folder()
    for file_name in CSV_COLUMNS:
        regenerated = (tmp_path / file_name).read_bytes()
        assert regenerated == shipped.joinpath(file_name).read_bytes(), file_name


def test_regenerated_letters_identical(tmp_path: Path) -> None:
    write_sample_files(tmp_path)
    letters = shipped_folder().joinpath("letters")
    for file_name in LETTER_FILES:
        regenerated = zipfile.ZipFile(tmp_path / "letters" / file_name)
        shipped = zipfile.ZipFile(io.BytesIO(letters.joinpath(file_name).read_bytes()))
        # Compare the parts, not the zip bytes, which depend on the zlib version.
        assert regenerated.namelist() == shipped.namelist(), file_name
        for part in shipped.namelist():
            assert regenerated.read(part) == shipped.read(part), (file_name, part)


def test_different_seed_differs(tmp_path: Path) -> None:
    write_sample_files(tmp_path / "a", contacts=100, seed=1)
    write_sample_files(tmp_path / "b", contacts=100, seed=2)
    first = (tmp_path / "a" / "contacts.csv").read_text(encoding="utf-8")
    second = (tmp_path / "b" / "contacts.csv").read_text(encoding="utf-8")
    assert first != second
    assert first.count("\n") == second.count("\n") == 101


def test_too_few_contacts_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 20"):
        write_sample_files(tmp_path, contacts=5)


# Letter templates.


def letter_values(contact: Contact, language_code: str) -> dict[str, Any]:
    """Build the merge values of one letter to a sample contact."""
    formulas = {
        formula.kind: formula.formula
        for formula in SalutationFormula.select().where(
            (SalutationFormula.salutation == contact.salutation_code)
            & (SalutationFormula.language == language_code)
        )
    }
    salesperson = contact.salesperson
    values: dict[str, Any] = {
        field: getattr(contact, field)
        for field in (
            "name",
            "first_name",
            "middle_name",
            "surname",
            "job_title",
            "address",
            "address_2",
            "post_code",
            "city",
            "county",
            "country_code",
            "phone",
            "mobile_phone",
            "email",
        )
    }
    values.update(
        contact_no=contact.no,
        contact_type=contact.type,
        company_name=contact.company.name if contact.company_no else "",
        formal_salutation_formula=formulas.get("formal", ""),
        informal_salutation_formula=formulas.get("informal", ""),
        salesperson_name=salesperson.name,
        salesperson_job_title=salesperson.job_title,
        salesperson_phone=salesperson.phone,
        salesperson_email=salesperson.email,
        segment_no="SEG00001",
        segment_description="Catalogue mailing",
        subject="Subject line",
        date="2026-12-04",
        personal_note="See you at the trade fair.",
        locale=Language.get_by_id(language_code).locale,
    )
    return values


def test_letter_fields_all_matched() -> None:
    letters = shipped_folder().joinpath("letters")
    for file_name in LETTER_FILES:
        fields = inspect_template(letters.joinpath(file_name).read_bytes())
        unmatched = [field.name for field in fields if field.matched is None]
        matched = {field.matched for field in fields}
        assert unmatched == [], file_name
        assert {
            "date",
            "subject",
            "formal_salutation",
            "personal_note",
            "salesperson_name",
            "salesperson_job_title",
            "salesperson_phone",
            "salesperson_email",
            "segment_no",
            "contact_no",
        } <= matched, file_name
    for file_name in ("letter_en.docx", "letter_de.docx"):
        fields = inspect_template(letters.joinpath(file_name).read_bytes())
        assert "address_block" in {field.matched for field in fields}, file_name


def test_letter_field_names_by_language() -> None:
    letters = shipped_folder().joinpath("letters")
    english = {
        field.name
        for field in inspect_template(letters.joinpath("letter_en.docx").read_bytes())
    }
    german = {
        field.name
        for field in inspect_template(letters.joinpath("letter_de.docx").read_bytes())
    }
    assert {"AddressBlock", "FormalSalutation", "SalespersonName"} <= english
    assert {"Anschriftenblock", "Anrede", "Verkäufer", "Betreff", "Datum"} <= german


def test_letter_field_codes_in_word_shape() -> None:
    letters = shipped_folder().joinpath("letters")
    for file_name in LETTER_FILES:
        with zipfile.ZipFile(
            io.BytesIO(letters.joinpath(file_name).read_bytes())
        ) as docx:
            body = docx.read("word/document.xml").decode("utf-8")
            footer = docx.read("word/footer1.xml").decode("utf-8")
            header = docx.read("word/header1.xml").decode("utf-8")
        assert 'w:fldCharType="begin"' in body, file_name
        assert 'w:fldCharType="separate"' in body, file_name
        assert 'w:fldCharType="end"' in body, file_name
        assert "\\* MERGEFORMAT" in body, file_name
        assert "w:fldSimple" in footer, file_name
        assert "MERGEFIELD" in footer, file_name
        assert "Cronus Marketing GmbH" in header, file_name


def test_letters_merge_completely(loaded_database: Database) -> None:
    juergen = contact_by_name("Jürgen Müller-Lüdenscheid")
    letters = shipped_folder().joinpath("letters")
    for file_name, language_code, greeting in (
        ("letter_en.docx", "EN", "Dear Mr Müller-Lüdenscheid,"),
        ("email_en.docx", "EN", "Dear Mr Müller-Lüdenscheid,"),
        ("letter_de.docx", "DE", "Sehr geehrter Herr Müller-Lüdenscheid,"),
        ("email_de.docx", "DE", "Sehr geehrter Herr Müller-Lüdenscheid,"),
    ):
        values = letter_values(juergen, language_code)
        merged = render_letter(letters.joinpath(file_name).read_bytes(), values)
        text = document_text(merged)
        assert leftover_field_codes(merged) == [], file_name
        assert greeting in text, file_name
        assert values["salesperson_name"] in text, file_name
        assert "See you at the trade fair." in text, file_name
        assert "SEG00001" in text, file_name
        assert juergen.no in text, file_name


def test_letter_merges_company_address(loaded_database: Database) -> None:
    juergen = contact_by_name("Jürgen Müller-Lüdenscheid")
    content = shipped_folder().joinpath("letters").joinpath("letter_de.docx")
    merged = render_letter(content.read_bytes(), letter_values(juergen, "DE"))
    text = document_text(merged)
    assert juergen.company.name in text
    assert f"{juergen.post_code} {juergen.city}" in text


@pytest.mark.slow
def test_letters_convert_to_pdf(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    letters = shipped_folder().joinpath("letters")
    for file_name in LETTER_FILES:
        source = tmp_path / file_name
        source.write_bytes(letters.joinpath(file_name).read_bytes())
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path / "pdf"),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        pdf = tmp_path / "pdf" / source.with_suffix(".pdf").name
        assert result.returncode == 0, result.stderr
        assert pdf.exists(), result.stdout + result.stderr
        assert pdf.read_bytes().startswith(b"%PDF"), file_name
