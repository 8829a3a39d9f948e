"""Row versions: refusing to save over a change someone else made meanwhile.

Segment headers, lines and contacts carry a version that every save increases. A
screen keeps the version it read; saving with an older one raises ConflictError
naming who changed the record and when, so nothing is silently overwritten.
"""

from __future__ import annotations

from typing import Any

from segtui.domain.errors import ConflictError
from segtui.i18n import _


def check_version(record: Any, expected: int | None, what: str) -> None:
    """Raise ConflictError unless ``record`` still has the version the user read."""
    if expected is None or record.version == expected:
        return
    modified_at = record.modified_at
    when = (
        modified_at.strftime("%Y-%m-%d %H:%M:%S")
        if modified_at
        else _("an unknown time")
    )
    who = record.modified_by or _("another user")
    raise ConflictError(
        _(
            "{what} was changed by {user} at {time} since you read it; nothing was "
            "saved. Reload it and make your change again."
        ).format(what=what, user=who, time=when),
        modified_by=who,
        modified_at=modified_at,
    )
