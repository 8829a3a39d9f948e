"""A table that shows any number of rows while reading only the pages on screen.

Textual's DataTable holds every row as a widget-side object: 100,000 rows took about
13 s and 90 MiB on a 2-core machine (DataTable of Textual 8.2.8) and blocked the UI.
This table knows only the row count; it asks its ``fetch(offset, limit)`` function
for a page when the page comes into view, in a thread worker, and keeps a few pages
in memory. Opening it, jumping to the last row and moving the cursor cost the same
for 100 rows as for a million.

Rows are (key, cells) pairs; cells are shown as plain text, never as markup. The
cursor row is drawn in reverse video, so it shows without colour too.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable

from segtui.i18n import _
from segtui.ui.keys import NamedBindings
from segtui.ui.text import ELLIPSIS, display
from segtui.ui.worker import run_job

PAGE_ROWS = 100
# Pages kept in memory; older ones are read again when they come back into view.
CACHED_PAGES = 20

Row = tuple[Any, Sequence[Any]]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


class VirtualTable(NamedBindings, ScrollView, can_focus=True):
    """Rows read page by page from a query, with a row cursor."""

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
    }
    """

    BINDINGS = [
        Binding("up", "cursor(-1)", _("Up"), show=False, tooltip=_("Previous row")),
        Binding("down", "cursor(1)", _("Down"), show=False, tooltip=_("Next row")),
        Binding(
            "ctrl+u,pageup",
            "page(-1)",
            _("Page up"),
            show=False,
            tooltip=_("Go to the previous page (ctrl+u where Page Up does not work)"),
        ),
        Binding(
            "ctrl+d,pagedown",
            "page(1)",
            _("Page down"),
            show=False,
            tooltip=_("Go to the next page (ctrl+d where Page Down does not work)"),
        ),
        Binding(
            "ctrl+a,home,ctrl+home",
            "first",
            _("First row"),
            show=False,
            tooltip=_("Go to the first row (ctrl+a where Home does not work)"),
        ),
        Binding(
            "ctrl+e,end,ctrl+end",
            "last",
            _("Last row"),
            show=False,
            tooltip=_("Go to the last row (ctrl+e where End does not work)"),
        ),
        Binding("enter", "select", _("Select"), show=False, tooltip=_("Open the row")),
    ]

    cursor_row: reactive[int] = reactive(0)

    class RowHighlighted(Message):
        def __init__(self, table: VirtualTable, row: int, key: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.key = key

    class RowSelected(Message):
        def __init__(self, table: VirtualTable, row: int, key: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.key = key

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self.row_count = 0
        self.fetch: Callable[[int, int], list[Row]] | None = None
        self.pages: OrderedDict[int, list[Row]] = OrderedDict()
        self.loading: set[int] = set()
        self.generation = 0

    # Feeding the table.

    def load(
        self, row_count: int, fetch: Callable[[int, int], list[Row]], keep: Any = None
    ) -> None:
        """Show a new query: its row count and how to read a page of it.

        ``fetch`` runs in a thread worker. With ``keep``, the cursor goes back to
        the row with that key if it is on the first page read.
        """
        self.generation += 1
        self.row_count = row_count
        self.fetch = fetch
        self.pages.clear()
        self.loading.clear()
        self.keep_key = keep
        self.virtual_size = Size(self.table_width(), row_count + 1)
        self.cursor_row = min(self.cursor_row, max(row_count - 1, 0))
        self.refresh()

    def table_width(self) -> int:
        return sum(column.width + 2 for column in self.columns)

    def row_at(self, index: int) -> Row | None:
        page = self.pages.get(index // PAGE_ROWS)
        if page is None:
            self.request_page(index // PAGE_ROWS)
            return None
        self.pages.move_to_end(index // PAGE_ROWS)
        offset = index % PAGE_ROWS
        return page[offset] if offset < len(page) else None

    @property
    def cursor_key(self) -> Any:
        row = self.row_at(self.cursor_row) if self.row_count else None
        return row[0] if row else None

    def request_page(self, page: int) -> None:
        if page in self.loading or self.fetch is None:
            return
        self.loading.add(page)
        fetch, generation = self.fetch, self.generation

        def read() -> list[Row]:
            return fetch(page * PAGE_ROWS, PAGE_ROWS)

        run_job(
            self.screen,
            read,
            lambda rows: self.page_loaded(generation, page, rows),
            group=f"table-{id(self)}-{page}",
        )

    def page_loaded(self, generation: int, page: int, rows: list[Row]) -> None:
        if generation != self.generation:
            return
        self.loading.discard(page)
        self.pages[page] = rows
        while len(self.pages) > CACHED_PAGES:
            self.pages.popitem(last=False)
        keep = getattr(self, "keep_key", None)
        if keep is not None and page == self.cursor_row // PAGE_ROWS:
            for offset, (key, _cells) in enumerate(rows):
                if key == keep:
                    self.cursor_row = page * PAGE_ROWS + offset
                    break
            self.keep_key = None
        self.refresh()
        if page == self.cursor_row // PAGE_ROWS:
            self.post_highlight()

    # Drawing.

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            return self.header_strip().crop_extend(scroll_x, scroll_x + width, None)
        index = scroll_y + y - 1
        if index >= self.row_count:
            return Strip.blank(width)
        row = self.row_at(index)
        cells = row[1] if row else [ELLIPSIS] + [""] * (len(self.columns) - 1)
        strip = self.row_strip(cells, cursor=index == self.cursor_row)
        return strip.crop_extend(scroll_x, scroll_x + width, None)

    def header_strip(self) -> Strip:
        style = Style(bold=True, underline=True)
        return self.cells_strip([c.label for c in self.columns], style)

    def row_strip(self, cells: Sequence[Any], cursor: bool) -> Strip:
        style = Style(reverse=True) if cursor else Style()
        return self.cells_strip(cells, style)

    def cells_strip(self, cells: Sequence[Any], style: Style) -> Strip:
        segments = []
        for column, value in zip(self.columns, cells, strict=False):
            text = Text(display(value), no_wrap=True, overflow="ellipsis")
            text.truncate(column.width, overflow="ellipsis", pad=True)
            segments.append(Segment(" ", style))
            segments.extend(text.render(self.app.console))
            segments.append(Segment(" ", style))
        return Strip(segments).apply_style(style)

    # Moving.

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.scroll_to_cursor()
        self.refresh()
        self.post_highlight()

    def post_highlight(self) -> None:
        if self.row_count:
            self.post_message(
                self.RowHighlighted(self, self.cursor_row, self.cursor_key)
            )

    def scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def move_to(self, row: int) -> None:
        if self.row_count:
            self.cursor_row = max(0, min(row, self.row_count - 1))

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor_row + direction * max(self.size.height - 2, 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.row_count - 1)

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.RowSelected(self, self.cursor_row, self.cursor_key))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


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
            tooltip=_("Go to the first row (ctrl+a where Home does not work)"),
        ),
        Binding(
            "ctrl+e,end,ctrl+end",
            "last",
            _("Last row"),
            show=False,
            tooltip=_("Go to the last row (ctrl+e where End does not work)"),
        ),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = True) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)

    def action_first(self) -> None:
        self.action_scroll_top()

    def action_last(self) -> None:
        self.action_scroll_bottom()


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

    The screens give their read functions the query's row count, so a page nearer
    the end than the start is read in the reversed order with a small OFFSET
    (``segtui.domain.sql.read_page``), and End costs as much as Home.

    NOTE: a page in the middle of a long query still skips its offset with SQL
    OFFSET, which the database steps over row by row. In the middle of 200,000
    contacts sorted by name a page took about 0.5 s (SQLite, 2 cores), against
    0.01 s at either end. Keyset paging would make it constant too.
    """

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
        end = self.start + len(self.window)
        if row >= len(self.window) - WINDOW_MARGIN and end < self.total:
            self.request(end, self.page_rows, before=False)
        elif row < WINDOW_MARGIN and self.start > 0:
            offset = max(0, self.start - self.page_rows)
            self.request(offset, self.start - offset, before=True)

    def request(self, offset: int, limit: int, before: bool) -> None:
        if self.fetch is None:
            return
        self.pending = True
        fetch, generation = self.fetch, self.generation
        run_job(
            self.screen,
            lambda: fetch(offset, limit),
            lambda rows: self.page_arrived(generation, offset, rows, before),
            group=f"window-{id(self)}",
            on_error=self.page_failed,
        )

    def page_failed(self, error: Exception) -> None:
        self.pending = False
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
            return
        cursor, scroll_y = self.cursor_row, self.scroll_y
        if before:
            window = (rows + self.window)[: self.max_rows]
            self.fill(offset, window, cursor + len(rows), scroll_y + len(rows))
            return
        drop = max(0, len(self.window) + len(rows) - self.max_rows)
        if drop == 0:
            self.window = self.window + rows
            for row in rows:
                self.add_row(*row.cells, key=row.key)
            self.fill_ahead()
            return
        window = (self.window + rows)[drop:]
        self.fill(self.start + drop, window, cursor - drop, scroll_y - drop)

    def jump(self, offset: int, to_last: bool) -> None:
        if self.fetch is None:
            return
        self.generation += 1
        self.pending = True
        fetch, generation = self.fetch, self.generation
        limit = self.page_rows

        def arrived(rows: list[WindowRow]) -> None:
            if generation != self.generation:
                return
            self.pending = False
            self.rows_read += len(rows)
            self.fill(offset, rows, len(rows) - 1 if to_last else 0)
            self.fill_ahead()

        run_job(
            self.screen,
            lambda: fetch(offset, limit),
            arrived,
            group=f"window-{id(self)}",
            on_error=self.page_failed,
        )

    def action_first(self) -> None:
        if self.start == 0:
            if self.window:
                self.move_cursor(row=0)
            return
        self.jump(0, to_last=False)

    def action_last(self) -> None:
        if self.start + len(self.window) >= self.total:
            if self.window:
                self.move_cursor(row=len(self.window) - 1)
            return
        self.jump(max(0, self.total - self.page_rows), to_last=True)
