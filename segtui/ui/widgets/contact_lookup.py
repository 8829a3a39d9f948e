"""A contact lookup: the contacts that match a number field's text, to pick from."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from segtui.domain import contact_queries
from segtui.domain.contact_queries import ContactLookup, ContactRow
from segtui.i18n import _
from segtui.ui.widgets.typeahead import TypeAheadInput
from segtui.ui.worker import run_job

# Contacts the lookup lists at most. With the dialog's field, status, message and
# buttons this fits in a dialog at 80x24.
LOOKUP_ROWS = 5
# Seconds after the last key in the field before the lookup reads the contacts.
SEARCH_DELAY = 0.25
# The widest a listed city may be, so that the name keeps most of the row.
CITY_WIDTH = 16
# Cells between the columns of a listed contact.
GAP = "  "


def contact_note(row: ContactRow, line_no: int | None) -> str:
    """Return the word that marks a listed contact for a second look, or ""."""
    if row.privacy_blocked:
        return _("privacy blocked")
    if line_no is not None:
        return _("on line {line_no}").format(line_no=line_no)
    if row.excluded:
        return _("excluded")
    return ""


def fitted(text: str, width: int) -> Text:
    """Return the text padded or cut with an ellipsis to exactly ``width`` cells."""
    fitted_text = Text(text, no_wrap=True)
    fitted_text.truncate(width, overflow="ellipsis", pad=True)
    return fitted_text


def match_prompts(lookup: ContactLookup, width: int) -> list[Text]:
    """Return a row of number, name, city and note for each contact, ``width`` wide.

    The columns line up. The name takes the cells the others leave.
    """
    notes = [contact_note(row, lookup.lines.get(row.no)) for row in lookup.rows]
    no_width = max((cell_len(row.no) for row in lookup.rows), default=0)
    city_width = min(
        CITY_WIDTH, max((cell_len(row.city) for row in lookup.rows), default=0)
    )
    note_width = max((cell_len(note) for note in notes), default=0)
    used = no_width + city_width + note_width + 3 * len(GAP)
    name_width = max(1, width - used)
    prompts = []
    for row, note in zip(lookup.rows, notes, strict=True):
        prompt = Text(no_wrap=True)
        prompt.append_text(fitted(row.no, no_width))
        prompt.append(GAP)
        prompt.append_text(fitted(row.name, name_width))
        prompt.append(GAP)
        prompt.append_text(fitted(row.city, city_width))
        prompt.append(GAP)
        prompt.append(note, style="bold")
        prompts.append(prompt)
    return prompts


class LookupInput(TypeAheadInput):
    """The field whose text the ContactLookupList on the same screen looks up.

    Down moves into the list of contacts, when it lists any.
    """

    BINDINGS = [
        Binding(
            "down",
            "to_matches",
            _("Pick contact"),
            tooltip=_("Move to the contacts that match the typed text"),
        )
    ]

    def action_to_matches(self) -> None:
        if not self.screen.query_one(ContactLookupList).focus_matches():
            raise SkipAction()


class MatchList(OptionList):
    """The listed contacts. Up on the first one goes back to the field above.

    A character typed in the list goes to the end of the field, so that the user
    can go on typing after looking at the list.
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable or not event.character:
            return
        field = self.screen.query_one(LookupInput)
        field.focus()
        field.cursor_position = len(field.value)
        field.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted == 0:
            self.screen.focus_previous()
            return
        super().action_cursor_up()


