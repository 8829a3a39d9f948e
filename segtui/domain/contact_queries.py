"""Reading contacts: the searchable, sortable list and a contact's whole card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, SQL, Column, NodeList, Select, fn

from segtui.db import current_database, is_sqlite
from segtui.domain import history
from segtui.domain.classifications import Tag, contact_tags
from segtui.domain.contacts import get_contact
from segtui.domain.criteria import Filters, clean_filters, matching_condition
from segtui.domain.errors import InvalidValueError
from segtui.domain.profiles import ContactAnswer, contact_answers
from segtui.domain.sql import read_page
from segtui.i18n import _
from segtui.models import Contact, InteractionLogEntry, SegmentHeader, SegmentLine
from segtui.models.contact_search import (
    SEARCH_TABLE,
    SEARCH_TEXT_COLUMN,
    SEARCHED_COLUMNS,
    fold_for_search,
    search_index_ready,
    search_text_contains,
    unindexed_rowids_sql,
)
from segtui.models.contacts import SortKey

# Sort keys of the contact list with their columns or expressions; the number
# breaks ties. Names and cities sort in dictionary order, by their sort keys.
SORT_COLUMNS = {
    "no": Contact.no,
    "name": SortKey(Contact.name),
    "city": SortKey(Contact.city),
    "post_code": Contact.post_code,
    "country": Contact.country_code,
}


def sort_labels() -> dict[str, str]:
    return {
        "no": _("Number"),
        "name": _("Name"),
        "city": _("City"),
        "post_code": _("Post code"),
        "country": _("Country"),
    }


@dataclass(frozen=True)
class ContactRow:
    no: str
    type: str
    name: str
    company_no: str
    company_name: str
    post_code: str
    city: str
    country_code: str
    email: str
    phone: str
    # Left out of every segment, and blocked for privacy reasons.
    excluded: bool = False
    privacy_blocked: bool = False


# Characters in a trigram, the fewest a word needs for an index lookup.
TRIGRAM_LENGTH = 3
# Characters that GLOB reads as wildcards. A pattern escapes each one as [c].
GLOB_WILDCARDS = "*?["
# How many rows a lookup that tests every contact's text reads in the time a walk
# in sort order tests one contact. Measured 2.5 to 8 for "q", "zz" and "ab" among
# 300,000 sample contacts, sorted by number or by name (SQLite 3.40.1, 2 busy
# shared cores), so this errs towards the lookup, whose time varies less.
WALK_ROW_COST = 8


def search_condition(text: str, *, row_by_row: bool = False) -> Any:
    """Match contacts whose number, name, city or email contains every word.

    Case, accents and umlauts are ignored, and ß matches ss.

    On SQLite with the trigram index, the words are looked up in the index, and the
    contacts written since its last update are scanned. With ``row_by_row`` each
    contact's indexed text is tested instead, which lets a query that walks an
    index in sort order stop after a page of a common word's many matches.
    """
    words = text.split()
    if not words:
        return None
    database = current_database()
    if search_index_ready(database):
        return _indexed_condition(words, row_by_row)
    return _scan_condition(words)


def _scan_condition(words: Sequence[str]) -> Any:
    conditions = []
    for word in words:
        if is_sqlite():
            # The Python fold function takes most of a search's time, so it folds
            # the columns joined by spaces, once a row. A match cannot span two
            # columns, because split() leaves no space in a word and contains()
            # escapes the LIKE wildcards.
            folded = fold_for_search(word) or ""
            column = fn.segtui_search_fold(_joined_search_columns())
            conditions.append(column.contains(folded))
        else:
            stored = Column(Contact._meta.table, SEARCH_TEXT_COLUMN)
            conditions.append(search_text_contains(stored, word))
    result = conditions[0]
    for condition in conditions[1:]:
        result = result & condition
    return result


def _indexed_condition(words: Sequence[str], row_by_row: bool) -> Any:
    """Look the words up in the SQLite trigram index, which stores the folded text.

    The contacts written since the index's last update are scanned instead.
    """
    rowid = Column(Contact._meta.table, "rowid")
    patterns = [_glob_pattern(word) for word in words]
    if row_by_row:
        globs = " AND ".join(["+text GLOB ?"] * len(words))
        found = NodeList(
            (
                SQL(f"EXISTS (SELECT 1 FROM {SEARCH_TABLE} WHERE rowid = "),
                rowid,
                SQL(f" AND {globs})", patterns),
            ),
            glue="",
        )
    else:
        globs = " AND ".join(_glob_test(word) for word in words)
        found = rowid.in_(
            SQL(f"(SELECT rowid FROM {SEARCH_TABLE} WHERE {globs})", patterns)
        )
    # Usually the index is up to date, and a plain lookup gives SQLite the
    # simplest plan. A contact written between this check and the search is
    # found by the next search.
    unindexed_exist = current_database().execute_sql(
        f"SELECT EXISTS ({unindexed_rowids_sql()})"
    )
    if not unindexed_exist.fetchone()[0]:
        return found
    unindexed = rowid.in_(SQL(f"({unindexed_rowids_sql()})"))
    return (found & ~unindexed) | (unindexed & _scan_condition(words))


def _glob_test(word: str) -> str:
    """Return the GLOB test of a word on the index's text column.

    A word of three characters or more without GLOB wildcards is looked up by its
    trigrams. Other words test the stored text row by row, which needs no Python
    fold. The unary plus hides such a test from FTS5, because FTS5 in SQLite 3.40.1
    counts a pattern's bytes, not its characters, and so finds nothing for ``*mü*``
    or for ``*bü*`` after an escaped wildcard.
    """
    return "text GLOB ?" if _has_trigrams(word) else "+text GLOB ?"


def _has_trigrams(word: str) -> bool:
    """Tell whether the trigram index can look a search word up."""
    folded = fold_for_search(word) or ""
    return len(folded) >= TRIGRAM_LENGTH and not any(
        c in GLOB_WILDCARDS for c in folded
    )


def _glob_pattern(word: str) -> str:
    """Return a GLOB pattern for the folded word anywhere in the text."""
    folded = fold_for_search(word) or ""
    escaped = "".join(f"[{c}]" if c in GLOB_WILDCARDS else c for c in folded)
    return f"*{escaped}*"


def _search_columns() -> list[Any]:
    return [getattr(Contact, column) for column in SEARCHED_COLUMNS]


def _joined_search_columns() -> Any:
    columns = list(_search_columns())
    joined = columns[0]
    for column in columns[1:]:
        joined = joined.concat(" ").concat(column)
    return joined


def contact_query(
    search: str = "",
    filters: Filters | None = None,
    sort: str = "no",
    *,
    row_by_row: bool = False,
) -> Select:
    """Select the contacts that match the search text and the criteria filters.

    ``row_by_row`` is passed on to ``search_condition``. Raises InvalidValueError
    for an unknown sort key and FilterSyntaxError for an invalid filter.
    """
    if sort not in SORT_COLUMNS:
        raise InvalidValueError(
            _("Unknown sort {sort!r}; sort by one of: {keys}.").format(
                sort=sort, keys=", ".join(SORT_COLUMNS)
            )
        )
    company = Contact.alias("company")
    query = Contact.select(
        Contact.no,
        Contact.type,
        Contact.name,
        Contact.company,
        company.name.alias("company_name"),
        Contact.post_code,
        Contact.city,
        Contact.country_code,
        Contact.email,
        Contact.phone,
        Contact.exclude_from_segment,
        Contact.privacy_blocked,
    ).join(company, JOIN.LEFT_OUTER, on=(Contact.company == company.no))
    query = _where_matching(query, search, filters, row_by_row)
    return query.order_by(*contact_order(sort))


def _where_matching(
    query: Select, search: str, filters: Filters | None, row_by_row: bool = False
) -> Select:
    condition = search_condition(search, row_by_row=row_by_row)
    if condition is not None:
        query = query.where(condition)
    if filters:
        matching = matching_condition(clean_filters(filters))
        if matching is not None:
            query = query.where(matching)
    return query


def contact_order(sort: str) -> list[Any]:
    """Return the ORDER BY keys of a sort, ending on the unique contact number."""
    return [SORT_COLUMNS[sort], Contact.no] if sort != "no" else [Contact.no]


def list_contacts(
    search: str = "",
    filters: Filters | None = None,
    sort: str = "no",
    offset: int = 0,
    limit: int | None = None,
    total: int | None = None,
) -> list[ContactRow]:
    """Return a page of the contact list.

    With ``total``, the row count from ``count_contacts``, a page near the end is
    read backwards from the last row, which takes as long as reading the first page.
    """
    row_by_row = _walk_is_shorter(search, offset, limit, total)
    query = contact_query(search, filters, sort, row_by_row=row_by_row).objects()
    page = read_page(query, contact_order(sort), offset, limit, total)
    return [_contact_row(row) for row in page]


def _contact_row(row: Any) -> ContactRow:
    """Return a row of ``contact_query`` as a ContactRow."""
    return ContactRow(
        no=row.no,
        type=row.type,
        name=row.name,
        company_no=row.company_no or "",
        company_name=(row.company_name or "") if row.company_no != row.no else "",
        post_code=row.post_code,
        city=row.city,
        country_code=row.country_code,
        email=row.email,
        phone=row.phone,
        excluded=bool(row.exclude_from_segment),
        privacy_blocked=bool(row.privacy_blocked),
    )


def _walk_is_shorter(
    search: str, offset: int, limit: int | None, total: int | None
) -> bool:
    """Tell whether walking the sorted contacts reaches a page of matches sooner.

    A walk tests about (offset + limit) * contacts / total rows before the page is
    complete, and a lookup reads every match and sorts them, so the walk wins when
    total * total exceeds (offset + limit) * contacts. The highest rowid serves as
    the number of contacts, because it is never below it and usually close to it.

    ``read_page`` reads a page nearer the end backwards from the last row, so the
    walk then starts at the end and its offset counts from there. Before that, the
    last page of a word found in most contacts was read by a lookup of every match:
    0.6 to 0.9 s for "a" among 300,000 sample contacts (SQLite 3.40, 2 shared cores).

    When no word has trigrams, as for one or two letters, the lookup tests every
    contact's text, so the walk also wins when it tests fewer rows than that,
    counting WALK_ROW_COST for each row it tests. For "ab" among 300,000 sample
    contacts the first page then took 0.04 to 0.07 s instead of 0.25 to 0.5 s.
    """
    words = search.split()
    if not words or total is None or limit is None or total == 0:
        return False
    if not search_index_ready(current_database()):
        return False
    rows_after = total - offset - limit
    skipped = max(rows_after, 0) if rows_after < offset else offset
    if not any(_has_trigrams(word) for word in words) and (
        (skipped + limit) * WALK_ROW_COST < total
    ):
        return True
    highest = Contact.select(fn.MAX(Column(Contact._meta.table, "rowid"))).scalar()
    return total * total > (skipped + limit) * (highest or 0)


def count_contacts(search: str = "", filters: Filters | None = None) -> int:
    """Count the contacts that match, without the list's join for company names."""
    if not filters:
        counted = _count_in_index(search)
        if counted is not None:
            return counted
    return _where_matching(Contact.select(), search, filters).count()


