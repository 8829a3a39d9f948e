"""Logging a segment: validation that writes nothing, the entries, the letters, email.

The world (tests/builders.py) has the LETTER template with an English and a German
attachment, and the CALL template without one. SEGTUI_TODAY is 2026-12-04.
"""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from segtui.domain import delivery, segment_logging
from segtui.domain.criteria import AddOptions
from segtui.domain.documents import document_text, leftover_field_codes
from segtui.domain.errors import NotFoundError, ValidationError
from segtui.domain.logged_segments import (
    create_follow_up_segment,
    entry_letter_text,
    follow_up_notice,
    follow_up_segments,
)
from segtui.domain.segment_actions import add_contacts, go_back, reuse_logged_segment
from segtui.domain.segment_logging import (
    LogCanceledError,
    LogOptions,
    LogResult,
    log_segment,
    validate_segment,
)
from segtui.domain.segmentation import (
    create_segment,
    delete_segment,
    update_header,
)
from segtui.models import (
    Attachment,
    Contact,
    InteractionLogEntry,
    InteractionTemplateLanguage,
    Language,
    LoggedSegment,
    SegmentCriteriaAction,
    SegmentHeader,
    SegmentHistory,
    SegmentLine,
)
from tests.builders import word_file
from tests.conftest import TEST_USER

DESCRIPTION = "Winter catalogue 2026"
PRINT_FILE = "All letters.docx"


def new_segment(
    filters: dict[str, dict[str, str]] | None,
    *,
    template_code: str | None = "LETTER",
    salesperson_code: str | None = "AH",
    **options: bool,
) -> str:
    """Create a segment and add the contacts the filters select, or none for None."""
    no = create_segment(
        DESCRIPTION,
        user=TEST_USER,
        template_code=template_code,
        salesperson_code=salesperson_code,
    ).no
    if filters is not None:
        add_contacts(no, filters, AddOptions(**options), user=TEST_USER)
    return no


def by_no(expression: str) -> dict[str, dict[str, str]]:
    return {"contact": {"no": expression}}


def attachment_of(language: str) -> Attachment:
    row = InteractionTemplateLanguage.get(
        (InteractionTemplateLanguage.template == "LETTER")
        & (InteractionTemplateLanguage.language == language)
    )
    return Attachment.get_by_id(row.__data__["attachment"])


def database_state() -> dict[str, object]:
    """Return the row counts and the segment rows that logging could change."""
    state: dict[str, object] = {
        model.__name__: model.select().count()
        for model in (
            SegmentHeader,
            SegmentLine,
            SegmentCriteriaAction,
            SegmentHistory,
            LoggedSegment,
            InteractionLogEntry,
        )
    }
    state["headers"] = list(SegmentHeader.select().order_by(SegmentHeader.no).dicts())
    state["lines"] = list(SegmentLine.select().order_by(SegmentLine.id).dicts())
    state["attachments"] = list(
        Attachment.select(Attachment.id, Attachment.read_only)
        .order_by(Attachment.id)
        .tuples()
    )
    return state


def rejected(no: str, options: LogOptions) -> ValidationError:
    """Log a segment that must fail validation, and check that nothing changed."""
    assert options.output_folder is not None
    before = database_state()
    with pytest.raises(ValidationError) as caught:
        log_segment(no, options, user=TEST_USER)
    assert database_state() == before
    folder = options.output_folder
    assert not folder.exists() or sorted(folder.iterdir()) == []
    return caught.value


