"""Campaigns: setup, counts, responses, and a follow-up of the non-responders."""

from __future__ import annotations

from datetime import date

import pytest

from segtui.domain.campaigns import (
    delete_campaign,
    get_campaign,
    list_campaigns,
    log_response,
    save_campaign,
)
from segtui.domain.cancellation import set_entries_canceled
from segtui.domain.criteria import describe_action
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.logged_segments import create_follow_up_segment
from segtui.domain.saved_criteria import reuse_criteria, save_criteria
from segtui.domain.segmentation import create_segment
from segtui.models import (
    InformationFlow,
    SegmentCriteriaAction,
    SegmentLine,
)
from tests.conftest import TEST_USER
from tests.test_cancel_logged import add_logged
from tests.test_cli import run_segtui


def segment_contacts(no: str) -> list[str]:
    return [
        line.contact_no
        for line in SegmentLine.select()
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.contact)
    ]


@pytest.fixture
def campaign(world) -> str:
    return save_campaign(
        "SPRING",
        description="Spring offer",
        starting_date="2026-11-01",
        ending_date="2026-12-31",
        salesperson_code="AH",
        status="active",
        user=TEST_USER,
        new=True,
    )


def test_campaign_dates_checked(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        save_campaign(
            "X",
            description="",
            starting_date="2026-12-01",
            ending_date="2026-11-01",
            user=TEST_USER,
            new=True,
        )
    assert "before the starting date" in caught.value.message
    with pytest.raises(InvalidValueError) as caught:
        save_campaign(
            "X", description="", starting_date="1.12.2026", user=TEST_USER, new=True
        )
    assert "'1.12.2026' is not a date" in caught.value.message


def test_response_logged_and_counted(campaign) -> None:
    add_logged(["IND1", "IND2", "CO1P1"], campaign=campaign)
    entry = log_response(
        "IND1",
        campaign,
        user=TEST_USER,
        response_date="2026-11-20",
        template_code="CALL",
    )
    assert entry.campaign_response
    assert entry.information_flow == InformationFlow.INBOUND
    assert entry.logged_segment_entry_no is None
    assert entry.group_code == "LETTER"
    row = get_campaign(campaign)
    assert (row.targets, row.responses, row.interactions) == (3, 1, 4)
    assert row.status == "ACTIVE"
    assert row.starting_date == date(2026, 11, 1)

    set_entries_canceled([entry.entry_no], True, user=TEST_USER)
    assert get_campaign(campaign).responses == 0


def test_response_needs_known_campaign(world) -> None:
    with pytest.raises(NotFoundError) as caught:
        log_response("IND1", "NOPE", user=TEST_USER)
    assert "'NOPE'" in caught.value.message


def test_non_responders_follow_up(campaign) -> None:
    logged_no = add_logged(["IND1", "IND2", "CO1P1", "CO2P1"], campaign=campaign)
    log_response("IND1", campaign, user=TEST_USER, response_date="2026-11-20")
    # Before the date: does not count.
    log_response("IND2", campaign, user=TEST_USER, response_date="2026-10-01")
    # Canceled: does not count.
    canceled = log_response(
        "CO2P1", campaign, user=TEST_USER, response_date="2026-11-25"
    )
    set_entries_canceled([canceled.entry_no], True, user=TEST_USER)
    # Another campaign: does not count.
    save_campaign("OTHER", description="", user=TEST_USER, new=True)
    log_response("CO1P1", "OTHER", user=TEST_USER, response_date="2026-11-25")

    segment = create_follow_up_segment(
        logged_no, user=TEST_USER, non_responders_since=date(2026, 11, 2)
    )
    assert segment_contacts(segment.no) == ["CO1P1", "CO2P1", "IND2"]

    everyone = create_follow_up_segment(logged_no, user=TEST_USER)
    assert segment_contacts(everyone.no) == ["CO1P1", "CO2P1", "IND1", "IND2"]

    action = SegmentCriteriaAction.get(SegmentCriteriaAction.segment == segment.no)
    assert "non-responders since 2026-11-02" in describe_action(
        action.action, action.filters, action.options
    )


def test_non_responder_criteria_replay(campaign) -> None:
    logged_no = add_logged(["IND1", "IND2"], campaign=campaign)
    log_response("IND1", campaign, user=TEST_USER, response_date="2026-11-20")
    segment = create_follow_up_segment(
        logged_no, user=TEST_USER, non_responders_since=date(2026, 11, 2)
    )
    save_criteria(segment.no, "NONRESP", "Non-responders", user=TEST_USER)
    other = create_segment("Again", user=TEST_USER)
    reuse_criteria("NONRESP", other.no, user=TEST_USER)
    assert segment_contacts(other.no) == ["IND2"]


def test_campaign_in_use_not_deleted(campaign) -> None:
    add_logged(["IND1"], campaign=campaign)
    with pytest.raises(InvalidValueError) as caught:
        delete_campaign(campaign, user=TEST_USER)
    assert "is used by 1 interaction log entry," in caught.value.message
    save_campaign("EMPTY", description="", user=TEST_USER, new=True)
    delete_campaign("EMPTY", user=TEST_USER)
    assert [row.no for row in list_campaigns()] == ["SPRING"]


def test_cli_non_responders(sample_database_path) -> None:
    from pathlib import Path

    from segtui.db import open_database
    from tests.backends import POSTGRES, sqlite_url

    url = sample_database_path if POSTGRES else sqlite_url(Path(sample_database_path))
    database = open_database(str(url))
    save_campaign("SPRING", description="Spring", user=TEST_USER, new=True)
    logged_no = add_logged(["CT000002", "CT000003"], campaign="SPRING")
    database.close()

    entry_no = run_segtui(
        sample_database_path,
        "interactions",
        "respond",
        "CT000002",
        "--campaign",
        "spring",
        "--date",
        "2026-11-20",
    ).stdout.strip()
    assert entry_no.isdigit()
    segment_no = run_segtui(
        sample_database_path,
        "logged",
        "follow-up",
        str(logged_no),
        "--non-responders-since",
        "2026-11-01",
    ).stdout.strip()
    shown = run_segtui(
        sample_database_path, "segment", "show", segment_no, "--json"
    ).stdout
    assert "CT000003" in shown
    assert "CT000002" not in shown
    bad = run_segtui(
        sample_database_path,
        "logged",
        "follow-up",
        str(logged_no),
        "--non-responders-since",
        "20.11.2026",
        check=False,
    )
    assert bad.returncode == 2
    listed = run_segtui(sample_database_path, "campaign", "list", "--json").stdout
    assert '"responses": 1' in listed
