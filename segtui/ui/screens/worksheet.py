"""The segment worksheet: the header in brief and the lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from segtui.domain import line_editing, line_letters, segment_actions, segmentation
from segtui.domain.segment_logging import LogResult
from segtui.domain.text import no_value
from segtui.i18n import _, pgettext
from segtui.models import SegmentHeader, SegmentLine
from segtui.ui.screens.criteria import builder_for
from segtui.ui.screens.criteria_list import CriteriaListScreen, offer_step
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.letter_dialogs import (
    ExportLetterDialog,
    ImportLetterDialog,
    LetterPreviewDialog,
)
from segtui.ui.screens.line_dialog import LineDialog, LineForm, load_line_form
from segtui.ui.screens.listing import TableScreen
from segtui.ui.screens.segment_dialogs import (
    RELOAD,
    HeaderDialog,
    InsertLineDialog,
    LogDialog,
)
from segtui.ui.text import (
    correspondence_label,
    display,
    format_count,
    plain,
    truncate_cells,
)
from segtui.ui.widgets.virtual_table import WindowRow, WindowTable

# Lines read per page, and the max lines the table keeps, whatever the segment's size.
PAGE_SIZE = 100
WINDOW_SIZE = 500


@dataclass
class WorksheetData:
    header: SegmentHeader
    template_description: str
    line_count: int
    # The index of the first line read, and the lines from there on.
    offset: int
    lines: list[WindowRow]
    # The line under the cursor when the read started, and the row key of the line
    # that gets the cursor now. That is the same line if it still exists, else the
    # nearest line left.
    cursor_line: int | None = None
    cursor_key: str | None = None


def line_rows(no: str, offset: int, limit: int, total: int) -> list[WindowRow]:
    """Read a page of a segment's lines as table rows, in line order.

    ``total`` is the segment's line count, so pages near the end are read from there.
    """
    return [
        WindowRow(
            key=str(line.line_no),
            cells=(
                plain(line.contact_no),
                plain(line.contact_name),
                plain(line.company_name),
                plain(correspondence_label(line.correspondence_type)),
                plain(line.language_code),
                plain(line.salesperson_code),
            ),
        )
        for line in segmentation.segment_lines(no, offset, limit, total)
    ]


def lines_before(no: str, line_no: int) -> int:
    """Return how many of the segment's lines have a lower line number."""
    return (
        SegmentLine.select()
        .where((SegmentLine.segment == no) & (SegmentLine.line_no < line_no))
        .count()
    )


def load_worksheet(
    no: str, offset: int, limit: int, cursor_line: int | None = None
) -> WorksheetData:
    """Read the header, the line count and ``limit`` lines from ``offset`` on.

    With ``cursor_line``, the lines read include that line, or where it was
    removed the next line after it, or else the last line. So after lines were
    removed the cursor can stay on its contact or move to the nearest line left.
    An offset past the last page, after lines were removed, reads the last page.
    """
    header = segmentation.get_segment(no)
    template = header.interaction_template
    line_count = segmentation.count_lines(no)
    cursor_index = None
    if cursor_line is not None and line_count:
        cursor_index = min(lines_before(no, cursor_line), line_count - 1)
        if not offset <= cursor_index < offset + limit:
            offset = cursor_index - limit // 2
    offset = max(0, min(offset, line_count - limit))
    lines = line_rows(no, offset, limit, line_count)
    cursor_key = None
    if cursor_index is not None and 0 <= cursor_index - offset < len(lines):
        cursor_key = lines[cursor_index - offset].key
    return WorksheetData(
        header=header,
        template_description=template.description if template else "",
        line_count=line_count,
        offset=offset,
        lines=lines,
        cursor_line=cursor_line,
        cursor_key=cursor_key,
    )


