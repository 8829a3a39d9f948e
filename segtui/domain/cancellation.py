"""Canceling and un-canceling logged segments and entries, and deleting canceled ones.

Canceling a logged segment cancels all its entries and un-canceling it restores
them all, as Business Central does. An entry cannot be un-canceled while its logged
segment is canceled. Only canceled entries and canceled logged segments can be
deleted. Each operation checks every number first and changes all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from segtui.db import write_transaction
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, ngettext
from segtui.models import InteractionLogEntry, LoggedSegment


def _unique(numbers: Iterable[int]) -> list[int]:
    unique = sorted({int(number) for number in numbers})
    if not unique:
        raise InvalidValueError(_("Name at least one entry number."))
    return unique


def _check_logged_exist(numbers: list[int]) -> None:
    found = {
        row[0]
        for row in LoggedSegment.select(LoggedSegment.entry_no)
        .where(LoggedSegment.entry_no.in_(numbers))
        .tuples()
    }
    missing = [str(number) for number in numbers if number not in found]
    if missing:
        raise NotFoundError(
            _(
                "Logged segment {numbers} does not exist; nothing was changed. "
                "`segtui logged list` shows the logged segments."
            ).format(numbers=", ".join(missing))
        )


def set_logged_canceled(numbers: Iterable[int], canceled: bool, *, user: str) -> int:
    """Cancel or un-cancel logged segments with all their entries.

    Returns the number of entries changed. Raises NotFoundError, changing nothing,
    when any number is not a logged segment.
    """
    action = _("cancel logged segments") if canceled else _("un-cancel logged segments")
    require(user, Permission.MARKETING, action)
    unique = _unique(numbers)
    with write_transaction():
        _check_logged_exist(unique)
        LoggedSegment.update(canceled=canceled).where(
            LoggedSegment.entry_no.in_(unique)
        ).execute()
        return (
            InteractionLogEntry.update(canceled=canceled)
            .where(
                InteractionLogEntry.logged_segment.in_(unique)
                & (InteractionLogEntry.canceled != canceled)
            )
            .execute()
        )


def count_canceled_alone(numbers: Iterable[int]) -> int:
    """Count the canceled entries of logged segments that are not canceled.

    Canceling such a logged segment and un-canceling it later un-cancels these
    entries too, because segtui does not record why an entry was canceled.
    """
    entry = InteractionLogEntry
    return (
        entry.select()
        .join(LoggedSegment)
        .where(
            entry.logged_segment.in_(_unique(numbers))
            & (entry.canceled == True)  # noqa: E712
            & (LoggedSegment.canceled == False)  # noqa: E712
        )
        .count()
    )


def set_entries_canceled(numbers: Iterable[int], canceled: bool, *, user: str) -> int:
    """Cancel or un-cancel single interaction log entries.

    Un-canceling an entry whose logged segment is canceled is rejected: un-cancel
    the logged segment instead. Returns the number of entries changed.
    """
    action = _("cancel interactions") if canceled else _("un-cancel interactions")
    require(user, Permission.MARKETING, action)
    unique = _unique(numbers)
    entry = InteractionLogEntry
    with write_transaction():
        found = {
            row[0]
            for row in entry.select(entry.entry_no)
            .where(entry.entry_no.in_(unique))
            .tuples()
        }
        missing = [str(number) for number in unique if number not in found]
        if missing:
            raise NotFoundError(
                _(
                    "Interaction log entry {numbers} does not exist; nothing was "
                    "changed."
                ).format(numbers=", ".join(missing))
            )
        if not canceled:
            blocked: dict[int, list[int]] = {}
            for entry_no, logged_no in (
                entry.select(entry.entry_no, entry.logged_segment)
                .join(LoggedSegment)
                .where(
                    entry.entry_no.in_(unique) & (LoggedSegment.canceled == True)  # noqa: E712
                )
                .order_by(entry.entry_no)
                .tuples()
            ):
                blocked.setdefault(logged_no, []).append(entry_no)
            if blocked:
                raise InvalidValueError(_blocked_uncancel_message(blocked))
        return (
            entry.update(canceled=canceled)
            .where(entry.entry_no.in_(unique) & (entry.canceled != canceled))
            .execute()
        )


def _blocked_uncancel_message(blocked: dict[int, list[int]]) -> str:
    """Name the entries that cannot be un-canceled, each with its canceled logged
    segment, given as entry numbers by logged segment number."""
    sentences = [
        ngettext(
            "Entry {numbers} belongs to logged segment {logged}, which is canceled, "
            "so it cannot be un-canceled on its own.",
            "Entries {numbers} belong to logged segment {logged}, which is canceled, "
            "so they cannot be un-canceled on their own.",
            len(numbers),
        ).format(numbers=", ".join(map(str, numbers)), logged=logged_no)
        for logged_no, numbers in sorted(blocked.items())
    ]
    count = sum(len(numbers) for numbers in blocked.values())
    if len(blocked) == 1:
        advice = ngettext(
            "To un-cancel it, un-cancel the logged segment instead, which un-cancels "
            "all its entries. Nothing was changed.",
            "To un-cancel them, un-cancel the logged segment instead, which "
            "un-cancels all its entries. Nothing was changed.",
            count,
        )
    else:
        advice = _(
            "To un-cancel them, un-cancel the logged segments instead, which "
            "un-cancels all their entries. Nothing was changed."
        )
    return " ".join([*sentences, advice])


@dataclass(frozen=True)
class DeletedCounts:
    logged_segments: int
    entries: int

    def phrases(self) -> dict[str, str]:
        """Return the counts as phrases for a sentence: logged and entries."""
        return {
            "logged": ngettext(
                "{count} canceled logged segment",
                "{count} canceled logged segments",
                self.logged_segments,
            ).format(count=format_count(self.logged_segments)),
            "entries": ngettext(
                "{count} canceled interaction log entry",
                "{count} canceled interaction log entries",
                self.entries,
            ).format(count=format_count(self.entries)),
        }


def count_canceled() -> DeletedCounts:
    """Count what ``delete_canceled`` would delete."""
    return DeletedCounts(
        logged_segments=LoggedSegment.select()
        .where(LoggedSegment.canceled == True)  # noqa: E712
        .count(),
        entries=InteractionLogEntry.select()
        .where(InteractionLogEntry.canceled == True)  # noqa: E712
        .count(),
    )


def delete_canceled(*, user: str) -> DeletedCounts:
    """Delete every canceled entry and every canceled logged segment.

    An entry that is not canceled is never deleted, so a canceled logged segment
    that still has one (which canceling prevents) is kept. Only an admin may delete.
    """
    require(user, Permission.ADMINISTRATION, _("delete canceled interactions"))
    entry = InteractionLogEntry
    with write_transaction():
        entries = (
            entry.delete()
            .where(entry.canceled == True)  # noqa: E712
            .execute()
        )
        still_used = entry.select(entry.logged_segment).where(
            entry.logged_segment.is_null(False)
        )
        logged = (
            LoggedSegment.delete()
            .where(
                (LoggedSegment.canceled == True)  # noqa: E712
                & LoggedSegment.entry_no.not_in(still_used)
            )
            .execute()
        )
        return DeletedCounts(logged_segments=logged, entries=entries)
