"""Saved criteria: a segment's actions kept under a code, to replay on another segment.

Filters and options are stored as the same JSON the segment's actions hold, with
sorted keys and no length limit, so saving a reused criteria again gives the same
bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peewee import JOIN, fn

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.criteria import AddOptions, describe_action
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.segment_actions import (
    ActionResult,
    add_contacts,
    reduce_contacts,
    refine_contacts,
    replay_delete_lines,
    replay_insert_line,
    reuse_logged_segment,
)
from segtui.domain.segmentation import lock_segment
from segtui.domain.setup_tables import check_code_length
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.i18n import _
from segtui.models import SavedCriteria, SavedCriteriaAction, SegmentCriteriaAction

MAX_CODE_LENGTH = 20


@dataclass(frozen=True)
class SavedCriteriaSummary:
    code: str
    description: str
    actions: int
    created_at: datetime | None
    created_by: str


@dataclass
class ReplayResult:
    """What replaying saved criteria did: one result per action, and messages."""

    results: list[ActionResult] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(result.inserted for result in self.results)

    @property
    def deleted(self) -> int:
        return sum(result.deleted for result in self.results)


def _check_code(code: str) -> str:
    code = clean_line(code).upper()
    if not code:
        raise InvalidValueError(_("Saved criteria need a code, such as NEWS-DE."))
    check_code_length(code, _("Code"), MAX_CODE_LENGTH)
    # The same characters as the codes of code tables.
    if any(not (character.isalnum() or character in "-_./+#") for character in code):
        raise InvalidValueError(
            _("Code {code!r} may contain only letters, digits and - _ . / + #.").format(
                code=code
            )
        )
    return code


def save_criteria(
    segment_no: str, code: str, description: str, *, user: str, replace: bool = False
) -> SavedCriteria:
    """Save a segment's active actions, in order, under a code."""
    code = _check_code(code)
    require(user, Permission.MARKETING, _("save criteria"))
    with write_transaction():
        segment = lock_segment(segment_no)
        actions = list(
            SegmentCriteriaAction.select()
            .where(
                (SegmentCriteriaAction.segment == segment.no)
                & (SegmentCriteriaAction.active == True)  # noqa: E712
            )
            .order_by(SegmentCriteriaAction.sequence)
        )
        if not actions:
            raise InvalidValueError(
                _("Segment {no} has no criteria to save; add contacts first.").format(
                    no=segment.no
                )
            )
        existing = SavedCriteria.get_or_none(SavedCriteria.code == code)
        if existing is not None and not replace:
            raise InvalidValueError(
                _("Saved criteria {code} already exist; choose another code.").format(
                    code=code
                )
            )
        if existing is not None:
            existing.delete_instance(recursive=True)
        saved = SavedCriteria.create(
            code=code,
            description=clean_line(description),
            created_at=clock.now(),
            created_by=user,
        )
        SavedCriteriaAction.insert_many(
            [
                {
                    "saved_criteria": code,
                    "sequence": sequence,
                    "action": action.action,
                    "filters": action.filters,
                    "options": action.options,
                }
                for sequence, action in enumerate(actions, start=1)
            ]
        ).execute()
        return saved


def list_saved_criteria() -> list[SavedCriteriaSummary]:
    counts = (
        SavedCriteriaAction.select(
            SavedCriteriaAction.saved_criteria,
            fn.COUNT(SavedCriteriaAction.id).alias("actions"),
        )
        .group_by(SavedCriteriaAction.saved_criteria)
        .alias("counts")
    )
    query = (
        SavedCriteria.select(
            SavedCriteria, fn.COALESCE(counts.c.actions, 0).alias("actions")
        )
        .join(
            counts,
            JOIN.LEFT_OUTER,
            on=(counts.c.saved_criteria_code == SavedCriteria.code),
        )
        .order_by(SavedCriteria.code)
    )
    return [
        SavedCriteriaSummary(
            row.code, row.description, int(row.actions), row.created_at, row.created_by
        )
        for row in query
    ]


def get_saved_criteria(code: str) -> tuple[SavedCriteria, list[SavedCriteriaAction]]:
    code = clean_line(code).upper()
    saved = SavedCriteria.get_or_none(SavedCriteria.code == code)
    if saved is None:
        known = ", ".join(summary.code for summary in list_saved_criteria())
        raise NotFoundError(
            _(
                "Saved criteria {code!r} do not exist; the saved criteria are: {known}."
            ).format(code=code, known=known or _("none"))
        )
    actions = list(
        SavedCriteriaAction.select()
        .where(SavedCriteriaAction.saved_criteria == code)
        .order_by(SavedCriteriaAction.sequence)
    )
    return saved, actions


def describe_saved(code: str) -> list[str]:
    """Return the saved actions as readable lines, in order."""
    _saved, actions = get_saved_criteria(code)
    return [
        describe_action(a.action, a.filters or {}, a.options or {}) for a in actions
    ]


def delete_saved_criteria(code: str, *, user: str) -> None:
    require(user, Permission.MARKETING, _("delete saved criteria"))
    with write_transaction():
        saved, _actions = get_saved_criteria(code)
        saved.delete_instance(recursive=True)


def reuse_criteria(code: str, segment_no: str, *, user: str) -> ReplayResult:
    """Replay saved criteria on a segment, every action with every stored option.

    Each replay is recorded as an action of its own. The replay is one transaction:
    an action that fails leaves the segment as it was.
    """
    _saved, actions = get_saved_criteria(code)
    replay = ReplayResult()
    require(user, Permission.MARKETING, _("change segment lines"))
    with write_transaction():
        lock_segment(segment_no)
        for action in actions:
            replay_action(
                segment_no,
                action.action,
                action.filters or {},
                action.options or {},
                user,
                replay,
            )
    return replay


def replay_action(
    segment_no: str,
    action: str,
    filters: dict[str, dict[str, str]],
    options: dict[str, Any],
    user: str,
    replay: ReplayResult,
) -> None:
    if action == "add":
        replay.results.append(
            add_contacts(segment_no, filters, AddOptions.from_dict(options), user=user)
        )
    elif action in ("reduce", "refine"):
        run = reduce_contacts if action == "reduce" else refine_contacts
        replay.results.append(
            run(
                segment_no,
                filters,
                entire_companies=bool(options.get("entire_companies")),
                user=user,
            )
        )
    elif action == "insert_line":
        result, message = replay_insert_line(
            segment_no,
            str(options.get("contact_no", "")),
            allow_existing=bool(options.get("allow_existing")),
            user=user,
        )
        replay.results.append(result)
        if message:
            replay.messages.append(message)
    elif action == "delete_line":
        replay.results.append(
            replay_delete_lines(segment_no, list(options.get("lines", [])), user=user)
        )
    elif action == "reuse_logged":
        result = reuse_logged_segment(
            segment_no,
            int(options.get("logged_segment", 0)),
            allow_existing=bool(options.get("allow_existing")),
            non_responders_since=(
                date.fromisoformat(options["non_responders_since"])
                if options.get("non_responders_since")
                else None
            ),
            user=user,
        )
        replay.results.append(ActionResult(result.action_id, inserted=result.inserted))
        if result.missing:
            replay.messages.append(result.message())
    else:
        raise InvalidValueError(
            _("Saved action {action!r} is unknown to this segtui.").format(
                action=action
            )
        )
