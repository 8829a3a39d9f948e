"""Pages near the end of a long list are read backwards from the last row.

SQL OFFSET makes the database step over every skipped row, so the contact list, the
worksheet and the interaction log read a page nearer the end than the start in the
reversed order with a small offset. These tests check the shape of that, not its
speed. The offset sent to the database stays below one page, and the rows equal the
plain forward read at many offsets, ties in the sort column included. Names and
cities sort by keys that fold case and diacritics, which ties spellings such as
Müller and MÜLLER. On SQLite the first and last pages of every sort are index walks,
not sorts.

A page next to a row already read, the anchor, is read by seeking from the anchor's
sort values instead. Those pages too must equal the forward read, with NULLs and ties
in the sort keys, and a page next to its anchor is read with no OFFSET at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest

from segtui.db import current_database
from segtui.domain import contact_queries, history, segmentation
from segtui.domain.sql import Anchor, read_page, reading_next_to
from segtui.models import Campaign, Contact
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.contacts import PAGE_SIZE as CONTACT_PAGE
from segtui.ui.screens.contacts import ContactListScreen
from segtui.ui.screens.history import PAGE_SIZE as HISTORY_PAGE
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.worksheet import PAGE_SIZE as LINE_PAGE
from segtui.ui.screens.worksheet import WorksheetScreen
from segtui.ui.widgets.virtual_table import WINDOW_MAX_ROWS, WindowTable
from tests.backends import POSTGRES
from tests.conftest import TEST_USER
from tests.test_scale_screens import add_contacts, add_entries, segment_of
from tests.tui_helpers import settle

PAGE = 100
ROWS = 350
SORTS = tuple(contact_queries.SORT_COLUMNS)

# Bands of generated contacts that share a name, city, post code and country, so
# that every sort has ties reaching across page edges.
TIE_BANDS = (
    ("BIG00001", "BIG00130", "Meyer", "Berlin", "10115", "DE"),
    ("BIG00131", "BIG00260", "Müller", "Wien", "1010", "AT"),
    ("BIG00261", "BIG00300", "Meyer", "Basel", "4001", "CH"),
)

explain_needs_sqlite = pytest.mark.skipif(
    POSTGRES,
    reason="EXPLAIN QUERY PLAN is SQLite's; PostgreSQL picks its plan by table "
    "statistics, so its plan for a test table says nothing about a large one",
)


# Spellings given in turn to the contacts from FOLD_BAND_START on. Names and cities
# sort by sort keys that fold case and diacritics, so these tie across spellings.
FOLD_SPELLINGS = (
    "Müller",
    "MÜLLER",
    "muller",
    "Mueller",
    "Ömer",
    "omer",
    "Straße",
    "STRASSE",
    "Ähren",
    "van der Berg",
    "",
)
FOLD_BAND_START = 301
FOLD_BAND_SIZE = 44


def add_tied_contacts(count: int) -> None:
    add_contacts(count)
    tie_contacts()


def tie_contacts() -> None:
    for first, last, name, city, post_code, country in TIE_BANDS:
        Contact.update(
            name=name, city=city, post_code=post_code, country_code=country
        ).where(Contact.no.between(first, last)).execute()
    for index in range(FOLD_BAND_START, FOLD_BAND_START + FOLD_BAND_SIZE):
        spelling = FOLD_SPELLINGS[index % len(FOLD_SPELLINGS)]
        city = FOLD_SPELLINGS[index * 3 % len(FOLD_SPELLINGS)]
        Contact.update(name=spelling, city=city).where(
            Contact.no == f"BIG{index:05d}"
        ).execute()


def offsets_to_check(total: int) -> list[int]:
    """Offsets at both ends, in the middle and past the last row."""
    middle = total // 2
    return [
        0,
        1,
        PAGE - 1,
        PAGE,
        middle - PAGE // 2 - 1,
        middle - PAGE // 2,
        middle,
        total - PAGE - 1,
        total - PAGE,
        total - PAGE + 1,
        total - 37,
        total - 1,
        total,
    ]


class StatementLog(logging.Handler):
    """Record the SQL and parameters of each statement peewee logs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            sql, params = record.msg
            self.statements.append((sql, tuple(params or ())))

    def selects_with_offset(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (sql, params)
            for sql, params in self.statements
            if sql.lstrip().upper().startswith("SELECT") and " OFFSET " in sql
        ]

    def offsets(self) -> list[int]:
        """Return the OFFSET of each SELECT with one, the last parameter peewee sends."""
        return [params[-1] for _sql, params in self.selects_with_offset()]


