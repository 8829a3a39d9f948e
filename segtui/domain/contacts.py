"""Contacts: creating, changing and deleting them, with the guards segments need.

A contact on an unlogged segment cannot be deleted or moved to another company,
because the segment's lines read the contact's name and company when they are
logged. A person's inherited fields (``INHERITED_COLUMNS``) follow its company's
values while they are equal to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from segtui.db import current_database, is_sqlite, write_transaction
from segtui.domain import clock
from segtui.domain.contact_fields import (
    BOOLEAN_COLUMNS,
    CODE_COLUMNS,
    CONTACT_COLUMNS,
    INHERITED_COLUMNS,
    column_label,
    column_value,
    composed_name,
    known_codes,
    model_field,
    parse_value,
)
from segtui.domain.errors import (
    InvalidValueError,
    NotFoundError,
    Problem,
    ValidationError,
)
from segtui.domain.numbering import CONTACT_SERIES, next_number
from segtui.domain.users import Permission, require
from segtui.domain.versions import check_version
from segtui.i18n import _, format_count, ngettext
from segtui.models import (
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactType,
    SegmentLine,
)
from segtui.models.contact_search import update_search_index


def get_contact(no: str) -> Contact:
    contact = Contact.get_or_none(Contact.no == no.strip().upper())
    if contact is None:
        raise NotFoundError(_("Contact {no!r} does not exist.").format(no=no))
    return contact


def _lock_contact(no: str) -> Contact:
    """Read a contact for changing it; on PostgreSQL its row stays locked."""
    query = Contact.select().where(Contact.no == no.strip().upper())
    if not is_sqlite():
        # SQLite's BEGIN IMMEDIATE already holds the one write lock.
        query = query.for_update()
    contact = query.first()
    if contact is None:
        raise NotFoundError(_("Contact {no!r} does not exist.").format(no=no))
    return contact


def unlogged_segments(contact_no: str) -> list[str]:
    """Return the numbers of the unlogged segments that have a line for the contact."""
    return [
        row[0]
        for row in SegmentLine.select(SegmentLine.segment)
        .where(SegmentLine.contact == contact_no)
        .distinct()
        .order_by(SegmentLine.segment)
        .tuples()
    ]


def contact_values(contact: Contact) -> dict[str, Any]:
    """Return every column of a contact, codes as text and blank as ""."""
    return {column: column_value(contact, column) for column in CONTACT_COLUMNS}


def parse_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Read typed values by column, raising ValidationError that lists every bad one."""
    codes = known_codes()
    parsed: dict[str, Any] = {}
    problems: list[Problem] = []
    for column, raw in values.items():
        if column not in CONTACT_COLUMNS:
            raise InvalidValueError(
                _("Unknown contact field {field!r}; the fields are: {known}.").format(
                    field=column, known=", ".join(CONTACT_COLUMNS)
                )
            )
        try:
            parsed[column] = parse_value(column, raw, codes)
        except InvalidValueError as error:
            problems.append(Problem(f"{column_label(column)}: {error.message}"))
    if problems:
        raise ValidationError(_("The contact was not saved:"), problems)
    return parsed


