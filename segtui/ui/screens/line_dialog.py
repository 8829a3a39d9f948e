"""Editing one segment line: its template, language, subject and a personal note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Select, Static, TextArea

from segtui.domain import line_editing, line_letters, lookups
from segtui.domain.errors import SegtuiError
from segtui.domain.segmentation import check_amount
from segtui.domain.text import clean_line, no_value
from segtui.i18n import _
from segtui.models import SegmentLine
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import (
    CORRESPONDENCE_CHOICES,
    FormDialog,
    form_row,
    select_options,
)
from segtui.ui.text import editable_amount, read_amount
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job

# Changes after which the dialog checks that the letter has a place for the note.
NOTE_CHANGES = {"personal_note", "interaction_template", "language", "contact"}


@dataclass
class LineForm:
    """A line as read for editing, with the code lists its pickers need."""

    line: SegmentLine
    contact_name: str
    choices: dict[str, list[tuple[str, str]]]
    # The file name of the line's own letter, "" when it uses its template's.
    own_letter: str = ""


def load_line_form(no: str, line_no: int) -> LineForm:
    line = line_editing.get_line(no, line_no)
    return LineForm(
        line,
        line.contact.name,
        lookups.header_lookups(),
        line_letters.own_letter_name(line),
    )


class LineDialog(FormDialog, FieldNavigation):
    """Change one line's values; saving checks that nobody changed the line meanwhile.

    Giving the line another contact keeps its attachment, whether the template's
    or the line's own letter.
    """

    HELP = _(
        "Change one line of the segment. Contact No. gives the line another "
        "contact. Template, Language and Salesperson choose the interaction "
        "template, the letter language and the salesperson. Subject and "
        "Description are recorded on the interaction, Corresp. type says how the "
        "letter reaches the contact, and Unit cost, Duration and Evaluation are "
        "recorded with it. Letter names the letter the line uses. The personal "
        "note is merged into the letter where its template has a place for it.\n\n"
        "Ctrl+S saves, and a note the letter has no place for gives a warning. "
        "Esc closes without saving."
    )

    def __init__(self, form: LineForm) -> None:
        line = form.line
        # The line's contact as the worksheet shows it, number and name. Saving
        # sets it to the contact the line then has, for the worksheet's message.
        self.saved_contact = f"{line.contact_no} {form.contact_name}".strip()
        super().__init__(
            _("Line of contact {contact}").format(contact=self.saved_contact)
        )
        self.form = form
        self.original = {
            "contact": line.contact_no,
            "interaction_template": line.interaction_template_code or None,
            "language": line.language_code or None,
            "salesperson": line.salesperson_code or None,
            "subject": line.subject,
            "description": line.description,
            "correspondence_type": line.correspondence_type or "",
            "unit_cost": line.unit_cost,
            "unit_duration": line.unit_duration,
            "evaluation": line.evaluation,
            "personal_note": line.personal_note,
        }

    def compose_body(self) -> ComposeResult:
        values = self.original
        choices = self.form.choices
        yield form_row(
            _("Contact No."),
            TypeAheadInput(values["contact"], id="contact", compact=True),
        )
        for name, label in (
            ("interaction_template", _("Template")),
            ("language", _("Language")),
            ("salesperson", _("Salesperson")),
        ):
            known = bool(values[name]) and any(
                code == values[name] for code, _l in choices[name]
            )
            # Textual 8.2.8 shows the prompt when a value is set before mounting,
            # so the value goes to the constructor.
            select: Select[str] = Select(
                select_options(choices[name]),
                id=name,
                compact=True,
                prompt=no_value(),
                value=values[name] if known else Select.NULL,
            )
            yield form_row(label, select)
        yield form_row(
            _("Subject"), TypeAheadInput(values["subject"], id="subject", compact=True)
        )
        yield form_row(
            _("Description"),
            TypeAheadInput(values["description"], id="description", compact=True),
        )
        yield form_row(
            _("Corresp. type"),
            Select(
                [(Text(label), value) for value, label in CORRESPONDENCE_CHOICES],
                id="correspondence_type",
                compact=True,
                allow_blank=False,
                value=values["correspondence_type"],
            ),
        )
        yield form_row(
            _("Unit cost"),
            TypeAheadInput(
                editable_amount(values["unit_cost"]), id="unit_cost", compact=True
            ),
        )
        yield form_row(
            _("Duration (min)"),
            TypeAheadInput(
                editable_amount(values["unit_duration"]),
                id="unit_duration",
                compact=True,
            ),
        )
        yield form_row(
            _("Evaluation"),
            TypeAheadInput(values["evaluation"], id="evaluation", compact=True),
        )
        if self.form.own_letter:
            letter = _("its own letter {file} (m in the worksheet changes it)").format(
                file=self.form.own_letter
            )
        else:
            letter = _("the template's in the line's language")
        yield form_row(_("Letter"), Static(Text(letter), markup=False))
        yield Static(Text(_("Personal note, merged into the letter:")), markup=False)
        yield TextArea(
            values["personal_note"], id="personal_note", tab_behavior="focus"
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#interaction_template", Select).focus()

    def read_form(self) -> tuple[dict[str, Any], list[str]]:
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name in ("interaction_template", "language", "salesperson"):
            values[name] = self.query_one(f"#{name}", Select).selection
        values["contact"] = clean_line(self.query_one("#contact", Input).value).upper()
        for name in ("subject", "description", "evaluation"):
            values[name] = clean_line(self.query_one(f"#{name}", Input).value)
        values["correspondence_type"] = self.query_one(
            "#correspondence_type", Select
        ).value
        for name, label in (
            ("unit_cost", _("Unit cost")),
            ("unit_duration", _("Duration")),
        ):
            try:
                typed = read_amount(label, self.query_one(f"#{name}", Input).value)
                values[name] = check_amount(label, typed)
            except SegtuiError as error:
                problems.append(error.message)
        values["personal_note"] = self.query_one("#personal_note", TextArea).text
        return values, problems

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values, problems = self.read_form()
        if problems:
            self.show_problem(_("Not saved:"), problems)
            return
        changes = {
            name: value
            for name, value in values.items()
            if value != self.original[name]
        }
        if not changes:
            self.dismiss(None)
            return
        line = self.form.line
        no, line_no, version = line.segment_no, line.line_no, line.version
        user = self.app.user  # type: ignore[attr-defined]
        check_note = bool(NOTE_CHANGES & set(changes))

        def save() -> tuple[str, str]:
            saved_line = line_editing.update_line(
                no, line_no, changes, user=user, expected_version=version
            )
            contact = f"{saved_line.contact_no} {saved_line.contact.name}".strip()
            if not check_note:
                return "", contact
            return line_letters.personal_note_warning(no, line_no), contact

        def saved(result: tuple[str, str]) -> None:
            warning, self.saved_contact = result
            if warning:
                self.notify(warning, severity="warning", markup=False, timeout=15)
            self.dismiss(True)

        run_job(self, save, saved, on_error=self.report)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)
