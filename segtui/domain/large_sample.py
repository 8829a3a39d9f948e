"""Large test databases: any number of contacts with classifications and history.

``segtui init --sample --contacts N`` loads the sample setup (languages, salespeople,
classification codes, templates and letters) and then N generated contacts, about
eight classification rows each, and an interaction history for about one contact in
ten. Names, streets and cities come from small pools that Faker fills once per
country, so each contact costs a few random choices; rows go in with executemany in
large batches, and the big tables' secondary indexes are built after the load,
which is several times faster than keeping them up to date row by row.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from peewee import AutoField

from segtui.db import current_database, write_transaction
from segtui.domain import clock
from segtui.domain.sample_contacts import _slug
from segtui.domain.sample_setup import N_
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.i18n import _
from segtui.models import (
    BusinessRelation,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
    IndustryGroup,
    InteractionLogEntry,
    InteractionTemplate,
    JobResponsibility,
    MailingGroup,
    NumberSeries,
    ProfileAnswer,
    ProfileQuestion,
    ProfileQuestionnaire,
    Salesperson,
    Territory,
)
from segtui.models.contact_search import update_search_index

BATCH_ROWS = 20_000
POOL_SIZE = 400
DEFAULT_SEED = 20261204

# (country, Faker locale, language, share of contacts) for the generated contacts.
COUNTRIES = (
    ("DE", "de_DE", "DE", 0.34),
    ("AT", "de_AT", "DE", 0.12),
    ("CH", "de_CH", "DE", 0.12),
    ("NL", "nl_NL", "NL", 0.14),
    ("GB", "en_GB", "EN", 0.14),
    ("US", "en_US", "EN", 0.14),
)

# Tables whose secondary indexes are dropped for the load and built again after it.
BULK_TABLES = (
    "contact",
    "contact_mailing_group",
    "contact_profile_answer",
    "contact_industry_group",
    "contact_business_relation",
    "contact_job_responsibility",
    "interaction_log_entry",
)


@dataclass
class Pools:
    """Names and places of one country, drawn from by every generated contact."""

    first_names: list[tuple[str, str]]
    surnames: list[str]
    places: list[tuple[str, str]]
    streets: list[str]
    companies: list[str]


def build_pools(seed: int) -> dict[str, Pools]:
    from faker import Faker

    pools = {}
    for country, locale, _language, _share in COUNTRIES:
        faker = Faker(locale)
        faker.seed_instance(seed)
        first_names = [
            (faker.first_name_male(), "M") for _number in range(POOL_SIZE // 2)
        ] + [(faker.first_name_female(), "F") for _number in range(POOL_SIZE // 2)]
        pools[country] = Pools(
            first_names=[(one_line(name), gender) for name, gender in first_names],
            surnames=[one_line(faker.last_name()) for _number in range(POOL_SIZE)],
            places=[
                (one_line(faker.postcode()), one_line(faker.city()))
                for _number in range(POOL_SIZE)
            ],
            streets=[one_line(faker.street_address()) for _number in range(POOL_SIZE)],
            companies=[one_line(faker.company()) for _number in range(POOL_SIZE)],
        )
    return pools


def one_line(text: str) -> str:
    """Return Faker's text on one line, its lines joined by a comma.

    The en_GB provider (Faker 40) writes some street addresses on two lines, such
    as "Studio 51o\nYvonne Landing", and each contact field contains one line.
    """
    lines = (line.strip() for line in text.splitlines())
    return clean_line(", ".join(line for line in lines if line))


def load_large_sample(
    user: str,
    contacts: int,
    *,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Load the sample setup and ``contacts`` generated contacts into an empty database.

    Returns the number of contacts made.
    """
    from segtui.domain.sample_data import load_sample_data

    require(user, Permission.ADMINISTRATION, _("load the sample data"))
    if contacts < 1:
        raise ValueError("contacts must be at least 1")
    with tempfile.TemporaryDirectory() as folder:
        setup = _setup_only(Path(folder))
        load_sample_data(user, setup)

    generator = _Generator(seed, user)
    database = current_database()
    with write_transaction():
        dropped = _drop_indexes(database)
        made = generator.insert_contacts(contacts, progress)
        generator.insert_history()
        for sql in dropped:
            database.execute_sql(sql)
        update_search_index(database)
        last = f"CT{made:07d}"
        NumberSeries.update(last_no_used=last).where(
            NumberSeries.code == "CONTACT"
        ).execute()
    database.execute_sql("ANALYZE")
    return made


