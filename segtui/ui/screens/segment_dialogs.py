"""Dialogs of a segment: create it, edit its header, log it."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from peewee import JOIN
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TextArea,
)

from segtui.domain import contact_queries, lookups, segment_actions, segmentation
from segtui.domain.dates import date_hint, invalid_date_message, read_date
from segtui.domain.delivery import pdf_converter
from segtui.domain.errors import ConflictError, SegtuiError, ValidationError
from segtui.domain.propagation import apply_template_to_header
from segtui.domain.segment_logging import (
    LogOptions,
    LogResult,
    default_output_folder,
    log_segment,
)
from segtui.domain.text import clean_line, no_value
from segtui.i18n import _, ngettext
from segtui.models import (
    CorrespondenceType,
    InteractionTemplate,
    Language,
    SegmentHeader,
)
from segtui.ui.screens.dialogs import ConfirmDialog, Dialog
from segtui.ui.text import display, editable_amount, format_count, read_amount
from segtui.ui.widgets.contact_lookup import (
    ContactLookupList,
    LookupInput,
    MatchList,
)
from segtui.ui.widgets.tick import Tick
from segtui.ui.worker import run_job


def form_row(label: str, widget: Any) -> Horizontal:
    return Horizontal(
        Label(Text(label), classes="form-label", markup=False),
        widget,
        classes="form-row",
    )


def select_options(choices: list[tuple[str, str]]) -> list[tuple[Text, str]]:
    return [(Text(f"{code}  {label}"), code) for code, label in choices]


# Labels up to this long, such as "No.", name a field in a message only as written.
SHORT_LABEL = 3

# What a form dismisses with when the user chose to see someone else's newer values.
RELOAD = "reload"


class FormDialog(Dialog):
    """A dialog that saves with ctrl+s or its first button and shows errors inline."""

    HELP = _(
        "A form: fill in the fields and press Ctrl+S to save. Tab and Shift+Tab "
        "move between the fields. A problem is shown below the fields, and the form "
        "stays open to correct it. A problem that names a field goes once that "
        "field changes. Esc closes the form without saving."
    )

    BINDINGS = [Binding("ctrl+s", "save", _("Save"), tooltip=_("Save and close"))]

    # The problem shown below the fields: its text, its list and its note.
    problem: tuple[str, list[str], str | None] | None = None

    def show_problem(
        self, text: str, lines: list[str] | None = None, note: str | None = None
    ) -> None:
        """Show ``text``, then ``lines`` as a list, then ``note`` as a paragraph.

        The problem stays until clear_problem, or until the fields it names change
        (see drop_fixed_problems).
        """
        self.problem = (text, list(lines or ()), note)
        message = self.write_problem()
        field = self.field_named_in(message)
        if field is not None:
            field.focus()

    def write_problem(self) -> str:
        """Put the problem into the error field, make it visible and return its text."""
        assert self.problem is not None
        text, lines, note = self.problem
        message = (
            text if not lines else "\n".join([text, *(f"- {line}" for line in lines)])
        )
        if note:
            message = f"{message}\n\n{note}"
        error = self.query_one("#error", Static)
        error.update(Text(message))
        error.display = True
        # The message's new height is laid out only at the next refresh, so
        # scrolling at once would show a long message replacing a short one only as
        # far down as the short one reached.
        self.call_after_refresh(error.scroll_visible)
        return message

    def clear_problem(self) -> None:
        """Hide the problem below the fields, because it no longer applies."""
        self.problem = None
        error = self.query_one("#error", Static)
        error.update("")
        error.display = False

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def drop_fixed_problems(
        self,
        event: Input.Changed | Select.Changed | Checkbox.Changed | TextArea.Changed,
    ) -> None:
        """Drop the problems that name the field that changed, as they may be fixed.

        Each line of a list goes when the field it names changes, and the whole
        message goes with its last line. A message without a list goes when the
        field it names changes. A problem that names no field stays until the form
        saves or shows the next problem.
        """
        error = self.query_one_optional("#error", Static)
        if self.problem is None or error is None or not error.display:
            return
        text, lines, note = self.problem
        changed = event.control
        if not lines:
            if self.names_field(text, changed):
                self.clear_problem()
            return
        left = [line for line in lines if not self.names_field(line, changed)]
        if not left:
            self.clear_problem()
        elif len(left) < len(lines):
            self.problem = (text, left, note)
            self.write_problem()

    def names_field(self, message: str, control: Widget | None) -> bool:
        """Return whether ``message`` names the field that ``control`` is or is in."""
        field = self.field_named_in(message)
        if field is None or control is None:
            return False
        return field is control or field in control.ancestors

    def field_named_in(self, message: str) -> Widget | None:
        """Return the field whose label the problem names first, to put focus on it.

        Messages name a field by its label, such as "Unit cost 'x' is not a number", in
        any case, with or without a unit in brackets. A short label such as "No."
        counts only as written. Of labels at the same place, the longest counts, so
        "Contact No." wins over "Contact".
        """
        found: list[tuple[int, int, Widget]] = []
        for row in self.query(".form-row"):
            labels = row.query(".form-label").results(Label)
            label = next(labels, None)
            shown = str(label.content).strip() if label else ""
            name = shown.rstrip(":.").strip()
            field = next(
                (widget for widget in row.query(Widget) if widget.can_focus), None
            )
            if not name or field is None or field.disabled:
                continue
            # "Duration (min)" is named "Duration" in messages.
            short = re.sub(r"\s*\(.*\)$", "", name)
            for text in {name, short} - {""}:
                if len(text) <= SHORT_LABEL:
                    # "No." as written, so that the word "no" does not match.
                    pattern, flags = rf"(?<!\w){re.escape(shown)}", 0
                else:
                    pattern, flags = rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE
                match = re.search(pattern, message, flags)
                if match:
                    found.append((match.start(), -len(text), field))
        if not found:
            return None
        return min(found, key=lambda item: item[:2])[2]

    def report(self, error: Exception) -> None:
        if isinstance(error, ConflictError):
            self.offer_reload(error)
            return
        if isinstance(error, ValidationError):
            self.show_problem(error.message, [str(p) for p in error.problems])
        elif isinstance(error, SegtuiError):
            self.show_problem(error.message)
        else:
            self.show_problem(f"{type(error).__name__}: {error}")

    def offer_reload(self, error: ConflictError) -> None:
        """Someone else saved first: offer to close and show their version."""
        # The values passed the form's checks, so a problem shown before no longer
        # applies.
        self.clear_problem()

        def answered(reload: bool | None) -> None:
            if reload:
                self.dismiss(RELOAD)

        self.app.push_screen(
            ConfirmDialog(
                _("Changed by {user}").format(user=error.modified_by),
                error.message
                + "\n\n"
                + _("Close this form and show the current values?"),
                default=True,
                help=_(
                    "Someone saved this record after you opened the form. Yes closes "
                    "the form, dropping what you typed, and shows the saved values. "
                    "No and Esc keep the form with what you typed, but saving it "
                    "fails the same way, so note what you need and close it."
                ),
            ),
            answered,
        )

    def action_save(self) -> None:
        raise NotImplementedError


class NewSegmentDialog(FormDialog):
    """Create a segment from a description, and optionally a template and salesperson."""

    HELP = _(
        "Create a new, empty segment. Description names the segment in lists. "
        "Template is the interaction template whose letter, cost and other values "
        "the lines start with, and Salesperson is the one recorded on them. Both "
        "can be set later in the segment header. Ctrl+S, or Enter in Description, "
        "creates the segment and opens its worksheet. Esc closes without creating "
        "anything."
    )

    def __init__(self) -> None:
        super().__init__(_("New segment"))

    def compose_body(self) -> ComposeResult:
        yield form_row(_("Description"), Input(id="description", compact=True))
        yield form_row(
            _("Template"),
            Select([], id="interaction_template", compact=True, prompt=no_value()),
        )
        yield form_row(
            _("Salesperson"),
            Select([], id="salesperson", compact=True, prompt=no_value()),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Create (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#description", Input).focus()
        run_job(self, lookups.header_lookups, self.fill, on_error=self.report)

    def fill(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        self.query_one("#interaction_template", Select).set_options(
            select_options(choices["interaction_template"])
        )
        self.query_one("#salesperson", Select).set_options(
            select_options(choices["salesperson"])
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        description = self.query_one("#description", Input).value
        template = self.query_one("#interaction_template", Select).selection
        salesperson = self.query_one("#salesperson", Select).selection
        user = self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: (
                segmentation.create_segment(
                    description,
                    user=user,
                    template_code=template,
                    salesperson_code=salesperson,
                ).no
            ),
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class InsertLineDialog(FormDialog):
    """Insert a line for one contact, typed by number or picked from a lookup.

    An error keeps the dialog open.
    """

    HELP = _(
        "Add one contact to the segment. Type the contact's number, or words of its "
        "name, city or email: the list below the field shows the contacts that "
        "match, as the Contacts list finds them, with number, name and city. Down "
        "or Tab moves into the list, the arrows pick a contact, and Enter inserts "
        "its line. Up on the first contact goes back to the field, and so does a "
        "character typed in the list. Enter or Ctrl+S in the field inserts the "
        "contact whose number is typed. The new line takes its values from the "
        "segment header.\n\n"
        "A word after a listed contact tells what to know before inserting it: "
        '"on line" names its line when it is already on the segment, and inserting '
        'it again is refused. "privacy blocked" contacts cannot be added. '
        '"excluded" contacts are left out by Add Contacts, but inserting one here '
        "adds it. A problem keeps the dialog open. Esc closes without inserting."
    )

    def __init__(self, segment_no: str) -> None:
        super().__init__(_("Insert line in segment {no}").format(no=segment_no))
        self.segment_no = segment_no

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("Contact No."),
            LookupInput(
                id="contact_no",
                compact=True,
                placeholder=_("number, or words of the name"),
                # Keys typed in the list go on the end of the text, not over it.
                select_on_focus=False,
            ),
        )
        yield ContactLookupList(self.segment_no, id="lookup")
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Insert (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#contact_no", Input).focus()

    def enter_label(self) -> str | None:
        if isinstance(self.focused, (Input, MatchList)):
            return _("Insert")
        return super().enter_label()

    @on(Input.Changed, "#contact_no")
    def contact_no_changed(self, event: Input.Changed) -> None:
        self.query_one(ContactLookupList).search(event.value)

    @on(ContactLookupList.Picked)
    def contact_picked(self, event: ContactLookupList.Picked) -> None:
        self.insert(event.contact_no, typed=False)

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        picked = self.query_one(ContactLookupList).picked_no()
        if picked is not None:
            self.insert(picked, typed=False)
            return
        contact_no = clean_line(self.query_one("#contact_no", Input).value).upper()
        if not contact_no:
            self.show_problem(
                _("Type a contact number or words of a name, or press Esc.")
            )
            return
        self.insert(contact_no, typed=True)

    def insert(self, contact_no: str, *, typed: bool) -> None:
        """Insert the contact's line and close the dialog.

        A problem keeps the dialog open. A ``typed`` number that is no contact's
        gets a message that points to the lookup list.
        """
        user = self.app.user  # type: ignore[attr-defined]
        no = self.segment_no

        def insert_line() -> bool:
            if typed and not contact_queries.contact_exists(contact_no):
                return False
            segment_actions.insert_line(no, contact_no, user=user)
            return True

        def inserted(done: bool) -> None:
            if done:
                self.dismiss(contact_no)
            else:
                self.show_problem(self.unknown_number_text(contact_no))

        run_job(self, insert_line, inserted, on_error=self.report)

    def unknown_number_text(self, contact_no: str) -> str:
        if self.query_one(ContactLookupList).lookup.rows:
            return _(
                "Contact {no!r} does not exist. Press Down to pick one of the "
                "contacts listed, or type an exact contact number."
            ).format(no=contact_no)
        return _(
            "Contact {no!r} does not exist. Type an exact contact number, or words "
            "of the contact's name and pick it from the list."
        ).format(no=contact_no)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


# The header form's fields that choosing a template sets, as apply_template_to_header
# sets them when the header is saved.
TEMPLATE_FIELDS = (
    "language",
    "subject",
    "correspondence_type",
    "ignore_contact_corresp_type",
    "unit_cost",
    "unit_duration",
)


def load_header_choices() -> tuple[dict[str, lookups.Choices], dict[str, Any]]:
    """Return the header form's choices and the form values each template sets."""
    return lookups.header_lookups(), template_form_values()