def _count_in_index(search: str) -> int | None:
    """Count a search's matches in the SQLite trigram index alone, if it is exact.

    It is exact while every contact is indexed, and it then reads no contact row:
    for "a" among 300,000 sample contacts it took 0.43 s instead of 1.08 s (SQLite
    3.40.1, 2 busy shared cores). Return None when the index cannot count alone.
    """
    words = search.split()
    database = current_database()
    if not words or not search_index_ready(database):
        return None
    unindexed_exist = database.execute_sql(f"SELECT EXISTS ({unindexed_rowids_sql()})")
    if unindexed_exist.fetchone()[0]:
        return None
    globs = " AND ".join(_glob_test(word) for word in words)
    cursor = database.execute_sql(
        f"SELECT COUNT(*) FROM {SEARCH_TABLE} WHERE {globs}",
        [_glob_pattern(word) for word in words],
    )
    return int(cursor.fetchone()[0])


@dataclass
class ContactCard:
    """Everything the contact card shows about one contact."""

    contact: Contact
    company: Contact | None
    # The persons of a company; empty for a person.
    persons: list[Contact]
    tags: list[Tag]
    answers: list[ContactAnswer]
    # Unlogged segments with a line for the contact: number and description.
    segments: list[tuple[str, str]]
    recent: list[InteractionLogEntry]
    totals: history.Totals
    timeline: list[history.MonthCount]


