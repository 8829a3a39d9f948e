"""The demo data: generate it as CSV files and Word templates, and load it.

``write_sample_files`` writes the setup tables, about 2,000 contacts in six countries
with their classifications, and four Word letter templates. ``load_sample_data`` reads
those files (by default the ones installed as the package ``segtui.sample_data``) into
the open database in one write transaction with bulk inserts.

Run ``python -m segtui.domain.sample_data FOLDER`` to regenerate the files. The same
seed and number of contacts give byte-identical CSV files as long as the pinned Faker
version stays the same, because Faker's name and address lists change between
releases.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from segtui.db import write_transaction
from segtui.domain import clock
from segtui.domain.errors import InvalidValueError
from segtui.domain.sample_letters import LETTER_TEMPLATES, build_letter
from segtui.domain.settings import HOME_COUNTRY
from segtui.i18n import _
from segtui.models import (
    Attachment,
    BusinessRelation,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
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
from segtui.models.base import (
    ContactType,
    CorrespondenceType,
    InformationFlow,
    InitiatedBy,
    SalutationKind,
)

SAMPLE_DATA_PACKAGE = "segtui.sample_data"
DEFAULT_CONTACTS = 2000
DEFAULT_SEED = 20261204
LETTERS_FOLDER = "letters"

# The fixed companies and persons take 12 contacts at most, and the rest of the mix
# needs some room.
MIN_CONTACTS = 20

# Rows per INSERT statement. A contact row has fewer than 30 columns, so 500 rows
# stay well below SQLite's limit of 32,766 bound parameters (SQLite 3.32 and later).
INSERT_BATCH_SIZE = 500

# Setup tables.

LANGUAGES = [
    ("EN", "English", "en_GB"),
    ("DE", "Deutsch", "de_DE"),
    ("NL", "Nederlands", "nl_NL"),
]

# Salutation code, description, then the formulas per (language, kind). NL has no
# formulas, so Dutch letters use the application's fallback greeting.
SALUTATIONS: list[tuple[str, str, dict[tuple[str, str], str]]] = [
    (
        "M",
        "Male person",
        {
            ("EN", "formal"): "Dear Mr {surname},",
            ("EN", "informal"): "Dear {first_name},",
            ("DE", "formal"): "Sehr geehrter Herr {surname},",
            ("DE", "informal"): "Lieber {first_name},",
        },
    ),
    (
        "F",
        "Female person",
        {
            ("EN", "formal"): "Dear Ms {surname},",
            ("EN", "informal"): "Dear {first_name},",
            ("DE", "formal"): "Sehr geehrte Frau {surname},",
            ("DE", "informal"): "Liebe {first_name},",
        },
    ),
    (
        "U",
        "Person of unknown gender",
        {
            ("EN", "formal"): "Dear {first_name} {surname},",
            ("EN", "informal"): "Hello {first_name},",
            ("DE", "formal"): "Guten Tag {first_name} {surname},",
            ("DE", "informal"): "Hallo {first_name},",
        },
    ),
    (
        "COMPANY",
        "Company",
        {
            ("EN", "formal"): "Dear Sir or Madam,",
            ("EN", "informal"): "Hello,",
            ("DE", "formal"): "Sehr geehrte Damen und Herren,",
            ("DE", "informal"): "Guten Tag,",
        },
    ),
]

SALESPEOPLE = [
    (
        "JO",
        "Jörg Öztürk",
        "Sales Manager",
        "+49 30 5550 1201",
        "joerg.oeztuerk@example.de",
    ),
    (
        "AS",
        "Anna Schäfer",
        "Account Manager",
        "+49 30 5550 1202",
        "anna.schaefer@example.de",
    ),
    (
        "LB",
        "Lukas Brenner",
        "Account Manager",
        "+49 30 5550 1203",
        "lukas.brenner@example.de",
    ),
    (
        "EV",
        "Eva de Vries",
        "Account Manager Benelux",
        "+31 20 555 0104",
        "eva.devries@example.com",
    ),
    (
        "SO",
        "Siobhán O'Neill",
        "International Key Account Manager",
        "+44 20 7946 0105",
        "siobhan.oneill@example.com",
    ),
]

TERRITORIES = [
    ("NORTH", "Northern Germany"),
    ("SOUTH", "Southern Germany, Austria and Switzerland"),
    ("EAST", "Eastern Germany"),
    ("WEST", "Western Germany and the Netherlands"),
    ("INTL", "International"),
]

# The salesperson who usually looks after a territory's contacts.
TERRITORY_SALESPERSON = {
    "NORTH": "AS",
    "EAST": "LB",
    "WEST": "EV",
    "SOUTH": "JO",
    "INTL": "SO",
}

MAILING_GROUPS = [
    ("NEWS", "Newsletter"),
    ("XMAS", "Christmas card"),
    ("EVENT", "Event invitations"),
    ("VIP", "VIP customers"),
    ("PRESS", "Press releases"),
]

INDUSTRY_GROUPS = [
    ("RETAIL", "Retail"),
    ("WHOLESALE", "Wholesale"),
    ("MANUFACT", "Manufacturing"),
    ("IT", "Information technology"),
    ("FINANCE", "Finance and insurance"),
    ("HEALTH", "Health care"),
    ("FOOD", "Food and beverages"),
    ("LOGISTICS", "Transport and logistics"),
]

BUSINESS_RELATIONS = [
    ("CUST", "Customer"),
    ("PROSPECT", "Prospect"),
    ("VEND", "Vendor"),
    ("PARTNER", "Partner"),
    ("PRESS", "Press"),
]

JOB_RESPONSIBILITIES = [
    ("MGMT", "Management"),
    ("PURCH", "Purchasing"),
    ("SALES", "Sales"),
    ("IT", "IT"),
    ("MARKETING", "Marketing"),
    ("FINANCE", "Finance"),
]

INTERACTION_GROUPS = [
    ("LETTER", "Letters"),
    ("EMAIL", "Emails"),
    ("PHONE", "Phone calls"),
]


@dataclass(frozen=True)
class TemplateSetup:
    code: str
    group: str
    description: str
    correspondence_type: str
    ignore_contact_corresp_type: bool
    unit_cost: str
    unit_duration: str
    default_language: str
    # Language code, description, subject and file name under letters/ (or "").
    languages: tuple[tuple[str, str, str, str], ...]


INTERACTION_TEMPLATES = [
    TemplateSetup(
        code="LETTER",
        group="LETTER",
        description="Product catalogue letter",
        correspondence_type=CorrespondenceType.HARD_COPY,
        ignore_contact_corresp_type=False,
        unit_cost="1.20",
        unit_duration="5",
        default_language="EN",
        languages=(
            (
                "EN",
                "Product catalogue letter",
                "Our new product catalogue",
                "letter_en.docx",
            ),
            (
                "DE",
                "Produktkatalog Brief",
                "Unser neuer Produktkatalog",
                "letter_de.docx",
            ),
        ),
    ),
    TemplateSetup(
        code="EMAIL",
        group="EMAIL",
        description="Product catalogue email",
        correspondence_type=CorrespondenceType.EMAIL,
        ignore_contact_corresp_type=True,
        unit_cost="0.05",
        unit_duration="1",
        default_language="EN",
        languages=(
            (
                "EN",
                "Product catalogue email",
                "Your digital product catalogue",
                "email_en.docx",
            ),
            (
                "DE",
                "Produktkatalog E-Mail",
                "Ihr digitaler Produktkatalog",
                "email_de.docx",
            ),
        ),
    ),
    TemplateSetup(
        code="CALL",
        group="PHONE",
        description="Follow-up phone call",
        correspondence_type=CorrespondenceType.BLANK,
        ignore_contact_corresp_type=True,
        unit_cost="4.50",
        unit_duration="15",
        default_language="EN",
        languages=(),
    ),
]

# Number series as code, description and starting number.
SEGMENT_SERIES_ROW = ("SEGMENT", "Segments", "SEG00001")
CONTACT_SERIES_ROW = ("CONTACT", "Contacts", "CT000001")

# The columns of every CSV file, in the order they are written.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "languages.csv": ("code", "name", "locale"),
    "salutations.csv": ("code", "description", "language_code", "kind", "formula"),
    "salespeople.csv": ("code", "name", "job_title", "phone", "email"),
    "territories.csv": ("code", "name"),
    "mailing_groups.csv": ("code", "description"),
    "industry_groups.csv": ("code", "description"),
    "business_relations.csv": ("code", "description"),
    "job_responsibilities.csv": ("code", "description"),
    "interaction_groups.csv": ("code", "description"),
    "interaction_templates.csv": (
        "code",
        "interaction_group_code",
        "description",
        "correspondence_type",
        "ignore_contact_corresp_type",
        "unit_cost",
        "unit_duration",
        "information_flow",
        "initiated_by",
        "language_code_default",
    ),
    "interaction_template_languages.csv": (
        "interaction_template_code",
        "language_code",
        "description",
        "subject",
        "attachment",
    ),
    "number_series.csv": ("code", "description", "starting_no", "last_no_used"),
    "settings.csv": ("key", "value"),
    "contacts.csv": (
        "no",
        "type",
        "name",
        "first_name",
        "middle_name",
        "surname",
        "company_no",
        "address",
        "address_2",
        "post_code",
        "city",
        "county",
        "country_code",
        "phone",
        "mobile_phone",
        "email",
        "language_code",
        "salutation_code",
        "salesperson_code",
        "territory_code",
        "correspondence_type",
        "job_title",
        "exclude_from_segment",
        "privacy_blocked",
        "mailing_groups",
        "industry_groups",
        "business_relations",
        "job_responsibilities",
    ),
}

# Countries.


@dataclass(frozen=True)
class Country:
    code: str
    locale: str
    language_code: str
    # Share of the companies and independent persons, in percent.
    weight: int
    legal_forms: tuple[str, ...]
    # Faker locales that persons' names come from, with weights, so that names of
    # people with roots elsewhere appear as they do in real address books.
    name_locales: tuple[tuple[str, int], ...]
    address_2_choices: tuple[str, ...]
    mail_domains: tuple[str, ...]


COUNTRIES = [
    Country(
        code="DE",
        locale="de_DE",
        language_code="DE",
        weight=40,
        legal_forms=("GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."),
        name_locales=(
            ("de_DE", 78),
            ("tr_TR", 10),
            ("pl_PL", 6),
            ("da_DK", 3),
            ("fr_FR", 3),
        ),
        address_2_choices=("Gebäude B", "2. OG", "Hinterhaus", "Haus 3", "Eingang C"),
        mail_domains=("post.example", "netzpost.example", "mailbox.example"),
    ),
    Country(
        code="AT",
        locale="de_AT",
        language_code="DE",
        weight=12,
        legal_forms=("GmbH", "GmbH", "KG", "AG", "OG"),
        name_locales=(("de_AT", 80), ("hr_HR", 10), ("cs_CZ", 6), ("tr_TR", 4)),
        address_2_choices=("Stiege 2", "Top 4", "3. Stock"),
        mail_domains=("post.example", "alpenmail.example"),
    ),
    Country(
        code="CH",
        locale="de_CH",
        language_code="DE",
        weight=12,
        legal_forms=("AG", "AG", "GmbH", "SA"),
        name_locales=(("de_CH", 70), ("fr_CH", 25), ("pl_PL", 5)),
        address_2_choices=("Postfach", "2. Stock", "Gebäude Nord"),
        mail_domains=("bluemail.example", "post.example"),
    ),
    Country(
        code="NL",
        locale="nl_NL",
        language_code="NL",
        weight=12,
        legal_forms=("B.V.", "B.V.", "B.V.", "N.V.", "V.O.F."),
        name_locales=(("nl_NL", 82), ("tr_TR", 8), ("fr_FR", 5), ("da_DK", 5)),
        address_2_choices=("2e verdieping", "Unit 4", "Gebouw B"),
        mail_domains=("ziggo-post.example", "mail.example"),
    ),
    Country(
        code="GB",
        locale="en_GB",
        language_code="EN",
        weight=12,
        legal_forms=("Ltd", "Ltd", "Ltd", "PLC", "LLP"),
        name_locales=(("en_GB", 80), ("pl_PL", 8), ("fr_FR", 6), ("no_NO", 6)),
        address_2_choices=("Unit 4", "Suite 12", "Second Floor"),
        mail_domains=("mail.example", "inbox.example"),
    ),
    Country(
        code="US",
        locale="en_US",
        language_code="EN",
        weight=12,
        legal_forms=("Inc.", "Inc.", "LLC", "Corp."),
        name_locales=(("en_US", 78), ("es_MX", 12), ("fr_FR", 5), ("no_NO", 5)),
        address_2_choices=("Suite 200", "Floor 3", "Building B"),
        mail_domains=("mail.example", "inbox.example"),
    ),
]
COUNTRY_BY_CODE = {country.code: country for country in COUNTRIES}

# Real British towns with their postcode areas and counties. Faker's en_GB towns and
# streets are invented ("Port Janetchester"), which looks wrong in a demo.
GB_TOWNS = [
    ("London", "", ("E", "EC", "N", "NW", "SE", "SW", "W", "WC")),
    ("Manchester", "Greater Manchester", ("M",)),
    ("Birmingham", "West Midlands", ("B",)),
    ("Leeds", "West Yorkshire", ("LS",)),
    ("Bristol", "", ("BS",)),
    ("Edinburgh", "", ("EH",)),
    ("Glasgow", "", ("G",)),
    ("Cardiff", "", ("CF",)),
    ("Liverpool", "Merseyside", ("L",)),
    ("Nottingham", "Nottinghamshire", ("NG",)),
    ("Cambridge", "Cambridgeshire", ("CB",)),
    ("Oxford", "Oxfordshire", ("OX",)),
    ("Brighton", "East Sussex", ("BN",)),
    ("Sheffield", "South Yorkshire", ("S",)),
    ("Newcastle upon Tyne", "Tyne and Wear", ("NE",)),
]
GB_STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
    "King Street",
    "Queen's Road",
    "London Road",
    "Market Place",
)
# Ofcom's numbers reserved for drama, so no real line is ever printed.
GB_PHONE_PREFIXES = ("20 7946 0", "113 496 0", "161 496 0", "121 496 0", "117 496 0")

# Real US cities with state, the first three digits of their ZIP codes and an area code.
US_CITIES = [
    ("New York", "NY", "100", "212"),
    ("Chicago", "IL", "606", "312"),
    ("Seattle", "WA", "981", "206"),
    ("Boston", "MA", "021", "617"),
    ("Austin", "TX", "787", "512"),
    ("Denver", "CO", "802", "303"),
    ("Atlanta", "GA", "303", "404"),
    ("San Francisco", "CA", "941", "415"),
    ("Minneapolis", "MN", "554", "612"),
    ("Portland", "OR", "972", "503"),
    ("Philadelphia", "PA", "191", "215"),
    ("Columbus", "OH", "432", "614"),
]
US_STREET_NAMES = (
    "Main",
    "Oak",
    "Maple",
    "Cedar",
    "Washington",
    "Lake",
    "Park",
    "Pine",
)
US_STREET_TYPES = ("Street", "Avenue", "Boulevard", "Drive", "Road")

# Words for company names per industry group and language, and for companies
# without an industry group.
INDUSTRY_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "RETAIL": {
        "DE": ("Einrichtungshaus", "Wohnen & Büro", "Möbelmarkt"),
        "EN": ("Interiors", "Home & Office", "Stores"),
        "NL": ("Interieur", "Wonen", "Meubelhuis"),
    },
    "WHOLESALE": {
        "DE": ("Großhandel", "Handelsgesellschaft", "Bürobedarf"),
        "EN": ("Trading", "Supplies", "Distribution"),
        "NL": ("Groothandel", "Handelsonderneming", "Kantoorartikelen"),
    },
    "MANUFACT": {
        "DE": ("Maschinenbau", "Metallwerke", "Fertigungstechnik"),
        "EN": ("Manufacturing", "Engineering", "Works"),
        "NL": ("Machinebouw", "Metaalwerken", "Productie"),
    },
    "IT": {
        "DE": ("Software", "Systemhaus", "IT-Lösungen"),
        "EN": ("Software", "Systems", "Digital"),
        "NL": ("Software", "ICT", "Automatisering"),
    },
    "FINANCE": {
        "DE": ("Versicherungsmakler", "Vermögensberatung", "Finanzdienste"),
        "EN": ("Capital", "Insurance", "Finance"),
        "NL": ("Verzekeringen", "Financieel Advies", "Vermogensbeheer"),
    },
    "HEALTH": {
        "DE": ("Medizintechnik", "Praxisbedarf", "Pflegedienste"),
        "EN": ("Healthcare", "Medical", "Care"),
        "NL": ("Zorg", "Medische Techniek", "Thuiszorg"),
    },
    "FOOD": {
        "DE": ("Feinkost", "Großbäckerei", "Getränke"),
        "EN": ("Foods", "Catering", "Bakeries"),
        "NL": ("Voeding", "Catering", "Bakkerij"),
    },
    "LOGISTICS": {
        "DE": ("Logistik", "Spedition", "Transporte"),
        "EN": ("Logistics", "Freight", "Transport"),
        "NL": ("Logistiek", "Transport", "Expeditie"),
    },
    "": {
        "DE": ("Gruppe", "Unternehmensgruppe", "Handel"),
        "EN": ("Group", "Partners", "Holdings"),
        "NL": ("Groep", "Partners", "Holding"),
    },
}

# Job titles per job responsibility and language. German titles are (male, female)
# pairs, and the "" entry is for persons without a job responsibility.
JOB_TITLES: dict[str, dict[str, tuple[Any, ...]]] = {
    "MGMT": {
        "DE": (("Geschäftsführer", "Geschäftsführerin"), ("Prokurist", "Prokuristin")),
        "EN": ("Managing Director", "Chief Executive Officer", "Operations Director"),
        "NL": ("Directeur", "Algemeen directeur", "Bedrijfsleider"),
    },
    "PURCH": {
        "DE": (("Leiter Einkauf", "Leiterin Einkauf"), ("Einkäufer", "Einkäuferin")),
        "EN": ("Purchasing Manager", "Buyer", "Head of Procurement"),
        "NL": ("Inkoper", "Hoofd inkoop", "Inkoopmanager"),
    },
    "SALES": {
        "DE": (
            ("Vertriebsleiter", "Vertriebsleiterin"),
            ("Außendienstmitarbeiter", "Außendienstmitarbeiterin"),
        ),
        "EN": ("Sales Manager", "Key Account Manager", "Sales Representative"),
        "NL": ("Verkoopmanager", "Accountmanager", "Vertegenwoordiger"),
    },
    "IT": {
        "DE": (
            ("IT-Leiter", "IT-Leiterin"),
            ("Systemadministrator", "Systemadministratorin"),
        ),
        "EN": ("IT Manager", "Systems Administrator", "Head of IT"),
        "NL": ("IT-manager", "Systeembeheerder", "Hoofd ICT"),
    },
    "MARKETING": {
        "DE": (
            ("Marketingleiter", "Marketingleiterin"),
            ("Referent Marketing", "Referentin Marketing"),
        ),
        "EN": ("Marketing Manager", "Head of Communications", "Marketing Assistant"),
        "NL": ("Marketingmanager", "Communicatieadviseur", "Marketingmedewerker"),
    },
    "FINANCE": {
        "DE": (
            ("Leiter Finanzen", "Leiterin Finanzen"),
            ("Buchhalter", "Buchhalterin"),
        ),
        "EN": ("Finance Director", "Chief Accountant", "Financial Controller"),
        "NL": ("Financieel directeur", "Hoofd administratie", "Controller"),
    },
    "": {
        "DE": (
            ("Sachbearbeiter", "Sachbearbeiterin"),
            ("Projektleiter", "Projektleiterin"),
        ),
        "EN": ("Office Manager", "Assistant", "Project Manager"),
        "NL": ("Officemanager", "Projectleider", "Medewerker binnendienst"),
    },
}

INDEPENDENT_JOB_TITLES: dict[str, tuple[Any, ...]] = {
    "DE": (
        ("Architekt", "Architektin"),
        ("Unternehmensberater", "Unternehmensberaterin"),
        ("Innenarchitekt", "Innenarchitektin"),
        ("Fotograf", "Fotografin"),
        ("Journalist", "Journalistin"),
    ),
    "EN": (
        "Architect",
        "Consultant",
        "Interior Designer",
        "Photographer",
        "Journalist",
    ),
    "NL": ("Architect", "Adviseur", "Interieurontwerper", "Fotograaf", "Journalist"),
}


# Generating contacts.


@dataclass
class SampleContact:
    """One row of contacts.csv before it is written."""

    no: str
    type: str
    name: str
    country_code: str
    first_name: str = ""
    middle_name: str = ""
    surname: str = ""
    company_no: str = ""
    address: str = ""
    address_2: str = ""
    post_code: str = ""
    city: str = ""
    county: str = ""
    phone: str = ""
    mobile_phone: str = ""
    email: str = ""
    language_code: str = ""
    salutation_code: str = ""
    salesperson_code: str = ""
    territory_code: str = ""
    correspondence_type: str = ""
    job_title: str = ""
    exclude_from_segment: bool = False
    privacy_blocked: bool = False
    mailing_groups: list[str] = field(default_factory=list)
    industry_groups: list[str] = field(default_factory=list)
    business_relations: list[str] = field(default_factory=list)
    job_responsibilities: list[str] = field(default_factory=list)
    # Fixed contacts keep their email and are never excluded or privacy-blocked.
    fixed: bool = False

    def csv_row(self) -> list[str]:
        row: list[str] = []
        for column in CSV_COLUMNS["contacts.csv"]:
            value = getattr(self, column)
            if isinstance(value, bool):
                row.append(_format_bool(value))
            elif isinstance(value, list):
                row.append(";".join(value))
            else:
                row.append(value)
        return row


@dataclass(frozen=True)
class FixedPerson:
    first_name: str
    surname: str
    gender: str
    responsibilities: tuple[str, ...] = ()
    job_title: str = ""


@dataclass(frozen=True)
class Place:
    address: str
    post_code: str
    city: str
    county: str = ""
    address_2: str = ""
    # The area code of the place's phone numbers. Blank picks one for the country.
    phone_area: str = ""


class ContactGenerator:
    """Generate the sample contacts from one seed.

    Every random choice comes from ``self.random`` or from a Faker instance seeded
    from the same seed, never from the global ``random`` module.
    """

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.random = random.Random(seed)
        locales = sorted(
            {country.locale for country in COUNTRIES}
            | {
                locale
                for country in COUNTRIES
                for locale, _weight in country.name_locales
            }
        )
        self.fakers: dict[str, Any] = {}
        for index, locale in enumerate(locales):
            faker = Faker(locale)
            faker.seed_instance(seed * 100 + index)
            self.fakers[locale] = faker
        self.contacts: list[SampleContact] = []
        self.used_emails: set[str] = set()
        self.used_company_names: set[str] = set()

    # Units: a company with its persons, or one independent person.

    def generate(self, total: int) -> list[SampleContact]:
        if total < MIN_CONTACTS:
            raise ValueError(
                f"Cannot generate {total} contacts, because the sample data needs at "
                f"least {MIN_CONTACTS}."
            )
        independent_target = round(total * 0.15)

        self.add_company(
            "DE",
            persons=[
                FixedPerson(
                    "Jürgen",
                    "Müller-Lüdenscheid",
                    "M",
                    ("MGMT", "PURCH"),
                    job_title="Geschäftsführer",
                )
            ],
            extra_persons=self.random.randint(1, 4),
            name="Sauerland Büromöbel GmbH",
            industries=["RETAIL"],
            place=Place("Altenaer Straße 24", "58507", "Lüdenscheid"),
        )
        self.add_independent_person(
            "DE",
            FixedPerson("Zoë", "Müller", "F"),
            place=Place("Brüsseler Straße 45", "50674", "Köln"),
        )
        self.add_company(
            "CH",
            persons=[
                FixedPerson(
                    "François", "Lefèvre", "M", ("PURCH",), job_title="Leiter Einkauf"
                )
            ],
            extra_persons=self.random.randint(1, 3),
            name="Limmat Büroeinrichtungen AG",
            industries=["WHOLESALE"],
            place=Place("Hardstrasse 201", "8005", "Zürich"),
        )
        independent_count = 1
        company_contacts = len(self.contacts) - independent_count

        # Plan the remaining units first and shuffle them, so that independent
        # persons are spread between the companies.
        units: list[int] = []
        company_target = total - independent_target
        while company_contacts < company_target:
            size = min(1 + self.random.randint(1, 8), company_target - company_contacts)
            if size < 2:
                break
            units.append(size)
            company_contacts += size
        independent_count = total - company_contacts
        units.extend([1] * (independent_count - 1))
        self.random.shuffle(units)

        for size in units:
            country = self.choose_country()
            if size == 1:
                self.add_independent_person(country)
            else:
                self.add_company(country, persons=[], extra_persons=size - 1)

        self.set_flags()
        return self.contacts

    def choose_country(self) -> str:
        return self.random.choices(
            [country.code for country in COUNTRIES],
            weights=[country.weight for country in COUNTRIES],
        )[0]

    def next_no(self) -> str:
        return f"CT{len(self.contacts) + 1:06d}"

    def add_company(
        self,
        country_code: str,
        persons: Sequence[FixedPerson],
        extra_persons: int,
        name: str = "",
        industries: list[str] | None = None,
        place: Place | None = None,
    ) -> None:
        country = COUNTRY_BY_CODE[country_code]
        if industries is None:
            industries = self.choose_industries()
        place = place or self.make_place(country)
        name = name or self.make_company_name(country, industries, place.city)
        self.used_company_names.add(name)
        domain = f"{_slug(_strip_legal_form(name, country))}.example"

        no = self.next_no()
        territory = self.choose_territory(country, place.post_code)
        company = SampleContact(
            no=no,
            type=ContactType.COMPANY,
            name=name,
            company_no=no,
            country_code=country.code,
            address=place.address,
            address_2=place.address_2,
            post_code=place.post_code,
            city=place.city,
            county=place.county,
            phone=self.make_phone(country.code, area=place.phone_area),
            language_code=country.language_code,
            salutation_code="COMPANY",
            salesperson_code=self.choose_salesperson(territory),
            territory_code=territory,
            industry_groups=industries,
            business_relations=self.choose_business_relations(),
            mailing_groups=self.choose_mailing_groups(),
            fixed=bool(persons),
        )
        if self.random.random() >= 0.08:
            mailbox = self.random.choice(_company_mailboxes(country.language_code))
            company.email = self.unique_email(mailbox, domain)
        self.finish_contact(company)

        email_pattern = self.random.choice(
            ("{first}.{last}", "{f}.{last}", "{f}{last}")
        )
        for person in persons:
            self.add_company_person(company, country, domain, email_pattern, person)
        for _index in range(extra_persons):
            self.add_company_person(company, country, domain, email_pattern, None)

    def add_company_person(
        self,
        company: SampleContact,
        country: Country,
        domain: str,
        email_pattern: str,
        fixed: FixedPerson | None,
    ) -> None:
        # Persons copy the company's address, phone, salesperson and territory, as
        # Business Central copies them when a person is linked to a company.
        person = SampleContact(
            no=self.next_no(),
            type=ContactType.PERSON,
            name="",
            company_no=company.no,
            country_code=company.country_code,
            address=company.address,
            address_2=company.address_2,
            post_code=company.post_code,
            city=company.city,
            county=company.county,
            phone=company.phone,
            language_code=company.language_code,
            salesperson_code=company.salesperson_code,
            territory_code=company.territory_code,
            mailing_groups=self.choose_mailing_groups(),
            fixed=fixed is not None,
        )
        gender = self.fill_name(person, country, fixed)

        if fixed is not None and fixed.responsibilities:
            person.job_responsibilities = list(fixed.responsibilities)
        else:
            person.job_responsibilities = self.choose_job_responsibilities()
        main_responsibility = (person.job_responsibilities or [""])[0]
        titles = JOB_TITLES[main_responsibility][country.language_code]
        person.job_title = self.gendered(self.random.choice(titles), gender)
        if fixed is not None and fixed.job_title:
            person.job_title = fixed.job_title

        if self.random.random() < 0.6:
            person.mobile_phone = self.make_phone(country.code, mobile=True)
        if person.fixed or self.random.random() >= 0.10:
            local_part = email_pattern.format(
                first=_slug(person.first_name),
                f=_slug(person.first_name)[:1],
                last=_slug(person.surname, ""),
            )
            person.email = self.unique_email(local_part, domain)
        self.finish_contact(person)

    def add_independent_person(
        self,
        country_code: str,
        fixed: FixedPerson | None = None,
        place: Place | None = None,
    ) -> None:
        country = COUNTRY_BY_CODE[country_code]
        place = place or self.make_place(country)
        territory = self.choose_territory(country, place.post_code)
        person = SampleContact(
            no=self.next_no(),
            type=ContactType.PERSON,
            name="",
            country_code=country.code,
            address=place.address,
            address_2=place.address_2,
            post_code=place.post_code,
            city=place.city,
            county=place.county,
            language_code=country.language_code,
            salesperson_code=self.choose_salesperson(territory),
            territory_code=territory,
            mailing_groups=self.choose_mailing_groups(),
            fixed=fixed is not None,
        )
        gender = self.fill_name(person, country, fixed)
        if self.random.random() < 0.6:
            titles = INDEPENDENT_JOB_TITLES[country.language_code]
            person.job_title = self.gendered(self.random.choice(titles), gender)
        if self.random.random() < 0.8:
            person.phone = self.make_phone(country.code, area=place.phone_area)
        if self.random.random() < 0.7:
            person.mobile_phone = self.make_phone(country.code, mobile=True)
        if person.fixed or self.random.random() >= 0.10:
            local_part = f"{_slug(person.first_name)}.{_slug(person.surname, '')}"
            domain = self.random.choice(country.mail_domains)
            person.email = self.unique_email(local_part, domain)
        self.finish_contact(person)

    def finish_contact(self, contact: SampleContact) -> None:
        """Set the preferences and flags that do not depend on the contact's type."""
        if contact.email:
            contact.correspondence_type = self.random.choices(
                (
                    CorrespondenceType.EMAIL,
                    CorrespondenceType.HARD_COPY,
                    CorrespondenceType.BLANK,
                ),
                weights=(40, 35, 25),
            )[0]
        else:
            # A contact without an email address never prefers email.
            contact.correspondence_type = self.random.choices(
                (CorrespondenceType.HARD_COPY, CorrespondenceType.BLANK),
                weights=(60, 40),
            )[0]
        self.contacts.append(contact)

    def set_flags(self) -> None:
        """Mark 3% of the contacts excluded from segments and 1% privacy-blocked.

        Exact counts, at least one each, keep small samples useful for tests. The
        fixed contacts are never marked, so demos can always use them.
        """
        candidates = [contact for contact in self.contacts if not contact.fixed]
        excluded = self.random.sample(
            candidates, max(1, round(len(self.contacts) * 0.03))
        )
        for contact in excluded:
            contact.exclude_from_segment = True
        blocked = self.random.sample(
            candidates, max(1, round(len(self.contacts) * 0.01))
        )
        for contact in blocked:
            contact.privacy_blocked = True

    # Names.

    def fill_name(
        self, person: SampleContact, country: Country, fixed: FixedPerson | None
    ) -> str:
        """Set the person's names and salutation code, and return the gender."""
        if fixed is not None:
            gender = fixed.gender
            person.first_name = fixed.first_name
            person.surname = fixed.surname
        else:
            gender = self.random.choices(("M", "F", "U"), weights=(46, 46, 8))[0]
            locale = self.random.choices(
                [locale for locale, _weight in country.name_locales],
                weights=[weight for _locale, weight in country.name_locales],
            )[0]
            faker = self.fakers[locale]
            if gender == "M":
                person.first_name = faker.first_name_male()
            elif gender == "F":
                person.first_name = faker.first_name_female()
            else:
                person.first_name = faker.first_name()
            person.surname = self.make_surname(faker, locale, gender)
            person.middle_name = self.make_middle_name(country, gender)
        person.salutation_code = gender
        person.name = " ".join(
            part
            for part in (person.first_name, person.middle_name, person.surname)
            if part
        )
        return gender

    def make_surname(self, faker: Any, locale: str, gender: str) -> str:
        # Languages with gendered surnames (Polish, Czech) have separate lists.
        if gender == "M" and hasattr(faker, "last_name_male"):
            generate = faker.last_name_male
        elif gender == "F" and hasattr(faker, "last_name_female"):
            generate = faker.last_name_female
        else:
            generate = faker.last_name
        surname = generate()
        for _attempt in range(20):
            if _is_plausible_surname(surname, locale):
                break
            surname = generate()
        return surname

    def make_middle_name(self, country: Country, gender: str) -> str:
        if country.code == "US" and self.random.random() < 0.3:
            return self.random.choice("ABCDEFGHJKLMNPRSTW") + "."
        if country.code == "GB" and self.random.random() < 0.1:
            faker = self.fakers["en_GB"]
            return (
                faker.first_name_female() if gender == "F" else faker.first_name_male()
            )
        return ""

    def gendered(self, title: Any, gender: str) -> str:
        if isinstance(title, str):
            return title
        male, female = title
        if gender == "M":
            return male
        if gender == "F":
            return female
        return self.random.choice((male, female))

    def make_company_name(
        self, country: Country, industries: list[str], city: str
    ) -> str:
        faker = self.fakers[country.locale]
        words = INDUSTRY_WORDS[industries[0] if industries else ""][
            country.language_code
        ]
        for _attempt in range(20):
            surname = self.make_surname(faker, country.locale, "U")
            surname = surname[:1].upper() + surname[1:]
            word = self.random.choice(words)
            legal_form = self.random.choice(country.legal_forms)
            pattern = self.random.randrange(4)
            if pattern == 0:
                second = self.make_surname(faker, country.locale, "U")
                second = second[:1].upper() + second[1:]
                name = f"{surname} & {second} {legal_form}"
            elif pattern == 1 and country.language_code != "EN":
                name = f"{word} {surname} {legal_form}"
            elif pattern == 2:
                name = f"{city} {word} {legal_form}"
            else:
                name = f"{surname} {word} {legal_form}"
            if name not in self.used_company_names:
                return name
        return f"{name} {len(self.used_company_names)}"

    # Addresses and phones.

    def make_place(self, country: Country) -> Place:
        address_2 = ""
        if self.random.random() < 0.1:
            address_2 = self.random.choice(country.address_2_choices)
        if country.code == "GB":
            town, county, areas = self.random.choice(GB_TOWNS)
            letters = "ABDEFGHJLNPQRSTUWXYZ"
            post_code = (
                f"{self.random.choice(areas)}{self.random.randint(1, 20)} "
                f"{self.random.randint(1, 9)}{self.random.choice(letters)}"
                f"{self.random.choice(letters)}"
            )
            street = f"{self.random.randint(1, 240)} {self.random.choice(GB_STREETS)}"
            return Place(street, post_code, town, county, address_2)
        if country.code == "US":
            city, state, zip_prefix, area = self.random.choice(US_CITIES)
            post_code = f"{zip_prefix}{self.random.randint(1, 99):02d}"
            street_number = self.random.randint(100, 9999)
            street_name = self.random.choice(US_STREET_NAMES)
            street_type = self.random.choice(US_STREET_TYPES)
            street = f"{street_number} {street_name} {street_type}"
            return Place(street, post_code, city, state, address_2, phone_area=area)

        faker = self.fakers[country.locale]
        number = str(self.random.randint(1, 180))
        if self.random.random() < 0.08:
            number += self.random.choice("ab")
        street = f"{faker.street_name()} {number}"
        post_code = faker.postcode()
        if country.code == "NL":
            # Faker writes Dutch post codes with and without the space, but PostNL
            # writes "1234 AB".
            post_code = f"{post_code[:4]} {post_code[-2:]}"
        return Place(street, post_code, faker.city(), "", address_2)

    def make_phone(
        self, country_code: str, mobile: bool = False, area: str = ""
    ) -> str:
        """Return a phone number in the international form used in that country."""
        choice = self.random.choice

        def digits(count: int) -> str:
            return "".join(str(self.random.randint(0, 9)) for _index in range(count))

        def leading(count: int) -> str:
            return str(self.random.randint(1, 9)) + digits(count - 1)

        if country_code == "DE":
            if mobile:
                return f"+49 {choice(('151', '160', '170', '171', '176'))} {leading(8)}"
            area = choice(
                ("30", "40", "89", "221", "69", "711", "211", "341", "511", "911")
            )
            return f"+49 {area} {leading(self.random.randint(6, 8))}"
        if country_code == "AT":
            if mobile:
                return f"+43 {choice(('664', '660', '676', '699'))} {leading(7)}"
            return (
                f"+43 {choice(('1', '316', '512', '662', '732', '463'))} {leading(6)}"
            )
        if country_code == "CH":
            area = (
                choice(("76", "77", "78", "79"))
                if mobile
                else choice(("44", "31", "61", "21", "41", "71"))
            )
            return f"+41 {area} {leading(3)} {digits(2)} {digits(2)}"
        if country_code == "NL":
            if mobile:
                return f"+31 6 {leading(4)} {digits(4)}"
            area = choice(("20", "10", "70", "30", "40", "50"))
            return f"+31 {area} {leading(3)} {digits(4)}"
        if country_code == "GB":
            if mobile:
                return f"+44 7700 900{digits(3)}"
            return f"+44 {choice(GB_PHONE_PREFIXES)}{digits(3)}"
        # US: 555-0100 to 555-0199 are reserved for fiction.
        area = area or choice([city[3] for city in US_CITIES])
        return f"+1 {area} 555-01{digits(2)}"

    def unique_email(self, local_part: str, domain: str) -> str:
        email = f"{local_part}@{domain}"
        suffix = 2
        while email in self.used_emails:
            email = f"{local_part}{suffix}@{domain}"
            suffix += 1
        self.used_emails.add(email)
        return email

    # Classifications and assignments.

    def choose_territory(self, country: Country, post_code: str) -> str:
        if self.random.random() < 0.10:
            return ""
        if country.code == "DE":
            # German post code regions: 0 and 1 east, 2 and 3 north, 4 and 5 west,
            # 6 to 9 south.
            first_digit = post_code[:1]
            if first_digit in "01":
                return "EAST"
            if first_digit in "23":
                return "NORTH"
            if first_digit in "45":
                return "WEST"
            return "SOUTH"
        return {"AT": "SOUTH", "CH": "SOUTH", "NL": "WEST"}.get(country.code, "INTL")

    def choose_salesperson(self, territory: str) -> str:
        if territory and self.random.random() < 0.8:
            return TERRITORY_SALESPERSON[territory]
        return self.random.choice([salesperson[0] for salesperson in SALESPEOPLE])

    def choose_mailing_groups(self) -> list[str]:
        count = self.random.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]
        return self.sample_weighted(
            ["NEWS", "XMAS", "EVENT", "VIP", "PRESS"], [5, 3, 3, 1, 1], count
        )

    def choose_industries(self) -> list[str]:
        count = self.random.choices((0, 1, 2), weights=(8, 72, 20))[0]
        return self.sample_weighted(
            [code for code, _description in INDUSTRY_GROUPS],
            [3, 3, 3, 2, 1, 1, 2, 2],
            count,
        )

    def choose_business_relations(self) -> list[str]:
        relations = [
            self.random.choices(
                ("CUST", "PROSPECT", "VEND", "PARTNER", "PRESS"),
                weights=(45, 35, 10, 8, 2),
            )[0]
        ]
        if self.random.random() < 0.15:
            second = self.random.choice(("VEND", "PARTNER"))
            if second not in relations:
                relations.append(second)
        return relations

    def choose_job_responsibilities(self) -> list[str]:
        count = self.random.choices((0, 1, 2), weights=(15, 65, 20))[0]
        return self.sample_weighted(
            [code for code, _description in JOB_RESPONSIBILITIES],
            [1, 3, 3, 2, 2, 2],
            count,
        )

    def sample_weighted(
        self, codes: list[str], weights: list[int], count: int
    ) -> list[str]:
        """Draw ``count`` distinct codes, each draw weighted among the codes left."""
        codes, weights = list(codes), list(weights)
        chosen = []
        for _index in range(count):
            index = self.random.choices(range(len(codes)), weights=weights)[0]
            chosen.append(codes.pop(index))
            weights.pop(index)
        return chosen


