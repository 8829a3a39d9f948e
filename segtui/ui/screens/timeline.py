"""A small chart of interactions per month, with their totals in words.

Textual's Sparkline draws one bar per month; its height reads without colour. The
line under it names the first and last month, the busiest month with its count, and
the totals, so the numbers do not depend on the chart at all.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from segtui.domain.history import MonthCount, Totals
from segtui.i18n import _
from segtui.ui.footer import COMPACT_BELOW
from segtui.ui.text import format_amount, format_count, format_month

# Cells per month in the chart, and in terminals narrower than COMPACT_BELOW, where
# the line beside the chart needs the room at 80 columns.
CELLS_PER_MONTH = 3
COMPACT_CELLS_PER_MONTH = 2
# Between two totals on the line under the chart.
TOTALS_SEPARATOR = "   "


def totals_text(totals: Totals, width: int) -> str:
    """Return the totals as one line, broken between two totals where the line
    would be wider than ``width`` cells, so that no total is split.

    Canceled entries follow the interaction count as "(+2 canceled)", because
    they are not counted in it, nor in the cost and duration.
    """
    interactions = _("Interactions: {count}").format(
        count=format_count(totals.interactions)
    )
    if totals.canceled:
        interactions += " " + _("(+{count} canceled)").format(
            count=format_count(totals.canceled)
        )
    parts = [
        interactions,
        _("Cost: {cost}").format(cost=format_amount(totals.cost)),
        _("Duration: {duration} min").format(duration=format_amount(totals.duration)),
    ]
    lines = [parts[0]]
    for part in parts[1:]:
        joined = lines[-1] + TOTALS_SEPARATOR + part
        if cell_len(joined) > width:
            lines.append(part)
        else:
            lines[-1] = joined
    return "\n".join(lines)


class Timeline(Vertical):
    """Interactions per month for the last months, and the totals."""

    DEFAULT_CSS = """
    Timeline {
        height: auto;
        padding: 0 1;
    }
    Timeline Horizontal {
        height: 1;
    }
    Timeline Sparkline {
        width: 39;
        height: 1;
    }
    Timeline .timeline-scale {
        width: 1fr;
        padding: 0 1;
    }
    """

    # The totals shown, written again to fit a new width.
    totals: Totals | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Sparkline([], id="chart")
            yield Static("", classes="timeline-scale", id="chart-scale", markup=False)
        yield Static("", id="totals", markup=False)

    def show(self, months: list[MonthCount], totals: Totals) -> None:
        chart = self.query_one("#chart", Sparkline)
        counts = [float(month.interactions) for month in months]
        # A zero before the first month puts the floor at zero, so a month with
        # one interaction is drawn higher than an empty one.
        chart.data = [0.0, *counts]
        self.size_chart()

        scale = ""
        if months:
            first = format_month(months[0].month)
            last = format_month(months[-1].month)
            # The latest of the busiest months, named with its year so that a
            # count is not read as a month number.
            peak = max(reversed(months), key=lambda month: month.interactions)
            if peak.interactions:
                scale = _("{first}..{last}, peak {month}: {count}").format(
                    first=first,
                    last=last,
                    month=format_month(peak.month),
                    count=format_count(peak.interactions),
                )
            else:
                scale = _("{first}..{last}, no interactions").format(
                    first=first, last=last
                )
        self.query_one("#chart-scale", Static).update(Text(scale, no_wrap=True))

        self.totals = totals
        self.show_totals()

    def show_totals(self) -> None:
        if self.totals is None:
            return
        # Before the first layout the width is 0, so the app's width less the
        # padding is used instead.
        width = self.content_size.width or self.app.size.width - 2
        text = totals_text(self.totals, width)
        self.query_one("#totals", Static).update(Text(text))

    def on_resize(self, event: events.Resize) -> None:
        self.size_chart()
        self.show_totals()

    def size_chart(self) -> None:
        chart = self.query_one("#chart", Sparkline)
        compact = self.app.size.width < COMPACT_BELOW
        cells = COMPACT_CELLS_PER_MONTH if compact else CELLS_PER_MONTH
        chart.styles.width = len(chart.data or []) * cells
