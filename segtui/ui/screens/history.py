"""The interaction history: log entries by filters, their chart, totals and letters."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Static

from segtui.domain import cancellation, delivery, history, logged_segments
from segtui.domain.history import EntryFilters
from segtui.i18n import _, inside_sentence, ngettext, pgettext
from segtui.models import InteractionLogEntry
from segtui.ui.handover import hand_over_file
from segtui.ui.screens.criteria_form import translated_example
from segtui.ui.screens.dialogs import ConfirmDialog, InputDialog, MessageDialog
from segtui.ui.screens.listing import ListScreen, selected_key
from segtui.ui.screens.logged_actions import entries_changed_message
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row
from segtui.ui.screens.timeline import Timeline
from segtui.ui.text import delivery_label, format_count, format_date, plain
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.widgets.virtual_table import WindowRow, WindowTable
from segtui.ui.worker import run_job

# Entries read per page. The table keeps at most two pages, whatever the count.
PAGE_SIZE = 200

# The keys the filter dialog offers, in order, with an example each. Examples that
# name data use the same values as FORM_FIELDS in criteria_form.py.
FILTER_FIELDS = (
    ("contact", "CT000001|CT000002"),
    ("company", "CT000001"),
    ("date", "2026-01-01..2026-06-30"),
    ("template", "LETTER"),
    ("group", "LETTER|EMAIL"),
    ("salesperson", "JO"),
    ("campaign", "SPRING"),
    ("segment", "SEG00001"),
    ("logged_segment", "1"),
    ("canceled", "no"),
    ("delivery_status", "failed"),
)


def shown_example(key: str, example: str) -> str:
    """Return a filter example as the interface language types it: 01.01.2026..."""
    if key == "date":
        first, last = example.split("..")
        return "..".join(format_date(date.fromisoformat(day)) for day in (first, last))
    if key == "delivery_status":
        return delivery_label(example)
    return translated_example(example)


def entry_state(entry: InteractionLogEntry) -> str:
    """Return an entry's state as a word: canceled, not written, or its delivery
    status."""
    return history.entry_state_word(entry)


def state_width() -> int:
    """Return the cells of the longest state word ``entry_state`` may return, in the
    language of the interface: 16 for the German "nicht zugestellt"."""
    return max(cell_len(word) for word in history.state_words())


def describe_entry_filters(filters: EntryFilters) -> str:
    """Render entry filters as ``date=01.12.2026..; delivery status=failed``, each
    field named by its label as the filter dialog names it."""
    fields = history.entry_fields()
    parts = []
    for key, expression in filters.items():
        field = fields.get(key)
        label = inside_sentence(field.label) if field else key
        parts.append(f"{label}={expression}")
    return "; ".join(parts)


@dataclass
class HistoryPage:
    # The index of the first entry read, and the entries from there on.
    offset: int
    entries: list[WindowRow]
    count: int
    totals: history.Totals
    months: list[history.MonthCount]


def entry_rows(
    filters: EntryFilters, offset: int, limit: int, total: int
) -> list[WindowRow]:
    """Read a page of entries as table rows, each row carrying its entry.

    ``total`` is the entry count, so pages near the end are read from there.
    """
    condition = history.entry_condition(filters)
    return [
        WindowRow(
            key=str(entry.entry_no),
            cells=(
                plain(entry.entry_no),
                plain(entry.date),
                plain(entry.contact_no),
                plain(entry.contact_name),
                plain(entry.template_code),
                plain(entry.campaign_no),
                plain(entry_state(entry)),
            ),
            value=entry,
        )
        for entry in history.list_entries(condition, offset, limit, total)
    ]


def load_page(filters: EntryFilters, offset: int, limit: int) -> HistoryPage:
    """Read the count, totals, chart and ``limit`` entries from ``offset`` on."""
    condition = history.entry_condition(filters)
    count = history.count_entries(condition)
    offset = max(0, min(offset, count - limit))
    return HistoryPage(
        offset=offset,
        entries=entry_rows(filters, offset, limit, count),
        count=count,
        totals=history.totals(condition),
        months=history.timeline(condition),
    )


def show_letter(screen: Any, entry_no: int) -> None:
    """Produce an entry's letter again and show it as text."""

    def shown(result: tuple[str | None, str]) -> None:
        text, error = result
        if text is None:
            screen.notify(_("This entry has no letter."), markup=False)
            return
        if error:
            text = _("Delivery failed: {error}").format(error=error) + "\n\n" + text
        screen.app.push_screen(
            MessageDialog(
                _("Letter of entry {no}").format(no=entry_no),
                text,
                help=_(
                    "The text of the entry's letter without its layout, produced "
                    "again from the Word file and merge values stored when it was "
                    "logged. When its delivery failed, the error is shown above "
                    "the letter."
                ),
            )
        )

    def load() -> tuple[str | None, str]:
        entry = history.get_entry(entry_no)
        return logged_segments.entry_letter_text(entry_no), entry.delivery_error

    screen.run(load, shown)


