"""Logged segments, and one logged segment's interaction log entries."""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from peewee import fn
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from segtui.domain import clock, delivery, history, logged_segments
from segtui.i18n import _, ngettext, pgettext
from segtui.models import InteractionLogEntry, LoggedSegment
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.history import (
    entry_state,
    offer_entries_cancel,
    save_entry_letter,
    show_letter,
    state_width,
)
from segtui.ui.screens.listing import ListScreen, new_table, refill, selected_key
from segtui.ui.screens.logged_actions import (
    numbers_text,
    offer_cancel,
    offer_delete_canceled,
    offer_follow_up,
    offer_non_responders,
)
from segtui.ui.screens.timeline import Timeline
from segtui.ui.text import correspondence_label, display, format_count, plain
from segtui.ui.toast_text import report_toast_lines, toast_text_width
from segtui.ui.widgets.virtual_table import WindowRow, WindowTable

__all__ = [
    "LoggedSegmentListScreen",
    "LoggedSegmentScreen",
    "logged_status",
    "offer_follow_up",
]

# Entries read per page of a logged segment. The table keeps at most two pages,
# whatever the count.
PAGE_SIZE = 200
# The mark of a logged segment picked for canceling, shown in its own column.
MARK = "*"


def logged_status(summary: logged_segments.LoggedSegmentSummary) -> str:
    """Return a logged segment's state as words: canceled, failed letters, or done."""
    if summary.canceled:
        return _("canceled")
    if summary.failed:
        return _("{count} failed").format(count=format_count(summary.failed))
    if summary.unfinished:
        return _("{count} open").format(count=format_count(summary.unfinished))
    return _("done")


def logged_status_width() -> int:
    """Return the cells the longest word of ``logged_status`` needs, for up to 99
    failed or open letters, in the language of the interface.

    The list widens the column for a longer state it shows.
    """
    words = [
        _("canceled"),
        _("done"),
        _("{count} failed").format(count=format_count(99)),
        _("{count} open").format(count=format_count(99)),
    ]
    return max(cell_len(word) for word in words)


