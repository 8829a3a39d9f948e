"""The tables of the list screens: RowTable, and WindowTable for long queries.

Textual's DataTable holds every row as a widget-side object: 100,000 rows took about
13 s and 90 MiB on a 2-core machine (DataTable of Textual 8.2.8) and blocked the UI.
WindowTable holds only a window of a long query's rows and reads the next page in a
thread worker when the cursor nears either end of the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from segtui.domain.sql import Anchor, reading_next_to
from segtui.i18n import _
from segtui.ui.keys import NamedBindings
from segtui.ui.worker import run_job

# A Textual DataTable that keeps a window of a long query's rows.


class RowTable(NamedBindings, DataTable[Any]):
    """A DataTable with a row cursor that Home and End move to the first or last row.

    Textual's DataTable scrolls sideways on Home and End when the cursor is a row,
    which in a list that fits the screen does nothing visible.
    """

    AREA = "table"

    BINDINGS = [
        Binding(
            "ctrl+a,home,ctrl+home",
            "first",
            _("First row"),
            show=False,
            tooltip=_("Go to the first row (Ctrl+A where Home does not work)"),
        ),
        Binding(
            "ctrl+e,end,ctrl+end",
            "last",
            _("Last row"),
            show=False,
            tooltip=_("Go to the last row (Ctrl+E where End does not work)"),
        ),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = True) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)

    def action_first(self) -> None:
        self.action_scroll_top()

    def action_last(self) -> None:
        self.action_scroll_bottom()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Measure only the new rows whose size can change the table's layout.

        DataTable measures every cell of every new row for the widths of columns
        that size to their content. The list screens give every column a width, so
        that work is wasted. For the 400 rows the contact list reads after a search
        it took 0.04 to 0.34 s of the UI thread, on 2 cores at load averages of 5 to
        12. A row with a label or an automatic height is still measured, and so is
        every row while a column sizes to its content.

        NOTE: this overrides a private method of DataTable (Textual 8.2.8).
        """
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        measured = []
        for key in new_rows:
            row = self.rows.get(key)
            if row is not None and (row.label is not None or row.auto_height):
                measured.append(key)
        super()._update_dimensions(measured)


# Rows read per request, and the max rows the table contains at once.
WINDOW_PAGE_ROWS = 100
WINDOW_MAX_ROWS = 300
# Distance in rows from the cursor to either end of the window that reads the next page.
WINDOW_MARGIN = 20


@dataclass(frozen=True)
class WindowRow:
    """One row: its key in the table, its cells, and the object it shows, if any."""

    key: str
    cells: Sequence[Any]
    value: Any = None


WindowFetch = Callable[[int, int], list[WindowRow]]


