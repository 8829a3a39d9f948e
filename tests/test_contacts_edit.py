"""Contacts: creating, editing, classifying and deleting them, with their guards."""

from __future__ import annotations

import json

import pytest

from segtui.domain.classifications import (
    add_tag,
    contact_tags,
    delete_code,
    list_codes,
    remove_tag,
    save_code,
)
from segtui.domain.contact_queries import contact_card, count_contacts, list_contacts
from segtui.domain.contacts import create_contact, delete_contact, update_contact
from segtui.domain.errors import (
    ConflictError,
    InvalidValueError,
    NotFoundError,
    ValidationError,
)
from segtui.domain.profiles import (
    add_contact_answer,
    contact_answers,
    delete_answer,
    questionnaire_lines,
    save_answer,
    save_question,
    save_questionnaire,
)
from segtui.domain.segment_actions import insert_line
from segtui.domain.segmentation import create_segment
from segtui.domain.users import PermissionDeniedError, role_of
from segtui.models import Contact, Role, UserSetup
from tests.conftest import TEST_USER
from tests.test_cli import run_segtui


def test_create_person_inherits_company(world) -> None:
    person = create_contact(
        {"no": "p9", "first_name": "Ida", "surname": "Ott", "company_no": "co1"},
        user=TEST_USER,
    )
    assert person.no == "P9"
    assert person.name == "Ida Ott"
    assert person.city == "Berlin"
    assert person.language_code == "DE"
    assert person.created_by == TEST_USER


def test_create_takes_next_number(world) -> None:
    first = create_contact({"type": "company", "name": "Neu AG"}, user=TEST_USER)
    second = create_contact({"name": "Eva Neu"}, user=TEST_USER)
    assert first.no == "CT000001"
    assert first.company_no == "CT000001"
    assert second.no == "CT000002"


def test_create_reports_every_bad_value(world) -> None:
    with pytest.raises(ValidationError) as caught:
        create_contact(
            {"name": "X", "email": "x@", "language_code": "FR", "type": "robot"},
            user=TEST_USER,
        )
    problems = sorted(str(problem) for problem in caught.value.problems)
    assert len(problems) == 3
    assert problems[0].startswith("Email: invalid email address 'x@'")
    assert problems[1].startswith("Language: unknown language 'FR'")
    assert problems[2].startswith("Type: 'robot'")


def test_company_change_follows_inherited_fields(world) -> None:
    Contact.update(phone="+49 30 1").where(Contact.no.in_(["CO1", "CO1P1"])).execute()
    Contact.update(city="Potsdam").where(Contact.no == "CO1P2").execute()
    update_contact("CO1", {"city": "Hamburg", "phone": "+49 40 2"}, user=TEST_USER)
    persons = {c.no: c for c in Contact.select().where(Contact.company == "CO1")}
    assert persons["CO1P1"].city == "Hamburg"
    assert persons["CO1P1"].phone == "+49 40 2"
    # A value the person changed itself stays.
    assert persons["CO1P2"].city == "Potsdam"

    assert persons["CO1P1"].version > 1
    moved = update_contact("CO1P1", {"company_no": "CO2"}, user=TEST_USER)
    assert moved.city == "Wien"
    assert moved.country_code == "AT"
    assert moved.territory_code == "SOUTH"
    assert moved.version == persons["CO1P1"].version + 1


def test_move_blocked_on_unlogged_segment(world) -> None:
    segment = create_segment("Herbst", user=TEST_USER)
    insert_line(segment.no, "CO1P1", user=TEST_USER)
    with pytest.raises(InvalidValueError) as caught:
        update_contact("CO1P1", {"company_no": "CO2"}, user=TEST_USER)
    assert segment.no in caught.value.message
    # Other fields may change.
    update_contact("CO1P1", {"job_title": "Einkauf"}, user=TEST_USER)
    with pytest.raises(InvalidValueError):
        delete_contact("CO1P1", user=TEST_USER)


def test_edit_conflict(world) -> None:
    role_of(TEST_USER)
    UserSetup.create(user_id="other", role=Role.MARKETER)
    version = Contact.get_by_id("IND1").version
    update_contact("IND1", {"city": "Bern"}, user="other", expected_version=version)
    with pytest.raises(ConflictError) as caught:
        update_contact(
            "IND1", {"city": "Genf"}, user=TEST_USER, expected_version=version
        )
    assert caught.value.modified_by == "other"
    assert Contact.get_by_id("IND1").city == "Bern"


