"""Print files of a stopped letter run: each written hard-copy letter in exactly one.

A stop by the cancel event (Esc) or by stop_all (a hangup) ends the letters, and
the hard-copy letters written by then still get their print file. Sending the
rest again adds a print file of its own for the letters it writes.
"""

from __future__ import annotations

import re
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from segtui.domain import delivery, letter_jobs, segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.segment_logging import LogOptions, log_segment
from segtui.models import Contact, InteractionLogEntry
from tests.builders import World
from tests.conftest import TEST_USER

# The contact numbers, which each letter's footer shows.
CONTACT_NO = re.compile(r"PF\d{5}")


def hard_copy_segment(persons: int) -> str:
    """Return a segment of ``persons`` contacts whose letters are all hard copies."""
    Contact.insert_many(
        [
            {
                "no": f"PF{number:05d}",
                "type": "person",
                "name": f"Person {number}",
                "first_name": "Person",
                "surname": str(number),
                "salutation": "M",
                "country_code": "GB",
                "city": "London",
                "language": "EN",
            }
            for number in range(persons)
        ]
    ).execute()
    segment = segmentation.create_segment(
        "Print files", user=TEST_USER, template_code="LETTER", salesperson_code="AH"
    )
    segment_actions.add_contacts(
        segment.no, {"contact": {"no": "PF*"}}, AddOptions(), user=TEST_USER
    )
    segmentation.update_header(
        segment.no,
        {"correspondence_type": "hard_copy", "ignore_contact_corresp_type": True},
        user=TEST_USER,
    )
    return segment.no


def contact_numbers(path: Path) -> Counter[str]:
    """Count the contact numbers in every XML part of a Word file, footers included.

    The raw XML is searched: parsing it made this file's first test take 24 s
    instead of 4 s. A number split across two runs would be missed, but in a
    letter's own file as in a print file, so the counts still compare, and
    assert_each_letter_printed_once checks that each letter shows its number.
    """
    with zipfile.ZipFile(path) as package:
        text = "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith(".xml")
        )
    return Counter(CONTACT_NO.findall(text))


def written_letters(logged_segment_no: int) -> dict[str, Path]:
    """Return contact no → letter file of the entries with a letter recorded."""
    entries = InteractionLogEntry.select().where(
        InteractionLogEntry.logged_segment == logged_segment_no
    )
    return {
        entry.contact_no: Path(entry.document_path)
        for entry in entries
        if entry.document_path
    }


def assert_each_letter_printed_once(folder: Path, logged_segment_no: int) -> None:
    """Check that the print files contain each written letter once, and no other."""
    letters = written_letters(logged_segment_no)
    print_files = [
        path for path in folder.glob("*.docx") if not path.name.startswith("PF")
    ]
    in_print_files: Counter[str] = Counter()
    for path in print_files:
        in_print_files.update(contact_numbers(path))
    assert set(in_print_files) == set(letters)
    # A letter shows its contact number as often in the print files as in its own
    # file exactly when it is in one print file, once.
    for contact_no, letter in letters.items():
        in_letter = contact_numbers(letter)[contact_no]
        assert in_letter > 0, letter
        assert in_print_files[contact_no] == in_letter, contact_no


def test_cancel_prints_written_letters(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cancel past the first print files prints every written letter, once.

    A print file starts while the workers may still write its last letters, so a
    cancel then must not leave letters in it that were never written. Print files
    of 25 letters keep the run short; the run is long enough for worker processes.
    """
    monkeypatch.setattr(delivery, "PRINT_FILE_LETTERS", 25)
    persons = 200
    no = hard_copy_segment(persons)
    folder = tmp_path / "letters"
    cancel = threading.Event()
    stop_after = 60

    def progress(done: int, total: int) -> None:
        if done >= stop_after:
            cancel.set()

    result = log_segment(
        no,
        LogOptions(deliver=True, output_folder=folder),
        user=TEST_USER,
        progress=progress,
        cancel=cancel,
    )
    logged_no = result.logged_segment_no
    written = written_letters(logged_no)

    assert result.delivery.canceled
    assert stop_after <= len(written) < persons
    assert result.delivery.printed == len(written)
    assert_each_letter_printed_once(folder, logged_no)

    report = delivery.resend_logged_segment(logged_no, user=TEST_USER)

    assert not report.canceled
    assert report.printed == persons - len(written)
    assert report.print_files[0].name == "Letters written later.docx"
    assert len(written_letters(logged_no)) == persons
    assert_each_letter_printed_once(folder, logged_no)


def test_stop_all_prints_written_letters(world: World, tmp_path: Path) -> None:
    """A stop as on a hangup kills the workers, and their letters get printed."""
    persons = delivery.PARALLEL_THRESHOLD + 20
    no = hard_copy_segment(persons)
    folder = tmp_path / "letters"
    stopped: list[int] = []

    def stop_at_first_letter() -> None:
        # The runner exists once a letter is on disk, so stop_all reaches it.
        while not list(folder.glob("PF*.docx")):
            time.sleep(0.01)
        stopped.append(letter_jobs.stop_all())

    watcher = threading.Thread(target=stop_at_first_letter, daemon=True)
    watcher.start()
    result = log_segment(
        no, LogOptions(deliver=True, output_folder=folder), user=TEST_USER
    )
    watcher.join(timeout=10)
    logged_no = result.logged_segment_no
    written = written_letters(logged_no)

    assert stopped == [1]
    assert 0 < len(written) < persons
    assert result.delivery.printed == len(written)
    assert list(folder.glob("*.part")) == []
    assert_each_letter_printed_once(folder, logged_no)

    report = delivery.resend_logged_segment(logged_no, user=TEST_USER)

    assert report.printed == persons - len(written)
    assert len(written_letters(logged_no)) == persons
    assert_each_letter_printed_once(folder, logged_no)