class LoggedSegmentListScreen(ListScreen):
    SCREEN_TITLE = _("Logged segments")
    HELP = _(
        "Every logging run, newest first: which segment was logged, when, and with "
        "how many interactions that count (canceled ones do not). Enter shows its "
        "interaction log entries. m marks or unmarks a logged segment; x cancels "
        "the marked ones (or the selected one) with all their entries after one "
        "question, u un-cancels them. d deletes every canceled logged segment and "
        "entry after one question (admin only). f creates a follow-up segment, n "
        "one of the contacts that did not respond."
    )

    MARKETING_ACTIONS = frozenset({"follow_up", "non_responders", "cancel", "uncancel"})
    FOOTER_WIDE_ONLY = frozenset({"uncancel", "refresh"})
    FOOTER_DROP_TO_FIT = ("mark",)
    ADMIN_ACTIONS = frozenset({"delete_canceled"})

    FOOTER_ESSENTIAL = frozenset({"mark", "cancel", "follow_up"})

    BINDINGS = [
        Binding("enter", "open", _("Open"), tooltip=_("Show the entries")),
        Binding("m", "mark", _("Mark"), tooltip=_("Mark or unmark for canceling")),
        Binding(
            "x",
            "cancel",
            pgettext("logged segment", "Cancel"),
            tooltip=_("Cancel the marked or selected"),
        ),
        Binding(
            "u",
            "uncancel",
            _("Un-cancel"),
            tooltip=_("Un-cancel the marked or selected"),
        ),
        Binding(
            "f", "follow_up", _("Follow-up"), tooltip=_("Create a follow-up segment")
        ),
        Binding(
            "n",
            "non_responders",
            _("Non-responders"),
            show=False,
            tooltip=_("Create a segment of the contacts that did not respond"),
        ),
        # Not ctrl+d: that key pages down in long lists.
        Binding(
            "d,delete",
            "delete_canceled",
            _("Delete canceled"),
            show=False,
            tooltip=_("Delete every canceled logged segment and entry"),
        ),
        Binding("r,f5", "refresh", _("Refresh"), tooltip=_("Read the list again")),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marked: set[int] = set()
        self.summaries: dict[int, logged_segments.LoggedSegmentSummary] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("logged", [])
        columns = [
            (_("M"), "mark", 1),
            (_("Entry"), "entry_no", 6),
            (_("Segment"), "segment_no", 9),
            (_("Description"), "description", 17),
            (_("Logged at"), "created_at", 16),
            (_("Inter."), "interactions", 6),
            (_("Status"), "status", logged_status_width()),
        ]
        self.add_columns(table, columns, ("description",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.run(
            logged_segments.list_logged_segments,
            self.show,
            group="load",
            exclusive=True,
        )

    def show(self, rows: list[logged_segments.LoggedSegmentSummary]) -> None:
        table = self.query_one("#logged", DataTable)
        self.summaries = {row.entry_no: row for row in rows}
        self.marked &= set(self.summaries)
        with refill(table):
            for row in rows:
                table.add_row(
                    plain(MARK if row.entry_no in self.marked else ""),
                    plain(row.entry_no),
                    plain(row.segment_no),
                    plain(row.description),
                    plain(row.created_at),
                    plain(format_count(row.interactions).rjust(5)),
                    plain(logged_status(row)),
                    key=str(row.entry_no),
                )
        self.fit_column(table, "entry_no", (row.entry_no for row in rows))
        self.fit_column(table, "segment_no", (row.segment_no for row in rows))
        self.fit_column(
            table, "interactions", (format_count(r.interactions) for r in rows)
        )
        self.fit_column(table, "status", (logged_status(row) for row in rows))
        self.set_title(
            _("Logged segments ({count})").format(count=format_count(len(rows)))
        )
        table.focus()

    def selected_entry(self) -> int | None:
        key = selected_key(self.query_one("#logged", DataTable))
        return int(key) if key is not None else None

    def chosen_entries(self) -> list[int]:
        """Return the marked logged segments, or else the selected one."""
        if self.marked:
            return sorted(self.marked)
        selected = self.selected_entry()
        return [selected] if selected is not None else []

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is not None:
            self.app.push_screen(LoggedSegmentScreen(entry_no))

    def action_mark(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is None:
            return
        self.marked ^= {entry_no}
        table = self.query_one("#logged", DataTable)
        table.update_cell(
            str(entry_no), "mark", plain(MARK if entry_no in self.marked else "")
        )
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def after_cancel(self) -> None:
        self.marked.clear()
        self.action_refresh()

    def action_cancel(self) -> None:
        numbers = [n for n in self.chosen_entries() if not self.summaries[n].canceled]
        if not numbers:
            self.notify(
                _("The chosen logged segments are canceled already."), markup=False
            )
            return
        offer_cancel(self, numbers, True, self.after_cancel)

    def action_uncancel(self) -> None:
        numbers = [n for n in self.chosen_entries() if self.summaries[n].canceled]
        if not numbers:
            self.notify(
                _("None of the chosen logged segments is canceled."), markup=False
            )
            return
        offer_cancel(self, numbers, False, self.after_cancel)

    def action_delete_canceled(self) -> None:
        offer_delete_canceled(self, self.after_cancel)

    def action_follow_up(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is not None:
            offer_follow_up(self, entry_no)

    def action_non_responders(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is not None:
            since = self.summaries[entry_no].created_at.date()
            offer_non_responders(self, entry_no, since)

    def action_back(self) -> None:
        self.dismiss(None)


@dataclass
class LoggedSegmentData:
    summary: logged_segments.LoggedSegmentSummary
    # The index of the first entry read, and the entries from there on.
    offset: int
    entries: list[WindowRow]
    # All entries of the logged segment, canceled ones included.
    count: int
    totals: history.Totals
    months: list[history.MonthCount]


def entry_rows(
    entry_no: int, offset: int, limit: int, total: int, marked: AbstractSet[int]
) -> list[WindowRow]:
    """Read a page of a logged segment's entries as table rows, each row carrying
    its entry, with the numbers in ``marked`` shown marked.

    ``total`` is the entry count, so pages near the end are read from there.
    """
    return [
        WindowRow(
            key=str(entry.entry_no),
            cells=(
                plain(entry_label(entry.entry_no, marked)),
                plain(entry.contact_no),
                plain(entry.contact_name),
                plain(correspondence_label(entry.correspondence_type)),
                plain(entry_state(entry)),
                plain(
                    entry.contact_company_name
                    if entry.contact_company_no != entry.contact_no
                    else ""
                ),
            ),
            value=entry,
        )
        for entry in logged_segments.logged_entries(entry_no, offset, limit, total)
    ]


def entry_label(entry_no: int, marked: AbstractSet[int]) -> str:
    return f"{MARK}{entry_no}" if entry_no in marked else str(entry_no)


def load_logged(
    entry_no: int, limit: int, offset: int = 0, marked: AbstractSet[int] = frozenset()
) -> LoggedSegmentData:
    """Read the summary, totals, chart and ``limit`` entries from ``offset`` on,
    with the numbers in ``marked`` shown marked."""
    of_logged = InteractionLogEntry.logged_segment == entry_no
    summary = logged_segments.get_logged_segment(entry_no)
    count = summary.interactions + summary.canceled_entries
    offset = max(0, min(offset, count - limit))
    last = (
        InteractionLogEntry.select(fn.MAX(InteractionLogEntry.date))
        .where(of_logged)
        .scalar()
    )
    return LoggedSegmentData(
        summary,
        offset,
        entry_rows(entry_no, offset, limit, count, marked),
        count,
        history.totals(of_logged),
        history.timeline(of_logged, end=max(last, clock.today()) if last else None),
    )


def read_entries(numbers: list[int]) -> list[InteractionLogEntry]:
    """Read the entries with these numbers, in number order, skipping deleted ones."""
    if not numbers:
        return []
    entries = history.list_entries(InteractionLogEntry.entry_no.in_(numbers))
    return sorted(entries, key=lambda entry: entry.entry_no)


class LoggedSegmentScreen(ListScreen):
    HELP = _(
        "One logged segment: an interaction log entry per contact, with its delivery "
        "status and the file of its letter, a chart of its interactions per month "
        "and their totals. Canceled entries show canceled and are not counted. v "
        "shows an entry's letter as text and w saves it as a Word file; f creates a "
        "follow-up segment with the same contacts, n one of the contacts that did "
        "not respond. m marks an entry (* before its number); x cancels the "
        "marked entries, or the selected one, and u un-cancels them. X (Shift+X) "
        "cancels the whole logged segment with all its entries, U (Shift+U) "
        "un-cancels it; each asks first. s writes and delivers the letters that "
        "failed or were not written; e writes and delivers the marked entries, or "
        "the selected one, again whatever their status."
    )

    FOOTER_WIDE_ONLY = frozenset({"uncancel_entries"})
    # In terminals narrower than 80 columns canceling entries, a rare step, gives
    # way before the main job's follow-up segment.
    FOOTER_DROP_TO_FIT = ("cancel_entries", "follow_up")
    MARKETING_ACTIONS = frozenset(
        {
            "follow_up",
            "send_again",
            "send_entries",
            "cancel_entries",
            "uncancel_entries",
            "cancel",
            "uncancel",
            "non_responders",
        }
    )

    FOOTER_ESSENTIAL = frozenset(
        {"view_letter", "follow_up", "cancel_entries", "send_again"}
    )

    BINDINGS = [
        Binding(
            "v,enter",
            "view_letter",
            _("Letter"),
            tooltip=_("Show the entry's letter as text"),
        ),
        Binding(
            "w",
            "save_letter",
            _("Save .docx"),
            show=False,
            tooltip=_("Write the letter as a Word file"),
        ),
        Binding(
            "f", "follow_up", _("Follow-up"), tooltip=_("Create a follow-up segment")
        ),
        Binding(
            "n",
            "non_responders",
            _("Non-resp."),
            show=False,
            tooltip=_("Create a segment of the contacts that did not respond"),
        ),
        Binding(
            "x",
            "cancel_entries",
            pgettext("interaction log entry", "Cancel"),
            tooltip=_("Cancel the marked entries, or the selected one"),
        ),
        Binding(
            "u",
            "uncancel_entries",
            _("Un-cancel"),
            tooltip=_("Un-cancel the marked entries, or the selected one"),
        ),
        # Shifted, so that x pressed by habit never cancels the whole segment.
        Binding(
            "X",
            "cancel",
            _("Cancel all"),
            show=False,
            tooltip=_("Cancel the logged segment with all its entries"),
        ),
        Binding(
            "U",
            "uncancel",
            _("Un-cancel all"),
            show=False,
            tooltip=_("Un-cancel the logged segment with all its entries"),
        ),
        Binding(
            "s",
            "send_again",
            _("Send again"),
            tooltip=_("Write and deliver the letters that failed or were not written"),
        ),
        Binding(
            "m",
            "mark",
            _("Mark"),
            show=False,
            tooltip=_("Mark or unmark the entry for canceling or sending again"),
        ),
        Binding(
            "y",
            "copy_folder",
            _("Copy folder"),
            show=False,
            tooltip=_("Copy the folder of the letters to the clipboard"),
        ),
        Binding(
            "e",
            "send_entries",
            _("Send entries"),
            show=False,
            tooltip=_(
                "Write and deliver the marked entries, or the selected one, again"
            ),
        ),
        # Not shown in the footer, so Back still fits at 80 columns; F1 lists it.
        Binding(
            "r,f5",
            "refresh",
            _("Refresh"),
            show=False,
            tooltip=_("Read the entries again"),
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self, entry_no: int, message: str = "") -> None:
        super().__init__()
        # Set to stop letters written again, when segtui quits while they run.
        self.entry_no = entry_no
        # The outcome of the logging run, shown under the summary while it is true.
        self.message = message
        self.message_counts: tuple[int, ...] | None = None
        self.data: LoggedSegmentData | None = None
        # Entry numbers marked for canceling with x or u, or sending again with e.
        self.marked: set[int] = set()
        # The folders the entries' letters were written to, for copying with y.
        self.letter_folders: list[str] = []

    def title_text(self) -> str:
        return _("Logged segment {no}").format(no=self.entry_no)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="logged-summary", markup=False)
        yield Timeline(id="timeline")
        table = WindowTable(id="entries", page_rows=PAGE_SIZE)
        columns = [
            (_("Entry"), "entry_no", 6),
            (_("Contact"), "contact_no", 8),
            (_("Name"), "name", 18 - max(state_width() - 13, 0)),
            (_("Corr."), "corr", 9),
            (_("Status"), "status", state_width()),
            (_("Company"), "company", 12),
        ]
        self.add_columns(table, columns, ("name", "company"))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def record_exists(self) -> bool:
        return (
            LoggedSegment.select()
            .where(LoggedSegment.entry_no == self.entry_no)
            .exists()
        )

    def deleted_message(self) -> str:
        return _("Logged segment {no} was deleted.").format(no=self.entry_no)

    def record_resumed(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        entry_no = self.entry_no
        marked = set(self.marked)
        # The entries read again keep their place in the list. The table is
        # missing when the screen is mounted while segtui quits.
        table = next(iter(self.query("#entries").results(WindowTable)), None)
        offset, limit = table.reload_span() if table else (0, PAGE_SIZE)
        self.run(
            lambda: load_logged(entry_no, limit, offset, marked),
            self.show,
            group="load",
            exclusive=True,
        )

    def show(self, data: LoggedSegmentData) -> None:
        self.data = data
        summary = data.summary
        self.drop_outdated_message(summary)
        self.set_title(
            _("Logged segment {no}  {description}").format(
                no=summary.entry_no, description=summary.description
            )
        )
        # NOTE: the folders are those of the entries read, a page or two. A letter
        # written again to another folder shows only when its entry is among them.
        folders = {
            str(Path(row.value.document_path).parent)
            for row in data.entries
            if row.value.document_path
        }
        text = Text()
        text.append(_("Segment: "), style="bold")
        text.append(summary.segment_no)
        text.append("   " + _("Logged: "), style="bold")
        text.append(f"{display(summary.created_at)} {summary.user_id}")
        if summary.canceled:
            text.append("   " + _("canceled"), style="bold reverse")
        if summary.failed or summary.unfinished:
            text.append("\n")
            text.append(
                _(
                    "{failed} failed, {open} not written or sent yet: s finishes them."
                ).format(
                    failed=format_count(summary.failed),
                    open=format_count(summary.unfinished),
                ),
                style="bold",
            )
        self.letter_folders = sorted(folders)
        if folders:
            text.append("\n")
            text.append(_("Letters in: "), style="bold")
            text.append(", ".join(sorted(folders)))
        if self.message:
            text.append("\n")
            text.append(self.message)
        self.query_one("#logged-summary", Static).update(text)
        self.query_one("#timeline", Timeline).show(data.months, data.totals)

        table = self.query_one("#entries", WindowTable)
        current = selected_key(table)
        entry_no = self.entry_no
        count = data.count
        self.fit_column(table, "entry_no", (f"{MARK}{row.key}" for row in data.entries))
        self.fit_column(table, "contact_no", (row.cells[1] for row in data.entries))
        table.show_rows(
            count,
            data.offset,
            data.entries,
            lambda offset, limit: entry_rows(
                entry_no, offset, limit, count, self.marked
            ),
            keep=current,
        )
        table.focus()

    def drop_outdated_message(
        self, summary: logged_segments.LoggedSegmentSummary
    ) -> None:
        """Drop the logging run's message once an entry's count or state changed.

        The message counts the interactions and deliveries as they were when the
        segment was logged, so after a cancel or a resend it would contradict the
        summary and the totals below it.
        """
        counts = (
            summary.interactions,
            summary.canceled_entries,
            int(summary.canceled),
            summary.failed,
            summary.unfinished,
        )
        if self.message_counts is None:
            self.message_counts = counts
        elif counts != self.message_counts:
            self.message = ""

    def on_window_table_page_added(self, event: WindowTable.PageAdded) -> None:
        # Textual also calls TableScreen's handler, which fits the column to the
        # labels as read. This one leaves room for the mark of any entry read.
        labels = (f"{MARK}{row.key}" for row in event.rows)
        self.fit_column(event.table, "entry_no", labels)

    def action_copy_folder(self) -> None:
        """Copy the folder of the selected entry's letter, or the only folder."""
        entry = self.selected()
        if entry is not None and entry.document_path:
            folder = str(Path(entry.document_path).parent)
        elif len(self.letter_folders) == 1:
            folder = self.letter_folders[0]
        else:
            self.notify(_("Select an entry with a letter first."), markup=False)
            return
        self.app.copy_value(_("letter folder"), folder)  # type: ignore[attr-defined]

    def selected(self) -> InteractionLogEntry | None:
        entry = self.query_one("#entries", WindowTable).cursor_value
        return entry if isinstance(entry, InteractionLogEntry) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_view_letter()

    def action_view_letter(self) -> None:
        entry = self.selected()
        if entry is not None:
            show_letter(self, entry.entry_no)

    def action_save_letter(self) -> None:
        """Ask where to save the selected entry's letter, in its letters folder."""
        entry = self.selected()
        if entry is not None:
            save_entry_letter(self, entry)

    def action_cancel(self) -> None:
        """Ask, then cancel the whole logged segment with all its entries."""
        if self.data is not None and self.data.summary.canceled:
            self.notify(_("This logged segment is canceled already."), markup=False)
            return
        offer_cancel(self, [self.entry_no], True, self.after_cancel)

    def action_uncancel(self) -> None:
        """Ask, then un-cancel the whole logged segment with all its entries."""
        if self.data is not None and not self.data.summary.canceled:
            self.notify(_("This logged segment is not canceled."), markup=False)
            return
        offer_cancel(self, [self.entry_no], False, self.after_cancel)

    def with_chosen_entries(
        self, then: Callable[[list[InteractionLogEntry]], None]
    ) -> None:
        """Call ``then`` with the marked entries, or else the selected one.

        Marked entries are read again, because the table contains only a window
        of the entries and a mark may be on a row outside it.
        """
        if self.marked:
            numbers = sorted(self.marked)
            self.run(lambda: read_entries(numbers), then)
            return
        entry = self.selected()
        if entry is not None:
            then([entry])

    def action_cancel_entries(self) -> None:
        """Ask, then cancel the marked entries, or the selected one."""
        self.with_chosen_entries(
            lambda entries: offer_entries_cancel(self, entries, True, self.after_cancel)
        )

    def action_uncancel_entries(self) -> None:
        """Ask, then un-cancel the marked entries, or the selected one."""
        if self.data is not None and self.data.summary.canceled:
            self.notify(
                _(
                    "This logged segment is canceled, so its entries cannot be "
                    "un-canceled on their own; U un-cancels the logged segment."
                ),
                markup=False,
            )
            return
        self.with_chosen_entries(
            lambda entries: offer_entries_cancel(
                self, entries, False, self.after_cancel
            )
        )

    def after_cancel(self) -> None:
        self.marked.clear()
        self.action_refresh()

    def reject_second_send(self) -> bool:
        """Tell the user and return True while this segment's letters are being sent."""
        if not delivery.resending(self.entry_no):
            return False
        self.notify(
            _(
                "The letters of this logged segment are being sent again already; "
                "wait until that run ends."
            ),
            markup=False,
        )
        return True

    def action_send_again(self) -> None:
        entry_no = self.entry_no
        if self.reject_second_send():
            return

        def start(yes: bool | None) -> None:
            if not yes:
                return
            user = self.app.user  # type: ignore[attr-defined]
            self.send_with_progress(
                lambda progress, cancel: delivery.resend_logged_segment(
                    entry_no, user=user, progress=progress, cancel=cancel
                )
            )

        def asked(counts: delivery.ResendCounts) -> None:
            if counts.total == 0:
                self.notify(delivery.nothing_to_send_again(), markup=False)
                return
            self.app.push_screen(
                ConfirmDialog(
                    _("Send again"),
                    delivery.send_again_question(counts),
                    default=True,
                    help=_(
                        "Yes writes the letters the question counts: those never "
                        "written, such as the rest of a stopped log, those that "
                        "failed, those written but not delivered yet, and those "
                        "whose file was deleted. Letters still to deliver are "
                        "delivered: emails are sent, hard copies are marked sent. "
                        "An email goes to the contact's email address now, which "
                        "may differ from the one logged, and is skipped when the "
                        "contact has none. "
                        "Letters logged without delivery or delivered before are "
                        "only written, so no email goes out. Canceled entries are "
                        "skipped. Esc in the progress dialog stops the letters not "
                        "started yet. No and Esc send nothing."
                    ),
                ),
                start,
            )

        self.run(lambda: delivery.count_send_again(entry_no), asked)

    def action_mark(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.marked ^= {entry.entry_no}
        table = self.query_one("#entries", WindowTable)
        label = plain(entry_label(entry.entry_no, self.marked))
        table.update_window_cell(str(entry.entry_no), "entry_no", label)
        # The next row may lie beyond the window; past the last entry it stays.
        table.go_to(table.start + table.cursor_row + 1)

    def action_send_entries(self) -> None:
        """Ask, then write and deliver the marked entries, or the selected one."""
        if self.reject_second_send():
            return
        if self.marked:
            chosen = sorted(self.marked)
        else:
            entry = self.selected()
            if entry is None:
                return
            chosen = [entry.entry_no]
        entry_no = self.entry_no

        def start(yes: bool | None) -> None:
            if not yes:
                return
            user = self.app.user  # type: ignore[attr-defined]
            self.marked.clear()
            self.send_with_progress(
                lambda progress, cancel: delivery.resend_logged_segment(
                    entry_no,
                    user=user,
                    entry_nos=chosen,
                    progress=progress,
                    cancel=cancel,
                )
            )

        question = ngettext(
            "Write and deliver the letter of entry {numbers} again, whatever its "
            "status?",
            "Write and deliver the letters of the {count} entries {numbers} again, "
            "whatever their status?",
            len(chosen),
        ).format(count=format_count(len(chosen)), numbers=numbers_text(chosen))
        self.app.push_screen(
            ConfirmDialog(
                _("Send entries again"),
                question,
                default=True,
                help=_(
                    "Yes writes the letters of these entries again and delivers them, "
                    "even those delivered before: an email goes out a second time and "
                    "cannot be recalled. Canceled entries are never sent. Esc in the "
                    "progress dialog stops the letters not started yet. No and Esc "
                    "send nothing."
                ),
            ),
            start,
        )

    def send_with_progress(
        self,
        send: Callable[
            [Callable[[int, int], None], threading.Event], delivery.DeliveryReport
        ],
    ) -> None:
        """Run ``send`` in a dialog with a progress bar, where Esc stops the letters."""
        from segtui.ui.screens.send_dialog import SendAgainDialog

        def closed(report: delivery.DeliveryReport | None) -> None:
            if report is None:
                self.action_refresh()
            else:
                self.resent(report)

        self.app.push_screen(SendAgainDialog(_("Send again"), send), closed)

    def resent(self, report: delivery.DeliveryReport) -> None:
        folder = report.letters[0].parent if report.letters else Path()
        lines = report_toast_lines(report, folder, toast_text_width(self.app))
        self.notify("\n".join(lines) or _("Nothing was sent."), markup=False, timeout=8)
        self.action_refresh()

    def action_follow_up(self) -> None:
        offer_follow_up(self, self.entry_no)

    def action_non_responders(self) -> None:
        since = self.data.summary.created_at.date() if self.data else clock.today()
        offer_non_responders(self, self.entry_no, since)

    def action_back(self) -> None:
        self.dismiss(None)