def problem_texts(
    error: ValidationError, line_no: int | None = None, contact_no: str | None = None
) -> list[str]:
    return [
        problem.text
        for problem in error.problems
        if problem.line_no == line_no and problem.contact_no == contact_no
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "letters"


# Every validation rule, with the database and the folder left unchanged.


def test_missing_description(world, folder):
    no = new_segment(by_no("CO1"))
    SegmentHeader.update(description="  ").where(SegmentHeader.no == no).execute()
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "no description" in problem_texts(error)[0]
    assert "no description" in str(error)


def test_no_lines(world, folder):
    no = new_segment(None)
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "no lines" in problem_texts(error)[0]


def test_line_without_salesperson(world, folder):
    """Neither the header nor CO1P1 has a salesperson, but CO1 has AH."""
    no = new_segment(by_no("CO1|CO1P1"), salesperson_code=None)
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "no salesperson" in problem_texts(error, 20000, "CO1P1")[0]
    assert "line 20000, contact CO1P1 Jürgen Müller: no salesperson" in str(error)


def test_line_without_template(world, folder):
    no = new_segment(by_no("CO1|IND2"), template_code=None)
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 2
    assert "no interaction template" in problem_texts(error, 10000, "CO1")[0]
    assert "no interaction template" in problem_texts(error, 20000, "IND2")[0]


def test_line_without_date(world, folder):
    no = new_segment(by_no("CO1|IND2"))
    SegmentLine.update(date=None).where(SegmentLine.line_no == 20000).execute()
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "no date" in problem_texts(error, 20000, "IND2")[0]


def test_email_line_without_address(world, folder, monkeypatch):
    """With delivery on, IND2 (no email address) cannot get an Email line."""
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PORT", "2525")
    Contact.update(correspondence_type="email").where(Contact.no == "IND2").execute()
    no = new_segment(by_no("CO2P1|IND2"))
    error = rejected(no, LogOptions(deliver=True, output_folder=folder))
    assert len(error.problems) == 1
    assert "no email address" in problem_texts(error, 20000, "IND2")[0]


def test_email_address_of_blanks_only(world, folder, monkeypatch):
    """An address of a tab and spaces counts as no address."""
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PORT", "2525")
    Contact.update(correspondence_type="email", email="\t  ").where(
        Contact.no == "IND2"
    ).execute()
    no = new_segment(by_no("CO2P1|IND2"))
    error = rejected(no, LogOptions(deliver=True, output_folder=folder))
    assert "no email address" in problem_texts(error, 20000, "IND2")[0]


def test_checking_reads_only_lines_with_problems(world, folder, monkeypatch):
    """Checking a segment passes to Python only the lines that have a problem."""
    checked: list[int] = []
    original = segment_logging._problems_of_line

    def spy(row, options):
        checked.append(row["line_no"])
        return original(row, options)

    monkeypatch.setattr(segment_logging, "_problems_of_line", spy)
    no = new_segment(by_no("CO1|CO1P1|CO2|IND1"))
    segment = SegmentHeader.get_by_id(no)
    assert validate_segment(segment, LogOptions(), folder) == []
    assert checked == []

    SegmentLine.update(date=None).where(
        (SegmentLine.segment == no) & (SegmentLine.line_no == 30000)
    ).execute()
    problems = validate_segment(segment, LogOptions(), folder)
    assert [(p.line_no, p.contact_no) for p in problems] == [(30000, "CO2")]
    assert checked == [30000]


def test_email_without_smtp(world, folder):
    no = new_segment(by_no("CO2P1|IND1"))
    error = rejected(no, LogOptions(deliver=True, output_folder=folder))
    assert len(error.problems) == 1
    assert "SEGTUI_SMTP_HOST" in problem_texts(error)[0]


def test_hard_copy_without_attachment(world, folder):
    no = new_segment(None, template_code="CALL")
    update_header(
        no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    add_contacts(no, by_no("CO1|IND2"), AddOptions(), user=TEST_USER)
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 2
    assert "CALL has no Word attachment" in problem_texts(error, 10000, "CO1")[0]
    assert "CALL has no Word attachment" in problem_texts(error, 20000, "IND2")[0]


def test_unmatched_merge_field(world, folder):
    attachment = attachment_of("DE")
    attachment.content = word_file(["Achternaam"])
    attachment.save()
    no = new_segment(by_no("CO1|CO1P1"))
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    text = problem_texts(error)[0]
    assert "Achternaam" in text
    assert "letter_de.docx" in text
    assert "match nothing" in text


def test_attachment_not_word(world, folder):
    attachment = attachment_of("EN")
    attachment.content = b"plain text, not a Word file"
    attachment.save()
    no = new_segment(by_no("IND2"))
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "not a Word file" in problem_texts(error)[0]


def test_privacy_blocked_line(world, folder):
    no = new_segment(by_no("CO1|CO1P1"))
    Contact.update(privacy_blocked=True).where(Contact.no == "CO1P1").execute()
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "privacy blocked" in problem_texts(error, 20000, "CO1P1")[0]


def test_line_language_without_attachment(world, folder):
    """LETTER has no French attachment, so a French hard-copy line cannot log."""
    Language.create(code="FR", name="Français", locale="fr_FR")
    no = new_segment(by_no("CO1|IND2"))
    SegmentLine.update(language="FR").where(SegmentLine.line_no == 20000).execute()
    error = rejected(no, LogOptions(output_folder=folder))
    assert len(error.problems) == 1
    assert "no attachment in language FR" in problem_texts(error, 20000, "IND2")[0]


def test_output_folder_is_file(world, tmp_path):
    target = tmp_path / "letters.docx"
    target.write_bytes(b"a file")
    no = new_segment(by_no("CO1"))
    before = database_state()
    with pytest.raises(ValidationError) as caught:
        log_segment(no, LogOptions(output_folder=target), user=TEST_USER)
    assert database_state() == before
    assert target.read_bytes() == b"a file"
    assert "is a file" in problem_texts(caught.value)[0]


def test_output_folder_with_letters(world, folder):
    folder.mkdir()
    (folder / "old letter.docx").write_bytes(b"old")
    no = new_segment(by_no("CO1"))
    before = database_state()
    with pytest.raises(ValidationError) as caught:
        log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    assert database_state() == before
    assert sorted(path.name for path in folder.iterdir()) == ["old letter.docx"]
    assert "already contains letters" in problem_texts(caught.value)[0]


def test_several_problems(world, folder):
    """Every problem is listed at once, each line problem with its line and contact."""
    attachment = attachment_of("DE")
    attachment.content = word_file(["Achternaam"])
    attachment.save()
    no = new_segment(by_no("CO1|CO1P1|IND1"), salesperson_code=None)
    SegmentHeader.update(description="").where(SegmentHeader.no == no).execute()
    Contact.update(privacy_blocked=True).where(Contact.no == "IND1").execute()
    error = rejected(no, LogOptions(deliver=True, output_folder=folder))

    general = problem_texts(error)
    assert len(error.problems) == 6
    assert any("no description" in text for text in general)
    assert any("Achternaam" in text for text in general)
    assert any("SEGTUI_SMTP_HOST" in text for text in general)
    assert problem_texts(error, 10000, "CO1") == []
    assert len(problem_texts(error, 20000, "CO1P1")) == 1
    assert "no salesperson" in problem_texts(error, 20000, "CO1P1")[0]
    ind1 = problem_texts(error, 30000, "IND1")
    assert len(ind1) == 2
    assert any("privacy blocked" in text for text in ind1)
    assert any("no salesperson" in text for text in ind1)
    assert "line 30000, contact IND1 Zoë Keller" in str(error)


def test_validate_segment_writes_nothing(world, folder):
    no = new_segment(by_no("CO1|CO1P1"), salesperson_code=None)
    before = database_state()
    problems = validate_segment(SegmentHeader.get_by_id(no), LogOptions(), folder)
    assert [(p.line_no, p.contact_no) for p in problems] == [(20000, "CO1P1")]
    assert database_state() == before
    assert not folder.exists()


def test_already_logged(world, folder, monkeypatch):
    monkeypatch.setenv("SEGTUI_NOW", "2026-12-04T09:30:00")
    no = new_segment(by_no("CO1"))
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    before = database_state()
    with pytest.raises(NotFoundError) as caught:
        log_segment(
            no, LogOptions(output_folder=folder.with_name("again")), user=TEST_USER
        )
    message = str(caught.value)
    assert f"Segment {no} was logged by {TEST_USER}" in message
    assert "2026-12-04 09:30:00" in message
    assert f"logged segment {result.logged_segment_no}" in message
    assert database_state() == before


def test_unknown_segment(world, folder):
    with pytest.raises(NotFoundError) as caught:
        log_segment("SEG99999", LogOptions(output_folder=folder), user=TEST_USER)
    assert "'SEG99999'" in str(caught.value)


# A successful log of the German-speaking contacts.

# The lines each contact's letter must contain, besides the common ones.
GERMAN_LETTER_LINES = {
    "CO1": [
        "AddressBlock: Müller GmbH",
        "Hauptstraße 1",
        "10115 Berlin",
        "DEUTSCHLAND",
        "FormalSalutation: Sehr geehrte Damen und Herren,",
        "Firma: Müller GmbH",
        "Ref. CO1",
    ],
    "CO1P1": [
        "AddressBlock: Müller GmbH",
        "Jürgen Müller",
        "Hauptstraße 1",
        "10115 Berlin",
        "DEUTSCHLAND",
        "FormalSalutation: Sehr geehrter Herr Müller,",
        "InformalSalutation: Lieber Jürgen,",
        "Anrede: Sehr geehrter Herr Müller,",
        "Firma: Müller GmbH",
        "Ref. CO1P1",
    ],
    "CO2": [
        "AddressBlock: Alpen IT AG",
        "Wien",
        "ÖSTERREICH",
        "Firma: Alpen IT AG",
        "Ref. CO2",
    ],
    "CO2P1": [
        "AddressBlock: Alpen IT AG",
        "Lena Gruber",
        "Wien",
        "ÖSTERREICH",
        "FormalSalutation: Sehr geehrter Herr Gruber,",
        "Firma: Alpen IT AG",
        "Ref. CO2P1",
    ],
    "IND1": [
        "AddressBlock: Zoë Keller",
        "Zürich",
        "SCHWEIZ",
        "FormalSalutation: Sehr geehrter Herr Keller,",
        "InformalSalutation: Lieber Zoë,",
        "Firma: ",
        "Ref. IND1",
    ],
}
COMMON_GERMAN_LINES = [
    "Date: 4. Dezember 2026",
    "Subject: Unser Katalog",
    f"SegmentDescription: {DESCRIPTION}",
    "SalespersonName: Annette Hill",
    "SalespersonEmail: ah@example.com",
]
COMPANY_NAMES = {
    "CO1": "Müller GmbH",
    "CO1P1": "Müller GmbH",
    "CO2": "Alpen IT AG",
    "CO2P1": "Alpen IT AG",
    "IND1": "",
}
CONTACT_NAMES = {
    "CO1": "Müller GmbH",
    "CO1P1": "Jürgen Müller",
    "CO2": "Alpen IT AG",
    "CO2P1": "Lena Gruber",
    "IND1": "Zoë Keller",
}
CORRESPONDENCE_TYPES = {
    "CO1": "hard_copy",
    "CO1P1": "hard_copy",
    "CO2": "hard_copy",
    "CO2P1": "email",
    "IND1": "email",
}


@dataclass
class LoggedRun:
    segment_no: str
    lines: list[dict[str, object]]
    result: LogResult
    folder: Path

    def entries(self) -> list[InteractionLogEntry]:
        return list(
            InteractionLogEntry.select()
            .where(InteractionLogEntry.logged_segment == self.result.logged_segment_no)
            .order_by(InteractionLogEntry.entry_no)
        )


@pytest.fixture
def logged(world, folder) -> LoggedRun:
    """Log the contacts in DE, AT and CH: CO1, CO1P1, CO2, CO2P1 and IND1."""
    no = new_segment({"contact": {"country": "DE|AT|CH"}})
    lines = list(
        SegmentLine.select()
        .where(SegmentLine.segment == no)
        .order_by(SegmentLine.line_no)
        .dicts()
    )
    result = log_segment(
        no, LogOptions(follow_up=True, output_folder=folder), user=TEST_USER
    )
    return LoggedRun(no, lines, result, folder)


def test_log_one_entry_per_line(logged):
    entries = logged.entries()
    assert logged.result.entries == 5
    assert len(entries) == len(logged.lines)
    assert [entry.contact_no for entry in entries] == [
        line["contact"] for line in logged.lines
    ]
    assert InteractionLogEntry.select().count() == 5


def test_log_entry_contact(logged):
    for entry in logged.entries():
        assert entry.contact_name == CONTACT_NAMES[entry.contact_no]
        assert entry.contact_company_name == COMPANY_NAMES[entry.contact_no]


def test_log_entry_values(logged):
    german = attachment_of("DE").id
    for entry in logged.entries():
        assert entry.template_code == "LETTER", entry.contact_no
        assert entry.group_code == "LETTER", entry.contact_no
        assert entry.language_code == "DE", entry.contact_no
        assert entry.correspondence_type == CORRESPONDENCE_TYPES[entry.contact_no]
        assert entry.unit_cost == Decimal("1.20"), entry.contact_no
        assert entry.unit_duration == Decimal("5"), entry.contact_no
        assert entry.salesperson_code == "AH", entry.contact_no
        assert entry.description == "Catalogue letter", entry.contact_no
        assert entry.subject == "Unser Katalog", entry.contact_no
        assert entry.date.isoformat() == "2026-12-04", entry.contact_no
        assert entry.segment_no == logged.segment_no, entry.contact_no
        assert entry.user_id == TEST_USER, entry.contact_no
        assert entry.__data__["attachment"] == german, entry.contact_no
        assert entry.delivery_status == "not_delivered", entry.contact_no
        assert entry.canceled is False, entry.contact_no


def test_log_creates_logged_segment(logged):
    rows = list(LoggedSegment.select())
    assert len(rows) == 1
    assert rows[0].entry_no == logged.result.logged_segment_no
    assert rows[0].segment_no == logged.segment_no
    assert rows[0].description == DESCRIPTION
    assert rows[0].user_id == TEST_USER
    assert rows[0].canceled is False


def test_log_removes_segment(logged):
    assert SegmentHeader.get_or_none(SegmentHeader.no == logged.segment_no) is None
    assert (
        SegmentLine.select().where(SegmentLine.segment == logged.segment_no).count()
        == 0
    )
    actions = SegmentCriteriaAction.select().where(
        SegmentCriteriaAction.segment == logged.segment_no
    )
    assert actions.count() == 0


def test_log_marks_attachments_read_only(logged):
    assert attachment_of("DE").read_only is True
    assert attachment_of("EN").read_only is False


def test_log_follow_up(logged):
    follow_up = logged.result.follow_up_segment_no
    assert follow_up is not None
    assert follow_up != logged.segment_no
    contacts = [
        row[0]
        for row in SegmentLine.select(SegmentLine.contact)
        .where(SegmentLine.segment == follow_up)
        .order_by(SegmentLine.line_no)
        .tuples()
    ]
    assert contacts == [line["contact"] for line in logged.lines]
    assert SegmentHeader.get_by_id(follow_up).description == DESCRIPTION


def test_follow_up_segments_listed(logged):
    entry_no = logged.result.logged_segment_no
    first = logged.result.follow_up_segment_no
    assert follow_up_segments(entry_no) == [first]
    assert follow_up_notice(entry_no, [first]) == (
        f"Logged segment {entry_no} has a follow-up segment already: {first}."
    )

    second = create_follow_up_segment(entry_no, user=TEST_USER).no
    assert follow_up_segments(entry_no) == [first, second]
    assert follow_up_notice(entry_no, [first, second]) == (
        f"Logged segment {entry_no} has 2 follow-up segments already: "
        f"{first}, {second}."
    )
    assert follow_up_segments(entry_no + 1) == []

    # Reusing the logged segment after other contacts does not start a follow-up.
    mixed = new_segment({"contact": {"no": "IND2"}})
    reuse_logged_segment(mixed, entry_no, user=TEST_USER)
    assert mixed not in follow_up_segments(entry_no)

    # Go Back of the reuse, and deleting the segment, end the follow-up.
    go_back(second, user=TEST_USER)
    assert follow_up_segments(entry_no) == [first]
    delete_segment(first, user=TEST_USER)
    assert follow_up_segments(entry_no) == []


def test_log_letter_files(logged):
    entries = logged.entries()
    names = [Path(entry.document_path).name for entry in entries]
    assert len(set(names)) == len(entries)
    for entry, name in zip(entries, names, strict=True):
        assert Path(entry.document_path).parent == logged.folder
        assert name.endswith(".docx")
        assert entry.contact_no in name
        assert entry.contact_name in name
        assert COMPANY_NAMES[entry.contact_no] in name
    on_disk = sorted(path.name for path in logged.folder.iterdir())
    assert on_disk == sorted([*names, PRINT_FILE])


def test_log_result_report(logged):
    report = logged.result.delivery
    assert len(report.letters) == 5
    assert report.print_files == [logged.folder / PRINT_FILE]
    assert report.failed == []
    assert report.sent == 0


@pytest.mark.parametrize("contact_no", sorted(GERMAN_LETTER_LINES))
def test_log_letter_text(contact_no, logged):
    entry = next(e for e in logged.entries() if e.contact_no == contact_no)
    text_lines = document_text(Path(entry.document_path).read_bytes()).splitlines()
    for expected in [*COMMON_GERMAN_LINES, *GERMAN_LETTER_LINES[contact_no]]:
        assert expected in text_lines, expected


def test_log_letter_only_own_reference(logged):
    for entry in logged.entries():
        text = document_text(Path(entry.document_path).read_bytes())
        references = [line for line in text.splitlines() if line.startswith("Ref. ")]
        assert references == [f"Ref. {entry.contact_no}"]


def test_log_letters_have_no_field_codes(logged):
    for path in logged.folder.iterdir():
        assert leftover_field_codes(path.read_bytes()) == [], path.name


def test_print_file_contains_hard_copy(logged):
    text = document_text((logged.folder / PRINT_FILE).read_bytes())
    references = [line for line in text.splitlines() if line.startswith("Ref. ")]
    assert references == ["Ref. CO1", "Ref. CO1P1", "Ref. CO2"]
    assert text.count("Date: 4. Dezember 2026") == 3


def test_entry_letter_reproduced(logged):
    for entry in logged.entries():
        on_disk = document_text(Path(entry.document_path).read_bytes())
        assert entry_letter_text(entry.entry_no) == on_disk, entry.contact_no


def test_entry_letter_after_contact_change(logged):
    """An entry keeps its merge values, so later changes to the contact stay out."""
    Contact.update(name="Jürgen Meier", surname="Meier").where(
        Contact.no == "CO1P1"
    ).execute()
    entry = next(e for e in logged.entries() if e.contact_no == "CO1P1")
    text = entry_letter_text(entry.entry_no)
    assert text == document_text(Path(entry.document_path).read_bytes())
    assert "FormalSalutation: Sehr geehrter Herr Müller," in text.splitlines()


# Other successful logs on the world.


def test_english_letter(world, folder):
    no = new_segment(by_no("IND2"))
    log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    entry = InteractionLogEntry.get()
    text_lines = document_text(Path(entry.document_path).read_bytes()).splitlines()
    for expected in (
        "AddressBlock: Tom Baker",
        "London",
        "SW1A 1AA",
        "UNITED KINGDOM",
        "Date: 4 December 2026",
        "Subject: Our catalogue",
        "FormalSalutation: Dear Mr Baker,",
        "InformalSalutation: Dear Tom,",
        "SalespersonName: Annette Hill",
        f"SegmentDescription: {DESCRIPTION}",
        "Ref. IND2",
    ):
        assert expected in text_lines, expected
    assert entry.language_code == "EN"


def test_print_files_per_attachment(world, folder):
    """German and English letters come from two attachments, so two print files."""
    no = new_segment(by_no("CO1|IND2|IND3"))
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    print_files = result.delivery.print_files
    assert len(print_files) == 2
    references: list[str] = []
    for path in print_files:
        assert path.name.startswith("All letters")
        text = document_text(path.read_bytes())
        references += [line for line in text.splitlines() if line.startswith("Ref. ")]
    assert sorted(references) == ["Ref. CO1", "Ref. IND2", "Ref. IND3"]


def test_duplicate_contact_letters(world, folder):
    no = new_segment(by_no("CO1"))
    add_contacts(no, by_no("CO1"), AddOptions(allow_existing=True), user=TEST_USER)
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    assert result.entries == 2
    paths = [Path(entry.document_path) for entry in InteractionLogEntry.select()]
    assert len(set(paths)) == 2
    for path in paths:
        assert path.exists()
        assert "CO1" in path.name


def test_email_without_address_logged_blank(world, folder):
    """With delivery off, an Email line to a contact without an address is recorded."""
    Contact.update(correspondence_type="email").where(Contact.no == "IND2").execute()
    no = new_segment(by_no("IND2"))
    line = SegmentLine.get(SegmentLine.segment == no)
    assert line.correspondence_type == "email"
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    entry = InteractionLogEntry.get()
    assert result.entries == 1
    assert entry.correspondence_type == ""
    assert entry.delivery_status == "not_delivered"
    assert result.delivery.print_files == []


def test_call_logs_without_letters(world, folder):
    no = new_segment(by_no("CO1|IND2"), template_code="CALL")
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    entries = list(InteractionLogEntry.select())
    assert result.entries == 2
    assert [entry.template_code for entry in entries] == ["CALL", "CALL"]
    assert [entry.__data__["attachment"] for entry in entries] == [None, None]
    assert [entry.unit_cost for entry in entries] == [Decimal("0"), Decimal("0")]
    assert result.delivery.letters == []
    assert not folder.exists() or sorted(folder.iterdir()) == []
    assert entry_letter_text(entries[0].entry_no) is None
    # Nothing is ever merged for these entries, so no merge values are kept.
    assert [entry.merge_values for entry in entries] == [None, None]


def test_letter_entries_keep_merge_values(logged):
    for entry in logged.entries():
        assert entry.merge_values["contact_no"] == entry.contact_no
        assert entry.merge_values["name"] == CONTACT_NAMES[entry.contact_no]


# Delivery over a real SMTP server on 127.0.0.1.


class RecordingHandler:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes: list[object] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch) -> Iterator[RecordingHandler]:
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PORT", str(port))
    try:
        yield handler
    finally:
        controller.stop()


def test_email_delivery(world, folder, smtp_server):
    no = new_segment(by_no("CO1P1|CO2P1|IND1"), salesperson_code="JÖ")
    update_header(
        no,
        {"correspondence_type": "email", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    result = log_segment(
        no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER
    )
    assert result.delivery.sent == 3
    assert result.delivery.failed == []

    recipients = Counter(
        address for envelope in smtp_server.envelopes for address in envelope.rcpt_tos
    )
    assert recipients == {
        "co1p1@example.com": 1,
        "co2p1@example.com": 1,
        "ind1@example.com": 1,
    }
    entries = {entry.contact_no: entry for entry in InteractionLogEntry.select()}
    for envelope in smtp_server.envelopes:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        contact_no = envelope.rcpt_tos[0].split("@")[0].upper()
        entry = entries[contact_no]
        attachments = list(message.iter_attachments())
        assert envelope.mail_from == "jo@example.de"
        assert message["Subject"] == "Unser Katalog"
        assert len(attachments) == 1
        assert attachments[0].get_filename() == Path(entry.document_path).name
        letter = attachments[0].get_content()
        assert letter == Path(entry.document_path).read_bytes()
        assert f"Ref. {contact_no}" in document_text(letter).splitlines()
    for entry in entries.values():
        assert entry.correspondence_type == "email", entry.contact_no
        assert entry.delivery_status == "sent", entry.contact_no
        assert entry.delivery_error == "", entry.contact_no


class RejectingHandler(RecordingHandler):
    """Reject one recipient, as a server with an unknown mailbox does."""

    def __init__(self, rejected_address: str) -> None:
        super().__init__()
        self.rejected_address = rejected_address

    async def handle_RCPT(  # noqa: N802
        self, server, session, envelope, address, rcpt_options
    ) -> str:
        if address == self.rejected_address:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_email_rejected_recipient(world, folder, monkeypatch):
    from aiosmtpd.controller import Controller

    handler = RejectingHandler("ind1@example.com")
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SEGTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SEGTUI_SMTP_PORT", str(port))
    try:
        no = new_segment(by_no("CO2P1|IND1"))
        result = log_segment(
            no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER
        )
    finally:
        controller.stop()

    entries = {entry.contact_no: entry for entry in InteractionLogEntry.select()}
    assert result.delivery.sent == 1
    assert [entry_no for entry_no, _error in result.delivery.failed] == [
        entries["IND1"].entry_no
    ]
    assert entries["CO2P1"].delivery_status == "sent"
    assert entries["IND1"].delivery_status == "failed"
    assert "550" in entries["IND1"].delivery_error
    assert Path(entries["IND1"].document_path).exists()
    assert [envelope.rcpt_tos for envelope in handler.envelopes] == [
        ["co2p1@example.com"]
    ]


# The sample data.


def log_sample(
    filters: dict[str, dict[str, str]], folder: Path
) -> tuple[int, LogResult]:
    no = create_segment(
        "Netherlands", user=TEST_USER, template_code="LETTER", salesperson_code="EV"
    ).no
    add_contacts(no, filters, AddOptions(), user=TEST_USER)
    line_count = SegmentLine.select().where(SegmentLine.segment == no).count()
    result = log_segment(no, LogOptions(output_folder=folder), user=TEST_USER)
    return line_count, result


def check_sample_run(line_count: int, result: LogResult, folder: Path) -> None:
    entries = list(
        InteractionLogEntry.select().where(
            InteractionLogEntry.logged_segment == result.logged_segment_no
        )
    )
    with_letter = [entry for entry in entries if entry.__data__["attachment"]]
    assert result.entries == line_count
    assert len(entries) == line_count
    assert len(with_letter) == line_count
    assert len(result.delivery.letters) == len(with_letter)
    assert result.delivery.failed == []
    letters = sorted(folder.glob("*.docx"))
    assert len(letters) == len(with_letter) + len(result.delivery.print_files)
    assert {Path(entry.document_path) for entry in with_letter} == set(
        result.delivery.letters
    )
    for entry in with_letter[:: max(1, len(with_letter) // 10)]:
        content = Path(entry.document_path).read_bytes()
        assert leftover_field_codes(content) == [], entry.contact_no
        assert entry.contact_no in document_text(content), entry.contact_no


def test_sample_log_few_dozen(sample_database, folder):
    line_count, result = log_sample(
        {"contact": {"country": "NL", "type": "company"}}, folder
    )
    assert 20 <= line_count < delivery.PARALLEL_THRESHOLD
    check_sample_run(line_count, result, folder)


def test_sample_log_in_workers(sample_database, folder, monkeypatch):
    runs: list[bool] = []

    class RecordingRunner(delivery.JobRunner):
        def __init__(self, templates, parallel: bool, cancel=None) -> None:
            runs.append(parallel)
            super().__init__(templates, parallel, cancel)

    monkeypatch.setattr(delivery, "JobRunner", RecordingRunner)
    line_count, result = log_sample({"contact": {"country": "NL"}}, folder)
    assert line_count > delivery.PARALLEL_THRESHOLD
    assert runs == [True]
    check_sample_run(line_count, result, folder)


def test_cancel_before_saving_logs_nothing(world, folder):
    """A cancel set while the segment is checked undoes the whole log."""
    no = new_segment(by_no("CO1|CO1P1"))
    before = database_state()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(LogCanceledError) as raised:
        log_segment(no, LogOptions(output_folder=folder), user=TEST_USER, cancel=cancel)
    assert f"Segment {no} was not logged" in raised.value.message
    assert database_state() == before
    assert not folder.exists()
