"""The main job in a real terminal: tmux at 80x24, TERM=xterm, keys only.

segtui runs in a tmux pane on a private copy of the sample database. The test types
keys with ``tmux send-keys``, reads the screen with ``tmux capture-pane`` and waits
for text to appear, as a user on a small SSH terminal with 16 colours would.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from segtui.db import open_database
from segtui.domain.documents import leftover_field_codes
from segtui.models import (
    InteractionLogEntry,
    LoggedSegment,
    SegmentHeader,
    SegmentLine,
)
from tests.backends import POSTGRES, sqlite_url
from tests.tmux_harness import Tmux, inherited_environment, segtui_command

DESCRIPTION = "Fruehjahr 2027"


def added_count(screen: str) -> int:
    """Return the number in the criteria builder's "N contacts would be added."."""
    found = re.search(r"(\d[\d,]*) contacts? would be added", screen)
    assert found, f"no count of contacts on the screen:\n{screen}"
    return int(found.group(1).replace(",", ""))


def wait_for_count_change(pane: Tmux, before: int, timeout: float = 20.0) -> int:
    """Wait until the criteria builder shows a count other than ``before``."""
    deadline = time.monotonic() + timeout
    count = before
    while time.monotonic() < deadline:
        count = added_count(pane.wait_for("would be added"))
        if count != before:
            return count
        time.sleep(0.1)
    raise AssertionError(f"the count stayed at {before}:\n{pane.screen()}")


@pytest.mark.slow
def test_main_job_in_tmux(sample_database_path: Path | str, tmp_path: Path) -> None:
    output = tmp_path / "letters"
    # TERM=xterm without COLORTERM makes Textual use the 16 standard colours.
    environment = {**inherited_environment(), "TERM": "xterm", "COLORTERM": ""}
    pane = Tmux(segtui_command(sample_database_path), env=environment)
    try:
        pane.wait_for("Segments (0)")
        assert "n New" in pane.screen()

        # A new segment with only a description.
        pane.send("n")
        pane.wait_for("New segment")
        pane.type(DESCRIPTION)
        pane.send("C-s")
        screen = pane.wait_for("Segment SEG")
        segment_no = re.search(r"Segment (SEG\d+)", screen).group(1)
        pane.wait_for("a Add")

        # Add Contacts: country DE or AT, mailing group NEWS.
        pane.send("a")
        everyone = added_count(pane.wait_for("would be added"))
        pane.send(*["Tab"] * 5)
        pane.type("DE|AT")
        in_countries = wait_for_count_change(pane, everyone)
        pane.send(*["Tab"] * 10)
        pane.type("NEWS")
        expected = wait_for_count_change(pane, in_countries)
        assert 10 < expected < in_countries
        pane.send("C-s")
        pane.wait_for(f"{expected:,} contacts added")
        pane.wait_for("a Add")

        # The LETTER template through the header dialog: its fourth field.
        pane.send("e")
        pane.wait_for("Unit cost")
        pane.send("Tab", "Tab", "Tab", "Enter")
        pane.type("LETTER")
        pane.send("Enter")
        pane.wait_for("LETTER  ")
        pane.send("C-s")
        pane.wait_for(f"Update the {expected} lines with the new values too?")
        pane.send("y")
        pane.wait_for("Template: LETTER")

        # Log with letters into the test's folder, without a follow-up segment.
        pane.send("l")
        pane.wait_for("Output folder")
        pane.send("Tab", "Tab", "C-u")
        pane.type(str(output))
        pane.send("C-s")
        pane.wait_for(f"Interactions: {expected} ", timeout=120)

        # Back to the list, then open the logged segment from F3's list.
        pane.send("Escape")
        pane.wait_for("Segments (0)")
        pane.send("F3")
        screen = pane.wait_for("Logged segments (1)")
        assert DESCRIPTION[:12] in screen
        pane.send("Enter")
        screen = pane.wait_for(f"Interactions: {expected} ")
        assert f"Segment: {segment_no}" in screen

        # The follow-up segment: f opens a confirmation, y creates it and opens it.
        pane.send("f")
        pane.wait_for("Create a new segment with the contacts")
        pane.send("y")
        screen = pane.wait_for("a Add")
        follow_up_no = re.search(r"Segment (SEG\d+)", screen).group(1)
        assert follow_up_no != segment_no

        # F2 leads back to the segment list, which now lists the follow-up segment.
        pane.send("F2")
        screen = pane.wait_for("Segments (1)")
        assert follow_up_no in screen
        pane.send("q")
        screen = pane.wait_for("SEGTUI-EXITED")
        assert "SEGTUI-EXITED 0" in screen
        assert "Traceback" not in screen
    finally:
        pane.close()

    url = sample_database_path if POSTGRES else sqlite_url(Path(sample_database_path))
    database = open_database(str(url))
    try:
        assert SegmentHeader.get_or_none(SegmentHeader.no == segment_no) is None
        logged = LoggedSegment.get(LoggedSegment.segment_no == segment_no)
        assert logged.description == DESCRIPTION
        entries = list(
            InteractionLogEntry.select().where(
                InteractionLogEntry.logged_segment == logged.entry_no
            )
        )
        assert len(entries) == expected
        contacts = sorted(entry.contact_no for entry in entries)
        assert len(set(contacts)) == expected
        assert {entry.template_code for entry in entries} == {"LETTER"}

        # One letter per contact, named after its number, beside "All letters.docx".
        letters = sorted(output.glob("CT*.docx"))
        assert sorted(path.name.split()[0] for path in letters) == contacts
        assert all(leftover_field_codes(path.read_bytes()) == [] for path in letters)

        follow_up = SegmentHeader.get(SegmentHeader.no == follow_up_no)
        assert follow_up.description == DESCRIPTION
        follow_up_contacts = sorted(
            line.contact_no
            for line in SegmentLine.select().where(SegmentLine.segment == follow_up_no)
        )
        assert follow_up_contacts == contacts
    finally:
        database.close()
