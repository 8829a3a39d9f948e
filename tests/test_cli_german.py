"""The command line under --lang de: German metavars in every help page, and dates,
amounts and correspondence types in text output as the TUI shows them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Runs in a new interpreter, because command help is translated when the command
# modules are imported. The language is chosen first, as segtui.entry.main does, and
# CliRunner then prints the help of every command in the tree.
HELP_PAGES_SCRIPT = """
import json, sys
from segtui.i18n import set_language
language = sys.argv[1]
set_language(language)
import click
from click.testing import CliRunner
from segtui.cli import cli

def paths(group, context, prefix):
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield [*prefix, name]
        if isinstance(command, click.Group):
            inner = click.Context(command, info_name=name, parent=context)
            yield from paths(command, inner, [*prefix, name])

pages = {}
runner = CliRunner()
root = click.Context(cli, info_name="segtui")
for path in [[], *paths(cli, root, [])]:
    result = runner.invoke(
        cli, ["--lang", language, *path, "--help"], prog_name="segtui"
    )
    pages[" ".join(path)] = [result.exit_code, result.output]
print(json.dumps(pages))
"""

# Metavar words that German writes the same way.
SAME_IN_GERMAN = {"CODE", "MM", "N", "SEG", "TEXT", "URL"}
UPPER_WORD = re.compile(r"\b[A-Z][A-Z0-9_]*\b")
# Click's formula for a number range, such as "x>=1" or "1<=x<=65535".
RANGE_FORMULA = re.compile(r"[<>]=?x\b|\bx[<>]")
# An option row of a help page: the option and its metavar, then two spaces or the
# end of the line.
OPTION_SPEC = re.compile(r"^  (-\S.*?)(?:  |$)", re.MULTILINE)


def help_pages(language: str) -> dict[str, str]:
    """Return the help page of every command path ("" for segtui itself)."""
    environment = {key: value for key, value in os.environ.items() if key != "LANGUAGE"}
    environment.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", HELP_PAGES_SCRIPT, language],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        check=True,
        timeout=300,
    )
    pages = json.loads(result.stdout)
    failed = {path: page for path, (code, page) in pages.items() if code != 0}
    assert failed == {}
    return {path: page for path, (_code, page) in pages.items()}


@pytest.fixture(scope="module")
def english_pages() -> dict[str, str]:
    return help_pages("en")


@pytest.fixture(scope="module")
def german_pages() -> dict[str, str]:
    return help_pages("de")


def usage_line(page: str) -> str:
    return page.splitlines()[0]


def english_metavar_words(pages: dict[str, str]) -> set[str]:
    """Return the upper case words of the usage lines and option metavars."""
    words = set()
    for page in pages.values():
        words.update(UPPER_WORD.findall(usage_line(page)))
        for spec in OPTION_SPEC.findall(page):
            words.update(UPPER_WORD.findall(spec))
    return words - SAME_IN_GERMAN


def test_help_walk_covers_commands(english_pages: dict[str, str]) -> None:
    assert "" in english_pages
    assert "segment set" in english_pages
    assert "logged follow-up" in english_pages
    assert len(english_pages) > 80


def test_english_metavar_words_found(english_pages: dict[str, str]) -> None:
    words = english_metavar_words(english_pages)
    assert {"OPTIONS", "COMMAND", "ARGS", "AMOUNT", "FILE", "ENTRY_NO"} <= words


def test_german_help_has_no_english_metavars(
    english_pages: dict[str, str], german_pages: dict[str, str]
) -> None:
    english_words = english_metavar_words(english_pages)
    found = {}
    for path, page in german_pages.items():
        left = sorted(set(UPPER_WORD.findall(page)) & english_words)
        if left:
            found[path or "segtui"] = left
    assert found == {}


def one_line(page: str) -> str:
    """Return a help page with its wrapped lines joined by single spaces."""
    return " ".join(page.split())


def test_german_help_has_no_range_formulas(german_pages: dict[str, str]) -> None:
    found = {
        path or "segtui": RANGE_FORMULA.findall(page)
        for path, page in german_pages.items()
        if RANGE_FORMULA.search(page)
    }
    assert found == {}


def test_german_range_hints(german_pages: dict[str, str]) -> None:
    assert "[Standard: 8000; 1 bis 65535]" in one_line(german_pages["serve"])
    assert "[mindestens 1]" in one_line(german_pages["init"])


def test_german_usage_lines(german_pages: dict[str, str]) -> None:
    assert usage_line(german_pages[""]) == (
        "Aufruf: segtui [OPTIONEN] [BEFEHL] [ARGUMENTE]..."
    )
    assert usage_line(german_pages["segment"]) == (
        "Aufruf: segtui segment [OPTIONEN] BEFEHL [ARGUMENTE]..."
    )
    assert usage_line(german_pages["logged cancel"]) == (
        "Aufruf: segtui logged cancel [OPTIONEN] POSTENNR..."
    )


def test_german_option_metavars(german_pages: dict[str, str]) -> None:
    segment_set = german_pages["segment set"]
    assert "--date TT.MM.JJJJ" in segment_set
    assert "--unit-cost BETRAG" in segment_set
    assert "--unit-duration MINUTEN" in segment_set
    assert "--description TEXT" in segment_set
    assert "--db PFAD|URL" in german_pages[""]
    assert "--port ZAHL" in german_pages["serve"]
    assert "--output ORDNER" in german_pages["segment log"]
    assert "--ignore-contact-type JA|NEIN" in german_pages["template set"]
    assert "DATEI.docx|ORDNER" in german_pages["segment export-letter"]
    assert "SCHLÜSSEL=AUSDRUCK" in german_pages["segment add"]


def test_english_help_keeps_metavars(english_pages: dict[str, str]) -> None:
    assert usage_line(english_pages[""]) == (
        "Usage: segtui [OPTIONS] [COMMAND] [ARGS]..."
    )
    assert usage_line(english_pages["segment"]) == (
        "Usage: segtui segment [OPTIONS] COMMAND [ARGS]..."
    )
    segment_set = english_pages["segment set"]
    assert "--date YYYY-MM-DD" in segment_set
    assert "--unit-cost AMOUNT" in segment_set
    assert "--port INTEGER RANGE" in english_pages["serve"]
    assert "--output DIRECTORY" in english_pages["segment log"]
    assert "--ignore-contact-type YES|NO" in english_pages["template set"]
    assert "[default: 8000; 1<=x<=65535]" in one_line(english_pages["serve"])
    assert "[x>=1]" in one_line(english_pages["init"])
    for page in english_pages.values():
        assert "OPTIONEN" not in page
        assert "DATEI" not in page


def test_german_missing_argument_names_metavar(cli_database: Path) -> None:
    result = run_segtui(cli_database, "--lang", "de", "segment", "show", check=False)
    assert result.returncode == 2
    assert "'SEG'" in result.stderr
    assert "[OPTIONEN]" in result.stderr


def test_german_range_error(cli_database: Path) -> None:
    result = run_segtui(
        cli_database, "--lang", "de", "serve", "--port", "0", check=False
    )
    assert result.returncode == 2
    assert "0 liegt nicht im erlaubten Bereich (1 bis 65535)." in result.stderr


def test_english_range_error(cli_database: Path) -> None:
    result = run_segtui(cli_database, "serve", "--port", "0", check=False)
    assert result.returncode == 2
    assert "0 is not in the range 1<=x<=65535." in result.stderr


def run_segtui(
    database: Path | str, *arguments: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "segtui", "--db", str(database), *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"segtui {' '.join(arguments)} exited with {result.returncode}:\n"
            f"{result.stderr}"
        )
    return result


@pytest.fixture
def cli_database(sample_database_path: Path | str) -> Path | str:
    return sample_database_path


def new_segment(database: Path | str, contacts: str) -> str:
    """Create a LETTER segment with the given contacts and a set cost and date."""
    number = run_segtui(
        database,
        "segment",
        "new",
        "--description",
        "Preisliste",
        "--template",
        "LETTER",
    ).stdout.strip()
    run_segtui(database, "segment", "add", number, "--filter", f"no={contacts}")
    run_segtui(
        database,
        "segment",
        "set",
        number,
        "--unit-cost",
        "1234.5",
        "--date",
        "2026-03-05",
    )
    return number


# CT000014 gets letters on paper, CT000016 by email.
PAPER_AND_EMAIL = "CT000014|CT000016"


def test_segment_show_german_values(cli_database: Path) -> None:
    number = new_segment(cli_database, PAPER_AND_EMAIL)
    output = run_segtui(cli_database, "--lang", "de", "segment", "show", number).stdout
    assert "05.03.2026" in output
    assert "2026-03-05" not in output
    assert "1.234,50" in output
    assert "1234.5" not in output
    assert "Papier" in output
    assert "E-Mail" in output
    assert "hard_copy" not in output
    assert "Ausgehend" in output
    assert "outbound" not in output
    assert "Einstandspreis" in output


def test_segment_show_english_values(cli_database: Path) -> None:
    number = new_segment(cli_database, PAPER_AND_EMAIL)
    output = run_segtui(cli_database, "segment", "show", number).stdout
    assert "2026-03-05" in output
    assert "1,234.50" in output
    assert "Hard Copy" in output
    assert "Email" in output
    assert "hard_copy" not in output
    assert "Unit cost" in output


def test_segment_list_german_date(cli_database: Path) -> None:
    new_segment(cli_database, PAPER_AND_EMAIL)
    listed = run_segtui(cli_database, "--lang", "de", "segment", "list").stdout
    assert "05.03.2026" in listed
    assert "2026-03-05" not in listed


def test_logged_entries_german(cli_database: Path, tmp_path: Path) -> None:
    number = new_segment(cli_database, PAPER_AND_EMAIL)
    logged_no = run_segtui(
        cli_database, "segment", "log", number, "--output", str(tmp_path / "letters")
    ).stdout.strip()

    listed = run_segtui(cli_database, "--lang", "de", "interactions", "list")
    assert "05.03.2026" in listed.stdout
    assert "2026-03-05" not in listed.stdout
    # The totals: two entries of 1.234,50 each.
    assert "2.469,00" in listed.stderr
    assert "2469.00" not in listed.stderr

    entries = json.loads(
        run_segtui(cli_database, "interactions", "list", "--json").stdout
    )
    kinds = {}
    for entry in entries:
        entry_show = run_segtui(
            cli_database, "--lang", "de", "interactions", "show", str(entry["entry_no"])
        ).stdout
        kinds[entry["correspondence_type"]] = entry_show
    assert "Papier" in kinds["hard_copy"]
    assert "E-Mail" in kinds["email"]
    for output in kinds.values():
        assert "hard_copy" not in output
        assert "1.234,50" in output
        assert "05.03.2026" in output

    logged = run_segtui(cli_database, "--lang", "de", "logged", "show", logged_no)
    assert "Storniert" in logged.stdout
    assert "False" not in logged.stdout
    assert "nein" in logged.stdout


def test_template_list_german_kinds(cli_database: Path) -> None:
    listed = run_segtui(cli_database, "--lang", "de", "template", "list").stdout
    assert "Papier" in listed
    assert "hard_copy" not in listed
    output = run_segtui(cli_database, "--lang", "de", "template", "show", "LETTER")
    assert "Papier" in output.stdout
    assert "1,20" in output.stdout
    assert "hard_copy" not in output.stdout


def test_contacts_list_german_types(cli_database: Path) -> None:
    listed = run_segtui(cli_database, "--lang", "de", "contacts", "list").stdout
    assert "Unternehmen" in listed
    assert " company " not in listed


def test_german_date_option_reads_german_form(
    cli_database: Path, tmp_path: Path
) -> None:
    number = new_segment(cli_database, PAPER_AND_EMAIL)
    logged_no = run_segtui(
        cli_database, "segment", "log", number, "--output", str(tmp_path / "letters")
    ).stdout.strip()
    arguments = ("logged", "follow-up", logged_no, "--non-responders-since")
    german = run_segtui(cli_database, "--lang", "de", *arguments, "01.01.2026")
    assert german.stdout.strip().startswith("SEG")
    english = run_segtui(cli_database, *arguments, "01.01.2026", check=False)
    assert english.returncode == 2
    assert "YYYY-MM-DD" in english.stderr
