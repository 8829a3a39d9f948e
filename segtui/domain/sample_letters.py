"""The Word letter templates of the demo data, built with python-docx.

Each template is a letter from the fictional sender Cronus Marketing GmbH with real
MERGEFIELD codes in the shape Word's Insert Merge Field writes. The English templates
use the English names of ``segtui.domain.documents.MERGE_FIELDS`` and the German
templates the German names.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Zip entry times and document properties of every template, so that generating the
# templates twice gives the same bytes for the same python-docx and zlib versions.
FIXED_TIMESTAMP = datetime(2026, 1, 1, 9, 0, 0)

SENDER_NAME = "Cronus Marketing GmbH"
SENDER_ADDRESS = "Lindenstraße 12 · 10969 Berlin"
SENDER_CONTACT = "+49 30 5550 1200 · marketing@example.de"


@dataclass(frozen=True)
class Field:
    """A merge field in a paragraph, written as ``«name»`` until it is merged."""

    name: str
    simple: bool = False


# A paragraph is a list of text pieces and merge fields.
Paragraph = list[str | Field]


@dataclass(frozen=True)
class LetterContent:
    """The text and merge fields of one letter template."""

    language_tag: str
    title: str
    sender_country: str
    address_block: Field | None
    date_line: Paragraph
    subject: Field
    salutation: Field
    body: list[str]
    personal_note: Field
    closing: str
    signature: list[Paragraph]
    footer: Paragraph


def _signature(
    name: str, job_title: str, phone: Paragraph, email: Paragraph
) -> list[Paragraph]:
    return [[Field(name)], [Field(job_title)], phone, email]


LETTER_EN = LetterContent(
    language_tag="en-GB",
    title="Product catalogue letter",
    sender_country="Germany",
    address_block=Field("AddressBlock"),
    date_line=[Field("Date")],
    subject=Field("Subject"),
    salutation=Field("FormalSalutation"),
    body=[
        "Please find enclosed our new product catalogue. It presents our complete "
        "range of office furniture, from height-adjustable desks to conference "
        "seating, with current prices and delivery times.",
        "Customers who order before the end of next month receive a 10% introductory "
        "discount on every item in the catalogue. Quote the reference at the foot of "
        "this letter with your order and we will apply the discount for you.",
        "If you would like a sample or an appointment at our Berlin showroom, "
        "please call or email me directly.",
    ],
    personal_note=Field("PersonalNote"),
    closing="Kind regards,",
    signature=_signature(
        "SalespersonName",
        "SalespersonJobTitle",
        ["Phone: ", Field("SalespersonPhone")],
        ["Email: ", Field("SalespersonEmail")],
    ),
    footer=[
        "Your reference: ",
        Field("SegmentNo"),
        " / ",
        Field("ContactNo", simple=True),
    ],
)

LETTER_DE = LetterContent(
    language_tag="de-DE",
    title="Produktkatalog Brief",
    sender_country="Deutschland",
    address_block=Field("Anschriftenblock"),
    date_line=["Berlin, ", Field("Datum")],
    subject=Field("Betreff"),
    salutation=Field("Anrede"),
    body=[
        "anbei erhalten Sie unseren neuen Produktkatalog. Er zeigt unser gesamtes "
        "Sortiment an Büromöbeln, von höhenverstellbaren Schreibtischen bis zur "
        "Konferenzbestuhlung, mit aktuellen Preisen und Lieferzeiten.",
        "Bei einer Bestellung bis Ende des kommenden Monats gewähren wir Ihnen 10 % "
        "Einführungsrabatt auf alle Artikel des Katalogs. Geben Sie dazu bitte die "
        "Referenz in der Fußzeile dieses Briefes an.",
        "Gern schicken wir Ihnen ein Muster oder vereinbaren einen Termin in unserem "
        "Berliner Ausstellungsraum. Rufen Sie mich einfach an oder schreiben Sie mir.",
    ],
    personal_note=Field("PersönlicheNotiz"),
    closing="Mit freundlichen Grüßen",
    signature=_signature(
        "Verkäufer",
        "VerkäuferPosition",
        ["Telefon: ", Field("VerkäuferTelefon")],
        ["E-Mail: ", Field("VerkäuferEMail")],
    ),
    footer=[
        "Ihre Referenz: ",
        Field("Segmentnr"),
        " / ",
        Field("Kontaktnr", simple=True),
    ],
)

EMAIL_EN = LetterContent(
    language_tag="en-GB",
    title="Product catalogue email",
    sender_country="Germany",
    address_block=None,
    date_line=[Field("Date")],
    subject=Field("Subject"),
    salutation=Field("FormalSalutation"),
    body=[
        "Thank you for your interest in Cronus office furniture. Our new catalogue "
        "is now available as a PDF and on our website, with current prices, "
        "delivery times and planning examples for every room.",
        "Until the end of next month we give a 10% introductory discount on every "
        "item in the catalogue. Reply to this email with the reference below and "
        "we will send you a quotation within two working days.",
    ],
    personal_note=Field("PersonalNote"),
    closing="Best regards,",
    signature=_signature(
        "SalespersonName",
        "SalespersonJobTitle",
        ["Phone: ", Field("SalespersonPhone")],
        ["Email: ", Field("SalespersonEmail")],
    ),
    footer=[
        "Sent to ",
        Field("Email", simple=True),
        " · Your reference: ",
        Field("SegmentNo"),
        " / ",
        Field("ContactNo"),
    ],
)

EMAIL_DE = LetterContent(
    language_tag="de-DE",
    title="Produktkatalog E-Mail",
    sender_country="Deutschland",
    address_block=None,
    date_line=["Berlin, ", Field("Datum")],
    subject=Field("Betreff"),
    salutation=Field("Anrede"),
    body=[
        "vielen Dank für Ihr Interesse an Büromöbeln von Cronus. Unser neuer Katalog "
        "steht ab sofort als PDF und auf unserer Website bereit, mit aktuellen "
        "Preisen, Lieferzeiten und Einrichtungsbeispielen für jeden Raum.",
        "Bis Ende des kommenden Monats gewähren wir 10 % Einführungsrabatt auf alle "
        "Artikel des Katalogs. Antworten Sie einfach mit der unten stehenden "
        "Referenz auf diese E-Mail, und Sie erhalten innerhalb von zwei Werktagen "
        "ein Angebot.",
    ],
    personal_note=Field("PersönlicheNotiz"),
    closing="Freundliche Grüße",
    signature=_signature(
        "Verkäufer",
        "VerkäuferPosition",
        ["Telefon: ", Field("VerkäuferTelefon")],
        ["E-Mail: ", Field("VerkäuferEMail")],
    ),
    footer=[
        "Gesendet an ",
        Field("E-Mail", simple=True),
        " · Ihre Referenz: ",
        Field("Segmentnr"),
        " / ",
        Field("Kontaktnr"),
    ],
)

# File names under letters/ and the content of each template.
LETTER_TEMPLATES: dict[str, LetterContent] = {
    "letter_en.docx": LETTER_EN,
    "letter_de.docx": LETTER_DE,
    "email_en.docx": EMAIL_EN,
    "email_de.docx": EMAIL_DE,
}


def build_letter(content: LetterContent) -> bytes:
    """Build one letter template as the bytes of a .docx file."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    _set_default_font(document, content.language_tag)

    section = document.sections[0]
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(45)
    section.bottom_margin = Mm(25)
    section.left_margin = Mm(25)
    section.right_margin = Mm(20)
    section.header_distance = Mm(12)
    section.footer_distance = Mm(10)

    header = section.header
    letterhead = header.paragraphs[0]
    letterhead.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sender_run = letterhead.add_run(SENDER_NAME)
    sender_run.bold = True
    sender_run.font.size = Pt(14)
    for line in (f"{SENDER_ADDRESS} · {content.sender_country}", SENDER_CONTACT):
        paragraph = header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(line).font.size = Pt(9)

    footer_paragraph = section.footer.paragraphs[0]
    footer_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_parts(footer_paragraph, content.footer, size=Pt(8))

    if content.address_block is not None:
        return_address = document.add_paragraph()
        return_address.add_run(f"{SENDER_NAME} · {SENDER_ADDRESS}").font.size = Pt(7)
        _add_parts(document.add_paragraph(), [content.address_block])
        document.add_paragraph()

    date_paragraph = document.add_paragraph()
    date_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _add_parts(date_paragraph, content.date_line)

    _add_parts(document.add_paragraph(), [content.subject], bold=True)
    _add_parts(document.add_paragraph(), [content.salutation])
    for text in content.body:
        document.add_paragraph(text)
    _add_parts(document.add_paragraph(), [content.personal_note])

    document.add_paragraph(content.closing)
    document.add_paragraph()
    for signature_line in content.signature:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _add_parts(paragraph, signature_line)

    properties = document.core_properties
    properties.title = content.title
    properties.author = SENDER_NAME
    properties.last_modified_by = SENDER_NAME
    properties.comments = "segtui demo letter template"
    properties.created = FIXED_TIMESTAMP
    properties.modified = FIXED_TIMESTAMP
    properties.revision = 1

    output = io.BytesIO()
    document.save(output)
    return _with_fixed_zip_times(output.getvalue())


