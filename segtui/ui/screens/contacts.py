"""The contact list: type to search, sort, filter by criteria, and open a card."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, Static

from segtui.domain import contact_queries, contacts
from segtui.domain.contact_import import ImportResult
from segtui.domain.criteria import Filters, clean_filters, describe_filters
from segtui.domain.criteria_sources import EXISTS_FIELD
from segtui.i18n import _, ngettext
from segtui.ui.focus import focus_now
from segtui.ui.screens.criteria import CriteriaBuilderScreen
from segtui.ui.screens.criteria_form import (
    FILTER_HELP,
    Outcome,
    find_invalid_filter,
    input_id,
    none_tick_id,
)
from segtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog
from segtui.ui.screens.listing import ListScreen, selected_key
from segtui.ui.text import format_count, plain
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.widgets.virtual_table import WindowRow, WindowTable

# Contacts read per page. The table keeps at most two pages, whatever the count.
PAGE_SIZE = 200
# Seconds after the last key in the search field before the list is read again.
SEARCH_DELAY = 0.3


@dataclass
class ContactPage:
    # The index of the first row read, and the rows from there on.
    offset: int
    rows: list[WindowRow]
    total: int


def contact_rows(
    search: str, filters: Filters, sort: str, offset: int, limit: int, total: int
) -> list[WindowRow]:
    """Read a page of the contact list as table rows.

    ``total`` is the list's row count, so pages near the end are read from there.
    """
    return [
        WindowRow(
            key=row.no,
            cells=(
                plain(row.no),
                plain(row.name),
                plain(type_letter(row.type)),
                plain(flag_letter(row)),
                plain(row.city),
                plain(row.country_code),
                plain(row.email),
            ),
        )
        for row in contact_queries.list_contacts(
            search, filters, sort, offset, limit, total
        )
    ]


def type_label(value: str) -> str:
    return _("Company") if value == "company" else _("Person")


def flag_letter(row: contact_queries.ContactRow) -> str:
    """Return X for a contact excluded from segments, B for a privacy block."""
    if row.privacy_blocked:
        return _("B")
    return _("X") if row.excluded else ""


def type_letter(value: str) -> str:
    """Return C for a company and P for a person, for a narrow column."""
    return _("C") if value == "company" else _("P")


class ContactListScreen(ListScreen):
    SCREEN_TITLE = _("Contacts")
    HELP = _(
        "All contacts, companies and persons. The screen opens on the list, where "
        "Enter opens the contact's card, f filters by criteria (country, mailing "
        "group, interactions, ...), c clears the filters, o changes the sort order, "
        "n creates a contact, d deletes one and i imports contacts from a CSV file. "
        "s or Ctrl+F moves to the search field: the list then shows the contacts "
        "whose number, name, city or email contain every word you type; case and "
        "accents do not matter, and ss finds ß. Enter, "
        "Esc or the down arrow goes back to the list and keeps the search. "
        "Column T shows C for a company and P for a person. Column ! shows X for a "
        "contact excluded from segments and B for one blocked for privacy reasons."
    )

    MARKETING_ACTIONS = frozenset({"new", "edit", "delete", "import_contacts"})
    # Left out of the footer below 100 columns, but F1 help and the palette list them.
    FOOTER_WIDE_ONLY = frozenset({"sort", "delete"})
    FOOTER_ESSENTIAL = frozenset(
        {"new", "import_contacts", "filter", "clear_filter", "search"}
    )

    BINDINGS = [
        Binding("enter", "open", _("Open"), tooltip=_("Open the contact's card")),
        Binding("n", "new", _("New"), tooltip=_("Create a contact")),
        Binding("e", "edit", _("Edit"), show=False, tooltip=_("Edit the contact")),
        Binding("d,delete", "delete", _("Delete"), tooltip=_("Delete the contact")),
        Binding(
            "i",
            "import_contacts",
            _("Import"),
            tooltip=_("Import contacts from a CSV file"),
        ),
        Binding(
            "f", "filter", _("Filter"), tooltip=_("Filter the contacts by criteria")
        ),
        Binding("c", "clear_filter", _("Clear"), tooltip=_("Remove the filters")),
        Binding("o", "sort", _("Sort"), tooltip=_("Choose the sort order")),
        Binding(
            "y",
            "copy_no",
            _("Copy No."),
            show=False,
            tooltip=_("Copy the contact number to the clipboard"),
        ),
        Binding(
            "s,ctrl+f",
            "search",
            _("Search"),
            tooltip=_("Move to the search field"),
            # The app runs a priority binding before it hands out the next key, so
            # the word typed right after s goes into the field (see focus.py).
            priority=True,
        ),
        Binding(
            "down",
            "to_list",
            _("To list"),
            show=False,
            tooltip=_("Move from the search field to the list"),
        ),
        Binding(
            "f5", "refresh", _("Refresh"), show=False, tooltip=_("Read the list again")
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters: Filters = {}
        self.sort = "no"
        self.total = 0
        # The search, filters and sort of the rows on screen; None before the first.
        self.shown_query: tuple[str, str, str] | None = None
        self.search_timer: Timer | None = None
        # Raised by every reload; a page for an older reload is dropped.
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield TypeAheadInput(
            placeholder=_("Search: number, name, city or email"),
            id="search",
            compact=True,
        )
        yield Static("", id="list-status", markup=False)
        table = WindowTable(id="contacts", page_rows=PAGE_SIZE)
        columns = [
            (_("No."), "no", 8),
            (_("Name"), "name", 24),
            (_("T"), "type", 1),
            ("!", "flag", 1),
            (_("City"), "city", 13),
            (_("Ctry"), "country", 4),
            (_("Email"), "email", 13),
        ]
        self.add_columns(table, columns, ("name", "city", "email"))
        yield table
        yield from self.compose_footer()

    def on_mount(self) -> None:
        # The list has the focus, so the action keys work at once and the footer
        # shows them. s or ctrl+f moves to the search field.
        self.action_to_list()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.shown_query is not None:
            self.action_refresh()

    @on(Input.Changed, "#search")
    def search_changed(self) -> None:
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(SEARCH_DELAY, self.search_now)

    def search_now(self) -> None:
        self.search_timer = None
        self.action_refresh()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.action_to_list()

    def action_to_list(self) -> None:
        focus_now(self.query_one("#contacts", DataTable))
        if self.search_timer is not None:
            # Keys typed after this one, such as Enter, are meant for the rows of
            # the search, so it runs now instead of after the typing pause.
            self.search_timer.stop()
            self.search_timer = None
            self.action_refresh()

    def action_search(self) -> None:
        if isinstance(self.focused, Input):
            # In a text field the key is text.
            raise SkipAction()
        focus_now(self.query_one("#search", Input))

    def action_refresh(self) -> None:
        self.generation += 1
        generation = self.generation
        search = self.query_one("#search", Input).value
        filters, sort = self.filters, self.sort
        query = (search, repr(filters), sort)
        table = self.query_one("#contacts", WindowTable)
        # The same list read again keeps its place; a new search starts at the top.
        offset, limit = table.reload_span()
        if query != self.shown_query:
            offset = 0

        def load() -> ContactPage | None:
            total = contact_queries.count_contacts(search, filters)
            if generation != self.generation:
                # A newer reload started while this one counted. This page would be
                # dropped on arrival, and reading it takes a core from the newer
                # reload, so it is not read.
                return None
            start = max(0, min(offset, total - limit))
            rows = contact_rows(search, filters, sort, start, limit, total)
            return ContactPage(start, rows, total)

        def fetch(total: int, offset: int, limit: int) -> list[WindowRow]:
            return contact_rows(search, filters, sort, offset, limit, total)

        self.run(
            load,
            lambda page: self.show(generation, query, page, fetch),
            group="load",
            exclusive=True,
        )

    def show(
        self,
        generation: int,
        query: tuple[str, str, str],
        page: ContactPage | None,
        fetch: Callable[[int, int, int], list[WindowRow]],
    ) -> None:
        if generation != self.generation or page is None:
            return
        table = self.query_one("#contacts", WindowTable)
        # A refresh of the same list keeps the selected contact. A new search,
        # filter or sort shows the top of its results with the first row selected.
        current = selected_key(table) if query == self.shown_query else None
        self.shown_query = query
        self.total = page.total
        self.fit_column(table, "no", (row.cells[0] for row in page.rows))
        table.show_rows(
            page.total, page.offset, page.rows, partial(fetch, page.total), keep=current
        )
        self.show_status()

    def show_status(self) -> None:
        search = self.shown_query[0] if self.shown_query else ""
        if self.total == 0 and (search or self.filters):
            # Wraps, so that the keys that help are never cut off at 80 columns.
            status = self.query_one("#list-status", Static)
            status.update(Text(self.no_match_text(search)))
            self.set_title(_("Contacts ({count})").format(count=format_count(0)))
            return
        labels = contact_queries.sort_labels()
        text = ngettext("{count} contact", "{count} contacts", self.total).format(
            count=format_count(self.total)
        )
        text += "  " + _("sorted by {sort}").format(sort=labels[self.sort])
        if self.filters:
            text += "  " + _("filter: {filters}").format(
                filters=describe_filters(self.filters)
            )
        self.query_one("#list-status", Static).update(Text(text, no_wrap=True))
        self.set_title(_("Contacts ({count})").format(count=format_count(self.total)))

    def no_match_text(self, search: str) -> str:
        """Return what to show when a search or filters leave no contact: what
        matched nothing and the keys in effect that change it."""
        if search and self.filters:
            text = _('No contact matches "{search}" with these filters.')
        elif search:
            text = _('No contact matches "{search}".')
        else:
            text = _("No contact matches these filters.")
        hints = []
        search_key = self.key_in_effect("search")
        if search and search_key:
            hints.append(_("Press {key} to change the search.").format(key=search_key))
        clear_key = self.key_in_effect("clear_filter")
        if self.filters and clear_key:
            hints.append(_("Press {key} to remove the filters.").format(key=clear_key))
        return " ".join([text.format(search=search), *hints])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def selected(self) -> str | None:
        return selected_key(self.query_one("#contacts", DataTable))

    def action_open(self) -> None:
        if isinstance(self.focused, Input):
            self.action_to_list()
            return
        no = self.selected()
        if no is not None:
            from segtui.ui.screens.contact_card import ContactCardScreen

            self.app.push_screen(ContactCardScreen(no))

    def action_copy_no(self) -> None:
        no = self.selected()
        if no is not None:
            self.app.copy_value(_("contact number"), no)  # type: ignore[attr-defined]

    def action_new(self) -> None:
        from segtui.ui.screens.contact_dialogs import open_contact_form

        def created(no: str | None) -> None:
            if no:
                from segtui.ui.screens.contact_card import ContactCardScreen

                self.app.push_screen(ContactCardScreen(no))

        open_contact_form(self, None, created)

    def action_edit(self) -> None:
        from segtui.ui.screens.contact_dialogs import open_contact_form

        no = self.selected()
        if no is not None:
            open_contact_form(self, no, lambda _saved: self.action_refresh())

    def action_delete(self) -> None:
        no = self.selected()
        if no is not None:
            confirm_delete(self, no, self.action_refresh)

    def action_import_contacts(self) -> None:
        from segtui.ui.screens.contact_import import ContactImportDialog

        def imported(result: ImportResult | None) -> None:
            if result is not None:
                self.notify(result.message(), markup=False, timeout=10)
                self.action_refresh()

        self.app.push_screen(ContactImportDialog(), imported)

    def action_filter(self) -> None:
        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters
                self.action_refresh()

        self.app.push_screen(ContactFilterScreen(self.filters), chosen)

    def action_clear_filter(self) -> None:
        if self.filters:
            self.filters = {}
            self.action_refresh()

    def action_sort(self) -> None:
        def chosen(sort: str | None) -> None:
            if sort:
                self.sort = sort
                self.action_refresh()

        choices = list(contact_queries.sort_labels().items())
        self.app.push_screen(ChoiceDialog(_("Sort by"), choices, self.sort), chosen)

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.action_to_list()
            return
        self.dismiss(None)


def confirm_delete(screen: ListScreen, no: str, done: Callable[[], None]) -> None:
    """Ask, then delete a contact; the question's default is No."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        user = screen.app.user  # type: ignore[attr-defined]
        screen.run(
            lambda: contacts.delete_contact(no, user=user),
            lambda _result: deleted(),
        )

    def deleted() -> None:
        screen.notify(_("Contact {no} deleted.").format(no=no), markup=False)
        done()

    screen.app.push_screen(
        ConfirmDialog(
            _("Delete contact"),
            _(
                "Delete contact {no} with its classifications? Its interaction log "
                "entries stay."
            ).format(no=no),
            help=_(
                "Yes deletes the contact with its classifications for good; there "
                "is no undo. Its interaction log entries stay, with its number and "
                "name. A contact on an unlogged segment, or a company that still has "
                "persons, is not deleted, and segtui says why. No and Esc keep it."
            ),
        ),
        answered,
    )


