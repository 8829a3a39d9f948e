"""A contact's card: its fields, company or persons, classifications, segments, history."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from segtui.domain import classifications, profiles
from segtui.domain.contact_fields import CONTACT_COLUMNS, column_label
from segtui.domain.contact_queries import ContactCard, contact_card
from segtui.i18n import _, format_count
from segtui.models import Contact
from segtui.ui.focus import focus_now
from segtui.ui.screens.contact_dialogs import (
    PROFILE_KIND,
    ResponseDialog,
    TagDialog,
    kind_labels,
    open_contact_form,
    response_choices,
    tag_choices,
)
from segtui.ui.screens.contacts import confirm_delete, type_label
from segtui.ui.screens.dialogs import ConfirmDialog
from segtui.ui.screens.history import (
    InteractionHistoryScreen,
    entry_state,
    show_letter,
    state_width,
)
from segtui.ui.screens.listing import ListScreen, new_table, selected_key
from segtui.ui.screens.timeline import Timeline
from segtui.ui.text import display, plain

TABS = ("general", "relations", "classifications", "segments", "history")


class ContactCardScreen(ListScreen):
    HELP = _(
        "One contact with all its fields (1), its company or its persons (2), its "
        "classifications (3), the unlogged segments it is on (4) and its "
        "interaction history with a chart of the last twelve months (5). e edits "
        "the contact, a adds a classification and x removes the selected one, r "
        "logs a campaign response, h shows the whole history. Enter opens the "
        "selected person, company or letter."
    )

    DEFAULT_CSS = """
    ContactCardScreen TabbedContent, ContactCardScreen ContentSwitcher {
        height: 1fr;
    }
    ContactCardScreen TabPane {
        height: 1fr;
        padding: 0;
    }
    ContactCardScreen #relation-note {
        height: 1;
        padding: 0 1;
    }
    """

    MARKETING_ACTIONS = frozenset(
        {"edit", "delete", "add_tag", "remove_tag", "respond"}
    )

    FOOTER_ESSENTIAL = frozenset(
        {"edit", "add_tag", "remove_tag", "respond", "history"}
    )

    BINDINGS = [
        Binding("e", "edit", _("Edit"), tooltip=_("Edit the contact's fields")),
        Binding("a", "add_tag", _("Classify"), tooltip=_("Add a classification")),
        Binding(
            "x",
            "remove_tag",
            _("Unclassify"),
            tooltip=_("Remove the selected classification"),
        ),
        Binding("r", "respond", _("Response"), tooltip=_("Log a campaign response")),
        Binding(
            "h", "history", _("History"), tooltip=_("Show all interaction log entries")
        ),
        Binding(
            "y",
            "copy_email",
            _("Copy email"),
            show=False,
            tooltip=_("Copy the contact's email address to the clipboard"),
        ),
        Binding(
            "d", "delete", _("Delete"), show=False, tooltip=_("Delete the contact")
        ),
        Binding(
            "1", "tab('general')", _("Fields"), show=False, tooltip=_("Show the fields")
        ),
        Binding(
            "2",
            "tab('relations')",
            _("Company"),
            show=False,
            tooltip=_("Show the company or persons"),
        ),
        Binding(
            "3",
            "tab('classifications')",
            _("Classes"),
            show=False,
            tooltip=_("Show the classifications"),
        ),
        Binding(
            "4",
            "tab('segments')",
            _("Segments"),
            show=False,
            tooltip=_("Show the unlogged segments"),
        ),
        Binding(
            "5",
            "tab('history')",
            _("History"),
            show=False,
            tooltip=_("Show the interactions"),
        ),
        Binding(
            "f5",
            "refresh",
            _("Refresh"),
            show=False,
            tooltip=_("Read the contact again"),
        ),
        Binding("escape", "back", _("Back"), tooltip=_("Back")),
    ]

    def __init__(self, contact_no: str) -> None:
        super().__init__()
        self.contact_no = contact_no
        self.card: ContactCard | None = None

    def title_text(self) -> str:
        return _("Contact {no}").format(no=self.contact_no)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with TabbedContent(id="card-tabs"):
            with TabPane(_("1 Fields"), id="tab-general"), VerticalScroll():
                yield Static("", id="fields", markup=False)
            with TabPane(_("2 Company"), id="tab-relations"):
                yield Static("", id="relation-note", markup=False)
                yield self.card_table(
                    "relations",
                    [
                        (_("No."), "no", 9),
                        (_("Name"), "name", 30),
                        (_("Role"), "role", 24),
                    ],
                    ("name", "role"),
                )
            with TabPane(_("3 Classes"), id="tab-classifications"):
                yield self.card_table(
                    "tags",
                    [
                        (_("Kind"), "kind", 20),
                        (_("Code"), "code", 16),
                        (_("Description"), "description", 34),
                    ],
                    ("description",),
                )
            with TabPane(_("4 Segments"), id="tab-segments"):
                yield self.card_table(
                    "segments",
                    [(_("Segment"), "no", 10), (_("Description"), "description", 50)],
                    ("description",),
                )
            with TabPane(_("5 History"), id="tab-history"):
                yield Timeline(id="timeline")
                yield self.card_table(
                    "card-entries",
                    [
                        (_("Entry"), "entry_no", 7),
                        (_("Date"), "date", 10),
                        (_("Templ."), "template", 6),
                        (_("Campaign"), "campaign", 8),
                        (_("Status"), "status", state_width()),
                        (
                            _("Description"),
                            "description",
                            20 - max(state_width() - 13, 0),
                        ),
                    ],
                    ("description",),
                )
        yield from self.compose_footer()

    def card_table(
        self,
        table_id: str,
        columns: list[tuple[str, str, int]],
        text_keys: tuple[str, ...],
    ) -> DataTable[Any]:
        """Return a table whose ``text_keys`` columns widen with the terminal."""
        table = new_table(table_id, [])
        self.add_columns(table, columns, text_keys)
        return table

    def on_mount(self) -> None:
        self.action_refresh()

    def record_exists(self) -> bool:
        return Contact.select().where(Contact.no == self.contact_no).exists()

    def deleted_message(self) -> str:
        return _("Contact {no} was deleted.").format(no=self.contact_no)

    def record_resumed(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        no = self.contact_no
        self.run(lambda: contact_card(no), self.show, group="load", exclusive=True)

    def show(self, card: ContactCard) -> None:
        self.card = card
        contact = card.contact
        self.contact_no = contact.no
        title = _("{type} {no}  {name}").format(
            type=type_label(contact.type), no=contact.no, name=contact.name
        )
        # The flags that keep a contact out of segments, in words at the top, since
        # their fields are far down the card.
        flags = []
        if contact.exclude_from_segment:
            flags.append(_("excluded from segments"))
        if contact.privacy_blocked:
            flags.append(_("privacy blocked"))
        if flags:
            title += "  (" + ", ".join(flags) + ")"
        self.set_title(title)
        self.query_one("#fields", Static).update(self.fields_text(card))
        self.show_relations(card)
        self.show_tags(card)
        segments = self.query_one("#segments", DataTable)
        segments.clear()
        for no, description in card.segments:
            segments.add_row(plain(no), plain(description), key=no)
        self.fit_column(segments, "no", (no for no, _description in card.segments))
        self.query_one("#timeline", Timeline).show(card.timeline, card.totals)
        entries = self.query_one("#card-entries", DataTable)
        entries.clear()
        for entry in card.recent:
            entries.add_row(
                plain(entry.entry_no),
                plain(entry.date),
                plain(entry.template_code),
                plain(entry.campaign_no),
                plain(entry_state(entry)),
                plain(entry.description),
                key=str(entry.entry_no),
            )
        self.fit_column(entries, "entry_no", (entry.entry_no for entry in card.recent))

    def fields_text(self, card: ContactCard) -> Text:
        contact = card.contact
        from segtui.domain.contacts import contact_values

        values = contact_values(contact)
        text = Text()
        for column in CONTACT_COLUMNS:
            value = values[column]
            if column == "type":
                value = type_label(str(value))
            text.append(f"{column_label(column):<22}", style="bold")
            text.append(display(value) + "\n")
        text.append(_("Created").ljust(22), style="bold")
        text.append(f"{display(contact.created_at)} {contact.created_by}\n")
        text.append(_("Modified").ljust(22), style="bold")
        text.append(f"{display(contact.modified_at)} {contact.modified_by}\n")
        return text

    def show_relations(self, card: ContactCard) -> None:
        table = self.query_one("#relations", DataTable)
        table.clear()
        note = self.query_one("#relation-note", Static)
        if card.contact.is_company:
            note.update(
                Text(
                    _("Persons of this company: {count}").format(
                        count=format_count(len(card.persons))
                    )
                )
            )
            for person in card.persons:
                table.add_row(
                    plain(person.no),
                    plain(person.name),
                    plain(person.job_title),
                    key=person.no,
                )
        elif card.company is not None:
            note.update(Text(_("Company of this person:")))
            table.add_row(
                plain(card.company.no),
                plain(card.company.name),
                plain(_("company")),
                key=card.company.no,
            )
        else:
            note.update(Text(_("An independent person: no company.")))
        self.fit_column(table, "no", table.get_column_at(0))

    def show_tags(self, card: ContactCard) -> None:
        labels = kind_labels()
        table = self.query_one("#tags", DataTable)
        table.clear()
        for tag in card.tags:
            table.add_row(
                plain(labels[tag.kind]),
                plain(tag.code),
                plain(tag.description),
                key=f"{tag.kind}|{tag.code}",
            )
        for answer in card.answers:
            table.add_row(
                plain(labels[PROFILE_KIND]),
                plain(answer.key),
                plain(f"{answer.question}: {answer.description}"),
                key=f"{PROFILE_KIND}|{answer.key}",
            )

    def action_tab(self, tab: str) -> None:
        self.query_one("#card-tabs", TabbedContent).active = f"tab-{tab}"
        tables = {
            "relations": "#relations",
            "classifications": "#tags",
            "segments": "#segments",
            "history": "#card-entries",
        }
        if tab in tables:
            focus_now(self.query_one(tables[tab], DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is None:
            return
        table_id = event.data_table.id
        if table_id == "relations":
            self.app.push_screen(ContactCardScreen(str(key)))
        elif table_id == "card-entries":
            show_letter(self, int(key))
        elif table_id == "segments":
            self.app.open_worksheet(str(key))  # type: ignore[attr-defined]

    def action_copy_email(self) -> None:
        if self.card is None:
            return
        email = self.card.contact.email or ""
        if not email:
            self.notify(_("The contact has no email address."), markup=False)
            return
        self.app.copy_value(_("email address"), email)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        open_contact_form(self, self.contact_no, lambda _saved: self.action_refresh())

    def action_delete(self) -> None:
        confirm_delete(self, self.contact_no, lambda: self.dismiss(None))

    def action_add_tag(self) -> None:
        if self.card is None:
            return
        contact_type = self.card.contact.type
        no = self.contact_no

        def added(code: str | None) -> None:
            if code:
                self.notify(_("{code} added.").format(code=code), markup=False)
                self.action_refresh()

        self.run(
            lambda: tag_choices(contact_type),
            lambda choices: self.app.push_screen(TagDialog(no, choices), added),
        )

    def action_remove_tag(self) -> None:
        self.action_tab("classifications")
        key = selected_key(self.query_one("#tags", DataTable))
        if key is None:
            self.notify(_("The contact has no classification to remove."), markup=False)
            return
        kind, code = key.split("|", 1)
        no, user = self.contact_no, self.app.user  # type: ignore[attr-defined]

        def remove() -> None:
            if kind == PROFILE_KIND:
                profiles.remove_contact_answer(no, code, user=user)
            else:
                classifications.remove_tag(no, kind, code, user=user)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(remove, lambda _result: self.action_refresh())

        self.app.push_screen(
            ConfirmDialog(
                _("Remove classification"),
                _("Remove {code} from contact {no}?").format(code=code, no=no),
                help=_(
                    "Yes removes this classification or profile answer from the "
                    "contact. The code itself stays set up, and Classify (a) gives "
                    "it back. Segment lines and interaction log entries are not "
                    "changed. No and Esc keep it."
                ),
            ),
            answered,
        )

    def action_respond(self) -> None:
        no = self.contact_no

        def logged(entry_no: int | None) -> None:
            if entry_no:
                self.notify(
                    _("Response logged as entry {no}.").format(no=entry_no),
                    markup=False,
                )
                self.action_refresh()

        def opened(choices: tuple[Any, Any]) -> None:
            campaign_choices, template_choices = choices
            if not campaign_choices:
                self.notify(
                    _("There is no campaign yet; create one under Go to, Campaigns."),
                    markup=False,
                )
                return
            self.app.push_screen(
                ResponseDialog(no, campaign_choices, template_choices), logged
            )

        self.run(response_choices, opened)

    def action_history(self) -> None:
        self.app.push_screen(
            InteractionHistoryScreen(
                {"contact": self.contact_no},
                _("Interactions of contact {no}").format(no=self.contact_no),
            )
        )

    def action_back(self) -> None:
        self.dismiss(None)
