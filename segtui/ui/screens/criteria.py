"""The criteria builder for Add Contacts, with a live count of what it would add."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Static

from segtui.domain import segment_actions
from segtui.domain.criteria import AddOptions
from segtui.domain.filters import FilterSyntaxError
from segtui.i18n import _, ngettext
from segtui.ui.screens.base import BaseScreen
from segtui.ui.widgets.tick import Tick

# (source, field, label, example) for each filter the builder offers.
FILTER_FIELDS: list[tuple[str, str, str, str]] = [
    ("contact", "no", _("Contact No."), "..CT000500"),
    ("contact", "name", _("Name"), "*GmbH*|@müller*"),
    ("contact", "type", _("Type"), "company|person"),
    ("contact", "city", _("City"), "Berlin|München"),
    ("contact", "post_code", _("Post Code"), "10000..19999"),
    ("contact", "country", _("Country"), "DE|AT|CH"),
    ("contact", "territory", _("Territory"), "<>NORTH"),
    ("contact", "salesperson", _("Salesperson"), "JO|AS"),
    ("contact", "language", _("Language"), "DE"),
    ("contact", "correspondence_type", _("Corresp. Type"), "email"),
    ("contact", "email", _("Email"), "<>''"),
    ("mailing_group", "code", _("Mailing Group"), "NEWS|VIP"),
    ("industry_group", "code", _("Industry Group"), "RETAIL"),
    ("business_relation", "code", _("Business Relation"), "CUST"),
]

OPTION_FIELDS: list[tuple[str, str]] = [
    ("allow_existing", _("Allow existing contacts")),
    ("expand_companies", _("Expand companies")),
    ("allow_related_companies", _("Allow related companies")),
    ("ignore_exclusion", _("Ignore exclusion")),
]

# Seconds to wait after the last key press before counting.
COUNT_DELAY = 0.3

FILTER_HELP = _(
    """Filter expressions, as in Business Central:
  DE|AT|CH      any of these values
  1000..1999    a range; ..2026-06-30 and 2026-01-01.. are open ranges
  <>NORTH       not NORTH (blank values match too)
  >=10  <20     comparisons
  *GmbH*        wildcards: * any text, ? one character
  ''            blank
  @müller       any case, umlauts included
  >=10&<20      both conditions; (A|B)&C groups them
Filters on different rows must all match. A classification row matches when
the contact (or, for industry group and business relation, its company) has
at least one such code."""
)


def input_id(source: str, field: str) -> str:
    return f"filter-{source}-{field}"


class AddContactsScreen(BaseScreen):
    HELP = (
        _(
            "Add Contacts: fill in filters, watch the count of contacts they select, and "
            "press ctrl+s to add them to the segment. Enter moves to the next filter; "
            "Escape closes without adding anything."
        )
        + "\n\n"
        + FILTER_HELP
    )

    BINDINGS = [
        Binding(
            "ctrl+s",
            "apply",
            _("Add contacts"),
            tooltip=_("Add the selected contacts and close"),
        ),
        Binding(
            "escape", "cancel", _("Cancel"), tooltip=_("Close without adding anything")
        ),
    ]

    def __init__(self, segment_no: str) -> None:
        super().__init__()
        self.segment_no = segment_no
        self.count_timer: Timer | None = None
        self.counting = 0

    def title_text(self) -> str:
        return _("Add Contacts to segment {no}").format(no=self.segment_no)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with VerticalScroll(id="criteria-form"):
            for source, field, label, example in FILTER_FIELDS:
                yield Horizontal(
                    Label(Text(label), classes="form-label", markup=False),
                    Input(id=input_id(source, field), compact=True),
                    Label(
                        Text(_("e.g. {example}").format(example=example)),
                        classes="example",
                        markup=False,
                    ),
                    classes="form-row",
                )
            with Horizontal(classes="options-row"):
                for key, label in OPTION_FIELDS[:2]:
                    yield Tick(label, False, id=f"option-{key}", compact=True)
            with Horizontal(classes="options-row"):
                for key, label in OPTION_FIELDS[2:]:
                    yield Tick(label, False, id=f"option-{key}", compact=True)
        yield Static("", id="count", markup=False)
        with Horizontal(id="criteria-buttons"):
            yield Button(
                _("Add contacts (ctrl+s)"), id="apply", variant="primary", compact=True
            )
            yield Button(_("Cancel (Esc)"), id="cancel", compact=True)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query(Input).first().focus()
        self.schedule_count()

    def filters(self) -> dict[str, dict[str, str]]:
        filters: dict[str, dict[str, str]] = {}
        for source, field, _label, _example in FILTER_FIELDS:
            value = self.query_one(f"#{input_id(source, field)}", Input).value
            if value.strip():
                filters.setdefault(source, {})[field] = value
        return filters

    def options(self) -> AddOptions:
        values = {
            key: self.query_one(f"#option-{key}", Checkbox).value
            for key, _label in OPTION_FIELDS
        }
        return AddOptions(**values)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def schedule_count(self) -> None:
        if self.count_timer is not None:
            self.count_timer.stop()
        self.count_timer = self.set_timer(COUNT_DELAY, self.start_count)

    def start_count(self) -> None:
        self.counting += 1
        ticket = self.counting
        filters, options, no = self.filters(), self.options(), self.segment_no
        self.query_one("#count", Static).update(Text(_("Counting ...")))
        self.run(
            lambda: segment_actions.count_add_contacts(filters, options, no),
            lambda count: self.show_count(ticket, count),
            group="count",
            exclusive=True,
        )

    def show_count(self, ticket: int, count: int) -> None:
        if ticket != self.counting:
            return
        for widget in self.query(Input):
            widget.remove_class("-invalid")
        text = ngettext(
            "{count} contact would be added.", "{count} contacts would be added.", count
        ).format(count=count)
        self.query_one("#count", Static).update(Text(text, style="bold"))

    def show_error(self, error: Exception) -> None:
        self.counting += 1
        message = getattr(error, "message", str(error))
        self.query_one("#count", Static).update(Text(message, style="bold"))
        if isinstance(error, FilterSyntaxError):
            for widget in self.query(Input):
                if widget.value == error.expression:
                    widget.add_class("-invalid")

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        filters, options, no = self.filters(), self.options(), self.segment_no
        user = self.app.user  # type: ignore[attr-defined]
        self.run(
            lambda: (
                segment_actions.add_contacts(no, filters, options, user=user).inserted
            ),
            self.dismiss,
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
