"""Letters per line: merging, personal letters, attachments, hard copy and email.

The world (tests/builders.py) has the LETTER template with an English and a German
attachment, and the CALL template without one. SEGTUI_TODAY is 2026-12-04. Mail
goes to an aiosmtpd server on 127.0.0.1 that each test starts, and is read back
from it.
"""

from __future__ import annotations

import email
import io
import os
import socket
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from segtui.domain import segment_logging
from segtui.domain.attachments import delete_unused_attachments, used_attachment_ids
from segtui.domain.criteria import AddOptions
from segtui.domain.delivery import resend_logged_segment
from segtui.domain.documents import document_text, leftover_field_codes, part_texts
from segtui.domain.errors import InvalidValueError, NotFoundError, ValidationError
from segtui.domain.line_editing import update_line
from segtui.domain.line_letters import (
    export_line_letter,
    import_line_letter,
    line_letter_source,
    line_letter_text,
    remove_line_letter,
)
from segtui.domain.logged_segments import entry_letter_text
from segtui.domain.segment_actions import add_contacts, delete_lines, go_back
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment, delete_segment, update_header
from segtui.domain.templates import import_template_attachment, save_template
from segtui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplateLanguage,
    LoggedSegment,
    SegmentLine,
)
from tests.builders import LETTER_FIELDS, word_file
from tests.conftest import TEST_USER
from tests.test_templates import cli_url, run_cli  # noqa: F401 - the fixture

DESCRIPTION = "Winter catalogue 2026"


def new_segment(contacts: str, template: str = "LETTER", **header: object) -> str:
    """Create a segment for the contacts (``A|B``) with header changes applied."""
    no = create_segment(
        DESCRIPTION, user=TEST_USER, template_code=template, salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": contacts}}, AddOptions(), user=TEST_USER)
    if header:
        update_header(no, header, user=TEST_USER)
    return no


def line_of(no: str, contact_no: str) -> SegmentLine:
    return SegmentLine.get(
        (SegmentLine.segment == no) & (SegmentLine.contact == contact_no)
    )


def entries() -> list[InteractionLogEntry]:
    return list(InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no))


def template_attachment(template: str, language: str) -> int:
    return InteractionTemplateLanguage.get(
        (InteractionTemplateLanguage.template == template)
        & (InteractionTemplateLanguage.language == language)
    ).attachment_id


def file_text(path: str | Path) -> str:
    return document_text(Path(path).read_bytes())


