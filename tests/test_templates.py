"""Interaction templates: setup, Word attachments, merge fields and their mapping.

The real Word files were made in Microsoft Word by other people. Each must list
exactly the merge fields Word shows, and merge into a letter with every field filled.
"""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from segtui.cli import cli
from segtui.db import open_database
from segtui.domain.criteria import AddOptions
from segtui.domain.documents import (
    DocumentError,
    document_text,
    leftover_field_codes,
    merge_text_values,
    part_texts,
)
from segtui.domain.errors import InvalidValueError, NotFoundError, ValidationError
from segtui.domain.logged_segments import entry_letter
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment
from segtui.domain.templates import (
    delete_template,
    export_template_attachment,
    file_fields,
    get_template,
    import_template_attachment,
    list_templates,
    map_template_fields,
    remove_template_language,
    save_template,
    set_template_language,
    template_languages,
)
from segtui.domain.users import PermissionDeniedError, current_user
from segtui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTemplateLanguage,
    Role,
    UserSetup,
)
from tests.backends import fresh_database_url
from tests.builders import build_world, word_file
from tests.conftest import TEST_USER

# Real Word files with merge fields, made by other people (see the folder's
# README for their source and licence).
WORD_TEMPLATES = Path(__file__).resolve().parent / "word_templates"

# The merge fields Word shows for each real file.
REAL_FIELDS = {
    "test_macword2011.docx": [
        "address_line",
        "city",
        "country",
        "date",
        "first_name",
        "last_name",
        "postal_code",
        "state",
    ],
    "test_winword2010.docx": [
        "Achternaam",
        "Adresregel_1",
        "Land_of_regio",
        "Plaats",
        "Postcode",
        "Provincie",
        "Titel",
        "Voornaam",
    ],
    "test_footer.docx": ["footer"],
    "test_spaces.docx": ["Hello world", "More than one space", "Singleword"],
    "test_one_simple_field.docx": ["fieldname"],
    "test_issue8.docx": ["testfield"],
    "test_multiple_elements.docx": ["bar", "foo", "gak"],
    "test_merge_pages.docx": ["fieldname"],
    "test_merge_table_rows.docx": [
        "class_code",
        "class_grade",
        "class_name",
        "student_name",
        "study_name",
        "thesis_grade",
    ],
    "test_empty_field.docx": [],
}

# Merge fields an unmatched field is mapped to, in turn, so each gets a distinct value.
MAPPING_TARGETS = [
    "first_name",
    "surname",
    "address",
    "city",
    "job_title",
    "phone",
    "email",
    "contact_no",
    "mobile_phone",
    "post_code",
    "county",
    "name",
]


def real_file(name: str) -> bytes:
    return (WORD_TEMPLATES / name).read_bytes()


def real_template(name: str) -> str:
    """Create template REAL with ``name`` as its English attachment, all fields mapped."""
    save_template(
        "REAL",
        {"group": "LETTER", "description": name, "correspondence_type": "hard_copy"},
        user=TEST_USER,
        create=True,
    )
    result = import_template_attachment(
        "REAL", "EN", real_file(name), name, user=TEST_USER, subject="Real file"
    )
    mapping = {
        field: MAPPING_TARGETS[index % len(MAPPING_TARGETS)]
        for index, field in enumerate(result.unmatched)
    }
    if mapping:
        map_template_fields("REAL", "EN", mapping, user=TEST_USER)
    return "REAL"


def full_contact() -> str:
    """Create an English contact with a value in every contact field."""
    Contact.create(
        no="FULL1",
        type="person",
        name="Fenna Visser",
        first_name="Fenna",
        middle_name="Maria",
        surname="Visser",
        address="Kerkstraat 7",
        address_2="2nd floor",
        post_code="3511 LX",
        city="Utrecht",
        county="Provincie Utrecht",
        country_code="NL",
        phone="+31 30 555 0101",
        mobile_phone="+31 6 5550 0102",
        email="fenna@example.nl",
        job_title="Buyer",
        language="EN",
        salutation="M",
        correspondence_type="hard_copy",
    )
    return "FULL1"


# Templates as setup records.


def test_template_created_with_fields(world) -> None:
    saved = save_template(
        "mail",
        {
            "group": "letter",
            "description": "Mailing",
            "correspondence_type": "email",
            "ignore_contact_corresp_type": "yes",
            "unit_cost": "2.50",
            "unit_duration": "3",
            "information_flow": "outbound",
            "initiated_by": "us",
            "language": "de",
        },
        user=TEST_USER,
        create=True,
    )
    assert saved["code"] == "MAIL"
    template = InteractionTemplate.get_by_id("MAIL")
    assert template.interaction_group_code == "LETTER"
    assert template.correspondence_type == "email"
    assert template.ignore_contact_corresp_type is True
    assert template.unit_cost == Decimal("2.50")
    assert template.language_code_default == "DE"
    assert get_template("MAIL")["unit_duration"] == Decimal("3.00")


