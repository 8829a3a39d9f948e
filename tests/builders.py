"""A small, exact data set for domain tests, built through the models."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from segtui.models import (
    Attachment,
    BusinessRelation,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactMailingGroup,
    IndustryGroup,
    InteractionGroup,
    InteractionTemplate,
    InteractionTemplateLanguage,
    Language,
    MailingGroup,
    Salesperson,
    Salutation,
    SalutationFormula,
    Territory,
)

# Merge fields of the letter the small world uses, in English and German names.
LETTER_FIELDS = [
    "AddressBlock",
    "Date",
    "Subject",
    "FormalSalutation",
    "InformalSalutation",
    "SalespersonName",
    "SalespersonEmail",
    "SegmentDescription",
    "PersonalNote",
    "Anrede",
    "Firma",
]


def word_file(fields: list[str], footer_field: str | None = "ContactNo") -> bytes:
    """Return a .docx with one paragraph per merge field, as Word writes the fields."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def add_field(paragraph: object, name: str) -> None:
        element = paragraph._p  # type: ignore[attr-defined]
        for kind, text in (
            ("begin", None),
            ("instr", f" MERGEFIELD  {name}  \\* MERGEFORMAT "),
            ("separate", None),
            ("text", f"«{name}»"),
            ("end", None),
        ):
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

    document = docx.Document()
    for name in fields:
        paragraph = document.add_paragraph(f"{name}: ")
        add_field(paragraph, name)
    if footer_field:
        footer = document.sections[0].footer.paragraphs[0]
        footer.text = "Ref. "
        add_field(footer, footer_field)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class World:
    """Numbers of the contacts build_world makes, named by their role."""

    company: str = "CO1"
    person: str = "CO1P1"
    person_excluded: str = "CO1P2"
    person_blocked: str = "CO1P3"
    other_company: str = "CO2"
    other_person: str = "CO2P1"
    independent: str = "IND1"
    independent_no_email: str = "IND2"
    markup_name: str = "IND3"


def build_world() -> World:
    """Create setup, two companies with persons, independent persons, a LETTER template.

    CO1 (DE, industry RETAIL, relation CUST) has persons CO1P1 (mailing group NEWS),
    CO1P2 (excluded from segments) and CO1P3 (privacy blocked). CO2 (AT, industry IT)
    has CO2P1 (NEWS). IND1 (CH, NEWS and VIP) and IND2 (GB, no email) are
    independent; IND3 (US) is named ``[bold]x``.
    """
    Language.create(code="EN", name="English", locale="en_GB")
    Language.create(code="DE", name="Deutsch", locale="de_DE")
    Salesperson.create(
        code="AH",
        name="Annette Hill",
        job_title="Sales",
        phone="+49 1",
        email="ah@example.com",
    )
    Salesperson.create(code="JÖ", name="Jörg Öztürk", email="jo@example.de")
    Territory.create(code="NORTH", name="North")
    Territory.create(code="SOUTH", name="South")
    Salutation.create(code="M", description="Male")
    for language, kind, formula in (
        ("EN", "formal", "Dear Mr {surname},"),
        ("EN", "informal", "Dear {first_name},"),
        ("DE", "formal", "Sehr geehrter Herr {surname},"),
        ("DE", "informal", "Lieber {first_name},"),
    ):
        SalutationFormula.create(
            salutation="M", language=language, kind=kind, formula=formula
        )
    for code in ("NEWS", "VIP"):
        MailingGroup.create(code=code, description=code.title())
    IndustryGroup.create(code="RETAIL", description="Retail")
    IndustryGroup.create(code="IT", description="IT")
    BusinessRelation.create(code="CUST", description="Customer")

    def contact(no: str, **values: object) -> None:
        defaults: dict[str, object] = {
            "no": no,
            "type": "person",
            "salutation": "M",
            "email": f"{no.lower()}@example.com",
        }
        defaults.update(values)
        Contact.create(**defaults)

    contact(
        "CO1",
        type="company",
        name="Müller GmbH",
        country_code="DE",
        city="Berlin",
        post_code="10115",
        address="Hauptstraße 1",
        language="DE",
        territory="NORTH",
        salesperson="AH",
        correspondence_type="hard_copy",
        salutation=None,
    )
    Contact.update(company="CO1").where(Contact.no == "CO1").execute()
    for no, first, surname, extra in (
        ("CO1P1", "Jürgen", "Müller", {}),
        ("CO1P2", "Anna", "Bauer", {"exclude_from_segment": True}),
        ("CO1P3", "Paul", "Schmidt", {"privacy_blocked": True}),
    ):
        contact(
            no,
            name=f"{first} {surname}",
            first_name=first,
            surname=surname,
            company="CO1",
            country_code="DE",
            city="Berlin",
            post_code="10115",
            address="Hauptstraße 1",
            language="DE",
            territory="NORTH",
            **extra,
        )
    contact(
        "CO2",
        type="company",
        name="Alpen IT AG",
        country_code="AT",
        city="Wien",
        language="DE",
        territory="SOUTH",
        salutation=None,
    )
    Contact.update(company="CO2").where(Contact.no == "CO2").execute()
    contact(
        "CO2P1",
        name="Lena Gruber",
        first_name="Lena",
        surname="Gruber",
        company="CO2",
        country_code="AT",
        city="Wien",
        language="DE",
        territory="SOUTH",
        correspondence_type="email",
    )
    contact(
        "IND1",
        name="Zoë Keller",
        first_name="Zoë",
        surname="Keller",
        country_code="CH",
        city="Zürich",
        language="DE",
        correspondence_type="email",
    )
    contact(
        "IND2",
        name="Tom Baker",
        first_name="Tom",
        surname="Baker",
        country_code="GB",
        city="London",
        post_code="SW1A 1AA",
        language="EN",
        email="",
    )
    contact(
        "IND3",
        name="[bold]x",
        first_name="X",
        surname="[bold]x",
        country_code="US",
        language="EN",
    )

    for no, group in (
        ("CO1P1", "NEWS"),
        ("CO2P1", "NEWS"),
        ("IND1", "NEWS"),
        ("IND1", "VIP"),
    ):
        ContactMailingGroup.create(contact=no, mailing_group=group)
    ContactIndustryGroup.create(contact="CO1", industry_group="RETAIL")
    ContactIndustryGroup.create(contact="CO2", industry_group="IT")
    ContactBusinessRelation.create(contact="CO1", business_relation="CUST")

    group = InteractionGroup.create(code="LETTER", description="Letters")
    template = InteractionTemplate.create(
        code="LETTER",
        group=group,
        description="Catalogue letter",
        correspondence_type="hard_copy",
        unit_cost=Decimal("1.20"),
        unit_duration=Decimal("5"),
        language="EN",
    )
    for language, subject in (("EN", "Our catalogue"), ("DE", "Unser Katalog")):
        attachment = Attachment.create(
            file_name=f"letter_{language.lower()}.docx",
            content=word_file(LETTER_FIELDS),
        )
        InteractionTemplateLanguage.create(
            template=template, language=language, attachment=attachment, subject=subject
        )
    InteractionTemplate.create(
        code="CALL",
        group=group,
        description="Phone call",
        correspondence_type="",
        ignore_contact_corresp_type=True,
        language="EN",
    )
    return World()