def save_letter(screen: Any, entry_no: int, letters_folder: Path | None = None) -> None:
    """Ask for a file name, then write an entry's letter there as a .docx file.

    The file proposed is in ``letters_folder``, or else in the folder segtui was
    started in.

    In the browser demo the server's file system is out of the user's reach, so the
    letter is written to a temporary folder and sent to the browser as a download.
    """
    if screen.app.is_web:
        folder = Path(tempfile.mkdtemp(prefix="segtui-letter-"))
        screen.run(
            lambda: history.export_document(
                entry_no, folder / f"entry-{entry_no}.docx"
            ),
            lambda written: hand_over_file(screen.app, Path(written)),
        )
        return

    def chosen(path: str | None) -> None:
        if not path:
            return
        screen.run(
            lambda: history.export_document(entry_no, Path(path)),
            lambda written: screen.notify(
                _("Letter written to {path}.").format(path=written), markup=False
            ),
        )

    screen.app.push_screen(
        InputDialog(
            _("Save the letter of entry {no}").format(no=entry_no),
            _("Word file to write:"),
            str((letters_folder or Path.cwd()) / f"entry-{entry_no}.docx"),
            help=_(
                "The Word file (.docx) that gets the entry's letter, produced again "
                "from the Word file and merge values stored when it was logged. "
                "Write a path ending in .docx. A path starting with ~ is in your "
                "home folder, and a missing folder is created. An existing file is "
                "not replaced.\n\n"
                "Enter writes the file and names it in a message. Esc closes the "
                "dialog and writes nothing."
            ),
        ),
        chosen,
    )


def save_entry_letter(screen: Any, entry: InteractionLogEntry) -> None:
    """Ask where to save an entry's letter, proposing the folder of its letters.

    That is the folder of the entry's Word file, or else the folder its logged
    segment's letters went to, or would go to. An entry of no logged segment
    proposes the folder segtui was started in.
    """
    entry_no = entry.entry_no
    if entry.document_path:
        save_letter(screen, entry_no, Path(entry.document_path).parent)
        return
    logged_no = entry.logged_segment_entry_no
    if logged_no is None:
        save_letter(screen, entry_no)
        return
    screen.run(
        lambda: delivery.letters_folder(logged_no),
        lambda folder: save_letter(screen, entry_no, folder),
    )


def offer_entries_cancel(
    screen: Any,
    entries: list[InteractionLogEntry],
    cancel: bool,
    done: Callable[[], None],
) -> None:
    """Ask once, then cancel or un-cancel the entries, all of them or none.

    Entries already in the requested state are left out. When none is left, a
    notification tells the user and nothing is asked.
    """
    chosen = [entry for entry in entries if entry.canceled != cancel]
    if not chosen:
        if cancel:
            message = ngettext(
                "The entry is canceled already.",
                "The chosen entries are canceled already.",
                len(entries),
            )
        else:
            message = ngettext(
                "The entry is not canceled.",
                "None of the chosen entries is canceled.",
                len(entries),
            )
        if entries:
            screen.notify(message, markup=False)
        return
    numbers = [entry.entry_no for entry in chosen]

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        user = screen.app.user

        def finished(changed: int) -> None:
            screen.notify(entries_changed_message(changed, cancel), markup=False)
            done()

        screen.run(
            lambda: cancellation.set_entries_canceled(numbers, cancel, user=user),
            finished,
        )

    screen.app.push_screen(entries_cancel_dialog(chosen, cancel), answered)


def entries_cancel_dialog(
    entries: list[InteractionLogEntry], cancel: bool
) -> ConfirmDialog:
    """Return the question of ``offer_entries_cancel`` with its own help."""
    count = len(entries)
    numbers = ", ".join(str(entry.entry_no) for entry in entries)
    if count == 1 and cancel:
        question = _(
            "Cancel entry {no} for {name}? It stays listed but is no longer counted."
        )
    elif count == 1:
        question = _("Un-cancel entry {no} for {name}?")
    elif cancel:
        question = ngettext(
            "Cancel the {count} entry {numbers}? It stays listed but is no "
            "longer counted.",
            "Cancel the {count} entries {numbers}? They stay listed but are no "
            "longer counted.",
            count,
        )
    else:
        question = ngettext(
            "Un-cancel the {count} entry {numbers}?",
            "Un-cancel the {count} entries {numbers}?",
            count,
        )
    question = question.format(
        no=entries[0].entry_no,
        name=entries[0].contact_name,
        count=format_count(count),
        numbers=numbers,
    )
    if cancel:
        title = ngettext("Cancel entry", "Cancel entries", count)
        question_help = _(
            "Yes cancels the interaction log entries named in the question, all "
            "of them or none. They stay listed, marked canceled, but no longer "
            "count in totals, charts and campaign counts, and they are never sent "
            "again. A letter or email already sent is not recalled. Un-cancel (u) "
            "restores them. No and Esc leave the entries as they are."
        )
    else:
        title = ngettext("Un-cancel entry", "Un-cancel entries", count)
        question_help = _(
            "Yes restores the canceled interaction log entries named in the "
            "question, all of them or none, so they count again in totals, charts "
            "and campaign counts. Nothing is sent. An entry of a canceled logged "
            "segment cannot be restored on its own: un-cancel the logged segment "
            "instead. No and Esc leave the entries canceled."
        )
    return ConfirmDialog(title, question, help=question_help)