def _set_default_font(document: Any, language_tag: str) -> None:
    """Set the Normal style's font and size and the document's proofing language."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    # python-docx's default template sets en-US in the document defaults.
    for language in document.styles.element.iter(qn("w:lang")):
        language.set(qn("w:val"), language_tag)


def _add_parts(
    paragraph: Any, parts: Paragraph, bold: bool = False, size: Any = None
) -> None:
    for part in parts:
        if isinstance(part, Field):
            if part.simple:
                _add_simple_field(paragraph, part.name, bold, size)
            else:
                _add_complex_field(paragraph, part.name, bold, size)
        else:
            run = paragraph.add_run(part)
            run.bold = bold or None
            if size is not None:
                run.font.size = size


def _field_instruction(name: str) -> str:
    return f" MERGEFIELD  {name}  \\* MERGEFORMAT "


def _add_complex_field(paragraph: Any, name: str, bold: bool, size: Any) -> None:
    """Append a field as Word writes it: begin, instruction, separate, result, end.

    Each of the five parts is a run of its own, and the result run shows ``«name»``
    until the letter is merged.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def add_run() -> Any:
        run = paragraph.add_run()
        run.bold = bold or None
        if size is not None:
            run.font.size = size
        return run

    def add_field_char(kind: str) -> None:
        field_char = OxmlElement("w:fldChar")
        field_char.set(qn("w:fldCharType"), kind)
        add_run()._r.append(field_char)

    add_field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = _field_instruction(name)
    add_run()._r.append(instruction)
    add_field_char("separate")
    result = add_run()
    result.font.no_proof = True
    result.text = f"«{name}»"
    add_field_char("end")


def _add_simple_field(paragraph: Any, name: str, bold: bool, size: Any) -> None:
    """Append a field as one ``w:fldSimple`` element around its result run."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.run import Run

    simple_field = OxmlElement("w:fldSimple")
    simple_field.set(qn("w:instr"), _field_instruction(name))
    result = OxmlElement("w:r")
    simple_field.append(result)
    paragraph._p.append(simple_field)

    run = Run(result, paragraph)
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    run.font.no_proof = True
    run.text = f"«{name}»"


def _with_fixed_zip_times(content: bytes) -> bytes:
    """Rewrite a .docx with every zip entry dated ``FIXED_TIMESTAMP``.

    python-docx stamps each entry with the time of saving, so without this step the
    same template gives different bytes on every run.
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry.filename))
    return output.getvalue()