class WorksheetScreen(TableScreen):
    HELP = _(
        "A segment's worksheet. The header's values (template, salesperson, "
        "correspondence type, cost, ...) flow to every line. Add contacts by criteria "
        "with a, insert one contact with i, set the interaction template with e, and log "
        "the segment with l: one interaction log entry and one Word letter per line."
        "\n\nReduce (r) removes the lines whose contacts match filters, and Refine "
        "(k) keeps only those. Every change is an action in the criteria list (c). "
        "Go Back (b) undoes the last action, restoring the lines exactly, and Go "
        "Forward (f) redoes it."
        "\n\nEnter edits a line: its template, language, subject, contact and a "
        "personal note merged into the letter. p shows the line's letter as text. "
        "x exports the merged letter as a .docx to edit in Word, and m imports the "
        "edited file as the line's own letter, which logging then sends as it is."
    )

    MARKETING_ACTIONS = frozenset(
        {
            "criteria",
            "go_back",
            "go_forward",
            "insert_line",
            "delete_line",
            "edit_header",
            "log",
            "edit_line",
            "import_letter",
        }
    )
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"criteria_list", "preview"})
    # In a terminal too narrow for all the keys, Refine and Reduce give way first.
    FOOTER_DROP_TO_FIT = ("criteria_refine", "criteria_reduce")
    # Header is here because logging needs a template on every line, which the
    # header sets, and a follow-up segment starts without one.
    FOOTER_ESSENTIAL = frozenset(
        {"criteria_add", "criteria_reduce", "criteria_refine", "edit_header", "log"}
    )

    BINDINGS = [
        Binding(
            "a",
            "criteria('add')",
            _("Add"),
            tooltip=_("Add contacts by criteria"),
        ),
        Binding(
            "r",
            "criteria('reduce')",
            _("Reduce"),
            tooltip=_("Remove the lines whose contacts match criteria"),
        ),
        Binding(
            "k",
            "criteria('refine')",
            _("Refine"),
            tooltip=_("Keep only the lines whose contacts match criteria"),
        ),
        Binding(
            "c",
            "criteria_list",
            _("Criteria"),
            tooltip=_("Show the actions that built the segment; save or reuse them"),
        ),
        Binding(
            "b",
            "go_back",
            _("Go back"),
            show=False,
            tooltip=_("Undo the last action, restoring the lines exactly"),
        ),
        Binding(
            "f",
            "go_forward",
            _("Go forward"),
            show=False,
            tooltip=_("Redo the action that Go Back undid"),
        ),
        Binding(
            "i,insert",
            "insert_line",
            _("Insert"),
            show=False,
            tooltip=_("Insert a line for one contact"),
        ),
        Binding(
            "d,delete",
            "delete_line",
            _("Delete"),
            show=False,
            tooltip=_("Delete the selected line"),
        ),
        Binding(
            "e",
            "edit_header",
            _("Header"),
            tooltip=_("Edit the header: template, salesperson, ..."),
        ),
        # The German "Protokollieren" would leave no room for Header in an 80-column
        # footer, so the worksheet's key has a label of its own.
        Binding(
            "l,f9",
            "log",
            pgettext("worksheet key", "Log"),
            tooltip=_("Log the segment: entries and letters"),
        ),
        Binding(
            "f5",
            "refresh",
            _("Refresh"),
            show=False,
            tooltip=_("Read the segment again"),
        ),
        Binding(
            "p",
            "preview",
            _("Preview"),
            tooltip=_("Show the selected line's letter as text, as logging merges it"),
        ),
        Binding(
            "x",
            "export_letter",
            _("Export letter"),
            show=False,
            tooltip=_("Write the selected line's merged letter as a .docx to edit"),
        ),
        Binding(
            "m",
            "import_letter",
            _("Own letter"),
            show=False,
            tooltip=_("Import an edited .docx as the line's own letter, or drop it"),
        ),
        Binding(
            "enter",
            "edit_line",
            _("Edit line"),
            show=False,
            tooltip=_("Change the selected line's template, subject or personal note"),
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the segment list")),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.data: WorksheetData | None = None

    def title_text(self) -> str:
        return _("Segment {no}").format(no=self.segment_no)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="header-summary", markup=False)
        table = WindowTable(id="lines", page_rows=PAGE_SIZE, max_rows=WINDOW_SIZE)
        columns = [
            (_("Contact"), "contact_no", 8),
            (_("Name"), "name", 24),
            (_("Company"), "company", 17),
            (_("Corr."), "corr", 9),
            (_("Lang"), "language", 4),
            (_("SP"), "salesperson", 4),
        ]
        self.add_columns(table, columns, ("name", "company"))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        no = self.segment_no
        offset, limit = self.query_one("#lines", WindowTable).reload_span()
        cursor_line = self.selected_line()
        self.run(
            lambda: load_worksheet(no, offset, limit, cursor_line),
            self.show,
            group="load",
            exclusive=True,
        )

    def show(self, data: WorksheetData) -> None:
        self.data = data
        header = data.header
        self.set_title(
            _("Segment {no}  {description}").format(
                no=header.no, description=header.description
            )
        )
        self.show_summary(self.app.size.width)

        table = self.query_one("#lines", WindowTable)
        selected = self.selected_line()
        keep = str(selected) if selected is not None else None
        if selected == data.cursor_line and data.cursor_key is not None:
            # The cursor has not moved since the read started, so it goes to the
            # line that the read found.
            keep = data.cursor_key
        no, total = self.segment_no, data.line_count
        self.fit_column(table, "contact_no", (row.cells[0] for row in data.lines))
        table.show_rows(
            data.line_count,
            data.offset,
            data.lines,
            lambda offset, limit: line_rows(no, offset, limit, total),
            keep=keep,
        )
        table.focus()

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        if self.data is not None:
            self.show_summary(event.size.width)

    def show_summary(self, width: int) -> None:
        """Show the header's fields above the lines, each line fitting ``width``.

        The template's description is cut with ~ to what the first line leaves
        over, so the line does not wrap and push the date onto the next. Without a
        template, which logging needs, the line names the key that sets one if
        that fits whole.
        """
        data = self.data
        assert data is not None
        header = data.header
        template = header.interaction_template_code or no_value()
        salesperson = [
            ("   " + _("Salesperson: "), "bold"),
            (header.salesperson_code or _("(contact's)"), ""),
            ("   " + _("Date: "), "bold"),
            (display(header.date), ""),
        ]
        # The summary has one cell of padding on either side.
        room = width - 2 - cell_len(_("Template: ")) - cell_len(template)
        room -= sum(cell_len(text) for text, _style in salesperson)
        description = data.template_description
        if description and room > 1:
            template += " " + truncate_cells(description, room - 1)
        header_key = self.key_in_effect("edit_header")
        if not header.interaction_template_code and header_key:
            hint = ", " + _("press {key} to set").format(key=header_key)
            if cell_len(hint) <= room:
                template += hint
        summary = Text()
        summary.append(_("Template: "), style="bold")
        summary.append(template)
        for text, style in salesperson:
            summary.append(text, style=style)
        summary.append("\n")
        summary.append(_("Corresp.: "), style="bold")
        summary.append(correspondence_label(header.correspondence_type) or no_value())
        if header.ignore_contact_corresp_type:
            summary.append(" " + _("(for all)"))
        summary.append("   " + _("Language: "), style="bold")
        summary.append(header.language_code or no_value())
        summary.append("   " + _("Cost: "), style="bold")
        summary.append(display(header.unit_cost))
        summary.append("   " + _("Lines: "), style="bold")
        summary.append(format_count(data.line_count))
        if header.subject:
            summary.append("\n")
            summary.append(_("Subject: "), style="bold")
            summary.append(header.subject)
        self.query_one("#header-summary", Static).update(summary)

    def selected_line(self) -> int | None:
        table = self.query_one("#lines", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_line()

    def record_exists(self) -> bool:
        return (
            SegmentHeader.select().where(SegmentHeader.no == self.segment_no).exists()
        )

    def deleted_message(self) -> str:
        return _("Segment {no} was deleted.").format(no=self.segment_no)

    def record_resumed(self) -> None:
        # Back from another full screen, show what others changed meanwhile. A
        # dialog's own result decides instead, since logging removes the segment.
        if self.data is not None:
            self.action_refresh()

    def open_screen(self, screen: Any, closed: Any) -> None:
        """Push a full screen; the worksheet reads itself again on return."""
        self.app.push_screen(screen, closed)

    def action_edit_line(self) -> None:
        line_no = self.selected_line()
        if line_no is None:
            return
        no = self.segment_no

        def opened(form: LineForm) -> None:
            dialog = LineDialog(form)

            def closed(saved: bool | str | None) -> None:
                if saved == RELOAD:
                    self.action_refresh()
                elif saved:
                    self.after_change(
                        _("Line of contact {contact} saved.").format(
                            contact=dialog.saved_contact
                        )
                    )

            self.app.push_screen(dialog, closed)

        self.run(lambda: load_line_form(no, line_no), opened)

    def action_back(self) -> None:
        self.dismiss(None)

    def selected_contact_label(self, line_no: int) -> str:
        """Return the line's contact as the table shows it: its number and name.

        Messages name a line by its contact, because the worksheet does not show
        line numbers.
        """
        row = self.query_one("#lines", DataTable).get_row(str(line_no))
        return f"{row[0].plain} {row[1].plain}".strip()

    def action_preview(self) -> None:
        line_no = self.selected_line()
        if line_no is None:
            return
        no, contact_label = self.segment_no, self.selected_contact_label(line_no)
        title = _("Letter to {contact}").format(contact=contact_label)
        self.run(
            lambda: line_letters.line_letter_text(no, line_no),
            lambda text: self.app.push_screen(LetterPreviewDialog(title, text)),
        )

    def action_export_letter(self) -> None:
        line_no = self.selected_line()
        if line_no is None:
            return

        def closed(path: Any) -> None:
            if path:
                self.notify(
                    _("Letter written to {path}.").format(path=path), markup=False
                )

        self.app.push_screen(
            ExportLetterDialog(
                self.segment_no, line_no, self.selected_contact_label(line_no)
            ),
            closed,
        )

    def action_import_letter(self) -> None:
        line_no = self.selected_line()
        if line_no is None:
            return
        no, contact_label = self.segment_no, self.selected_contact_label(line_no)

        def opened(own_letter: str) -> None:
            def closed(message: str | None) -> None:
                if message:
                    self.after_change(message)

            self.app.push_screen(
                ImportLetterDialog(no, line_no, contact_label, own_letter), closed
            )

        self.run(
            lambda: line_letters.own_letter_name(line_editing.get_line(no, line_no)),
            opened,
        )

    def action_criteria(self, action: str) -> None:
        def closed(message: str | None) -> None:
            if message is not None:
                self.after_change(message)

        description = self.data.header.description if self.data else ""
        screen = builder_for(action)(self.segment_no, description)
        self.open_screen(screen, closed)

    def action_criteria_list(self) -> None:
        def closed(changed: bool | None) -> None:
            if changed:
                self.action_refresh()

        self.open_screen(CriteriaListScreen(self.segment_no), closed)

    def action_go_back(self) -> None:
        offer_step(self, self.segment_no, "back", self.after_change)

    def action_go_forward(self) -> None:
        offer_step(self, self.segment_no, "forward", self.after_change)

    def action_insert_line(self) -> None:
        def inserted(contact_no: str | None) -> None:
            if contact_no:
                self.after_change(_("Contact {no} added.").format(no=contact_no))

        self.app.push_screen(InsertLineDialog(self.segment_no), inserted)

    def action_delete_line(self) -> None:
        line_no = self.selected_line()
        if line_no is None:
            return
        contact = self.selected_contact_label(line_no)
        # The question adds the company, to tell apart persons of the same name.
        company = self.query_one("#lines", DataTable).get_row(str(line_no))[2].plain
        contact_and_company = f"{contact} ({company})" if company else contact

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            no, user = self.segment_no, self.app.user  # type: ignore[attr-defined]
            self.run(
                lambda: segment_actions.delete_lines(no, [line_no], user=user),
                lambda _result: self.after_change(
                    _("Line of contact {contact} deleted.").format(contact=contact)
                ),
            )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete line"),
                _("Delete the line of contact {contact}?").format(
                    contact=contact_and_company
                ),
                help=_(
                    "Yes deletes this line from the segment, as one action of its "
                    "criteria. Go Back (b) brings the line back as it was. The "
                    "contact itself is not changed. No and Esc keep the line."
                ),
            ),
            answered,
        )

    def after_change(self, message: str) -> None:
        self.notify(message, markup=False)
        self.action_refresh()

    def action_edit_header(self) -> None:
        if self.data is None:
            return

        def closed(saved: bool | str | None) -> None:
            if saved == RELOAD:
                self.action_refresh()
            elif saved:
                self.after_change(_("Header saved."))

        self.app.push_screen(
            HeaderDialog(self.data.header, self.data.line_count), closed
        )

    def action_log(self) -> None:
        if self.data is None:
            return

        def closed(result: LogResult | None) -> None:
            if result is not None:
                self.dismiss(result)

        self.app.push_screen(LogDialog(self.segment_no, self.data.line_count), closed)
