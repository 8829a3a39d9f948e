"""Forms built from setup field descriptions: one card dialog for every setup table.

A card shows one record's fields. The code is typed once, when the record is
created. Lookups and choices are pick lists, yes/no fields are ticks, and every
other field is a line of text; ctrl+s saves, Escape leaves without saving.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, Input, Select, Static

from segtui.domain import lookups
from segtui.domain.errors import SegtuiError
from segtui.domain.setup_tables import SetupField, SetupTable
from segtui.domain.text import no_value
from segtui.i18n import _
from segtui.models import Role
from segtui.ui.screens.base import BaseScreen
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row, select_options
from segtui.ui.text import display, editable_amount, format_amount, read_amount
from segtui.ui.widgets.tick import Tick
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job


def is_admin(app: Any) -> bool:
    return getattr(app, "role", Role.ADMIN) == Role.ADMIN


class SetupScreen(BaseScreen):
    """A screen of setup records: keys that change setup show for admins only."""

    # Actions that change setup: hidden and refused for a user who is not admin.
    ADMIN_ACTIONS: frozenset[str] = frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.ADMIN_ACTIONS and not is_admin(self.app):
            return False
        return super().check_action(action, parameters)


def lookup_choices(lookup: str) -> list[tuple[str, str]]:
    """Return the codes a lookup field offers, with their names."""
    sources: dict[str, Callable[[], list[tuple[str, str]]]] = {
        "salesperson": lookups.salespeople,
        "language": lookups.languages,
        "interaction-group": interaction_groups,
        "campaign": campaigns,
    }
    return sources[lookup]()


def interaction_groups() -> list[tuple[str, str]]:
    from segtui.models import InteractionGroup

    return [
        (row.code, row.description)
        for row in InteractionGroup.select().order_by(InteractionGroup.code)
    ]


def campaigns() -> list[tuple[str, str]]:
    from segtui.models import Campaign

    return [
        (row.no, row.description) for row in Campaign.select().order_by(Campaign.no)
    ]


def load_choices(table: SetupTable) -> dict[str, list[tuple[str, str]]]:
    return {
        spec.name: lookup_choices(spec.lookup)
        for spec in table.fields
        if spec.kind == "lookup"
    }


class SetupCardDialog(FormDialog, FieldNavigation):
    """Create or change one setup record; an error keeps the card open.

    A tick's label is in the row's label column, so the tick itself fills the row.

    ``save`` is the domain function that stores the values: it gets the code, the
    changed values and the acting user, and returns the saved values.
    """

    HELP = _(
        "One record of a setup table: a salesperson, a language, an interaction "
        "group or an interaction template. Code is typed once, when the record is "
        "created: up to 20 characters, 10 for a language, without spaces, saved "
        "in capitals. A pick list offers the values allowed, a tick is yes or no, "
        "and an amount is written as the interface shows numbers, 0 for none. "
        "An email address reads name@example.com, and a locale such as de_DE or "
        "en_GB sets how letters in that language write dates and amounts. The "
        "Name of salespeople and languages, Locale and a template's Group are "
        "required.\n\n"
        "On a template card, Corresp. type is used for contacts without their own "
        "correspondence type, and Ign. contact type uses it for every contact. "
        "Unit cost and Duration (min) are recorded on each interaction, and the "
        "campaign ticks mark the interactions as targets or responses of the "
        "campaign in Campaign No.\n\n"
        "Ctrl+S saves, and a problem names its field and keeps the card open. "
        "Users who are not administrators see the card without a Save button. "
        "Esc closes without saving."
    )

    DEFAULT_CSS = """
    SetupCardDialog .form-row Checkbox {
        width: 1fr;
    }
    """

    def __init__(
        self,
        table: SetupTable,
        values: dict[str, Any] | None,
        choices: dict[str, list[tuple[str, str]]],
        save: Callable[..., dict[str, Any]],
        *,
        read_only: bool = False,
    ) -> None:
        if values is None:
            title = _("New {record}").format(record=table.singular())
        else:
            title = f"{table.singular()} {values['code']}"
        super().__init__(title)
        self.table = table
        self.values = values
        self.choices = choices
        self.save_function = save
        self.read_only = read_only

    def input_fields(self) -> list[SetupField]:
        return [spec for spec in self.table.fields if spec.kind != "code"]

    def compose_body(self) -> ComposeResult:
        values = self.values or {}
        code = TypeAheadInput(
            display(values.get("code")),
            id="code",
            compact=True,
            max_length=self.table.field("code").max_length,
            disabled=self.values is not None,
        )
        yield form_row(_("Code"), code)
        for spec in self.input_fields():
            yield form_row(spec.label(), self.field_widget(spec, values.get(spec.name)))
        yield from self.compose_extra()
        yield Static("", id="error", markup=False)

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def field_widget(self, spec: SetupField, value: Any) -> Any:
        widget_id = f"field-{spec.name}"
        if spec.kind == "bool":
            return Tick("", bool(value), id=widget_id, compact=True)
        if spec.kind == "choice":
            return Select(
                [(Text(label()), choice) for choice, label in spec.choices],
                id=widget_id,
                compact=True,
                allow_blank=False,
                value=value if value is not None else spec.choices[0][0],
            )
        if spec.kind == "lookup":
            options = self.choices.get(spec.name, [])
            known = bool(value) and any(code == value for code, _label in options)
            # Textual 8.2.8 shows the prompt when a value is set before mounting,
            # so the value goes to the constructor.
            return Select(
                select_options(options),
                id=widget_id,
                compact=True,
                prompt=no_value(),
                value=value if known else Select.NULL,
            )
        text = editable_amount(value) if isinstance(value, Decimal) else (value or "")
        return TypeAheadInput(
            str(text), id=widget_id, compact=True, max_length=spec.max_length
        )

    def compose_buttons(self) -> ComposeResult:
        if not self.read_only:
            yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        if self.values is None:
            self.query_one("#code", Input).focus()
        else:
            self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "save" and self.read_only)

    def read_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self.input_fields():
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Checkbox):
                values[spec.name] = widget.value
            elif isinstance(widget, Select):
                values[spec.name] = widget.selection or ""
            else:
                values[spec.name] = widget.value  # type: ignore[attr-defined]
        return values

    def changed_values(self) -> dict[str, Any]:
        values = self.read_values()
        if self.values is None:
            return values
        changed = {}
        for name, value in values.items():
            before = self.values.get(name)
            if isinstance(before, Decimal):
                before = editable_amount(before)
            if isinstance(before, bool) or isinstance(value, bool):
                if bool(before) != bool(value):
                    changed[name] = value
            elif (before or "") != (value or ""):
                changed[name] = value
        return changed

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.read_only:
            return
        code = self.query_one("#code", Input).value
        changes = self.changed_values()
        if self.values is not None and not changes and not self.extra_changes():
            self.dismiss(None)
            return
        problems = self.empty_amounts(changes) or self.read_amounts(changes)
        if problems:
            self.show_problem(_("Not saved:"), problems)
            return
        user = self.app.user  # type: ignore[attr-defined]
        create = self.values is None
        save = self.save_function
        extra = self.extra_save()
        run_job(
            self,
            lambda: save_with_extra(save, extra, code, changes, user, create),
            self.dismiss,
            on_error=self.report,
        )

    def empty_amounts(self, changes: dict[str, Any]) -> list[str]:
        """Return a message for each amount field left empty."""
        example = format_amount(Decimal("1.20"))
        return [
            _(
                "{field} is empty; enter an amount such as {example}, or 0 for none."
            ).format(field=spec.label(), example=example)
            for spec in self.input_fields()
            if spec.kind == "amount"
            and spec.name in changes
            and not str(changes[spec.name] or "").strip()
        ]

    def read_amounts(self, changes: dict[str, Any]) -> list[str]:
        """Replace each typed amount in ``changes`` by its number; return the errors.

        Amounts are typed as the interface language writes them (1.234,56 in
        German), which the domain, reading a point or a comma, does not parse.
        """
        problems = []
        for spec in self.input_fields():
            if spec.kind != "amount" or spec.name not in changes:
                continue
            try:
                changes[spec.name] = read_amount(spec.label(), changes[spec.name])
            except SegtuiError as error:
                problems.append(error.message)
        return problems

    def extra_changes(self) -> bool:
        return False

    def extra_save(self) -> Callable[[str, str], None] | None:
        """Return a function that stores what the card shows beyond the fields."""
        return None

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


def save_with_extra(
    save: Callable[..., dict[str, Any]],
    extra: Callable[[str, str], None] | None,
    code: str,
    changes: dict[str, Any],
    user: str,
    create: bool,
) -> dict[str, Any]:
    """Save a card's fields and its extra values in one transaction."""
    from segtui.db import write_transaction

    with write_transaction():
        if changes or create:
            saved = save(code, changes, user=user, create=create)
        else:
            saved = {"code": code}
        if extra is not None:
            extra(saved["code"], user)
        return saved
