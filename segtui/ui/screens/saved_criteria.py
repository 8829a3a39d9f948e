"""The list of saved criteria: view their actions, delete them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from segtui.domain import saved_criteria
from segtui.i18n import _
from segtui.ui.screens.dialogs import ConfirmDialog, MessageDialog
from segtui.ui.screens.listing import TableScreen, new_table, refill, selected_key
from segtui.ui.text import display, format_count, plain


class SavedCriteriaScreen(TableScreen):
    SCREEN_TITLE = _("Saved criteria")
    HELP = _(
        "Criteria saved from segments under a code: the actions that built a "
        "segment, with their filters and options. Reuse them on another segment "
        "with u in that segment's criteria list (c in the worksheet). Enter shows "
        "the actions of the selected criteria; d deletes them after a question whose "
        "default is No."
    )

    MARKETING_ACTIONS = frozenset({"delete"})

    FOOTER_ESSENTIAL = frozenset({"delete"})

    BINDINGS = [
        Binding("enter", "view", _("View"), tooltip=_("Show the saved actions")),
        Binding(
            "d,delete",
            "delete",
            _("Delete"),
            tooltip=_("Delete the saved criteria"),
        ),
        Binding(
            "f5", "refresh", _("Refresh"), tooltip=_("Read the saved criteria again")
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        table = new_table("saved", [])
        columns = [
            (_("Code"), "code", 16),
            (_("Description"), "description", 33),
            # Wide enough for the German heading "Aktionen".
            (_("Actions"), "actions", 8),
            (_("Created by"), "created_by", 12),
        ]
        self.add_columns(table, columns, ("description",))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.run(
            saved_criteria.list_saved_criteria, self.show, group="load", exclusive=True
        )

    def show(self, rows: list[saved_criteria.SavedCriteriaSummary]) -> None:
        table = self.query_one("#saved", DataTable)
        with refill(table):
            for row in rows:
                table.add_row(
                    plain(row.code),
                    plain(row.description),
                    plain(format_count(row.actions).rjust(7)),
                    plain(row.created_by),
                    key=row.code,
                )
        self.fit_column(table, "code", (row.code for row in rows))
        self.set_title(
            _("Saved criteria ({count})").format(count=format_count(len(rows)))
        )
        table.focus()

    def selected_code(self) -> str | None:
        return selected_key(self.query_one("#saved", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_view()

    def action_view(self) -> None:
        code = self.selected_code()
        if code is None:
            self.notify(
                _(
                    "There are no saved criteria yet; save a segment's criteria with s "
                    "in its criteria list."
                ),
                markup=False,
            )
            return
        description = self.query_one("#saved", DataTable).get_row(code)[1].plain

        def shown(lines: list[str]) -> None:
            self.app.push_screen(
                MessageDialog(
                    _("Saved criteria {code}").format(code=code),
                    description or _("(no description)"),
                    [
                        f"{index}  {display(line)}"
                        for index, line in enumerate(lines, 1)
                    ],
                    help=_(
                        "The description of the saved criteria, then their actions "
                        "in the order they are replayed, each with its filters and "
                        "options. Reuse them with u in a segment's criteria list."
                    ),
                )
            )

        self.run(lambda: saved_criteria.describe_saved(code), shown)

    def action_delete(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        description = self.query_one("#saved", DataTable).get_row(code)[1].plain
        user = self.app.user  # type: ignore[attr-defined]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(
                    lambda: saved_criteria.delete_saved_criteria(code, user=user),
                    lambda _result: self.deleted(code),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Delete saved criteria"),
                _("Delete saved criteria {code} {description}?").format(
                    code=code, description=description
                ),
                default=False,
                help=_(
                    "Yes deletes these saved criteria with their actions for good; "
                    "there is no undo. Segments they were replayed on keep their "
                    "lines and their own criteria. No and Esc keep them."
                ),
            ),
            answered,
        )

    def deleted(self, code: str) -> None:
        self.notify(_("Saved criteria {code} deleted.").format(code=code), markup=False)
        self.action_refresh()

    def action_back(self) -> None:
        self.dismiss(None)