def _setup_only(folder: Path) -> Path:
    """Copy the shipped sample files into ``folder`` with no contacts in them."""
    with as_file(files("segtui.sample_data")) as shipped:
        shutil.copytree(shipped, folder, dirs_exist_ok=True)
    contacts = folder / "contacts.csv"
    header = contacts.read_text(encoding="utf-8").splitlines()[0]
    contacts.write_text(header + "\n", encoding="utf-8")
    return folder


def _drop_indexes(database: Any) -> list[str]:
    """Drop the bulk tables' secondary indexes; return the statements to rebuild them."""
    rebuild = []
    for table in BULK_TABLES:
        for index in database.get_indexes(table):
            if index.name.endswith("_pkey") or index.name.startswith(
                "sqlite_autoindex"
            ):
                continue
            if index.sql is None:
                continue
            rebuild.append(index.sql)
            database.execute_sql(f'DROP INDEX "{index.name}"')
    return rebuild


# A questionnaire for the generated contacts: each answers two to four questions.
# The descriptions are stored in the user interface language. An answer's code is
# its question's code, a hyphen and the code given here, such as SIZE-LARGE.
QUESTIONNAIRE = ("INTERESTS", N_("Customer interests"))
QUESTIONS = {
    "CHANNEL": (
        N_("Preferred channel"),
        (
            ("LETTER", N_("Letter")),
            ("EMAIL", N_("Email")),
            ("PHONE", N_("Phone")),
            ("EVENT", N_("Event")),
        ),
    ),
    "SIZE": (
        N_("Company size"),
        (("SMALL", N_("Small")), ("MEDIUM", N_("Medium")), ("LARGE", N_("Large"))),
    ),
    "TOPIC": (
        N_("Topic of interest"),
        (
            ("PRICES", N_("Prices")),
            ("NEWS", N_("News")),
            ("PRODUCTS", N_("Products")),
            ("SERVICE", N_("Service")),
        ),
    ),
    "BUDGET": (
        N_("Budget"),
        (("LOW", N_("Low")), ("MIDDLE", N_("Middle")), ("HIGH", N_("High"))),
    ),
}


def _profile_answers() -> list[int]:
    """Create the sample questionnaire once; return one answer id per question."""
    questionnaire, _created = ProfileQuestionnaire.get_or_create(
        code=QUESTIONNAIRE[0], defaults={"description": _(QUESTIONNAIRE[1])}
    )
    answers = []
    for sequence, (code, (description, choices)) in enumerate(QUESTIONS.items()):
        question, _created = ProfileQuestion.get_or_create(
            questionnaire=questionnaire,
            code=code,
            defaults={"description": _(description), "sequence": sequence},
        )
        for position, (answer_code, answer_description) in enumerate(choices):
            answer, _created = ProfileAnswer.get_or_create(
                questionnaire=questionnaire,
                code=f"{code}-{answer_code}",
                defaults={
                    "question": question,
                    "description": _(answer_description),
                    "sequence": position,
                },
            )
            answers.append(answer.id)
    return answers


class TableWriter:
    """Rows of one table as tuples for executemany, with each field's default filled in.

    Building rows from the model keeps the generator right when a later schema
    version adds a column with a default.
    """

    def __init__(self, model: type[Any]) -> None:
        self.table = model._meta.table_name
        self.fields = [
            f for f in model._meta.sorted_fields if not isinstance(f, AutoField)
        ]
        self.defaults = {
            f.column_name: _stored(f, f.default() if callable(f.default) else f.default)
            for f in self.fields
        }

    def sql(self, database: Any) -> str:
        columns = ", ".join(f'"{f.column_name}"' for f in self.fields)
        marks = ", ".join([database.param] * len(self.fields))
        return f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})'

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        defaults = self.defaults
        return tuple(values.get(name, defaults[name]) for name in defaults)


