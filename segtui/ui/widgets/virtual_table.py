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

from segtui.i18n import _
from segtui.ui.keys import NamedBindings
from segtui.ui.text import display
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
            "pageup,ctrl+u",
            "page(-1)",
            _("Page up"),
            show=False,
            tooltip=_("Go to the previous page (ctrl+u where Page Up does not work)"),
        ),
        Binding(
            "pagedown,ctrl+d",
            "page(1)",
            _("Page down"),
            show=False,
            tooltip=_("Go to the next page (ctrl+d where Page Down does not work)"),
        ),
        Binding(
            "home,ctrl+home,ctrl+a",
            "first",
            _("First row"),
            show=False,
            tooltip=_("Go to the first row (ctrl+a where Home does not work)"),
        ),
        Binding(
            "end,ctrl+end,ctrl+e",
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
        cells = row[1] if row else ["…"] + [""] * (len(self.columns) - 1)
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