# Entries the card lists; the interaction history screen shows the rest.
CARD_ENTRIES = 50


def contact_card(no: str) -> ContactCard:
    contact = get_contact(no)
    company = None
    if contact.company_no and contact.company_no != contact.no:
        company = Contact.get_or_none(Contact.no == contact.company_no)
    persons: list[Contact] = []
    if contact.is_company:
        persons = list(
            Contact.select()
            .where((Contact.company == contact.no) & (Contact.no != contact.no))
            .order_by(SortKey(Contact.name), Contact.no)
        )
    segments = [
        (row[0], row[1])
        for row in SegmentLine.select(SegmentHeader.no, SegmentHeader.description)
        .join(SegmentHeader)
        .where(SegmentLine.contact == contact.no)
        .distinct()
        .order_by(SegmentHeader.no)
        .tuples()
    ]
    of_contact = InteractionLogEntry.contact_no == contact.no
    return ContactCard(
        contact=contact,
        company=company,
        persons=persons,
        tags=contact_tags(contact.no),
        answers=contact_answers(contact.no),
        segments=segments,
        recent=history.list_entries(of_contact, 0, CARD_ENTRIES),
        totals=history.totals(of_contact),
        timeline=history.timeline(of_contact),
    )


@dataclass(frozen=True)
class ContactLookup:
    """The contacts a lookup field lists for its text, for one segment."""

    rows: list[ContactRow]
    # More contacts match than ``rows`` contains.
    more: bool
    # The segment's line number of each listed contact already on the segment.
    lines: dict[str, int]