def test_person_cannot_join_person(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        update_contact("IND1", {"company_no": "IND2"}, user=TEST_USER)
    assert "is a person, not a company" in caught.value.message


def test_company_with_persons_stays_company(world) -> None:
    with pytest.raises(InvalidValueError) as caught:
        update_contact("CO2", {"type": "person"}, user=TEST_USER)
    assert "has 1 person," in caught.value.message


def test_tags_by_contact_type(world) -> None:
    add_tag("IND2", "mailing-group", "vip", user=TEST_USER)
    assert [(t.kind, t.code) for t in contact_tags("IND2")] == [
        ("mailing_group", "VIP")
    ]
    with pytest.raises(InvalidValueError) as caught:
        add_tag("IND2", "industry_group", "IT", user=TEST_USER)
    assert "belong to companies" in caught.value.message
    with pytest.raises(NotFoundError) as caught:
        add_tag("IND2", "mailing_group", "GOLD", user=TEST_USER)
    assert "NEWS, VIP" in caught.value.message
    remove_tag("IND2", "mailing_group", "VIP", user=TEST_USER)
    assert contact_tags("IND2") == []


def test_code_tables(world) -> None:
    save_code("mailing_group", "gold", "Gold customers", user=TEST_USER, new=True)
    rows = {row.code: row for row in list_codes("mailing_group")}
    assert rows["GOLD"].contacts == 0
    assert rows["NEWS"].contacts == 3
    with pytest.raises(InvalidValueError) as caught:
        delete_code("mailing_group", "NEWS", user=TEST_USER)
    assert "used by 3 contacts" in caught.value.message
    delete_code("mailing_group", "GOLD", user=TEST_USER)
    save_code("territory", "WEST", "West", user=TEST_USER, new=True)
    assert {row.code for row in list_codes("territory")} == {"NORTH", "SOUTH", "WEST"}
    role_of(TEST_USER)
    UserSetup.create(user_id="marketer", role=Role.MARKETER)
    with pytest.raises(PermissionDeniedError):
        save_code("mailing_group", "X", "", user="marketer", new=True)


def test_profile_answers(world) -> None:
    save_questionnaire("size", "Size", user=TEST_USER, new=True)
    question = save_question("SIZE", "EMPLOYEES", "Employees", user=TEST_USER)
    large = save_answer(question, "LARGE", "Over 250", user=TEST_USER)
    save_answer(question, "SMALL", "Up to 50", user=TEST_USER)
    assert [row.code for row in questionnaire_lines("SIZE")] == ["LARGE", "SMALL"]
    add_contact_answer("CO1", "size:large", user=TEST_USER)
    assert [answer.key for answer in contact_answers("CO1")] == ["SIZE:LARGE"]
    with pytest.raises(InvalidValueError):
        delete_answer(large, user=TEST_USER)
    filtered = list_contacts(filters={"profile": {"answer": "LARGE"}})
    assert [row.no for row in filtered] == ["CO1"]


def test_list_search_sort(world) -> None:
    assert [row.no for row in list_contacts("müller")] == ["CO1", "CO1P1"]
    assert [row.no for row in list_contacts("MÜLLER gmbh")] == ["CO1"]
    assert [row.no for row in list_contacts("zürich")] == ["IND1"]
    assert count_contacts("example.com") == 8
    by_city = [row.city for row in list_contacts(sort="city")]
    assert by_city == sorted(by_city)
    page = list_contacts(offset=2, limit=3)
    assert [row.no for row in page] == ["CO1P2", "CO1P3", "CO2"]
    assert list_contacts("50%") == []
    assert [
        row.no for row in list_contacts(filters={"mailing_group": {"code": "VIP"}})
    ] == ["IND1"]


def test_card(world) -> None:
    card = contact_card("co1")
    assert [p.no for p in card.persons] == ["CO1P2", "CO1P1", "CO1P3"]
    assert {t.code for t in card.tags} == {"RETAIL", "CUST"}
    person = contact_card("CO1P1")
    assert person.company is not None
    assert person.company.no == "CO1"
    assert person.totals.interactions == 0


def test_cli_contacts(sample_database_path) -> None:
    listed = json.loads(
        run_segtui(
            sample_database_path,
            "contacts",
            "list",
            "--filter",
            "country=AT",
            "--filter",
            "mailing-group=NEWS",
            "--json",
        ).stdout
    )
    assert listed
    assert all(row["country_code"] == "AT" for row in listed)
    shown = json.loads(
        run_segtui(
            sample_database_path, "contacts", "show", "CT000002", "--json"
        ).stdout
    )
    assert shown["fields"]["no"] == "CT000002"
    assert shown["company"]["no"] == "CT000001"
    assert "NEWS" in shown["classifications"]["mailing_groups"]
    missing = run_segtui(sample_database_path, "contacts", "show", "NOPE", check=False)
    assert missing.returncode == 1
    assert "Contact 'NOPE' does not exist" in missing.stderr

    number = run_segtui(
        sample_database_path, "contacts", "new", "type=person", "name=Ann Lee"
    ).stdout.strip()
    run_segtui(sample_database_path, "contacts", "set", number, "city=Köln")
    run_segtui(sample_database_path, "contacts", "tag", number, "mailing-group", "VIP")
    shown = json.loads(
        run_segtui(sample_database_path, "contacts", "show", number, "--json").stdout
    )
    assert shown["fields"]["city"] == "Köln"
    assert shown["classifications"]["mailing_groups"] == ["VIP"]
