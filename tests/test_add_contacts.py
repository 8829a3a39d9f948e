"""Add Contacts and the other line changes of a segment, on the world and the sample.

The world of tests/builders.py has two companies. CO1 (DE, industry RETAIL, relation
CUST) has the persons CO1P1 (NEWS), CO1P2 (excluded from segments) and CO1P3 (privacy
blocked). CO2 (AT, industry IT) has the person CO2P1 (NEWS). The independent persons
are IND1 (CH, NEWS and VIP), IND2 (GB, no email) and IND3 (US).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from segtui.domain.criteria import AddOptions
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.segment_actions import (
    LINE_NO_STEP,
    SNAPSHOT_FIELDS,
    _record_history,
    add_contacts,
    count_add_contacts,
    delete_lines,
    go_back,
    go_forward,
    insert_line,
)
from segtui.domain.segmentation import create_segment, update_header
from segtui.models import (
    Contact,
    ContactMailingGroup,
    Language,
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
    UserSetup,
)
from tests.conftest import TEST_USER

ALL_ADDABLE = ["CO1", "CO1P1", "CO2", "CO2P1", "IND1", "IND2", "IND3"]


def new_segment(
    template_code: str | None = "LETTER", salesperson_code: str | None = None
) -> str:
    segment = create_segment(
        "Winter catalogue",
        user=TEST_USER,
        template_code=template_code,
        salesperson_code=salesperson_code,
    )
    return segment.no


def segment_lines(no: str) -> list[SegmentLine]:
    return list(
        SegmentLine.select()
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
    )


def line_contacts(no: str) -> list[str]:
    return [line.__data__["contact"] for line in segment_lines(no)]


def line_by_contact(no: str) -> dict[str, SegmentLine]:
    return {line.__data__["contact"]: line for line in segment_lines(no)}


def add(no: str, filters: dict[str, dict[str, str]], **options: bool) -> int:
    return add_contacts(no, filters, AddOptions(**options), user=TEST_USER).inserted


def by_no(contact_no: str) -> dict[str, dict[str, str]]:
    return {"contact": {"no": contact_no}}


# Each option on its own.


def test_add_plain(world):
    no = new_segment()
    inserted = add(no, {"contact": {"country": "DE"}})
    assert inserted == 2
    assert line_contacts(no) == ["CO1", "CO1P1"]


def test_add_no_filters(world):
    no = new_segment()
    assert add(no, {}) == 7
    assert line_contacts(no) == ALL_ADDABLE


def test_add_twice_skips_existing(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE|AT"}})
    second = add(no, {"contact": {"country": "DE|AT"}})
    assert second == 0
    assert line_contacts(no) == ["CO1", "CO1P1", "CO2", "CO2P1"]


def test_add_twice_allow_existing(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    second = add(no, {"contact": {"country": "DE"}}, allow_existing=True)
    assert second == 2
    assert line_contacts(no) == ["CO1", "CO1P1", "CO1", "CO1P1"]


def test_allow_existing_adds_only_new_once(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    add(no, {"contact": {"country": "DE|AT"}})
    assert line_contacts(no) == ["CO1", "CO1P1", "CO2", "CO2P1"]


EXPAND_CASES = [
    # (matching contact, ignore exclusion, expected lines)
    ("CO1P1", False, ["CO1", "CO1P1"]),
    ("CO1P1", True, ["CO1", "CO1P1", "CO1P2"]),
    ("CO1", False, ["CO1", "CO1P1"]),
    ("CO1", True, ["CO1", "CO1P1", "CO1P2"]),
    ("CO2P1", False, ["CO2", "CO2P1"]),
    ("IND1", False, ["IND1"]),
]


@pytest.mark.parametrize(("contact_no", "ignore_exclusion", "expected"), EXPAND_CASES)
def test_expand_companies(contact_no, ignore_exclusion, expected, world):
    no = new_segment()
    add(
        no,
        by_no(contact_no),
        expand_companies=True,
        ignore_exclusion=ignore_exclusion,
    )
    assert line_contacts(no) == expected


RELATED_CASES = [
    ("CO1P1", False, ["CO1", "CO1P1"]),
    ("CO1P1", True, ["CO1", "CO1P1"]),
    ("CO1", True, ["CO1"]),
    ("CO2P1", False, ["CO2", "CO2P1"]),
    ("IND1", False, ["IND1"]),
]


@pytest.mark.parametrize(("contact_no", "ignore_exclusion", "expected"), RELATED_CASES)
def test_allow_related_companies(contact_no, ignore_exclusion, expected, world):
    no = new_segment()
    add(
        no,
        by_no(contact_no),
        allow_related_companies=True,
        ignore_exclusion=ignore_exclusion,
    )
    assert line_contacts(no) == expected


def test_related_companies_by_mailing_group(world):
    no = new_segment()
    add(no, {"mailing_group": {"code": "NEWS"}}, allow_related_companies=True)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO2", "CO2P1", "IND1"]


def test_excluded_contact_skipped(world):
    no = new_segment()
    assert add(no, by_no("CO1P2")) == 0
    assert line_contacts(no) == []


def test_ignore_exclusion_adds_excluded(world):
    no = new_segment()
    assert add(no, by_no("CO1P2"), ignore_exclusion=True) == 1
    assert line_contacts(no) == ["CO1P2"]


def test_ignore_exclusion_all(world):
    no = new_segment()
    add(no, {}, ignore_exclusion=True)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO1P2", *ALL_ADDABLE[2:]]


def test_exclusion_flag_change_counts(world):
    no = new_segment()
    Contact.update(exclude_from_segment=True).where(Contact.no == "IND2").execute()
    add(no, {"contact": {"country": "GB|US"}})
    assert line_contacts(no) == ["IND3"]


# Companies and persons: industry group and business relation are on the company.

COMPANY_SOURCE_CASES = [
    ({"industry_group": {"code": "RETAIL"}}, ["CO1", "CO1P1"]),
    ({"industry_group": {"code": "IT"}}, ["CO2", "CO2P1"]),
    ({"business_relation": {"code": "CUST"}}, ["CO1", "CO1P1"]),
    (
        {"contact": {"type": "person"}, "industry_group": {"code": "IT"}},
        ["CO2P1"],
    ),
    (
        {"contact": {"type": "company"}, "industry_group": {"code": "RETAIL|IT"}},
        ["CO1", "CO2"],
    ),
    ({"contact": {"type": "company"}}, ["CO1", "CO2"]),
    ({"contact": {"type": "person", "company_no": "''"}}, ["IND1", "IND2", "IND3"]),
]


@pytest.mark.parametrize(("filters", "expected"), COMPANY_SOURCE_CASES)
def test_company_classification_inherited(filters, expected, world):
    no = new_segment()
    add(no, filters)
    assert line_contacts(no) == expected


# Privacy-blocked contacts are never added.

OPTION_NAMES = (
    "allow_existing",
    "expand_companies",
    "allow_related_companies",
    "ignore_exclusion",
)
ALL_OPTION_SETS = [
    dict(zip(OPTION_NAMES, values, strict=True))
    for values in itertools.product((False, True), repeat=4)
]


@pytest.mark.parametrize("options", ALL_OPTION_SETS)
@pytest.mark.parametrize(
    "filters",
    [by_no("CO1P3"), {}, {"contact": {"privacy_blocked": "yes"}}, by_no("CO1P1")],
)
def test_privacy_blocked_never_added(filters, options, world):
    no = new_segment()
    add(no, filters, **options)
    add(no, filters, **options)
    assert "CO1P3" not in line_contacts(no)


def test_insert_line_rejects_privacy_blocked(world):
    no = new_segment()
    with pytest.raises(InvalidValueError) as caught:
        insert_line(no, "CO1P3", user=TEST_USER)
    message = str(caught.value)
    assert "CO1P3" in message
    assert "Paul Schmidt" in message
    assert "privacy blocked" in message
    assert line_contacts(no) == []
    assert SegmentCriteriaAction.select().count() == 0


def test_insert_line_adds(world):
    no = new_segment()
    result = insert_line(no, " ind2 ", user=TEST_USER)
    assert result.inserted == 1
    assert line_contacts(no) == ["IND2"]


def test_insert_line_rejects_existing(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    with pytest.raises(InvalidValueError) as caught:
        insert_line(no, "CO1P1", user=TEST_USER)
    assert "CO1P1" in str(caught.value)
    assert "line 20000" in str(caught.value)
    assert line_contacts(no) == ["CO1", "CO1P1"]


def test_insert_line_allow_existing(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    insert_line(no, "CO1P1", user=TEST_USER, allow_existing=True)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO1P1"]


def test_insert_line_unknown_contact(world):
    no = new_segment()
    with pytest.raises(NotFoundError) as caught:
        insert_line(no, "NOBODY", user=TEST_USER)
    assert "'NOBODY'" in str(caught.value)


# The count shown while building criteria is what Add Contacts then inserts.

COUNT_CASES = [
    ({}, {}),
    ({}, {"ignore_exclusion": True}),
    ({"contact": {"country": "DE|AT"}}, {}),
    ({"contact": {"country": "DE|AT"}}, {"allow_existing": True}),
    ({"mailing_group": {"code": "NEWS|VIP"}}, {}),
    ({"mailing_group": {"code": "NEWS"}}, {"expand_companies": True}),
    (
        {"mailing_group": {"code": "NEWS"}},
        {"expand_companies": True, "ignore_exclusion": True},
    ),
    ({"mailing_group": {"code": "NEWS"}}, {"allow_related_companies": True}),
    ({"industry_group": {"code": "RETAIL"}}, {"ignore_exclusion": True}),
    ({"contact": {"territory": "<>NORTH"}}, {"allow_existing": True}),
    ({"contact": {"no": "CO1P3"}}, {"expand_companies": True}),
    ({"contact": {"name": "@*müller*"}}, {"expand_companies": True}),
]


@pytest.mark.parametrize(("filters", "options"), COUNT_CASES)
def test_count_equals_inserted(filters, options, world):
    no = new_segment()
    insert_line(no, "CO1P1", user=TEST_USER)
    counted = count_add_contacts(filters, AddOptions(**options), no)
    inserted = add(no, filters, **options)
    assert counted == inserted
    assert len(line_contacts(no)) == 1 + inserted


def test_count_without_segment(world):
    counted = count_add_contacts({"contact": {"country": "DE"}}, AddOptions())
    assert counted == 2


def test_two_mailing_groups_added_once(world):
    no = new_segment()
    filters = {"mailing_group": {"code": "NEWS|VIP"}}
    assert count_add_contacts(filters, AddOptions(), no) == 3
    add(no, filters)
    assert line_contacts(no) == ["CO1P1", "CO2P1", "IND1"]
    assert line_contacts(no).count("IND1") == 1


def test_two_mailing_groups_expand_once(world):
    ContactMailingGroup.create(contact="CO1", mailing_group="VIP")
    no = new_segment()
    add(no, {"mailing_group": {"code": "NEWS|VIP"}}, expand_companies=True)
    assert line_contacts(no) == ["CO1", "CO1P1", "CO2", "CO2P1", "IND1"]


# Line values come from the header, the template and the contact.


def test_line_copies_header(world):
    no = new_segment(salesperson_code="AH")
    add(no, by_no("CO1P1"))
    line = segment_lines(no)[0]
    assert line.date == date(2026, 12, 4)
    assert line.__data__["interaction_template"] == "LETTER"
    assert line.__data__["salesperson"] == "AH"
    assert line.unit_cost == Decimal("1.20")
    assert line.unit_duration == Decimal("5")
    assert line.information_flow == "outbound"
    assert line.initiated_by == "us"
    assert line.evaluation == ""
    assert line.personal_note == ""
    assert line.__data__["attachment"] is None


def test_line_description_from_template(world):
    no = new_segment()
    add(no, by_no("CO1"))
    assert segment_lines(no)[0].description == "Catalogue letter"


def test_line_description_from_call_template(world):
    no = new_segment(template_code="CALL")
    add(no, by_no("CO1"))
    assert segment_lines(no)[0].description == "Phone call"


def test_corresp_type_template_default(world):
    """A contact without a preference gets the template's correspondence type."""
    no = new_segment()
    add(no, {"contact": {"no": "CO1P1|CO2|IND2"}})
    types = {
        contact: line.correspondence_type
        for contact, line in line_by_contact(no).items()
    }
    assert types == {"CO1P1": "hard_copy", "CO2": "hard_copy", "IND2": "hard_copy"}


