"""Reduce, Refine, Go Back and Go Forward, saved criteria and reuse, on the small world.

The world of tests/builders.py has two companies. CO1 (DE, Berlin, territory NORTH,
industry RETAIL, relation CUST) has the persons CO1P1 (NEWS), CO1P2 (excluded from
segments) and CO1P3 (privacy blocked). CO2 (AT, Wien, territory SOUTH, industry IT)
has the person CO2P1 (NEWS). The independent persons are IND1 (CH, Zürich, NEWS and
VIP), IND2 (GB, London, no email) and IND3 (US, no city). SEGTUI_TODAY is 2026-12-04.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from playhouse.test_utils import count_queries

from segtui.domain.contacts import delete_contact
from segtui.domain.criteria import (
    AddOptions,
    Selection,
    clean_filters,
    contacts_matching,
    filters_from_pairs,
)
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.saved_criteria import (
    delete_saved_criteria,
    describe_saved,
    get_saved_criteria,
    list_saved_criteria,
    reuse_criteria,
    save_criteria,
)
from segtui.domain.segment_actions import (
    add_contacts,
    count_add_contacts,
    count_reduce,
    count_refine,
    delete_lines,
    go_back,
    go_forward,
    insert_line,
    reduce_contacts,
    refine_contacts,
    replay_delete_lines,
    reuse_logged_segment,
)
from segtui.domain.segment_logging import LogOptions, LogResult, log_segment
from segtui.domain.segmentation import create_segment, update_header
from segtui.models import (
    Campaign,
    Contact,
    InteractionLogEntry,
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentLine,
)
from tests.conftest import TEST_USER

Filters = dict[str, dict[str, str]]

# Every contact an Add Contacts without filters and with ignore exclusion inserts:
# all but the privacy-blocked CO1P3.
EVERYONE = ["CO1", "CO1P1", "CO1P2", "CO2", "CO2P1", "IND1", "IND2", "IND3"]


def new_segment(
    template_code: str | None = "LETTER", salesperson_code: str | None = "AH"
) -> str:
    return create_segment(
        "Winter catalogue",
        user=TEST_USER,
        template_code=template_code,
        salesperson_code=salesperson_code,
    ).no


def add(no: str, filters: Filters, **options: bool) -> int:
    return add_contacts(no, filters, AddOptions(**options), user=TEST_USER).inserted


def segment_with_everyone() -> str:
    no = new_segment()
    add(no, {}, ignore_exclusion=True)
    assert line_contacts(no) == EVERYONE
    return no


def line_contacts(no: str) -> list[str]:
    """Return the contact numbers of a segment's lines in line order."""
    return [
        row[0]
        for row in SegmentLine.select(SegmentLine.contact)
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
        .tuples()
    ]


def line_numbers(no: str) -> list[tuple[int, str]]:
    return [
        (row[0], row[1])
        for row in SegmentLine.select(SegmentLine.line_no, SegmentLine.contact)
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
        .tuples()
    ]


def line_no_of(no: str, contact_no: str) -> int:
    """Return the line number of a contact's only line on a segment."""
    found = [line_no for line_no, contact in line_numbers(no) if contact == contact_no]
    assert len(found) == 1
    return found[0]


def line_rows(no: str) -> list[dict[str, Any]]:
    """Return a segment's lines as whole rows in line order, without the row id.

    The id is a surrogate key that Go Back and Go Forward do not keep, because a
    restored line is a new row. A line is identified by its segment and line number.
    """
    rows = list(
        SegmentLine.select()
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
        .dicts()
    )
    for row in rows:
        del row["id"]
    return rows


def edit_line(no: str, contact_no: str, **values: Any) -> None:
    updated = (
        SegmentLine.update(**values)
        .where((SegmentLine.segment == no) & (SegmentLine.contact == contact_no))
        .execute()
    )
    assert updated == 1


def segment_actions(no: str) -> list[SegmentCriteriaAction]:
    return list(
        SegmentCriteriaAction.select()
        .where(SegmentCriteriaAction.segment == no)
        .order_by(SegmentCriteriaAction.sequence)
    )


def selected(filters: Filters, **options: bool) -> set[str]:
    """Return the contacts Add Contacts would insert into an empty segment."""
    selection = Selection(clean_filters(filters), AddOptions(**options))
    return {row[0] for row in selection.query().tuples()}


def log(no: str, folder: Path) -> LogResult:
    return log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)


# Reduce and Refine act on exactly the lines whose contacts match.

# (filters, entire companies, contacts of EVERYONE that match)
MATCH_CASES = [
    ({"contact": {"country": "DE"}}, False, {"CO1", "CO1P1", "CO1P2"}),
    (
        {"contact": {"territory": "<>NORTH"}},
        False,
        {"CO2", "CO2P1", "IND1", "IND2", "IND3"},
    ),
    ({"contact": {"city": "@WIEN"}}, False, {"CO2", "CO2P1"}),
    ({"contact": {"city": "''"}}, False, {"IND3"}),
    ({"mailing_group": {"code": "NEWS"}}, False, {"CO1P1", "CO2P1", "IND1"}),
    ({"mailing_group": {"code": "VIP"}}, False, {"IND1"}),
    (
        {"mailing_group": {"exists": "no"}},
        False,
        {"CO1", "CO1P2", "CO2", "IND2", "IND3"},
    ),
    ({"industry_group": {"code": "RETAIL"}}, False, {"CO1", "CO1P1", "CO1P2"}),
    ({"industry_group": {"code": "IT"}}, False, {"CO2", "CO2P1"}),
    ({"business_relation": {"code": "CUST"}}, False, {"CO1", "CO1P1", "CO1P2"}),
    (
        {"contact": {"type": "person"}, "industry_group": {"code": "IT"}},
        False,
        {"CO2P1"},
    ),
    (
        {"contact": {"country": "DE"}, "mailing_group": {"code": "NEWS"}},
        False,
        {"CO1P1"},
    ),
    (
        {"mailing_group": {"code": "NEWS"}},
        True,
        {"CO1", "CO1P1", "CO1P2", "CO2", "CO2P1", "IND1"},
    ),
    ({"contact": {"no": "CO1P2"}}, True, {"CO1", "CO1P1", "CO1P2"}),
    ({"contact": {"no": "CO1"}}, True, {"CO1", "CO1P1", "CO1P2"}),
    ({"contact": {"no": "CO2P1|IND2"}}, True, {"CO2", "CO2P1", "IND2"}),
    ({"industry_group": {"code": "IT"}}, True, {"CO2", "CO2P1"}),
    ({"contact": {"country": "FR"}}, False, set()),
    ({"contact": {"country": "FR"}}, True, set()),
]
MATCH_IDS = [f"case{index}" for index in range(len(MATCH_CASES))]


