"""User data shows literally on a real terminal: tmux at 80x24, no markup read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from segtui.db import open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.contacts import create_contact
from segtui.domain.criteria import AddOptions
from segtui.domain.users import current_user
from segtui.models import Contact, Role, UserSetup
from segtui.ui.areas import all_areas
from segtui.ui.text import terminal_text
from tests.backends import fresh_database_url
from tests.builders import build_world
from tests.test_terminal_cases import column_starts, terminal_cells
from tests.test_terminal_text_cases import EMOJI_NAMES
from tests.tmux_harness import (
    Tmux,
    child_pid,
    inherited_environment,
    segtui_command,
    terminal_modes,
)

# Names that Rich or Textual would read as markup if they were not escaped.
MARKUP_NAMES = {
    "MK1": "[bold]Fett & Co[/bold] KG",
    "MK2": "Kanzlei [/ Partner",
    "MK3": "C:\\Briefe\\",
    "MK4": "[0] Null GmbH",
}


@pytest.fixture
def markup_database(tmp_path: Path) -> Iterator[str]:
    path = fresh_database_url(tmp_path)
    database = open_database(path)
    build_world()
    for no, name in MARKUP_NAMES.items():
        Contact.create(
            no=no, type="person", name=name, country_code="DE", language="DE"
        )
    segment = segmentation.create_segment(
        "[ENTWURF] Herbst", user="tester", template_code="LETTER"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "MK*"}}, AddOptions(), user="tester"
    )
    # The segtui process in tmux runs as the login running the tests.
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.close()
    yield path


@pytest.mark.slow
def test_markup_shows_literally(markup_database: str) -> None:
    pane = Tmux(segtui_command(markup_database), env=inherited_environment())
    try:
        screen = pane.wait_for("Segments (1)")
        assert "[ENTWURF] Herbst" in screen

        pane.send("Enter")
        # The title shows the number at once and the description once loaded.
        screen = pane.wait_for("Segment SEG00001  [ENTWURF] Herbst")
        assert "Kanzlei [/ Partner" in screen
        for name in (
            "Kanzlei [/ Partner",
            "C:\\Briefe\\",
            "[0] Null GmbH",
            "[bold]Fett & Co[/b",
        ):
            assert name in screen, name

        # The confirmation dialog names the contact of the selected line.
        pane.send("d")
        screen = pane.wait_for("Delete line")
        assert "[bold]Fett & Co[/bold] KG" in screen
        pane.send("Escape")
        pane.wait_for("a Add")

        pane.send("Escape", "q")
        screen = pane.wait_for("SEGTUI-EXITED")
        assert "SEGTUI-EXITED 0" in screen
        assert "Traceback" not in screen
    finally:
        pane.close()


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["TERM", "HUP"])
def test_signal_restores_terminal(markup_database: str, signal_name: str) -> None:
    """kill -TERM or a hangup ends segtui with the terminal's modes restored."""
    import os
    import signal

    pane = Tmux(segtui_command(markup_database), env=inherited_environment())
    try:
        pane.wait_for("Segments (1)")
        assert terminal_modes(pane).startswith("1")
        os.kill(child_pid(pane), getattr(signal, f"SIG{signal_name}"))
        number = getattr(signal, f"SIG{signal_name}").value
        screen = pane.wait_for("SEGTUI-EXITED", timeout=5)
        assert f"SEGTUI-EXITED {128 + number}" in screen
        assert "Traceback" not in screen
        # Alternate screen off, no mouse reporting, cursor shown.
        assert terminal_modes(pane) == "00001"
    finally:
        pane.close()


# Emoji in the contact list: every column edge where the header puts it.

ASCII_NOS = ("A-001", "A-002")
EMOJI_NOS = {f"E-{index}": name for index, name in enumerate(EMOJI_NAMES.values())}
CONTACT_LABELS = ["No.", "Name", "T", "!", "City", "Ctry", "Email"]


@pytest.fixture
def emoji_database(tmp_path: Path) -> Iterator[str]:
    path = fresh_database_url(tmp_path)
    database = open_database(path)
    build_world()
    names = {**{no: f"Plain {no} GmbH" for no in ASCII_NOS}, **EMOJI_NOS}
    for no, name in names.items():
        create_contact(
            {"no": no, "type": "company", "name": name, "country_code": "DE"},
            user="tester",
        )
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.close()
    yield path


@pytest.mark.slow
def test_emoji_rows_keep_columns(emoji_database: str) -> None:
    environment = {**inherited_environment(), "TERM": "tmux-256color"}
    downs = [area.key for area in all_areas()].index("contacts")
    pane = Tmux(segtui_command(emoji_database), env=environment)
    try:
        pane.wait_for("Segments (")
        pane.send("C-g")
        pane.wait_for("Contacts: Contacts")
        pane.send(*["Down"] * downs, pause=0.05)
        pane.send("Enter")
        screen = pane.wait_for("E-5")
    finally:
        pane.close()

    lines = screen.splitlines()
    header = next(line for line in lines if " No. " in line and " Ctry " in line)
    starts = column_starts(header, CONTACT_LABELS)
    country = starts[CONTACT_LABELS.index("Ctry")]
    rows = {}
    for line in lines:
        cells = terminal_cells(line)
        no = "".join(cells[starts[0] : starts[1]]).strip()
        if no in ASCII_NOS or no in EMOJI_NOS:
            rows[no] = cells
    assert set(rows) == {*ASCII_NOS, *EMOJI_NOS}, screen
    for no, cells in rows.items():
        # The cell after the name column's edge is where the header puts it.
        assert "".join(cells[country : country + 2]) == "DE", (no, cells)
        name = "".join(cells[starts[1] : starts[2]]).strip()
        expected = EMOJI_NOS.get(no, f"Plain {no} GmbH")
        assert name == terminal_text(expected), (no, cells)