def test_template_needs_group(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_template("MAIL", {"description": "x"}, user=TEST_USER, create=True)
    assert "Group" in caught.value.message
    assert InteractionTemplate.get_or_none(InteractionTemplate.code == "MAIL") is None


def test_template_unknown_group(world) -> None:
    with pytest.raises(NotFoundError) as caught:
        save_template("MAIL", {"group": "NOPE"}, user=TEST_USER, create=True)
    assert "'NOPE'" in caught.value.message
    assert "LETTER" in caught.value.message


def test_template_invalid_choice(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_template("LETTER", {"correspondence_type": "fax"}, user=TEST_USER)
    assert "'fax'" in caught.value.message
    assert "hard_copy" in caught.value.message


def test_template_exists_already(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_template("LETTER", {"group": "LETTER"}, user=TEST_USER, create=True)
    assert "LETTER already exists" in caught.value.message


def test_template_change_needs_admin(world) -> None:
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)
    UserSetup.create(user_id="mark", role=Role.MARKETER)
    with pytest.raises(PermissionDeniedError):
        save_template("LETTER", {"description": "x"}, user="mark")
    assert InteractionTemplate.get_by_id("LETTER").description == "Catalogue letter"


def test_template_list_languages(world) -> None:
    set_template_language("CALL", "DE", subject="Anruf", user=TEST_USER)
    rows = {row.code: row for row in list_templates()}
    assert rows["LETTER"].languages == ["DE", "EN"]
    assert rows["CALL"].languages == []
    assert rows["CALL"].languages_without_attachment == ["DE"]


def test_template_delete_used_by_segment(world) -> None:
    no = create_segment("Uses it", user=TEST_USER, template_code="LETTER").no
    with pytest.raises(InvalidValueError) as caught:
        delete_template("LETTER", user=TEST_USER)
    assert no in caught.value.message
    assert InteractionTemplate.get_or_none(InteractionTemplate.code == "LETTER")


def test_template_delete_keeps_logged_attachment(world, tmp_path: Path) -> None:
    """The German attachment was logged, so it stays; the English one goes."""
    no = create_segment(
        "Once", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER)
    log_segment(no, LogOptions(output_folder=tmp_path / "out"), user=TEST_USER)
    entry = InteractionLogEntry.get()
    german = entry.attachment_id
    english = InteractionTemplateLanguage.get(
        InteractionTemplateLanguage.language == "EN"
    ).attachment_id

    delete_template("LETTER", user=TEST_USER)
    assert InteractionTemplate.get_or_none(InteractionTemplate.code == "LETTER") is None
    assert Attachment.get_or_none(Attachment.id == english) is None
    assert Attachment.get_by_id(german).read_only is True
    assert "Ref. CO1" in document_text(entry_letter(entry.entry_no))


# Importing Word files.


@pytest.mark.parametrize("name", sorted(REAL_FIELDS))
def test_real_file_fields(name: str) -> None:
    assert [field.name for field in file_fields(real_file(name), name)] == sorted(
        REAL_FIELDS[name]
    )


@pytest.mark.parametrize("name", sorted(REAL_FIELDS))
def test_real_file_import_lists_fields(world, name: str) -> None:
    save_template("REAL", {"group": "LETTER"}, user=TEST_USER, create=True)
    result = import_template_attachment(
        "REAL", "EN", real_file(name), name, user=TEST_USER
    )
    assert [field.name for field in result.fields] == sorted(REAL_FIELDS[name])
    assert result.file_name == name
    info = template_languages("REAL")[0]
    assert info.file_name == name
    assert [field.name for field in info.fields] == sorted(REAL_FIELDS[name])


def test_import_matches_english_and_german(world) -> None:
    content = word_file(["Vorname", "last_name", "PLZ", "E-Mail", "Firma"], None)
    result = import_template_attachment(
        "CALL", "DE", content, "brief.docx", user=TEST_USER
    )
    matched = {field.name: field.matched for field in result.fields}
    assert matched == {
        "E-Mail": "email",
        "Firma": "company_name",
        "PLZ": "post_code",
        "Vorname": "first_name",
        "last_name": "surname",
    }
    assert result.unmatched == []


def test_import_lists_unmatched(world) -> None:
    content = word_file(["Surname", "Achternaam", "Plaats"], None)
    result = import_template_attachment(
        "CALL", "EN", content, "nl.docx", user=TEST_USER
    )
    assert result.unmatched == ["Achternaam", "Plaats"]


def test_import_not_word(world) -> None:
    before = Attachment.select().count()
    with pytest.raises(DocumentError) as caught:
        import_template_attachment(
            "LETTER", "EN", b"just text", "notes.txt", user=TEST_USER
        )
    assert "notes.txt is not a Word file" in caught.value.message
    assert Attachment.select().count() == before


def test_import_unknown_language(world) -> None:
    with pytest.raises(NotFoundError) as caught:
        import_template_attachment(
            "LETTER", "XX", word_file(["Name"]), "x.docx", user=TEST_USER
        )
    assert "'XX'" in caught.value.message


def test_import_replaces_unused_attachment(world) -> None:
    old = InteractionTemplateLanguage.get(
        (InteractionTemplateLanguage.template == "LETTER")
        & (InteractionTemplateLanguage.language == "EN")
    ).attachment_id
    import_template_attachment(
        "LETTER", "EN", word_file(["Name"]), "new.docx", user=TEST_USER
    )
    assert Attachment.get_or_none(Attachment.id == old) is None
    assert template_languages("LETTER")[1].file_name == "new.docx"


def test_import_keeps_logged_attachment(world, tmp_path: Path) -> None:
    """A logged attachment stays, read-only, for its entries; new lines get the new."""
    no = create_segment(
        "Once", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "IND2"}}, AddOptions(), user=TEST_USER)
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    entry = InteractionLogEntry.get()
    logged_text = document_text(entry_letter(entry.entry_no))

    import_template_attachment(
        "LETTER", "EN", word_file(["Name"], None), "new.docx", user=TEST_USER
    )
    assert Attachment.get_by_id(entry.attachment_id).read_only is True
    assert template_languages("LETTER")[1].attachment_id != entry.attachment_id
    assert document_text(entry_letter(entry.entry_no)) == logged_text