def logged_canceled_message(entry_no: int, logged_no: int) -> str:
    """Return why an entry of a canceled logged segment is not un-canceled."""
    return _(
        "Entry {entry} belongs to logged segment {logged}, which is canceled, so it "
        "cannot be un-canceled on its own. U on logged segment {logged}, or u on "
        "the list of logged segments (F3), un-cancels the logged segment with all "
        "its entries."
    ).format(entry=entry_no, logged=logged_no)


class InteractionHistoryScreen(ListScreen):
    SCREEN_TITLE = _("Interaction log entries")
    HELP = _(
        "Interaction log entries, newest first, with a chart of the last twelve "
        "months and the totals of the entries shown. Canceled entries are listed as "
        "canceled and counted in neither the chart nor the totals. f filters by "
        "contact, company, date, template, campaign, segment, delivery status and "
        "more, in the criteria syntax; c clears the filters. Enter shows an entry's "
        "letter as text, w saves it as a Word file, x cancels it and u un-cancels "
        "it."
    )

    MARKETING_ACTIONS = frozenset({"cancel", "uncancel"})
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"save_letter"})
    # In a terminal too narrow for all its keys, canceling an entry, the rarest
    # action, gives way first.
    FOOTER_DROP_TO_FIT = ("cancel",)
    FOOTER_ESSENTIAL = frozenset({"view", "cancel", "filter", "clear_filter"})

    BINDINGS = [
        Binding(
            "enter,v", "view", _("Letter"), tooltip=_("Show the entry's letter as text")
        ),
        Binding(
            "w",
            "save_letter",
            _("Save .docx"),
            tooltip=_("Write the letter as a Word file"),
        ),
        Binding(
            "x",
            "cancel",
            pgettext("interaction log entry", "Cancel"),
            tooltip=_("Cancel the selected entry"),
        ),
        Binding(
            "u",
            "uncancel",
            _("Un-cancel"),
            show=False,
            tooltip=_("Un-cancel the selected entry"),
        ),
        Binding("f", "filter", _("Filter"), tooltip=_("Filter the entries")),
        Binding("c", "clear_filter", _("Clear"), tooltip=_("Remove the filters")),
        Binding(
            "f5",
            "refresh",
            _("Refresh"),
            show=False,
            tooltip=_("Read the entries again"),
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self, filters: EntryFilters | None = None, title: str = "") -> None:
        super().__init__()
        self.filters: EntryFilters = dict(filters or {})
        self.custom_title = title
        self.count = 0
        # The filters of the entries on screen; None before the first read.
        self.shown_filters: EntryFilters | None = None

    def title_text(self) -> str:
        return self.custom_title or self.SCREEN_TITLE

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Clear is hidden while there is no filter to clear.
        if action == "clear_filter" and not self.filters:
            return False
        return super().check_action(action, parameters)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        status = Static("", id="list-status", markup=False)
        # Indented as the chart and totals below it are.
        status.styles.padding = (0, 1)
        yield status
        yield Timeline(id="timeline")
        table = WindowTable(id="entries", page_rows=PAGE_SIZE)
        # The name gives up the cells a longer state word needs, to fit 80 columns.
        status = state_width()
        columns = [
            (_("Entry"), "entry_no", 7),
            (_("Date"), "date", 10),
            (_("Contact"), "contact", 8),
            (_("Name"), "name", 14 - max(status - 13, 0)),
            (_("Templ."), "template", 6),
            (_("Camp."), "campaign", 6),
            (_("Status"), "status", status),
        ]
        self.add_columns(table, columns, ("name",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        filters = self.filters
        # The same entries read again keep their place; new filters start at the top.
        offset, limit = self.query_one("#entries", WindowTable).reload_span()
        if filters != self.shown_filters:
            offset = 0
        self.run(
            lambda: load_page(filters, offset, limit),
            lambda page: self.show(filters, page),
            group="load",
            exclusive=True,
        )

    def show(self, filters: EntryFilters, page: HistoryPage) -> None:
        table = self.query_one("#entries", WindowTable)
        current = selected_key(table)
        self.shown_filters = dict(filters)
        self.count = page.count
        self.fit_column(table, "entry_no", (row.cells[0] for row in page.entries))
        self.fit_column(table, "contact", (row.cells[2] for row in page.entries))
        table.show_rows(
            page.count,
            page.offset,
            page.entries,
            lambda offset, limit: entry_rows(filters, offset, limit, page.count),
            keep=current,
        )
        self.query_one("#timeline", Timeline).show(page.months, page.totals)
        status = ngettext("{count} entry", "{count} entries", page.count).format(
            count=format_count(page.count)
        )
        if self.filters:
            status += "  " + _("filter: {filters}").format(
                filters=describe_entry_filters(self.filters)
            )
        self.query_one("#list-status", Static).update(Text(status, no_wrap=True))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_view()

    def selected(self) -> InteractionLogEntry | None:
        entry = self.query_one("#entries", WindowTable).cursor_value
        return entry if isinstance(entry, InteractionLogEntry) else None

    def action_view(self) -> None:
        entry = self.selected()
        if entry is not None:
            show_letter(self, entry.entry_no)

    def action_save_letter(self) -> None:
        entry = self.selected()
        if entry is not None:
            save_entry_letter(self, entry)

    def action_cancel(self) -> None:
        entry = self.selected()
        if entry is not None:
            offer_entries_cancel(self, [entry], True, self.action_refresh)

    def action_uncancel(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        logged_no = entry.logged_segment_entry_no
        if not entry.canceled or logged_no is None:
            offer_entries_cancel(self, [entry], False, self.action_refresh)
            return

        def checked(logged_canceled: bool) -> None:
            if logged_canceled:
                message = logged_canceled_message(entry.entry_no, logged_no)
                self.notify(message, markup=False)
            else:
                offer_entries_cancel(self, [entry], False, self.action_refresh)

        self.run(
            lambda: logged_segments.get_logged_segment(logged_no).canceled, checked
        )

    def action_filter(self) -> None:
        def chosen(filters: EntryFilters | None) -> None:
            if filters is not None:
                self.filters = filters
                self.refresh_bindings()
                self.action_refresh()

        self.app.push_screen(EntryFilterDialog(self.filters), chosen)

    def action_clear_filter(self) -> None:
        if self.filters:
            self.filters = {}
            self.refresh_bindings()
            self.action_refresh()

    def action_back(self) -> None:
        self.dismiss(None)


class EntryFilterDialog(FormDialog, FieldNavigation):
    """Filters on interaction log entries, in the criteria expression syntax."""

    HELP = _(
        "Show only the interaction log entries that match. Each field takes a "
        "filter expression, as in the criteria: a value such as CT000001, A|B for "
        "A or B, 2026-01-01..2026-06-30 for a range, <>X for all but X, *text* "
        "with wildcards and '' for blank. An entry is shown when it matches every "
        "field that is filled in, and a blank field does not filter. Canceled "
        "takes yes or no, and Delivery status takes pending, sent, failed or not "
        "delivered.\n\n"
        "Ctrl+S filters the list, its chart and its totals. An expression that "
        "does not fit its field keeps the dialog open with the problem. With every "
        "field blank, Ctrl+S shows all entries again. Esc closes without changing "
        "the filters."
    )

    def __init__(self, filters: EntryFilters) -> None:
        super().__init__(_("Filter interaction log entries"))
        self.filters = filters

    def compose_body(self) -> ComposeResult:
        fields = history.entry_fields()
        self.longest_label = max(
            cell_len(fields[key].label) for key, _example in FILTER_FIELDS
        )
        for key, example in FILTER_FIELDS:
            yield form_row(
                fields[key].label,
                TypeAheadInput(
                    self.filters.get(key, ""),
                    id=f"filter-{key}",
                    compact=True,
                    placeholder=_("e.g. {example}").format(
                        example=shown_example(key, example)
                    ),
                ),
            )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Filter (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        # The label column, 20 cells with its padding, grows to the longest label,
        # such as the German "Protokolliertes Segment", so that no label is cut.
        for label in self.query(".form-label"):
            needed = self.longest_label + label.styles.padding.width
            width = label.styles.width
            if width is None or width.cells is None or width.cells < needed:
                label.styles.width = needed
        self.query(Input).first().focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        filters = {
            key: self.query_one(f"#filter-{key}", Input).value.strip()
            for key, _example in FILTER_FIELDS
        }
        filters = {key: value for key, value in filters.items() if value}

        def check() -> EntryFilters:
            history.entry_condition(filters)
            return filters

        run_job(self, check, self.dismiss, on_error=self.report)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
