"""The text of the notification after logging or sending again, sized for a toast.

A toast wraps its text at spaces and cuts a word that is wider than the toast, so
a folder path in a sentence would break in the middle of a name. The toast puts the
folder on lines of its own instead, broken after a "/".
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from rich.cells import cell_len, chop_cells
from textual.app import App

from segtui.domain.delivery import DeliveryReport, describe_report
from segtui.i18n import format_count, ngettext

# Textual 8.2.8 draws a toast 60 columns wide, at most half the screen, with one
# column of border on the left and one of padding on each side.
TOAST_WIDTH = 60
TOAST_FRAME = 3


def toast_text_width(app: App[object]) -> int:
    """Return the columns of text a toast has on the app's screen now."""
    return min(TOAST_WIDTH, app.size.width // 2) - TOAST_FRAME


def shown_folder(folder: Path) -> str:
    """Return ``folder`` with the user's home folder written as "~", as shells do."""
    try:
        inside_home = folder.relative_to(Path.home())
    except ValueError:
        return str(folder)
    if inside_home == Path():
        return "~"
    return f"~/{inside_home}"


def path_lines(path: str, width: int) -> list[str]:
    """Split ``path`` into lines of at most ``width`` cells, each ending in "/"
    where it can. A name wider than a line is cut at the width."""
    lines: list[str] = []
    line = ""
    # Each part is a name with the "/" after it, and the last one without.
    for part in re.split(r"(?<=/)", path):
        if line and cell_len(line + part) > width:
            lines.append(line)
            line = ""
        if cell_len(part) > width:
            *whole, part = chop_cells(part, width)
            lines.extend(whole)
        line += part
    if line:
        lines.append(line)
    return lines


def report_toast_lines(report: DeliveryReport, folder: Path, width: int) -> list[str]:
    """Return what a delivery did for a toast ``width`` columns wide: the folder
    of the letters on lines of its own, then the rest of ``describe_report``."""
    lines = []
    if report.letters:
        count = len(report.letters)
        lines.append(
            ngettext(
                "{count} letter written to the folder:",
                "{count} letters written to the folder:",
                count,
            ).format(count=format_count(count))
        )
        lines.extend(path_lines(shown_folder(folder), width))
    lines.extend(describe_report(replace(report, letters=[]), folder))
    return lines