def test_import_keeps_mappings_of_kept_fields(world) -> None:
    import_template_attachment(
        "CALL",
        "EN",
        word_file(["Achternaam", "Plaats"], None),
        "a.docx",
        user=TEST_USER,
    )
    map_template_fields(
        "CALL", "EN", {"Achternaam": "surname", "Plaats": "city"}, user=TEST_USER
    )
    result = import_template_attachment(
        "CALL", "EN", word_file(["Achternaam", "Land"], None), "b.docx", user=TEST_USER
    )
    assert {field.name: field.matched for field in result.fields} == {
        "Achternaam": "surname",
        "Land": "country",
    }
    row = InteractionTemplateLanguage.get(
        (InteractionTemplateLanguage.template == "CALL")
        & (InteractionTemplateLanguage.language == "EN")
    )
    assert row.field_map == {"Achternaam": "surname"}


def test_export_returns_the_file(world) -> None:
    content = word_file(["Name"], None)
    import_template_attachment("CALL", "EN", content, "call.docx", user=TEST_USER)
    assert export_template_attachment("call", "en") == ("call.docx", content)


def test_export_without_attachment(world) -> None:
    set_template_language("CALL", "EN", subject="Call", user=TEST_USER)
    with pytest.raises(NotFoundError) as caught:
        export_template_attachment("CALL", "EN")
    assert "no Word attachment in language EN" in caught.value.message
    assert "segtui template import CALL EN" in caught.value.message


# Mapping fields.


