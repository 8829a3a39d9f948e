"""A small chart of interactions per month, with their totals in words.

Textual's Sparkline draws one bar per month; its height reads without colour. The
line under it names the first and last month, the busiest month's count, and the
totals, so the numbers do not depend on the chart at all.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from segtui.domain.history import MonthCount, Totals
from segtui.i18n import _

# Cells per month in the chart.
CELLS_PER_MONTH = 3


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
        data = [0.0, *counts]
        chart.styles.width = len(data) * CELLS_PER_MONTH
        chart.data = data
        scale = ""
        if months:
            scale = _("{first}..{last}, busiest month {most}").format(
                first=months[0].month.strftime("%Y-%m"),
                last=months[-1].month.strftime("%Y-%m"),
                most=int(max(counts)),
            )
        self.query_one("#chart-scale", Static).update(Text(scale, no_wrap=True))
        text = _(
            "Interactions: {count}   Cost: {cost}   Duration: {duration} min"
        ).format(count=totals.interactions, cost=totals.cost, duration=totals.duration)
        if totals.canceled:
            text += "   " + _("({count} canceled, not counted)").format(
                count=totals.canceled
            )
        self.query_one("#totals", Static).update(Text(text))
