"""The dialog that imports contacts from a CSV file in a worker, with progress and cancel.

The import itself is segtui.domain.contact_import. It checks every row before it
writes any, writes in one transaction, and rolls the transaction back when the
cancel event is set, so a canceled or failed import leaves the database as it was.
Esc also interrupts the running statement, so that a long one stops at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Checkbox, Input, ProgressBar, Static

from segtui.domain.contact_import import (
    IMPORT_COLUMNS,
    STEPS_PER_ROW,
    ImportCanceledError,
    ImportResult,
    import_contacts,
)
from segtui.domain.csv_format import problem_lines
from segtui.domain.errors import ValidationError
from segtui.domain.interrupts import StatementInterrupter
from segtui.domain.user_files import read_user_file
from segtui.i18n import _
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row
from segtui.ui.text import format_count
from segtui.ui.widgets.tick import Tick
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job

log = logging.getLogger("segtui.ui")

# Seconds between two progress updates on screen. The import reports after every
# batch of rows, and each update waits for the UI thread, so a large file would
# otherwise spend time redrawing the bar.
PROGRESS_INTERVAL = 0.1

IMPORT_HELP = _(
    "Import contacts and their classifications from a CSV file, all rows or none. "
    "Type the path of the file, absolute or relative to the folder segtui was "
    "started in, and press Enter or Ctrl+S.\n\n"
    "The first row names the columns, in any order and case. Cells are separated "
    "by comma, semicolon or tab, and the file is UTF-8 (in Excel, save it as "
    '"CSV UTF-8"). The command segtui export contacts writes a file in this '
    "format. The "
    "header needs a no column or a name column (name, first_name or surname). A "
    "new contact needs a name, and a blank no takes the next number of the "
    "contact number series. type is company or person, and blank means person for a new contact. "
    'Classification columns list codes separated by ";": mailing_groups, '
    "industry_groups, business_relations, job_responsibilities, and "
    "profile_answers as QUESTIONNAIRE:ANSWER. A classification column in the "
    "file replaces the contact's codes of that kind.\n\n"
    "Update contacts that exist (--update, as in segtui import contacts): a "
    "row whose no exists updates that contact. Without the tick such a row is a "
    "problem. Check only (--dry-run): check the whole file "
    "and show how many contacts would be created and updated, writing nothing.\n\n"
    "Every row is checked before anything is written. Each problem is listed as "
    '"line N, column C: problem", and then nothing is imported: correct the file '
    "and press Enter again. The bar moves as rows are read, checked and then "
    "written. "
    "Esc cancels a running import, and everything it wrote is rolled back.\n\n"
    "The columns: {columns}."
).format(columns=", ".join(IMPORT_COLUMNS))


def import_phase(done: int, total: int) -> tuple[int, int, int]:
    """Return the phase (0 reading, 1 checking, 2 writing), its row and the rows.

    The import counts each row once read, once checked and once written. While
    the file is read, the row count is an estimate.
    """
    rows = total // STEPS_PER_ROW
    if done <= rows or rows == 0:
        return 0, done, rows
    if done <= 2 * rows:
        return 1, done - rows, rows
    return 2, done - 2 * rows, rows


# FormDialog comes first because Textual 8.2.8 takes a class's CSS type names from
# its first DOMNode base at each level. With FieldNavigation first, the ModalScreen
# rules that center the dialog over the dimmed screen would not apply.
class ContactImportDialog(FormDialog, FieldNavigation):
    """Ask for a CSV file and options, then import it with a progress bar.

    Dismisses with the ImportResult of a finished import, or None when the user
    closes it. A dry run, a canceled import and an error keep the dialog open
    with the typed path, so the user can correct the file and run it again.
    """

    SUBMIT_INPUTS = frozenset({"path"})
    HELP = IMPORT_HELP

    # The problems scroll in a box of their own, so that a long list leaves the
    # file field and the ticks in view at 80x24. The stable gutter keeps the text
    # from wrapping anew when the scrollbar appears, which would move the end.
    DEFAULT_CSS = """
    ContactImportDialog #problems {
        height: auto;
        max-height: 8;
        scrollbar-gutter: stable;
    }
    """

    BINDINGS = [
        Binding(
            "f1",
            "app.help",
            _("Help"),
            tooltip=_("Show the file format and the keys of the import"),
        ),
        # Replaces the form's Save, so that F1 names what ctrl+s does here.
        Binding(
            "ctrl+s",
            "save",
            _("Import"),
            tooltip=_("Check the file and import it, as Enter in the file field does"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__(_("Import contacts from a CSV file"))
        # Set by Escape or the Cancel button while an import runs, and by quitting.
        self.cancel_event = threading.Event()
        self.stopper = StatementInterrupter("import")
        self.running = False
        # The result of an import that ended while another screen was on top.
        self.pending_result: ImportResult | None = None

    def title_text(self) -> str:
        return self.dialog_title

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("CSV file"),
            TypeAheadInput(id="path", compact=True, placeholder="contacts.csv"),
        )
        yield Static(
            Text(
                _(
                    "Relative to {folder}. The header needs a no or a name column, "
                    "and F1 lists every column."
                ).format(folder=Path.cwd())
            ),
            id="file-hint",
            markup=False,
        )
        yield form_row(
            "",
            Tick(
                _("Update contacts that exist (--update)"),
                False,
                id="update",
                compact=True,
            ),
        )
        yield form_row(
            "",
            Tick(
                _("Check only, write nothing (--dry-run)"),
                False,
                id="dry_run",
                compact=True,
            ),
        )
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="status", markup=False)
        with VerticalScroll(id="problems"):
            yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Import (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#problems").display = False
        self.query_one("#status", Static).display = False
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#path", Input).focus()

    def on_screen_resume(self) -> None:
        if self.pending_result is not None:
            self.dismiss(self.pending_result)

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.running:
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.show_problem(_("Type the path of a CSV file, or press Esc."))
            return
        path = Path(text).expanduser()
        update = self.query_one("#update", Checkbox).value
        dry_run = self.query_one("#dry_run", Checkbox).value
        user = self.app.user  # type: ignore[attr-defined]
        cancel = self.cancel_event = threading.Event()
        stopper = self.stopper = StatementInterrupter("import")
        progress = self.progress_reporter()
        self.set_running(True)
        self.show_status(_("Reading {path} ...").format(path=path))

        def work() -> ImportResult:
            with stopper.running():
                return import_contacts(
                    read_user_file(path),
                    user=user,
                    update=update,
                    dry_run=dry_run,
                    source=str(path),
                    progress=progress,
                    cancel=cancel,
                )

        run_job(self, work, self.finished, on_error=self.failed, group="import")

    def progress_reporter(self) -> Callable[[int, int], None]:
        """Return the import's progress callback, which runs in the worker thread."""
        last_shown = 0.0
        last_phase = -1

        def report(done: int, total: int) -> None:
            nonlocal last_shown, last_phase
            now = time.monotonic()
            # The first report of each phase and the last one always show.
            phase = import_phase(done, total)[0]
            due = now - last_shown >= PROGRESS_INTERVAL
            if not (due or phase != last_phase or done >= total):
                return
            last_shown, last_phase = now, phase
            self.app.call_from_thread(self.show_progress, done, total)

        return report

    def show_progress(self, done: int, total: int) -> None:
        """Move the bar and name the phase and the row."""
        if self.cancel_event.is_set():
            return
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        phase, row, rows = import_phase(done, total)
        texts = (
            _("Reading row {row} of {rows}; Esc cancels."),
            _("Checking row {row} of {rows}; Esc cancels."),
            _("Writing row {row} of {rows}; Esc cancels."),
        )
        self.show_status(
            texts[phase].format(row=format_count(row), rows=format_count(rows))
        )

    def set_running(self, running: bool) -> None:
        self.running = running
        for selector in ("#path", "#update", "#dry_run", "#save"):
            self.query_one(selector).disabled = running
        progress_bar = self.query_one("#progress", ProgressBar)
        progress_bar.display = running
        if running:
            progress_bar.update(total=None, progress=0)
            self.query_one("#error", Static).display = False
            self.query_one("#problems").display = False
            self.set_focus(None)
        else:
            self.query_one("#path", Input).focus()

    def show_problem(
        self, text: str, lines: list[str] | None = None, note: str | None = None
    ) -> None:
        self.query_one("#problems").display = True
        super().show_problem(text, lines, note)

    def show_status(self, text: str) -> None:
        status = self.query_one("#status", Static)
        status.update(Text(text))
        status.display = True

    def finished(self, result: ImportResult) -> None:
        self.set_running(False)
        if result.dry_run:
            self.show_status(result.message())
            return
        if self.app.screen is self:
            self.dismiss(result)
        else:
            # Dismissing now would close the screen on top (the help, or the
            # question whether to quit) instead of this dialog.
            self.pending_result = result

    def failed(self, error: Exception) -> None:
        self.set_running(False)
        if isinstance(error, ImportCanceledError):
            self.show_status(error.message)
            return
        self.query_one("#status", Static).display = False
        if isinstance(error, ValidationError):
            self.show_problem(error.message, problem_lines(error.problems))
            return
        self.report(error)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)
            return
        if not self.cancel_event.is_set():
            self.cancel_event.set()
            self.stopper.stop()
            self.show_status(
                _("Canceling the import and rolling back what it wrote ...")
            )
