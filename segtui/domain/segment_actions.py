"""Criteria actions on a segment's lines: add, reduce, refine, insert and delete.

Each action runs as a few set-based statements and is recorded, with the whole lines
it inserted or deleted, so the criteria list shows how the segment was built and Go
Back and Go Forward can restore the lines exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Field, Value, fn

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.criteria import AddOptions, Filters, Selection, clean_filters
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.propagation import constant, line_columns
from segtui.domain.segmentation import get_segment
from segtui.domain.sql import json_object
from segtui.domain.text import clean_line
from segtui.i18n import _, ngettext
from segtui.models import (
    Contact,
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
)

LINE_NO_STEP = 10000

# Line columns kept whole in the segment history, so Go Back restores a line exactly.
SNAPSHOT_FIELDS: tuple[Field, ...] = tuple(
    field
    for field in SegmentLine._meta.sorted_fields
    if field.name not in ("id", "segment")
)


@dataclass(frozen=True)
class ActionResult:
    """The number of lines one criteria action inserted and deleted."""

    action_id: int
    inserted: int = 0
    deleted: int = 0


# Criteria actions.


def count_add_contacts(
    filters: Mapping[str, Mapping[str, str]],
    options: AddOptions,
    segment_no: str | None = None,
) -> int:
    """Return how many contacts Add Contacts would insert with these filters now."""
    cleaned = clean_filters(filters)
    return Selection(cleaned, options, segment_no).count()


def add_contacts(
    no: str,
    filters: Mapping[str, Mapping[str, str]],
    options: AddOptions,
    *,
    user: str,
) -> ActionResult:
    """Insert a line for every contact the filters and options select."""
    cleaned = clean_filters(filters)
    with write_transaction():
        segment = get_segment(no)
        action = record_action(segment, "add", cleaned, options.as_dict(), user)
        selection = Selection(cleaned, options, segment.no)
        inserted = insert_lines(segment, action, selection.condition())
        return ActionResult(action.id, inserted=inserted)


def insert_line(
    no: str, contact_no: str, *, user: str, allow_existing: bool = False
) -> ActionResult:
    """Insert one line for a contact typed by the user."""
    contact_no = clean_line(contact_no).upper()
    with write_transaction():
        segment = get_segment(no)
        contact = Contact.get_or_none(Contact.no == contact_no)
        if contact is None:
            raise NotFoundError(
                _("Contact {no!r} does not exist; check the number.").format(
                    no=contact_no
                )
            )
        if contact.privacy_blocked:
            raise InvalidValueError(
                _("Contact {no} {name} is privacy blocked and cannot be added.").format(
                    no=contact.no, name=contact.name
                )
            )
        existing = (
            SegmentLine.select(SegmentLine.line_no)
            .where(
                (SegmentLine.segment == segment.no)
                & (SegmentLine.contact == contact.no)
            )
            .first()
        )
        if existing is not None and not allow_existing:
            raise InvalidValueError(
                _("Contact {no} {name} is already on line {line_no}.").format(
                    no=contact.no, name=contact.name, line_no=existing.line_no
                )
            )
        action = record_action(
            segment, "insert_line", {}, {"contact_no": contact.no}, user
        )
        inserted = insert_lines(segment, action, Contact.no == contact.no)
        return ActionResult(action.id, inserted=inserted)


def delete_lines(no: str, line_nos: Sequence[int], *, user: str) -> ActionResult:
    """Delete lines by line number, keeping them whole in the history."""
    with write_transaction():
        segment = get_segment(no)
        where = (SegmentLine.segment == segment.no) & SegmentLine.line_no.in_(
            list(line_nos)
        )
        contacts = [
            row[0]
            for row in SegmentLine.select(SegmentLine.contact)
            .where(where)
            .order_by(SegmentLine.line_no)
            .tuples()
        ]
        if not contacts:
            raise NotFoundError(
                _("Segment {no} has no line {lines}.").format(
                    no=segment.no, lines=", ".join(str(n) for n in line_nos)
                )
            )
        action = record_action(
            segment, "delete_line", {}, {"contact_nos": contacts}, user
        )
        _record_history(action, "deleted", where)
        deleted = SegmentLine.delete().where(where).execute()
        action.lines_deleted = deleted
        action.save()
        return ActionResult(action.id, deleted=deleted)


def record_action(
    segment: SegmentHeader,
    action: str,
    filters: Filters,
    options: dict[str, Any],
    user: str,
) -> SegmentCriteriaAction:
    # A new action ends the actions undone by Go Back: they can no longer be redone.
    SegmentCriteriaAction.delete().where(
        (SegmentCriteriaAction.segment == segment.no)
        & (SegmentCriteriaAction.active == False)  # noqa: E712
    ).execute()
    last = (
        SegmentCriteriaAction.select(fn.MAX(SegmentCriteriaAction.sequence))
        .where(SegmentCriteriaAction.segment == segment.no)
        .scalar()
    )
    return SegmentCriteriaAction.create(
        segment=segment.no,
        sequence=(last or 0) + 1,
        action=action,
        filters=filters,
        options=options,
        created_at=clock.now(),
        created_by=user,
    )


def insert_lines(
    segment: SegmentHeader, action: SegmentCriteriaAction, condition: Any
) -> int:
    """Insert a line for each contact matching ``condition`` in one INSERT ... SELECT."""
    last_line = (
        SegmentLine.select(fn.MAX(SegmentLine.line_no))
        .where(SegmentLine.segment == segment.no)
        .scalar()
    ) or 0
    columns = line_columns(segment)
    fields = [SegmentLine.segment, SegmentLine.line_no, SegmentLine.contact]
    values: list[Any] = [
        constant(SegmentLine.segment, segment.no),
        Value(last_line) + fn.ROW_NUMBER().over(order_by=[Contact.no]) * LINE_NO_STEP,
        Contact.no,
    ]
    for line_field, expression in columns:
        fields.append(line_field)
        values.append(expression)
    query = Contact.select(*values).where(condition).order_by(Contact.no)
    inserted = SegmentLine.insert_from(query, fields).as_rowcount().execute()
    if inserted:
        _record_history(
            action,
            "inserted",
            (SegmentLine.segment == segment.no) & (SegmentLine.line_no > last_line),
        )
    action.lines_inserted = inserted
    action.save()
    return inserted


def line_snapshot_expression() -> Any:
    return json_object((field.column_name, field) for field in SNAPSHOT_FIELDS)


def _record_history(action: SegmentCriteriaAction, change: str, where: Any) -> None:
    query = SegmentLine.select(
        Value(action.id),
        Value(change),
        SegmentLine.line_no,
        SegmentLine.contact,
        line_snapshot_expression(),
    ).where(where)
    SegmentHistory.insert_from(
        query,
        [
            SegmentHistory.action,
            SegmentHistory.change,
            SegmentHistory.line_no,
            SegmentHistory.contact_no,
            SegmentHistory.line_values,
        ],
    ).execute()


def added_message(inserted: int) -> str:
    return ngettext(
        "{count} contact added.", "{count} contacts added.", inserted
    ).format(count=inserted)