@contextmanager
def statement_log() -> Iterator[StatementLog]:
    logger = logging.getLogger("peewee")
    handler = StatementLog()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def plan_details(sql: str, params: tuple[Any, ...]) -> list[str]:
    cursor = current_database().execute_sql("EXPLAIN QUERY PLAN " + sql, params)
    return [str(row[-1]) for row in cursor.fetchall()]


def contact_keys(rows: list[contact_queries.ContactRow]) -> list[str]:
    return [row.no for row in rows]


# Reading pages in the domain.


@pytest.mark.parametrize("sort", SORTS)
def test_contact_pages_match_forward_read(world, sort: str) -> None:
    add_tied_contacts(ROWS)
    total = contact_queries.count_contacts()
    everything = contact_queries.list_contacts(sort=sort)
    assert len(everything) == total
    for offset in offsets_to_check(total):
        page = contact_queries.list_contacts(
            sort=sort, offset=offset, limit=PAGE, total=total
        )
        expected = everything[offset : offset + PAGE]
        assert contact_keys(page) == contact_keys(expected), f"offset {offset}"
        assert page == expected, f"offset {offset}"


def test_folded_sorts_tie_across_spellings(world) -> None:
    """Spellings with one sort key come together, in number order."""
    add_tied_contacts(ROWS)
    rows = contact_queries.list_contacts(sort="name")
    mullers = [row for row in rows if row.name in ("Müller", "MÜLLER", "muller")]
    assert len({row.name for row in mullers}) == 3
    first = rows.index(mullers[0])
    assert rows[first : first + len(mullers)] == mullers
    numbers = [row.no for row in mullers]
    assert numbers == sorted(numbers)
    # Mueller folds to mueller, which sorts before muller.
    mueller = next(row for row in rows if row.name == "Mueller")
    assert rows.index(mueller) < first


def test_contact_pages_with_search_and_filter(world) -> None:
    add_tied_contacts(ROWS)
    search, filters = "big", {"contact": {"country": "DE|AT"}}
    total = contact_queries.count_contacts(search, filters)
    everything = contact_queries.list_contacts(search, filters, "city")
    assert len(everything) == total
    assert total > 2 * PAGE
    for offset in offsets_to_check(total):
        page = contact_queries.list_contacts(
            search, filters, "city", offset, PAGE, total
        )
        assert page == everything[offset : offset + PAGE], f"offset {offset}"


def test_search_matches_within_one_column(world) -> None:
    """The search folds the columns joined by spaces, but no match spans two."""
    Contact.create(no="SPAN1", name="Anna Ölund", city="Bonn", created_by=TEST_USER)
    assert contact_keys(contact_queries.list_contacts("ölund")) == ["SPAN1"]
    assert contact_keys(contact_queries.list_contacts("ÖLUND bonn")) == ["SPAN1"]
    for pattern in ("ölund_bonn", "ölund%bonn", "d_b", "span1_anna"):
        assert contact_queries.list_contacts(pattern) == [], pattern
        assert contact_queries.count_contacts(pattern) == 0, pattern


def test_segment_line_pages_match_forward_read(world) -> None:
    no = segment_of(ROWS)
    total = segmentation.count_lines(no)
    everything = segmentation.segment_lines(no)
    assert len(everything) == total == ROWS
    for offset in offsets_to_check(total):
        page = segmentation.segment_lines(no, offset, PAGE, total)
        assert page == everything[offset : offset + PAGE], f"offset {offset}"


