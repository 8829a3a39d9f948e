"""Logged segments, and one logged segment's interaction log entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from segtui.domain import delivery, logged_segments
from segtui.i18n import _
from segtui.models import InteractionLogEntry
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.dialogs import ConfirmDialog, MessageDialog
from segtui.ui.text import correspondence_label, delivery_label, display, plain


class LoggedSegmentListScreen(BaseScreen):
    SCREEN_TITLE = _("Logged segments")
    HELP = _(
        "Every logging run, newest first: which segment was logged, when, by whom and "
        "with how many interactions. Enter shows its interaction log entries."
    )

    MARKETING_ACTIONS = frozenset({"follow_up"})

    BINDINGS = [
        Binding("enter", "open", _("Open"), tooltip=_("Show the entries")),
        Binding(
            "f", "follow_up", _("Follow-up"), tooltip=_("Create a follow-up segment")
        ),
        Binding("r,f5", "refresh", _("Refresh"), tooltip=_("Read the list again")),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table: DataTable[Any] = DataTable(
            id="logged", cursor_type="row", zebra_stripes=True
        )
        table.add_column(_("Entry"), key="entry_no", width=6)
        table.add_column(_("Segment"), key="segment_no", width=9)
        table.add_column(_("Description"), key="description", width=22)
        table.add_column(_("Logged at"), key="created_at", width=16)
        table.add_column(_("Inter."), key="interactions", width=6)
        table.add_column(_("Status"), key="status", width=9)
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
        table.clear()
        for row in rows:
            table.add_row(
                plain(row.entry_no),
                plain(row.segment_no),
                plain(row.description),
                plain(row.created_at),
                plain(f"{row.interactions:>5}"),
                plain(logged_status(row)),
                key=str(row.entry_no),
            )
        self.set_title(_("Logged segments ({count})").format(count=len(rows)))
        table.focus()

    def selected_entry(self) -> int | None:
        table = self.query_one("#logged", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is not None:
            self.app.push_screen(LoggedSegmentScreen(entry_no))

    def action_follow_up(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is not None:
            offer_follow_up(self, entry_no)

    def action_back(self) -> None:
        self.dismiss(None)


def logged_status(summary: logged_segments.LoggedSegmentSummary) -> str:
    """Return a logged segment's state as words: canceled, failed letters, or done."""
    if summary.canceled:
        return _("canceled")
    if summary.failed:
        return _("{count} failed").format(count=summary.failed)
    if summary.unfinished:
        return _("{count} open").format(count=summary.unfinished)
    return _("done")


