"""A line's letter in the worksheet: read it as text, export it, import it edited."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static, TextArea

from segtui.domain import line_letters
from segtui.domain.user_files import read_user_file
from segtui.i18n import _
from segtui.ui.screens.dialogs import Dialog, top_and_bottom_bindings
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job


class LetterText(TextArea):
    """A read-only TextArea that leaves Home, End, Ctrl+A and Ctrl+E to its dialog.

    TextArea binds them to the start and end of the cursor's line, which in a
    letter to read is of little use. The dialog binds them to the top and bottom.
    """

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cursor_line_start", "cursor_line_end") and not parameters:
            return False
        return super().check_action(action, parameters)


class LetterPreviewDialog(Dialog):
    """A merged letter as text, which the arrows, page keys, Home and End scroll."""

    HELP = _(
        "The line's letter, merged with the contact's values and shown as plain "
        "text to read before logging. The arrows, PageUp and PageDown scroll it, "
        "and Home and End (or Ctrl+A and Ctrl+E) go to its top and bottom. Esc "
        "closes it."
    )

    BINDINGS = top_and_bottom_bindings()

    def __init__(self, title: str, text: str) -> None:
        super().__init__(title)
        self.text = text

    def compose_body(self) -> ComposeResult:
        yield LetterText(
            self.text,
            id="letter-text",
            read_only=True,
            soft_wrap=True,
            tab_behavior="focus",
        )

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Close (Esc)"), id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.letter_text().focus()

    def letter_text(self) -> LetterText:
        return self.query_one("#letter-text", LetterText)

    def action_scroll_top(self) -> None:
        self.letter_text().move_cursor((0, 0))

    def action_scroll_bottom(self) -> None:
        text = self.letter_text()
        text.move_cursor(text.document.end)

    @on(Button.Pressed, "#close")
    def close_pressed(self) -> None:
        self.dismiss(None)


class ExportLetterDialog(FormDialog, FieldNavigation):
    """Write one line's merged letter as a .docx, to edit it in Word."""

    HELP = _(
        "Write the line's merged letter as a Word file, to edit it for this contact "
        "only. Folder or file is a folder, where the letter gets the contact's "
        "name, or a path ending in .docx. An existing file is not replaced. Enter "
        "or Ctrl+S exports, and m in the worksheet imports the edited file back. "
        "Esc closes without writing."
    )

    SUBMIT_INPUTS = frozenset({"path"})

    def __init__(self, segment_no: str, line_no: int, contact_label: str) -> None:
        super().__init__(
            _("Export the letter to {contact}").format(contact=contact_label)
        )
        self.segment_no = segment_no
        self.line_no = line_no

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(
                _(
                    "A folder gets the letter under the contact's name; a path ending "
                    "in .docx names the file. An existing file is not replaced."
                )
            ),
            markup=False,
        )
        yield form_row(
            _("Folder or file"),
            TypeAheadInput(str(Path.cwd()), id="path", compact=True),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Export (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        target = Path(self.query_one("#path", Input).value.strip() or ".")
        no, line_no = self.segment_no, self.line_no
        run_job(
            self,
            lambda: line_letters.export_line_letter(no, line_no, target),
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class ImportLetterDialog(FormDialog, FieldNavigation):
    """Make an edited .docx the line's own letter, or drop the line's own letter."""

    HELP = _(
        "Give the line its own letter: an edited .docx used instead of the "
        "template's letter when the segment is logged. Edited .docx is the path of "
        "the file. Enter or Ctrl+S imports it. F8 drops the line's own letter and "
        "uses the template's again. Esc closes without changing the line."
    )

    SUBMIT_INPUTS = frozenset({"path"})

    BINDINGS = [
        Binding(
            "f8",
            "remove_own",
            _("Use template's"),
            tooltip=_("Drop the line's own letter; use the template's letter again"),
        )
    ]

    def __init__(
        self, segment_no: str, line_no: int, contact_label: str, own_letter: str
    ) -> None:
        super().__init__(_("The letter to {contact}").format(contact=contact_label))
        self.contact_label = contact_label
        self.segment_no = segment_no
        self.line_no = line_no
        self.own_letter = own_letter

    def compose_body(self) -> ComposeResult:
        if self.own_letter:
            state = _("The line has its own letter: {file}.").format(
                file=self.own_letter
            )
        else:
            state = _("The line uses its template's letter.")
        yield Static(Text(state), id="letter-state", markup=False)
        yield form_row(
            _("Edited .docx"),
            TypeAheadInput(
                id="path", compact=True, placeholder="~/letters/edited letter.docx"
            ),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Import (Ctrl+S)"), id="save", variant="primary", compact=True)
        if self.own_letter:
            yield Button(_("Use template's (F8)"), id="remove", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_own" and not self.own_letter:
            return False
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.show_problem(_("Type the path of the edited .docx, or press Esc."))
            return
        path = Path(text).expanduser()
        no, line_no, contact = self.segment_no, self.line_no, self.contact_label
        user = self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: line_letters.import_line_letter(
                no, line_no, read_user_file(path), path.name, user=user
            ),
            lambda _line: self.dismiss(
                _("Line of contact {contact} now has its own letter {file}.").format(
                    contact=contact, file=path.name
                )
            ),
            on_error=self.report,
        )

    @on(Button.Pressed, "#remove")
    def action_remove_own(self) -> None:
        if not self.own_letter:
            return
        no, line_no, contact = self.segment_no, self.line_no, self.contact_label
        user = self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: line_letters.remove_line_letter(no, line_no, user=user),
            lambda _line: self.dismiss(
                _("Line of contact {contact} uses its template's letter again.").format(
                    contact=contact
                )
            ),
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