class WindowTable(RowTable):
    """A DataTable that contains at most ``max_rows`` rows of a longer query.

    The screen gives the query's row count, the rows from some offset on, and a
    ``fetch(offset, limit)`` function. When the cursor nears either end of the
    window the next page is read in a thread worker, and the rows at the far end
    are dropped. End and Home read the last or the first page directly. So the
    rows held and read stay the same whatever the row count, and the table keeps
    the DataTable API that the screens and their tests use for the rows on hand.

    The scrollbar covers the rows on hand, not the whole query.

    The page next to the window is read with the window's edge row as the anchor
    (``segtui.domain.sql.reading_next_to``), so ``read_page`` seeks from that row's
    sort values in an index instead of stepping over an OFFSET, and a page in the
    middle of a long query costs as much as the first. The screens give their read
    functions the query's row count, so End reads the last page backwards and
    costs as much as Home.

    Cursor keys and Page Up or Down that go past the window set a target row. The
    cursor waits at the window's edge while the rows up to the target are read,
    then moves on to it, so no key is lost or shortened while a page is loading.
    When the rows up to the target do not fit in one read of ``max_rows``, the
    page around the target replaces the window. That read seeks from the window's
    nearer edge with an OFFSET of the rows in between, unless an end of the query
    is nearer.
    """

    class PageAdded(Message):
        """Posted after a page read past the first one is added to the window.

        The screen can widen a column for a value longer than the first page had.
        """

        def __init__(self, table: WindowTable, rows: list[WindowRow]) -> None:
            super().__init__()
            self.table = table
            self.rows = rows

    def __init__(
        self,
        *,
        id: str | None = None,
        page_rows: int = WINDOW_PAGE_ROWS,
        max_rows: int = WINDOW_MAX_ROWS,
    ) -> None:
        super().__init__(id=id)
        self.page_rows = page_rows
        self.max_rows = max(max_rows, 2 * page_rows)
        # Rows in the whole query, and the query index of the table's first row.
        self.total = 0
        self.start = 0
        self.window: list[WindowRow] = []
        self.fetch: WindowFetch | None = None
        # Raised by every new query and jump; a page for an older one is dropped.
        self.generation = 0
        self.pending = False
        self.filling = False
        # The query index the cursor moves to once its rows are read, if any.
        self.target: int | None = None
        # Rows passed to the table since it was created, for tests and benchmarks.
        self.rows_read = 0

    def reload_span(self) -> tuple[int, int]:
        """Return the offset and row count to read so a reload keeps the place."""
        return self.start, max(self.page_rows, len(self.window))

    def show_rows(
        self,
        total: int,
        start: int,
        rows: list[WindowRow],
        fetch: WindowFetch,
        keep: str | None = None,
    ) -> None:
        """Show a query: its row count, its rows from ``start`` on, and its pages.

        The cursor goes to the row whose key is ``keep`` if it is among ``rows``,
        else to the first row.
        """
        self.generation += 1
        self.pending = False
        self.target = None
        self.total = total
        self.fetch = fetch
        self.rows_read += len(rows)
        keys = [row.key for row in rows]
        cursor = keys.index(keep) if keep in keys else 0
        self.fill(start, rows[: self.max_rows], cursor)
        # The next pages are read after the first page is on screen, so the time
        # to the first paint is the same for a long query as for a short one.
        self.call_after_refresh(self.fill_ahead)

    def fill_ahead(self) -> None:
        """Read the next page while the window has room for it.

        A screen shows its first page quickly, and the table then fills up to
        ``max_rows`` a page at a time, after the first paint.
        """
        end = self.start + len(self.window)
        if self.pending or len(self.window) >= self.max_rows or end >= self.total:
            return
        self.request(end, self.page_rows, before=False)

    def fill(
        self,
        start: int,
        rows: list[WindowRow],
        cursor: int,
        scroll_y: float | None = None,
    ) -> None:
        self.filling = True
        try:
            self.start = start
            self.window = rows
            self.clear()
            for row in rows:
                self.add_row(*row.cells, key=row.key)
            if rows:
                self.move_cursor(row=max(0, min(cursor, len(rows) - 1)))
        finally:
            self.filling = False
        if scroll_y is not None:
            # After the rows above the cursor changed, keep it where it was on screen.
            y = max(scroll_y, 0)
            self.call_after_refresh(self.scroll_to, y=y, animate=False)

    @property
    def cursor_value(self) -> Any:
        """The object of the row under the cursor, or None for an empty table."""
        if not self.window or not 0 <= self.cursor_row < len(self.window):
            return None
        return self.window[self.cursor_row].value

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self.filling:
            self.read_ahead(new.row)

    def read_ahead(self, row: int) -> None:
        """Read the next page in the cursor's direction when it nears the edge."""
        if self.pending or self.fetch is None:
            return
        if self.target is not None:
            self.read_toward_target()
            return
        end = self.start + len(self.window)
        if row >= len(self.window) - WINDOW_MARGIN and end < self.total:
            self.request(end, self.page_rows, before=False)
        elif row < WINDOW_MARGIN and self.start > 0:
            offset = max(0, self.start - self.page_rows)
            self.request(offset, self.start - offset, before=True)

    def read_toward_target(self) -> None:
        """Read the rows between the window and the target, or around a far target."""
        target = self.target
        if self.pending or self.fetch is None or target is None:
            return
        end = self.start + len(self.window)
        if self.start <= target < end:
            self.go_to(target)
            return
        if target >= end:
            limit = max(self.page_rows, target - end + 1 + WINDOW_MARGIN)
            if limit <= self.max_rows:
                self.request(end, limit, before=False)
                return
        else:
            count = max(self.page_rows, self.start - target + WINDOW_MARGIN)
            if count <= self.max_rows:
                offset = max(0, self.start - count)
                self.request(offset, self.start - offset, before=True)
                return
        # Too far for the window to slide to: read the rows around the target.
        offset = max(0, min(target - self.page_rows // 2, self.total - self.page_rows))
        self.jump(offset, to_last=False)

    def edge_anchor(self, offset: int) -> Anchor | None:
        """Return the window's edge row nearest to a read from ``offset``, if any.

        The row key is the query's unique sort key, as ``read_page`` requires.
        """
        end = self.start + len(self.window)
        if not self.window or self.start <= offset < end:
            return None
        if offset >= end:
            return Anchor(end - 1, self.window[-1].key)
        return Anchor(self.start, self.window[0].key)

    def read_job(self, offset: int, limit: int) -> Callable[[], list[WindowRow]]:
        """Return a job that reads ``limit`` rows from ``offset``, seeking from the
        window's nearest edge row."""
        fetch = self.fetch
        anchor = self.edge_anchor(offset)
        if fetch is None:
            return list

        def read() -> list[WindowRow]:
            with reading_next_to(anchor):
                return fetch(offset, limit)

        return read

    def request(self, offset: int, limit: int, before: bool) -> None:
        if self.fetch is None:
            return
        self.pending = True
        generation = self.generation
        run_job(
            self.screen,
            self.read_job(offset, limit),
            lambda rows: self.page_arrived(generation, offset, rows, before),
            group=f"window-{id(self)}",
            on_error=self.page_failed,
        )

    def page_failed(self, error: Exception) -> None:
        self.pending = False
        self.target = None
        report = getattr(self.screen, "show_error", None)
        if report is not None:
            report(error)

    def page_arrived(
        self, generation: int, offset: int, rows: list[WindowRow], before: bool
    ) -> None:
        if generation != self.generation:
            return
        self.pending = False
        self.rows_read += len(rows)
        if not rows:
            # The query has fewer rows than counted: stop at the rows on hand.
            self.target = None
            return
        cursor, scroll_y = self.cursor_row, self.scroll_y
        if before:
            window = (rows + self.window)[: self.max_rows]
            start, cursor = offset, cursor + len(rows)
            scroll_y += len(rows)
        else:
            drop = max(0, len(self.window) + len(rows) - self.max_rows)
            window = (self.window + rows)[drop:]
            start, cursor = self.start + drop, cursor - drop
            scroll_y -= drop
        if not 0 <= cursor < len(window):
            # The cursor moved away from this end while the page was read, and the
            # page would push its row out of the window: keep the window as it is.
            self.read_ahead(self.cursor_row)
            return
        if not before and start == self.start:
            self.window = window
            for row in rows:
                self.add_row(*row.cells, key=row.key)
        else:
            self.fill(start, window, cursor, scroll_y)
        self.post_message(self.PageAdded(self, rows))
        if self.target is not None:
            self.go_to(self.target)
        elif not before:
            self.fill_ahead()

    def jump(self, offset: int, to_last: bool) -> None:
        """Replace the window with the rows from ``offset`` on.

        The cursor goes to the last row read with ``to_last``, to the target if one
        is set, or else to the first row read.
        """
        if self.fetch is None:
            return
        read = self.read_job(offset, self.page_rows)
        self.generation += 1
        self.pending = True
        generation = self.generation

        def arrived(rows: list[WindowRow]) -> None:
            if generation != self.generation:
                return
            self.pending = False
            self.rows_read += len(rows)
            self.fill(offset, rows, len(rows) - 1 if to_last else 0)
            self.post_message(self.PageAdded(self, rows))
            if self.target is not None and rows:
                self.go_to(self.target)
            else:
                self.target = None
                self.fill_ahead()

        run_job(
            self.screen,
            read,
            arrived,
            group=f"window-{id(self)}",
            on_error=self.page_failed,
        )

    def update_window_cell(self, key: str, column: str, value: Any) -> None:
        """Change one cell of the row ``key``, if it is on hand.

        The window keeps the new value too, so the cell stays changed when a page
        read later fills the table again from the window.
        """
        for index, row in enumerate(self.window):
            if row.key != key:
                continue
            cells = list(row.cells)
            cells[self.get_column_index(column)] = value
            self.window[index] = replace(row, cells=tuple(cells))
            self.update_cell(key, column, value)
            return

    # Moving the cursor by rows and pages, past the window's edges too.

    def go_to(self, index: int) -> None:
        """Move the cursor to the row at query ``index``, reading it first if needed."""
        index = max(0, min(index, self.total - 1))
        if self.start <= index < self.start + len(self.window):
            self.target = None
            self.move_cursor(row=index - self.start)
            return
        self.target = index
        # The cursor waits at the edge that the target lies beyond.
        edge = 0 if index < self.start else len(self.window) - 1
        if self.window and self.cursor_row != edge:
            self.move_cursor(row=edge)
        self.read_toward_target()

    def move_by(self, rows: int, within_window: Callable[[], None]) -> None:
        """Move the cursor ``rows`` rows; ``within_window`` is DataTable's own move,
        used when the new row is on hand and no target is waiting."""
        if not self.window:
            return
        if self.target is None and 0 <= self.cursor_row + rows < len(self.window):
            within_window()
            return
        current = self.start + self.cursor_row if self.target is None else self.target
        self.go_to(current + rows)

    def page_height(self) -> int:
        """Return the rows that Page Up and Page Down move, as DataTable counts them."""
        header = self.header_height if self.show_header else 0
        return max(self.scrollable_content_region.height - header, 1)

    def action_cursor_down(self) -> None:
        self.move_by(1, super().action_cursor_down)

    def action_cursor_up(self) -> None:
        self.move_by(-1, super().action_cursor_up)

    def action_page_down(self) -> None:
        self.move_by(self.page_height(), super().action_page_down)

    def action_page_up(self) -> None:
        self.move_by(-self.page_height(), super().action_page_up)

    def action_first(self) -> None:
        self.target = None
        if self.start == 0:
            if self.window:
                self.move_cursor(row=0)
            return
        self.jump(0, to_last=False)

    def action_last(self) -> None:
        self.target = None
        if self.start + len(self.window) >= self.total:
            if self.window:
                self.move_cursor(row=len(self.window) - 1)
            return
        self.jump(max(0, self.total - self.page_rows), to_last=True)