def references(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Ref. ")]


# A real SMTP server on 127.0.0.1.


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes: list[object] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> dict[str, email.message.EmailMessage]:
        """Return each recipient's one message; a second one fails the test."""
        found: dict[str, email.message.EmailMessage] = {}
        for envelope in self.envelopes:
            for recipient in envelope.rcpt_tos:
                assert recipient not in found, f"two messages to {recipient}"
                found[recipient] = email.message_from_bytes(
                    envelope.content, policy=policy.default
                )
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(monkeypatch) -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    handler = Mailbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PORT", str(port))
    try:
        yield handler
    finally:
        controller.stop()


def attached_letter(message: email.message.EmailMessage) -> bytes:
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    return attachments[0].get_content()


# An Email segment with a contact that has no email address.


def test_email_missing_address_rejected(world, tmp_path: Path, mailbox) -> None:
    no = new_segment(
        "CO2P1|IND1|IND2", correspondence_type="email", ignore_contact_corresp_type=True
    )
    folder = tmp_path / "letters"
    with pytest.raises(ValidationError) as caught:
        log_segment(no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER)

    problems = caught.value.problems
    assert len(problems) == 1
    assert problems[0].contact_no == "IND2"
    assert problems[0].contact_name == "Tom Baker"
    assert "no email address" in problems[0].text
    assert "IND2 Tom Baker" in str(caught.value)
    assert InteractionLogEntry.select().count() == 0
    assert LoggedSegment.select().count() == 0
    assert SegmentLine.select().where(SegmentLine.segment == no).count() == 3
    assert not folder.exists()
    assert mailbox.envelopes == []


def test_email_missing_address_without_delivery(world, tmp_path: Path, mailbox) -> None:
    no = new_segment(
        "CO2P1|IND1|IND2", correspondence_type="email", ignore_contact_corresp_type=True
    )
    result = log_segment(
        no, LogOptions(output_folder=tmp_path / "letters"), user=TEST_USER
    )
    types = {entry.contact_no: entry.correspondence_type for entry in entries()}
    assert result.entries == 3
    assert types == {"CO2P1": "email", "IND1": "email", "IND2": ""}
    assert {entry.delivery_status for entry in entries()} == {"not_delivered"}
    assert mailbox.envelopes == []


# The same contacts as hard copy and as email.


def test_hard_copy_and_email_same_text(world, tmp_path: Path, mailbox) -> None:
    contacts = ["CO1P1", "CO2P1", "IND1"]
    printed = new_segment(
        "|".join(contacts),
        correspondence_type="hard_copy",
        ignore_contact_corresp_type=True,
    )
    log_segment(
        printed,
        LogOptions(deliver=True, output_folder=tmp_path / "print"),
        user=TEST_USER,
    )
    on_paper = {entry.contact_no: file_text(entry.document_path) for entry in entries()}
    assert {entry.delivery_status for entry in entries()} == {"sent"}
    assert mailbox.envelopes == []

    mailed = new_segment(
        "|".join(contacts),
        correspondence_type="email",
        ignore_contact_corresp_type=True,
    )
    result = log_segment(
        mailed,
        LogOptions(deliver=True, output_folder=tmp_path / "mail"),
        user=TEST_USER,
    )
    assert result.delivery.sent == 3
    messages = mailbox.messages()
    assert sorted(messages) == [f"{no.lower()}@example.com" for no in contacts]

    for contact_no in contacts:
        message = messages[f"{contact_no.lower()}@example.com"]
        by_mail = document_text(attached_letter(message))
        assert by_mail == on_paper[contact_no], contact_no
        assert references(by_mail) == [f"Ref. {contact_no}"]
        assert message["Subject"] == "Unser Katalog"
        body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert body.strip() == by_mail.strip()
    assert "Sehr geehrter Herr Müller," in on_paper["CO1P1"]
    assert "Sehr geehrter Herr Gruber," in on_paper["CO2P1"]
    assert "Sehr geehrter Herr Keller," in on_paper["IND1"]
    assert "Zürich" in on_paper["IND1"]
    assert "Zürich" not in on_paper["CO2P1"]


def test_email_body_without_attachment(world, tmp_path: Path, mailbox) -> None:
    no = new_segment(
        "CO2P1|IND1",
        correspondence_type="email",
        ignore_contact_corresp_type=True,
        send_word_docs_as_attachment=False,
    )
    log_segment(
        no, LogOptions(deliver=True, output_folder=tmp_path / "mail"), user=TEST_USER
    )
    messages = mailbox.messages()
    assert len(messages) == 2
    for entry in entries():
        message = messages[f"{entry.contact_no.lower()}@example.com"]
        assert list(message.iter_attachments()) == []
        body = message.get_body(("plain",)).get_content()
        assert f"Ref. {entry.contact_no}" in body
        assert entry.delivery_status == "sent"
        assert entry.send_as_attachment is False


def test_resend_chosen_email(world, tmp_path: Path, mailbox) -> None:
    no = new_segment(
        "CO2P1|IND1", correspondence_type="email", ignore_contact_corresp_type=True
    )
    result = log_segment(
        no, LogOptions(deliver=True, output_folder=tmp_path / "mail"), user=TEST_USER
    )
    chosen = next(entry for entry in entries() if entry.contact_no == "IND1")
    mailbox.envelopes.clear()

    report = resend_logged_segment(
        result.logged_segment_no, user=TEST_USER, entry_nos=[chosen.entry_no]
    )
    assert report.sent == 1
    assert [envelope.rcpt_tos for envelope in mailbox.envelopes] == [
        ["ind1@example.com"]
    ]
    assert {entry.delivery_status for entry in entries()} == {"sent"}


def test_resend_entry_of_other_segment(world, tmp_path: Path) -> None:
    first = log_segment(
        new_segment("CO1"), LogOptions(output_folder=tmp_path / "a"), user=TEST_USER
    )
    log_segment(
        new_segment("IND2"), LogOptions(output_folder=tmp_path / "b"), user=TEST_USER
    )
    other = entries()[-1]
    with pytest.raises(NotFoundError) as caught:
        resend_logged_segment(
            first.logged_segment_no, user=TEST_USER, entry_nos=[other.entry_no]
        )
    assert f"no entry {other.entry_no}" in caught.value.message


# A template with the shapes of merge fields Word writes.


def tricky_template() -> bytes:
    """Return a .docx whose merge fields are split, formatted, quoted and simple.

    It also has fields in a table cell, the header, the footer and a footnote.
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def complex_field(paragraph: object, instruction: list[str], shown: str) -> None:
        element = paragraph._p  # type: ignore[attr-defined]
        pieces: list[tuple[str, str | None]] = [("begin", None)]
        pieces += [("instr", part) for part in instruction]
        pieces += [("separate", None), ("text", shown), ("end", None)]
        for kind, text in pieces:
            run = OxmlElement("w:r")
            if kind == "instr":
                child = OxmlElement("w:instrText")
                child.set(qn("xml:space"), "preserve")
                child.text = text
            elif kind == "text":
                child = OxmlElement("w:t")
                child.text = text
            else:
                child = OxmlElement("w:fldChar")
                child.set(qn("w:fldCharType"), kind)
            run.append(child)
            element.append(run)

    def simple_field(paragraph: object, instruction: str, shown: str) -> None:
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = shown
        run.append(text)
        field.append(run)
        paragraph._p.append(field)  # type: ignore[attr-defined]

    document = docx.Document()
    # Word splits an instruction over runs when it was typed or edited in pieces.
    paragraph = document.add_paragraph("Split: ")
    complex_field(paragraph, [" MERGE", "FIELD  Sur", "name "], "«Surname»")
    paragraph = document.add_paragraph("Format: ")
    complex_field(paragraph, [" MERGEFIELD City \\* MERGEFORMAT "], "«City»")
    paragraph = document.add_paragraph("Quoted: ")
    complex_field(paragraph, [' MERGEFIELD "Post Code" '], "«Post Code»")
    paragraph = document.add_paragraph("Simple: ")
    simple_field(paragraph, " MERGEFIELD FirstName ", "«FirstName»")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell"
    complex_field(table.cell(0, 1).paragraphs[0], [" MERGEFIELD Firma "], "«Firma»")
    header = document.sections[0].header.paragraphs[0]
    header.text = "Header: "
    complex_field(header, [" MERGEFIELD ContactNo "], "«ContactNo»")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "Footer: "
    simple_field(footer, " MERGEFIELD SalespersonName ", "«SalespersonName»")
    paragraph = document.add_paragraph("See the note")
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run.append(reference)
    paragraph._p.append(run)
    buffer = io.BytesIO()
    document.save(buffer)
    return add_footnote(buffer.getvalue(), "Email")


def add_footnote(content: bytes, field: str) -> bytes:
    """Add footnote 1 with a merge field to a .docx that python-docx wrote."""
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{main}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
        "</w:p></w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Footnote: </w:t>'
        '</w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
        f'<w:instrText xml:space="preserve"> MERGEFIELD  {field}  \\* MERGEFORMAT '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>«{field}»</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    )
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
                    b"</Types>",
                )
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            archive.writestr(item, data)
        archive.writestr("word/footnotes.xml", footnotes)
    return output.getvalue()


TRICKY_FIELDS = [
    "City",
    "ContactNo",
    "Email",
    "Firma",
    "FirstName",
    "Post Code",
    "SalespersonName",
    "Surname",
]


def test_tricky_fields_detected_once(world) -> None:
    save_template("TRICKY", {"group": "LETTER"}, user=TEST_USER, create=True)
    result = import_template_attachment(
        "TRICKY", "DE", tricky_template(), "tricky.docx", user=TEST_USER
    )
    assert [field.name for field in result.fields] == TRICKY_FIELDS
    assert result.unmatched == []
    assert {field.name: field.matched for field in result.fields}["Post Code"] == (
        "post_code"
    )


def test_tricky_fields_filled(world, tmp_path: Path) -> None:
    save_template(
        "TRICKY",
        {"group": "LETTER", "correspondence_type": "hard_copy", "language": "DE"},
        user=TEST_USER,
        create=True,
    )
    import_template_attachment(
        "TRICKY", "DE", tricky_template(), "tricky.docx", user=TEST_USER
    )
    no = new_segment("CO1P1", template="TRICKY")
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    entry = entries()[0]
    content = Path(entry.document_path).read_bytes()
    texts = part_texts(content)

    body = texts["word/document.xml"]
    for expected in (
        "Split: Müller",
        "Format: Berlin",
        "Quoted: 10115",
        "Simple: Jürgen",
        "CellMüller GmbH",
    ):
        assert expected in body, expected
    headers = " ".join(text for name, text in texts.items() if "header" in name)
    footers = " ".join(text for name, text in texts.items() if "footer" in name)
    assert "Header: CO1P1" in headers
    assert "Footer: Annette Hill" in footers
    assert texts["word/footnotes.xml"].endswith("Footnote: co1p1@example.com")
    assert leftover_field_codes(content, TRICKY_FIELDS) == []
    assert all("«" not in text for text in texts.values())

    printed = (tmp_path / "All letters.docx").read_bytes()
    assert leftover_field_codes(printed, TRICKY_FIELDS) == []
    assert all("«" not in text for text in part_texts(printed).values())


# Three contacts, three documents.


def test_three_contacts_three_documents(world, tmp_path: Path) -> None:
    """A company, its person and an independent person."""
    no = new_segment(
        "CO1|CO1P1|IND1",
        correspondence_type="hard_copy",
        ignore_contact_corresp_type=True,
    )
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    by_contact = {entry.contact_no: entry for entry in entries()}
    names = {no: Path(entry.document_path).name for no, entry in by_contact.items()}

    assert len(set(names.values())) == 3
    assert names["CO1"] == "CO1 Müller GmbH.docx"
    assert names["CO1P1"] == "CO1P1 Müller GmbH - Jürgen Müller.docx"
    assert names["IND1"] == "IND1 Zoë Keller.docx"
    for contact_no, entry in by_contact.items():
        text = file_text(entry.document_path)
        assert references(text) == [f"Ref. {contact_no}"]
        assert entry_letter_text(entry.entry_no) == text


def test_file_names_safe_for_any_system(world, tmp_path: Path) -> None:
    Contact.update(name='Büro: "A/B" <Test>? *').where(Contact.no == "IND1").execute()
    no = new_segment("IND1")
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    name = Path(entries()[0].document_path).name
    assert name == "IND1 Büro_ _A_B_ _Test_ _.docx"
    assert not set('<>:"/\\|?*') & set(name)


# A line's contact and its attachment.


def test_contact_change_keeps_shared_attachment(world, tmp_path: Path) -> None:
    no = new_segment("CO1|IND2")
    shared = {
        language: template_attachment("LETTER", language) for language in ("DE", "EN")
    }
    contents = {
        key: bytes(Attachment.get_by_id(key).content) for key in shared.values()
    }
    line = line_of(no, "IND2")

    # Typing the same contact again changes nothing.
    same = update_line(no, line.line_no, {"contact": "ind2"}, user=TEST_USER)
    assert same.version == line.version
    changed = update_line(no, line.line_no, {"contact": "IND1"}, user=TEST_USER)

    assert changed.contact_no == "IND1"
    assert changed.language_code == "DE"
    assert changed.correspondence_type == "email"
    assert changed.attachment_id is None
    for language, attachment_id in shared.items():
        assert template_attachment("LETTER", language) == attachment_id
        assert (
            bytes(Attachment.get_by_id(attachment_id).content)
            == contents[attachment_id]
        )

    result = log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    assert result.delivery.failed == []
    ind1 = next(entry for entry in entries() if entry.contact_no == "IND1")
    assert references(file_text(ind1.document_path)) == ["Ref. IND1"]
    assert ind1.attachment_id == shared["DE"]


def test_contact_change_keeps_own_letter(world) -> None:
    no = new_segment("CO1|IND2")
    line = line_of(no, "IND2")
    import_line_letter(
        no, line.line_no, word_file(["Name"]), "own.docx", user=TEST_USER
    )
    own = line_of(no, "IND2").attachment_id
    changed = update_line(no, line.line_no, {"contact": "CO2P1"}, user=TEST_USER)
    assert changed.attachment_id == own
    assert changed.language_code == "EN"
    assert Attachment.get_by_id(own).file_name == "own.docx"


@pytest.mark.parametrize(
    ("contact_no", "message"),
    [("NOPE", "'NOPE' does not exist"), ("CO1P3", "privacy blocked")],
)
def test_contact_change_rejected(world, contact_no: str, message: str) -> None:
    no = new_segment("CO1")
    with pytest.raises((InvalidValueError, NotFoundError)) as caught:
        update_line(no, 10000, {"contact": contact_no}, user=TEST_USER)
    assert message in caught.value.message
    assert line_of(no, "CO1").version == 1


# Applying a template through the header.


def second_template() -> None:
    save_template(
        "OFFER",
        {
            "group": "LETTER",
            "description": "Special offer",
            "correspondence_type": "hard_copy",
            "unit_cost": "2.75",
            "unit_duration": "9",
            "information_flow": "outbound",
            "initiated_by": "us",
            "language": "EN",
        },
        user=TEST_USER,
        create=True,
    )
    for language, subject in (("EN", "Our offer"), ("DE", "Unser Angebot")):
        import_template_attachment(
            "OFFER",
            language,
            word_file(["Subject", "FormalSalutation"], "ContactNo"),
            f"offer_{language.lower()}.docx",
            user=TEST_USER,
            subject=subject,
        )


def test_header_template_keeps_own_attachment(world, tmp_path: Path) -> None:
    second_template()
    no = new_segment("CO1P1|IND2")
    german = line_of(no, "CO1P1")
    import_line_letter(
        no,
        german.line_no,
        word_file(["Anrede", "Firma"], "ContactNo"),
        "eigener Brief.docx",
        user=TEST_USER,
    )
    own = line_of(no, "CO1P1").attachment_id

    update_header(
        no, {"interaction_template": "OFFER"}, user=TEST_USER, update_lines=True
    )

    with_own = line_of(no, "CO1P1")
    plain = line_of(no, "IND2")
    for line in (with_own, plain):
        assert line.interaction_template_code == "OFFER", line.contact_no
        assert line.description == "Special offer", line.contact_no
        assert line.unit_cost == Decimal("2.75"), line.contact_no
        assert line.unit_duration == Decimal("9"), line.contact_no
        assert line.information_flow == "outbound", line.contact_no
        assert line.correspondence_type == "hard_copy", line.contact_no
    assert with_own.attachment_id == own
    assert with_own.language_code == "DE"
    assert plain.attachment_id is None
    assert plain.language_code == "EN"
    assert plain.subject == "Our offer"
    assert line_letter_source(no, plain.line_no)[0].id == template_attachment(
        "OFFER", "EN"
    )

    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    by_contact = {entry.contact_no: entry for entry in entries()}
    assert by_contact["CO1P1"].attachment_id == own
    assert by_contact["IND2"].attachment_id == template_attachment("OFFER", "EN")
    german_text = file_text(by_contact["CO1P1"].document_path).splitlines()
    assert "Anrede: Sehr geehrter Herr Müller," in german_text
    assert "Subject: Our offer" in file_text(by_contact["IND2"].document_path)


def test_header_template_no_keeps_lines(world) -> None:
    second_template()
    no = new_segment("CO1P1|IND2")
    update_header(
        no, {"interaction_template": "OFFER"}, user=TEST_USER, update_lines=False
    )
    assert {line.interaction_template_code for line in SegmentLine.select()} == {
        "LETTER"
    }
    assert {line.description for line in SegmentLine.select()} == {"Catalogue letter"}


def test_line_template_replaces_description(world) -> None:
    second_template()
    no = new_segment("IND2")
    update_line(no, 10000, {"description": "Typed by hand"}, user=TEST_USER)
    line = update_line(no, 10000, {"interaction_template": "OFFER"}, user=TEST_USER)
    assert line.description == "Special offer"
    assert line.unit_cost == Decimal("2.75")


# An Email template without any attachment.


def test_email_template_without_attachment(world, tmp_path: Path) -> None:
    save_template(
        "NEWS",
        {
            "group": "LETTER",
            "description": "Newsletter",
            "correspondence_type": "email",
            "ignore_contact_corresp_type": True,
            "language": "EN",
        },
        user=TEST_USER,
        create=True,
    )
    no = new_segment("IND1", template="NEWS")
    with pytest.raises(ValidationError) as caught:
        log_segment(no, LogOptions(output_folder=tmp_path / "out"), user=TEST_USER)
    [problem] = caught.value.problems
    assert problem.contact_no == "IND1"
    assert "template NEWS has no Word attachment in language EN" in problem.text
    assert "correspondence type Email needs one" in problem.text
    assert "Interaction templates (Ctrl+G), Languages of NEWS" in problem.text
    assert "`segtui template import NEWS EN FILE.docx`" in problem.text
    assert InteractionLogEntry.select().count() == 0


# Personalising a line before logging.


def test_preview_matches_logged_letter(world, tmp_path: Path) -> None:
    no = new_segment("CO1|CO1P1|IND2|IND3")
    previews = {
        line.contact_no: line_letter_text(no, line.line_no)
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    for entry in entries():
        assert previews[entry.contact_no] == file_text(entry.document_path)
    assert "FormalSalutation: Dear Mr [bold]x," in previews["IND3"].splitlines()


def test_personal_note_in_letter(world, tmp_path: Path) -> None:
    no = new_segment("CO1P1|IND2")
    update_line(
        no,
        10000,
        {"personal_note": "Danke für Ihren Besuch [auf der Messe]!"},
        user=TEST_USER,
    )
    assert "PersonalNote: Danke für Ihren Besuch [auf der Messe]!" in (
        line_letter_text(no, 10000).splitlines()
    )
    assert "PersonalNote: " in line_letter_text(no, 20000).splitlines()
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    texts = {entry.contact_no: file_text(entry.document_path) for entry in entries()}
    assert "Danke für Ihren Besuch" in texts["CO1P1"]
    assert "Danke" not in texts["IND2"]


def test_preview_without_attachment(world) -> None:
    no = new_segment("IND2", template="CALL")
    with pytest.raises(NotFoundError) as caught:
        line_letter_text(no, 10000)
    assert "CALL has no Word attachment in language EN" in caught.value.message


def edited(content: bytes, sentence: str) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(content))
    document.add_paragraph(sentence)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_export_edit_import_line_letter(world, tmp_path: Path) -> None:
    no = new_segment("CO1P1|IND2")
    shared = template_attachment("LETTER", "DE")
    english = template_attachment("LETTER", "EN")
    exported = export_line_letter(no, 10000, tmp_path)
    assert exported.name == "CO1P1 Müller GmbH - Jürgen Müller.docx"
    assert leftover_field_codes(exported.read_bytes(), LETTER_FIELDS) == []
    with pytest.raises(InvalidValueError) as caught:
        export_line_letter(no, 10000, exported)
    assert "exists already" in caught.value.message

    changed = edited(exported.read_bytes(), "Written by hand for Jürgen.")
    line = import_line_letter(no, 10000, changed, exported.name, user=TEST_USER)
    assert line.attachment_id is not None
    assert "Written by hand for Jürgen." in line_letter_text(no, 10000)
    assert template_attachment("LETTER", "DE") == shared

    log_segment(no, LogOptions(output_folder=tmp_path / "out"), user=TEST_USER)
    texts = {entry.contact_no: file_text(entry.document_path) for entry in entries()}
    assert "Written by hand for Jürgen." in texts["CO1P1"]
    assert "Written by hand" not in texts["IND2"]
    assert Attachment.get_by_id(line.attachment_id).read_only is True
    assert Attachment.get_by_id(english).read_only is True
    assert Attachment.get_by_id(shared).read_only is False


def test_import_line_letter_unmatched_field(world) -> None:
    no = new_segment("IND2")
    before = Attachment.select().count()
    with pytest.raises(InvalidValueError) as caught:
        import_line_letter(
            no, 10000, word_file(["Achternaam"], None), "nl.docx", user=TEST_USER
        )
    assert "nl.docx" in caught.value.message
    assert "Achternaam" in caught.value.message
    assert Attachment.select().count() == before


def test_remove_line_letter(world) -> None:
    no = new_segment("IND2")
    import_line_letter(no, 10000, word_file(["Name"]), "own.docx", user=TEST_USER)
    own = line_of(no, "IND2").attachment_id
    line = remove_line_letter(no, 10000, user=TEST_USER)
    assert line.attachment_id is None
    assert Attachment.get_or_none(Attachment.id == own) is None
    with pytest.raises(InvalidValueError):
        remove_line_letter(no, 10000, user=TEST_USER)


# Attachments that nothing uses any more.


def test_deleted_line_keeps_letter_for_go_back(world) -> None:
    no = new_segment("CO1|IND2")
    import_line_letter(no, 20000, word_file(["Name"]), "own.docx", user=TEST_USER)
    own = line_of(no, "IND2").attachment_id
    delete_lines(no, [20000], user=TEST_USER)
    assert own in used_attachment_ids([own])
    go_back(no, user=TEST_USER)
    assert line_of(no, "IND2").attachment_id == own


def test_deleted_entries_leave_no_orphan(world, tmp_path: Path) -> None:
    no = new_segment("CO1|IND2")
    import_line_letter(no, 20000, word_file(["Name"]), "own.docx", user=TEST_USER)
    own = line_of(no, "IND2").attachment_id
    shared = template_attachment("LETTER", "DE")
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    used = {entry.attachment_id for entry in entries()}
    assert used == {own, shared}

    InteractionLogEntry.delete().execute()
    assert delete_unused_attachments(used) == 1
    assert Attachment.get_or_none(Attachment.id == own) is None
    assert Attachment.get_by_id(shared).read_only is True


def test_logging_drops_letters_of_deleted_lines(world, tmp_path: Path) -> None:
    no = new_segment("CO1|IND2")
    import_line_letter(no, 20000, word_file(["Name"]), "own.docx", user=TEST_USER)
    own = line_of(no, "IND2").attachment_id
    delete_lines(no, [20000], user=TEST_USER)
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    assert Attachment.get_or_none(Attachment.id == own) is None
    assert Attachment.get_by_id(template_attachment("LETTER", "DE"))


def test_deleted_segment_letter_removed_by_sweep(world) -> None:
    from segtui.domain.attachments import remove_orphan_attachments

    no = new_segment("IND2")
    import_line_letter(no, 10000, word_file(["Name"]), "own.docx", user=TEST_USER)
    own = line_of(no, "IND2").attachment_id
    delete_segment(no, user=TEST_USER)
    assert remove_orphan_attachments() == 1
    assert Attachment.get_or_none(Attachment.id == own) is None
    assert template_attachment("LETTER", "EN")


# Dates, amounts and empty values.


def test_dates_and_amounts_by_language(world, tmp_path: Path) -> None:
    for language in ("DE", "EN"):
        import_template_attachment(
            "LETTER",
            language,
            word_file(["Date", "UnitCost", "JobTitle", "Address"], None),
            f"{language}.docx",
            user=TEST_USER,
        )
    no = new_segment("CO1P1|IND2", unit_cost="1234.5")
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    texts = {e.contact_no: file_text(e.document_path).splitlines() for e in entries()}
    assert "Date: 4. Dezember 2026" in texts["CO1P1"]
    assert "UnitCost: 1.234,50" in texts["CO1P1"]
    assert "Date: 4 December 2026" in texts["IND2"]
    assert "UnitCost: 1,234.50" in texts["IND2"]
    assert "JobTitle: " in texts["IND2"]
    assert "Address: " in texts["IND2"]


# PDF files.


def test_pdf_needs_libreoffice(world, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(segment_logging, "pdf_converter", lambda: None)
    no = new_segment("CO1")
    with pytest.raises(ValidationError) as caught:
        log_segment(
            no, LogOptions(output_folder=tmp_path / "out", pdf=True), user=TEST_USER
        )
    assert "LibreOffice" in caught.value.problems[0].text
    assert InteractionLogEntry.select().count() == 0


@pytest.mark.slow
def test_pdf_of_print_file(world, tmp_path: Path) -> None:
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    no = new_segment("CO1|CO1P1|CO2")
    result = log_segment(
        no, LogOptions(output_folder=tmp_path, pdf=True), user=TEST_USER
    )
    assert result.delivery.pdf_files == [tmp_path / "All letters.pdf"]
    assert (tmp_path / "All letters.pdf").read_bytes().startswith(b"%PDF")
    assert result.delivery.print_failures == []


@pytest.mark.slow
def test_tricky_letter_opens_in_libreoffice(world, tmp_path: Path) -> None:
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from segtui.domain.delivery import convert_to_pdf

    save_template(
        "TRICKY", {"group": "LETTER", "language": "DE"}, user=TEST_USER, create=True
    )
    import_template_attachment(
        "TRICKY", "DE", tricky_template(), "tricky.docx", user=TEST_USER
    )
    no = new_segment(
        "CO1P1|CO1",
        template="TRICKY",
        correspondence_type="hard_copy",
        ignore_contact_corresp_type=True,
    )
    log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    documents = sorted(tmp_path.glob("*.docx"))
    assert len(documents) == 3
    made, error = convert_to_pdf(documents, tmp_path / "pdf")
    assert error == ""
    assert len(made) == 3


# The command line.


def cli_segment(url: str) -> str:
    from segtui.db import open_database

    open_database(url)
    return new_segment("CO1P1|IND2")


def test_cli_preview(cli_url: str) -> None:  # noqa: F811
    no = cli_segment(cli_url)
    code, out, _err = run_cli(cli_url, "segment", "preview", no, "10000")
    assert code == 0
    assert "FormalSalutation: Sehr geehrter Herr Müller," in out.splitlines()
    assert "Ref. CO1P1" in out.splitlines()
    code, _out, err = run_cli(cli_url, "segment", "preview", no, "99")
    assert code == 1
    assert "has no line 99" in err


def test_cli_line_letter_round_trip(cli_url: str, tmp_path: Path) -> None:  # noqa: F811
    no = cli_segment(cli_url)
    code, out, _err = run_cli(
        cli_url, "segment", "export-letter", no, "20000", str(tmp_path)
    )
    assert code == 0
    path = Path(out.strip())
    assert path.name == "IND2 Tom Baker.docx"
    path.write_bytes(edited(path.read_bytes(), "Hand-written P.S."))
    code, _out, _err = run_cli(
        cli_url, "segment", "import-letter", no, "20000", str(path)
    )
    assert code == 0
    code, out, _err = run_cli(cli_url, "segment", "preview", no, "20000")
    assert "Hand-written P.S." in out
    code, _out, _err = run_cli(cli_url, "segment", "remove-letter", no, "20000")
    assert code == 0
    code, out, _err = run_cli(cli_url, "segment", "preview", no, "20000")
    assert "Hand-written P.S." not in out


def test_cli_line_change(cli_url: str) -> None:  # noqa: F811
    no = cli_segment(cli_url)
    code, _out, err = run_cli(
        cli_url, "segment", "line", no, "20000", "contact=IND1", "personal_note=Hallo!"
    )
    assert code == 0, err
    from segtui.db import open_database

    open_database(cli_url)
    line = line_of(no, "IND1")
    assert line.personal_note == "Hallo!"
    assert line.language_code == "DE"
    code, _out, err = run_cli(cli_url, "segment", "line", no, "20000", "colour=red")
    assert code == 1
    assert "'colour'" in err


def test_cli_note_without_field_warned(cli_url: str) -> None:  # noqa: F811
    from segtui.db import open_database

    open_database(cli_url)
    second_template()
    no = new_segment("IND2", template="OFFER")
    code, _out, err = run_cli(
        cli_url, "segment", "line", no, "10000", "personal_note=See you!"
    )
    # The note is saved, the warning goes to stderr, and the exit status stays 0.
    assert code == 0, err
    assert line_of(no, "IND2").personal_note == "See you!"
    assert "Warning: The personal note of line 10000 is not in its letter" in err
    assert "template OFFER in language EN" in err

    # With a template whose letter has the field, there is nothing to warn about.
    code, _out, err = run_cli(
        cli_url, "segment", "line", no, "10000", "template=LETTER"
    )
    assert code == 0, err
    assert "Warning" not in err


# SMTP with STARTTLS or TLS and a login.


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl program."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl program is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return key, cert


def check_login(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
    from aiosmtpd.smtp import AuthResult, LoginPassword

    good = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"marketing"
        and auth_data.password == b"s3cret"
    )
    # handled=False makes aiosmtpd reply 535 itself when the login is wrong.
    return AuthResult(success=good, handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_email_over_tls_with_login(
    world, tmp_path: Path, monkeypatch, certificate, security: str
) -> None:
    import ssl

    from aiosmtpd.controller import Controller

    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    handler = Mailbox()
    port = free_port()
    options: dict[str, object] = {
        "authenticator": check_login,
        "auth_required": True,
    }
    if security == "starttls":
        options.update(tls_context=context, require_starttls=True)
    else:
        # aiosmtpd 1.4.6 does not count a connection wrapped in TLS from the start
        # as TLS for AUTH, so it must allow AUTH without STARTTLS.
        options.update(ssl_context=context, auth_require_tls=False)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    password_file = tmp_path / "password"
    password_file.write_text("s3cret\n")
    for name, value in (
        ("SEGTUI_SMTP_HOST", "127.0.0.1"),
        ("SEGTUI_SMTP_PORT", str(port)),
        ("SEGTUI_SMTP_SECURITY", security),
        ("SEGTUI_SMTP_USER", "marketing"),
        ("SEGTUI_SMTP_PASSWORD_FILE", str(password_file)),
        ("SEGTUI_SMTP_CA_FILE", str(cert)),
    ):
        monkeypatch.setenv(name, value)
    try:
        no = new_segment(
            "CO2P1|IND1", correspondence_type="email", ignore_contact_corresp_type=True
        )
        result = log_segment(
            no, LogOptions(deliver=True, output_folder=tmp_path / "out"), user=TEST_USER
        )
    finally:
        controller.stop()
    assert result.delivery.failed == []
    assert result.delivery.sent == 2
    assert sorted(handler.messages()) == ["co2p1@example.com", "ind1@example.com"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_email_wrong_password_recorded(world, tmp_path: Path, monkeypatch) -> None:
    from aiosmtpd.controller import Controller

    handler = Mailbox()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=check_login,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    for name, value in (
        ("SEGTUI_SMTP_HOST", "127.0.0.1"),
        ("SEGTUI_SMTP_PORT", str(port)),
        ("SEGTUI_SMTP_USER", "marketing"),
        ("SEGTUI_SMTP_PASSWORD", "wrong"),
    ):
        monkeypatch.setenv(name, value)
    try:
        no = new_segment(
            "CO2P1", correspondence_type="email", ignore_contact_corresp_type=True
        )
        result = log_segment(
            no, LogOptions(deliver=True, output_folder=tmp_path / "out"), user=TEST_USER
        )
    finally:
        controller.stop()
    [entry] = entries()
    assert entry.delivery_status == "failed"
    assert "535" in entry.delivery_error
    assert handler.envelopes == []
    assert result.delivery.failed[0][0] == entry.entry_no


# A line's correspondence type.


@pytest.mark.parametrize(
    ("header", "template", "contact_type", "expected"),
    [
        # The header's type overrides every contact's when the header says so.
        ({"ignore": True, "type": "email"}, {}, "hard_copy", "email"),
        # The template's default when the template ignores the contact's type.
        ({}, {"ignore": True, "type": "email"}, "hard_copy", "email"),
        # The template's default when the contact has no preference.
        ({}, {"type": "email"}, "", "email"),
        # Otherwise the contact's own preference.
        ({}, {"type": "email"}, "hard_copy", "hard_copy"),
    ],
)
def test_line_correspondence_type(
    world, header: dict, template: dict, contact_type: str, expected: str
) -> None:
    save_template(
        "MIX",
        {
            "group": "LETTER",
            "correspondence_type": template.get("type", ""),
            "ignore_contact_corresp_type": template.get("ignore", False),
        },
        user=TEST_USER,
        create=True,
    )
    Contact.update(correspondence_type=contact_type).where(
        Contact.no == "IND2"
    ).execute()
    no = create_segment("Types", user=TEST_USER, template_code="MIX").no
    if header:
        update_header(
            no,
            {
                "correspondence_type": header["type"],
                "ignore_contact_corresp_type": header["ignore"],
            },
            user=TEST_USER,
        )
    add_contacts(no, {"contact": {"no": "IND2"}}, AddOptions(), user=TEST_USER)
    assert line_of(no, "IND2").correspondence_type == expected


# SMTP settings and headers.


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sender", "marketing at example"),
        ("sender", "Marketing <marketing@@example.com>"),
        ("host", "mail server.example.com"),
    ],
)
def test_smtp_address_setting_rejected(world, name: str, value: str) -> None:
    from segtui.domain.email_delivery import save_smtp_settings
    from segtui.models import Setting

    with pytest.raises(InvalidValueError) as caught:
        save_smtp_settings({"host": "127.0.0.1", name: value}, user=TEST_USER)
    assert repr(value) in caught.value.message
    assert "write it as" in caught.value.message
    assert Setting.select().count() == 0


def test_smtp_sender_with_name_accepted(world) -> None:
    from segtui.domain.email_delivery import save_smtp_settings, smtp_settings

    save_smtp_settings(
        {"host": "mail.example.com", "sender": " Cronus <sales@cronus.example> "},
        user=TEST_USER,
    )
    settings = smtp_settings()
    assert settings is not None
    assert settings.sender == "Cronus <sales@cronus.example>"
    assert settings.host == "mail.example.com"


def test_smtp_sender_from_environment_checked(world, monkeypatch) -> None:
    from segtui.domain.email_delivery import smtp_settings

    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_FROM", "marketing at example")
    with pytest.raises(InvalidValueError) as caught:
        smtp_settings()
    assert "'marketing at example'" in caught.value.message
    assert "SEGTUI_SMTP_FROM" in caught.value.message


def test_email_has_date_and_message_id(
    world, tmp_path: Path, mailbox, monkeypatch
) -> None:
    monkeypatch.setenv("SEGTUI_SMTP_FROM", "sales@cronus.example")
    no = new_segment(
        "CO2P1|IND1", correspondence_type="email", ignore_contact_corresp_type=True
    )
    log_segment(
        no, LogOptions(deliver=True, output_folder=tmp_path / "mail"), user=TEST_USER
    )
    messages = list(mailbox.messages().values())
    assert len(messages) == 2
    ids = set()
    for message in messages:
        assert message["From"] == "sales@cronus.example"
        assert message["Date"] is not None
        assert message["Date"].datetime is not None
        message_id = message["Message-ID"]
        assert message_id is not None
        assert message_id.startswith("<")
        assert message_id.endswith("@cronus.example>")
        ids.add(message_id)
    assert len(ids) == 2


def test_cli_resend_email(cli_url: str, tmp_path: Path, mailbox, monkeypatch) -> None:  # noqa: F811
    from segtui.db import open_database

    open_database(cli_url)
    no = new_segment(
        "CO2P1|IND1", correspondence_type="email", ignore_contact_corresp_type=True
    )
    mailbox_port = os.environ["SEGTUI_SMTP_PORT"]
    # Nothing listens on this port, so every email fails.
    monkeypatch.setenv("SEGTUI_SMTP_PORT", str(free_port()))
    code, out, err = run_cli(
        cli_url, "segment", "log", no, "--deliver", "--output", str(tmp_path / "mail")
    )
    assert code == 1, err
    logged_no = out.strip()
    open_database(cli_url)
    assert {entry.delivery_status for entry in entries()} == {"failed"}
    assert mailbox.envelopes == []

    monkeypatch.setenv("SEGTUI_SMTP_PORT", mailbox_port)
    code, _out, err = run_cli(cli_url, "logged", "resend", logged_no, "--failed-only")
    assert code == 0, err
    open_database(cli_url)
    assert {entry.delivery_status for entry in entries()} == {"sent"}
    messages = mailbox.messages()
    assert sorted(messages) == ["co2p1@example.com", "ind1@example.com"]
    for recipient, message in messages.items():
        contact_no = recipient.split("@")[0].upper()
        assert f"Ref. {contact_no}" in document_text(attached_letter(message))

    # Every letter is sent, so only a chosen entry goes out again.
    mailbox.envelopes.clear()
    code, _out, err = run_cli(cli_url, "logged", "resend", logged_no)
    assert code == 0
    assert "Nothing to send again" in err
    assert mailbox.envelopes == []
    chosen = next(entry for entry in entries() if entry.contact_no == "IND1")
    code, _out, err = run_cli(
        cli_url, "logged", "resend", logged_no, "--entry", str(chosen.entry_no)
    )
    assert code == 0, err
    assert [envelope.rcpt_tos for envelope in mailbox.envelopes] == [
        ["ind1@example.com"]
    ]


def test_cli_resend_entry_and_failed_only(cli_url: str) -> None:  # noqa: F811
    code, _out, err = run_cli(
        cli_url, "logged", "resend", "1", "--entry", "2", "--failed-only"
    )
    assert code == 2
    assert "--entry and --failed-only cannot be combined" in err


def test_cli_resend_entry_of_other_segment(cli_url: str, tmp_path: Path) -> None:  # noqa: F811
    from segtui.db import open_database

    open_database(cli_url)
    first = log_segment(
        new_segment("CO1"), LogOptions(output_folder=tmp_path / "a"), user=TEST_USER
    )
    log_segment(
        new_segment("IND2"), LogOptions(output_folder=tmp_path / "b"), user=TEST_USER
    )
    other = entries()[-1].entry_no
    code, _out, err = run_cli(
        cli_url,
        "logged",
        "resend",
        str(first.logged_segment_no),
        "--entry",
        str(other),
    )
    assert code == 1
    assert f"has no entry {other}" in err


def test_line_without_language_hint(world, tmp_path: Path) -> None:
    no = new_segment(
        "IND1", correspondence_type="hard_copy", ignore_contact_corresp_type=True
    )
    update_line(no, 10000, {"language": ""}, user=TEST_USER)
    assert line_of(no, "IND1").language_code is None
    with pytest.raises(NotFoundError) as caught:
        line_letter_text(no, 10000)
    message = caught.value.message
    assert "(no language)" not in message
    assert "has no language" in message
    assert "choose one of DE, EN on the line (Enter on the line, then Language)" in (
        message
    )
    assert f"`segtui segment line {no} 10000 language=DE`" in message

    with pytest.raises(ValidationError) as logged:
        log_segment(no, LogOptions(output_folder=tmp_path), user=TEST_USER)
    problem = logged.value.problems[0].text
    assert "(no language)" not in problem
    assert "the line has no language" in problem
    assert "Enter on the line, then Language" in problem


def test_cli_hint_command_runs(cli_url: str) -> None:  # noqa: F811
    from segtui.db import open_database

    open_database(cli_url)
    no = new_segment("IND1")
    update_line(no, 10000, {"language": ""}, user=TEST_USER)
    code, _out, err = run_cli(cli_url, "segment", "preview", no, "10000")
    assert code == 1
    command = err.split("`")[1]
    assert command.startswith("segtui segment line ")
    code, _out, err = run_cli(cli_url, *command.split()[1:])
    assert code == 0, err
    code, out, err = run_cli(cli_url, "segment", "preview", no, "10000")
    assert code == 0, err
    assert "Ref. IND1" in out


def test_note_without_field_warned(world) -> None:
    from segtui.domain.line_letters import personal_note_warning

    second_template()
    no = new_segment("IND2", template="OFFER")
    assert personal_note_warning(no, 10000) == ""
    update_line(no, 10000, {"personal_note": "See you at the fair!"}, user=TEST_USER)
    assert line_of(no, "IND2").personal_note == "See you at the fair!"
    warning = personal_note_warning(no, 10000)
    assert "template OFFER in language EN" in warning
    assert "no PersonalNote merge field" in warning
    assert "Add a PersonalNote field to the Word file" in warning

    import_line_letter(
        no, 10000, word_file(["Subject"], None), "own.docx", user=TEST_USER
    )
    own = personal_note_warning(no, 10000)
    assert "own letter own.docx has no PersonalNote merge field" in own


def test_note_with_field_not_warned(world) -> None:
    from segtui.domain.line_letters import personal_note_warning

    no = new_segment("CO1P1")
    update_line(no, 10000, {"personal_note": "Danke!"}, user=TEST_USER)
    assert personal_note_warning(no, 10000) == ""


def test_line_language_brings_subject(world) -> None:
    """A line's new language brings its template's subject in that language."""
    no = new_segment("IND1")
    line = line_of(no, "IND1")
    other = "DE" if line.language_code == "EN" else "EN"
    subjects = {"EN": "Our catalogue", "DE": "Unser Katalog"}
    assert line.subject == subjects[line.language_code]

    update_line(no, line.line_no, {"language": other}, user=TEST_USER)
    assert line_of(no, "IND1").subject == subjects[other]


def test_typed_subject_kept_on_language(world) -> None:
    """A subject typed for the line stays when its language changes."""
    no = new_segment("IND1")
    line = line_of(no, "IND1")
    other = "DE" if line.language_code == "EN" else "EN"
    update_line(no, line.line_no, {"subject": "For you"}, user=TEST_USER)

    update_line(no, line.line_no, {"language": other}, user=TEST_USER)
    assert line_of(no, "IND1").subject == "For you"
