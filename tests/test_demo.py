"""`segtui demo`: a fresh demo database, opened in the TUI, never replacing other data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from segtui.db import open_database
from segtui.models import Contact, InteractionTemplate
from tests.tmux_harness import Tmux, inherited_environment


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_demo_opens_on_sample_data(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    command = [sys.executable, "-m", "segtui", "demo", "--db", str(path)]
    for run in range(2):
        pane = Tmux(command, env=inherited_environment())
        try:
            pane.wait_for("Segments (0)")
            pane.send("q")
            screen = pane.wait_for("SEGTUI-EXITED")
            assert "SEGTUI-EXITED 0" in screen, run
        finally:
            pane.close()

    database = open_database("sqlite:///" + str(path))
    assert Contact.select().count() == 2000
    assert InteractionTemplate.select().count() == 3
    database.close()


@pytest.mark.sqlite_only
def test_demo_keeps_other_database(tmp_path: Path) -> None:
    path = tmp_path / "real.sqlite3"
    database = open_database("sqlite:///" + str(path))
    Contact.create(no="KEEP", name="Keep me")
    database.close()

    result = subprocess.run(
        [sys.executable, "-m", "segtui", "demo", "--db", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "not a segtui demo database" in result.stderr
    database = open_database("sqlite:///" + str(path))
    assert [c.no for c in Contact.select()] == ["KEEP"]
    database.close()