class ContactFilterScreen(CriteriaBuilderScreen):
    """The criteria form, used to filter the contact list instead of a segment."""

    ACTION_TITLE = _("Filter contacts")
    APPLY_LABEL = _("Filter (Ctrl+S)")
    HELP = (
        _(
            "Filter the contact list: fill in filters, watch how many contacts they "
            "select, and press Ctrl+S. Esc closes without changing the filter."
        )
        + "\n\n"
        + FILTER_HELP
    )

    BINDINGS = [
        Binding(
            "ctrl+s",
            "apply",
            _("Filter"),
            tooltip=_("Show only the contacts that match"),
        ),
    ]

    def __init__(self, filters: Filters) -> None:
        super().__init__("")
        self.initial = filters

    def title_text(self) -> str:
        return self.ACTION_TITLE

    def on_mount(self) -> None:
        for source, fields in self.initial.items():
            for field, expression in fields.items():
                if field == EXISTS_FIELD:
                    found = self.query(f"#{none_tick_id(source)}")
                    if found:
                        found.first(Checkbox).value = True
                    continue
                inputs = self.query(f"#{input_id(source, field)}")
                if inputs:
                    inputs.first(Input).value = expression
        super().on_mount()

    def count_job(self) -> Callable[[], Outcome]:
        filters = self.filters()

        def count() -> Outcome:
            invalid = find_invalid_filter(filters)
            if invalid is not None:
                return invalid
            return Outcome(contact_queries.count_contacts("", filters))

        return count

    def count_text(self, count: Any) -> str:
        return ngettext(
            "{count} contact matches.", "{count} contacts match.", count
        ).format(count=format_count(count))

    def apply_job(self) -> Callable[[], Outcome]:
        filters = self.filters()

        def apply() -> Outcome:
            invalid = find_invalid_filter(filters)
            if invalid is not None:
                return invalid
            return Outcome(clean_filters(filters))

        return apply
