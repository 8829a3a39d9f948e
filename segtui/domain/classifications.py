"""Classifications: the code tables contacts are tagged with, and the tags themselves.

Mailing groups apply to every contact, industry groups and business relations to
companies (their persons inherit them for criteria), job responsibilities to
persons. Changing a code table is setup work for an admin; tagging a contact is
marketing work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn

from segtui.db import write_transaction
from segtui.domain.contacts import get_contact
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.setup_tables import check_code_length
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, inside_sentence, ngettext
from segtui.models import (
    BusinessRelation,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactType,
    IndustryGroup,
    JobResponsibility,
    MailingGroup,
    Territory,
)

MAX_CODE_LENGTH = 20


@dataclass(frozen=True)
class Kind:
    """One kind of classification: its code table, its link table and its contacts."""

    key: str
    # The column of contacts.csv that lists a contact's codes of this kind.
    column: str
    label: str
    code_model: Any
    link_model: Any
    # The name of the link model's foreign key to the code table.
    link_field: str
    # The contact type it applies to, or None for both.
    contact_type: str | None = None

    def link_code(self) -> Any:
        return getattr(self.link_model, self.link_field)


def classification_kinds() -> dict[str, Kind]:
    """Return the kinds by key; built on call so labels follow the language."""
    kinds = (
        Kind(
            "mailing_group",
            "mailing_groups",
            _("Mailing group"),
            MailingGroup,
            ContactMailingGroup,
            "mailing_group",
        ),
        Kind(
            "industry_group",
            "industry_groups",
            _("Industry group"),
            IndustryGroup,
            ContactIndustryGroup,
            "industry_group",
            ContactType.COMPANY,
        ),
        Kind(
            "business_relation",
            "business_relations",
            _("Business relation"),
            BusinessRelation,
            ContactBusinessRelation,
            "business_relation",
            ContactType.COMPANY,
        ),
        Kind(
            "job_responsibility",
            "job_responsibilities",
            _("Job responsibility"),
            JobResponsibility,
            ContactJobResponsibility,
            "job_responsibility",
            ContactType.PERSON,
        ),
    )
    return {kind.key: kind for kind in kinds}


def find_kind(key: str) -> Kind:
    wanted = key.strip().casefold().replace("-", "_").replace(" ", "_")
    kinds = classification_kinds()
    for kind in kinds.values():
        if wanted in (kind.key, kind.column):
            return kind
    raise InvalidValueError(
        _("Unknown classification {kind!r}; the kinds are: {known}.").format(
            kind=key, known=", ".join(kinds)
        )
    )


def applies_to(kind: Kind, contact_type: str) -> bool:
    return kind.contact_type is None or kind.contact_type == contact_type


def wrong_type_message(kind: Kind) -> str:
    if kind.contact_type == ContactType.COMPANY:
        return _(
            "{kind} codes belong to companies, and their persons inherit them; "
            "give it to the person's company instead."
        ).format(kind=kind.label)
    return _("{kind} codes belong to persons, not companies.").format(kind=kind.label)


# Code tables: the classifications and territories.


@dataclass(frozen=True)
class CodeTable:
    """A setup table of codes and descriptions, with what refers to its codes."""

    key: str
    label: str
    model: Any
    # The field holding the text: ``description``, or ``name`` for territories.
    text_field: str
    # The column of another table that refers to a code, to count its uses.
    used_by: Any


def code_tables() -> dict[str, CodeTable]:
    tables = [
        CodeTable(
            kind.key,
            kind.label,
            kind.code_model,
            "description",
            kind.link_code(),
        )
        for kind in classification_kinds().values()
    ]
    tables.append(
        CodeTable("territory", _("Territory"), Territory, "name", Contact.territory)
    )
    return {table.key: table for table in tables}


def find_code_table(key: str) -> CodeTable:
    tables = code_tables()
    wanted = key.strip().casefold().replace("-", "_")
    if wanted not in tables:
        raise InvalidValueError(
            _("Unknown setup table {table!r}; the tables are: {known}.").format(
                table=key, known=", ".join(tables)
            )
        )
    return tables[wanted]


@dataclass(frozen=True)
class CodeRow:
    code: str
    text: str
    # How many contacts have the code.
    contacts: int


def list_codes(table_key: str) -> list[CodeRow]:
    """Return a code table's codes with the number of contacts that have each."""
    table = find_code_table(table_key)
    key = table.model._meta.primary_key
    uses = (
        table.used_by.model.select(
            table.used_by.alias("code"), fn.COUNT(table.used_by).alias("uses")
        )
        .where(table.used_by.is_null(False))
        .group_by(table.used_by)
        .alias("uses")
    )
    query = (
        table.model.select(
            key, getattr(table.model, table.text_field), fn.COALESCE(uses.c.uses, 0)
        )
        .join(uses, on=(uses.c.code == key), join_type=JOIN.LEFT_OUTER)
        .order_by(key)
        .tuples()
    )
    return [CodeRow(code, text, int(count)) for code, text, count in query]


