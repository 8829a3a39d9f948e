"""Word letters: the merge fields segtui fills, reading templates, and merging them.

Templates are ordinary Word files with Word's own MERGEFIELD codes. A field name in a
template matches a segtui merge field when both are equal after ignoring case, spaces,
underscores, hyphens and dots, and after writing umlauts as two letters; each merge
field has English and German names. A template field that matches none can be mapped
to a merge field per template language.

python-docx and docx-mailmerge2 add about 100 ms to start-up, so they are imported
only when a document is read or made.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from segtui.domain.errors import InvalidValueError
from segtui.i18n import _

# Each segtui merge field with the names a template may use for it, English first.
MERGE_FIELDS: dict[str, tuple[str, ...]] = {
    "contact_no": ("ContactNo", "Contact No.", "Kontaktnr", "Kontaktnummer"),
    "name": ("Name", "ContactName", "Kontaktname"),
    "first_name": ("FirstName", "Vorname"),
    "middle_name": ("MiddleName", "Zweiter Vorname"),
    "surname": ("Surname", "LastName", "Nachname", "Familienname"),
    "job_title": ("JobTitle", "Position", "Berufsbezeichnung"),
    "company_name": ("CompanyName", "Company", "Firma", "Firmenname", "Unternehmen"),
    "address": ("Address", "Street", "Adresse", "Straße"),
    "address_2": ("Address2", "Adresse2", "Adresszusatz"),
    "post_code": ("PostCode", "PostalCode", "ZipCode", "Zip", "PLZ", "Postleitzahl"),
    "city": ("City", "Town", "Ort", "Stadt"),
    "county": ("County", "State", "Region", "Bundesland"),
    "country": ("Country", "CountryName", "Land"),
    "country_code": ("CountryCode", "Ländercode"),
    "phone": ("Phone", "PhoneNo", "Telefon", "Telefonnummer"),
    "mobile_phone": ("MobilePhone", "Mobile", "Mobiltelefon", "Handy"),
    "email": ("Email", "EmailAddress", "E-Mail", "E-Mail-Adresse"),
    "address_block": ("AddressBlock", "Adressblock", "Anschriftenblock", "Anschrift"),
    "formal_salutation": ("FormalSalutation", "Salutation", "Anrede", "Briefanrede"),
    "informal_salutation": (
        "InformalSalutation",
        "Greeting",
        "InformelleAnrede",
        "Gruß",
    ),
    "salesperson_name": (
        "SalespersonName",
        "Salesperson",
        "Verkäufer",
        "Verkäufername",
    ),
    "salesperson_job_title": ("SalespersonJobTitle", "VerkäuferPosition"),
    "salesperson_phone": ("SalespersonPhone", "VerkäuferTelefon"),
    "salesperson_email": ("SalespersonEmail", "VerkäuferEMail"),
    "segment_no": ("SegmentNo", "Segmentnr", "Segmentnummer"),
    "segment_description": ("SegmentDescription", "Segmentbeschreibung"),
    "subject": ("Subject", "Betreff"),
    "date": ("Date", "LetterDate", "DocumentDate", "Datum", "Briefdatum"),
    "personal_note": ("PersonalNote", "Note", "PersönlicheNotiz", "Notiz"),
    "unit_cost": ("UnitCost", "Cost", "Kosten", "Stückkosten"),
}

# Merge fields whose stored value is an amount, written with the letter's locale.
AMOUNT_FIELDS = ("unit_cost",)

# Placeholders a salutation formula may use, written in braces: ``{surname}``.
SALUTATION_PLACEHOLDERS = (
    "first_name",
    "middle_name",
    "surname",
    "name",
    "job_title",
    "company_name",
)

# Greetings for a contact without a salutation formula in the letter's language.
FALLBACK_SALUTATIONS = {
    ("de", "formal"): "Sehr geehrte Damen und Herren,",
    ("de", "informal"): "Hallo,",
    ("en", "formal"): "Dear Sir or Madam,",
    ("en", "informal"): "Hello,",
    ("nl", "formal"): "Geachte heer, mevrouw,",
    ("nl", "informal"): "Beste,",
}

# Countries that write the post code after the city on its own line.
POST_CODE_LAST = {"GB", "IE"}
# Countries that write "City, State Post code".
CITY_STATE_ZIP = {"US", "CA", "AU"}


class DocumentError(InvalidValueError):
    """Raised for a Word file that cannot be read or merged."""


def normalize_field_name(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[\s_\-.]", "", text)


_ALIASES: dict[str, str] = {}
for _key, _names in MERGE_FIELDS.items():
    _ALIASES[normalize_field_name(_key)] = _key
    for _name in _names:
        _ALIASES[normalize_field_name(_name)] = _key


def match_field(name: str, field_map: Mapping[str, str] | None = None) -> str | None:
    """Return the segtui merge field a template field stands for, or None."""
    if field_map:
        for template_name, merge_field in field_map.items():
            if normalize_field_name(template_name) == normalize_field_name(name):
                return merge_field
    return _ALIASES.get(normalize_field_name(name))


def resolve_merge_field(name: str) -> str:
    """Return the segtui merge field named by its key or any of its names.

    Raises InvalidValueError naming the value and listing the merge fields.
    """
    found = _ALIASES.get(normalize_field_name(name))
    if found is None:
        raise InvalidValueError(
            _("{name!r} is not a merge field of segtui; use one of: {known}.").format(
                name=name, known=", ".join(MERGE_FIELDS)
            )
        )
    return found


@dataclass(frozen=True)
class TemplateField:
    """A merge field found in a template, and the segtui merge field it maps to."""

    name: str
    matched: str | None


def read_merge_fields(content: bytes, file_name: str = "") -> list[str]:
    """Return the distinct merge field names of a Word file, sorted, as written in it."""
    from mailmerge import MailMerge

    try:
        with MailMerge(io.BytesIO(content)) as document:
            return sorted(document.get_merge_fields())
    except zipfile.BadZipFile:
        raise DocumentError(
            _(
                "{file} is not a Word file (.docx); save it as a Word document and import it again."
            ).format(file=file_name or _("The attachment"))
        ) from None
    except Exception as error:  # noqa: BLE001 - docx-mailmerge2 raises many kinds
        raise DocumentError(
            _("{file} cannot be read as a Word letter template: {error}.").format(
                file=file_name or _("The attachment"),
                error=error or type(error).__name__,
            )
        ) from error


def inspect_template(
    content: bytes, field_map: Mapping[str, str] | None = None, file_name: str = ""
) -> list[TemplateField]:
    return [
        TemplateField(name, match_field(name, field_map))
        for name in read_merge_fields(content, file_name)
    ]


def unmatched_fields(
    content: bytes, field_map: Mapping[str, str] | None = None, file_name: str = ""
) -> list[str]:
    return [
        field.name
        for field in inspect_template(content, field_map, file_name)
        if not field.matched
    ]


# Values.


def merge_text_values(values: Mapping[str, Any]) -> dict[str, str]:
    """Turn the stored merge values of one letter into the text of every merge field.

    ``values`` holds the contact's fields as they were at logging, the salutation
    formulas, the salesperson's fields, the segment's fields, the letter date and the
    Babel locale of the letter's language.
    """
    locale = values.get("locale") or "en_GB"
    text = {key: _text(values.get(key)) for key in MERGE_FIELDS}
    text["country"] = country_name(values.get("country_code") or "", locale)
    text["date"] = format_date(values.get("date"), locale)
    for key in AMOUNT_FIELDS:
        text[key] = format_amount(values.get(key), locale)
    text["formal_salutation"] = salutation(values, "formal", locale)
    text["informal_salutation"] = salutation(values, "informal", locale)
    text["address_block"] = address_block(values, locale)
    if values.get("contact_type") == "company":
        text["company_name"] = _text(values.get("name"))
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


def country_name(code: str, locale: str) -> str:
    if not code:
        return ""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale).territories.get(code.upper(), code)
    except (UnknownLocaleError, ValueError):
        return code


def format_date(value: Any, locale: str) -> str:
    if not value:
        return ""
    from babel.dates import format_date as babel_format_date

    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return babel_format_date(day, format="long", locale=locale)


def format_amount(value: Any, locale: str) -> str:
    """Write an amount with two decimals as the locale does: 1,234.50 or 1.234,50."""
    if value is None or value == "":
        return ""
    from decimal import Decimal, InvalidOperation

    from babel.numbers import format_decimal

    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return _text(value)
    return format_decimal(number, format="#,##0.00", locale=locale)


def salutation(values: Mapping[str, Any], kind: str, locale: str) -> str:
    formula = values.get(f"{kind}_salutation_formula") or ""
    if not formula:
        language = locale.split("_")[0].lower()
        return (
            FALLBACK_SALUTATIONS.get((language, kind))
            or FALLBACK_SALUTATIONS[("en", kind)]
        )

    def replace(match: re.Match[str]) -> str:
        return _text(values.get(match.group(1)))

    filled = re.sub(r"\{(\w+)\}", replace, formula)
    filled = re.sub(r"\s+", " ", filled).strip()
    return re.sub(r"\s+([,!.])", r"\1", filled)


def address_block(values: Mapping[str, Any], locale: str) -> str:
    """Format the postal address of a contact as the lines of an envelope window."""
    lines: list[str] = []
    if values.get("contact_type") == "person":
        if values.get("company_name"):
            lines.append(_text(values.get("company_name")))
        full_name = " ".join(
            _text(values.get(key))
            for key in ("first_name", "middle_name", "surname")
            if values.get(key)
        )
        lines.append(full_name or _text(values.get("name")))
    else:
        lines.append(_text(values.get("name")))
    for key in ("address", "address_2"):
        if values.get(key):
            lines.append(_text(values.get(key)))

    country = (values.get("country_code") or "").upper()
    post_code = _text(values.get("post_code"))
    city = _text(values.get("city"))
    county = _text(values.get("county"))
    if country in POST_CODE_LAST:
        lines.extend(part for part in (city, county, post_code) if part)
    elif country in CITY_STATE_ZIP:
        place = ", ".join(
            part
            for part in (city, " ".join(p for p in (county, post_code) if p))
            if part
        )
        if place:
            lines.append(place)
    else:
        place = " ".join(part for part in (post_code, city) if part)
        if place:
            lines.append(place)
    home = (values.get("home_country_code") or "").upper()
    if country and country != home:
        lines.append(country_name(country, locale).upper())
    return "\n".join(line for line in lines if line)


def template_values(
    field_names: Iterable[str],
    text: Mapping[str, str],
    field_map: Mapping[str, str] | None,
) -> dict[str, str]:
    """Return the text for each field name of a template, '' for an unmatched one."""
    values = {}
    for name in field_names:
        merge_field = match_field(name, field_map)
        values[name] = text.get(merge_field, "") if merge_field else ""
    return values


# Merging.


def stored_field_map(
    values: Mapping[str, Any], default: Mapping[str, str] | None = None
) -> Mapping[str, str] | None:
    """Return the field map kept in a letter's merge values, else ``default``.

    Logging keeps the template language's field map with each entry's values, so
    mapping a field differently later does not change a logged letter. It is JSON
    text there, because SQL builds the values.
    """
    stored = values.get("field_map")
    if isinstance(stored, str) and stored:
        stored = json.loads(stored)
    if isinstance(stored, dict):
        return stored
    return default


def render_letter(
    content: bytes,
    values: Mapping[str, Any],
    field_map: Mapping[str, str] | None = None,
) -> bytes:
    """Merge one letter from a template and its stored merge values."""
    from mailmerge import MailMerge

    text = merge_text_values(values)
    field_map = stored_field_map(values, field_map)
    with MailMerge(io.BytesIO(content)) as document:
        document.merge(**template_values(document.get_merge_fields(), text, field_map))
        output = io.BytesIO()
        document.write(output)
        return output.getvalue()


def render_combined(
    content: bytes,
    letters: Iterable[Mapping[str, Any]],
    field_map: Mapping[str, str] | None = None,
) -> bytes:
    """Merge many letters of one template into one document, a section per letter.

    Each letter starts on a new page in its own section, so it keeps the template's
    headers and footers.

    NOTE: docx-mailmerge2 1.0.3 copies headers and footers per letter but not
    footnotes or endnotes, so merge fields there are left empty in this combined
    file. Each letter's own .docx has them filled.
    """
    from mailmerge import MailMerge

    with MailMerge(io.BytesIO(content)) as document:
        names = document.get_merge_fields()
        rows = [
            template_values(
                names, merge_text_values(values), stored_field_map(values, field_map)
            )
            for values in letters
        ]
        if not rows:
            raise ValueError("render_combined needs at least one letter")
        document.merge_templates(rows, separator="nextPage_section")
        output = io.BytesIO()
        document.write(output)
        return output.getvalue()


def leftover_field_codes(content: bytes, field_names: Iterable[str] = ()) -> list[str]:
    """Return the parts of a .docx that still hold a MERGEFIELD code or a placeholder.

    A placeholder is ``«NAME»`` for one of ``field_names``, the template's own field
    names; other text in guillemets is left alone, since Swiss German quotes with them.
    """
    placeholders = [f"«{name}»" for name in field_names]
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8", errors="replace")
            if "MERGEFIELD" in xml or any(p in xml for p in placeholders):
                found.append(name)
    return found


def part_texts(content: bytes) -> dict[str, str]:
    """Return the text of every XML part of a .docx that has text, by part name.

    Unlike document_text this reaches every part, footnotes and endnotes included.
    """
    from xml.etree import ElementTree

    text_tag = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    texts = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            pieces = [element.text or "" for element in root.iter(text_tag)]
            if pieces:
                texts[name] = "".join(pieces)
    return texts


def document_text(content: bytes) -> str:
    """Return the text of a .docx: headers, body with tables, then footers."""
    import docx

    document = docx.Document(io.BytesIO(content))
    lines: list[str] = []

    def add_block(block: Any) -> None:
        for paragraph in block.paragraphs:
            lines.append(paragraph.text)
        for table in block.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))

    seen_parts: set[int] = set()
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            if not header.is_linked_to_previous and id(header.part) not in seen_parts:
                seen_parts.add(id(header.part))
                add_block(header)
    add_block(document)
    for section in document.sections:
        for footer in (section.footer, section.first_page_footer):
            if not footer.is_linked_to_previous and id(footer.part) not in seen_parts:
                seen_parts.add(id(footer.part))
                add_block(footer)
    return "\n".join(lines)