class ContactLookupList(Vertical):
    """The contacts whose number, name, city or email contain every word of a text.

    ``search`` reads them in a worker after a pause in typing, with the contact
    list's search. A newer text supersedes the search before it, whose result is
    dropped. Enter on a listed contact posts ``Picked``.
    """

    DEFAULT_CSS = f"""
    ContactLookupList {{
        height: auto;
    }}
    ContactLookupList > MatchList {{
        height: {LOOKUP_ROWS};
    }}
    ContactLookupList > #lookup-status {{
        height: auto;
    }}
    """

    class Picked(Message):
        """The user picked a listed contact with Enter."""

        def __init__(self, contact_no: str) -> None:
            super().__init__()
            self.contact_no = contact_no

    def __init__(self, segment_no: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.segment_no = segment_no
        self.search_timer: Timer | None = None
        # The number of searches started, so that a result older than the newest
        # search is dropped, and the number of the search whose result is shown.
        self.generation = 0
        self.shown_generation = 0
        # The text whose contacts are listed, and the text to search for next.
        self.shown_text = ""
        self.text = ""
        self.lookup = ContactLookup(rows=[], more=False, lines={})
        # Move the focus to the list once the pending search is shown.
        self.focus_when_shown = False

    def compose(self) -> ComposeResult:
        yield MatchList(id="matches", compact=True, disabled=True)
        yield Static("", id="lookup-status", markup=False)

    def search(self, text: str) -> None:
        """Read the contacts for ``text`` after SEARCH_DELAY, unless more is typed."""
        self.text = text
        self.focus_when_shown = False
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(SEARCH_DELAY, self.search_now)

    def search_now(self) -> None:
        self.search_timer = None
        self.generation += 1
        generation = self.generation
        text = self.text
        segment_no = self.segment_no

        def read() -> ContactLookup:
            return contact_queries.lookup_contacts(text, segment_no, LOOKUP_ROWS)

        run_job(
            self.screen,
            read,
            lambda lookup: self.show(generation, text, lookup),
            group="contact-lookup",
            exclusive=True,
            on_error=lambda error: self.show_error(generation, error),
        )

    def show(self, generation: int, text: str, lookup: ContactLookup) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.shown_generation = generation
        self.shown_text = text
        self.lookup = lookup
        matches = self.query_one(MatchList)
        width = matches.content_region.width or matches.size.width
        matches.set_options(
            Option(prompt, id=row.no)
            for prompt, row in zip(
                match_prompts(lookup, width), lookup.rows, strict=True
            )
        )
        matches.disabled = not lookup.rows
        if lookup.rows:
            matches.highlighted = 0
        self.show_status(self.status_text())
        if self.focus_when_shown:
            self.focus_when_shown = False
            self.focus_matches()

    def status_text(self) -> str:
        if not self.shown_text.split():
            return ""
        if not self.lookup.rows:
            return _(
                'No contact matches "{search}". Check the spelling, or type a '
                "contact number."
            ).format(search=self.shown_text.strip())
        if self.lookup.more:
            return _(
                "More contacts match than shown: type more of the name to narrow "
                "the list. Down or Tab moves to the list."
            )
        return _("Down or Tab moves to the list, and Enter inserts the contact.")

    def show_status(self, text: str) -> None:
        status = self.query_one("#lookup-status", Static)
        status.update(Text(text))
        status.display = bool(text)

    def show_error(self, generation: int, error: Exception) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.shown_generation = generation
        self.focus_when_shown = False
        # The contacts of an older text would pass for the typed text's.
        self.lookup = ContactLookup(rows=[], more=False, lines={})
        matches = self.query_one(MatchList)
        matches.clear_options()
        matches.disabled = True
        self.show_status(
            _("The search failed: {error}").format(
                error=str(error) or type(error).__name__
            )
        )

    def on_mount(self) -> None:
        self.show_status("")

    def focus_matches(self) -> bool:
        """Move the focus to the listed contacts, or return False if none are listed.

        While a search is pending or running the focus moves once it is shown.
        """
        if self.search_timer is not None:
            self.search_timer.stop()
            self.search_now()
        if self.shown_generation != self.generation:
            self.focus_when_shown = True
            return True
        if not self.lookup.rows:
            return False
        matches = self.query_one(MatchList)
        matches.focus()
        if matches.highlighted is None:
            matches.highlighted = 0
        return True

    def picked_no(self) -> str | None:
        """Return the number of the highlighted contact while the list has focus."""
        matches = self.query_one(MatchList)
        if not matches.has_focus or matches.highlighted is None:
            return None
        return matches.get_option_at_index(matches.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Picked(event.option.id))