def lookup_contacts(search: str, segment_no: str, limit: int) -> ContactLookup:
    """List up to ``limit`` contacts for a lookup, with the contact list's search.

    The contact whose number is the whole text comes first, and the others follow
    in number order. A blank text lists nothing.
    """
    if not search.split():
        return ContactLookup(rows=[], more=False, lines={})
    found = list_contacts(search, limit=limit + 1)
    typed_no = search.strip().upper()
    exact = [row for row in found if row.no == typed_no]
    if not exact and len(search.split()) == 1:
        # The contact numbered as typed may sort after a page of other matches.
        query = contact_query().where(Contact.no == typed_no).objects()
        exact = [_contact_row(row) for row in query]
    rows = exact + [row for row in found if row.no != typed_no]
    numbers = [row.no for row in rows[:limit]]
    lines = {
        contact_no: line_no
        for contact_no, line_no in SegmentLine.select(
            SegmentLine.contact, fn.MIN(SegmentLine.line_no)
        )
        .where((SegmentLine.segment == segment_no) & SegmentLine.contact.in_(numbers))
        .group_by(SegmentLine.contact)
        .tuples()
    }
    return ContactLookup(rows=rows[:limit], more=len(rows) > limit, lines=lines)


def contact_exists(no: str) -> bool:
    return Contact.select().where(Contact.no == no).exists()