def _stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn column values into Contact field values: blank codes become NULL."""
    stored: dict[str, Any] = {}
    for column, value in values.items():
        if column in CODE_COLUMNS or column == "company_no":
            stored[model_field(column)] = value or None
        else:
            stored[model_field(column)] = value
    return stored


def _company_of(no: str, *, for_contact: str) -> Contact:
    company = Contact.get_or_none(Contact.no == no)
    if company is None:
        raise InvalidValueError(
            _(
                "Company {no!r} does not exist; give the number of a company, or "
                "leave Company No. blank."
            ).format(no=no)
        )
    if company.type != ContactType.COMPANY:
        raise InvalidValueError(
            _(
                "Contact {no} {name} is a person, not a company, so {contact} cannot "
                "belong to it."
            ).format(no=company.no, name=company.name, contact=for_contact or _("it"))
        )
    return company


def inherit_from_company(
    values: dict[str, Any],
    old_company: Mapping[str, Any] | None,
    new_company: Mapping[str, Any],
    keep: set[str],
) -> None:
    """Give a person its new company's inherited values where it had the old one's.

    A person without a company had blank values to inherit, so its blank fields
    take the company's. Columns in ``keep`` were given by the user and stay as given.
    """
    for column in INHERITED_COLUMNS:
        if column in keep:
            continue
        old_value = old_company.get(column, "") if old_company else ""
        if values.get(column, "") == old_value:
            values[column] = new_company.get(column, "")


def create_contact(values: Mapping[str, Any], *, user: str) -> Contact:
    """Create a contact from column values; a blank number takes the next CONTACT number.

    A person of a company takes the company's address, phone, language,
    salesperson and territory where its own are blank.
    """
    require(user, Permission.MARKETING, _("create contacts"))
    parsed = parse_values(values)
    with write_transaction():
        no = parsed.get("no") or next_number(CONTACT_SERIES)
        if Contact.get_or_none(Contact.no == no) is not None:
            raise InvalidValueError(
                _(
                    "Contact {no} already exists; give another number, or leave it "
                    "blank to take the next one."
                ).format(no=no)
            )
        row = {column: "" for column in CONTACT_COLUMNS}
        row.update({column: False for column in BOOLEAN_COLUMNS})
        row.update(parsed)
        row["no"] = no
        row["type"] = row["type"] or ContactType.PERSON
        if row["type"] == ContactType.COMPANY:
            row["company_no"] = no
        elif row["company_no"]:
            company = _company_of(row["company_no"], for_contact=no)
            inherit_from_company(row, None, contact_values(company), set())
        _complete_name(row, None)
        now = clock.now()
        Contact.insert(
            **_stored(row), created_at=now, created_by=user, version=1
        ).execute()
        update_search_index(current_database())
        return get_contact(no)


def _complete_name(row: dict[str, Any], old: Mapping[str, Any] | None) -> None:
    """Build a person's name from its parts when it is blank or was built that way."""
    if row["type"] == ContactType.PERSON:
        parts = (row["first_name"], row["middle_name"], row["surname"])
        if not row["name"] or (
            old is not None
            and row["name"] == old["name"]
            and old["name"]
            == composed_name(old["first_name"], old["middle_name"], old["surname"])
        ):
            row["name"] = composed_name(*parts) or row["name"]
    if not row["name"]:
        raise InvalidValueError(
            _("A contact needs a name; type a name, or a first name or surname.")
        )


def update_contact(
    no: str,
    changes: Mapping[str, Any],
    *,
    user: str,
    expected_version: int | None = None,
) -> Contact:
    """Change a contact's fields, given as columns and values.

    Raises ConflictError when someone saved the contact since ``expected_version``
    was read. A contact on an unlogged segment cannot move to another company. A
    person moving to another company takes the new company's inherited values
    where it had the old company's. A company's persons follow its changed values
    in the same way.
    """
    require(user, Permission.MARKETING, _("change contacts"))
    parsed = parse_values(changes)
    with write_transaction():
        contact = _lock_contact(no)
        check_version(
            contact, expected_version, _("Contact {no}").format(no=contact.no)
        )
        old = contact_values(contact)
        row = dict(old)
        row.update(parsed)
        if row["no"] != contact.no:
            raise InvalidValueError(
                _(
                    "The number of contact {no} cannot change; create a new contact "
                    "instead."
                ).format(no=contact.no)
            )
        _check_type_change(contact, old["type"], row["type"])
        if row["type"] == ContactType.COMPANY:
            row["company_no"] = contact.no
        elif old["type"] == ContactType.COMPANY and "company_no" not in parsed:
            row["company_no"] = ""
        if row["company_no"] != old["company_no"]:
            _move_to_company(contact, old, row, set(parsed))
        _complete_name(row, old)

        changed = {column: row[column] for column in row if row[column] != old[column]}
        if not changed:
            return contact
        Contact.update(
            **_stored(changed),
            version=Contact.version + 1,
            modified_at=clock.now(),
            modified_by=user,
        ).where(Contact.no == contact.no).execute()
        if row["type"] == ContactType.COMPANY:
            propagate_to_persons(contact.no, old, changed, user)
        update_search_index(current_database())
        return get_contact(contact.no)


