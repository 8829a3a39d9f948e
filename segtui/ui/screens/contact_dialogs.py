"""Dialogs of a contact: its form, adding a classification, logging a response."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, Input, Select, Static

from segtui.domain import campaigns, classifications, contacts, lookups, profiles
from segtui.domain.contact_fields import (
    BOOLEAN_COLUMNS,
    CONTACT_COLUMNS,
    column_label,
)
from segtui.domain.dates import date_hint
from segtui.domain.text import no_value
from segtui.i18n import _
from segtui.models import ContactType, Salutation
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import (
    CORRESPONDENCE_CHOICES,
    FormDialog,
    form_row,
    select_options,
)
from segtui.ui.widgets.tick import Tick
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job

# The code columns the form picks from a list, with the lookup that fills each.
PICKED_COLUMNS = (
    "language_code",
    "salutation_code",
    "salesperson_code",
    "territory_code",
)


def salutations() -> list[tuple[str, str]]:
    return [
        (code, text)
        for code, text in Salutation.select(Salutation.code, Salutation.description)
        .order_by(Salutation.code)
        .tuples()
    ]


@dataclass
class ContactForm:
    """A contact's values as read for the form, with the lists its pickers need."""

    no: str | None
    values: dict[str, Any]
    version: int | None
    choices: dict[str, list[tuple[str, str]]]


def load_contact_form(no: str | None) -> ContactForm:
    choices = {
        "language_code": lookups.languages(),
        "salutation_code": salutations(),
        "salesperson_code": lookups.salespeople(),
        "territory_code": lookups.territories(),
    }
    if no is None:
        values = {column: "" for column in CONTACT_COLUMNS}
        values.update({column: False for column in BOOLEAN_COLUMNS})
        values["type"] = ContactType.PERSON
        return ContactForm(None, values, None, choices)
    contact = contacts.get_contact(no)
    return ContactForm(
        contact.no, contacts.contact_values(contact), contact.version, choices
    )


def open_contact_form(
    screen: BaseScreen, no: str | None, done: Callable[[str | None], None]
) -> None:
    """Read the contact (None for a new one), then show its form; ``done`` gets its number."""
    screen.run(
        lambda: load_contact_form(no),
        lambda form: screen.app.push_screen(ContactDialog(form), done),
    )


