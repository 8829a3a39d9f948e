"""Segmentation through the command line: reduce, refine, undo, saved criteria, reuse."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run_segtui


def new_segment(database: Path, description: str = "Criteria") -> str:
    return run_segtui(
        database,
        "segment",
        "new",
        "--description",
        description,
        "--template",
        "LETTER",
        "--salesperson",
        "JO",
    ).stdout.strip()


def line_contacts(database: Path, number: str) -> list[str]:
    shown = json.loads(run_segtui(database, "segment", "show", number, "--json").stdout)
    return sorted(line["contact_no"] for line in shown["lines"])


def test_reduce_refine_and_undo(sample_database_path: Path) -> None:
    database = sample_database_path
    number = new_segment(database)
    run_segtui(database, "segment", "add", number, "--filter", "country=DE|AT")
    added = line_contacts(database, number)

    count = int(
        run_segtui(database, "segment", "count", "--filter", "country=DE|AT").stdout
    )
    assert count == len(added)

    run_segtui(
        database, "segment", "reduce", number, "--filter", "has-mailing-group=no"
    )
    reduced = line_contacts(database, number)
    assert 0 < len(reduced) < len(added)

    run_segtui(
        database,
        "segment",
        "refine",
        number,
        "--filter",
        "type=company",
        "--entire-companies",
    )
    refined = line_contacts(database, number)
    assert 0 < len(refined) <= len(reduced)

    actions = json.loads(
        run_segtui(database, "segment", "criteria", number, "--json").stdout
    )
    assert [a["action"] for a in actions] == ["add", "reduce", "refine"]
    assert actions[2]["options"] == {"entire_companies": True}
    assert actions[1]["filters"] == {"mailing_group": {"exists": "no"}}
    assert all(a["active"] for a in actions)

    run_segtui(database, "segment", "go-back", number)
    assert line_contacts(database, number) == reduced
    run_segtui(database, "segment", "go-back", number)
    assert line_contacts(database, number) == added
    text = run_segtui(database, "segment", "criteria", number).stdout
    assert text.count("(undone)") == 2
    run_segtui(database, "segment", "go-forward", number)
    run_segtui(database, "segment", "go-forward", number)
    assert line_contacts(database, number) == refined

    nothing = run_segtui(database, "segment", "go-forward", number, check=False)
    assert nothing.returncode == 1
    assert "no action to go forward to" in nothing.stderr


def test_reduce_without_filter_needs_all(sample_database_path: Path) -> None:
    database = sample_database_path
    number = new_segment(database)
    run_segtui(database, "segment", "add", number, "--filter", "country=AT")
    added = line_contacts(database, number)
    assert added

    # No filter, or only empty ones, would match every line, so the command exits 2.
    for filters in ([], ["--filter", "country="]):
        refused = run_segtui(
            database, "segment", "reduce", number, *filters, check=False
        )
        assert refused.returncode == 2, filters
        assert f"remove all {len(added)} lines of segment {number}" in (
            refused.stderr
        ), filters
        assert "--all" in refused.stderr, filters
        assert line_contacts(database, number) == added, filters

    both = run_segtui(
        database,
        "segment",
        "reduce",
        number,
        "--all",
        "--filter",
        "country=AT",
        check=False,
    )
    assert both.returncode == 2
    assert "takes no --filter" in both.stderr
    assert line_contacts(database, number) == added

    removed = run_segtui(database, "segment", "reduce", number, "--all")
    assert f"{len(added)} lines removed." in removed.stderr
    assert line_contacts(database, number) == []

    run_segtui(database, "segment", "go-back", number)
    assert line_contacts(database, number) == added


def test_saved_criteria_round_trip(sample_database_path: Path) -> None:
    database = sample_database_path
    source = new_segment(database, "Source")
    run_segtui(
        database,
        "segment",
        "add",
        source,
        "--filter",
        "country=NL",
        "--filter",
        "mailing-group=NEWS|VIP",
    )
    run_segtui(
        database,
        "segment",
        "reduce",
        source,
        "--filter",
        "exclude_from_segment=no",
        "--filter",
        "city=A*",
    )
    run_segtui(
        database,
        "criteria",
        "save",
        source,
        "nl-news",
        "--description",
        "NL newsletter",
    )

    listed = json.loads(run_segtui(database, "criteria", "list", "--json").stdout)
    assert [(c["code"], c["actions"]) for c in listed] == [("NL-NEWS", 2)]
    shown = run_segtui(database, "criteria", "show", "NL-NEWS").stdout
    assert "Add Contacts" in shown
    assert "Reduce Contacts" in shown

    target = new_segment(database, "Target")
    run_segtui(database, "criteria", "reuse", "NL-NEWS", target)
    assert line_contacts(database, target) == line_contacts(database, source)

    again = run_segtui(
        database,
        "criteria",
        "save",
        target,
        "NL-NEWS",
        "--description",
        "x",
        check=False,
    )
    assert again.returncode == 1
    assert "already exist" in again.stderr

    run_segtui(database, "criteria", "delete", "nl-news")
    assert json.loads(run_segtui(database, "criteria", "list", "--json").stdout) == []
    missing = run_segtui(database, "criteria", "reuse", "NL-NEWS", target, check=False)
    assert missing.returncode == 1
    assert "'NL-NEWS' do not exist" in missing.stderr


def test_reuse_logged_names_deleted_contact(
    sample_database_path: Path, tmp_path: Path
) -> None:
    database = sample_database_path
    number = new_segment(database)
    run_segtui(
        database, "segment", "add", number, "--filter", "no=CT000002|CT000003|CT000007"
    )

    refused = run_segtui(database, "contacts", "delete", "CT000007", check=False)
    assert refused.returncode == 1
    assert number in refused.stderr

    logged_no = run_segtui(
        database, "segment", "log", number, "--output", str(tmp_path / "letters")
    ).stdout.strip()
    run_segtui(database, "contacts", "delete", "CT000007")
    detail = json.loads(
        run_segtui(database, "logged", "show", logged_no, "--json").stdout
    )
    names = {e["contact_no"]: e["contact_name"] for e in detail["entries"]}
    assert names["CT000007"] == "Zoë Müller"

    target = new_segment(database, "Reuse")
    result = run_segtui(database, "segment", "reuse-logged", logged_no, target)
    assert "2 contacts added" in result.stderr
    assert "CT000007 Zoë Müller" in result.stderr
    assert line_contacts(database, target) == ["CT000002", "CT000003"]