def test_entry_pages_match_forward_read(world) -> None:
    add_contacts(ROWS)
    # Entries fall on 28 days, so each day has ties that the number breaks.
    add_entries(ROWS)
    total = history.count_entries()
    everything = [entry.entry_no for entry in history.list_entries()]
    assert len(everything) == total == ROWS
    for offset in offsets_to_check(total):
        page = history.list_entries(None, offset, PAGE, total)
        numbers = [entry.entry_no for entry in page]
        assert numbers == everything[offset : offset + PAGE], f"offset {offset}"


def test_entry_pages_with_filter(world) -> None:
    add_contacts(ROWS)
    add_entries(ROWS)
    condition = history.entry_condition({"date": "2026-01-03..2026-01-20"})
    total = history.count_entries(condition)
    everything = [entry.entry_no for entry in history.list_entries(condition)]
    assert len(everything) == total
    assert total > PAGE
    for offset in offsets_to_check(total):
        page = history.list_entries(condition, offset, PAGE, total)
        numbers = [entry.entry_no for entry in page]
        assert numbers == everything[offset : offset + PAGE], f"offset {offset}"


# A read of one page from an offset, given the row count or None.
PageRead = Callable[[int, int | None], list[Any]]


def build_lists() -> dict[str, tuple[PageRead, int]]:
    """Build long lists and return a page read and the row count of each."""
    # The segment's builder adds the contacts.
    no = segment_of(ROWS)
    tie_contacts()
    add_entries(ROWS)
    contacts = contact_queries.count_contacts()
    reads: dict[str, tuple[PageRead, int]] = {}
    for sort in SORTS:

        def read_contacts(offset: int, total: int | None, sort: str = sort) -> Any:
            return contact_queries.list_contacts(
                sort=sort, offset=offset, limit=PAGE, total=total
            )

        reads[f"contacts by {sort}"] = (read_contacts, contacts)

    def read_lines(offset: int, total: int | None) -> Any:
        return segmentation.segment_lines(no, offset, PAGE, total)

    def read_entries(offset: int, total: int | None) -> Any:
        return [
            entry.entry_no for entry in history.list_entries(None, offset, PAGE, total)
        ]

    reads["segment lines"] = (read_lines, segmentation.count_lines(no))
    reads["entries"] = (read_entries, history.count_entries())
    return reads


def test_last_page_offset_below_page(world) -> None:
    for name, (read, total) in build_lists().items():
        assert total > 2 * PAGE, name
        with statement_log() as forward:
            forward_rows = read(total - PAGE, None)
        with statement_log() as backward:
            backward_rows = read(total - PAGE, total)
        # Without the row count the read steps over all rows before the page.
        assert forward.offsets() == [total - PAGE], name
        assert len(backward.offsets()) == 1, name
        assert backward.offsets()[0] < PAGE, name
        assert len(backward_rows) == PAGE, name
        assert backward_rows == forward_rows, name


def test_page_nearer_start_reads_forward(world) -> None:
    add_tied_contacts(ROWS)
    total = contact_queries.count_contacts()
    offset = total // 2 - PAGE
    with statement_log() as log:
        contact_queries.list_contacts(
            sort="name", offset=offset, limit=PAGE, total=total
        )
    assert log.offsets() == [offset]
    sql = log.selects_with_offset()[0][0]
    assert " DESC" not in sql


@explain_needs_sqlite
def test_first_and_last_pages_walk_index(world) -> None:
    """No first or last page of any list sorts its rows in a temporary B-tree."""
    for name, (read, total) in build_lists().items():
        with statement_log() as log:
            read(0, total)
            read(total - PAGE, total)
        statements = log.selects_with_offset()
        assert len(statements) == 2, name
        for sql, params in statements:
            details = plan_details(sql, params)
            assert details, name
            sorts = [detail for detail in details if "TEMP B-TREE" in detail]
            assert sorts == [], (name, sql, details)


# Seeking from a row already read, as the window table does for the next page.


# A list's page read and its unique keys in order, as the tables pass them.
KeyedList = tuple[PageRead, list[Any]]