def template_form_values() -> dict[str, dict[str, Any]]:
    """Return, per template code, the values that choosing it puts in the header form.

    Each template is applied to an unsaved header by the same function that saving
    uses, so the form shows the values that saving would store.
    """
    templates = (
        InteractionTemplate.select(InteractionTemplate, Language)
        .join(Language, JOIN.LEFT_OUTER)
        .order_by(InteractionTemplate.code)
    )
    values: dict[str, dict[str, Any]] = {}
    for template in templates:
        header = SegmentHeader()
        apply_template_to_header(header, template)
        form = HeaderDialog.current_values_of(header)
        values[template.code] = {name: form[name] for name in TEMPLATE_FIELDS}
    return values


CORRESPONDENCE_CHOICES = [
    (CorrespondenceType.BLANK.value, no_value()),
    (CorrespondenceType.HARD_COPY.value, _("Hard Copy")),
    (CorrespondenceType.EMAIL.value, _("Email")),
]


class HeaderDialog(FormDialog):
    """Edit a segment's header, asking once whether the lines should follow."""

    HELP = _(
        "The values the segment's lines start with and that logging records. "
        "Description names the segment, and Date is the interaction date, which "
        "logging needs. Salesperson, Template and Language choose the salesperson, "
        "the interaction template and the letter language. Choosing a template "
        "fills in its language, correspondence type, unit cost and duration, and "
        "empties Subject so that the template's subject is used. Each can still be "
        "changed before saving. Subject is the email "
        "subject and the letter's Subject merge field. Corresp. type is Hard "
        "Copy, Email or blank (only recorded), and the tick below makes it replace "
        "each contact's own. Unit cost and Duration are recorded per interaction. "
        "The last tick sends the Word letter as an email attachment instead of the "
        "text only.\n\n"
        "Ctrl+S saves. When lines exist and a changed value is one the lines share, "
        "a question asks whether the lines take it too. Esc closes without saving."
    )

    def __init__(self, header: SegmentHeader, line_count: int) -> None:
        super().__init__(_("Segment {no}").format(no=header.no))
        self.header = header
        self.line_count = line_count
        self.original = self.current_values_of(header)
        # Per template code, the form values that choosing the template sets.
        self.template_values: dict[str, dict[str, Any]] = {}
        # The template whose values the form shows, from the header or last chosen.
        self.template_shown: str | None = self.original["interaction_template"]

    @staticmethod
    def current_values_of(header: SegmentHeader) -> dict[str, Any]:
        return {
            "description": header.description,
            "date": header.date,
            "salesperson": header.salesperson_code or None,
            "interaction_template": header.interaction_template_code or None,
            "language": header.language_code or None,
            "subject": header.subject,
            "correspondence_type": header.correspondence_type or "",
            "ignore_contact_corresp_type": bool(header.ignore_contact_corresp_type),
            "unit_cost": Decimal(header.unit_cost or 0),
            "unit_duration": Decimal(header.unit_duration or 0),
            "send_word_docs_as_attachment": bool(header.send_word_docs_as_attachment),
        }

    def compose_body(self) -> ComposeResult:
        values = self.original
        yield form_row(
            _("Description"),
            Input(values["description"], id="description", compact=True),
        )
        yield form_row(
            _("Date"),
            Input(
                display(values["date"]),
                id="date",
                compact=True,
                placeholder=date_hint(),
            ),
        )
        yield form_row(
            _("Salesperson"),
            Select([], id="salesperson", compact=True, prompt=no_value()),
        )
        yield form_row(
            _("Template"),
            Select([], id="interaction_template", compact=True, prompt=no_value()),
        )
        yield form_row(
            _("Language"), Select([], id="language", compact=True, prompt=no_value())
        )
        yield form_row(
            _("Subject"), Input(values["subject"], id="subject", compact=True)
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
            "",
            Tick(
                _("Ignore the contacts' correspondence type"),
                values["ignore_contact_corresp_type"],
                id="ignore_contact_corresp_type",
                compact=True,
            ),
        )
        yield form_row(
            _("Unit cost"),
            Input(editable_amount(values["unit_cost"]), id="unit_cost", compact=True),
        )
        yield form_row(
            _("Duration (min)"),
            Input(
                editable_amount(values["unit_duration"]),
                id="unit_duration",
                compact=True,
            ),
        )
        yield form_row(
            "",
            Tick(
                _("Attach the .docx to emails (else text only)"),
                values["send_word_docs_as_attachment"],
                id="send_word_docs_as_attachment",
                compact=True,
            ),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#description", Input).focus()
        run_job(self, load_header_choices, self.fill, on_error=self.report)

    def fill(
        self, loaded: tuple[dict[str, list[tuple[str, str]]], dict[str, Any]]
    ) -> None:
        choices, self.template_values = loaded
        for name in ("salesperson", "interaction_template", "language"):
            select = self.query_one(f"#{name}", Select)
            select.set_options(select_options(choices[name]))
            value = self.original[name]
            if value and any(code == value for code, _label in choices[name]):
                select.value = value

    @on(Select.Changed, "#interaction_template")
    def template_changed(self) -> None:
        self.show_template_values()

    def show_template_values(self) -> None:
        """Put the values of a newly chosen template into the form, as saving would.

        The user sees them and can still change them before saving. Choosing no
        template changes no other field, and neither does setting the header's own
        template when the form opens.
        """
        code = self.query_one("#interaction_template", Select).selection
        if code == self.template_shown:
            return
        self.template_shown = code
        values = self.template_values.get(code) if code else None
        if values is None:
            return
        language = self.query_one("#language", Select)
        if values["language"] is None:
            language.clear()
        else:
            language.value = values["language"]
        self.query_one("#subject", Input).value = values["subject"]
        self.query_one("#correspondence_type", Select).value = values[
            "correspondence_type"
        ]
        self.query_one("#ignore_contact_corresp_type", Checkbox).value = values[
            "ignore_contact_corresp_type"
        ]
        for name in ("unit_cost", "unit_duration"):
            self.query_one(f"#{name}", Input).value = editable_amount(values[name])

    def read_form(self) -> tuple[dict[str, Any], list[str]]:
        """Return the form's values and a message for every value that is invalid."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        values["description"] = clean_line(self.query_one("#description", Input).value)
        if not values["description"]:
            problems.append(_("A segment needs a description; type one and try again."))
        text = self.query_one("#date", Input).value.strip()
        values["date"] = read_date(text) if text else None
        if text and values["date"] is None:
            problems.append(invalid_date_message(text, _("Date")))
        for name in ("salesperson", "interaction_template", "language"):
            values[name] = self.query_one(f"#{name}", Select).selection
        values["subject"] = clean_line(self.query_one("#subject", Input).value)
        values["correspondence_type"] = self.query_one(
            "#correspondence_type", Select
        ).value
        values["ignore_contact_corresp_type"] = self.query_one(
            "#ignore_contact_corresp_type", Checkbox
        ).value
        values["send_word_docs_as_attachment"] = self.query_one(
            "#send_word_docs_as_attachment", Checkbox
        ).value
        for name, label in (
            ("unit_cost", _("Unit cost")),
            ("unit_duration", _("Duration")),
        ):
            try:
                typed = read_amount(label, self.query_one(f"#{name}", Input).value)
                values[name] = segmentation.check_amount(label, typed)
            except SegtuiError as error:
                problems.append(error.message)
        return values, problems

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        # Ctrl+S right after choosing a template can come before the Select's
        # message, so the template's values go into the form here at the latest.
        self.show_template_values()
        values, problems = self.read_form()
        if problems:
            self.show_problem(_("Not saved:"), problems)
            return
        changes = self.changed_values(values)
        if not changes:
            self.dismiss(None)
            return
        # The values passed the form's checks, so a problem shown before no longer
        # applies while the question or the save runs.
        self.clear_problem()
        if self.line_count and segmentation.lines_share(changes):
            question = ngettext(
                "Update the line with the new values too?",
                "Update the {count} lines with the new values too?",
                self.line_count,
            ).format(count=format_count(self.line_count))

            def answered(answer: bool | None) -> None:
                # Escape backs out of the question and leaves the form open, unsaved.
                if answer is not None:
                    self.save(changes, answer)

            self.app.push_screen(
                ConfirmDialog(
                    _("Update lines"),
                    question,
                    default=True,
                    escape_label=_("Back to the form"),
                    help=_(
                        "Yes saves the header and gives every line the changed "
                        "values, replacing values edited on single lines. No saves "
                        "the header only, and the lines keep their values. Esc goes "
                        "back to the form without saving. Go Back does not undo "
                        "either answer."
                    ),
                ),
                answered,
            )
        else:
            self.save(changes, False)

    def changed_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Return the values that differ from the header's, to save.

        update_header sets a new template's values on the header first, and then
        the fields that follow it. So with a new template every field the template
        sets is saved as the form shows it, and a value typed after choosing the
        template is kept even when it equals the header's old value.
        """
        changes = {
            name: value
            for name, value in values.items()
            if value != self.original[name]
        }
        if "interaction_template" not in changes:
            return changes
        ordered = {"interaction_template": changes.pop("interaction_template")}
        ordered.update({name: values[name] for name in TEMPLATE_FIELDS})
        ordered.update(changes)
        return ordered

    def save(self, changes: dict[str, Any], update_lines: bool) -> None:
        user = self.app.user  # type: ignore[attr-defined]
        no = self.header.no
        version = self.header.version
        run_job(
            self,
            lambda: segmentation.update_header(
                no,
                changes,
                user=user,
                update_lines=update_lines,
                expected_version=version,
            ),
            lambda _header: self.dismiss(True),
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class LogDialog(FormDialog):
    """Ask how to log a segment, then log it and show the progress of the letters."""

    HELP = _(
        "Log the segment: one interaction log entry per line, saved all at once, "
        "then the letters. Deliver sends the emails and marks the printed letters "
        "as sent, and without it the letters are only written. Create a follow-up "
        "segment makes a new segment with the same contacts. Output folder is "
        "where the Word letters and the print file go. The PDF tick also converts "
        "the print files with LibreOffice. Space ticks or clears the focused tick "
        "box, and Tab moves to the next field.\n\n"
        "Ctrl+S starts. Until the entries are saved, Esc (Cancel) rolls the whole "
        "log back and the segment stays as it was. Once the letters are being "
        "written, the button reads Stop letters. Esc then stops the letters not "
        "started yet, the entries stay, and the rest can be sent again from the "
        "logged segment."
    )

    # Ctrl+S starts logging, which the form's "Save and close" would misname.
    BINDINGS = [
        Binding("ctrl+s", "save", _("Log"), tooltip=_("Start logging the segment"))
    ]

    def __init__(self, segment_no: str, line_count: int) -> None:
        super().__init__(
            ngettext(
                "Log segment {no} ({count} line)",
                "Log segment {no} ({count} lines)",
                line_count,
            ).format(no=segment_no, count=format_count(line_count))
        )
        self.segment_no = segment_no
        self.cancel_event = threading.Event()
        self.running = False
        # True once the entries are committed and the letters are being written,
        # when Escape only stops the letters.
        self.entries_saved = False

    def compose_body(self) -> ComposeResult:
        yield form_row(
            "",
            Tick(
                _("Deliver (send emails, mark letters as sent)"),
                False,
                id="deliver",
                compact=True,
            ),
        )
        yield form_row(
            "",
            Tick(_("Create a follow-up segment"), False, id="follow_up", compact=True),
        )
        # The default folder is the placeholder too, so an emptied field still
        # shows where the letters go.
        default_folder = str(default_output_folder(self.segment_no))
        self.offered_folder = default_folder
        yield form_row(
            _("Output folder"),
            Input(
                default_folder, placeholder=default_folder, id="output", compact=True
            ),
        )
        if pdf_converter() is not None:
            pdf_label = _("Also PDF of the print files (LibreOffice)")
        else:
            pdf_label = _("PDF of the print files: LibreOffice is not installed")
        yield form_row(
            "",
            Tick(
                pdf_label,
                False,
                id="pdf",
                compact=True,
                disabled=pdf_converter() is None,
            ),
        )
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Log (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#deliver", Checkbox).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.running or self.entries_saved:
            return
        # The folder offered, kept or emptied, is chosen again when the log runs,
        # because another log may have taken it since the dialog opened.
        folder = self.query_one("#output", Input).value.strip()
        options = LogOptions(
            deliver=self.query_one("#deliver", Checkbox).value,
            follow_up=self.query_one("#follow_up", Checkbox).value,
            output_folder=(
                Path(folder) if folder and folder != self.offered_folder else None
            ),
            pdf=self.query_one("#pdf", Checkbox).value,
        )
        user = self.app.user  # type: ignore[attr-defined]
        no = self.segment_no
        self.running = True
        self.cancel_event.clear()
        self.clear_problem()
        progress_bar = self.query_one("#progress", ProgressBar)
        progress_bar.display = True
        self.query_one("#save", Button).disabled = True
        self.refresh_bindings()

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.show_progress, done, total)

        run_job(
            self,
            lambda: log_segment(
                no, options, user=user, progress=progress, cancel=self.cancel_event
            ),
            self.done,
            on_error=self.failed,
        )

    def show_progress(self, done: int, total: int) -> None:
        """Move the bar, and at the first report tell that Esc now only stops letters.

        log_segment reports progress only for the letters. The first report, of
        none done, comes right after the entries are committed and the letters
        counted, before any letter is started.
        NOTE: Esc pressed between the commit and that first report still finds the
        button reading Cancel. It then shows the message that covers both cases,
        because log_segment alone checks on which side of the commit it came.
        """
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        if self.entries_saved:
            return
        self.entries_saved = True
        self.relabel_cancel(
            _("Stop letters (Esc)"),
            _("Stop letters"),
            _("Stop the letters not started yet; the entries stay logged"),
        )

    def done(self, result: LogResult) -> None:
        self.running = False
        self.dismiss(result)

    def failed(self, error: Exception) -> None:
        self.running = False
        if self.cancel_event.is_set():
            # Esc was pressed while the segment was checked: the dialog closes as
            # Esc asked, and the reason the log stopped stays on screen.
            self.app.notify(str(error), markup=False)
            self.dismiss(None)
            return
        if self.entries_saved:
            # The segment is logged already, so only closing is left.
            self.relabel_cancel(
                _("Close (Esc)"),
                _("Close"),
                _("Close the dialog; the segment is logged already"),
            )
        else:
            self.query_one("#save", Button).disabled = False
            self.query_one("#progress", ProgressBar).display = False
        self.refresh_bindings()
        self.report(error)

    def report(self, error: Exception) -> None:
        if not isinstance(error, ValidationError):
            super().report(error)
            return
        # The problems name the header and the lines, which are edited on the
        # worksheet, not in this dialog.
        where = _(
            "Esc closes this dialog. On the worksheet, e edits the header (template, "
            "salesperson, date, language) and Enter edits the selected line."
        )
        lines = [str(problem) for problem in error.problems]
        self.show_problem(error.message, lines, note=where)

    def relabel_cancel(self, label: str, description: str, tooltip: str) -> None:
        """Name what Esc does now: on the Cancel button, in the footer and the palette.

        ``label`` is the button's, ``description`` and ``tooltip`` are the Esc
        binding's, which F1 help and the command palette list.
        """
        button = self.query_one("#cancel", Button)
        button.label = label
        # Textual 8.2.8 does not lay a button out again when its label changes, so
        # a longer label would be cut at the old width.
        button.refresh(layout=True)
        # Each node reads its bindings from its own copy of the class's map, whose
        # lists the class shares, so the lists are replaced, not changed. A keymap
        # is applied to this copy later, by the binding's id, which stays.
        bindings = self._bindings.key_to_bindings
        for key, key_bindings in list(bindings.items()):
            bindings[key] = [
                replace(binding, description=description, tooltip=tooltip)
                if binding.action == "cancel"
                else binding
                for binding in key_bindings
            ]
        self.refresh_bindings()

    def quit_question_texts(self) -> tuple[str, str] | None:
        """Return the quit question and its help while the letters are written.

        Before the entries are saved the plain question fits, because quitting
        then rolls the whole log back, so this returns None.
        """
        if not (self.running and self.entries_saved):
            return None
        question = _(
            '"{job}": the interaction log entries are saved, and the letters are '
            "being written. Stop the letters and quit? The entries stay logged, the "
            "letters not yet written are stopped, and s on the logged segment "
            "writes them later. Press n or Esc to keep writing."
        ).format(job=self.title_text())
        help = _(
            "Yes stops the letters not started yet and quits segtui. The "
            "interaction log entries are saved already and stay logged, and the "
            "letters written so far stay on disk. s on the logged segment writes "
            "the letters not yet written later, and delivers them if the log was "
            "delivering. No and Esc keep the letters being written and segtui open."
        )
        return question, help

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Ctrl+S shows dimmed while a log runs or after one was saved, because it
        # does nothing then.
        if action == "save" and (self.running or self.entries_saved):
            return None
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self.running and self.entries_saved:
            self.cancel_event.set()
            self.notify(
                _(
                    "Stopping the letters after those in progress. The entries stay "
                    "saved, and the letters not written can be sent again later."
                ),
                markup=False,
            )
            return
        if self.running:
            # Before the entries are saved a cancel undoes the whole log. After
            # that it stops the letters not started yet, which can be delivered
            # again later.
            self.cancel_event.set()
            self.notify(
                _(
                    "Canceling: if the entries are saved already, the letters stop "
                    "after those in progress ..."
                ),
                markup=False,
            )
            return
        self.dismiss(None)
