"""Logged segments and their interaction log entries: reading them and following up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, fn

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.criteria import AddOptions, Selection
from segtui.domain.errors import NotFoundError
from segtui.domain.numbering import SEGMENT_SERIES, next_number
from segtui.domain.segmentation import insert_lines, record_action
from segtui.i18n import _
from segtui.models import (
    Contact,
    InteractionLogEntry,
    LoggedSegment,
    SegmentHeader,
)


@dataclass(frozen=True)
class LoggedSegmentSummary:
    entry_no: int
    segment_no: str
    description: str
    created_at: datetime
    user_id: str
    interactions: int
    canceled: bool


def list_logged_segments() -> list[LoggedSegmentSummary]:
    """Return every logged segment with its number of entries, newest first."""
    counts = (
        InteractionLogEntry.select(
            InteractionLogEntry.logged_segment,
            fn.COUNT(InteractionLogEntry.entry_no).alias("interactions"),
        )
        .group_by(InteractionLogEntry.logged_segment)
        .alias("counts")
    )
    query = (
        LoggedSegment.select(
            LoggedSegment, fn.COALESCE(counts.c.interactions, 0).alias("interactions")
        )
        .join(
            counts,
            JOIN.LEFT_OUTER,
            on=(counts.c.logged_segment_entry_no == LoggedSegment.entry_no),
        )
        .order_by(LoggedSegment.entry_no.desc())
    )
    return [_summary(row, int(row.interactions)) for row in query]


def get_logged_segment(entry_no: int) -> LoggedSegmentSummary:
    logged = LoggedSegment.get_or_none(LoggedSegment.entry_no == entry_no)
    if logged is None:
        raise NotFoundError(
            _(
                "Logged segment {no} does not exist; `segtui logged list` shows them."
            ).format(no=entry_no)
        )
    count = (
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment == entry_no)
        .count()
    )
    return _summary(logged, count)


def _summary(logged: LoggedSegment, interactions: int) -> LoggedSegmentSummary:
    return LoggedSegmentSummary(
        entry_no=logged.entry_no,
        segment_no=logged.segment_no,
        description=logged.description,
        created_at=logged.created_at,
        user_id=logged.user_id,
        interactions=interactions,
        canceled=bool(logged.canceled),
    )


def logged_entries(
    entry_no: int, offset: int = 0, limit: int | None = None
) -> list[InteractionLogEntry]:
    """Return a page of a logged segment's entries in entry order."""
    query = (
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment == entry_no)
        .order_by(InteractionLogEntry.entry_no)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(query)


def create_follow_up_segment(entry_no: int, *, user: str) -> SegmentHeader:
    """Create a segment holding the contacts of a logged segment's entries.

    Contacts deleted since logging are skipped; privacy-blocked contacts are never
    added. Exclusion is ignored, because the contacts were chosen already.
    """
    with write_transaction():
        logged = LoggedSegment.get_or_none(LoggedSegment.entry_no == entry_no)
        if logged is None:
            raise NotFoundError(
                _(
                    "Logged segment {no} does not exist; `segtui logged list` shows them."
                ).format(no=entry_no)
            )
        first = (
            InteractionLogEntry.select()
            .where(InteractionLogEntry.logged_segment == entry_no)
            .order_by(InteractionLogEntry.entry_no)
            .first()
        )
        now = clock.now()
        segment = SegmentHeader.create(
            no=next_number(SEGMENT_SERIES),
            description=logged.description,
            date=now.date(),
            salesperson=first.salesperson_code or None if first else None,
            created_at=now,
            created_by=user,
            modified_at=now,
            modified_by=user,
        )
        contacts = InteractionLogEntry.select(InteractionLogEntry.contact_no).where(
            InteractionLogEntry.logged_segment == entry_no
        )
        options = AddOptions(ignore_exclusion=True)
        action = record_action(
            segment,
            "reuse_logged",
            {},
            {"logged_segment": entry_no, **options.as_dict()},
            user,
        )
        condition = Selection(
            {}, options, segment.no, extra=[Contact.no.in_(contacts)]
        ).condition()
        insert_lines(segment, action, condition)
        return segment


def entry_letter(entry_no: int) -> bytes | None:
    """Produce an entry's letter again from its template and stored merge values.

    Returns None for an entry without a Word attachment, such as a phone call.
    """
    from segtui.domain.documents import render_letter
    from segtui.models import Attachment, InteractionTemplateLanguage

    entry = InteractionLogEntry.get_or_none(InteractionLogEntry.entry_no == entry_no)
    if entry is None:
        raise NotFoundError(
            _("Interaction log entry {no} does not exist.").format(no=entry_no)
        )
    if entry.letter is not None:
        return bytes(entry.letter)
    if entry.attachment_id is None:
        return None
    attachment = Attachment.get_by_id(entry.attachment_id)
    template_language = InteractionTemplateLanguage.get_or_none(
        (InteractionTemplateLanguage.template == entry.template_code)
        & (InteractionTemplateLanguage.language == entry.language_code)
        & (InteractionTemplateLanguage.attachment == entry.attachment_id)
    )
    field_map = template_language.field_map if template_language else {}
    return render_letter(bytes(attachment.content), entry.merge_values or {}, field_map)


def entry_letter_text(entry_no: int) -> str | None:
    from segtui.domain.documents import document_text

    content = entry_letter(entry_no)
    return None if content is None else document_text(content)