def build_keyed_lists() -> dict[str, KeyedList]:
    """Build long lists and return a page read and the table keys of each, in order."""
    no = segment_of(ROWS)
    tie_contacts()
    add_entries(ROWS)
    lists: dict[str, KeyedList] = {}
    for sort in SORTS:

        def read_contacts(offset: int, total: int | None, sort: str = sort) -> Any:
            page = contact_queries.list_contacts(
                sort=sort, offset=offset, limit=PAGE, total=total
            )
            return contact_keys(page)

        keys = contact_keys(contact_queries.list_contacts(sort=sort))
        lists[f"contacts by {sort}"] = (read_contacts, keys)

    def read_lines(offset: int, total: int | None) -> Any:
        page = segmentation.segment_lines(no, offset, PAGE, total)
        return [str(line.line_no) for line in page]

    def read_entries(offset: int, total: int | None) -> Any:
        page = history.list_entries(None, offset, PAGE, total)
        return [str(entry.entry_no) for entry in page]

    lines = [str(line.line_no) for line in segmentation.segment_lines(no)]
    entries = [str(entry.entry_no) for entry in history.list_entries()]
    lists["segment lines"] = (read_lines, lines)
    lists["entries"] = (read_entries, entries)
    return lists


def anchors_to_check(offset: int, keys: list[Any]) -> list[Anchor]:
    """Anchors next to the page at ``offset`` and a few rows away, on both sides."""
    anchors = []
    for index in (offset - 1, offset - 4, offset + PAGE, offset + PAGE + 6):
        if 0 <= index < len(keys):
            anchors.append(Anchor(index, keys[index]))
    return anchors


def test_anchored_pages_match_forward_read(world) -> None:
    for name, (read, keys) in build_keyed_lists().items():
        total = len(keys)
        assert total > 2 * PAGE, name
        for offset in offsets_to_check(total):
            expected = keys[offset : offset + PAGE]
            for anchor in anchors_to_check(offset, keys):
                with reading_next_to(anchor):
                    page = read(offset, total)
                assert page == expected, (name, offset, anchor)