def check_code(code: str) -> str:
    """Return a code cleaned and upper-cased, or raise naming what is wrong with it."""
    cleaned = clean_line(code).upper()
    if not cleaned:
        raise InvalidValueError(_("A code cannot be blank; type one."))
    check_code_length(cleaned, _("Code"), MAX_CODE_LENGTH)
    if any(not (c.isalnum() or c in "-_./+#") for c in cleaned):
        raise InvalidValueError(
            _("Code {code!r} may contain only letters, digits and - _ . / + #.").format(
                code=cleaned
            )
        )
    return cleaned


def save_code(table_key: str, code: str, text: str, *, user: str, new: bool) -> str:
    """Create a code (``new``) or change an existing code's description."""
    table = find_code_table(table_key)
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    code = check_code(code) if new else clean_line(code).upper()
    text_value = clean_line(text)
    limit = getattr(table.model, table.text_field).max_length
    if len(text_value) > limit:
        raise InvalidValueError(
            _("The description is longer than {limit} characters; shorten it.").format(
                limit=format_count(limit)
            )
        )
    key = table.model._meta.primary_key
    with write_transaction():
        exists = table.model.select().where(key == code).exists()
        if new and exists:
            raise InvalidValueError(
                _("{table} {code} already exists; pick another code.").format(
                    table=table.label, code=code
                )
            )
        if not new and not exists:
            raise NotFoundError(
                _("{table} {code} does not exist.").format(table=table.label, code=code)
            )
        if new:
            table.model.insert({key: code, table.text_field: text_value}).execute()
        else:
            table.model.update({table.text_field: text_value}).where(
                key == code
            ).execute()
    return code


def delete_code(table_key: str, code: str, *, user: str) -> None:
    """Delete a code that no contact has."""
    table = find_code_table(table_key)
    require(user, Permission.ADMINISTRATION, _("change setup tables"))
    key = table.model._meta.primary_key
    code = clean_line(code).upper()
    with write_transaction():
        if not table.model.select().where(key == code).exists():
            raise NotFoundError(
                _("{table} {code} does not exist.").format(table=table.label, code=code)
            )
        used = table.used_by.model.select().where(table.used_by == code).count()
        if used:
            raise InvalidValueError(
                ngettext(
                    "{table} {code} is used by {count} contact, so it cannot be "
                    "deleted; remove it from that contact first.",
                    "{table} {code} is used by {count} contacts, so it cannot be "
                    "deleted; remove it from them first.",
                    used,
                ).format(table=table.label, code=code, count=format_count(used))
            )
        table.model.delete().where(key == code).execute()


# A contact's classifications.


@dataclass(frozen=True)
class Tag:
    kind: str
    code: str
    description: str


def contact_tags(contact_no: str) -> list[Tag]:
    """Return a contact's own classifications, kind by kind, codes in order."""
    tags = []
    for kind in classification_kinds().values():
        code = kind.link_code()
        query = (
            kind.link_model.select(code, kind.code_model.description)
            .join(kind.code_model)
            .where(kind.link_model.contact == contact_no)
            .order_by(code)
            .tuples()
        )
        tags.extend(Tag(kind.key, row[0], row[1]) for row in query)
    return tags


def add_tag(contact_no: str, kind_key: str, code: str, *, user: str) -> None:
    """Give a contact a classification code; having it already is no error."""
    require(user, Permission.MARKETING, _("change contacts"))
    kind = find_kind(kind_key)
    code = clean_line(code).upper()
    with write_transaction():
        contact = get_contact(contact_no)
        if not applies_to(kind, contact.type):
            raise InvalidValueError(wrong_type_message(kind))
        key = kind.code_model._meta.primary_key
        if not kind.code_model.select().where(key == code).exists():
            codes = [
                row[0] for row in kind.code_model.select(key).order_by(key).tuples()
            ]
            raise NotFoundError(
                _("{kind} {code!r} does not exist; the codes are: {codes}.").format(
                    kind=kind.label, code=code, codes=", ".join(codes) or _("none")
                )
            )
        (
            kind.link_model.insert(
                {kind.link_model.contact: contact.no, kind.link_code(): code}
            )
            .on_conflict_ignore()
            .execute()
        )


def remove_tag(contact_no: str, kind_key: str, code: str, *, user: str) -> None:
    require(user, Permission.MARKETING, _("change contacts"))
    kind = find_kind(kind_key)
    code = clean_line(code).upper()
    with write_transaction():
        contact = get_contact(contact_no)
        deleted = (
            kind.link_model.delete()
            .where((kind.link_model.contact == contact.no) & (kind.link_code() == code))
            .execute()
        )
        if not deleted:
            raise NotFoundError(
                _("Contact {no} has no {kind} {code}.").format(
                    no=contact.no, kind=inside_sentence(kind.label), code=code
                )
            )