class ContactDialog(FormDialog, FieldNavigation):
    """Create or edit a contact. Saving checks that nobody saved it meanwhile."""

    HELP = _(
        "A contact's card: a person or a company. No. is the contact number, blank "
        "for a new contact to take the next number. A person's Company No. links "
        "it to its company. The code fields (language, salutation, salesperson, "
        "territory) pick from the codes set up in segtui, and Corresp. type is how "
        "letters reach the contact. Exclude from segment keeps the contact out of "
        "Add Contacts unless asked. Privacy blocked keeps it out of every "
        "segment.\n\n"
        "Ctrl+S saves. A problem names its field, and the focus moves to that "
        "field. Esc closes without saving."
    )

    def __init__(self, form: ContactForm) -> None:
        title = _("Contact {no}").format(no=form.no) if form.no else _("New contact")
        super().__init__(title)
        self.form = form

    def compose_body(self) -> ComposeResult:
        values = self.form.values
        for column in CONTACT_COLUMNS:
            label = column_label(column)
            if column == "type":
                widget: Any = Select(
                    [(Text(_("Person")), "person"), (Text(_("Company")), "company")],
                    id=column,
                    compact=True,
                    allow_blank=False,
                    value=values[column] or "person",
                )
            elif column == "correspondence_type":
                widget = Select(
                    [(Text(text), value) for value, text in CORRESPONDENCE_CHOICES],
                    id=column,
                    compact=True,
                    allow_blank=False,
                    value=values[column] or "",
                )
            elif column in PICKED_COLUMNS:
                choices = self.form.choices[column]
                known = any(code == values[column] for code, _l in choices)
                widget = Select(
                    select_options(choices),
                    id=column,
                    compact=True,
                    prompt=no_value(),
                    value=values[column] if known else Select.NULL,
                )
            elif column in BOOLEAN_COLUMNS:
                yield form_row(
                    "", Tick(label, bool(values[column]), id=column, compact=True)
                )
                continue
            else:
                widget = TypeAheadInput(str(values[column]), id=column, compact=True)
                if column == "no":
                    widget.placeholder = _("blank: the next number")
                    widget.disabled = self.form.no is not None
            yield form_row(label, widget)
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        first = "name" if self.form.no else "no"
        self.query_one(f"#{first}", Input).focus()

    def read_form(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column in CONTACT_COLUMNS:
            widget = self.query_one(f"#{column}")
            if isinstance(widget, Select):
                selection = widget.selection
                values[column] = selection or ""
            elif isinstance(widget, Checkbox):
                values[column] = widget.value
            else:
                values[column] = widget.value  # type: ignore[attr-defined]
        return values

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values = self.read_form()
        user = self.app.user  # type: ignore[attr-defined]
        if self.form.no is None:
            run_job(
                self,
                lambda: contacts.create_contact(values, user=user).no,
                self.dismiss,
                on_error=self.report,
            )
            return
        changes = {
            column: value
            for column, value in values.items()
            if column != "no" and value != self.form.values[column]
        }
        if not changes:
            self.dismiss(None)
            return
        no, version = self.form.no, self.form.version
        run_job(
            self,
            lambda: (
                contacts.update_contact(
                    no, changes, user=user, expected_version=version
                ).no
            ),
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


PROFILE_KIND = "profile"


def tag_choices(contact_type: str) -> dict[str, list[tuple[str, str]]]:
    """Return the codes the contact may get, by kind; profile answers as Q:A."""
    result: dict[str, list[tuple[str, str]]] = {}
    for kind in classifications.classification_kinds().values():
        if classifications.applies_to(kind, contact_type):
            result[kind.key] = [
                (row.code, row.text) for row in classifications.list_codes(kind.key)
            ]
    answers = []
    for questionnaire in profiles.list_questionnaires():
        for line in profiles.questionnaire_lines(questionnaire.code):
            if line.code:
                answers.append(
                    (
                        f"{questionnaire.code}:{line.code}",
                        f"{line.question}: {line.description}",
                    )
                )
    result[PROFILE_KIND] = answers
    return result


def kind_labels() -> dict[str, str]:
    labels = {
        key: kind.label for key, kind in classifications.classification_kinds().items()
    }
    labels[PROFILE_KIND] = _("Profile answer")
    return labels


class TagDialog(FormDialog):
    """Give a contact a classification: pick the kind, then the code."""

    HELP = _(
        "Give the contact one classification. Kind is what sort of code it is, "
        "such as a mailing group, an industry group or a profile answer, and Code "
        "lists the codes of that kind. Criteria filter contacts by these codes. "
        "Ctrl+S adds it. Esc closes without adding."
    )

    def __init__(
        self, contact_no: str, choices: dict[str, list[tuple[str, str]]]
    ) -> None:
        super().__init__(_("Add a classification to {no}").format(no=contact_no))
        self.contact_no = contact_no
        self.choices = choices

    def compose_body(self) -> ComposeResult:
        labels = kind_labels()
        kinds = [(Text(labels[key]), key) for key in self.choices]
        first = next(iter(self.choices))
        yield form_row(
            _("Kind"),
            Select(kinds, id="kind", compact=True, allow_blank=False, value=first),
        )
        yield form_row(
            _("Code"),
            Select(
                select_options(self.choices[first]),
                id="code",
                compact=True,
                prompt=_("(pick one)"),
            ),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Add (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#kind", Select).focus()

    @on(Select.Changed, "#kind")
    def kind_changed(self, event: Select.Changed) -> None:
        codes = self.query_one("#code", Select)
        codes.set_options(select_options(self.choices.get(str(event.value), [])))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        kind = str(self.query_one("#kind", Select).value)
        code = self.query_one("#code", Select).selection
        if not code:
            self.show_problem(_("Pick a code, or press Esc."))
            return
        no, user = self.contact_no, self.app.user  # type: ignore[attr-defined]

        def add() -> str:
            if kind == PROFILE_KIND:
                profiles.add_contact_answer(no, code, user=user)
            else:
                classifications.add_tag(no, kind, code, user=user)
            return code

        run_job(self, add, self.dismiss, on_error=self.report)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class ResponseDialog(FormDialog, FieldNavigation):
    """Log a contact's response to a campaign as an inbound interaction."""

    HELP = _(
        "Record that the contact responded to a campaign, as an inbound "
        "interaction log entry. Campaign is the campaign responded to, Date the day "
        "of the response (blank means today), Template the interaction template to "
        "file it under. Description and Evaluation say what the response was. "
        "Ctrl+S logs it. Esc closes without logging."
    )

    def __init__(
        self,
        contact_no: str,
        campaign_choices: list[tuple[str, str]],
        template_choices: list[tuple[str, str]],
    ) -> None:
        super().__init__(_("Campaign response of {no}").format(no=contact_no))
        self.contact_no = contact_no
        self.campaign_choices = campaign_choices
        self.template_choices = template_choices

    def compose_body(self) -> ComposeResult:
        yield form_row(
            _("Campaign"),
            Select(
                select_options(self.campaign_choices),
                id="campaign",
                compact=True,
                prompt=_("(pick one)"),
            ),
        )
        yield form_row(
            _("Date"),
            TypeAheadInput(
                id="date",
                compact=True,
                placeholder=_("{form}, blank: today").format(form=date_hint()),
            ),
        )
        yield form_row(
            _("Template"),
            Select(
                select_options(self.template_choices),
                id="template",
                compact=True,
                prompt=no_value(),
            ),
        )
        yield form_row(_("Description"), TypeAheadInput(id="description", compact=True))
        yield form_row(_("Evaluation"), TypeAheadInput(id="evaluation", compact=True))
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Log (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#campaign", Select).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        campaign = self.query_one("#campaign", Select).selection
        if not campaign:
            self.show_problem(_("Pick the campaign, or press Esc."))
            return
        values = {
            "response_date": self.query_one("#date", Input).value,
            "template_code": self.query_one("#template", Select).selection or "",
            "description": self.query_one("#description", Input).value,
            "evaluation": self.query_one("#evaluation", Input).value,
        }
        no, user = self.contact_no, self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: campaigns.log_response(no, campaign, user=user, **values).entry_no,
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


def response_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return (
        [(row.no, row.description) for row in campaigns.list_campaigns()],
        lookups.templates(),
    )
