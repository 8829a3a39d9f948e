"""The fixed setup tables of the demo data and the layout of its CSV files.

The setup tables are the languages, salutations, salespeople, territories,
classifications, interaction templates and number series that ``write_sample_files``
writes next to contacts.csv.
"""

from __future__ import annotations

from dataclasses import dataclass

from segtui.models.base import CorrespondenceType

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

# The CSV files.

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

# The folder of the Word letter templates, next to the CSV files.
LETTERS_FOLDER = "letters"


def format_bool(value: bool) -> str:
    """Return a flag as the CSV files write it, ``yes`` or ``no``."""
    return "yes" if value else "no"
