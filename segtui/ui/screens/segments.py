"""The list of unlogged segments, segtui's start screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from segtui.domain import segmentation
from segtui.i18n import _
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.listing import TableScreen, refill, selected_key
from segtui.ui.text import format_count, plain
from segtui.ui.widgets.virtual_table import RowTable


class SegmentListScreen(TableScreen):
    SCREEN_TITLE = _("Segments")
    HELP = _(
        "All segments that are not logged yet. A segment is a worksheet of contacts "
        "that get the same interaction, such as a letter. Create one with n, open it "
        "with Enter to add contacts and log it. v (or F4 anywhere) lists the criteria "
        "saved from segments."
    )

    MARKETING_ACTIONS = frozenset({"new", "delete"})
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"logged_segments", "saved_criteria"})
    FOOTER_ESSENTIAL = frozenset({"new", "delete", "quit"})

    BINDINGS = [
        Binding("n", "new", _("New"), tooltip=_("Create a segment")),
        Binding("enter", "open", _("Open"), tooltip=_("Open the segment's worksheet")),
        Binding("d,delete", "delete", _("Delete"), tooltip=_("Delete the segment")),
        Binding(
            "l",
            "app.logged_segments",
            _("Logged"),
            tooltip=_("Show the logged segments"),
        ),
        Binding(
            "v",
            "app.saved_criteria",
            _("Saved criteria"),
            tooltip=_("Show the saved criteria, to view or delete them"),
        ),
        Binding("r,f5", "refresh", _("Refresh"), tooltip=_("Read the segments again")),
        Binding("q", "app.quit", _("Quit"), tooltip=_("Quit segtui")),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = RowTable(id="segments")
        columns = [
            (_("No."), "no", 9),
            (_("Description"), "description", 32),
            (_("Date"), "date", 10),
            (_("Salesp."), "salesperson", 7),
            (_("Lines"), "lines", 7),
        ]
        self.add_columns(table, columns, ("description",))
        yield table
        yield from self.compose_footer()

    def on_screen_resume(self) -> None:
        # This runs when the screen is first shown too, so the list is read once.
        self.action_refresh()

    def action_refresh(self, select: str | None = None) -> None:
        self.run(
            segmentation.list_segments,
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(
        self, rows: list[segmentation.SegmentSummary], select: str | None = None
    ) -> None:
        table = self.query_one("#segments", DataTable)
        with refill(table, select):
            for row in rows:
                table.add_row(
                    plain(row.no),
                    plain(row.description),
                    plain(row.date),
                    plain(row.salesperson_code),
                    plain(format_count(row.lines).rjust(6)),
                    key=row.no,
                )
        self.set_title(_("Segments ({count})").format(count=format_count(len(rows))))
        table.focus()

    def selected_no(self) -> str | None:
        return selected_key(self.query_one("#segments", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_new(self) -> None:
        # Imported here: the dialogs module brings the logging code, which the
        # first screen does not need, so segtui starts sooner.
        from segtui.ui.screens.segment_dialogs import NewSegmentDialog

        def created(no: str | None) -> None:
            if no:
                self.app.open_worksheet(no)

        self.app.push_screen(NewSegmentDialog(), created)

    def action_open(self) -> None:
        no = self.selected_no()
        if no is None:
            self.notify(
                _("There is no segment yet; press n to create one."), markup=False
            )
            return
        self.app.open_worksheet(no)

    def action_delete(self) -> None:
        no = self.selected_no()
        if no is None:
            return
        table = self.query_one("#segments", DataTable)
        description = table.get_row(no)[1].plain

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: segmentation.delete_segment(no, user=self.app.user),
                    lambda _result: self.deleted(no),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete segment"),
                _("Delete segment {no} {description} with all its lines?").format(
                    no=no, description=description
                ),
                help=_(
                    "Yes deletes the unlogged segment with its lines and criteria for "
                    "good; there is no undo, and Go Back cannot bring it back. Its "
                    "contacts and the logged segments are not changed. No and Esc "
                    "keep the segment."
                ),
            ),
            answered,
        )

    def deleted(self, no: str) -> None:
        self.notify(_("Segment {no} deleted.").format(no=no), markup=False)
        self.action_refresh()