def test_corresp_type_contact_preference(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1|CO2P1|IND1"}})
    types = {
        contact: line.correspondence_type
        for contact, line in line_by_contact(no).items()
    }
    assert types == {"CO1": "hard_copy", "CO2P1": "email", "IND1": "email"}


def test_corresp_type_header_override(world):
    no = new_segment()
    update_header(
        no,
        {"correspondence_type": "email", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    add(no, {})
    types = {line.correspondence_type for line in segment_lines(no)}
    assert types == {"email"}


def test_corresp_type_header_override_blank(world):
    """A header that ignores the contact's type but has none falls back to the rules."""
    no = new_segment()
    update_header(
        no,
        {"correspondence_type": "", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    add(no, {"contact": {"no": "CO1P1|CO2P1"}})
    types = {
        contact: line.correspondence_type
        for contact, line in line_by_contact(no).items()
    }
    assert types == {"CO1P1": "hard_copy", "CO2P1": "email"}


def test_corresp_type_without_override_flag(world):
    """A header type without the ignore flag does not replace the contact's type."""
    no = new_segment()
    update_header(no, {"correspondence_type": "email"}, user=TEST_USER)
    add(no, {"contact": {"no": "CO1|CO1P1"}})
    types = {
        contact: line.correspondence_type
        for contact, line in line_by_contact(no).items()
    }
    assert types == {"CO1": "hard_copy", "CO1P1": "hard_copy"}


def test_corresp_type_template_ignores_contact(world):
    """CALL ignores the contact's type and has none, so every line is blank."""
    no = new_segment(template_code="CALL")
    add(no, {"contact": {"no": "CO1|CO2P1|IND1"}})
    types = {line.correspondence_type for line in segment_lines(no)}
    assert types == {""}


def test_corresp_type_header_beats_template(world):
    no = new_segment(template_code="CALL")
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    add(no, {"contact": {"no": "CO2P1|IND1"}})
    types = {line.correspondence_type for line in segment_lines(no)}
    assert types == {"hard_copy"}


def test_language_with_attachment(world):
    """LETTER has attachments in EN and DE, so each contact keeps its own."""
    no = new_segment()
    add(no, {"contact": {"no": "CO1|IND2"}})
    languages = {
        contact: line.__data__["language"]
        for contact, line in line_by_contact(no).items()
    }
    assert languages == {"CO1": "DE", "IND2": "EN"}


def test_language_without_attachment(world):
    """A contact whose language has no attachment gets the template's default."""
    Language.create(code="FR", name="Français", locale="fr_FR")
    Contact.create(no="IND4", type="person", name="Anne Martin", language="FR")
    Contact.create(no="IND5", type="person", name="No Language")
    no = new_segment()
    add(no, {"contact": {"no": "IND4|IND5"}})
    languages = {
        contact: line.__data__["language"]
        for contact, line in line_by_contact(no).items()
    }
    assert languages == {"IND4": "EN", "IND5": "EN"}


def test_language_template_without_attachments(world):
    no = new_segment(template_code="CALL")
    add(no, {"contact": {"no": "CO1|IND2"}})
    languages = {line.__data__["language"] for line in segment_lines(no)}
    assert languages == {"EN"}


def test_salesperson_from_header(world):
    no = new_segment(salesperson_code="JÖ")
    add(no, {"contact": {"no": "CO1|CO1P1"}})
    salespeople = {line.__data__["salesperson"] for line in segment_lines(no)}
    assert salespeople == {"JÖ"}


def test_salesperson_from_contact(world):
    no = new_segment()
    assert SegmentHeader.get_by_id(no).__data__["salesperson"] is None
    add(no, {"contact": {"no": "CO1|CO1P1"}})
    salespeople = {
        contact: line.__data__["salesperson"]
        for contact, line in line_by_contact(no).items()
    }
    assert salespeople == {"CO1": "AH", "CO1P1": None}


def test_salesperson_from_user_setup(world):
    UserSetup.create(user_id=TEST_USER, salesperson="JÖ", role="marketer")
    no = new_segment()
    assert SegmentHeader.get_by_id(no).__data__["salesperson"] == "JÖ"
    add(no, by_no("CO1"))
    assert segment_lines(no)[0].__data__["salesperson"] == "JÖ"


def test_subject_from_template_language(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1|IND2"}})
    subjects = {contact: line.subject for contact, line in line_by_contact(no).items()}
    assert subjects == {"CO1": "Unser Katalog", "IND2": "Our catalogue"}


def test_subject_from_header(world):
    no = new_segment()
    update_header(no, {"subject": "Winter offer"}, user=TEST_USER)
    add(no, {"contact": {"no": "CO1|IND2"}})
    subjects = {line.subject for line in segment_lines(no)}
    assert subjects == {"Winter offer"}


def test_line_numbers_step(world):
    no = new_segment()
    add(no, {"contact": {"country": "AT|CH|US"}})
    lines = segment_lines(no)
    assert [line.line_no for line in lines] == [10000, 20000, 30000, 40000]
    assert [line.__data__["contact"] for line in lines] == [
        "CO2",
        "CO2P1",
        "IND1",
        "IND3",
    ]


def test_line_numbers_continue(world):
    no = new_segment()
    add(no, {"contact": {"country": "US"}})
    add(no, {"contact": {"country": "AT"}})
    lines = segment_lines(no)
    assert [line.line_no for line in lines] == [10000, 20000, 30000]
    assert [line.__data__["contact"] for line in lines] == ["IND3", "CO2", "CO2P1"]
    assert LINE_NO_STEP == 10000


# Actions and history.


def test_action_recorded(world):
    no = new_segment()
    filters = {"Contact": {"Country Code": "DE|AT"}, "mailing-group": {"code": "NEWS"}}
    result = add_contacts(
        no, filters, AddOptions(expand_companies=True), user=TEST_USER
    )
    action = SegmentCriteriaAction.get_by_id(result.action_id)
    assert action.__data__["segment"] == no
    assert action.sequence == 1
    assert action.action == "add"
    assert action.filters == {
        "contact": {"country": "DE|AT"},
        "mailing_group": {"code": "NEWS"},
    }
    assert action.options == {
        "allow_existing": False,
        "expand_companies": True,
        "allow_related_companies": False,
        "ignore_exclusion": False,
    }
    assert action.lines_inserted == 4
    assert action.lines_deleted == 0
    assert action.active is True
    assert action.created_by == TEST_USER


def test_actions_in_sequence(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    add(no, {"contact": {"country": "DE"}})
    insert_line(no, "IND2", user=TEST_USER)
    delete_lines(no, [10000], user=TEST_USER)
    actions = list(
        SegmentCriteriaAction.select()
        .where(SegmentCriteriaAction.segment == no)
        .order_by(SegmentCriteriaAction.sequence)
    )
    assert [action.sequence for action in actions] == [1, 2, 3, 4]
    assert [action.action for action in actions] == [
        "add",
        "add",
        "insert_line",
        "delete_line",
    ]
    assert [action.lines_inserted for action in actions] == [2, 0, 1, 0]
    assert [action.lines_deleted for action in actions] == [0, 0, 0, 1]
    assert actions[2].options == {"contact_no": "IND2", "allow_existing": False}
    assert actions[3].options == {"lines": [{"contact_no": "CO1", "occurrence": 1}]}


def assert_snapshot_matches(row: SegmentHistory, line: SegmentLine) -> None:
    """Check that a history row contains every stored value of the line."""
    assert row.line_no == line.line_no
    assert row.contact_no == line.__data__["contact"]
    for field in SNAPSHOT_FIELDS:
        assert getattr(row, field.column_name) == line.__data__[field.name], field.name


def stored(line: SegmentLine) -> dict:
    """Return a line's values without its row id, which a restored line gets anew."""
    return {key: value for key, value in line.__data__.items() if key != "id"}


def test_insert_records_line_range_not_history(world):
    no = new_segment(salesperson_code="AH")
    first = add_contacts(
        no, {"contact": {"no": "CO1|CO2"}}, AddOptions(), user=TEST_USER
    )
    second = add_contacts(
        no, {"contact": {"country": "DE|AT"}}, AddOptions(), user=TEST_USER
    )
    actions = {
        action.id: action
        for action in SegmentCriteriaAction.select().where(
            SegmentCriteriaAction.segment == no
        )
    }
    assert (
        actions[first.action_id].first_line_no,
        actions[first.action_id].last_line_no,
    ) == (
        LINE_NO_STEP,
        2 * LINE_NO_STEP,
    )
    last = 2 * LINE_NO_STEP + second.inserted * LINE_NO_STEP
    assert (
        actions[second.action_id].first_line_no,
        actions[second.action_id].last_line_no,
    ) == (3 * LINE_NO_STEP, last)
    assert SegmentHistory.select().count() == 0


def test_go_back_keeps_inserted_lines_as_they_are(world):
    no = new_segment(salesperson_code="AH")
    update_header(no, {"subject": "Winter offer"}, user=TEST_USER)
    add_contacts(no, {"contact": {"no": "CO1"}}, AddOptions(), user=TEST_USER)
    result = add_contacts(
        no, {"contact": {"country": "DE|AT"}}, AddOptions(), user=TEST_USER
    )
    SegmentLine.update(personal_note="Met at the fair").where(
        (SegmentLine.segment == no) & (SegmentLine.line_no == 3 * LINE_NO_STEP)
    ).execute()
    lines = [line for line in segment_lines(no) if line.line_no > LINE_NO_STEP]
    go_back(no, user=TEST_USER)
    rows = list(
        SegmentHistory.select()
        .where(SegmentHistory.action == result.action_id)
        .order_by(SegmentHistory.line_no)
    )
    assert len(rows) == result.inserted == len(lines)
    assert {row.change for row in rows} == {"inserted"}
    for row, line in zip(rows, lines, strict=True):
        assert_snapshot_matches(row, line)
    assert [line.line_no for line in segment_lines(no)] == [LINE_NO_STEP]

    go_forward(no, user=TEST_USER)
    after = [stored(line) for line in segment_lines(no) if line.line_no > LINE_NO_STEP]
    assert after == [stored(line) for line in lines]

    # A second Go Back keeps the lines' newest state, not the first snapshot.
    SegmentLine.update(personal_note="Called back").where(
        (SegmentLine.segment == no) & (SegmentLine.line_no == 3 * LINE_NO_STEP)
    ).execute()
    go_back(no, user=TEST_USER)
    go_forward(no, user=TEST_USER)
    note = SegmentLine.get(
        (SegmentLine.segment == no) & (SegmentLine.line_no == 3 * LINE_NO_STEP)
    ).personal_note
    assert note == "Called back"
    assert (
        SegmentHistory.select().where(SegmentHistory.action == result.action_id).count()
        == result.inserted
    )


def test_go_back_of_action_from_before_line_ranges(world):
    """An action saved before actions kept line ranges has its history rows."""
    no = new_segment(salesperson_code="AH")
    result = add_contacts(
        no, {"contact": {"country": "DE|AT"}}, AddOptions(), user=TEST_USER
    )
    action = SegmentCriteriaAction.get_by_id(result.action_id)
    _record_history(action, "inserted", SegmentLine.segment == no)
    SegmentCriteriaAction.update(first_line_no=None, last_line_no=None).where(
        SegmentCriteriaAction.id == action.id
    ).execute()
    lines = [stored(line) for line in segment_lines(no)]
    go_back(no, user=TEST_USER)
    assert segment_lines(no) == []
    go_forward(no, user=TEST_USER)
    assert [stored(line) for line in segment_lines(no)] == lines


def test_history_contains_deleted_lines(world):
    no = new_segment(salesperson_code="AH")
    add(no, {"contact": {"country": "DE|AT"}})
    SegmentLine.update(personal_note="Met at the fair", evaluation="positive").where(
        (SegmentLine.segment == no) & (SegmentLine.line_no == 20000)
    ).execute()
    before = {line.line_no: line for line in segment_lines(no)}
    result = delete_lines(no, [20000, 40000], user=TEST_USER)
    rows = list(
        SegmentHistory.select()
        .where(SegmentHistory.action == result.action_id)
        .order_by(SegmentHistory.line_no)
    )
    assert [row.line_no for row in rows] == [20000, 40000]
    assert {row.change for row in rows} == {"deleted"}
    for row in rows:
        assert_snapshot_matches(row, before[row.line_no])
    assert rows[0].personal_note == "Met at the fair"


def test_delete_lines_exact(world):
    no = new_segment()
    add(no, {})
    before = {line.line_no: line.__data__ for line in segment_lines(no)}
    result = delete_lines(no, [20000, 50000, 70000], user=TEST_USER)
    assert result.deleted == 3
    after = {line.line_no: line.__data__ for line in segment_lines(no)}
    assert sorted(after) == [10000, 30000, 40000, 60000]
    for line_no, values in after.items():
        assert values == before[line_no]


def test_delete_lines_ignores_missing_numbers(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    result = delete_lines(no, [10000, 99999], user=TEST_USER)
    assert result.deleted == 1
    assert line_contacts(no) == ["CO1P1"]


def test_delete_lines_none_found(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    with pytest.raises(NotFoundError) as caught:
        delete_lines(no, [99999], user=TEST_USER)
    assert "99999" in str(caught.value)
    assert line_contacts(no) == ["CO1", "CO1P1"]


# Header changes and the lines.


def test_update_header_keeps_lines(world):
    no = new_segment(salesperson_code="AH")
    add(no, {"contact": {"country": "DE"}})
    before = [line.__data__ for line in segment_lines(no)]
    header = update_header(
        no, {"salesperson": "JÖ"}, user=TEST_USER, update_lines=False
    )
    assert header.__data__["salesperson"] == "JÖ"
    assert SegmentHeader.get_by_id(no).__data__["salesperson"] == "JÖ"
    assert [line.__data__ for line in segment_lines(no)] == before


def test_update_header_updates_lines(world):
    no = new_segment(salesperson_code="AH")
    add(no, {"contact": {"country": "DE"}})
    update_header(no, {"salesperson": "JÖ"}, user=TEST_USER, update_lines=True)
    salespeople = {line.__data__["salesperson"] for line in segment_lines(no)}
    assert salespeople == {"JÖ"}


def test_update_header_clears_salesperson(world):
    """Without a header salesperson, the lines take each contact's own."""
    no = new_segment(salesperson_code="JÖ")
    add(no, {"contact": {"country": "DE"}})
    update_header(no, {"salesperson": None}, user=TEST_USER, update_lines=True)
    salespeople = {
        contact: line.__data__["salesperson"]
        for contact, line in line_by_contact(no).items()
    }
    assert salespeople == {"CO1": "AH", "CO1P1": None}


def test_update_header_subject(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1|IND2"}})
    update_header(no, {"subject": "Winter offer"}, user=TEST_USER)
    subjects = {line.subject for line in segment_lines(no)}
    assert subjects == {"Winter offer"}


def test_update_header_subject_kept(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1|IND2"}})
    update_header(no, {"subject": "Winter offer"}, user=TEST_USER, update_lines=False)
    subjects = {contact: line.subject for contact, line in line_by_contact(no).items()}
    assert subjects == {"CO1": "Unser Katalog", "IND2": "Our catalogue"}


def test_update_header_template(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1|CO2P1"}})
    update_header(no, {"interaction_template": "CALL"}, user=TEST_USER)
    for line in segment_lines(no):
        assert line.__data__["interaction_template"] == "CALL"
        assert line.description == "Phone call"
        assert line.correspondence_type == ""
        assert line.unit_cost == Decimal("0")
        assert line.subject == ""


def test_update_header_corresp_type(world):
    no = new_segment()
    add(no, {"contact": {"no": "CO1|CO2P1"}})
    update_header(
        no,
        {"correspondence_type": "email", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    types = {line.correspondence_type for line in segment_lines(no)}
    assert types == {"email"}


def test_update_header_date_and_cost(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    update_header(
        no,
        {"date": date(2027, 1, 15), "unit_cost": "2.50", "unit_duration": 12},
        user=TEST_USER,
    )
    for line in segment_lines(no):
        assert line.date == date(2027, 1, 15)
        assert line.unit_cost == Decimal("2.50")
        assert line.unit_duration == Decimal("12")


def test_update_header_date_kept(world):
    no = new_segment()
    add(no, {"contact": {"country": "DE"}})
    update_header(no, {"date": date(2027, 1, 15)}, user=TEST_USER, update_lines=False)
    dates = {line.date for line in segment_lines(no)}
    assert dates == {date(2026, 12, 4)}
    assert SegmentHeader.get_by_id(no).date == date(2027, 1, 15)


def test_update_header_version(world):
    no = new_segment()
    update_header(no, {"description": "Spring catalogue"}, user=TEST_USER)
    header = SegmentHeader.get_by_id(no)
    assert header.description == "Spring catalogue"
    assert header.version == 2
    assert header.modified_by == TEST_USER


# Unknown segments.


def test_add_unknown_segment(world):
    with pytest.raises(NotFoundError) as caught:
        add_contacts("SEG99999", {}, AddOptions(), user=TEST_USER)
    assert "'SEG99999'" in str(caught.value)
    assert SegmentCriteriaAction.select().count() == 0


def test_insert_unknown_segment(world):
    with pytest.raises(NotFoundError) as caught:
        insert_line("SEG99999", "CO1", user=TEST_USER)
    assert "'SEG99999'" in str(caught.value)


def test_delete_unknown_segment(world):
    with pytest.raises(NotFoundError) as caught:
        delete_lines("SEG99999", [10000], user=TEST_USER)
    assert "'SEG99999'" in str(caught.value)


def test_update_unknown_segment(world):
    with pytest.raises(NotFoundError) as caught:
        update_header("SEG99999", {"subject": "x"}, user=TEST_USER)
    assert "'SEG99999'" in str(caught.value)


def test_create_segment_blank_description(world):
    with pytest.raises(InvalidValueError):
        create_segment("   ", user=TEST_USER)
    assert SegmentHeader.select().count() == 0


def test_create_segment_unknown_template(world):
    with pytest.raises(NotFoundError) as caught:
        create_segment("x", user=TEST_USER, template_code="FAX")
    assert "'FAX'" in str(caught.value)
    assert "CALL, LETTER" in str(caught.value)


def test_segment_numbers_increase(world):
    first = new_segment()
    second = new_segment()
    assert first == "SEG00001"
    assert second == "SEG00002"


# The sample data: about 2,000 contacts, compared with plain Python.


def sample_contacts() -> dict[str, Contact]:
    return {contact.no: contact for contact in Contact.select()}


def sample_mailing_groups() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for contact_no, group in ContactMailingGroup.select(
        ContactMailingGroup.contact, ContactMailingGroup.mailing_group
    ).tuples():
        groups.setdefault(contact_no, set()).add(group)
    return groups


def python_selection(
    matched: set[str], contacts: dict[str, Contact], options: AddOptions
) -> set[str]:
    """Apply the Add Contacts options to the matching contacts, in plain Python."""
    chosen = set(matched)
    if options.expand_companies:
        companies = {contacts[no].__data__["company"] for no in matched} - {None}
        chosen |= {
            no
            for no, contact in contacts.items()
            if contact.__data__["company"] in companies
        }
    elif options.allow_related_companies:
        chosen |= {
            contacts[no].__data__["company"]
            for no in matched
            if contacts[no].type == "person" and contacts[no].__data__["company"]
        }
    chosen = {no for no in chosen if not contacts[no].privacy_blocked}
    if not options.ignore_exclusion:
        chosen = {no for no in chosen if not contacts[no].exclude_from_segment}
    return chosen


SAMPLE_OPTIONS = [
    AddOptions(),
    AddOptions(expand_companies=True),
    AddOptions(allow_related_companies=True),
    AddOptions(ignore_exclusion=True, expand_companies=True),
]


@pytest.mark.parametrize(
    "options", SAMPLE_OPTIONS, ids=lambda o: "-".join(o.labels()) or "plain"
)
def test_sample_count_matches_python(options, sample_database):
    contacts = sample_contacts()
    groups = sample_mailing_groups()
    matched = {
        no
        for no, contact in contacts.items()
        if contact.country_code in ("DE", "AT") and "NEWS" in groups.get(no, set())
    }
    expected = python_selection(matched, contacts, options)
    filters = {"contact": {"country": "DE|AT"}, "mailing_group": {"code": "NEWS"}}
    assert len(expected) > 100
    assert count_add_contacts(filters, options) == len(expected)

    no = create_segment("Newsletter DACH", user=TEST_USER, template_code="LETTER").no
    inserted = add_contacts(no, filters, options, user=TEST_USER).inserted
    assert inserted == len(expected)
    assert set(line_contacts(no)) == expected


def test_sample_lines_in_contact_order(sample_database):
    no = create_segment("Netherlands", user=TEST_USER, template_code="LETTER").no
    add(no, {"contact": {"country": "NL"}})
    lines = segment_lines(no)
    contacts = [line.__data__["contact"] for line in lines]
    assert contacts == sorted(contacts)
    assert [line.line_no for line in lines] == [
        LINE_NO_STEP * (index + 1) for index in range(len(lines))
    ]


def test_sample_blocked_and_excluded(sample_database):
    blocked = {
        contact.no
        for contact in Contact.select().where(Contact.privacy_blocked == True)  # noqa: E712
    }
    assert blocked
    no = create_segment("Everyone", user=TEST_USER).no
    add(no, {}, ignore_exclusion=True, expand_companies=True)
    on_lines = set(line_contacts(no))
    assert on_lines.isdisjoint(blocked)
    assert len(on_lines) == Contact.select().count() - len(blocked)
