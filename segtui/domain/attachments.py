"""Word attachments: storing them, and removing those that nothing uses any more.

An attachment is used by a template language (the letter template of one language),
by a segment line (a letter of its own), by an interaction log entry (the template
its letter was merged from), or by a line that Go Back can restore (kept whole in the
segment's history). An attachment that none of these uses is an orphan and is
deleted; one that any of them uses is never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import fn

from segtui.domain import clock
from segtui.domain.text import clean_line
from segtui.models import (
    Attachment,
    InteractionLogEntry,
    InteractionTemplateLanguage,
    SegmentHistory,
    SegmentLine,
)

MAX_FILE_NAME_LENGTH = 250


def create_attachment(file_name: str, content: bytes, *, user: str) -> Attachment:
    """Store a Word file; the caller runs this inside its write transaction."""
    name = clean_line(file_name).replace("/", "_").replace("\\", "_")
    return Attachment.create(
        file_name=name[-MAX_FILE_NAME_LENGTH:] or "letter.docx",
        content=content,
        read_only=False,
        created_at=clock.now(),
        created_by=user,
    )


def _history_references() -> set[int]:
    """Return the attachments of lines kept in segment histories."""
    value = SegmentHistory.attachment_id
    query = SegmentHistory.select(value).where(value.is_null(False)).distinct()
    return {int(row[0]) for row in query.tuples()}


def used_attachment_ids(candidates: Iterable[int] | None = None) -> set[int]:
    """Return which of ``candidates`` (every attachment for None) something uses."""
    wanted = None if candidates is None else set(candidates)
    used: set[int] = set()
    for field in (
        InteractionTemplateLanguage.attachment,
        SegmentLine.attachment,
        InteractionLogEntry.attachment,
    ):
        query = field.model.select(field).where(field.is_null(False)).distinct()
        if wanted is not None:
            query = query.where(field.in_(list(wanted)))
        used.update(int(row[0]) for row in query.tuples())
    used.update(_history_references())
    return used if wanted is None else used & wanted


def delete_unused_attachments(candidates: Iterable[int]) -> int:
    """Delete those of ``candidates`` that nothing uses; return how many went.

    Run it inside the write transaction that dropped the last use, so no other
    writer can start using one of them in between.
    """
    ids = {int(attachment_id) for attachment_id in candidates if attachment_id}
    if not ids:
        return 0
    unused = ids - used_attachment_ids(ids)
    if not unused:
        return 0
    return Attachment.delete().where(Attachment.id.in_(list(unused))).execute()


def remove_orphan_attachments() -> int:
    """Delete every attachment that nothing uses; return how many went.

    Deleting interaction log entries or whole segments can leave such attachments
    behind, so the modules that delete them call this in the same transaction.
    """
    all_ids = {row[0] for row in Attachment.select(Attachment.id).tuples()}
    return delete_unused_attachments(all_ids)


def attachment_use_count(attachment_id: int) -> int:
    """Return how many template languages, lines and entries use an attachment."""
    total = 0
    for field in (
        InteractionTemplateLanguage.attachment,
        SegmentLine.attachment,
        InteractionLogEntry.attachment,
    ):
        total += (
            field.model.select(fn.COUNT(1)).where(field == attachment_id).scalar() or 0
        )
    return total