def _is_plausible_surname(surname: str, locale: str) -> bool:
    """Reject Faker surnames that look wrong on a letter, such as ``Koch II``."""
    words = surname.split()
    if len(words) == 1:
        # Faker's nl_NL list has the Roman numeral "VI" as a surname.
        return not surname.isupper()
    if locale in ("nl_NL", "fr_CH", "fr_FR") and words[0][:1].islower():
        # Dutch and French particles: "van der Sloot", "de Dardel".
        return True
    return words[0] == "von" and len(words) == 2


def _strip_legal_form(name: str, country: Country) -> str:
    for legal_form in sorted(set(country.legal_forms), key=len, reverse=True):
        if name.endswith(" " + legal_form):
            return name[: -len(legal_form) - 1]
    return name


def _company_mailboxes(language_code: str) -> tuple[str, ...]:
    return {
        "DE": ("info", "kontakt", "office", "zentrale"),
        "NL": ("info", "contact", "kantoor"),
    }.get(language_code, ("info", "contact", "office", "hello"))


_TRANSLITERATIONS = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "ø": "oe",
    "æ": "ae",
    "å": "aa",
    "ł": "l",
    "ı": "i",
    "đ": "d",
}


def _slug(text: str, separator: str = "-") -> str:
    """Turn a name into ASCII letters and digits for an email address or domain."""
    lowered = text.casefold()
    for letter, replacement in _TRANSLITERATIONS.items():
        lowered = lowered.replace(letter, replacement)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    # With an empty separator the words are joined, and strip("") removes nothing.
    return re.sub(r"[^a-z0-9]+", separator, ascii_text).strip(separator)


