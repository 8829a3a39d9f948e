"""A terminal that is not UTF-8: the TUI rejects it at once, the CLI still works.

``LANG=de_DE`` names ISO-8859-1, ``LC_ALL=C`` ASCII, and ``PYTHONIOENCODING=latin-1``
makes Python encode the terminal streams in Latin-1 under a UTF-8 locale.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from segtui.db import open_database
from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.users import current_user
from segtui.models import Contact, Role, UserSetup
from tests.backends import fresh_database_url
from tests.builders import build_world
from tests.tmux_harness import (
    Tmux,
    inherited_environment,
    segtui_command,
    terminal_exit_modes,
)

NAMES = {
    "LC1": "Jürgen Müller-Lüdenscheid",
    "LC2": "山田 太郎",
    "LC3": "\U0001f441\ufe0f Optik Studio",
}

# Locale variables for each case; LC_ALL and LANGUAGE are unset unless named.
NON_UTF8 = {
    "LANG=de_DE": {"LANG": "de_DE"},
    "LC_ALL=C": {"LC_ALL": "C", "LANG": "de_DE.UTF-8"},
    "PYTHONIOENCODING=latin-1": {"LANG": "de_DE.UTF-8", "PYTHONIOENCODING": "latin-1"},
}


@pytest.fixture
def locale_database(tmp_path: Path) -> Iterator[str]:
    url = fresh_database_url(tmp_path)
    database = open_database(url)
    build_world()
    for no, name in NAMES.items():
        Contact.create(
            no=no, type="person", name=name, country_code="DE", language="DE"
        )
    segment = segmentation.create_segment("Frühjahrsaktion 2027", user="tester")
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "LC*"}}, AddOptions(), user="tester"
    )
    UserSetup.insert(
        user_id=current_user(), role=Role.MARKETER
    ).on_conflict_ignore().execute()
    database.close()
    yield url


def locale_environment(variables: dict[str, str]) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("LANG", "LANGUAGE", "PYTHONIOENCODING")
        and not name.startswith("LC_")
    }
    return {**environment, **variables}


@pytest.mark.slow
@pytest.mark.parametrize("case", NON_UTF8)
def test_tui_rejects_non_utf8_terminal(locale_database: str, case: str) -> None:
    # Tmux sets LANG and LC_ALL to C.UTF-8 unless env overrides them. "" leaves a
    # variable empty, which the locale functions treat as unset.
    variables = {"LC_ALL": "", **NON_UTF8[case]}
    pane = Tmux(
        segtui_command(locale_database), env={**inherited_environment(), **variables}
    )
    try:
        screen = pane.wait_for("SEGTUI-EXITED", timeout=10)
        assert "SEGTUI-EXITED 1" in screen
        assert "Traceback" not in screen
        # The pane wraps the message at 80 columns.
        screen = screen.replace("\n", "")
        assert "UTF-8" in screen
        assert "de_DE.UTF-8" in screen
        if case != "LC_ALL=C":
            # The message is German because LANG asks for German; LC_ALL=C wins
            # over LANG and asks for English.
            assert "Terminalkodierung" in screen
        # No screen was drawn: no alternate screen, no mouse reporting left on.
        assert terminal_exit_modes(pane) == "00000"
    finally:
        pane.close()


def run_segtui(database: str, variables: dict[str, str], *arguments: str):
    return subprocess.run(
        [sys.executable, "-m", "segtui", "--db", database, *arguments],
        env=locale_environment(variables),
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize("case", NON_UTF8)
def test_cli_json_stays_valid(locale_database: str, case: str) -> None:
    result = run_segtui(
        locale_database, NON_UTF8[case], "segment", "show", "SEG00001", "--json"
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    for name in NAMES.values():
        assert name in text


@pytest.mark.parametrize("case", NON_UTF8)
def test_cli_text_prints(locale_database: str, case: str) -> None:
    for arguments in (("segment", "list"), ("segment", "show", "SEG00001")):
        result = run_segtui(locale_database, NON_UTF8[case], *arguments)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        assert b"Traceback" not in result.stderr
        assert b"SEG00001" in result.stdout
    assert b"LC2" in result.stdout


@pytest.mark.parametrize("case", NON_UTF8)
def test_cli_error_is_one_line(locale_database: str, case: str) -> None:
    result = run_segtui(locale_database, NON_UTF8[case], "segment", "show", "SEG9")
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
