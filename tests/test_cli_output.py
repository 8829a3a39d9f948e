"""Command line: output files and folders, empty lists, and choices taken by label."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any, TextIO

import pytest
from click.testing import CliRunner

from tests.test_cli import new_cli_segment, run_segtui

# Output paths.


def test_export_creates_missing_folder(sample_database_path: Path, tmp_path: Path):
    target = tmp_path / "new" / "deeper" / "contacts.csv"
    result = run_segtui(
        sample_database_path,
        "export",
        "contacts",
        "--filter",
        "no=CT000002",
        "-o",
        str(target),
    )
    assert target.is_file()
    assert f"Created the folder {target.parent}." in result.stderr
    assert "1 row written" in result.stderr
    assert not target.with_name("contacts.csv.part").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["export", "contacts"],
        ["export", "segment", "SEG00001"],
        ["export", "interactions"],
    ],
)
def test_export_to_folder_rejected(
    sample_database_path: Path, tmp_path: Path, arguments: list[str]
):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_segtui(
        sample_database_path, *arguments, "-o", str(folder), check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{folder} is a folder" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["export", "contacts", "-o"],
        ["export", "interactions", "-o"],
        ["interactions", "document", "1", "-o"],
        ["template", "export", "LETTER", "EN"],
        ["segment", "export-letter", "SEG00001", "10000"],
    ],
)
def test_output_under_file_rejected(
    sample_database_path: Path, tmp_path: Path, arguments: list[str]
):
    blocker = tmp_path / "plain.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "inside" / "out.docx"
    result = run_segtui(sample_database_path, *arguments, str(target), check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(blocker) in result.stderr
    assert "choose another folder" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_document_output_checks(sample_database_path: Path, tmp_path: Path):
    folder = tmp_path / "folder"
    folder.mkdir()
    as_folder = run_segtui(
        sample_database_path,
        "interactions",
        "document",
        "1",
        "-o",
        str(folder),
        check=False,
    )
    assert as_folder.returncode == 1
    assert f"{folder} is a folder" in as_folder.stderr

    # A failed command removes the folders it created for its output. The sample
    # data has no interaction log entries, so entry 1 does not exist.
    target = tmp_path / "made" / "letter.docx"
    failed = run_segtui(
        sample_database_path,
        "interactions",
        "document",
        "1",
        "-o",
        str(target),
        check=False,
    )
    assert failed.returncode == 1
    assert "Interaction log entry 1 does not exist." in failed.stderr
    assert not (tmp_path / "made").exists()


def test_template_export_creates_folder(sample_database_path: Path, tmp_path: Path):
    target = tmp_path / "templates" / "letter.docx"
    result = run_segtui(
        sample_database_path, "template", "export", "LETTER", "EN", str(target)
    )
    assert target.is_file()
    assert f"Created the folder {target.parent}." in result.stderr


def test_log_output_folder_checked(sample_database_path: Path, tmp_path: Path):
    number = new_cli_segment(sample_database_path, "CT000002")
    blocker = tmp_path / "plain.txt"
    blocker.write_text("", encoding="utf-8")
    as_file = run_segtui(
        sample_database_path,
        "segment",
        "log",
        number,
        "--output",
        str(blocker),
        check=False,
    )
    assert as_file.returncode == 1
    assert "Traceback" not in as_file.stderr
    assert f"The output folder {blocker} is a file" in as_file.stderr

    folder = tmp_path / "letters" / "spring"
    logged = run_segtui(
        sample_database_path, "segment", "log", number, "--output", str(folder)
    )
    assert f"Created the folder {folder}." in logged.stderr
    assert list(folder.glob("CT000002*.docx"))

    logged_no = logged.stdout.strip()
    resend = run_segtui(
        sample_database_path,
        "logged",
        "resend",
        logged_no,
        "--entry",
        "1",
        "--output",
        str(blocker / "again"),
        check=False,
    )
    assert resend.returncode == 1
    assert "Traceback" not in resend.stderr
    assert str(blocker) in resend.stderr

    shown = run_segtui(sample_database_path, "logged", "show", logged_no, "--json")
    entry_no = str(json.loads(shown.stdout)["entries"][0]["entry_no"])
    document = tmp_path / "documents" / "entry.docx"
    written = run_segtui(
        sample_database_path, "interactions", "document", entry_no, "-o", str(document)
    )
    assert document.is_file()
    assert f"Created the folder {document.parent}." in written.stderr


def test_init_creates_database_folder(tmp_path: Path):
    database = tmp_path / "data" / "new.sqlite3"
    result = run_segtui(database, "init")
    assert database.is_file()
    assert f"Created the folder {database.parent}." in result.stderr


def test_failed_export_leaves_no_file(
    sample_database_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from segtui.cli import cli
    from segtui.domain import csv_export

    def fail_halfway(stream: TextIO, condition: Any) -> int:
        stream.write("no,name\nCT000002,half a row")
        stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv_export, "export_contacts", fail_halfway)
    target = tmp_path / "out" / "contacts.csv"
    result = CliRunner().invoke(
        cli,
        ["--db", str(sample_database_path), "export", "contacts", "-o", str(target)],
    )
    assert result.exit_code == 1
    assert f"Writing {target} failed: No space left on device." in result.output
    assert not target.exists()
    assert not target.with_name("contacts.csv.part").exists()
    assert not target.parent.exists()

    target.parent.mkdir()
    target.write_text("older export\n", encoding="utf-8")
    again = CliRunner().invoke(
        cli,
        ["--db", str(sample_database_path), "export", "contacts", "-o", str(target)],
    )
    assert again.exit_code == 1
    assert target.read_text(encoding="utf-8") == "older export\n"
    assert sorted(path.name for path in target.parent.iterdir()) == ["contacts.csv"]


# Empty lists.


EMPTY_LISTS = [
    (["logged", "list"], "No logged segments."),
    (["campaign", "list"], "No campaigns."),
    (["segment", "list"], "No unlogged segments."),
    (["criteria", "list"], "No saved criteria."),
    (["template", "list"], "No interaction templates."),
    (["contacts", "list"], "No contacts."),
    (["codes", "list", "territory"], "The table territory has no codes."),
    (["setup", "list", "salesperson"], "The table salesperson has no records."),
    (["user", "list"], "No users are set up."),
]


def test_empty_lists_say_so(tmp_path: Path):
    database = tmp_path / "empty.sqlite3"
    run_segtui(database, "init")
    for arguments, message in EMPTY_LISTS:
        text = run_segtui(database, *arguments)
        assert text.stdout == "", arguments
        assert message in text.stderr, arguments
        as_json = run_segtui(database, *arguments, "--json")
        assert json.loads(as_json.stdout) == [], arguments
        assert as_json.stderr == "", arguments


def test_contacts_list_no_match(sample_database_path: Path):
    result = run_segtui(sample_database_path, "contacts", "list", "--search", "zzqqxx")
    assert result.stdout == ""
    assert "No contacts match." in result.stderr


# Choices by code or label.


def header_correspondence_type(database: Path, number: str) -> str:
    shown = json.loads(run_segtui(database, "segment", "show", number, "--json").stdout)
    return shown["header"]["correspondence_type"]


def test_correspondence_type_takes_labels(sample_database_path: Path):
    database = sample_database_path
    number = new_cli_segment(database, "CT000002")
    cases = [
        (["--lang", "de"], "E-Mail", "email"),
        (["--lang", "de"], "papier", "hard_copy"),
        (["--lang", "en"], "hard copy", "hard_copy"),
        (["--lang", "en"], "EMAIL", "email"),
        (["--lang", "en"], "blank", ""),
        (["--lang", "en"], "hard_copy", "hard_copy"),
    ]
    for language, value, code in cases:
        run_segtui(
            database,
            *language,
            "segment",
            "set",
            number,
            "--correspondence-type",
            value,
        )
        assert header_correspondence_type(database, number) == code, value

    wrong = run_segtui(
        database, "segment", "set", number, "--correspondence-type", "fax", check=False
    )
    assert wrong.returncode == 2
    assert "hard_copy, email, blank" in wrong.stderr
    assert "Hard Copy, Email, (none)" in wrong.stderr


def test_choice_help_lists_codes_and_labels(sample_database_path: Path):
    help_text = run_segtui(
        sample_database_path, "--lang", "de", "segment", "set", "--help"
    ).stdout
    assert "[hard_copy|email|blank]" in help_text
    flat = " ".join(help_text.split())
    assert "hard_copy = Papier" in flat
    assert "email = E-Mail" in flat


def test_template_choices_take_labels(sample_database_path: Path):
    database = sample_database_path
    run_segtui(
        database,
        "--lang",
        "de",
        "template",
        "set",
        "LETTER",
        "--correspondence-type",
        "E-Mail",
        "--information-flow",
        "eingehend",
    )
    shown = json.loads(
        run_segtui(database, "template", "show", "LETTER", "--json").stdout
    )
    assert shown["correspondence_type"] == "email"
    assert shown["information_flow"] == "inbound"