def _format_bool(value: bool) -> str:
    return "yes" if value else "no"


# Writing the files.


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
            _format_bool(template.ignore_contact_corresp_type),
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


# Loading the files.


def load_sample_data(user: str, folder: Traversable | Path | None = None) -> None:
    """Insert the sample data from ``folder`` into the open database.

    ``folder`` defaults to the installed ``segtui.sample_data`` package. Everything is
    inserted in one write transaction with bulk inserts. Setup rows whose codes
    already exist are kept as they are, and the CONTACT number series is moved up to
    the highest contact number loaded. Raises InvalidValueError when the database
    already has contacts or when a file is invalid, naming the file and the line.
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
        _insert_contacts(tables["contacts.csv"], user, created_at)
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
        [(row["code"], row["name"], row["locale"]) for row in tables["languages.csv"]],
        ignore=True,
    )

    salutations = tables["salutations.csv"]
    descriptions = {row["code"]: row["description"] for row in salutations}
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
            (row["code"], row["name"], row["job_title"], row["phone"], row["email"])
            for row in tables["salespeople.csv"]
        ],
        ignore=True,
    )
    _insert_rows(
        Territory,
        [Territory.code, Territory.name],
        [(row["code"], row["name"]) for row in tables["territories.csv"]],
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
            [(row["code"], row["description"]) for row in tables[file_name]],
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
            (row["code"], row["description"], row["starting_no"], row["last_no_used"])
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
                row["description"],
                row["correspondence_type"],
                ignore_contact_corresp_type,
                Decimal(row["unit_cost"]),
                Decimal(row["unit_duration"]),
                row["information_flow"],
                row["initiated_by"],
                row["language_code_default"] or None,
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


# Columns of contacts.csv that are stored as they are.
CONTACT_TEXT_COLUMNS = (
    "no",
    "type",
    "name",
    "first_name",
    "middle_name",
    "surname",
    "address",
    "address_2",
    "post_code",
    "city",
    "county",
    "country_code",
    "phone",
    "mobile_phone",
    "email",
    "correspondence_type",
    "job_title",
)

# Columns of contacts.csv that name a setup record. A blank code is stored as NULL.
CONTACT_CODE_COLUMNS = {
    "language_code": Language,
    "salutation_code": Salutation,
    "salesperson_code": Salesperson,
    "territory_code": Territory,
}

# Each classification column of contacts.csv with its link table, the link table's
# code field and the table of valid codes.
CLASSIFICATION_LINKS = (
    ("mailing_groups", ContactMailingGroup, "mailing_group", MailingGroup),
    ("industry_groups", ContactIndustryGroup, "industry_group", IndustryGroup),
    (
        "business_relations",
        ContactBusinessRelation,
        "business_relation",
        BusinessRelation,
    ),
    (
        "job_responsibilities",
        ContactJobResponsibility,
        "job_responsibility",
        JobResponsibility,
    ),
)


def _insert_contacts(rows: list[dict[str, str]], user: str, created_at: Any) -> None:
    fields = [getattr(Contact, column) for column in CONTACT_TEXT_COLUMNS]
    fields += [
        Contact.company,
        Contact.language,
        Contact.salutation,
        Contact.salesperson,
        Contact.territory,
        Contact.exclude_from_segment,
        Contact.privacy_blocked,
        Contact.created_at,
        Contact.created_by,
    ]
    contact_rows = [(*values, created_at, user) for values in _contact_values(rows)]
    # Companies come before their persons in the file, so every batch satisfies the
    # company_no foreign key.
    _insert_rows(Contact, fields, contact_rows)

    for column, link_model, field_name, code_model in CLASSIFICATION_LINKS:
        known = _existing_codes(code_model)
        links = []
        for line, row in enumerate(rows, start=2):
            for code in row[column].split(";"):
                if not code:
                    continue
                if code not in known:
                    raise _invalid_value(
                        "contacts.csv",
                        line,
                        column,
                        code,
                        _("Add the code to the setup files or remove it."),
                    )
                links.append((row["no"], code))
        link_fields = [link_model.contact, getattr(link_model, field_name)]
        _insert_rows(link_model, link_fields, links)


def _contact_values(rows: list[dict[str, str]]) -> Iterator[tuple[Any, ...]]:
    """Check each row of contacts.csv and return its values in insert order.

    The values are the text columns, the company number and setup codes (None when
    blank) and the two flags.
    """
    file_name = "contacts.csv"
    known_codes = {
        column: _existing_codes(model) for column, model in CONTACT_CODE_COLUMNS.items()
    }
    company_numbers: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if row["type"] not in tuple(ContactType):
            raise _invalid_value(
                file_name, line, "type", row["type"], _("Use company or person.")
            )
        if row["correspondence_type"] not in tuple(CorrespondenceType):
            raise _invalid_value(
                file_name,
                line,
                "correspondence_type",
                row["correspondence_type"],
                _("Use hard_copy, email or leave it blank."),
            )
        if row["type"] == ContactType.COMPANY:
            company_numbers.add(row["no"])
        if row["company_no"] and row["company_no"] not in company_numbers:
            raise _invalid_value(
                file_name,
                line,
                "company_no",
                row["company_no"],
                _("Use the number of a company listed on an earlier line."),
            )
        for column, codes in known_codes.items():
            if row[column] and row[column] not in codes:
                raise _invalid_value(
                    file_name,
                    line,
                    column,
                    row[column],
                    _("Add the code to the setup files or correct the contact."),
                )
        yield (
            *(row[column] for column in CONTACT_TEXT_COLUMNS),
            row["company_no"] or None,
            *(row[column] or None for column in CONTACT_CODE_COLUMNS),
            _parse_bool(
                row["exclude_from_segment"], file_name, line, "exclude_from_segment"
            ),
            _parse_bool(row["privacy_blocked"], file_name, line, "privacy_blocked"),
        )


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
