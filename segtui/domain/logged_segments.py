"""Logged segments and their interaction log entries: reading them and following up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import JOIN, Case, fn

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.errors import NotFoundError
from segtui.domain.numbering import SEGMENT_SERIES, next_number
from segtui.domain.segment_actions import insert_logged_contacts, record_action
from segtui.domain.sql import read_page
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, ngettext
from segtui.models import (
    DeliveryStatus,
    InteractionLogEntry,
    LoggedSegment,
    SegmentCriteriaAction,
    SegmentHeader,
)


@dataclass(frozen=True)
class LoggedSegmentSummary:
    entry_no: int
    segment_no: str
    description: str
    created_at: datetime
    user_id: str
    # Entries that are not canceled.
    interactions: int
    canceled: bool
    # Entries whose delivery failed, and entries still to be delivered or written.
    failed: int = 0
    unfinished: int = 0
    # Entries canceled, with the logged segment or one by one; not in interactions.
    canceled_entries: int = 0


def _entry_counts() -> Any:
    """Count each logged segment's entries: active, canceled, failed and unfinished.

    A canceled entry counts only as canceled, never as an interaction, a failure or
    a letter still to write.
    """
    entry = InteractionLogEntry
    active = entry.canceled == False  # noqa: E712
    failed = active & (entry.delivery_status == DeliveryStatus.FAILED)
    unfinished = active & (
        (entry.delivery_status == DeliveryStatus.PENDING)
        | (entry.attachment.is_null(False) & (entry.document_path == ""))
    )
    return (
        entry.select(
            entry.logged_segment,
            fn.SUM(Case(None, [(active, 1)], 0)).alias("interactions"),
            fn.SUM(Case(None, [(active, 0)], 1)).alias("canceled_entries"),
            fn.SUM(Case(None, [(failed, 1)], 0)).alias("failed"),
            fn.SUM(Case(None, [(unfinished & ~failed, 1)], 0)).alias("unfinished"),
        )
        .group_by(entry.logged_segment)
        .alias("counts")
    )


def _summaries(where: Any = None) -> list[LoggedSegmentSummary]:
    counts = _entry_counts()
    query = (
        LoggedSegment.select(
            LoggedSegment,
            fn.COALESCE(counts.c.interactions, 0).alias("interactions"),
            fn.COALESCE(counts.c.canceled_entries, 0).alias("canceled_entries"),
            fn.COALESCE(counts.c.failed, 0).alias("failed"),
            fn.COALESCE(counts.c.unfinished, 0).alias("unfinished"),
        )
        .join(
            counts,
            JOIN.LEFT_OUTER,
            on=(counts.c.logged_segment_entry_no == LoggedSegment.entry_no),
        )
        .order_by(LoggedSegment.entry_no.desc())
    )
    if where is not None:
        query = query.where(where)
    return [
        LoggedSegmentSummary(
            entry_no=row.entry_no,
            segment_no=row.segment_no,
            description=row.description,
            created_at=row.created_at,
            user_id=row.user_id,
            interactions=int(row.interactions),
            canceled=bool(row.canceled),
            failed=int(row.failed),
            unfinished=int(row.unfinished),
            canceled_entries=int(row.canceled_entries),
        )
        for row in query
    ]


def list_logged_segments() -> list[LoggedSegmentSummary]:
    """Return every logged segment with its number of entries, newest first."""
    return _summaries()


def get_logged_segment(entry_no: int) -> LoggedSegmentSummary:
    found = _summaries(LoggedSegment.entry_no == entry_no)
    if not found:
        raise NotFoundError(
            _("Logged segment {no} does not exist.").format(no=entry_no)
        )
    return found[0]


def logged_entries(
    entry_no: int, offset: int = 0, limit: int | None = None, total: int | None = None
) -> list[InteractionLogEntry]:
    """Return a page of a logged segment's entries in entry order.

    ``read_page`` reads it: with ``total``, the entry count, a page near the end is
    read backwards from the last entry, and inside ``reading_next_to`` a page seeks
    from the anchor entry.
    """
    query = InteractionLogEntry.select().where(
        InteractionLogEntry.logged_segment == entry_no
    )
    return read_page(query, [InteractionLogEntry.entry_no], offset, limit, total)


def follow_up_segments(entry_no: int) -> list[str]:
    """Return the numbers of the unlogged segments that follow up a logged segment.

    A segment counts when its first action, not undone, reused the logged
    segment's contacts: a follow-up segment, a non-responders segment, or a new
    segment filled with Reuse Logged Segment. A follow-up segment that has been
    logged since is gone, so it no longer counts.
    """
    action = SegmentCriteriaAction
    first_reuses = (
        action.select(action.segment, action.options)
        .where(
            (action.action == "reuse_logged")
            & (action.sequence == 1)
            & (action.active == True)  # noqa: E712
        )
        .order_by(action.segment)
    )
    # The logged segment's number is inside the JSON options, which SQLite and
    # PostgreSQL query differently, so Python compares it. This reads one row per
    # unlogged segment that began with Reuse Logged Segment.
    return [
        row.segment_no
        for row in first_reuses
        if (row.options or {}).get("logged_segment") == entry_no
    ]


def follow_up_notice(entry_no: int, segment_nos: list[str]) -> str:
    """Return the sentence that names a logged segment's existing follow-up segments."""
    return ngettext(
        "Logged segment {no} has a follow-up segment already: {segments}.",
        "Logged segment {no} has {count} follow-up segments already: {segments}.",
        len(segment_nos),
    ).format(
        no=entry_no,
        count=format_count(len(segment_nos)),
        segments=", ".join(segment_nos),
    )


def create_follow_up_segment(
    entry_no: int, *, user: str, non_responders_since: date | None = None
) -> SegmentHeader:
    """Create a segment holding the contacts of a logged segment's entries.

    Contacts deleted since logging are skipped; privacy-blocked contacts are never
    added. Exclusion is ignored, because the contacts were chosen already. With
    ``non_responders_since``, contacts with a campaign response dated that day or
    later are left out.
    """
    require(user, Permission.MARKETING, _("create segments"))
    with write_transaction():
        logged = LoggedSegment.get_or_none(LoggedSegment.entry_no == entry_no)
        if logged is None:
            raise NotFoundError(
                _("Logged segment {no} does not exist.").format(no=entry_no)
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
        options: dict[str, Any] = {"logged_segment": entry_no, "allow_existing": False}
        if non_responders_since is not None:
            options["non_responders_since"] = non_responders_since.isoformat()
        action = record_action(segment, "reuse_logged", {}, options, user)
        insert_logged_contacts(
            segment,
            action,
            entry_no,
            allow_existing=False,
            non_responders_since=non_responders_since,
        )
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