def _check_type_change(contact: Contact, old_type: str, new_type: str) -> None:
    if old_type == new_type:
        return
    if new_type == ContactType.PERSON:
        persons = (
            Contact.select()
            .where((Contact.company == contact.no) & (Contact.no != contact.no))
            .count()
        )
        if persons:
            raise InvalidValueError(
                ngettext(
                    "Company {no} has {count} person, so it cannot become a person; "
                    "move that person to another company first.",
                    "Company {no} has {count} persons, so it cannot become a person; "
                    "move them to another company first.",
                    persons,
                ).format(no=contact.no, count=format_count(persons))
            )
        own = [
            model
            for model in (ContactIndustryGroup, ContactBusinessRelation)
            if model.select().where(model.contact == contact.no).exists()
        ]
        if own:
            raise InvalidValueError(
                _(
                    "Company {no} has industry groups or business relations, which "
                    "only companies have; remove them before making it a person."
                ).format(no=contact.no)
            )
    elif (
        ContactJobResponsibility.select()
        .where(ContactJobResponsibility.contact == contact.no)
        .exists()
    ):
        raise InvalidValueError(
            _(
                "Person {no} has job responsibilities, which only persons have; "
                "remove them before making it a company."
            ).format(no=contact.no)
        )


def _move_to_company(
    contact: Contact, old: Mapping[str, Any], row: dict[str, Any], given: set[str]
) -> None:
    segments = unlogged_segments(contact.no)
    if segments:
        raise InvalidValueError(
            _(
                "Contact {no} {name} is on segment {segments}, which is not logged, so "
                "it cannot move to another company; remove it from the segment or log "
                "the segment first."
            ).format(no=contact.no, name=contact.name, segments=", ".join(segments))
        )
    if row["type"] != ContactType.PERSON:
        return
    old_company = None
    if old["company_no"] and old["company_no"] != contact.no:
        found = Contact.get_or_none(Contact.no == old["company_no"])
        old_company = contact_values(found) if found is not None else None
    if not row["company_no"]:
        return
    if row["company_no"] == contact.no:
        raise InvalidValueError(
            _("Person {no} cannot be its own company.").format(no=contact.no)
        )
    company = _company_of(row["company_no"], for_contact=contact.no)
    inherit_from_company(row, old_company, contact_values(company), given)


def propagate_to_persons(
    company_no: str, old: Mapping[str, Any], changed: Mapping[str, Any], user: str
) -> int:
    """Give a company's persons its new inherited values where they had its old ones.

    Runs one UPDATE per changed inherited field and returns the rows it changed.
    Each changed person's version goes up, so an edit of it begun before fails.
    """
    updated = 0
    persons = (Contact.company == company_no) & (Contact.type == ContactType.PERSON)
    for column in INHERITED_COLUMNS:
        if column not in changed:
            continue
        field = getattr(Contact, model_field(column))
        old_value = old[column]
        if column in CODE_COLUMNS:
            same = field.is_null() if not old_value else field == old_value
        else:
            same = field == old_value
        new_value = changed[column] or (None if column in CODE_COLUMNS else "")
        updated += (
            Contact.update(
                {
                    field: new_value,
                    Contact.version: Contact.version + 1,
                    Contact.modified_at: clock.now(),
                    Contact.modified_by: user,
                }
            )
            .where(persons & same)
            .execute()
            or 0
        )
    return updated


def delete_contact(no: str, *, user: str) -> None:
    """Delete a contact with its classifications.

    A contact on an unlogged segment cannot be deleted, and neither can a company
    that still has persons. Interaction log entries keep the contact's number and
    name, so its history stays readable.
    """
    require(user, Permission.MARKETING, _("delete contacts"))
    with write_transaction():
        contact = get_contact(no)
        segments = unlogged_segments(contact.no)
        if segments:
            raise InvalidValueError(
                _(
                    "Contact {no} {name} is on segment {segments}, which is not logged; "
                    "remove it from the segment or log the segment first."
                ).format(no=contact.no, name=contact.name, segments=", ".join(segments))
            )
        persons = (
            Contact.select(Contact.no)
            .where((Contact.company == contact.no) & (Contact.no != contact.no))
            .count()
        )
        if persons:
            raise InvalidValueError(
                ngettext(
                    "Company {no} {name} still has {count} person; delete that person "
                    "or move them to another company first.",
                    "Company {no} {name} still has {count} persons; delete them or move "
                    "them to another company first.",
                    persons,
                ).format(no=contact.no, name=contact.name, count=format_count(persons))
            )
        Contact.update(company=None).where(Contact.no == contact.no).execute()
        contact.delete_instance()
        update_search_index(current_database())