def offer_follow_up(screen: BaseScreen, entry_no: int) -> None:
    """Ask, then create a follow-up segment from a logged segment and open it."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        user = screen.app.user  # type: ignore[attr-defined]
        screen.run(
            lambda: logged_segments.create_follow_up_segment(entry_no, user=user).no,
            lambda no: screen.app.open_worksheet(no),  # type: ignore[attr-defined]
        )

    screen.app.push_screen(
        ConfirmDialog(
            _("Follow-up segment"),
            _("Create a new segment with the contacts of logged segment {no}?").format(
                no=entry_no
            ),
            default=True,
        ),
        answered,
    )


@dataclass
class LoggedSegmentData:
    summary: logged_segments.LoggedSegmentSummary
    entries: list[InteractionLogEntry]


class LoggedSegmentScreen(BaseScreen):
    HELP = _(
        "One logged segment: an interaction log entry per contact, with its delivery "
        "status and the file of its letter. v shows an entry's letter as text; f "
        "creates a follow-up segment with the same contacts."
    )

    MARKETING_ACTIONS = frozenset({"follow_up", "send_again"})

    BINDINGS = [
        Binding(
            "v,enter",
            "view_letter",
            _("Letter"),
            tooltip=_("Show the entry's letter as text"),
        ),
        Binding(
            "f", "follow_up", _("Follow-up"), tooltip=_("Create a follow-up segment")
        ),
        Binding(
            "s",
            "send_again",
            _("Send again"),
            tooltip=_("Write and deliver the letters that failed or were not written"),
        ),
        Binding("r,f5", "refresh", _("Refresh"), tooltip=_("Read the entries again")),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self, entry_no: int, message: str = "") -> None:
        super().__init__()
        self.entry_no = entry_no
        self.message = message

    def title_text(self) -> str:
        return _("Logged segment {no}").format(no=self.entry_no)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="logged-summary", markup=False)
        table: DataTable[Any] = DataTable(
            id="entries", cursor_type="row", zebra_stripes=True
        )
        table.add_column(_("Entry"), key="entry_no", width=6)
        table.add_column(_("Contact"), key="contact_no", width=8)
        table.add_column(_("Name"), key="name", width=18)
        table.add_column(_("Corr."), key="corr", width=9)
        table.add_column(_("Delivery"), key="status", width=13)
        table.add_column(_("Company"), key="company", width=14)
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        entry_no = self.entry_no

        def load() -> LoggedSegmentData:
            return LoggedSegmentData(
                logged_segments.get_logged_segment(entry_no),
                logged_segments.logged_entries(entry_no),
            )

        self.run(load, self.show, group="load", exclusive=True)

    def show(self, data: LoggedSegmentData) -> None:
        summary = data.summary
        self.set_title(
            _("Logged segment {no}  {description}").format(
                no=summary.entry_no, description=summary.description
            )
        )
        folders = {
            str(Path(e.document_path).parent) for e in data.entries if e.document_path
        }
        text = Text()
        text.append(_("Segment: "), style="bold")
        text.append(summary.segment_no)
        text.append("   " + _("Logged: "), style="bold")
        text.append(f"{display(summary.created_at)} {summary.user_id}")
        text.append("   " + _("Entries: "), style="bold")
        text.append(str(summary.interactions))
        if summary.canceled:
            text.append("   " + _("CANCELED"), style="bold")
        if summary.failed or summary.unfinished:
            text.append("\n")
            text.append(
                _(
                    "{failed} failed, {open} not written or delivered: s sends them again."
                ).format(failed=summary.failed, open=summary.unfinished),
                style="bold",
            )
        if folders:
            text.append("\n")
            text.append(_("Letters in: "), style="bold")
            text.append(", ".join(sorted(folders)))
        if self.message:
            text.append("\n")
            text.append(self.message)
        self.query_one("#logged-summary", Static).update(text)

        table = self.query_one("#entries", DataTable)
        table.clear()
        for entry in data.entries:
            table.add_row(
                plain(entry.entry_no),
                plain(entry.contact_no),
                plain(entry.contact_name),
                plain(correspondence_label(entry.correspondence_type)),
                plain(delivery_label(entry.delivery_status)),
                plain(
                    entry.contact_company_name
                    if entry.contact_company_no != entry.contact_no
                    else ""
                ),
                key=str(entry.entry_no),
            )
        table.focus()

    def selected_entry(self) -> int | None:
        table = self.query_one("#entries", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_view_letter()

    def action_view_letter(self) -> None:
        entry_no = self.selected_entry()
        if entry_no is None:
            return

        def shown(result: tuple[str | None, str]) -> None:
            text, error = result
            if text is None:
                self.notify(_("This entry has no letter."), markup=False)
                return
            if error:
                text = _("Delivery failed: {error}").format(error=error) + "\n\n" + text
            self.app.push_screen(
                MessageDialog(_("Letter of entry {no}").format(no=entry_no), text)
            )

        def load() -> tuple[str | None, str]:
            entry = InteractionLogEntry.get_by_id(entry_no)
            return logged_segments.entry_letter_text(entry_no), entry.delivery_error

        self.run(load, shown)

    def action_send_again(self) -> None:
        entry_no = self.entry_no

        def start(yes: bool | None) -> None:
            if not yes:
                return
            self.notify(_("Writing and sending the letters again ..."), markup=False)
            user = self.app.user  # type: ignore[attr-defined]
            self.run(
                lambda: delivery.resend_logged_segment(entry_no, user=user), self.resent
            )

        def asked(count: int) -> None:
            if count == 0:
                self.notify(
                    _("Nothing to send again: every letter was written and delivered."),
                    markup=False,
                )
                return
            question = _(
                "Write and deliver the {count} letters that failed or were not written?"
            ).format(count=count)
            self.app.push_screen(
                ConfirmDialog(_("Send again"), question, default=True), start
            )

        self.run(lambda: delivery.count_to_resend(entry_no), asked)

    def resent(self, report: delivery.DeliveryReport) -> None:
        folder = report.letters[0].parent if report.letters else Path()
        lines = delivery.describe_report(report, folder)
        self.notify("\n".join(lines) or _("Nothing was sent."), markup=False, timeout=8)
        self.action_refresh()

    def action_follow_up(self) -> None:
        offer_follow_up(self, self.entry_no)

    def action_back(self) -> None:
        self.dismiss(None)
