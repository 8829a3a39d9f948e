"""Copying reaches the user's terminal as OSC 52, with no clipboard program needed.

segtui runs in tmux with the pane's output piped to a file, so the test reads the
escape sequences exactly as a terminal at the other end of SSH would receive them.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from segtui.db import open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.users import current_user
from segtui.models import Contact, Role, UserSetup
from tests.backends import fresh_database_url
from tests.builders import build_world
from tests.tmux_harness import Tmux, inherited_environment, segtui_command

CONTACT_NO = "CT900001"
NAME = "Jürgen Müller-Lüdenscheid"
EMAIL = "juergen.mueller@example.de"

# An OSC 52 sequence setting the clipboard ("c"), ended by BEL as Textual ends it.
OSC_52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


@pytest.fixture
def copy_database(tmp_path: Path) -> Iterator[str]:
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    Contact.create(
        no=CONTACT_NO,
        type="person",
        name=NAME,
        email=EMAIL,
        city="Lüdenscheid",
        country_code="DE",
        language="DE",
    )
    segment = segmentation.create_segment(
        "Herbstbrief", user="tester", template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": CONTACT_NO}}, AddOptions(), user="tester"
    )
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.close()
    yield url


def copied_values(raw_output: Path) -> list[str]:
    """Return the decoded payload of every OSC 52 sequence segtui wrote."""
    return [
        base64.b64decode(payload).decode("utf-8")
        for payload in OSC_52.findall(raw_output.read_bytes())
    ]


def wait_for_copies(raw_output: Path, count: int) -> list[str]:
    deadline = time.monotonic() + 10
    values = copied_values(raw_output)
    while len(values) < count and time.monotonic() < deadline:
        time.sleep(0.05)
        values = copied_values(raw_output)
    return values


def open_area(pane: Tmux, label: str) -> None:
    """Open an area from the Go to menu by moving down to its line."""
    pane.send("C-g")
    screen = pane.wait_for(label)
    lines = screen.splitlines()
    first = next(i for i, line in enumerate(lines) if "▊ Segments" in line)
    target = next(i for i, line in enumerate(lines) if label in line)
    pane.send(*["Down"] * (target - first), "Enter")


@pytest.mark.slow
def test_copy_writes_osc52(copy_database: str, tmp_path: Path) -> None:
    output = tmp_path / "Briefe Straße"
    raw_output = tmp_path / "pane-output"
    environment = {
        **inherited_environment(),
        "DISPLAY": "",
        "WAYLAND_DISPLAY": "",
    }
    pane = Tmux(segtui_command(copy_database), width=100, height=30, env=environment)
    try:
        pane.tmux("set-option", "-s", "set-clipboard", "on")
        pane.tmux("pipe-pane", "-o", "-t", pane.name, f"cat >> '{raw_output}'")
        pane.wait_for("Segments (1)")

        # The contact list: y copies the number of the selected contact.
        open_area(pane, "Contacts: Contacts")
        pane.wait_for("Contacts (")
        # s moves from the list to the search field, whose key the footer then
        # shows as ctrl+f.
        pane.wait_for("s Search")
        pane.send("s")
        pane.wait_for("^F Search")
        pane.type("Lüdenscheid")
        pane.wait_for("1 contact  sorted")
        pane.send("Down")
        pane.send("y")
        screen = pane.wait_for(f"Copied contact number: {CONTACT_NO}")
        assert wait_for_copies(raw_output, 1) == [CONTACT_NO]
        assert pane.tmux("show-buffer") == CONTACT_NO

        # The contact card: y copies the email address.
        pane.send("Enter")
        pane.wait_for("1 Fields")
        pane.wait_for(EMAIL)
        pane.send("y")
        # The notification wraps long values, so only its start is matched.
        screen = pane.wait_for("Copied email address:")
        assert wait_for_copies(raw_output, 2) == [CONTACT_NO, EMAIL]

        # After logging: y copies the folder the letters were written to.
        pane.send("F2")
        pane.wait_for("Segments (1)")
        pane.send("Enter")
        # The header, not the list row: the list also shows the description.
        pane.wait_for("Corresp.:")
        pane.send("l")
        pane.wait_for("Output folder")
        pane.send("Tab", "Tab", "C-u")
        pane.type(str(output))
        pane.send("C-s")
        pane.wait_for("Logged segment", timeout=60)
        pane.wait_for("Letters in:")
        pane.send("y")
        screen = pane.wait_for("Copied letter folder:")
        values = wait_for_copies(raw_output, 3)
        assert values == [CONTACT_NO, EMAIL, str(output)]
        assert pane.tmux("show-buffer") == str(output)
        assert "Traceback" not in screen
    finally:
        pane.close()


def test_no_clipboard_program_dependency() -> None:
    """segtui copies through the terminal, not through pyperclip and the server."""
    requirements = metadata.requires("segtui") or []
    assert not [name for name in requirements if "pyperclip" in name.lower()]
