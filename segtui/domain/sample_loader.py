"""Load the sample data files into the open database.

``load_sample_data`` reads the CSV files and the Word letter templates, checks every
row and inserts them in one write transaction with bulk inserts. The contacts and
their classifications go through ``import_contacts``, the CSV import users run.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.contact_import import import_contacts
from segtui.domain.errors import InvalidValueError
from segtui.domain.sample_setup import CONTACT_SERIES_ROW, CSV_COLUMNS, LETTERS_FOLDER
from segtui.domain.users import Permission, require
from segtui.i18n import _, language
from segtui.models import (
    Attachment,
    BusinessRelation,
    Contact,
    IndustryGroup,
    InteractionGroup,
    InteractionTemplate,
    InteractionTemplateLanguage,
    JobResponsibility,
    Language,
    MailingGroup,
    NumberSeries,
    Salesperson,
    Salutation,
    SalutationFormula,
    Setting,
    Territory,
)
from segtui.models.base import SalutationKind

SAMPLE_DATA_PACKAGE = "segtui.sample_data"

# Rows per INSERT statement. A contact row has fewer than 30 columns, so 500 rows
# stay well below SQLite's limit of 32,766 bound parameters (SQLite 3.32 and later).
INSERT_BATCH_SIZE = 500


def load_sample_data(user: str, folder: Traversable | Path | None = None) -> None:
    """Insert the sample data from ``folder`` into the open database.

    ``folder`` defaults to the installed ``segtui.sample_data`` package. Everything is
    inserted in one write transaction with bulk inserts. Setup rows whose codes
    already exist are kept as they are, and the CONTACT number series is moved up to
    the highest contact number loaded. Raises InvalidValueError when the database
    already has contacts or when a file is invalid, naming the file and the line.

    The setup descriptions are stored in the user interface language of this moment,
    and a template whose letter exists in that language gets it as its default
    language. Codes, contacts and the template languages' own texts are stored as
    the files give them.
    """
    source: Traversable = folder if folder is not None else files(SAMPLE_DATA_PACKAGE)
    tables = {file_name: _read_csv(source, file_name) for file_name in CSV_COLUMNS}
    letters = source.joinpath(LETTERS_FOLDER)
    attachments = {
        row["attachment"]: letters.joinpath(row["attachment"]).read_bytes()
        for row in tables["interaction_template_languages.csv"]
        if row["attachment"]
    }
    created_at = clock.now()

    require(user, Permission.ADMINISTRATION, _("load the sample data"))
    with write_transaction():
        if Contact.select().exists():
            raise InvalidValueError(
                _(
                    "The database already contains contacts, so the sample data "
                    "cannot be loaded. Load it into a new, empty database."
                )
            )
        _insert_setup(tables)
        _insert_templates(tables, attachments, user, created_at)
        # Contacts come in through the same CSV import that users run.
        import_contacts(
            source.joinpath("contacts.csv").read_bytes(),
            user=user,
            source="contacts.csv",
        )
        _update_contact_series(tables)


def _read_csv(source: Traversable, file_name: str) -> list[dict[str, str]]:
    text = source.joinpath(file_name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    expected = CSV_COLUMNS[file_name]
    missing = [column for column in expected if column not in (reader.fieldnames or ())]
    if missing:
        raise InvalidValueError(
            _(
                "{file} is missing the columns {columns}. Regenerate the sample "
                "data files."
            ).format(file=file_name, columns=", ".join(missing))
        )
    # Text is stored in Unicode NFC, so a name saved with decomposed umlauts matches
    # the same name typed on another system.
    return [
        {column: unicodedata.normalize("NFC", row[column] or "") for column in expected}
        for row in reader
    ]


def _invalid_value(
    file_name: str, line: int, column: str, value: str, hint: str
) -> InvalidValueError:
    return InvalidValueError(
        _("{file} line {line}: invalid {column} {value!r}. {hint}").format(
            file=file_name, line=line, column=column, value=value, hint=hint
        )
    )


def _translated(text: str) -> str:
    """Return a sample description in the user interface language.

    The files hold the English text that ``sample_setup`` marks for the catalog. Text
    the catalog lacks stays as it is, and "" stays "" because gettext would return
    the catalog header for it.
    """
    return _(text) if text else text


def _parse_bool(value: str, file_name: str, line: int, column: str) -> bool:
    if value == "yes":
        return True
    if value == "no":
        return False
    raise _invalid_value(file_name, line, column, value, _("Use yes or no."))


def _chunks(
    rows: Sequence[Any], size: int = INSERT_BATCH_SIZE
) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert_rows(
    model: Any,
    fields: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    ignore: bool = False,
) -> None:
    """Insert ``rows`` in batches, skipping rows with an existing key if ``ignore``."""
    for chunk in _chunks(rows):
        query = model.insert_many(chunk, fields=fields)
        if ignore:
            query = query.on_conflict_ignore()
        query.execute()


def _insert_setup(tables: dict[str, list[dict[str, str]]]) -> None:
    _insert_rows(
        Language,
        [Language.code, Language.name, Language.locale],
        [
            (row["code"], _translated(row["name"]), row["locale"])
            for row in tables["languages.csv"]
        ],
        ignore=True,
    )

    salutations = tables["salutations.csv"]
    descriptions = {row["code"]: _translated(row["description"]) for row in salutations}
    _insert_rows(
        Salutation,
        [Salutation.code, Salutation.description],
        list(descriptions.items()),
        ignore=True,
    )
    for line, row in enumerate(salutations, start=2):
        if row["kind"] not in tuple(SalutationKind):
            raise _invalid_value(
                "salutations.csv",
                line,
                "kind",
                row["kind"],
                _("Use formal or informal."),
            )
    _insert_rows(
        SalutationFormula,
        [
            SalutationFormula.salutation,
            SalutationFormula.language,
            SalutationFormula.kind,
            SalutationFormula.formula,
        ],
        [
            (row["code"], row["language_code"], row["kind"], row["formula"])
            for row in salutations
        ],
        ignore=True,
    )

    _insert_rows(
        Salesperson,
        [
            Salesperson.code,
            Salesperson.name,
            Salesperson.job_title,
            Salesperson.phone,
            Salesperson.email,
        ],
        [
            (
                row["code"],
                row["name"],
                _translated(row["job_title"]),
                row["phone"],
                row["email"],
            )
            for row in tables["salespeople.csv"]
        ],
        ignore=True,
    )
    _insert_rows(
        Territory,
        [Territory.code, Territory.name],
        [(row["code"], _translated(row["name"])) for row in tables["territories.csv"]],
        ignore=True,
    )
    for model, file_name in (
        (MailingGroup, "mailing_groups.csv"),
        (IndustryGroup, "industry_groups.csv"),
        (BusinessRelation, "business_relations.csv"),
        (JobResponsibility, "job_responsibilities.csv"),
        (InteractionGroup, "interaction_groups.csv"),
    ):
        _insert_rows(
            model,
            [model.code, model.description],
            [
                (row["code"], _translated(row["description"]))
                for row in tables[file_name]
            ],
            ignore=True,
        )
    _insert_rows(
        NumberSeries,
        [
            NumberSeries.code,
            NumberSeries.description,
            NumberSeries.starting_no,
            NumberSeries.last_no_used,
        ],
        [
            (
                row["code"],
                _translated(row["description"]),
                row["starting_no"],
                row["last_no_used"],
            )
            for row in tables["number_series.csv"]
        ],
        ignore=True,
    )
    _insert_rows(
        Setting,
        [Setting.key, Setting.value],
        [(row["key"], row["value"]) for row in tables["settings.csv"]],
        ignore=True,
    )


def _insert_templates(
    tables: dict[str, list[dict[str, str]]],
    attachments: dict[str, bytes],
    user: str,
    created_at: Any,
) -> None:
    template_file = "interaction_templates.csv"
    default_languages = _interface_language_defaults(tables)
    template_rows = []
    for line, row in enumerate(tables[template_file], start=2):
        ignore_contact_corresp_type = _parse_bool(
            row["ignore_contact_corresp_type"],
            template_file,
            line,
            "ignore_contact_corresp_type",
        )
        template_rows.append(
            (
                row["code"],
                row["interaction_group_code"],
                _translated(row["description"]),
                row["correspondence_type"],
                ignore_contact_corresp_type,
                Decimal(row["unit_cost"]),
                Decimal(row["unit_duration"]),
                row["information_flow"],
                row["initiated_by"],
                default_languages.get(row["code"], row["language_code_default"])
                or None,
            )
        )
    _insert_rows(
        InteractionTemplate,
        [
            InteractionTemplate.code,
            InteractionTemplate.group,
            InteractionTemplate.description,
            InteractionTemplate.correspondence_type,
            InteractionTemplate.ignore_contact_corresp_type,
            InteractionTemplate.unit_cost,
            InteractionTemplate.unit_duration,
            InteractionTemplate.information_flow,
            InteractionTemplate.initiated_by,
            InteractionTemplate.language,
        ],
        template_rows,
        ignore=True,
    )

    # A template language that already exists keeps its attachment, and no unused
    # attachment is stored for it.
    existing = set(
        InteractionTemplateLanguage.select(
            InteractionTemplateLanguage.template, InteractionTemplateLanguage.language
        ).tuples()
    )
    language_rows = []
    for row in tables["interaction_template_languages.csv"]:
        key = (row["interaction_template_code"], row["language_code"])
        if key in existing:
            continue
        attachment_id = None
        if row["attachment"]:
            attachment_id = Attachment.insert(
                file_name=row["attachment"],
                content=attachments[row["attachment"]],
                created_at=created_at,
                created_by=user,
            ).execute()
        language_rows.append((*key, row["description"], row["subject"], attachment_id))
    _insert_rows(
        InteractionTemplateLanguage,
        [
            InteractionTemplateLanguage.template,
            InteractionTemplateLanguage.language,
            InteractionTemplateLanguage.description,
            InteractionTemplateLanguage.subject,
            InteractionTemplateLanguage.attachment,
        ],
        language_rows,
    )


def _interface_language_defaults(
    tables: dict[str, list[dict[str, str]]],
) -> dict[str, str]:
    """Return the default language code for each template that has a template
    language (a letter) in the user interface language.

    A sample language matches by the first part of its locale: de_DE for de.
    """
    codes = {
        row["code"]
        for row in tables["languages.csv"]
        if row["locale"].split("_")[0].lower() == language()
    }
    return {
        row["interaction_template_code"]: row["language_code"]
        for row in tables["interaction_template_languages.csv"]
        if row["language_code"] in codes
    }


def _existing_codes(model: Any) -> set[str]:
    return {record.code for record in model.select(model.code)}


def _update_contact_series(tables: dict[str, list[dict[str, str]]]) -> None:
    highest = max((row["no"] for row in tables["contacts.csv"]), default="")
    if not highest:
        return
    code = CONTACT_SERIES_ROW[0]
    series = NumberSeries.get_or_none(NumberSeries.code == code)
    # Contact numbers have a fixed width, so comparing the text compares the numbers.
    if series is not None and series.last_no_used < highest:
        query = NumberSeries.update(last_no_used=highest)
        query.where(NumberSeries.code == code).execute()
