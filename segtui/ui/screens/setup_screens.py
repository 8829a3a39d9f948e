"""Setup lists: salespeople, languages, salutations, interaction groups, email.

Each list shows its records. Enter opens a record's card, n creates one and d
deletes one that nothing uses. The keys that change setup show for admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from segtui.domain import email_delivery, lookups, setup_tables
from segtui.domain.setup_tables import SALUTATION_KINDS, SetupTable
from segtui.i18n import _
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.listing import (
    DESIGN_WIDTH,
    TableScreen,
    new_table,
    refill,
    selected_key,
)
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row
from segtui.ui.screens.setup_forms import (
    SetupCardDialog,
    SetupScreen,
    is_admin,
    load_choices,
)
from segtui.ui.text import plain
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.widgets.virtual_table import RowTable
from segtui.ui.worker import run_job

LIST_BINDINGS = [
    Binding("enter", "open", _("Open"), tooltip=_("Open the selected record's card")),
    Binding("n", "new", _("New"), tooltip=_("Create a record")),
    Binding("d", "delete", _("Delete"), tooltip=_("Delete the record if unused")),
    Binding("f5", "refresh", _("Refresh"), tooltip=_("Read the records again")),
    Binding("escape", "back", _("Back"), tooltip=_("Back to the previous screen")),
]


class SetupListScreen(SetupScreen, TableScreen):
    """A list of the records of one setup table."""

    TABLE_KEY = ""
    ADMIN_ACTIONS = frozenset({"new", "delete"})
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"refresh"})
    FOOTER_ESSENTIAL = frozenset({"new", "delete"})

    BINDINGS = LIST_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.table = setup_tables.setup_table(self.TABLE_KEY)

    def title_text(self) -> str:
        return self.table.title()

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        fields = self.table.fields
        # A code column is 10 cells wide, or as wide as its label, such as the
        # German "Gebietsschema" for Locale, so that the label is not cut.
        code_widths = {
            spec.name: max(10, cell_len(spec.label()))
            for spec in fields
            if spec.kind in ("code", "locale")
        }
        texts = len(fields) - len(code_widths)
        # Text columns share the room that code columns and cell padding leave at
        # DESIGN_WIDTH, and add_columns gives them the cells of a wider terminal.
        room = DESIGN_WIDTH - 4 - sum(code_widths.values()) - 2 * len(fields)
        text_width = max(10, room // texts) if texts else 24
        columns = []
        text_keys = []
        for spec in fields:
            if spec.name in code_widths:
                columns.append((spec.label(), spec.name, code_widths[spec.name]))
            else:
                columns.append((spec.label(), spec.name, text_width))
                text_keys.append(spec.name)
        table = new_table("records", [])
        self.add_columns(table, columns, tuple(text_keys))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self, select: str | None = None) -> None:
        key = self.TABLE_KEY
        self.run(
            partial(setup_tables.list_records, key),
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(self, rows: list[dict[str, Any]], select: str | None = None) -> None:
        table = self.query_one("#records", DataTable)
        with refill(table, select):
            for row in rows:
                cells = [plain(row[spec.name]) for spec in self.table.fields]
                table.add_row(*cells, key=row["code"])
        for spec in self.table.fields:
            if spec.kind in ("code", "locale"):
                self.fit_column(table, spec.name, (row[spec.name] for row in rows))
        self.set_title(f"{self.table.title()} ({len(rows)})")
        table.focus()

    def selected_code(self) -> str | None:
        return selected_key(self.query_one("#records", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def save_function(self) -> Any:
        return partial(setup_tables.save_record, self.TABLE_KEY)

    def card(
        self, values: dict[str, Any] | None, choices: dict[str, Any]
    ) -> SetupCardDialog:
        return SetupCardDialog(
            self.table,
            values,
            choices,
            self.save_function(),
            read_only=not is_admin(self.app),
        )

    def action_open(self) -> None:
        code = self.selected_code()
        if code is None:
            self.notify(
                _("There is no record yet; press n to create one."), markup=False
            )
            return
        key, table = self.TABLE_KEY, self.table
        self.run(
            lambda: (setup_tables.get_record(key, code), load_choices(table)),
            lambda loaded: self.app.push_screen(self.card(*loaded), self.saved),
        )

    def action_new(self) -> None:
        table = self.table
        self.run(
            lambda: load_choices(table),
            lambda choices: self.app.push_screen(self.card(None, choices), self.saved),
        )

    def saved(self, values: dict[str, Any] | None) -> None:
        if values:
            self.notify(_("{code} saved.").format(code=values["code"]), markup=False)
            self.action_refresh(values["code"])

    def action_delete(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        key, user = self.TABLE_KEY, self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: setup_tables.delete_record(key, code, user=user),
                    lambda _result: self.deleted(code),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete"),
                _("Delete {record} {code}?").format(
                    record=self.table.singular(), code=code
                ),
                help=_(
                    "Yes deletes this record for good; there is no undo, but you can "
                    "create it again. If contacts, segments or other records still "
                    "use it, segtui names them and deletes nothing. A salutation's "
                    "greetings are deleted with it. No and Esc keep the record."
                ),
            ),
            answered,
        )

    def deleted(self, code: str) -> None:
        self.notify(_("{code} deleted.").format(code=code), markup=False)
        self.action_refresh()

    def action_back(self) -> None:
        self.dismiss(None)


class SalespersonListScreen(SetupListScreen):
    TABLE_KEY = "salesperson"
    HELP = _(
        "The salespeople: their name, job title, phone and email go into letters "
        "as merge fields. A salesperson that contacts, segments or users still use "
        "cannot be deleted."
    )


class LanguageListScreen(SetupListScreen):
    TABLE_KEY = "language"
    HELP = _(
        "The languages of contacts and letters. The locale, such as de_DE, decides "
        "how dates and amounts are written in a letter in that language."
    )


class InteractionGroupListScreen(SetupListScreen):
    TABLE_KEY = "interaction-group"
    HELP = _(
        "Interaction groups sort the interaction templates, such as letters, calls "
        "and emails. A group that templates use cannot be deleted."
    )


# Salutations with their formulas per language.


class SalutationCardDialog(SetupCardDialog):
    """A salutation with its formal and informal greeting in every language."""

    HELP = _(
        "A salutation and the greetings that letters open with. Code is typed "
        "once, when the salutation is created: up to 10 characters without spaces, "
        "saved in capitals. Description names it in lists. Below them are a formal "
        "and an informal greeting for each language, such as 'Dear Mr {surname},'. "
        "The placeholders {first_name}, {middle_name}, {surname}, {name}, "
        "{job_title} and {company_name} take the contact's values. A blank "
        "greeting makes letters in that language use a general one, such as 'Dear "
        "Sir or Madam,'.\n\n"
        "Ctrl+S saves the salutation and its greetings together, and an unknown "
        "placeholder keeps the card open with the problem. Users who are not "
        "administrators see the card without a Save button. Esc closes without "
        "saving."
    )

    def __init__(
        self,
        table: SetupTable,
        values: dict[str, Any] | None,
        choices: dict[str, Any],
        save: Any,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(table, values, choices, save, read_only=read_only)
        self.formulas: dict[tuple[str, str], str] = choices.get("formulas", {})
        self.languages: list[tuple[str, str]] = choices.get("languages", [])

    def compose_extra(self) -> ComposeResult:
        yield Static(
            Text(_("Greetings; placeholders: {first_name} {surname} {name} ...")),
            markup=False,
        )
        for code, _name in self.languages:
            for kind in SALUTATION_KINDS:
                kind_label = _("formal") if kind == "formal" else _("informal")
                label = f"{code} {kind_label}"
                yield form_row(
                    label,
                    TypeAheadInput(
                        self.formulas.get((code, kind), ""),
                        id=f"formula-{code}-{kind}",
                        compact=True,
                    ),
                )

    def formula_changes(self) -> dict[tuple[str, str], str]:
        changes = {}
        for code, _name in self.languages:
            for kind in SALUTATION_KINDS:
                text = self.query_one(f"#formula-{code}-{kind}", Input).value
                if text != self.formulas.get((code, kind), ""):
                    changes[(code, kind)] = text
        return changes

    def extra_changes(self) -> bool:
        return bool(self.formula_changes())

    def extra_save(self) -> Any:
        changes = self.formula_changes()
        if not changes:
            return None

        def store(code: str, user: str) -> None:
            setup_tables.set_salutation_formulas(code, changes, user=user)

        return store


def load_salutation(code: str | None) -> dict[str, Any]:
    choices: dict[str, Any] = {"languages": lookups.languages()}
    choices["formulas"] = setup_tables.salutation_formulas(code) if code else {}
    return choices


class SalutationListScreen(SetupListScreen):
    TABLE_KEY = "salutation"
    HELP = _(
        "Salutations and their greetings per language, formal and informal, such "
        "as 'Sehr geehrter Herr {surname},'. A letter greets each contact with the "
        "formula of the contact's salutation in the letter's language."
    )

    def card(
        self, values: dict[str, Any] | None, choices: dict[str, Any]
    ) -> SetupCardDialog:
        return SalutationCardDialog(
            self.table,
            values,
            choices,
            self.save_function(),
            read_only=not is_admin(self.app),
        )

    def action_open(self) -> None:
        code = self.selected_code()
        if code is None:
            self.notify(
                _("There is no record yet; press n to create one."), markup=False
            )
            return
        self.run(
            lambda: (
                setup_tables.get_record("salutation", code),
                load_salutation(code),
            ),
            lambda loaded: self.app.push_screen(self.card(*loaded), self.saved),
        )

    def action_new(self) -> None:
        self.run(
            lambda: load_salutation(None),
            lambda choices: self.app.push_screen(self.card(None, choices), self.saved),
        )


# Email (SMTP) settings.


# The label of each SMTP setting, as the dialog and the settings screen show it.
SMTP_LABELS: dict[str, Callable[[], str]] = {
    "host": lambda: _("SMTP server"),
    "port": lambda: _("Port"),
    "user": lambda: _("Login name"),
    "sender": lambda: _("Sender address"),
    "password_file": lambda: _("Password file"),
    "ca_file": lambda: _("Extra CA file"),
    "security": lambda: _("Security"),
}


def smtp_label(name: str) -> str:
    """Return the label of SMTP setting ``name`` in the user interface language."""
    label = SMTP_LABELS.get(name)
    return label() if label else name


class SmtpSettingsDialog(FormDialog, FieldNavigation):
    """The SMTP server settings. The password is never stored: it comes from
    SEGTUI_SMTP_PASSWORD or the password file named here."""

    HELP = _(
        "The SMTP server that email letters are sent through. SMTP server is a "
        "host name or IP address, and with none set every email fails to send. "
        "Port is a number from 1 to 65535, and blank takes the usual port of the "
        "security: 25 for None, 587 for STARTTLS, 465 for TLS. Login name is the "
        "account to log in with, blank for none. Sender address is the From "
        "address, as name@example.com or Name <name@example.com>, and blank uses "
        "the salesperson's email address, else the login name. Password file "
        "names a file whose first line is the password, and without one the "
        "password comes from SEGTUI_SMTP_PASSWORD. Extra CA file is a PEM file of "
        "certificate authorities to trust besides the system's. A field that a "
        "SEGTUI_SMTP_* environment variable sets cannot be changed here.\n\n"
        "Ctrl+S saves, and a field left blank leaves its setting unset. Esc closes "
        "without saving."
    )

    FIELDS = tuple(
        (name, label) for name, label in SMTP_LABELS.items() if name != "security"
    )

    def __init__(self, values: dict[str, tuple[str, str]], read_only: bool) -> None:
        super().__init__(_("Email settings"))
        self.values = values
        self.read_only = read_only

    def compose_body(self) -> ComposeResult:
        for name, label in self.FIELDS:
            value, source = self.values.get(name, ("", ""))
            yield form_row(
                label(),
                TypeAheadInput(
                    value,
                    id=f"smtp-{name}",
                    compact=True,
                    disabled=source == "environment",
                ),
            )
        security = self.values.get("security", ("", ""))[0] or "none"
        yield form_row(
            smtp_label("security"),
            Select(
                [
                    (Text(_("None")), "none"),
                    (Text("STARTTLS"), "starttls"),
                    (Text("TLS"), "tls"),
                ],
                id="smtp-security",
                compact=True,
                allow_blank=False,
                value=security if security in ("none", "starttls", "tls") else "none",
            ),
        )
        overridden = [
            name for name, (_v, src) in self.values.items() if src == "environment"
        ]
        note = _(
            "The password comes from SEGTUI_SMTP_PASSWORD or the password file, "
            "never from the database."
        )
        if overridden:
            note += " " + _(
                "Set by the environment, so not changed here: {names}."
            ).format(names=", ".join(map(smtp_label, overridden)))
        yield Static(Text(note), markup=False)
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        if not self.read_only:
            yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.fit_labels()
        self.focus_next()

    def fit_labels(self) -> None:
        """Widen the label column to the longest label, such as a translated
        "Extra CA file", which the usual width would wrap and cut."""
        labels = list(self.query(".form-label").results(Label))
        longest = max(cell_len(str(label.content)) for label in labels)
        for label in labels:
            needed = longest + label.styles.gutter.width
            width = label.styles.width
            if width is None or not width.is_cells or width.value < needed:
                label.styles.width = needed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "save" and self.read_only)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.read_only:
            return
        changes: dict[str, str] = {}
        for name, _label in self.FIELDS:
            widget = self.query_one(f"#smtp-{name}", Input)
            if widget.disabled:
                continue
            if widget.value != self.values.get(name, ("", ""))[0]:
                changes[name] = widget.value
        security = str(self.query_one("#smtp-security", Select).value)
        if security != (self.values.get("security", ("", ""))[0] or "none"):
            changes["security"] = security
        if not changes:
            self.dismiss(None)
            return
        user = self.app.user  # type: ignore[attr-defined]
        run_job(
            self,
            lambda: email_delivery.save_smtp_settings(changes, user=user),
            lambda _result: self.dismiss(True),
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class SmtpSettingsScreen(SetupScreen, TableScreen):
    """Shows the SMTP settings in force and where each comes from."""

    SCREEN_TITLE = _("Email settings")
    HELP = _(
        "The SMTP server that Email lines are sent through. Environment variables "
        "SEGTUI_SMTP_* override what is stored here. The password is never stored "
        "in the database: set SEGTUI_SMTP_PASSWORD or name a password file."
    )
    ADMIN_ACTIONS = frozenset({"edit"})
    FOOTER_ESSENTIAL = frozenset({"edit"})

    BINDINGS = [
        Binding("enter,e", "edit", _("Edit"), tooltip=_("Change the SMTP settings")),
        Binding("f5", "refresh", _("Refresh"), tooltip=_("Read the settings again")),
        Binding("escape", "back", _("Back"), tooltip=_("Back to the previous screen")),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = RowTable(id="settings", zebra_stripes=False)
        columns = [
            (_("Setting"), "name", 16),
            (_("Value"), "value", 40),
            (_("From"), "source", 12),
        ]
        self.add_columns(table, columns, ("value",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.run(email_delivery.effective_smtp_values, self.show, group="load")

    def show(self, values: dict[str, tuple[str, str]]) -> None:
        self.values = values
        table = self.query_one("#settings", DataTable)
        source_labels = {
            "environment": _("environment"),
            "database": _("database"),
        }
        not_set = _("not set")
        # The column fits every source word, not only those of the rows read now,
        # so it keeps its width when a setting's source changes.
        self.fit_column(table, "source", [*source_labels.values(), not_set])
        self.fit_column(table, "name", [smtp_label(name) for name in SMTP_LABELS])
        table.clear()
        for name, (value, source) in values.items():
            source_label = source_labels.get(source, not_set)
            table.add_row(
                plain(smtp_label(name)), plain(value), plain(source_label), key=name
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if is_admin(self.app):
            self.action_edit()

    def action_edit(self) -> None:
        def closed(saved: bool | None) -> None:
            if saved:
                self.notify(_("Email settings saved."), markup=False)
                self.action_refresh()

        self.app.push_screen(
            SmtpSettingsDialog(getattr(self, "values", {}), not is_admin(self.app)),
            closed,
        )

    def action_back(self) -> None:
        self.dismiss(None)