def _stored(field: Any, value: Any) -> Any:
    """Return a default as the database stores it: JSON as text, amounts as numbers."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return field.db_value(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


class _Generator:
    def __init__(self, seed: int, user: str) -> None:
        self.random = random.Random(seed)
        self.pools = build_pools(seed)
        self.user = user
        self.now = clock.now()
        self.codes = {
            "salesperson": [s.code for s in Salesperson.select(Salesperson.code)],
            "territory": [t.code for t in Territory.select(Territory.code)],
            "mailing": [m.code for m in MailingGroup.select(MailingGroup.code)],
            "industry": [i.code for i in IndustryGroup.select(IndustryGroup.code)],
            "relation": [
                b.code for b in BusinessRelation.select(BusinessRelation.code)
            ],
            "job": [j.code for j in JobResponsibility.select(JobResponsibility.code)],
            "answers": _profile_answers(),
        }
        self.templates = list(InteractionTemplate.select())
        self.weights = [share for _c, _l, _g, share in COUNTRIES]
        self.links: dict[str, list[tuple[str, str]]] = {
            "mailing": [],
            "industry": [],
            "relation": [],
            "job": [],
            "answers": [],
        }
        self.with_history: list[tuple[str, str, str, str]] = []

    def insert_contacts(
        self, wanted: int, progress: Callable[[int, int], None] | None
    ) -> int:
        made = 0
        for rows in self._contact_batches(wanted):
            self._flush(rows)
            made += len(rows)
            if progress:
                progress(made, wanted)
        return made

    def _contact_batches(self, wanted: int) -> Iterator[list[dict[str, Any]]]:
        number = 0
        batch: list[dict[str, Any]] = []
        choice = self.random.choice
        while number < wanted:
            country, _locale, language, _share = self.random.choices(
                COUNTRIES, weights=self.weights
            )[0]
            pools = self.pools[country]
            post_code, city = choice(pools.places)
            street = choice(pools.streets)
            salesperson = choice(self.codes["salesperson"])
            territory = (
                choice(self.codes["territory"]) if self.random.random() > 0.1 else None
            )
            independent = self.random.random() < 0.15
            if independent:
                number += 1
                batch.append(
                    self._person(
                        number,
                        None,
                        "",
                        country,
                        language,
                        pools,
                        post_code,
                        city,
                        street,
                        salesperson,
                        territory,
                    )
                )
            else:
                number += 1
                company_no = f"CT{number:07d}"
                company_name = choice(pools.companies)
                batch.append(
                    self._contact_row(
                        company_no,
                        "company",
                        company_name,
                        "",
                        "",
                        company_no,
                        street,
                        post_code,
                        city,
                        country,
                        self._email(company_name, country),
                        language,
                        "COMPANY",
                        salesperson,
                        territory,
                        "",
                    )
                )
                self._classify(company_no, company=True)
                for _number in range(self.random.randint(1, 8)):
                    if number >= wanted:
                        break
                    number += 1
                    batch.append(
                        self._person(
                            number,
                            company_no,
                            company_name,
                            country,
                            language,
                            pools,
                            post_code,
                            city,
                            street,
                            salesperson,
                            territory,
                        )
                    )
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
        if batch:
            yield batch

    def _person(
        self,
        number: int,
        company_no: str | None,
        company_name: str,
        country: str,
        language: str,
        pools: Pools,
        post_code: str,
        city: str,
        street: str,
        salesperson: str,
        territory: str | None,
    ) -> dict[str, Any]:
        no = f"CT{number:07d}"
        first, gender = self.random.choice(pools.first_names)
        surname = self.random.choice(pools.surnames)
        email = (
            ""
            if self.random.random() < 0.1
            else self._email(f"{first}.{surname}", country)
        )
        self._classify(no, company=False, person_of_company=company_no is not None)
        return self._contact_row(
            no,
            "person",
            f"{first} {surname}",
            first,
            surname,
            company_no,
            street,
            post_code,
            city,
            country,
            email,
            language,
            gender,
            salesperson,
            territory,
            "Manager" if company_no else "",
        )

    def _contact_row(
        self,
        no: str,
        kind: str,
        name: str,
        first: str,
        surname: str,
        company_no: str | None,
        street: str,
        post_code: str,
        city: str,
        country: str,
        email: str,
        language: str,
        salutation: str,
        salesperson: str,
        territory: str | None,
        job_title: str,
    ) -> dict[str, Any]:
        preference = (
            self.random.choice(("hard_copy", "email", "")) if email else "hard_copy"
        )
        excluded = self.random.random() < 0.03
        blocked = self.random.random() < 0.01
        if self.random.random() < 0.1:
            self.with_history.append((no, name, company_no or "", salesperson))
        return {
            "no": no,
            "type": kind,
            "name": name,
            "first_name": first,
            "surname": surname,
            "company_no": company_no,
            "address": street,
            "post_code": post_code,
            "city": city,
            "country_code": country,
            "email": email,
            "language_code": language,
            "salutation_code": salutation,
            "salesperson_code": salesperson,
            "territory_code": territory,
            "correspondence_type": preference,
            "job_title": job_title,
            "exclude_from_segment": excluded,
            "privacy_blocked": blocked,
            "created_at": self.now,
            "created_by": self.user,
            "modified_at": self.now,
            "modified_by": self.user,
        }

    def _email(self, local: str, country: str) -> str:
        """Return an address for a name, with letters such as ä and ø spelled ae and oe.

        The parts of ``local`` between dots stay apart: Jenny.Jähn gives jenny.jaehn.
        """
        parts = (_slug(part, separator="") for part in local.split("."))
        cleaned = ".".join(part for part in parts if part)
        number = self.random.randint(1, 999)
        return f"{cleaned or 'contact'}{number}@example.{country.lower()}"

    def _classify(
        self, no: str, company: bool, person_of_company: bool = False
    ) -> None:
        sample = self.random.sample
        for code in sample(self.codes["mailing"], self.random.randint(1, 5)):
            self.links["mailing"].append((no, code))
        for answer in sample(self.codes["answers"], self.random.randint(2, 4)):
            self.links["answers"].append((no, answer))
        if company:
            for code in sample(self.codes["industry"], self.random.randint(1, 2)):
                self.links["industry"].append((no, code))
            for code in sample(self.codes["relation"], self.random.randint(1, 2)):
                self.links["relation"].append((no, code))
        elif person_of_company:
            for code in sample(self.codes["job"], self.random.randint(0, 2)):
                self.links["job"].append((no, code))

    def _flush(self, rows: list[dict[str, Any]]) -> None:
        database = current_database()
        cursor = database.cursor()
        contacts = TableWriter(Contact)
        cursor.executemany(contacts.sql(database), [contacts.row(row) for row in rows])
        for key, table, column in (
            ("mailing", ContactMailingGroup, "mailing_group_code"),
            ("industry", ContactIndustryGroup, "industry_group_code"),
            ("relation", ContactBusinessRelation, "business_relation_code"),
            ("job", ContactJobResponsibility, "job_responsibility_code"),
            ("answers", ContactProfileAnswer, "answer_id"),
        ):
            pairs = self.links[key]
            if pairs:
                cursor.executemany(
                    f"INSERT INTO {table._meta.table_name} (contact_no, {column}) "
                    f"VALUES ({database.param}, {database.param})",
                    pairs,
                )
                self.links[key] = []

    def insert_history(self) -> None:
        """Log one to three past interactions for the contacts picked for history."""
        if not self.with_history or not self.templates:
            return
        database = current_database()
        cursor = database.cursor()
        writer = TableWriter(InteractionLogEntry)
        sql = writer.sql(database)
        rows = []
        start = date(self.now.year - 2, 1, 1)
        for no, name, company_no, salesperson in self.with_history:
            for _attempt in range(self.random.randint(1, 3)):
                template = self.random.choice(self.templates)
                day = start + timedelta(days=self.random.randint(0, 700))
                rows.append(
                    writer.row(
                        {
                            "contact_no": no,
                            "contact_name": name,
                            "contact_company_no": company_no,
                            "date": day,
                            "created_at": datetime.combine(day, datetime.min.time()),
                            "description": template.description,
                            "subject": template.description,
                            "template_code": template.code,
                            "group_code": template.interaction_group_code,
                            "correspondence_type": template.correspondence_type,
                            "information_flow": template.information_flow,
                            "initiated_by": template.initiated_by,
                            "unit_cost": float(template.unit_cost),
                            "unit_duration": float(template.unit_duration),
                            "salesperson_code": salesperson,
                            "user_id": self.user,
                        }
                    )
                )
            if len(rows) >= BATCH_ROWS:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
