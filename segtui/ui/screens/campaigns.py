"""Campaigns: their dates, status, targets and responses, and their entries."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, DataTable, Input, Select, Static

from segtui.domain import campaigns, lookups
from segtui.domain.dates import date_hint
from segtui.domain.text import no_value
from segtui.i18n import _
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.history import InteractionHistoryScreen
from segtui.ui.screens.listing import ListScreen, selected_key
from segtui.ui.screens.navigation import FieldNavigation
from segtui.ui.screens.segment_dialogs import FormDialog, form_row, select_options
from segtui.ui.text import display, format_count, plain
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.widgets.virtual_table import RowTable
from segtui.ui.worker import run_job


class CampaignDialog(FormDialog, FieldNavigation):
    """Create a campaign or change one."""

    HELP = _(
        "A campaign that interactions, segments and templates can belong to. No. "
        "is typed once, when the campaign is created: up to 20 letters, digits or "
        "- _ . / + #, saved in capitals. Description names it, and its first 100 "
        "characters are kept. Starting date and Ending date take a date in the "
        "form the field shows, or stay blank, and the ending date cannot be "
        "before the starting date. Salesperson is the one responsible. Status is "
        "a word such as PLANNED, ACTIVE or DONE, or any other text: it is saved in "
        "capitals, and its first 20 characters are kept.\n\n"
        "Ctrl+S saves. A number that exists already keeps the dialog open with the "
        "problem. Esc closes without saving."
    )

    def __init__(
        self, row: campaigns.CampaignRow | None, salespeople: list[tuple[str, str]]
    ) -> None:
        super().__init__(
            _("Campaign {no}").format(no=row.no) if row else _("New campaign")
        )
        self.row = row
        self.salespeople = salespeople

    def compose_body(self) -> ComposeResult:
        row = self.row
        number = TypeAheadInput(
            row.no if row else "", id="no", compact=True, max_length=20
        )
        number.disabled = row is not None
        yield form_row(_("No."), number)
        yield form_row(
            _("Description"),
            TypeAheadInput(
                row.description if row else "", id="description", compact=True
            ),
        )
        for name, label, value in (
            ("starting_date", _("Starting date"), row.starting_date if row else None),
            ("ending_date", _("Ending date"), row.ending_date if row else None),
        ):
            yield form_row(
                label,
                TypeAheadInput(
                    display(value), id=name, compact=True, placeholder=date_hint()
                ),
            )
        salesperson: Select[str] = Select(
            select_options(self.salespeople),
            id="salesperson",
            compact=True,
            prompt=no_value(),
        )
        if row and row.salesperson_code:
            salesperson.value = row.salesperson_code
        yield form_row(_("Salesperson"), salesperson)
        yield form_row(
            _("Status"),
            TypeAheadInput(
                row.status if row else "",
                id="status",
                compact=True,
                placeholder=", ".join(campaigns.SUGGESTED_STATUSES),
            ),
        )
        yield Static("", id="error", markup=False)

    def compose_buttons(self) -> ComposeResult:
        yield Button(_("Save (Ctrl+S)"), id="save", variant="primary", compact=True)
        yield Button(_("Cancel (Esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#description" if self.row else "#no", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values = {
            name: self.query_one(f"#{name}", Input).value
            for name in ("no", "description", "starting_date", "ending_date", "status")
        }
        salesperson = self.query_one("#salesperson", Select).selection or ""
        user = self.app.user  # type: ignore[attr-defined]
        new = self.row is None
        run_job(
            self,
            lambda: campaigns.save_campaign(
                values["no"],
                description=values["description"],
                starting_date=values["starting_date"],
                ending_date=values["ending_date"],
                salesperson_code=salesperson,
                status=values["status"],
                user=user,
                new=new,
            ),
            self.dismiss,
            on_error=self.report,
        )

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


class CampaignListScreen(ListScreen):
    SCREEN_TITLE = _("Campaigns")
    HELP = _(
        "Campaigns with their dates and status, and what their interaction log "
        "entries that are not canceled count: contacts targeted, contacts that "
        "responded, and interactions. Enter shows a campaign's entries; n creates "
        "a campaign, e changes one, d deletes one that nothing refers to. Log a "
        "response on a contact's card with r."
    )

    ADMIN_ACTIONS = frozenset({"new", "edit", "delete"})

    FOOTER_ESSENTIAL = frozenset({"new", "edit", "delete"})

    BINDINGS = [
        Binding(
            "enter", "open", _("Entries"), tooltip=_("Show the campaign's entries")
        ),
        Binding("n", "new", _("New"), tooltip=_("Create a campaign")),
        Binding("e", "edit", _("Edit"), tooltip=_("Change the campaign")),
        Binding("d,delete", "delete", _("Delete"), tooltip=_("Delete the campaign")),
        Binding(
            "f5",
            "refresh",
            _("Refresh"),
            show=False,
            tooltip=_("Read the campaigns again"),
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, campaigns.CampaignRow] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        columns = [
            (_("No."), "no", 8),
            (_("Description"), "description", 12),
            (_("Start"), "start", 10),
            (_("End"), "end", 10),
            (_("Status"), "status", 6),
            (_("Target"), "targets", 6),
            (_("Resp."), "responses", 5),
            (_("Inter."), "interactions", 6),
        ]
        table = RowTable(id="campaigns")
        self.add_columns(table, columns, ("description",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self, select: str | None = None) -> None:
        """Read the campaigns again; the cursor goes to campaign ``select`` if given."""
        self.run(
            campaigns.list_campaigns,
            lambda rows: self.show(rows, select),
            group="load",
            exclusive=True,
        )

    def show(
        self, rows: list[campaigns.CampaignRow], select: str | None = None
    ) -> None:
        table = self.query_one("#campaigns", DataTable)
        current = select or selected_key(table)
        table.clear()
        self.rows = {row.no: row for row in rows}
        for row in rows:
            table.add_row(
                plain(row.no),
                plain(row.description),
                plain(row.starting_date),
                plain(row.ending_date),
                plain(row.status),
                plain(format_count(row.targets).rjust(5)),
                plain(format_count(row.responses).rjust(5)),
                plain(format_count(row.interactions).rjust(5)),
                key=row.no,
            )
        self.restore_cursor(table, current)
        self.set_title(_("Campaigns ({count})").format(count=format_count(len(rows))))
        table.focus()

    def selected(self) -> campaigns.CampaignRow | None:
        key = selected_key(self.query_one("#campaigns", DataTable))
        return self.rows.get(key) if key else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(
                InteractionHistoryScreen(
                    {"campaign": row.no},
                    _("Interactions of campaign {no}").format(no=row.no),
                )
            )

    def saved(self, no: str | None) -> None:
        if no:
            self.notify(_("Campaign {no} saved.").format(no=no), markup=False)
            self.action_refresh(no)

    def open_form(self, row: campaigns.CampaignRow | None) -> None:
        self.run(
            lookups.salespeople,
            lambda salespeople: self.app.push_screen(
                CampaignDialog(row, salespeople), self.saved
            ),
        )

    def action_new(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_form(row)

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        user = self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: campaigns.delete_campaign(row.no, user=user),
                    lambda _result: self.action_refresh(),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete campaign"),
                _("Delete campaign {no}?").format(no=row.no),
                help=_(
                    "Yes deletes the campaign for good; there is no undo. A campaign "
                    "that interaction log entries, templates, segments or segment "
                    "lines refer to is not deleted, and segtui says what uses it. No "
                    "and Esc keep the campaign."
                ),
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)