def test_neighbour_seek_has_no_offset(world) -> None:
    for name, (read, keys) in build_keyed_lists().items():
        total = len(keys)
        for offset in (PAGE, total // 2, total - 2 * PAGE):
            for anchor in (
                Anchor(offset - 1, keys[offset - 1]),
                Anchor(offset + PAGE, keys[offset + PAGE]),
            ):
                with statement_log() as log, reading_next_to(anchor):
                    page = read(offset, total)
                assert page == keys[offset : offset + PAGE], (name, offset, anchor)
                assert log.selects_with_offset() == [], (name, offset, anchor)
                # The anchor's sort values, then the page.
                selects = [sql for sql, _params in log.statements]
                assert len(selects) == 2, (name, offset, anchor)


def test_far_anchor_falls_back_to_ends(world) -> None:
    """An anchor farther from the page than either end is not used."""
    add_tied_contacts(ROWS)
    keys = contact_keys(contact_queries.list_contacts(sort="name"))
    total = len(keys)
    anchor = Anchor(total - 1, keys[-1])
    with statement_log() as log, reading_next_to(anchor):
        page = contact_queries.list_contacts(
            sort="name", offset=10, limit=PAGE, total=total
        )
    assert contact_keys(page) == keys[10 : 10 + PAGE]
    assert log.offsets() == [10]


def test_stale_anchor_falls_back_to_offset(world) -> None:
    """An anchor row that no longer matches the query is not sought from."""
    add_tied_contacts(ROWS)
    keys = contact_keys(contact_queries.list_contacts(sort="city"))
    deleted = keys[PAGE - 1]
    Contact.delete().where(Contact.no == deleted).execute()
    keys.remove(deleted)
    total = len(keys)
    with statement_log() as log, reading_next_to(Anchor(PAGE - 1, deleted)):
        page = contact_queries.list_contacts(
            sort="city", offset=PAGE, limit=PAGE, total=total
        )
    assert contact_keys(page) == keys[PAGE : 2 * PAGE]
    assert log.offsets() == [PAGE]


@explain_needs_sqlite
def test_neighbour_seek_walks_index(world) -> None:
    """A page next to its anchor is a range of an index, not a sort."""
    for name, (read, keys) in build_keyed_lists().items():
        offset = len(keys) // 2
        for anchor in (
            Anchor(offset - 1, keys[offset - 1]),
            Anchor(offset + PAGE, keys[offset + PAGE]),
        ):
            with statement_log() as log, reading_next_to(anchor):
                read(offset, len(keys))
            page_sql, params = log.statements[-1]
            details = plan_details(page_sql, params)
            sorts = [detail for detail in details if "TEMP B-TREE" in detail]
            assert sorts == [], (name, details)
            ranges = [
                detail
                for detail in details
                if detail.startswith("SEARCH") and ("<" in detail or ">" in detail)
            ]
            assert ranges, (name, details)


# Campaigns have two nullable dates, so they test NULLs in the sort keys.
CAMPAIGN_DATES = (None, date(2026, 3, 1), date(2026, 5, 1), None, date(2026, 3, 1))
CAMPAIGNS = 47
CAMPAIGN_PAGE = 6


def add_campaigns() -> None:
    for index in range(CAMPAIGNS):
        Campaign.create(
            no=f"C{index:03d}",
            starting_date=CAMPAIGN_DATES[index % len(CAMPAIGN_DATES)],
            ending_date=CAMPAIGN_DATES[index % 3],
        )


def campaign_orders() -> dict[str, list[Any]]:
    start, end, no = Campaign.starting_date, Campaign.ending_date, Campaign.no
    return {
        "start": [start, no],
        "start desc": [start.desc(), no],
        "all desc": [start.desc(), no.desc()],
        "nulls last": [start.asc(nulls="last"), no],
        "desc nulls first": [start.desc(nulls="first"), no.desc()],
        "two dates": [start, end.desc(), no],
        "two dates nulls": [start.desc(nulls="last"), end.asc(nulls="first"), no],
    }


def test_anchored_pages_with_nulls(world) -> None:
    """Seeks match the forward read with NULLs and ties in every sort key."""
    add_campaigns()
    query = Campaign.select(Campaign.no).where(Campaign.no.startswith("C"))
    for name, order in campaign_orders().items():
        keys = [row.no for row in query.order_by(*order)]
        assert len(keys) == CAMPAIGNS, name
        for offset in range(CAMPAIGNS + 1):
            expected = keys[offset : offset + CAMPAIGN_PAGE]
            for index in (offset - 1, offset - 3, offset + CAMPAIGN_PAGE):
                if not 0 <= index < CAMPAIGNS:
                    continue
                anchor = Anchor(index, keys[index])
                for total in (None, CAMPAIGNS):
                    page = read_page(
                        query, order, offset, CAMPAIGN_PAGE, total, anchor=anchor
                    )
                    assert [row.no for row in page] == expected, (name, offset, index)


# The screens: End, then up past the window's first row.


# Up presses that cross the first row of the window End left.
UP_PRESSES = 50


async def end_then_up(screen: Any, selector: str) -> dict[str, Any]:
    """Open ``screen`` and press End, then Page Up and Up past the window's first row.

    Page Up brings the cursor to within 30 rows of the window's first row, and
    ``UP_PRESSES`` presses of Up then cross it. Return what the table shows.
    """
    facts: dict[str, Any] = {}
    async with SegtuiApp(user=TEST_USER).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(screen)
        await settle(pilot)
        table = pilot.app.screen.query_one(selector, WindowTable)
        table.focus()
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        facts["end_index"] = table.start + table.cursor_row
        facts["end_key"] = table.window[table.cursor_row].key
        facts["end_start"] = table.start
        while table.start == facts["end_start"] and table.cursor_row > 30:
            await pilot.press("pageup")
            await settle(pilot)
        facts["up_from"] = table.start + table.cursor_row
        facts["up_from_key"] = table.window[table.cursor_row].key
        for step in range(UP_PRESSES):
            await pilot.press("up")
            # The page before the window is read in a worker; let it arrive.
            if step % 10 == 9:
                await settle(pilot)
        await settle(pilot)
        facts["start"] = table.start
        facts["index"] = table.start + table.cursor_row
        facts["key"] = table.window[table.cursor_row].key
        facts["first_cell"] = str(table.get_row_at(table.cursor_row)[0])
        facts["window_keys"] = [row.key for row in table.window]
        facts["table_keys"] = [row.key.value for row in table.ordered_rows]
        facts["total"] = table.total
    return facts


def check_end_then_up(facts: dict[str, Any], keys: list[str], page: int) -> None:
    total = len(keys)
    assert facts["total"] == total
    assert facts["end_index"] == total - 1
    assert facts["end_key"] == keys[-1]
    # End reads the last page only, and going up then reads the page before it.
    assert facts["end_start"] == total - page
    assert facts["up_from_key"] == keys[facts["up_from"]]
    assert facts["index"] == facts["up_from"] - UP_PRESSES
    assert facts["index"] < facts["end_start"]
    assert facts["start"] < facts["end_start"]
    assert facts["key"] == keys[facts["index"]]
    start = facts["start"]
    assert facts["window_keys"] == keys[start : start + len(facts["window_keys"])]
    assert facts["table_keys"] == facts["window_keys"]


async def test_contact_list_end_then_up(world) -> None:
    add_tied_contacts(1_200)
    screen = ContactListScreen()
    screen.sort = "city"
    keys = contact_keys(contact_queries.list_contacts(sort="city"))
    facts = await end_then_up(screen, "#contacts")
    check_end_then_up(facts, keys, CONTACT_PAGE)
    # The first column is the contact number, so the cells match the key.
    assert facts["first_cell"] == facts["key"]


async def test_worksheet_end_then_up(world) -> None:
    no = segment_of(1_200)
    keys = [str(line.line_no) for line in segmentation.segment_lines(no)]
    facts = await end_then_up(WorksheetScreen(no), "#lines")
    check_end_then_up(facts, keys, LINE_PAGE)


async def test_history_end_then_up(world) -> None:
    add_contacts(1_200)
    add_entries(1_200)
    keys = [str(entry.entry_no) for entry in history.list_entries()]
    facts = await end_then_up(InteractionHistoryScreen(), "#entries")
    check_end_then_up(facts, keys, HISTORY_PAGE)
    assert facts["first_cell"] == facts["key"]


# The screens: keys pressed in a burst on a long list.


async def settle_reads(pilot: Any, table: WindowTable) -> None:
    """Wait until the table has read every page the keys so far need."""
    await settle(pilot)
    for _round in range(30):
        if not table.pending:
            return
        await settle(pilot)


async def test_contact_list_key_bursts(world) -> None:
    add_tied_contacts(20_000)
    keys = contact_keys(contact_queries.list_contacts(sort="name"))
    screen = ContactListScreen()
    screen.sort = "name"
    async with SegtuiApp(user=TEST_USER).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(screen)
        await settle(pilot)
        table = pilot.app.screen.query_one("#contacts", WindowTable)
        table.focus()
        await settle(pilot)
        page = table.scrollable_content_region.height - table.header_height
        # Each key waits for the page it reads, so the bursts cross a few windows
        # of rows and no more.
        await pilot.press(*["pagedown"] * 40)
        await settle_reads(pilot, table)
        index = table.start + table.cursor_row
        assert index == 40 * page
        assert index > 3 * WINDOW_MAX_ROWS
        assert table.window[table.cursor_row].key == keys[index]
        await pilot.press(*["pageup"] * 15, *["down"] * 7)
        await settle_reads(pilot, table)
        index = table.start + table.cursor_row
        assert index == 25 * page + 7
        assert table.window[table.cursor_row].key == keys[index]
        start = table.start
        window_keys = [row.key for row in table.window]
        assert window_keys == keys[start : start + len(window_keys)]
        assert [row.key.value for row in table.ordered_rows] == window_keys