@pytest.mark.parametrize(
    ("filters", "reads_contacts"),
    [
        ({"mailing_group": {"code": "NEWS"}}, False),
        ({"industry_group": {"code": "IT"}}, True),
        ({"mailing_group": {"exists": "no"}}, True),
        ({"contact": {"country": "DE"}, "mailing_group": {"code": "NEWS"}}, True),
    ],
)
def test_refine_by_own_rows_skips_contact_table(filters, reads_contacts, world):
    """A filter on the contacts' own rows alone is tested without the contact table.

    An industry group belongs to the company, so it goes through the contacts.
    """
    sql, _params = contacts_matching(clean_filters(filters)).sql()
    assert ('FROM "contact"' in sql) is reads_contacts, sql


@pytest.mark.parametrize(("filters", "entire", "matching"), MATCH_CASES, ids=MATCH_IDS)
def test_reduce_exact_lines(filters, entire, matching, world):
    no = segment_with_everyone()
    result = reduce_contacts(no, filters, entire_companies=entire, user=TEST_USER)
    expected = [contact for contact in EVERYONE if contact not in matching]
    assert line_contacts(no) == expected
    assert result.deleted == len(matching)
    assert result.inserted == 0


@pytest.mark.parametrize(("filters", "entire", "matching"), MATCH_CASES, ids=MATCH_IDS)
def test_refine_exact_lines(filters, entire, matching, world):
    no = segment_with_everyone()
    result = refine_contacts(no, filters, entire_companies=entire, user=TEST_USER)
    expected = [contact for contact in EVERYONE if contact in matching]
    assert line_contacts(no) == expected
    assert result.deleted == len(EVERYONE) - len(matching)


@pytest.mark.parametrize(("filters", "entire", "matching"), MATCH_CASES, ids=MATCH_IDS)
def test_count_reduce_equals_removed(filters, entire, matching, world):
    no = segment_with_everyone()
    counted = count_reduce(no, filters, entire)
    result = reduce_contacts(no, filters, entire_companies=entire, user=TEST_USER)
    assert counted == result.deleted
    assert counted == len(EVERYONE) - len(line_contacts(no))


@pytest.mark.parametrize(("filters", "entire", "matching"), MATCH_CASES, ids=MATCH_IDS)
def test_count_refine_equals_removed(filters, entire, matching, world):
    no = segment_with_everyone()
    counted = count_refine(no, filters, entire)
    result = refine_contacts(no, filters, entire_companies=entire, user=TEST_USER)
    assert counted == result.deleted
    assert counted == len(EVERYONE) - len(line_contacts(no))


def test_count_reduce_partial_segment(world):
    """Counts only the segment's own lines, not every matching contact."""
    no = new_segment()
    add(no, {"contact": {"no": "CO1P1|IND2"}})
    assert count_reduce(no, {"mailing_group": {"code": "NEWS"}}) == 1
    assert count_reduce(no, {"mailing_group": {"code": "NEWS"}}, True) == 1
    assert count_refine(no, {"mailing_group": {"code": "NEWS"}}) == 1
    assert count_refine(no, {"contact": {"no": "CO1"}}, True) == 1


def test_reduce_no_match_keeps_all(world):
    no = segment_with_everyone()
    before = line_rows(no)
    result = reduce_contacts(no, {"contact": {"name": "Nobody*"}}, user=TEST_USER)
    assert result.deleted == 0
    assert line_rows(no) == before
    actions = segment_actions(no)
    assert [action.action for action in actions] == ["add", "reduce"]
    assert actions[1].lines_deleted == 0


def test_refine_other_segment_untouched(world):
    no = segment_with_everyone()
    other = segment_with_everyone()
    refine_contacts(no, {"contact": {"country": "DE"}}, user=TEST_USER)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO1P2"]
    assert line_contacts(other) == EVERYONE


def test_reduce_entire_companies_keeps_independent(world):
    """A matching independent person brings nobody else."""
    no = segment_with_everyone()
    reduce_contacts(
        no, {"contact": {"no": "IND1"}}, entire_companies=True, user=TEST_USER
    )
    assert line_contacts(no) == [c for c in EVERYONE if c != "IND1"]


# A line follows its contact: filters judge the contact as it is now.


def move_to_company_two(contact_no: str) -> None:
    updated = (
        Contact.update(company="CO2", city="Wien", country_code="AT")
        .where(Contact.no == contact_no)
        .execute()
    )
    assert updated == 1


