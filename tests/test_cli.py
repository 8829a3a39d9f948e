"""The main job through the command line, each command a real segtui process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from segtui.domain.documents import document_text, leftover_field_codes


def run_segtui(
    database: Path, *arguments: str, check: bool = True
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
            f"segtui {' '.join(arguments)} exited with {result.returncode}:\n{result.stderr}"
        )
    return result


@pytest.fixture
def cli_database(sample_database_path: Path | str) -> Path | str:
    return sample_database_path


def test_main_job_through_commands(cli_database: Path, tmp_path: Path) -> None:
    number = run_segtui(
        cli_database,
        "segment",
        "new",
        "--description",
        "Frühjahrsaktion 2027",
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    ).stdout.strip()
    assert number.startswith("SEG")
    assert "\n" not in number

    run_segtui(
        cli_database,
        "segment",
        "add",
        number,
        "--filter",
        "country=DE|AT",
        "--filter",
        "mailing-group=NEWS",
    )
    shown = json.loads(
        run_segtui(cli_database, "segment", "show", number, "--json").stdout
    )
    assert shown["header"]["no"] == number
    assert shown["header"]["template"] == "LETTER"
    lines = shown["lines"]
    assert len(lines) > 10
    assert all({"line_no", "contact_no"} <= set(line) for line in lines)

    listed = json.loads(run_segtui(cli_database, "segment", "list", "--json").stdout)
    assert [s["lines"] for s in listed if s["no"] == number] == [len(lines)]

    output = tmp_path / "letters"
    logged_no = run_segtui(
        cli_database, "segment", "log", number, "--follow-up", "--output", str(output)
    ).stdout.strip()
    assert logged_no.isdigit()

    logged = json.loads(run_segtui(cli_database, "logged", "list", "--json").stdout)
    assert [entry["segment_no"] for entry in logged] == [number]
    assert logged[0]["entry_no"] == int(logged_no)
    assert logged[0]["interactions"] == len(lines)
    assert logged[0]["canceled"] is False
    assert logged[0]["description"] == "Frühjahrsaktion 2027"

    detail = json.loads(
        run_segtui(cli_database, "logged", "show", logged_no, "--json").stdout
    )
    entries = detail["entries"]
    assert len(entries) == len(lines)
    assert sorted(e["contact_no"] for e in entries) == sorted(
        line["contact_no"] for line in lines
    )
    assert all(e["delivery_status"] == "not_delivered" for e in entries)

    letters = sorted(output.glob("CT*.docx"))
    assert len(letters) == len(lines)
    for entry in entries:
        matching = [p for p in letters if p.name.startswith(entry["contact_no"] + " ")]
        assert len(matching) == 1, entry["contact_no"]
    assert (output / "All letters.docx").exists() or any(
        output.glob("All letters - *.docx")
    )
    for letter in letters[:5]:
        content = letter.read_bytes()
        assert zipfile.is_zipfile(letter)
        assert leftover_field_codes(content) == []
        assert "«" not in document_text(content)

    segments = json.loads(run_segtui(cli_database, "segment", "list", "--json").stdout)
    assert number not in [s["no"] for s in segments]
    follow_ups = [s for s in segments if s["description"] == "Frühjahrsaktion 2027"]
    assert len(follow_ups) == 1
    follow_up = json.loads(
        run_segtui(
            cli_database, "segment", "show", follow_ups[0]["no"], "--json"
        ).stdout
    )
    assert sorted(line["contact_no"] for line in follow_up["lines"]) == sorted(
        line["contact_no"] for line in lines
    )


def test_invalid_filter_names_position(cli_database: Path) -> None:
    number = run_segtui(
        cli_database, "segment", "new", "--description", "Test"
    ).stdout.strip()
    result = run_segtui(
        cli_database, "segment", "add", number, "--filter", "country=DE|[", check=False
    )
    assert result.returncode == 1
    assert "DE|[" in result.stderr
    assert "position 4" in result.stderr
    assert result.stdout == ""


def test_unknown_filter_key_lists_keys(cli_database: Path) -> None:
    number = run_segtui(
        cli_database, "segment", "new", "--description", "Test"
    ).stdout.strip()
    result = run_segtui(
        cli_database, "segment", "add", number, "--filter", "cuntry=DE", check=False
    )
    assert result.returncode == 1
    assert "cuntry" in result.stderr
    assert "country" in result.stderr
    assert "mailing-group" in result.stderr


def test_unknown_code_lists_codes(cli_database: Path) -> None:
    number = run_segtui(
        cli_database, "segment", "new", "--description", "Test"
    ).stdout.strip()
    result = run_segtui(
        cli_database,
        "segment",
        "add",
        number,
        "--filter",
        "mailing-group=NOPE",
        check=False,
    )
    assert result.returncode == 1
    assert "NOPE" in result.stderr
    assert "NEWS" in result.stderr


def test_log_without_template_lists_lines(cli_database: Path, tmp_path: Path) -> None:
    number = run_segtui(
        cli_database, "segment", "new", "--description", "No template"
    ).stdout.strip()
    run_segtui(
        cli_database, "segment", "add", number, "--filter", "no=CT000001..CT000003"
    )
    output = tmp_path / "out"
    result = run_segtui(
        cli_database, "segment", "log", number, "--output", str(output), check=False
    )
    assert result.returncode == 1
    assert result.stderr.count("no interaction template") == 3
    assert "CT000001" in result.stderr
    assert not output.exists()
    still_there = json.loads(
        run_segtui(cli_database, "segment", "show", number, "--json").stdout
    )
    assert len(still_there["lines"]) == 3


def test_unknown_segment_exits_nonzero(cli_database: Path) -> None:
    result = run_segtui(cli_database, "segment", "show", "SEG99999", check=False)
    assert result.returncode == 1
    assert "SEG99999" in result.stderr
    assert result.stdout == ""


def test_segment_list_text_shows_date(cli_database: Path) -> None:
    run_segtui(cli_database, "segment", "new", "--description", "Dated")
    listed = run_segtui(cli_database, "segment", "list").stdout
    assert "2026-12-04" in listed
    assert "<10" not in listed


def test_segment_set_changes_header(cli_database: Path, tmp_path: Path) -> None:
    """A follow-up segment gets its template and salesperson from the command line."""
    number = run_segtui(
        cli_database, "segment", "new", "--description", "Set me"
    ).stdout.strip()
    run_segtui(
        cli_database, "segment", "add", number, "--filter", "no=CT000002|CT000003"
    )
    run_segtui(
        cli_database,
        "segment",
        "set",
        number,
        "--template",
        "letter",
        "--salesperson",
        "jo",
    )
    shown = json.loads(
        run_segtui(cli_database, "segment", "show", number, "--json").stdout
    )
    assert shown["header"]["template"] == "LETTER"
    assert shown["header"]["salesperson"] == "JO"
    assert {line["template"] for line in shown["lines"]} == {"LETTER"}
    assert {line["salesperson"] for line in shown["lines"]} == {"JO"}

    kept = run_segtui(
        cli_database, "segment", "set", number, "--salesperson", "AS", "--keep-lines"
    )
    assert kept.returncode == 0
    shown = json.loads(
        run_segtui(cli_database, "segment", "show", number, "--json").stdout
    )
    assert shown["header"]["salesperson"] == "AS"
    assert {line["salesperson"] for line in shown["lines"]} == {"JO"}

    bad = run_segtui(
        cli_database, "segment", "set", number, "--unit-cost", "abc", check=False
    )
    assert bad.returncode == 1
    assert "Unit cost 'abc' is not a number" in bad.stderr


def test_resend_writes_missing_letters(cli_database: Path, tmp_path: Path) -> None:
    number = run_segtui(
        cli_database,
        "segment",
        "new",
        "--description",
        "Resend",
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    ).stdout.strip()
    run_segtui(
        cli_database, "segment", "add", number, "--filter", "no=CT000002|CT000003"
    )
    output = tmp_path / "letters"
    logged_no = run_segtui(
        cli_database, "segment", "log", number, "--output", str(output)
    ).stdout.strip()
    letters = sorted(output.glob("CT*.docx"))
    assert len(letters) == 2
    letters[0].unlink()
    from segtui.db import open_database
    from segtui.models import InteractionLogEntry

    url = str(cli_database)
    database = open_database(url if "://" in url else "sqlite:///" + url)
    (
        InteractionLogEntry.update(
            document_path="", delivery_status="failed", delivery_error="disk full"
        )
        .where(InteractionLogEntry.document_path == str(letters[0]))
        .execute()
    )
    database.close()
    resent = run_segtui(cli_database, "logged", "resend", logged_no, "--failed-only")
    assert "1 letter written" in resent.stderr
    assert letters[0].exists()
    again = run_segtui(cli_database, "logged", "resend", logged_no)
    assert "Nothing to send again" in again.stderr


@pytest.mark.sqlite_only
def test_missing_database_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    result = run_segtui(missing, "segment", "list", check=False)
    assert result.returncode == 1
    assert f"Database {missing} does not exist" in result.stderr
    assert "segtui --db" in result.stderr
    assert not missing.exists()


@pytest.mark.sqlite_only
def test_not_a_database_explained(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("shopping list\n" * 100)
    result = run_segtui(bogus, "segment", "list", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not a database" in result.stderr
    assert bogus.read_text() == "shopping list\n" * 100


def test_tui_refuses_non_utf8_locale(cli_database: Path) -> None:
    environment = dict(os.environ, LANG="de_DE", LC_ALL="", LC_CTYPE="")
    result = subprocess.run(
        [sys.executable, "-m", "segtui", "--db", str(cli_database)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert result.returncode == 1
    # LANG selects German, so the message is in German.
    assert "ISO-8859-1, nicht UTF-8" in result.stderr
    assert "de_DE.UTF-8" in result.stderr


def test_unknown_language_rejected(cli_database: Path) -> None:
    result = run_segtui(cli_database, "--lang", "xx", "segment", "list", check=False)
    assert result.returncode == 2
    assert "'xx'" in result.stderr


def test_template_list_has_header(cli_database: Path) -> None:
    lines = run_segtui(cli_database, "template", "list").stdout.splitlines()
    assert lines[0].split() == [
        "Code",
        "Group",
        "Corr.",
        "type",
        "Languages",
        "Description",
    ]
    assert len(lines) > 1
    assert all(not line.startswith("Code ") for line in lines[1:])


def new_cli_segment(database: Path, contacts: str) -> str:
    number = run_segtui(
        database,
        "segment",
        "new",
        "--description",
        "CLI gaps",
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    ).stdout.strip()
    run_segtui(database, "segment", "add", number, "--filter", f"no={contacts}")
    return number


def test_export_segment_to_file_and_stdout(cli_database: Path, tmp_path: Path) -> None:
    import csv
    import io

    number = new_cli_segment(cli_database, "CT000002|CT000003|CT000005")
    target = tmp_path / "segment.csv"
    written = run_segtui(cli_database, "export", "segment", number, "-o", str(target))
    assert "3 rows written" in written.stderr
    from_file = target.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(from_file)))
    assert [row["contact_no"] for row in rows] == ["CT000002", "CT000003", "CT000005"]
    assert [row["line_no"] for row in rows] == ["10000", "20000", "30000"]
    assert {row["segment_no"] for row in rows} == {number}

    to_stdout = run_segtui(cli_database, "export", "segment", number, "-o", "-")
    assert to_stdout.stdout == from_file
    assert to_stdout.stderr == ""
    default = run_segtui(cli_database, "export", "segment", number)
    assert default.stdout == from_file

    missing = run_segtui(cli_database, "export", "segment", "SEG99999", check=False)
    assert missing.returncode == 1
    assert "SEG99999" in missing.stderr


def test_import_contacts_update_writes(cli_database: Path, tmp_path: Path) -> None:
    import csv
    import io

    exported = run_segtui(
        cli_database, "export", "contacts", "--filter", "no=CT000002|CT000003"
    ).stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["no"] for row in rows] == ["CT000002", "CT000003"]
    rows[0]["city"] = "Neustadt an der Weinstraße"
    rows[1]["phone"] = "+49 30 1234567"
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    result = run_segtui(cli_database, "import", "contacts", str(changed), "--update")
    assert "2 updated" in result.stderr
    shown = json.loads(
        run_segtui(cli_database, "contacts", "show", "CT000002", "--json").stdout
    )
    assert shown["fields"]["city"] == "Neustadt an der Weinstraße"
    shown = json.loads(
        run_segtui(cli_database, "contacts", "show", "CT000003", "--json").stdout
    )
    assert shown["fields"]["phone"] == "+49 30 1234567"
    again = run_segtui(cli_database, "import", "contacts", str(changed), "--update")
    assert "2 unchanged" in again.stderr


def test_follow_up_keeps_contacts(cli_database: Path, tmp_path: Path) -> None:
    contacts = ["CT000002", "CT000003", "CT000005"]
    number = new_cli_segment(cli_database, "|".join(contacts))
    logged_no = run_segtui(
        cli_database, "segment", "log", number, "--output", str(tmp_path / "letters")
    ).stdout.strip()
    follow_up = run_segtui(cli_database, "logged", "follow-up", logged_no)
    new_number = follow_up.stdout.strip()
    assert new_number.startswith("SEG")
    assert new_number != number
    shown = json.loads(
        run_segtui(cli_database, "segment", "show", new_number, "--json").stdout
    )
    assert sorted(line["contact_no"] for line in shown["lines"]) == contacts
    assert "already" not in follow_up.stderr

    # A second follow-up segment is still made, with a notice naming the first.
    again = run_segtui(cli_database, "logged", "follow-up", logged_no)
    notice = (
        f"Logged segment {logged_no} has a follow-up segment already: {new_number}."
    )
    assert notice in again.stderr
    second_number = again.stdout.strip()
    assert second_number.startswith("SEG")
    assert second_number not in (number, new_number)


def test_import_problems_cut_with_count(cli_database: Path, tmp_path: Path) -> None:
    """A file of contacts that exist already lists the first problems and counts
    the rest, as the TUI's import dialog does."""
    from segtui.domain.csv_format import MAX_PROBLEMS_SHOWN

    exported = run_segtui(cli_database, "export", "contacts").stdout
    existing = tmp_path / "existing.csv"
    existing.write_text(exported, encoding="utf-8")
    contacts = exported.count("\n") - 1
    assert contacts > MAX_PROBLEMS_SHOWN

    result = run_segtui(cli_database, "import", "contacts", str(existing), check=False)
    assert result.returncode == 1
    listed = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(listed) == MAX_PROBLEMS_SHOWN + 1
    assert listed[-1].strip().startswith("... and ")
    assert listed[-1].strip().endswith("more problems.")
