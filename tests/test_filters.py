"""Filter expressions: parsing, errors, SQL compilation and the plain-Python reference.

Selections run against the small world of tests/builders.py. Selection never returns
the privacy-blocked CO1P3, so no expected set below contains it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from segtui.domain.criteria import (
    AddOptions,
    Selection,
    clean_filters,
    filters_from_pairs,
)
from segtui.domain.criteria_sources import (
    BOOLEAN,
    CODE,
    CORRESPONDENCE_TYPE_SPEC,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    build_sources,
)
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import (
    AllOf,
    AnyOf,
    Comparison,
    FilterSyntaxError,
    Pattern,
    Range,
    Term,
    compile_expression,
    matches,
    parse,
    validate_expression,
)
from segtui.models import Contact, InteractionLogEntry, SegmentHeader

# Every contact of the world that a selection can return.
SELECTABLE = {"CO1", "CO1P1", "CO1P2", "CO2", "CO2P1", "IND1", "IND2", "IND3"}
DE_CONTACTS = {"CO1", "CO1P1", "CO1P2"}
AT_CONTACTS = {"CO2", "CO2P1"}
NO_TERRITORY = {"IND1", "IND2", "IND3"}


def selected(filters_by_source: dict[str, dict[str, str]]) -> set[str]:
    """Return the contact numbers the filters select, exclusion ignored."""
    cleaned = clean_filters(filters_by_source)
    query = Selection(cleaned, AddOptions(ignore_exclusion=True)).query()
    return {row[0] for row in query.tuples()}


def contact_filter(field: str, expression: str) -> dict[str, dict[str, str]]:
    return {"contact": {field: expression}}


# Each syntax element against the real database.

SYNTAX_CASES = [
    # `|` any of
    ("country", "DE|AT", DE_CONTACTS | AT_CONTACTS),
    ("country", "DE|AT|CH", DE_CONTACTS | AT_CONTACTS | {"IND1"}),
    # `&` both
    ("no", "CO*&*P?", {"CO1P1", "CO1P2", "CO2P1"}),
    ("territory", "<>NORTH&<>SOUTH", NO_TERRITORY),
    # `..` ranges, closed and open at either end
    ("no", "CO1..CO2", {"CO1", "CO1P1", "CO1P2", "CO2"}),
    ("no", "..CO1P2", {"CO1", "CO1P1", "CO1P2"}),
    ("no", "IND..", {"IND1", "IND2", "IND3"}),
    ("name", "A..Z", {"CO1P1", "CO1P2", "CO2", "CO2P1", "IND2", "CO1"}),
    # comparisons, with blank sorting before every other value
    ("territory", "<>NORTH", AT_CONTACTS | NO_TERRITORY),
    ("territory", "<NORTH", NO_TERRITORY),
    ("territory", "<=NORTH", DE_CONTACTS | NO_TERRITORY),
    ("territory", ">NORTH", AT_CONTACTS),
    ("territory", ">=NORTH", DE_CONTACTS | AT_CONTACTS),
    ("name", "=Tom Baker", {"IND2"}),
    # wildcards
    ("name", "*GmbH*", {"CO1"}),
    ("city", "Z?rich", {"IND1"}),
    ("name", "??? Baker", {"IND2"}),
    ("city", "B*|W*", DE_CONTACTS | AT_CONTACTS),
    ("name", "*[bold]*", {"IND3"}),
    ("territory", "*", SELECTABLE),
    # blank
    ("territory", "''", NO_TERRITORY),
    ("city", "''", {"IND3"}),
    ("territory", "<>''", DE_CONTACTS | AT_CONTACTS),
    ("salesperson", "''", SELECTABLE - {"CO1"}),
    ("correspondence_type", "''", {"CO1P1", "CO1P2", "CO2", "IND2", "IND3"}),
    # quoted values keep special characters
    ("name", "'[bold]x'", {"IND3"}),
    ("post_code", "'SW1A 1AA'", {"IND2"}),
    # `@` case-insensitive, umlauts included
    ("surname", "@MÜLLER", {"CO1P1"}),
    ("name", "@müller gmbh", {"CO1"}),
    ("name", "@MÜLLER*", {"CO1"}),
    ("city", "@ZÜRICH", {"IND1"}),
    ("name", "@ZOË KELLER", {"IND1"}),
    ("territory", "@north", DE_CONTACTS),
    # parentheses
    ("country", "(DE|AT)&<>AT", DE_CONTACTS),
    ("country", "(DE|AT)&(AT|CH)", AT_CONTACTS),
    ("territory", "(NORTH|'')&<>''", DE_CONTACTS),
    # codes are compared in upper case
    ("country", "de", DE_CONTACTS),
    ("no", "co1", {"CO1"}),
    # option and yes/no fields
    ("type", "company", {"CO1", "CO2"}),
    ("type", "firma", {"CO1", "CO2"}),
    ("correspondence_type", "email", {"CO2P1", "IND1"}),
    ("correspondence_type", "hard copy|email", {"CO1", "CO2P1", "IND1"}),
    ("exclude_from_segment", "yes", {"CO1P2"}),
    ("exclude_from_segment", "<>yes", SELECTABLE - {"CO1P2"}),
    ("company_no", "CO1", DE_CONTACTS),
    ("company_no", "''", {"IND1", "IND2", "IND3"}),
]


@pytest.mark.parametrize(("field", "expression", "expected"), SYNTAX_CASES)
def test_contact_filter_selects(field: str, expression: str, expected: set[str], world):
    assert selected(contact_filter(field, expression)) == expected


def test_territory_is_null_in_world(world):
    """The blank tests below rely on territory being NULL, not ''."""
    territories = {
        contact.no: contact.__data__["territory"]
        for contact in Contact.select().where(Contact.no.in_(sorted(NO_TERRITORY)))
    }
    assert territories == {"IND1": None, "IND2": None, "IND3": None}


def test_not_equal_matches_null(world):
    assert (
        selected(contact_filter("territory", "<>NORTH")) == AT_CONTACTS | NO_TERRITORY
    )


def test_blank_matches_null(world):
    assert selected(contact_filter("territory", "''")) == NO_TERRITORY


def test_blank_matches_empty_text(world):
    city = Contact.get_by_id("IND3").city
    assert city == ""
    assert selected(contact_filter("city", "''")) == {"IND3"}


def test_quoted_value_with_quote(world):
    Contact.create(
        no="IND4", type="person", name="O'Neill & Söhne|Partner", country_code="IE"
    )
    expression = "'O''Neill & Söhne|Partner'"
    assert selected(contact_filter("name", expression)) == {"IND4"}


def test_quoted_value_with_quote_and_pattern(world):
    Contact.create(no="IND4", type="person", name="O'Neill", country_code="IE")
    assert selected(contact_filter("name", "'O''Neill'|Tom Baker")) == {"IND4", "IND2"}


def test_decomposed_umlaut_matches(world):
    decomposed = "Mu\u0308ller"
    assert selected(contact_filter("surname", decomposed)) == {"CO1P1"}


# Classification sources: AND across sources, persons inherit company sources.

SOURCE_CASES = [
    ({"mailing_group": {"code": "NEWS"}}, {"CO1P1", "CO2P1", "IND1"}),
    ({"mailing_group": {"code": "NEWS|VIP"}}, {"CO1P1", "CO2P1", "IND1"}),
    ({"mailing_group": {"code": "VIP"}}, {"IND1"}),
    ({"mailing_group": {"code": "news"}}, {"CO1P1", "CO2P1", "IND1"}),
    ({"mailing_group": {"code": "<>NEWS"}}, {"IND1"}),
    ({"industry_group": {"code": "RETAIL"}}, DE_CONTACTS),
    ({"industry_group": {"code": "IT"}}, AT_CONTACTS),
    ({"business_relation": {"code": "CUST"}}, DE_CONTACTS),
    (
        {"contact": {"country": "DE"}, "mailing_group": {"code": "NEWS"}},
        {"CO1P1"},
    ),
    (
        {"contact": {"type": "person"}, "industry_group": {"code": "RETAIL|IT"}},
        {"CO1P1", "CO1P2", "CO2P1"},
    ),
]


@pytest.mark.parametrize(("filters_by_source", "expected"), SOURCE_CASES)
def test_source_filter_selects(filters_by_source, expected: set[str], world):
    assert selected(filters_by_source) == expected


# Dates, on the interaction log entries of each contact.


@pytest.fixture
def interactions(world):
    """Give IND1, IND2, CO2 and CO1P1 one interaction log entry each, on set dates."""
    for contact_no, day in (
        ("IND1", date(2026, 1, 15)),
        ("IND2", date(2026, 6, 30)),
        ("CO2", date(2026, 7, 1)),
        ("CO1P1", date(2026, 12, 4)),
    ):
        InteractionLogEntry.create(
            contact_no=contact_no,
            date=day,
            created_at=datetime(2026, 12, 4, 9, 0),
            template_code="LETTER",
            unit_cost=Decimal("1.20"),
        )
    return world


DATE_CASES = [
    ("2026-06-30", {"IND2"}),
    ("..2026-06-30", {"IND1", "IND2"}),
    ("2026-07-01..", {"CO2", "CO1P1"}),
    ("2026-01-01..2026-06-30", {"IND1", "IND2"}),
    ("<2026-06-30", {"IND1"}),
    ("<=2026-06-30", {"IND1", "IND2"}),
    (">2026-06-30", {"CO2", "CO1P1"}),
    (">=2026-06-30", {"IND2", "CO2", "CO1P1"}),
    ("<>2026-06-30", {"IND1", "CO2", "CO1P1"}),
    ("2026-01-15|2026-07-01", {"IND1", "CO2"}),
    ("today", {"CO1P1"}),
    ("t", {"CO1P1"}),
]


@pytest.mark.parametrize(("expression", "expected"), DATE_CASES)
def test_interaction_date_selects(expression: str, expected: set[str], interactions):
    assert selected({"interaction": {"date": expression}}) == expected


def test_interaction_template_selects(interactions):
    expected = {"IND1", "IND2", "CO2", "CO1P1"}
    assert selected({"interaction": {"template": "LETTER"}}) == expected


# Integer and decimal fields have no criteria source, so they compile on a column.


def test_integer_compiles(world):
    Contact.update(version=3).where(Contact.no.in_(["CO1", "IND1"])).execute()
    Contact.update(version=7).where(Contact.no == "IND2").execute()
    cases = {
        "3|7": {"CO1", "IND1", "IND2"},
        "2..5": {"CO1", "IND1"},
        "4..": {"IND2"},
        "..1": {"CO1P1", "CO1P2", "CO1P3", "CO2", "CO2P1", "IND3"},
        ">1&<7": {"CO1", "IND1"},
        "<>1": {"CO1", "IND1", "IND2"},
    }
    for expression, expected in cases.items():
        condition = compile_expression(Contact.version, INTEGER, expression)
        found = {row[0] for row in Contact.select(Contact.no).where(condition).tuples()}
        assert found == expected, expression


def test_decimal_compiles(interactions):
    InteractionLogEntry.update(unit_cost=Decimal("4.50")).where(
        InteractionLogEntry.contact_no == "CO2"
    ).execute()
    cases = {
        "1,20": {"IND1", "IND2", "CO1P1"},
        "1.2": {"IND1", "IND2", "CO1P1"},
        ">1.5": {"CO2"},
        "1..5": {"IND1", "IND2", "CO2", "CO1P1"},
    }
    for expression, expected in cases.items():
        condition = compile_expression(
            InteractionLogEntry.unit_cost, DECIMAL, expression
        )
        query = InteractionLogEntry.select(InteractionLogEntry.contact_no).where(
            condition
        )
        assert {row[0] for row in query.tuples()} == expected, expression


# The parsed form.


def test_parse_any_of():
    node = parse("DE|AT")
    assert isinstance(node, AnyOf)
    assert [item.value.text for item in node.items] == ["DE", "AT"]


def test_parse_and_binds_tighter():
    node = parse("A|B&C")
    assert isinstance(node, AnyOf)
    assert isinstance(node.items[1], AllOf)


def test_parse_parentheses_group():
    node = parse("(A|B)&C")
    assert isinstance(node, AllOf)
    assert isinstance(node.items[0], AnyOf)


def test_parse_open_ranges():
    assert parse("..2026-06-30") == Range(None, Term("2026-06-30", 3), False)
    assert parse("2026-01-01..") == Range(Term("2026-01-01", 1), None, False)
    assert parse("1000..1999") == Range(Term("1000", 1), Term("1999", 7), False)


def test_parse_operators():
    for operator in ("<>", "<", "<=", ">", ">=", "="):
        node = parse(f"{operator}X")
        expected = Comparison(operator, Term("X", len(operator) + 1), False)
        assert node == expected, operator


def test_parse_wildcards():
    assert parse("*GmbH*") == Pattern(
        (Term("*", 1), Term("GmbH", 2), Term("*", 6)), False
    )
    assert parse("Sch?fer") == Pattern(
        (Term("Sch", 1), Term("?", 4), Term("fer", 5)), False
    )


def test_parse_blank():
    assert parse("''") == Comparison("=", Term("", 2, quoted=True), False)


def test_parse_quoted_quote():
    assert parse("'O''Neill'").value.text == "O'Neill"


def test_parse_quoted_specials():
    assert parse("'a|b&(c)..*?'").value.text == "a|b&(c)..*?"


def test_parse_case_insensitive():
    node = parse("@müller")
    assert node.case_insensitive is True
    assert node.value.text == "müller"


def test_parse_leading_quoted_quote():
    assert parse("'''s-Hertogenbosch'").value.text == "'s-Hertogenbosch"


def test_parse_single_quote_value():
    assert parse("''''").value.text == "'"


# Invalid expressions: FilterSyntaxError with the expression, position and reason.

ERROR_CASES = [
    # (source, field, expression, position, reason)
    ("contact", "country", "DE|[", 4, "'[' cannot appear in a code"),
    ("contact", "country", "DE| [", 5, "'[' cannot appear in a code"),
    ("contact", "name", "<>", 3, "expected a value after '<>'"),
    ("contact", "name", ">=", 3, "expected a value after '>='"),
    ("contact", "name", "'abc", 1, "the quote at position 1 is not closed"),
    ("contact", "name", "Tom|'abc", 5, "the quote at position 5 is not closed"),
    ("contact", "name", "A)", 2, "')' has no matching '('"),
    ("contact", "name", "(A|B", 5, "expected ')' to close the '(' at position 1"),
    ("contact", "name", "A|", 3, "expected a value"),
    ("contact", "name", "|A", 1, "expected a value"),
    ("contact", "name", "A&&B", 3, "expected a value"),
    ("contact", "name", "..", 3, "expected a value after '..'"),
    ("contact", "name", "ab'c", 3, "a quote may only start a value"),
    ("contact", "name", "A..B..C", 5, "expected '|', '&' or the end"),
    ("contact", "name", "<>*GmbH", 3, "wildcards are not allowed here"),
    (
        "interaction",
        "date",
        "2026-13-01",
        1,
        "'2026-13-01' is not a valid date: months go from 1 to 12",
    ),
    ("interaction", "date", "2026-02-31", 1, "February 2026 has 28 days"),
    ("interaction", "date", "2026-02-3x", 1, "'2026-02-3x' is not a date"),
    ("interaction", "date", "2026-12-04*", 1, "wildcards only work on text"),
    ("contact", "exclude_from_segment", "maybe", 1, "'maybe' is not yes or no"),
    ("contact", "correspondence_type", "fax", 1, "'fax' is not one of"),
]


@pytest.mark.parametrize(
    ("source", "field", "expression", "position", "reason"), ERROR_CASES
)
def test_invalid_expression_raises(
    source: str, field: str, expression: str, position: int, reason: str, world
):
    with pytest.raises(FilterSyntaxError) as caught:
        clean_filters({source: {field: expression}})
    error = caught.value
    message = str(error)
    label = build_sources()[source].field(field).label.lower()
    assert error.position == position
    assert f"{label}={expression}" in message
    assert f"position {position}:" in message
    assert reason in message


def test_integer_text_raises():
    with pytest.raises(FilterSyntaxError) as caught:
        validate_expression(INTEGER, "abc", "version")
    assert caught.value.position == 1
    assert "version=abc" in str(caught.value)
    assert "'abc' is not a whole number" in str(caught.value)


def test_integer_in_list_position():
    with pytest.raises(FilterSyntaxError) as caught:
        validate_expression(INTEGER, "10|x1", "version")
    assert caught.value.position == 4


def test_integer_blank_raises():
    with pytest.raises(FilterSyntaxError) as caught:
        validate_expression(INTEGER, "''", "version")
    assert "cannot be blank" in str(caught.value)


def test_empty_expression_raises():
    with pytest.raises(FilterSyntaxError) as caught:
        validate_expression(TEXT, "   ", "name")
    assert caught.value.position == 1
    assert "empty" in str(caught.value)


def test_yes_no_ordering_raises(world):
    """Compiling rejects an ordering comparison on a yes/no field."""
    source = build_sources()["contact"]
    column = source.field("exclude_from_segment").column
    with pytest.raises(FilterSyntaxError) as caught:
        compile_expression(column, BOOLEAN, ">yes", "exclude_from_segment")
    assert "only takes = and <>" in str(caught.value)


def test_option_wildcard_matches_stored_value(world):
    selection = Selection(
        contact_filter("type", "comp*"), AddOptions(ignore_exclusion=True)
    )
    found = {row[0] for row in selection.query().tuples()}
    assert found == {world.company, world.other_company}
    assert matches("company", build_sources()["contact"].field("type").spec, "comp*")


@pytest.mark.parametrize(
    ("field", "expression"),
    [
        ("exclude_from_segment", ">yes"),
        ("country", "D[*"),
        ("type", "compny"),
        ("email", "2026..*"),
    ],
)
def test_clean_filters_checks_like_compile(field: str, expression: str, world):
    filter_field = build_sources()["contact"].field(field)
    with pytest.raises(FilterSyntaxError):
        compile_expression(filter_field.column, filter_field.spec, expression, field)
    with pytest.raises(FilterSyntaxError):
        clean_filters(contact_filter(field, expression))


def test_code_character_position(world):
    with pytest.raises(FilterSyntaxError) as caught:
        clean_filters(contact_filter("country", "DE|A["))
    assert caught.value.position == 5


def test_range_high_end_position(world):
    with pytest.raises(FilterSyntaxError) as caught:
        clean_filters({"interaction": {"date": "2026-01-01..2026-13-01"}})
    assert caught.value.position == 13


def test_syntax_error_is_invalid_value(world):
    with pytest.raises(InvalidValueError):
        clean_filters(contact_filter("country", "DE|["))


# The plain-Python reference and the SQL compiler agree.

REFERENCE_CASES = [
    # (value, spec, expression, expected)
    (None, CODE, "<>NORTH", True),
    ("NORTH", CODE, "<>NORTH", False),
    (None, CODE, "''", True),
    ("", TEXT, "''", True),
    (None, TEXT, "<>''", False),
    ("Müller", TEXT, "@MÜLLER", True),
    ("Mueller", TEXT, "@MÜLLER", False),
    ("Straße", TEXT, "@STRASSE", True),
    ("Müller GmbH", TEXT, "*GmbH", True),
    ("Müller GmbH", TEXT, "*gmbh", False),
    ("Müller GmbH", TEXT, "@*gmbh", True),
    ("Schäfer", TEXT, "Sch?fer", True),
    ("Schaefer", TEXT, "Sch?fer", False),
    ("de", CODE, "DE", False),
    ("DE", CODE, "de", True),
    ("DE", CODE, "d*", True),
    ("B", TEXT, "A..C", True),
    ("", TEXT, "..C", True),
    ("", TEXT, "A..", False),
    (None, BOOLEAN, "no", True),
    (None, BOOLEAN, "<>yes", True),
    (True, BOOLEAN, "ja", True),
    (None, DATE, "..2026-06-30", False),
    (None, DATE, "''", True),
    (None, DATE, "<>2026-06-30", True),
    (date(2026, 6, 30), DATE, "..2026-06-30", True),
    (date(2026, 7, 1), DATE, "..2026-06-30", False),
    (5, INTEGER, "1..9&<>5", False),
    (None, INTEGER, "<5", False),
    (Decimal("1.20"), DECIMAL, "1,2", True),
    ("email", CORRESPONDENCE_TYPE_SPEC, "e-mail", True),
    ("", CORRESPONDENCE_TYPE_SPEC, "''", True),
]


@pytest.mark.parametrize(("value", "spec", "expression", "expected"), REFERENCE_CASES)
def test_reference_matches(value, spec, expression: str, expected: bool):
    assert matches(value, spec, expression) is expected


AGREEMENT_CASES = [
    ("territory", "NORTH"),
    ("territory", "<>NORTH"),
    ("territory", "''"),
    ("territory", "<>''"),
    ("territory", "<NORTH"),
    ("territory", "<=NORTH"),
    ("territory", ">NORTH"),
    ("territory", ">=NORTH"),
    ("territory", "<''"),
    ("territory", "<=''"),
    ("territory", ">''"),
    ("territory", ">=''"),
    ("territory", "..NORTH"),
    ("territory", "NORTH.."),
    ("territory", "N*|?OUTH"),
    ("territory", "@north"),
    ("name", "@MÜLLER*"),
    ("name", "*[bold]*"),
    ("name", "<M"),
    ("name", "A..Z"),
    ("name", "@a..m"),
    ("name", "*ü*"),
    ("name", "@*Ü*"),
    ("surname", "@müller"),
    ("city", "''"),
    ("city", "Z?rich|Wien"),
    ("no", "CO1..CO2"),
    ("no", "*P?"),
    ("no", "CO1|CO2&CO2"),
    ("salesperson", "''"),
    ("salesperson", "<>AH"),
    ("company_no", "<>CO1"),
    ("correspondence_type", "<>email"),
    ("correspondence_type", "''"),
    ("exclude_from_segment", "no"),
    ("privacy_blocked", "<>no"),
    ("type", "<>person"),
    ("post_code", "..2"),
]


@pytest.mark.parametrize(("field", "expression"), AGREEMENT_CASES)
def test_reference_agrees_with_sql(field: str, expression: str, world):
    """Compile on the column of every contact and compare with matches()."""
    filter_field = build_sources()["contact"].field(field)
    condition = compile_expression(filter_field.column, filter_field.spec, expression)
    by_sql = {row[0] for row in Contact.select(Contact.no).where(condition).tuples()}
    by_python = {
        contact.no
        for contact in Contact.select()
        if matches(
            contact.__data__[filter_field.column.name], filter_field.spec, expression
        )
    }
    assert by_sql == by_python


@pytest.fixture
def dated_segments(world):
    """Four segment headers, one without a date, to compile date filters on."""
    for no, day in (
        ("S1", date(2026, 1, 15)),
        ("S2", date(2026, 6, 30)),
        ("S3", date(2026, 7, 1)),
        ("S4", None),
    ):
        SegmentHeader.create(no=no, description=no, date=day)
    return world


DATE_AGREEMENT_CASES = [
    "2026-06-30",
    "<>2026-06-30",
    "''",
    "<>''",
    "..2026-06-30",
    "2026-07-01..",
    "2026-01-01..2026-06-30",
    "<2026-06-30",
    ">=2026-06-30",
    "2026-12-04|''",
    "..2026-06-30|''",
]


@pytest.mark.parametrize("expression", DATE_AGREEMENT_CASES)
def test_reference_agrees_on_dates(expression: str, dated_segments):
    condition = compile_expression(SegmentHeader.date, DATE, expression)
    by_sql = {
        row[0]
        for row in SegmentHeader.select(SegmentHeader.no).where(condition).tuples()
    }
    by_python = {
        header.no
        for header in SegmentHeader.select()
        if matches(header.date, DATE, expression)
    }
    assert by_sql == by_python


@pytest.mark.parametrize("expression", ["<''", "<=''", ">''", ">=''", "..''"])
def test_blank_date_ordering_rejected(expression: str, dated_segments):
    with pytest.raises(FilterSyntaxError) as by_sql:
        compile_expression(SegmentHeader.date, DATE, expression, "date")
    with pytest.raises(FilterSyntaxError) as by_python:
        matches(None, DATE, expression)
    assert "only by = and <>" in str(by_sql.value)
    assert by_sql.value.position == by_python.value.position


def test_null_date_matches_no_range(dated_segments):
    condition = compile_expression(SegmentHeader.date, DATE, "..2026-12-31")
    found = {
        row[0]
        for row in SegmentHeader.select(SegmentHeader.no).where(condition).tuples()
    }
    assert found == {"S1", "S2", "S3"}


# Unknown names and codes.


def test_unknown_field_raises(world):
    with pytest.raises(InvalidValueError) as caught:
        clean_filters({"contact": {"colour": "red"}})
    message = str(caught.value)
    assert "'colour'" in message
    assert "country" in message
    assert "territory" in message


def test_unknown_source_raises(world):
    with pytest.raises(InvalidValueError) as caught:
        clean_filters({"hobby": {"code": "GOLF"}})
    message = str(caught.value)
    assert "'hobby'" in message
    assert "mailing_group" in message
    assert "industry_group" in message


def test_unknown_interaction_field_raises(world):
    with pytest.raises(InvalidValueError) as caught:
        clean_filters({"interaction": {"weather": "sunny"}})
    assert "'weather'" in str(caught.value)
    assert "template" in str(caught.value)


UNKNOWN_CODE_CASES = [
    ({"mailing_group": {"code": "NOPE"}}, "'NOPE'", "NEWS, VIP"),
    ({"mailing_group": {"code": "NEWS|NOPE"}}, "'NOPE'", "NEWS, VIP"),
    ({"industry_group": {"code": "FOOD"}}, "'FOOD'", "IT, RETAIL"),
    ({"business_relation": {"code": "VEND"}}, "'VEND'", "CUST"),
    ({"contact": {"territory": "EAST"}}, "'EAST'", "NORTH, SOUTH"),
    ({"contact": {"salesperson": "ZZ"}}, "'ZZ'", "AH, JÖ"),
    ({"contact": {"language": "fr"}}, "'FR'", "DE, EN"),
]


@pytest.mark.parametrize(("filters_by_source", "name", "listing"), UNKNOWN_CODE_CASES)
def test_unknown_code_raises(filters_by_source, name: str, listing: str, world):
    with pytest.raises(InvalidValueError) as caught:
        clean_filters(filters_by_source)
    message = str(caught.value)
    assert name in message
    assert listing in message


def test_known_code_lower_case_passes(world):
    cleaned = clean_filters({"mailing_group": {"code": "news"}})
    assert cleaned == {"mailing_group": {"code": "news"}}


def test_clean_filters_resolves_names(world):
    cleaned = clean_filters(
        {
            "Contact": {"Country Code": "DE|AT", "zip": "1*", "city": "  "},
            "mailing-group": {"code": "NEWS"},
        }
    )
    assert cleaned == {
        "contact": {"country": "DE|AT", "post_code": "1*"},
        "mailing_group": {"code": "NEWS"},
    }


def test_pairs_build_filters():
    built = filters_from_pairs(
        [
            "country=DE|AT",
            "mailing-group=NEWS",
            "industry_group=RETAIL",
            "interaction.date=..2026-06-30",
            "profile=CUSTOMER:BIG",
        ]
    )
    assert built == {
        "contact": {"country": "DE|AT"},
        "mailing_group": {"code": "NEWS"},
        "industry_group": {"code": "RETAIL"},
        "interaction": {"date": "..2026-06-30"},
        "profile": {"questionnaire": "CUSTOMER", "answer": "BIG"},
    }


def test_pairs_same_key_joined():
    built = filters_from_pairs(["country=DE|AT", "country=<>AT"])
    assert built == {"contact": {"country": "(DE|AT)&(<>AT)"}}


def test_pairs_same_key_selects(world):
    built = filters_from_pairs(["country=DE|AT", "country=<>AT"])
    assert selected(built) == DE_CONTACTS


def test_pairs_unknown_key_raises():
    with pytest.raises(InvalidValueError) as caught:
        filters_from_pairs(["colour=red"])
    message = str(caught.value)
    assert "'colour'" in message
    assert "country" in message
    assert "mailing-group" in message
    assert "SOURCE.FIELD" in message
    assert "has-SOURCE" in message


def test_pairs_unknown_interaction_field_raises():
    with pytest.raises(InvalidValueError) as caught:
        filters_from_pairs(["interaction.weather=sunny"])
    assert "'weather'" in str(caught.value)


def test_pairs_without_equals_raises():
    with pytest.raises(InvalidValueError) as caught:
        filters_from_pairs(["country"])
    assert "'country'" in str(caught.value)
    assert "KEY=EXPRESSION" in str(caught.value)


def test_pairs_profile_without_colon_raises():
    with pytest.raises(InvalidValueError) as caught:
        filters_from_pairs(["profile=CUSTOMER"])
    assert "QUESTIONNAIRE:ANSWER" in str(caught.value)


def test_pairs_unknown_code_raises(world):
    with pytest.raises(InvalidValueError) as caught:
        clean_filters(filters_from_pairs(["mailing-group=NOPE"]))
    assert "'NOPE'" in str(caught.value)
    assert "NEWS, VIP" in str(caught.value)