def test_map_unknown_template_field(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        map_template_fields("LETTER", "EN", {"Nope": "surname"}, user=TEST_USER)
    message = caught.value.message
    assert "'Nope'" in message
    assert "AddressBlock" in message


def test_map_unknown_merge_field(world) -> None:
    import_template_attachment(
        "CALL", "EN", word_file(["Plaats"], None), "nl.docx", user=TEST_USER
    )
    with pytest.raises(InvalidValueError) as caught:
        map_template_fields("CALL", "EN", {"Plaats": "town_hall"}, user=TEST_USER)
    assert "'town_hall'" in caught.value.message
    assert "city" in caught.value.message


def test_map_accepts_german_name(world) -> None:
    import_template_attachment(
        "CALL", "EN", word_file(["Plaats"], None), "nl.docx", user=TEST_USER
    )
    fields = map_template_fields("CALL", "EN", {"plaats": "Ort"}, user=TEST_USER)
    assert [(field.name, field.matched) for field in fields] == [("Plaats", "city")]
    fields = map_template_fields("CALL", "EN", {"Plaats": ""}, user=TEST_USER)
    assert [(field.name, field.matched) for field in fields] == [("Plaats", None)]


def test_unmapped_field_rejects_logging(world, tmp_path: Path) -> None:
    import_template_attachment(
        "LETTER",
        "DE",
        word_file(["Anrede", "Achternaam", "Plaats"], None),
        "nl.docx",
        user=TEST_USER,
    )
    no = create_segment(
        "Mapping", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "CO1P1"}}, AddOptions(), user=TEST_USER)
    with pytest.raises(ValidationError) as caught:
        log_segment(no, LogOptions(output_folder=tmp_path / "a"), user=TEST_USER)
    text = str(caught.value)
    assert "Achternaam, Plaats" in text
    assert "segtui template map" in text
    assert InteractionLogEntry.select().count() == 0

    map_template_fields(
        "LETTER", "DE", {"Achternaam": "surname", "Plaats": "city"}, user=TEST_USER
    )
    log_segment(no, LogOptions(output_folder=tmp_path / "b"), user=TEST_USER)
    entry = InteractionLogEntry.get()
    letter = document_text(Path(entry.document_path).read_bytes()).splitlines()
    assert "Achternaam: Müller" in letter
    assert "Plaats: Berlin" in letter


def test_mapping_change_keeps_logged_letter(world, tmp_path: Path) -> None:
    """A logged entry keeps the field map it was merged with."""
    import_template_attachment(
        "LETTER", "DE", word_file(["Achternaam"], None), "nl.docx", user=TEST_USER
    )
    map_template_fields("LETTER", "DE", {"Achternaam": "surname"}, user=TEST_USER)
    no = create_segment(
        "Kept", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": "CO1P1"}}, AddOptions(), user=TEST_USER)
    log_segment(no, LogOptions(output_folder=tmp_path / "a"), user=TEST_USER)
    map_template_fields("LETTER", "DE", {"Achternaam": "city"}, user=TEST_USER)
    entry = InteractionLogEntry.get()
    assert "Achternaam: Müller" in document_text(entry_letter(entry.entry_no))


def test_remove_language_used_by_lines(world) -> None:
    no = create_segment("Uses DE", user=TEST_USER, template_code="LETTER").no
    add_contacts(no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER)
    with pytest.raises(InvalidValueError) as caught:
        remove_template_language("LETTER", "DE", user=TEST_USER)
    assert no in caught.value.message
    remove_template_language("LETTER", "EN", user=TEST_USER)
    assert [info.language_code for info in template_languages("LETTER")] == ["DE"]


# Merging the real Word files.


@pytest.mark.parametrize("name", sorted(REAL_FIELDS))
def test_real_file_merged_letter(world, tmp_path: Path, name: str) -> None:
    real_template(name)
    contact_no = full_contact()
    no = create_segment(
        "Real files", user=TEST_USER, template_code="REAL", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": contact_no}}, AddOptions(), user=TEST_USER)
    result = log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    entry = InteractionLogEntry.get()
    content = Path(entry.document_path).read_bytes()

    assert result.delivery.failed == []
    assert leftover_field_codes(content, REAL_FIELDS[name]) == []
    text = "\n".join(part_texts(content).values())
    field_map = json.loads(entry.merge_values["field_map"] or "{}")
    merged = merge_text_values(entry.merge_values)
    from segtui.domain.documents import match_field

    for field in REAL_FIELDS[name]:
        merge_field = match_field(field, field_map)
        assert merge_field is not None, field
        assert merged[merge_field], (field, merge_field)
        assert merged[merge_field] in text, (field, merge_field)

    import docx

    docx.Document(io.BytesIO(content))


@pytest.fixture
def soffice() -> Iterator[str]:
    import shutil

    program = shutil.which("soffice")
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    yield program


@pytest.mark.slow
def test_real_file_letters_open_in_libreoffice(world, tmp_path: Path, soffice) -> None:
    """Every merged real file converts to PDF, so LibreOffice reads it."""
    letters = []
    contact_no = full_contact()
    for index, name in enumerate(sorted(REAL_FIELDS)):
        code = f"R{index}"
        save_template(code, {"group": "LETTER"}, user=TEST_USER, create=True)
        result = import_template_attachment(
            code, "EN", real_file(name), name, user=TEST_USER
        )
        mapping = {
            field: MAPPING_TARGETS[i % len(MAPPING_TARGETS)]
            for i, field in enumerate(result.unmatched)
        }
        if mapping:
            map_template_fields(code, "EN", mapping, user=TEST_USER)
        no = create_segment(
            name, user=TEST_USER, template_code=code, salesperson_code="AH"
        ).no
        add_contacts(no, {"contact": {"no": contact_no}}, AddOptions(), user=TEST_USER)
        folder = tmp_path / code
        log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
        letters.extend(folder.glob("*.docx"))

    profile = tmp_path / "profile"
    outcome = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, letters),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    made = {path.stem for path in (tmp_path / "pdf").glob("*.pdf")}
    assert made == {path.stem for path in letters}, outcome.stderr


# The command line.


@pytest.fixture
def cli_url(tmp_path: Path) -> str:
    """A world database whose admins are TEST_USER and the login running the tests."""
    url = fresh_database_url(tmp_path)
    open_database(url)
    build_world()
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)
    if current_user() != TEST_USER:
        UserSetup.create(user_id=current_user(), role=Role.ADMIN)
    return url


