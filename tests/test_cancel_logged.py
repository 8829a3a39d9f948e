"""Canceling logged segments and entries: what counts, what may be deleted, and who."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from segtui.domain import history
from segtui.domain.campaigns import get_campaign, save_campaign
from segtui.domain.cancellation import (
    count_canceled,
    delete_canceled,
    set_entries_canceled,
    set_logged_canceled,
)
from segtui.domain.contact_queries import contact_card
from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.logged_segments import get_logged_segment, list_logged_segments
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment
from segtui.domain.users import PermissionDeniedError, role_of
from segtui.models import InteractionLogEntry, LoggedSegment, Role, UserSetup
from tests.conftest import TEST_USER
from tests.test_cli import run_segtui

LOGGED_CONTACTS = ("CO1P1", "CO2P1", "IND1")


def add_logged(
    contacts: Sequence[str],
    *,
    day: date = date(2026, 11, 2),
    campaign: str = "",
    response: bool = False,
    cost: str = "1.20",
) -> int:
    """Record a logged segment with one entry per contact, without letters."""
    logged = LoggedSegment.create(
        segment_no="SEG9", description="Test", created_at=datetime(2026, 11, 2, 9, 0)
    )
    for number in contacts:
        InteractionLogEntry.create(
            contact_no=number,
            contact_name=number,
            date=day,
            created_at=datetime(2026, 11, 2, 9, 0),
            logged_segment=logged,
            template_code="LETTER",
            unit_cost=Decimal(cost),
            unit_duration=Decimal("5"),
            campaign_no=campaign,
            campaign_target=bool(campaign) and not response,
            campaign_response=response,
        )
    return int(logged.entry_no)


def log_world_segment(folder: Path) -> int:
    """Log a real segment of LOGGED_CONTACTS with the LETTER template."""
    segment = create_segment(
        "Winter", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    )
    add_contacts(
        segment.no,
        {"contact": {"no": "|".join(LOGGED_CONTACTS)}},
        AddOptions(),
        user=TEST_USER,
    )
    result = log_segment(segment.no, LogOptions(output_folder=folder), user=TEST_USER)
    return int(result.logged_segment_no)


def entries_of(logged_no: int) -> list[InteractionLogEntry]:
    return list(
        InteractionLogEntry.select()
        .where(InteractionLogEntry.logged_segment == logged_no)
        .order_by(InteractionLogEntry.entry_no)
    )


def test_cancel_drops_out_of_counts(world, tmp_path: Path) -> None:
    save_campaign("SPRING", description="Spring", user=TEST_USER, new=True)
    logged_no = log_world_segment(tmp_path / "letters")
    InteractionLogEntry.update(campaign_no="SPRING", campaign_target=True).execute()
    of_logged = InteractionLogEntry.logged_segment == logged_no
    of_contact = InteractionLogEntry.contact_no == "IND1"

    assert history.totals(of_logged).interactions == 3
    assert history.totals(of_contact).cost == Decimal("1.20")
    assert sum(m.interactions for m in history.timeline(of_logged)) == 3
    assert contact_card("IND1").totals.interactions == 1
    assert get_logged_segment(logged_no).interactions == 3
    assert get_campaign("SPRING").targets == 3

    changed = set_logged_canceled([logged_no], True, user=TEST_USER)

    assert changed == 3
    assert all(entry.canceled for entry in entries_of(logged_no))
    assert LoggedSegment.get_by_id(logged_no).canceled
    assert history.totals(of_logged).interactions == 0
    assert history.totals(of_logged).canceled == 3
    assert history.totals(of_contact).cost == Decimal("0.00")
    assert sum(m.interactions for m in history.timeline(of_logged)) == 0
    card = contact_card("IND1")
    assert card.totals.interactions == 0
    assert sum(m.interactions for m in card.timeline) == 0
    # The entry is still listed on the card, marked canceled.
    assert [entry.canceled for entry in card.recent] == [True]
    summary = get_logged_segment(logged_no)
    assert summary.canceled
    assert summary.interactions == 0
    assert summary.canceled_entries == 3
    assert get_campaign("SPRING").targets == 0

    restored = set_logged_canceled([logged_no], False, user=TEST_USER)

    assert restored == 3
    assert not any(entry.canceled for entry in entries_of(logged_no))
    assert history.totals(of_logged).interactions == 3
    assert contact_card("IND1").totals.interactions == 1
    assert get_logged_segment(logged_no).interactions == 3
    assert get_campaign("SPRING").targets == 3


def test_cancel_several_at_once(world) -> None:
    first = add_logged(["IND1"])
    second = add_logged(["IND2", "CO1P1"])
    assert set_logged_canceled([first, second, first], True, user=TEST_USER) == 3
    assert [s.canceled for s in list_logged_segments()] == [True, True]


def test_cancel_unknown_changes_nothing(world) -> None:
    first = add_logged(["IND1"])
    with pytest.raises(NotFoundError) as caught:
        set_logged_canceled([first, 999], True, user=TEST_USER)
    assert "999" in caught.value.message
    assert "nothing was changed" in caught.value.message
    assert not LoggedSegment.get_by_id(first).canceled
    assert not entries_of(first)[0].canceled


def test_entry_uncancel_blocked_by_segment(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    entry_no = entries_of(logged_no)[0].entry_no
    set_logged_canceled([logged_no], True, user=TEST_USER)
    with pytest.raises(InvalidValueError) as caught:
        set_entries_canceled([entry_no], False, user=TEST_USER)
    assert f"Entry {entry_no} belongs to logged segment {logged_no}," in (
        caught.value.message
    )
    assert "un-cancel the logged segment" in caught.value.message
    assert entries_of(logged_no)[0].canceled


def test_single_entry_cancel(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    first, second = entries_of(logged_no)
    assert set_entries_canceled([first.entry_no], True, user=TEST_USER) == 1
    assert (
        history.totals(InteractionLogEntry.logged_segment == logged_no).interactions
        == 1
    )
    assert get_logged_segment(logged_no).interactions == 1
    assert not LoggedSegment.get_by_id(logged_no).canceled
    assert set_entries_canceled([first.entry_no], False, user=TEST_USER) == 1
    assert not entries_of(logged_no)[0].canceled


def test_delete_canceled_keeps_others(world) -> None:
    kept = add_logged(["IND1", "IND2"])
    canceled = add_logged(["CO1P1", "CO2P1"])
    partly = add_logged(["IND1", "CO1"])
    set_logged_canceled([canceled], True, user=TEST_USER)
    single = entries_of(partly)[0].entry_no
    set_entries_canceled([single], True, user=TEST_USER)
    not_canceled = {
        entry.entry_no
        for entry in InteractionLogEntry.select().where(
            InteractionLogEntry.canceled == False  # noqa: E712
        )
    }
    assert count_canceled().entries == 3

    deleted = delete_canceled(user=TEST_USER)

    assert (deleted.logged_segments, deleted.entries) == (1, 3)
    remaining = {entry.entry_no for entry in InteractionLogEntry.select()}
    assert remaining == not_canceled
    assert {logged.entry_no for logged in LoggedSegment.select()} == {kept, partly}


def test_delete_keeps_canceled_segment_with_active_entry(world) -> None:
    logged_no = add_logged(["IND1", "IND2"])
    LoggedSegment.update(canceled=True).execute()
    InteractionLogEntry.update(canceled=True).where(
        InteractionLogEntry.contact_no == "IND1"
    ).execute()
    deleted = delete_canceled(user=TEST_USER)
    assert (deleted.logged_segments, deleted.entries) == (0, 1)
    assert [entry.contact_no for entry in entries_of(logged_no)] == ["IND2"]


def test_roles_for_cancel_and_delete(world) -> None:
    logged_no = add_logged(["IND1"])
    role_of(TEST_USER)
    UserSetup.create(user_id="viewer", role=Role.VIEWER)
    UserSetup.create(user_id="marketer", role=Role.MARKETER)
    with pytest.raises(PermissionDeniedError):
        set_logged_canceled([logged_no], True, user="viewer")
    set_logged_canceled([logged_no], True, user="marketer")
    with pytest.raises(PermissionDeniedError):
        delete_canceled(user="marketer")
    assert LoggedSegment.select().count() == 1


def test_cli_cancel_uncancel_delete(sample_database_path) -> None:
    from segtui.db import open_database
    from tests.backends import POSTGRES, sqlite_url

    url = sample_database_path if POSTGRES else sqlite_url(Path(sample_database_path))
    database = open_database(str(url))
    first = add_logged(["CT000001", "CT000002"])
    second = add_logged(["CT000003"])
    database.close()

    result = run_segtui(
        sample_database_path, "logged", "cancel", str(first), str(second)
    )
    assert "3 entries canceled" in result.stderr
    listed = run_segtui(
        sample_database_path,
        "interactions",
        "list",
        "--filter",
        "canceled=yes",
        "--json",
    ).stdout
    assert listed.count('"canceled": true') == 3

    run_segtui(sample_database_path, "logged", "uncancel", str(second))
    failed = run_segtui(
        sample_database_path, "interactions", "uncancel", "1", check=False
    )
    assert failed.returncode == 1
    assert "un-cancel the logged segment" in failed.stderr

    deleted = run_segtui(sample_database_path, "logged", "delete-canceled")
    message = "1 canceled logged segment and 2 canceled interaction log entries"
    assert message in deleted.stderr
    remaining = run_segtui(sample_database_path, "logged", "list", "--json").stdout
    assert f'"entry_no": {second}' in remaining
    assert f'"entry_no": {first}' not in remaining


def test_count_canceled_alone(world) -> None:
    from segtui.domain.cancellation import count_canceled_alone

    first = add_logged(["IND1", "IND2"])
    second = add_logged(["CO1P1"])
    assert count_canceled_alone([first, second]) == 0
    alone = entries_of(first)[0].entry_no
    set_entries_canceled([alone], True, user=TEST_USER)
    assert count_canceled_alone([first, second]) == 1
    assert count_canceled_alone([second]) == 0
    # Once the logged segment is canceled, its entries no longer count as alone.
    set_logged_canceled([first], True, user=TEST_USER)
    assert count_canceled_alone([first]) == 0
