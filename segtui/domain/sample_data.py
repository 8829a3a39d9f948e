"""The demo data: generate it as CSV files and Word templates, and load it.

``write_sample_files`` writes the setup tables, about 2,000 contacts in six countries
with their classifications, and four Word letter templates. ``load_sample_data`` reads
those files (by default the ones installed as the package ``segtui.sample_data``) into
the open database in one write transaction with bulk inserts. The files are in
English, and the loader stores the setup descriptions in the user interface language.

Run ``python -m segtui.domain.sample_data FOLDER`` to regenerate the files. The same
seed and number of contacts give byte-identical CSV files as long as the pinned Faker
version stays the same, because Faker's name and address lists change between
releases.

The parts live in modules next to this one: ``sample_setup`` (setup tables and CSV
columns), ``sample_countries`` (per-country data), ``sample_contact_fields`` and
``sample_contacts`` (the contact generator), ``sample_letters`` (Word templates) and
``sample_loader`` (reading and inserting the files).
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from segtui.domain.sample_contact_fields import SampleContact
from segtui.domain.sample_contacts import MIN_CONTACTS, ContactGenerator
from segtui.domain.sample_letters import LETTER_TEMPLATES, build_letter
from segtui.domain.sample_loader import SAMPLE_DATA_PACKAGE, load_sample_data
from segtui.domain.sample_setup import (
    BUSINESS_RELATIONS,
    CONTACT_SERIES_ROW,
    CSV_COLUMNS,
    INDUSTRY_GROUPS,
    INTERACTION_GROUPS,
    INTERACTION_TEMPLATES,
    JOB_RESPONSIBILITIES,
    LANGUAGES,
    LETTERS_FOLDER,
    MAILING_GROUPS,
    SALESPEOPLE,
    SALUTATIONS,
    SEGMENT_SERIES_ROW,
    TERRITORIES,
    format_bool,
)
from segtui.domain.settings import HOME_COUNTRY
from segtui.models.base import InformationFlow, InitiatedBy

# The public interface, which other modules import from here.
__all__ = [
    "CSV_COLUMNS",
    "SAMPLE_DATA_PACKAGE",
    "load_sample_data",
    "write_sample_files",
]

DEFAULT_CONTACTS = 2000
DEFAULT_SEED = 20261204


def write_sample_files(
    folder: Path, contacts: int = DEFAULT_CONTACTS, seed: int = DEFAULT_SEED
) -> None:
    """Write the CSV files and the Word letter templates (``letters/``) to ``folder``.

    The same ``contacts`` and ``seed`` give byte-identical CSV files. Raises ValueError
    for fewer than ``MIN_CONTACTS`` contacts.
    """

    folder = Path(folder)
    generated = ContactGenerator(seed).generate(contacts)
    folder.mkdir(parents=True, exist_ok=True)

    for file_name, rows in _setup_rows(generated).items():
        _write_csv(folder / file_name, CSV_COLUMNS[file_name], rows)
    _write_csv(
        folder / "contacts.csv",
        CSV_COLUMNS["contacts.csv"],
        (contact.csv_row() for contact in generated),
    )

    letters = folder / LETTERS_FOLDER
    letters.mkdir(exist_ok=True)
    for file_name, content in LETTER_TEMPLATES.items():
        (letters / file_name).write_bytes(build_letter(content))


def _setup_rows(contacts: list[SampleContact]) -> dict[str, list[list[str]]]:
    salutation_rows = [
        [code, description, language, kind, formula]
        for code, description, formulas in SALUTATIONS
        for (language, kind), formula in formulas.items()
    ]
    template_rows = [
        [
            template.code,
            template.group,
            template.description,
            template.correspondence_type,
            format_bool(template.ignore_contact_corresp_type),
            template.unit_cost,
            template.unit_duration,
            InformationFlow.OUTBOUND,
            InitiatedBy.US,
            template.default_language,
        ]
        for template in INTERACTION_TEMPLATES
    ]
    template_language_rows = [
        [template.code, language, description, subject, attachment]
        for template in INTERACTION_TEMPLATES
        for language, description, subject, attachment in template.languages
    ]
    highest_contact_no = max(contact.no for contact in contacts)
    return {
        "languages.csv": [list(row) for row in LANGUAGES],
        "salutations.csv": salutation_rows,
        "salespeople.csv": [list(row) for row in SALESPEOPLE],
        "territories.csv": [list(row) for row in TERRITORIES],
        "mailing_groups.csv": [list(row) for row in MAILING_GROUPS],
        "industry_groups.csv": [list(row) for row in INDUSTRY_GROUPS],
        "business_relations.csv": [list(row) for row in BUSINESS_RELATIONS],
        "job_responsibilities.csv": [list(row) for row in JOB_RESPONSIBILITIES],
        "interaction_groups.csv": [list(row) for row in INTERACTION_GROUPS],
        "interaction_templates.csv": template_rows,
        "interaction_template_languages.csv": template_language_rows,
        "number_series.csv": [
            [*SEGMENT_SERIES_ROW, ""],
            [*CONTACT_SERIES_ROW, highest_contact_no],
        ],
        # The sender, Cronus Marketing GmbH, is in Germany.
        "settings.csv": [[HOME_COUNTRY, "DE"]],
    }


def _write_csv(
    path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]
) -> None:
    # "\n" line ends keep the files diff-friendly in git on every platform.
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


# Command line.


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m segtui.domain.sample_data",
        description="Write segtui's sample data: CSV files and Word letter templates.",
    )
    parser.add_argument(
        "--contacts",
        type=int,
        default=DEFAULT_CONTACTS,
        help=(
            "number of contacts, companies and persons together "
            f"(default {DEFAULT_CONTACTS}, minimum {MIN_CONTACTS})"
        ),
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=(
            "seed of the random generators, so that the same seed and number of "
            f"contacts give the same CSV files (default {DEFAULT_SEED})"
        ),
    )
    parser.add_argument(
        "folder",
        type=Path,
        metavar="FOLDER",
        help=(
            "folder to write the CSV files and letters/ into (the shipped sample "
            "data is sample_data/ in the repository)"
        ),
    )
    arguments = parser.parse_args(argv)
    if arguments.contacts < MIN_CONTACTS:
        parser.error(
            f"--contacts must be at least {MIN_CONTACTS}, not {arguments.contacts}"
        )
    write_sample_files(
        arguments.folder, contacts=arguments.contacts, seed=arguments.seed
    )
    print(f"Wrote {arguments.contacts} contacts to {arguments.folder}")


if __name__ == "__main__":
    main()
