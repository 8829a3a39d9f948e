"""Counted messages take the singular noun for a count of 1, in English and German."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import segtui
from segtui import i18n
from segtui.domain import delivery
from segtui.domain.contact_import import ImportResult
from segtui.domain.criteria import AddOptions
from segtui.domain.delivery import DeliveryReport, count_to_resend, describe_report
from segtui.domain.errors import InvalidValueError
from segtui.domain.segment_actions import add_contacts
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.domain.segmentation import create_segment
from segtui.domain.setup_tables import (
    delete_record,
    join_with_and,
    used_by_segment_lines,
    used_by_segments,
)
from segtui.models import Contact, InteractionLogEntry, Role, Salesperson, UserSetup
from tests.conftest import TEST_USER

PACKAGE = Path(segtui.__file__).parent

# A placeholder that contains a count, followed by a plural noun: "{count} letters".
COUNTED_PLURAL = re.compile(
    r"\{(count|n|total|created|actions|done|changed|columns|hidden)\} "
    r"(?!(?:has|is|was|does)\b)(?:[a-z-]+ )?(?:[a-z-]+s|entries)\b"
)

# Counted plurals that stay in _(), because their count is never 1 there.
NEVER_ONE = {
    # Progress of the demo data generator, which makes thousands of contacts.
    "{done} / {total} contacts",
    "\n{count} contacts generated.",
    # Only shown for a value longer than its maximum, so at least 2 characters.
    "{value} ({count} characters)",
    "The personal note has {count} characters; the most is {max}.",
    "{field} {value!r} has {count} characters, but the maximum is {max}. "
    "Type a shorter code.",
    "{field} has {count} characters; the maximum is {max}.",
    "The subject has {count} characters; the maximum is 250.",
    # Only summarized above SUMMARIZE_AFTER_LINES lines.
    "all {count} lines: {problem}",
    # Asked only when some but not all letters are delivered, so at least 2.
    "Write the {count} letters that failed or are missing, and deliver the "
    "{deliveries} of them not delivered yet?",
}


@pytest.fixture
def german() -> Iterator[None]:
    i18n.set_language("de")
    try:
        yield
    finally:
        i18n.set_language("en")


def single_delivery_report() -> DeliveryReport:
    return DeliveryReport(
        letters=[Path("CO1P1.docx")],
        print_files=[Path("print.docx")],
        printed=1,
        sent=1,
        failed=[(7, "timed out")],
    )


def test_delivery_report_singular_english() -> None:
    lines = describe_report(single_delivery_report(), Path("letters"))
    assert "1 letter written to letters." in lines
    assert "1 hard-copy letter to print is in print.docx." in lines
    assert "1 email sent." in lines
    assert "1 letter failed; it can be sent again." in lines


def test_delivery_report_singular_german(german) -> None:
    lines = describe_report(single_delivery_report(), Path("briefe"))
    assert "1 Brief in briefe geschrieben." in lines
    assert "1 zu druckender Papierbrief liegt in print.docx." in lines
    assert "1 E-Mail gesendet." in lines
    assert "1 Brief fehlgeschlagen; er kann erneut gesendet werden." in lines


def test_delivery_report_plural_english() -> None:
    report = DeliveryReport(letters=[Path("a.docx"), Path("b.docx")], sent=2)
    lines = describe_report(report, Path("letters"))
    assert "2 letters written to letters." in lines
    assert "2 emails sent." in lines


def test_import_result_singular_english() -> None:
    imported = ImportResult(created=1, updated=0, unchanged=2, dry_run=False)
    checked = ImportResult(created=1, updated=3, unchanged=0, dry_run=True)
    assert imported.message() == "Imported: 1 contact created, 0 updated, 2 unchanged."
    assert checked.message().startswith(
        "Checked: 1 contact would be created, 3 updated"
    )


def test_import_result_singular_german(german) -> None:
    imported = ImportResult(created=1, updated=0, unchanged=2, dry_run=False)
    checked = ImportResult(created=1, updated=3, unchanged=0, dry_run=True)
    assert imported.message().startswith("Importiert: 1 Kontakt angelegt,")
    assert checked.message().startswith("Geprüft: 1 Kontakt würde angelegt,")


def used_salesperson(world) -> None:
    """Create salesperson ZZ, used by one contact and by the test user."""
    Salesperson.create(code="ZZ", name="Zoe Zander")
    Contact.update(salesperson="ZZ").where(Contact.no == world.person).execute()
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN, salesperson="ZZ")


def test_used_by_singular_english(world) -> None:
    used_salesperson(world)
    with pytest.raises(InvalidValueError) as raised:
        delete_record("salesperson", "ZZ", user=TEST_USER)
    assert raised.value.message == (
        f"Salesperson ZZ is used by 1 contact ({world.person}) and 1 user "
        f"({TEST_USER}); change those first, then delete it."
    )


def test_used_by_singular_german(world, german) -> None:
    used_salesperson(world)
    with pytest.raises(InvalidValueError) as raised:
        delete_record("salesperson", "ZZ", user=TEST_USER)
    assert raised.value.message.startswith(
        f"Verkäufer ZZ wird von 1 Kontakt ({world.person}) und 1 Benutzer "
        f"({TEST_USER}) verwendet;"
    )


def test_used_by_plural_dative_german(german) -> None:
    segments = used_by_segments(2).format(count=i18n.format_count(2))
    lines = used_by_segment_lines(1026).format(count=i18n.format_count(1026))
    assert segments == "2 Segmenten"
    assert lines == "1.026 Segmentzeilen"
    assert join_with_and([segments, lines]) == "2 Segmenten und 1.026 Segmentzeilen"


def test_join_with_and_english() -> None:
    assert join_with_and([]) == ""
    assert join_with_and(["1 contact"]) == "1 contact"
    assert join_with_and(["a", "b"]) == "a and b"
    assert join_with_and(["a", "b", "c"]) == "a, b and c"


def test_nothing_to_resend_without_delivery(world, tmp_path: Path) -> None:
    """A segment logged without delivery has nothing to resend, and the message
    does not claim that its letters were delivered."""
    no = create_segment(
        "Plural test", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    ).no
    add_contacts(no, {"contact": {"no": world.person}}, AddOptions(), user=TEST_USER)
    result = log_segment(
        no,
        LogOptions(deliver=False, output_folder=tmp_path / "letters"),
        user=TEST_USER,
    )
    statuses = {entry.delivery_status for entry in InteractionLogEntry.select()}
    assert statuses == {"not_delivered"}
    assert count_to_resend(result.logged_segment_no) == 0
    message = delivery.nothing_to_send_again()
    assert message.startswith("Nothing to send again:")
    assert "delivered" not in message


def counted_plurals_outside_ngettext() -> list[str]:
    """Return "file:line: text" for each _() text that counts a plural noun."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            text = node.args[0].value
            if COUNTED_PLURAL.search(text) and text not in NEVER_ONE:
                relative = path.relative_to(PACKAGE)
                found.append(f"{relative}:{node.lineno}: {text}")
    return found


def test_counted_plurals_use_ngettext() -> None:
    found = counted_plurals_outside_ngettext()
    assert found == [], (
        "These messages put a count before a plural noun with _(); use "
        "ngettext(singular, plural, count) so a count of 1 reads right:\n"
        + "\n".join(found)
    )


def test_counted_plural_pattern_matches() -> None:
    """The scan finds the kind of text it looks for, so an empty result means
    something."""
    assert COUNTED_PLURAL.search("{count} letters written to {folder}.")
    assert COUNTED_PLURAL.search("{count} entries canceled.")
    assert COUNTED_PLURAL.search("Checked: {created} contacts would be created")
    assert COUNTED_PLURAL.search("{count} hard-copy letters to print")
    assert not COUNTED_PLURAL.search("{count} failed")
    assert not COUNTED_PLURAL.search("{kind} codes belong to persons")
    assert not COUNTED_PLURAL.search("column {n} has no name")