def run_cli(url: str, *arguments: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", url, *arguments], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_fields_json(cli_url: str) -> None:
    path = WORD_TEMPLATES / "test_winword2010.docx"
    code, out, _err = run_cli(cli_url, "template", "fields", str(path), "--json")
    assert code == 0
    fields = json.loads(out)
    assert [field["name"] for field in fields] == REAL_FIELDS[path.name]
    assert {field["name"]: field["matched"] for field in fields}["Postcode"] == (
        "post_code"
    )
    assert {field["name"]: field["matched"] for field in fields}["Achternaam"] is None
    assert all(set(field) == {"name", "matched"} for field in fields)


def test_cli_fields_not_word(cli_url: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("plain text")
    code, _out, err = run_cli(cli_url, "template", "fields", str(path))
    assert code == 1
    assert "notes.docx is not a Word file" in err


def test_cli_import_and_map(cli_url: str, tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    path.write_bytes(word_file(["Surname", "Achternaam"], None))
    code, out, err = run_cli(
        cli_url, "template", "import", "CALL", "EN", str(path), "--subject", "Hi"
    )
    assert code == 0
    assert "Achternaam" in out
    assert "MATCHES NOTHING" in out
    assert "match nothing: Achternaam" in err
    assert "segtui template map CALL EN" in err

    code, out, err = run_cli(
        cli_url, "template", "map", "CALL", "EN", "Achternaam=Nachname"
    )
    assert code == 0
    assert "MATCHES NOTHING" not in out
    open_database(cli_url)
    row = InteractionTemplateLanguage.get(
        (InteractionTemplateLanguage.template == "CALL")
        & (InteractionTemplateLanguage.language == "EN")
    )
    assert row.field_map == {"Achternaam": "surname"}
    assert row.subject == "Hi"


def test_cli_map_bad_pair(cli_url: str) -> None:
    code, _out, err = run_cli(cli_url, "template", "map", "LETTER", "EN", "Name")
    assert code == 2
    assert "'Name' is not FIELD=MERGE_FIELD" in err


def test_cli_template_list_json(cli_url: str) -> None:
    code, out, _err = run_cli(cli_url, "template", "list", "--json")
    assert code == 0
    rows = {row["code"]: row for row in json.loads(out)}
    assert rows["LETTER"]["languages"] == ["DE", "EN"]
    assert rows["LETTER"]["group"] == "LETTER"
    assert rows["CALL"]["languages"] == []


def test_cli_template_new_set_delete(cli_url: str) -> None:
    code, out, _err = run_cli(
        cli_url, "template", "new", "fax", "--group", "LETTER", "--unit-cost", "3"
    )
    assert (code, out.strip()) == (0, "FAX")
    code, _out, _err = run_cli(
        cli_url, "template", "set", "FAX", "--description", "Telefax"
    )
    assert code == 0
    code, out, _err = run_cli(cli_url, "template", "show", "FAX", "--json")
    shown = json.loads(out)
    assert shown["description"] == "Telefax"
    assert shown["unit_cost"] == 3.0
    code, _out, _err = run_cli(cli_url, "template", "delete", "FAX")
    assert code == 0
    code, _out, err = run_cli(cli_url, "template", "show", "FAX")
    assert code == 1
    assert "'FAX' does not exist" in err


def test_cli_export(cli_url: str, tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    code, out, _err = run_cli(
        cli_url, "template", "export", "LETTER", "DE", str(target)
    )
    assert code == 0
    assert out.strip() == str(target)
    assert "AddressBlock" in [f.name for f in file_fields(target.read_bytes())]
    code, _out, err = run_cli(
        cli_url, "template", "export", "LETTER", "DE", str(target)
    )
    assert code == 1
    assert "--force" in err
