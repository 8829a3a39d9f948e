"""Contacts: reading and deleting them, with the guards segments need."""

from __future__ import annotations

from segtui.db import write_transaction
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.users import Permission, require
from segtui.i18n import _
from segtui.models import Contact, SegmentLine


def get_contact(no: str) -> Contact:
    contact = Contact.get_or_none(Contact.no == no.strip().upper())
    if contact is None:
        raise NotFoundError(_("Contact {no!r} does not exist.").format(no=no))
    return contact


def delete_contact(no: str, *, user: str) -> None:
    """Delete a contact with its classifications.

    A contact on an unlogged segment cannot be deleted, and neither can a company
    that still has persons. Interaction log entries keep the contact's number and
    name, so its history stays readable.
    """
    require(user, Permission.MARKETING, _("delete contacts"))
    with write_transaction():
        contact = get_contact(no)
        segments = [
            row[0]
            for row in SegmentLine.select(SegmentLine.segment)
            .where(SegmentLine.contact == contact.no)
            .distinct()
            .order_by(SegmentLine.segment)
            .tuples()
        ]
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
                _(
                    "Company {no} {name} still has {count} persons; delete them or move "
                    "them to another company first."
                ).format(no=contact.no, name=contact.name, count=persons)
            )
        Contact.update(company=None).where(Contact.no == contact.no).execute()
        contact.delete_instance()