def test_reduce_moved_contact(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1P1"}})
    move_to_company_two("CO1P1")
    result = reduce_contacts(no, {"industry_group": {"code": "IT"}}, user=TEST_USER)
    assert result.deleted == 1
    assert line_contacts(no) == []


def test_refine_moved_contact(world):
    no = segment_with_everyone()
    move_to_company_two("CO1P1")
    refine_contacts(no, {"industry_group": {"code": "IT"}}, user=TEST_USER)
    assert line_contacts(no) == ["CO1P1", "CO2", "CO2P1"]


def test_moved_contact_count_matches(world):
    no = segment_with_everyone()
    move_to_company_two("CO1P1")
    assert count_refine(no, {"industry_group": {"code": "IT"}}) == 5
    assert count_reduce(no, {"industry_group": {"code": "IT"}}) == 3


# "Has none": contacts without a row of a source.


def test_reduce_mailing_group_keeps_none(world):
    no = segment_with_everyone()
    reduce_contacts(no, {"mailing_group": {"code": "NEWS|VIP"}}, user=TEST_USER)
    assert line_contacts(no) == ["CO1", "CO1P2", "CO2", "IND2", "IND3"]


def test_add_without_mailing_group(world):
    no = new_segment()
    add(no, {"mailing_group": {"exists": "no"}})
    assert line_contacts(no) == ["CO1", "CO2", "IND2", "IND3"]


def test_has_mailing_group_pair(world):
    filters = filters_from_pairs(["has-mailing-group=no"])
    assert filters == {"mailing_group": {"exists": "no"}}
    no = new_segment()
    add(no, filters)
    assert line_contacts(no) == ["CO1", "CO2", "IND2", "IND3"]


def test_industry_group_none_independent(world):
    assert selected({"industry_group": {"exists": "no"}}) == {"IND1", "IND2", "IND3"}
    pairs = filters_from_pairs(["has-industry-group=no"])
    assert selected(pairs) == {"IND1", "IND2", "IND3"}


def test_industry_group_none_company_without(world):
    """A company without an industry group and its persons have none."""
    Contact.create(no="CO3", type="company", name="Empty AG")
    Contact.update(company="CO3").where(Contact.no == "CO3").execute()
    Contact.create(no="CO3P1", type="person", name="Eva Leer", company="CO3")
    expected = {"CO3", "CO3P1", "IND1", "IND2", "IND3"}
    assert selected({"industry_group": {"exists": "no"}}) == expected


@pytest.mark.parametrize("source", ["mailing_group", "industry_group"])
@pytest.mark.parametrize("any_code", ["*", "<>''"])
def test_exists_yes_equals_any_code(source, any_code, world):
    with_exists = selected({source: {"exists": "yes"}}, ignore_exclusion=True)
    with_code = selected({source: {"code": any_code}}, ignore_exclusion=True)
    assert with_exists == with_code
    assert with_exists


def test_exists_yes_mailing_group(world):
    expected = {"CO1P1", "CO2P1", "IND1"}
    assert selected({"mailing_group": {"exists": "yes"}}) == expected


def test_exists_no_with_code(world):
    filters = {"mailing_group": {"exists": "no", "code": "NEWS"}}
    assert selected(filters) == {"CO1", "CO2", "IND2", "IND3"}
    assert selected(filters, ignore_exclusion=True) == {
        "CO1",
        "CO1P2",
        "CO2",
        "IND2",
        "IND3",
    }


def test_exists_no_with_code_vip(world):
    """IND1 has NEWS as well as VIP, so "without VIP" leaves it out."""
    filters = {"mailing_group": {"exists": "no", "code": "VIP"}}
    assert selected(filters) == {"CO1", "CO1P1", "CO2", "CO2P1", "IND2", "IND3"}


def test_exists_yes_with_code(world):
    filters = {"mailing_group": {"exists": "yes", "code": "VIP"}}
    assert selected(filters) == {"IND1"}


# A contact in two matching groups gets one line.


def test_two_groups_added_once(world):
    no = new_segment()
    filters = {"mailing_group": {"code": "NEWS|VIP"}}
    assert count_add_contacts(filters, AddOptions(), no) == 3
    inserted = add(no, filters)
    assert inserted == 3
    assert line_contacts(no) == ["CO1P1", "CO2P1", "IND1"]


def test_two_groups_one_per_contact(world):
    no = new_segment()
    add(no, {"mailing_group": {"code": "@news|@vip|NEWS"}})
    assert line_contacts(no).count("IND1") == 1


# Exclusion.


def test_add_honours_exclusion(world):
    no = new_segment()
    assert count_add_contacts({"contact": {"country": "DE"}}, AddOptions(), no) == 2
    add(no, {"contact": {"country": "DE"}})
    assert line_contacts(no) == ["CO1", "CO1P1"]


def test_ignore_exclusion_lifts(world):
    no = new_segment()
    options = AddOptions(ignore_exclusion=True)
    assert count_add_contacts({"contact": {"country": "DE"}}, options, no) == 3
    add(no, {"contact": {"country": "DE"}}, ignore_exclusion=True)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO1P2"]


# Manual line changes are actions.


def test_insert_line_recorded(world):
    no = new_segment()
    result = insert_line(no, "IND2", user=TEST_USER)
    actions = segment_actions(no)
    assert len(actions) == 1
    assert actions[0].id == result.action_id
    assert actions[0].action == "insert_line"
    assert actions[0].options == {"contact_no": "IND2", "allow_existing": False}
    assert actions[0].filters == {}
    assert actions[0].lines_inserted == 1
    assert actions[0].created_by == TEST_USER


def test_delete_lines_recorded(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE|GB"}})
    assert line_numbers(no) == [(10000, "CO1"), (20000, "CO1P1"), (30000, "IND2")]
    result = delete_lines(no, [30000, 10000], user=TEST_USER)
    actions = segment_actions(no)
    assert [action.action for action in actions] == ["add", "delete_line"]
    assert actions[1].id == result.action_id
    assert actions[1].options == {
        "lines": [
            {"contact_no": "CO1", "occurrence": 1},
            {"contact_no": "IND2", "occurrence": 1},
        ]
    }
    assert actions[1].lines_deleted == 2
    assert line_contacts(no) == ["CO1P1"]


def test_replay_delete_lines_recorded(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE|GB"}})
    lines = [
        {"contact_no": "IND2", "occurrence": 1},
        {"contact_no": "NOBODY", "occurrence": 1},
    ]
    result = replay_delete_lines(no, lines, user=TEST_USER)
    action = SegmentCriteriaAction.get_by_id(result.action_id)
    assert action.action == "delete_line"
    assert action.options == {"lines": lines}
    assert result.deleted == 1
    assert line_contacts(no) == ["CO1", "CO1P1"]


def test_manual_changes_undo(world):
    no = new_segment()
    insert_line(no, "IND2", user=TEST_USER)
    delete_lines(no, [10000], user=TEST_USER)
    go_back(no, user=TEST_USER)
    assert line_contacts(no) == ["IND2"]
    go_back(no, user=TEST_USER)
    assert line_contacts(no) == []


# Go Back and Go Forward.


def test_go_back_restores_edited_line(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE|AT"}})
    edit_line(no, "CO1P1", personal_note="Met at the fair", evaluation="positive")
    edited = line_rows(no)

    reduce_contacts(no, {"contact": {"country": "DE"}}, user=TEST_USER)
    assert line_contacts(no) == ["CO2", "CO2P1"]

    result = go_back(no, user=TEST_USER)
    assert result.inserted == 2
    assert line_rows(no) == edited
    back = {row["contact"]: row for row in line_rows(no)}
    assert back["CO1P1"]["personal_note"] == "Met at the fair"
    assert back["CO1P1"]["evaluation"] == "positive"


def test_go_back_add_removes_all(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE|AT"}})
    edit_line(no, "CO1P1", personal_note="Met at the fair", evaluation="positive")
    edited = line_rows(no)
    reduce_contacts(no, {"contact": {"country": "DE"}}, user=TEST_USER)

    go_back(no, user=TEST_USER)
    result = go_back(no, user=TEST_USER)
    assert result.deleted == 4
    assert line_rows(no) == []

    go_forward(no, user=TEST_USER)
    assert line_rows(no) == edited
    go_forward(no, user=TEST_USER)
    assert line_contacts(no) == ["CO2", "CO2P1"]


def test_go_back_keeps_edit_after_undo(world):
    """An edit made after Go Back of a Reduce survives Go Back and Go Forward."""
    no = new_segment()
    add(no, {"contact": {"country": "DE|AT"}})
    reduce_contacts(no, {"contact": {"country": "DE"}}, user=TEST_USER)
    go_back(no, user=TEST_USER)
    edit_line(no, "CO1P1", personal_note="Call back in May")
    go_back(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    notes = {row["contact"]: row["personal_note"] for row in line_rows(no)}
    assert notes["CO1P1"] == "Call back in May"


def run_and_record(no: str) -> list[list[dict[str, Any]]]:
    """Run a list of actions with line edits between them.

    Returns the whole lines before the first action and after each action with its
    edits, so states[k] is what Go Back from action k + 1 must restore. Each edit
    changes a line that the action just before it inserted, because Go Back keeps
    edits on lines that the undone action did not touch.
    """
    states = [line_rows(no)]
    add(no, {"contact": {"country": "DE|AT|CH"}})
    edit_line(no, "CO1P1", personal_note="Prefers letters", evaluation="positive")
    states.append(line_rows(no))

    insert_line(no, "IND2", user=TEST_USER)
    edit_line(no, "IND2", personal_note="New contact")
    states.append(line_rows(no))

    reduce_contacts(no, {"mailing_group": {"code": "VIP"}}, user=TEST_USER)
    states.append(line_rows(no))

    add(no, {"contact": {"country": "DE"}}, allow_existing=True, ignore_exclusion=True)
    edit_line(no, "CO1P2", evaluation="negative", subject="Special offer")
    states.append(line_rows(no))

    refine_contacts(
        no, {"contact": {"no": "CO1P1"}}, entire_companies=True, user=TEST_USER
    )
    states.append(line_rows(no))

    delete_lines(no, [20000], user=TEST_USER)
    states.append(line_rows(no))

    reduce_contacts(no, {}, user=TEST_USER)
    states.append(line_rows(no))
    return states


def test_go_back_forward_whole_list(world):
    no = new_segment()
    states = run_and_record(no)
    actions = len(states) - 1
    assert states[-1] == []
    assert len(states[4]) == 8

    for step in range(actions, 0, -1):
        go_back(no, user=TEST_USER)
        assert line_rows(no) == states[step - 1], f"after going back from {step}"
    with pytest.raises(InvalidValueError) as caught:
        go_back(no, user=TEST_USER)
    assert no in str(caught.value)

    for step in range(1, actions + 1):
        go_forward(no, user=TEST_USER)
        assert line_rows(no) == states[step], f"after going forward to {step}"
    with pytest.raises(InvalidValueError) as caught:
        go_forward(no, user=TEST_USER)
    assert no in str(caught.value)


def test_go_back_twice_forward_twice(world):
    """Go Back and Go Forward alternate freely in the middle of the list."""
    no = new_segment()
    states = run_and_record(no)
    go_back(no, user=TEST_USER)
    go_back(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    assert line_rows(no) == states[-2]
    go_back(no, user=TEST_USER)
    go_back(no, user=TEST_USER)
    assert line_rows(no) == states[-4]
    go_forward(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    assert line_rows(no) == states[-1]


def test_action_after_back_drops_undone(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    reduce_contacts(no, {"contact": {"no": "CO1"}}, user=TEST_USER)
    go_back(no, user=TEST_USER)
    add(no, {"contact": {"country": "GB"}})

    actions = segment_actions(no)
    assert [action.action for action in actions] == ["add", "add"]
    assert [action.active for action in actions] == [True, True]
    with pytest.raises(InvalidValueError):
        go_forward(no, user=TEST_USER)
    assert line_contacts(no) == ["CO1", "CO1P1", "IND2"]


def test_go_back_without_action(world):
    no = new_segment()
    with pytest.raises(InvalidValueError) as caught:
        go_back(no, user=TEST_USER)
    assert no in str(caught.value)


def test_go_forward_without_undo(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    with pytest.raises(InvalidValueError):
        go_forward(no, user=TEST_USER)
    assert line_contacts(no) == ["CO1", "CO1P1"]


def test_emptied_segment_keeps_criteria(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE|AT"}})
    refine_contacts(no, {"contact": {"country": "FR"}}, user=TEST_USER)
    assert line_contacts(no) == []
    assert [action.action for action in segment_actions(no)] == ["add", "refine"]
    go_back(no, user=TEST_USER)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO2", "CO2P1"]


def test_go_back_marks_inactive(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    reduce_contacts(no, {"contact": {"no": "CO1"}}, user=TEST_USER)
    go_back(no, user=TEST_USER)
    assert [action.active for action in segment_actions(no)] == [True, False]
    go_forward(no, user=TEST_USER)
    assert [action.active for action in segment_actions(no)] == [True, True]


# One contact removed and added back many times ends as one line, logged once.


def test_readded_contact_logged_once(world, tmp_path):
    no = new_segment()
    add(no, {"contact": {"no": "CO1P1|IND2"}})
    replay_delete_lines(no, [{"contact_no": "IND2", "occurrence": 1}], user=TEST_USER)
    insert_line(no, "IND2", user=TEST_USER)
    go_back(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    replay_delete_lines(no, [{"contact_no": "IND2", "occurrence": 1}], user=TEST_USER)
    go_back(no, user=TEST_USER)
    go_back(no, user=TEST_USER)
    go_back(no, user=TEST_USER)
    assert line_contacts(no) == ["CO1P1", "IND2"]
    go_forward(no, user=TEST_USER)
    assert line_contacts(no) == ["CO1P1"]
    insert_line(no, "IND2", user=TEST_USER)
    go_back(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    delete_lines(no, [line_no_of(no, "IND2")], user=TEST_USER)
    insert_line(no, "IND2", user=TEST_USER)
    assert line_contacts(no).count("IND2") == 1
    assert len(line_contacts(no)) == 2

    folder = tmp_path / "letters"
    result = log(no, folder)
    entries = InteractionLogEntry.select().where(
        InteractionLogEntry.contact_no == "IND2"
    )
    assert result.entries == 2
    assert entries.count() == 1
    letters = [path.name for path in folder.glob("*.docx") if "IND2" in path.name]
    assert len(letters) == 1


# Saved criteria.


def build_source_segment() -> str:
    """Build a segment with every kind of action and most options."""
    no = new_segment()
    add(no, {"contact": {"country": "DE|CH"}}, ignore_exclusion=True)
    add(no, {"mailing_group": {"code": "NEWS"}}, expand_companies=True)
    reduce_contacts(no, {"contact": {"no": "IND1"}}, user=TEST_USER)
    refine_contacts(
        no,
        {"industry_group": {"code": "RETAIL|IT"}},
        entire_companies=True,
        user=TEST_USER,
    )
    insert_line(no, "IND3", user=TEST_USER)
    delete_lines(no, [line_no_of(no, "CO2P1")], user=TEST_USER)
    add(no, {"contact": {"name": "@*müller*"}}, allow_related_companies=True)
    add(no, {"contact": {"country": "DE"}}, allow_existing=True)
    reduce_contacts(no, {"contact": {"exclude_from_segment": "yes"}}, user=TEST_USER)
    return no


def action_rows(no: str) -> list[tuple[Any, ...]]:
    return [
        (
            action.sequence,
            action.action,
            action.filters,
            action.options,
            action.lines_inserted,
            action.lines_deleted,
            action.active,
        )
        for action in segment_actions(no)
    ]


def saved_rows(database: Any, code: str) -> list[tuple[Any, ...]]:
    """Read a saved criteria's actions as the raw bytes of their columns."""
    cursor = database.execute_sql(
        "SELECT sequence, action, filters, options FROM saved_criteria_action "
        f"WHERE saved_criteria_code = {database.param} ORDER BY sequence",
        (code,),
    )
    return list(cursor.fetchall())


def test_save_and_list(world):
    no = build_source_segment()
    saved = save_criteria(no, " news-de ", "News DACH", user=TEST_USER)
    assert saved.code == "NEWS-DE"
    summaries = list_saved_criteria()
    assert len(summaries) == 1
    assert summaries[0].code == "NEWS-DE"
    assert summaries[0].description == "News DACH"
    assert summaries[0].actions == 9
    assert summaries[0].created_by == TEST_USER


def test_get_saved_criteria(world):
    no = build_source_segment()
    save_criteria(no, "NEWS-DE", "News DACH", user=TEST_USER)
    saved, actions = get_saved_criteria("news-de")
    assert saved.code == "NEWS-DE"
    source = segment_actions(no)
    assert [a.sequence for a in actions] == list(range(1, 10))
    assert [a.action for a in actions] == [a.action for a in source]
    assert [a.filters for a in actions] == [a.filters for a in source]
    assert [a.options for a in actions] == [a.options for a in source]


def test_describe_saved(world):
    no = build_source_segment()
    save_criteria(no, "NEWS-DE", "News DACH", user=TEST_USER)
    lines = describe_saved("NEWS-DE")
    assert len(lines) == 9
    assert lines[0] == "Add Contacts  country=DE|CH  [ignore exclusion]"
    assert lines[2] == "Reduce Contacts  no.=IND1"
    assert lines[3].startswith("Refine Contacts  industry group")
    assert lines[3].endswith("=RETAIL|IT  [entire companies]")
    assert lines[4] == "Insert Line  contact IND3"
    assert lines[5] == "Delete Line  contacts CO2P1"
    assert lines[8] == "Reduce Contacts  exclude from segment=yes"


def test_describe_code_source(world):
    no = new_segment()
    add(no, {"mailing_group": {"code": "NEWS"}}, expand_companies=True)
    save_criteria(no, "NEWS", "News", user=TEST_USER)
    assert describe_saved("NEWS") == [
        "Add Contacts  mailing group=NEWS  [expand companies]"
    ]


def test_delete_saved_criteria(world):
    no = build_source_segment()
    save_criteria(no, "NEWS-DE", "News DACH", user=TEST_USER)
    save_criteria(no, "OTHER", "Other", user=TEST_USER)
    delete_saved_criteria("news-de", user=TEST_USER)
    assert [summary.code for summary in list_saved_criteria()] == ["OTHER"]
    with pytest.raises(NotFoundError):
        get_saved_criteria("NEWS-DE")
    with pytest.raises(NotFoundError):
        delete_saved_criteria("NEWS-DE", user=TEST_USER)


def test_save_only_active_actions(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    reduce_contacts(no, {"contact": {"no": "CO1"}}, user=TEST_USER)
    go_back(no, user=TEST_USER)
    save_criteria(no, "DE", "Germany", user=TEST_USER)
    assert describe_saved("DE") == ["Add Contacts  country=DE"]


def test_reuse_same_lines(world):
    source = build_source_segment()
    save_criteria(source, "MIX", "Mixed", user=TEST_USER)
    target = new_segment()
    replay = reuse_criteria("mix", target, user=TEST_USER)
    assert line_numbers(target) == line_numbers(source)
    # The lines are the same but for their segment and when they were made.
    made = ("segment", "modified_at")
    assert [
        {key: value for key, value in row.items() if key not in made}
        for row in line_rows(target)
    ] == [
        {key: value for key, value in row.items() if key not in made}
        for row in line_rows(source)
    ]
    assert replay.messages == []
    assert replay.inserted == sum(a.lines_inserted for a in segment_actions(source))
    assert replay.deleted == sum(a.lines_deleted for a in segment_actions(source))


def test_reuse_records_each_action(world):
    source = build_source_segment()
    save_criteria(source, "MIX", "Mixed", user=TEST_USER)
    target = new_segment()
    replay = reuse_criteria("MIX", target, user=TEST_USER)
    assert action_rows(target) == action_rows(source)
    assert [result.action_id for result in replay.results] == [
        action.id for action in segment_actions(target)
    ]


def test_reuse_then_go_back_each(world):
    """A replayed action is an ordinary action that Go Back undoes one at a time."""
    source = build_source_segment()
    save_criteria(source, "MIX", "Mixed", user=TEST_USER)
    target = new_segment()
    reuse_criteria("MIX", target, user=TEST_USER)
    for _action in segment_actions(target):
        go_back(target, user=TEST_USER)
    assert line_contacts(target) == []


def test_reuse_boolean_no(world):
    source = new_segment()
    add(source, {"contact": {"exclude_from_segment": "no"}}, ignore_exclusion=True)
    expected = ["CO1", "CO1P1", "CO2", "CO2P1", "IND1", "IND2", "IND3"]
    assert line_contacts(source) == expected
    save_criteria(source, "NOT-EXCL", "Not excluded", user=TEST_USER)
    _saved, actions = get_saved_criteria("NOT-EXCL")
    assert actions[0].filters == {"contact": {"exclude_from_segment": "no"}}
    target = new_segment()
    reuse_criteria("NOT-EXCL", target, user=TEST_USER)
    assert line_contacts(target) == expected


def test_reuse_boolean_no_reduce(world):
    source = segment_with_everyone()
    reduce_contacts(source, {"contact": {"exclude_from_segment": "no"}}, user=TEST_USER)
    assert line_contacts(source) == ["CO1P2"]
    save_criteria(source, "ONLY-EXCL", "Only excluded", user=TEST_USER)
    target = new_segment()
    reuse_criteria("ONLY-EXCL", target, user=TEST_USER)
    assert line_contacts(target) == ["CO1P2"]


def long_number_filter(numbers: list[str], length: int) -> str:
    """Join contact numbers with made-up ones into an expression of ``length`` characters."""
    parts = list(numbers)
    index = 0
    while len("|".join(parts)) + 2 * len("|N000000") <= length:
        index += 1
        parts.append(f"N{index:06d}")
    remaining = length - len("|".join(parts)) - 1
    parts.append("Z" * remaining)
    return "|".join(parts)


def test_reuse_long_filter(world, database):
    numbers = ["CO1P1", "CO1P2", "CO1P3", "CO2", "IND1", "IND3"]
    expression = long_number_filter(numbers, 3000)
    assert len(expression) == 3000
    source = new_segment()
    add(source, {"contact": {"no": expression}})
    assert line_contacts(source) == ["CO1P1", "CO2", "IND1", "IND3"]

    save_criteria(source, "LONG", "Long list", user=TEST_USER)
    _saved, actions = get_saved_criteria("LONG")
    assert actions[0].filters["contact"]["no"] == expression
    raw = saved_rows(database, "LONG")
    assert expression in raw[0][2]

    target = new_segment()
    reuse_criteria("LONG", target, user=TEST_USER)
    assert line_contacts(target) == ["CO1P1", "CO2", "IND1", "IND3"]
    assert segment_actions(target)[0].filters == {"contact": {"no": expression}}


def test_reuse_ignore_exclusion(world):
    source = new_segment()
    add(source, {"contact": {"country": "DE"}}, ignore_exclusion=True)
    save_criteria(source, "DE-ALL", "Germany, excluded too", user=TEST_USER)
    target = new_segment()
    reuse_criteria("DE-ALL", target, user=TEST_USER)
    assert line_contacts(target) == ["CO1", "CO1P1", "CO1P2"]
    assert segment_actions(target)[0].options["ignore_exclusion"] is True


def test_reuse_expand_and_entire(world):
    source = new_segment()
    add(source, {"mailing_group": {"code": "NEWS"}}, expand_companies=True)
    reduce_contacts(
        source, {"contact": {"no": "CO2P1"}}, entire_companies=True, user=TEST_USER
    )
    save_criteria(source, "EXPAND", "Expand", user=TEST_USER)
    target = new_segment()
    reuse_criteria("EXPAND", target, user=TEST_USER)
    assert line_contacts(target) == ["CO1", "CO1P1", "IND1"]


def test_round_trip_bytes(world, database):
    source = build_source_segment()
    decomposed = unicodedata.normalize("NFD", "@*müller*")
    add(source, {"Contact": {"Name": decomposed}, "mailing-group": {"exists": "no"}})
    save_criteria(source, "X", "First save", user=TEST_USER)
    target = new_segment()
    reuse_criteria("X", target, user=TEST_USER)
    save_criteria(target, "Y", "Second save", user=TEST_USER)
    first = saved_rows(database, "X")
    second = saved_rows(database, "Y")
    assert len(first) == 10
    assert first == second
    assert unicodedata.normalize("NFC", "müller") in first[-1][2]


def test_save_existing_code_rejected(world):
    source = new_segment()
    add(source, {"contact": {"country": "DE"}})
    save_criteria(source, "DE", "Germany", user=TEST_USER)
    other = new_segment()
    add(other, {"contact": {"country": "AT"}})
    with pytest.raises(InvalidValueError) as caught:
        save_criteria(other, "de", "Austria", user=TEST_USER)
    assert "DE" in str(caught.value)
    assert describe_saved("DE") == ["Add Contacts  country=DE"]

    save_criteria(other, "de", "Austria", user=TEST_USER, replace=True)
    assert describe_saved("DE") == ["Add Contacts  country=AT"]
    assert get_saved_criteria("DE")[0].description == "Austria"
    assert len(list_saved_criteria()) == 1


def test_save_without_actions_rejected(world):
    no = new_segment()
    with pytest.raises(InvalidValueError) as caught:
        save_criteria(no, "EMPTY", "Nothing", user=TEST_USER)
    assert no in str(caught.value)
    assert list_saved_criteria() == []


def test_unknown_code_lists_existing(world):
    source = new_segment()
    add(source, {"contact": {"country": "DE"}})
    save_criteria(source, "DE", "Germany", user=TEST_USER)
    save_criteria(source, "GERMANY", "Germany", user=TEST_USER)
    with pytest.raises(NotFoundError) as caught:
        get_saved_criteria("NOPE")
    message = str(caught.value)
    assert "NOPE" in message
    assert "DE, GERMANY" in message
    target = new_segment()
    with pytest.raises(NotFoundError) as caught:
        reuse_criteria("nope", target, user=TEST_USER)
    assert "DE, GERMANY" in str(caught.value)
    assert segment_actions(target) == []


def test_reuse_insert_allow_existing(world):
    source = new_segment()
    insert_line(source, "IND2", user=TEST_USER)
    insert_line(source, "IND2", user=TEST_USER, allow_existing=True)
    assert line_contacts(source) == ["IND2", "IND2"]
    save_criteria(source, "TWICE", "IND2 twice", user=TEST_USER)
    target = new_segment()
    reuse_criteria("TWICE", target, user=TEST_USER)
    assert line_contacts(target) == ["IND2", "IND2"]


def test_reuse_delete_one_of_two(world):
    source = new_segment()
    add(source, {"contact": {"country": "DE"}})
    add(source, {"contact": {"country": "DE"}}, allow_existing=True)
    delete_lines(source, [30000], user=TEST_USER)
    assert line_contacts(source) == ["CO1", "CO1P1", "CO1P1"]
    save_criteria(source, "DE-TWICE", "Germany twice", user=TEST_USER)
    target = new_segment()
    reuse_criteria("DE-TWICE", target, user=TEST_USER)
    assert line_contacts(target) == line_contacts(source)


# Contacts on segments, deleting them, and reusing a logged segment.


@pytest.fixture
def logged_news(world, tmp_path) -> int:
    """Log the NEWS contacts CO1P1, CO2P1 and IND1, then delete CO1P1."""
    no = new_segment()
    add(no, {"mailing_group": {"code": "NEWS"}})
    result = log(no, tmp_path / "news")
    delete_contact("CO1P1", user=TEST_USER)
    return result.logged_segment_no


def test_delete_contact_on_segment(world):
    no = new_segment()
    add(no, {"mailing_group": {"code": "NEWS"}})
    with pytest.raises(InvalidValueError) as caught:
        delete_contact("CO1P1", user=TEST_USER)
    assert no in str(caught.value)
    assert "CO1P1" in str(caught.value)
    assert Contact.get_or_none(Contact.no == "CO1P1") is not None


def test_delete_contact_names_segments(world):
    first = new_segment()
    second = new_segment()
    insert_line(first, "IND2", user=TEST_USER)
    insert_line(second, "IND2", user=TEST_USER)
    with pytest.raises(InvalidValueError) as caught:
        delete_contact("IND2", user=TEST_USER)
    assert f"{first}, {second}" in str(caught.value)


def test_delete_contact_after_undo(world):
    """A contact only in an undone action's history can be deleted."""
    no = new_segment()
    insert_line(no, "IND2", user=TEST_USER)
    insert_line(no, "IND3", user=TEST_USER)
    go_back(no, user=TEST_USER)
    delete_contact("IND3", user=TEST_USER)
    go_forward(no, user=TEST_USER)
    assert line_contacts(no) == ["IND2"]


def test_delete_contact_after_logging(logged_news):
    assert Contact.get_or_none(Contact.no == "CO1P1") is None
    entries = list(
        InteractionLogEntry.select().where(InteractionLogEntry.contact_no == "CO1P1")
    )
    assert len(entries) == 1
    assert entries[0].contact_name == "Jürgen Müller"
    assert entries[0].contact_company_name == "Müller GmbH"


def test_reuse_logged_names_missing(logged_news):
    no = new_segment()
    result = reuse_logged_segment(no, logged_news, user=TEST_USER)
    assert line_contacts(no) == ["CO2P1", "IND1"]
    assert result.inserted == 2
    assert result.missing == [("CO1P1", "Jürgen Müller")]
    message = result.message()
    assert "2 contacts added." in message
    assert "CO1P1 Jürgen Müller" in message


def test_reuse_logged_recorded(logged_news):
    no = new_segment()
    result = reuse_logged_segment(no, logged_news, user=TEST_USER)
    action = SegmentCriteriaAction.get_by_id(result.action_id)
    assert action.action == "reuse_logged"
    assert action.options == {"logged_segment": logged_news, "allow_existing": False}
    go_back(no, user=TEST_USER)
    assert line_contacts(no) == []


def test_reuse_logged_no_duplicates(logged_news):
    no = new_segment()
    insert_line(no, "IND1", user=TEST_USER)
    result = reuse_logged_segment(no, logged_news, user=TEST_USER)
    assert result.inserted == 1
    assert sorted(line_contacts(no)) == ["CO2P1", "IND1"]


def test_reuse_logged_allow_existing(logged_news):
    no = new_segment()
    insert_line(no, "IND1", user=TEST_USER)
    result = reuse_logged_segment(no, logged_news, allow_existing=True, user=TEST_USER)
    assert result.inserted == 2
    assert sorted(line_contacts(no)) == ["CO2P1", "IND1", "IND1"]


def test_reuse_logged_unknown(world):
    no = new_segment()
    with pytest.raises(NotFoundError) as caught:
        reuse_logged_segment(no, 999, user=TEST_USER)
    assert "999" in str(caught.value)
    assert segment_actions(no) == []


def test_saved_reuse_logged_names_missing(logged_news):
    source = new_segment()
    reuse_logged_segment(source, logged_news, user=TEST_USER)
    save_criteria(source, "FOLLOW", "Follow-up", user=TEST_USER)
    target = new_segment()
    replay = reuse_criteria("FOLLOW", target, user=TEST_USER)
    assert line_contacts(target) == ["CO2P1", "IND1"]
    assert len(replay.messages) == 1
    assert "CO1P1 Jürgen Müller" in replay.messages[0]


# Campaign target and response, from segment lines and log entries.


def log_entry(contact_no: str, **values: Any) -> None:
    InteractionLogEntry.create(
        contact_no=contact_no,
        contact_name=contact_no,
        date=date(2026, 11, 2),
        created_at=datetime(2026, 11, 2, 9, 0),
        **values,
    )


@pytest.fixture
def campaigns(world) -> str:
    """CP1 on two lines of a segment and on entries, CP2 on one entry.

    Lines: CO1P1 (CP1, target) and CO2P1 (CP1). Entries: IND1 (CP1, target,
    response), IND2 (CP2), IND3 (CP1, target, canceled).
    """
    Campaign.create(no="CP1", description="Winter")
    Campaign.create(no="CP2", description="Spring")
    no = new_segment()
    add(no, {"contact": {"no": "CO1P1|CO2P1"}})
    for contact_no, target in (("CO1P1", True), ("CO2P1", False)):
        edit_line(no, contact_no, campaign="CP1", campaign_target=target)
    log_entry("IND1", campaign_no="CP1", campaign_target=True, campaign_response=True)
    log_entry("IND2", campaign_no="CP2")
    log_entry("IND3", campaign_no="CP1", campaign_target=True, canceled=True)
    log_entry("IND3", campaign_no="", evaluation="positive")
    return no


CAMPAIGN_CASES = [
    ({"campaign": {"no": "CP1", "target": "yes"}}, {"CO1P1", "IND1"}),
    ({"campaign": {"no": "CP1"}}, {"CO1P1", "CO2P1", "IND1"}),
    ({"campaign": {"no": "CP2"}}, {"IND2"}),
    ({"campaign": {"target": "no"}}, {"CO2P1", "IND2"}),
    ({"campaign": {"response": "no"}}, {"CO1P1", "CO2P1", "IND2"}),
    ({"campaign": {"response": "yes"}}, {"IND1"}),
    ({"campaign": {"exists": "no"}}, {"CO1", "CO2", "IND3"}),
    ({"campaign": {"no": "CP1", "exists": "no"}}, {"CO1", "CO2", "IND2", "IND3"}),
    ({"campaign": {"no": "CP2", "target": "yes"}}, set()),
]


@pytest.mark.parametrize(("filters", "expected"), CAMPAIGN_CASES)
def test_campaign_source(filters, expected, campaigns):
    assert selected(filters) == expected


def test_campaign_target_pair(campaigns):
    filters = filters_from_pairs(["campaign.no=CP1", "campaign.target=yes"])
    assert filters == {"campaign": {"no": "CP1", "target": "yes"}}
    assert selected(filters) == {"CO1P1", "IND1"}


def test_campaign_pair(campaigns):
    filters = filters_from_pairs(["campaign=CP1"])
    assert selected(filters) == {"CO1P1", "CO2P1", "IND1"}


def test_campaign_from_logged_header(world, tmp_path):
    Campaign.create(no="CP3", description="Autumn")
    no = new_segment()
    updated = (
        SegmentHeader.update(campaign="CP3", campaign_target=True)
        .where(SegmentHeader.no == no)
        .execute()
    )
    assert updated == 1
    add(no, {"contact": {"no": "CO2P1|IND2"}})
    log(no, tmp_path / "autumn")
    entries = InteractionLogEntry.select().where(
        InteractionLogEntry.campaign_no == "CP3"
    )
    assert entries.count() == 2
    filters = {"campaign": {"no": "CP3", "target": "yes"}}
    assert selected(filters) == {"CO2P1", "IND2"}

    InteractionLogEntry.update(canceled=True).where(
        InteractionLogEntry.contact_no == "IND2"
    ).execute()
    assert selected(filters) == {"CO2P1"}


# Interaction log entries made by logging.


@pytest.fixture
def interactions(world, tmp_path) -> tuple[str, str]:
    """Log LETTER to CO1P1 and IND2 on 2026-11-02, and CALL to IND1 and CO2P1 today."""
    letter = new_segment()
    update_header(letter, {"date": date(2026, 11, 2)}, user=TEST_USER)
    add(letter, {"contact": {"no": "CO1P1|IND2"}})
    log(letter, tmp_path / "letter")
    call = new_segment(template_code="CALL")
    add(call, {"contact": {"no": "IND1|CO2P1"}})
    log(call, tmp_path / "call")
    return letter, call


def test_interaction_dates_logged(interactions):
    dates = {
        entry.contact_no: entry.date
        for entry in InteractionLogEntry.select().order_by(InteractionLogEntry.entry_no)
    }
    assert dates == {
        "CO1P1": date(2026, 11, 2),
        "IND2": date(2026, 11, 2),
        "IND1": date(2026, 12, 4),
        "CO2P1": date(2026, 12, 4),
    }


INTERACTION_CASES = [
    ({"date": "2026-11-01..2026-11-30"}, {"CO1P1", "IND2"}),
    ({"date": "2026-12-01.."}, {"IND1", "CO2P1"}),
    ({"date": "..2026-11-02"}, {"CO1P1", "IND2"}),
    ({"date": "<2026-11-02"}, set()),
    ({"date": "2026-11-02|2026-12-04"}, {"CO1P1", "IND2", "IND1", "CO2P1"}),
    ({"date": "t"}, {"IND1", "CO2P1"}),
    ({"template": "LETTER"}, {"CO1P1", "IND2"}),
    ({"template": "<>LETTER"}, {"IND1", "CO2P1"}),
    ({"template": "CALL", "date": "..2026-12-31"}, {"IND1", "CO2P1"}),
    ({"template": "CALL", "date": "2026-11-02"}, set()),
    ({"group": "LETTER"}, {"CO1P1", "IND2", "IND1", "CO2P1"}),
    ({"exists": "no"}, {"CO1", "CO2", "IND3"}),
    ({"exists": "yes"}, {"CO1P1", "IND2", "IND1", "CO2P1"}),
]


@pytest.mark.parametrize(("fields", "expected"), INTERACTION_CASES)
def test_interaction_source(fields, expected, interactions):
    assert selected({"interaction": fields}) == expected


def test_interaction_segment_no(interactions):
    letter, call = interactions
    assert selected({"interaction": {"segment_no": letter}}) == {"CO1P1", "IND2"}
    assert selected({"interaction": {"segment_no": call}}) == {"IND1", "CO2P1"}
    both = f"{letter}|{call}"
    assert selected({"interaction": {"segment_no": both}}) == {
        "CO1P1",
        "IND2",
        "IND1",
        "CO2P1",
    }


def test_interaction_segment_and_template(interactions):
    letter, _call = interactions
    filters = {"interaction": {"segment_no": letter, "template": "CALL"}}
    assert selected(filters) == set()


def test_interaction_reduce(interactions):
    no = segment_with_everyone()
    reduce_contacts(
        no, {"interaction": {"date": "2026-11-01..2026-11-30"}}, user=TEST_USER
    )
    assert line_contacts(no) == ["CO1", "CO1P2", "CO2", "CO2P1", "IND1", "IND3"]


# The number of queries does not grow with the number of lines.


def bulk_contacts(city: str, count: int) -> list[str]:
    numbers = [f"{city[:3].upper()}{index:05d}" for index in range(count)]
    Contact.insert_many(
        [
            {"no": number, "type": "person", "name": f"Person {number}", "city": city}
            for number in numbers
        ]
    ).execute()
    return numbers


def query_counts(city: str, numbers: list[str]) -> dict[str, int]:
    """Run each action once on a new segment of the city's contacts, counting queries."""
    no = new_segment()
    filters = {"contact": {"city": city}}
    counts: dict[str, int] = {}
    steps = [
        ("count_add_contacts", lambda: count_add_contacts(filters, AddOptions(), no)),
        ("add_contacts", lambda: add(no, filters)),
        (
            "reduce_contacts",
            lambda: reduce_contacts(
                no, {"contact": {"no": numbers[0]}}, user=TEST_USER
            ),
        ),
        (
            "refine_contacts",
            lambda: refine_contacts(
                no, {"contact": {"no": f"<>{numbers[1]}"}}, user=TEST_USER
            ),
        ),
        ("go_back", lambda: go_back(no, user=TEST_USER)),
        ("go_forward", lambda: go_forward(no, user=TEST_USER)),
    ]
    for name, step in steps:
        with count_queries() as counter:
            step()
        counts[name] = counter.count
    assert len(line_contacts(no)) == len(numbers) - 2
    return counts


def test_query_count_constant(world):
    small = query_counts("Smalltown", bulk_contacts("Smalltown", 3))
    large = query_counts("Largetown", bulk_contacts("Largetown", 300))
    for name, count in small.items():
        assert large[name] == count, name
        assert count <= 15, name


def test_line_numbers_past_32_bits(world):
    """Line numbers grow by 10,000 a contact, so one add of more than 214,748
    contacts passes 2**31; both databases store and undo such lines."""
    no = new_segment()
    add(no, {"contact": {"no": "IND1"}})
    high = 2**31 - 5_000
    SegmentLine.update(line_no=high).where(SegmentLine.segment == no).execute()

    assert add(no, {"contact": {"no": "IND2"}}) == 1
    numbers = sorted(
        line.line_no for line in SegmentLine.select().where(SegmentLine.segment == no)
    )
    assert numbers == [high, high + 10_000]
    action = (
        SegmentCriteriaAction.select()
        .order_by(SegmentCriteriaAction.sequence.desc())
        .get()
    )
    assert action.last_line_no == high + 10_000

    go_back(no, user=TEST_USER)
    assert line_contacts(no) == ["IND1"]
