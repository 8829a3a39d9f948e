"""The fixed setup tables of the demo data and the layout of its CSV files.

The setup tables are the languages, salutations, salespeople, territories,
classifications, interaction templates and number series that ``write_sample_files``
writes next to contacts.csv.
"""

from __future__ import annotations

from dataclasses import dataclass

from segtui.models.base import CorrespondenceType


def N_(message: str) -> str:
    """Mark a sample description for the catalog.

    The CSV files keep the English text, and ``load_sample_data`` translates it into
    the user interface language when it stores the sample in a database.
    """
    return message


# The names are endonyms in the CSV files. Under German the catalog turns English and
# Nederlands into Englisch and Niederländisch.
LANGUAGES = [
    ("EN", N_("English"), "en_GB"),
    ("DE", N_("Deutsch"), "de_DE"),
    ("NL", N_("Nederlands"), "nl_NL"),
]

# Salutation code, description, then the formulas per (language, kind). NL has no
# formulas, so Dutch letters use the application's fallback greeting.
SALUTATIONS: list[tuple[str, str, dict[tuple[str, str], str]]] = [
    (
        "M",
        N_("Male person"),
        {
            ("EN", "formal"): "Dear Mr {surname},",
            ("EN", "informal"): "Dear {first_name},",
            ("DE", "formal"): "Sehr geehrter Herr {surname},",
            ("DE", "informal"): "Lieber {first_name},",
        },
    ),
    (
        "F",
        N_("Female person"),
        {
            ("EN", "formal"): "Dear Ms {surname},",
            ("EN", "informal"): "Dear {first_name},",
            ("DE", "formal"): "Sehr geehrte Frau {surname},",
            ("DE", "informal"): "Liebe {first_name},",
        },
    ),
    (
        "U",
        N_("Person of unknown gender"),
        {
            ("EN", "formal"): "Dear {first_name} {surname},",
            ("EN", "informal"): "Hello {first_name},",
            ("DE", "formal"): "Guten Tag {first_name} {surname},",
            ("DE", "informal"): "Hallo {first_name},",
        },
    ),
    (
        "COMPANY",
        N_("Company"),
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
        N_("Sales Manager"),
        "+49 30 5550 1201",
        "joerg.oeztuerk@example.de",
    ),
    (
        "AS",
        "Anna Schäfer",
        N_("Account Manager"),
        "+49 30 5550 1202",
        "anna.schaefer@example.de",
    ),
    (
        "LB",
        "Lukas Brenner",
        N_("Account Manager"),
        "+49 30 5550 1203",
        "lukas.brenner@example.de",
    ),
    (
        "EV",
        "Eva de Vries",
        N_("Account Manager Benelux"),
        "+31 20 555 0104",
        "eva.devries@example.com",
    ),
    (
        "SO",
        "Siobhán O'Neill",
        N_("International Key Account Manager"),
        "+44 20 7946 0105",
        "siobhan.oneill@example.com",
    ),
]

TERRITORIES = [
    ("NORTH", N_("Northern Germany")),
    ("SOUTH", N_("Southern Germany, Austria and Switzerland")),
    ("EAST", N_("Eastern Germany")),
    ("WEST", N_("Western Germany and the Netherlands")),
    ("INTL", N_("International")),
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
    ("NEWS", N_("Newsletter")),
    ("XMAS", N_("Christmas card")),
    ("EVENT", N_("Event invitations")),
    ("VIP", N_("VIP customers")),
    ("PRESS", N_("Press releases")),
]

INDUSTRY_GROUPS = [
    ("RETAIL", N_("Retail")),
    ("WHOLESALE", N_("Wholesale")),
    ("MANUFACT", N_("Manufacturing")),
    ("IT", N_("Information technology")),
    ("FINANCE", N_("Finance and insurance")),
    ("HEALTH", N_("Health care")),
    ("FOOD", N_("Food and beverages")),
    ("LOGISTICS", N_("Transport and logistics")),
]

BUSINESS_RELATIONS = [
    ("CUST", N_("Customer")),
    ("PROSPECT", N_("Prospect")),
    ("VEND", N_("Vendor")),
    ("PARTNER", N_("Partner")),
    ("PRESS", N_("Press")),
]

JOB_RESPONSIBILITIES = [
    ("MGMT", N_("Management")),
    ("PURCH", N_("Purchasing")),
    ("SALES", N_("Sales")),
    ("IT", N_("IT")),
    ("MARKETING", N_("Marketing")),
    ("FINANCE", N_("Finance")),
]

INTERACTION_GROUPS = [
    ("LETTER", N_("Letters")),
    ("EMAIL", N_("Emails")),
    ("PHONE", N_("Phone calls")),
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
        description=N_("Product catalogue letter"),
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
        description=N_("Product catalogue email"),
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
        description=N_("Follow-up phone call"),
        correspondence_type=CorrespondenceType.BLANK,
        ignore_contact_corresp_type=True,
        unit_cost="4.50",
        unit_duration="15",
        default_language="EN",
        languages=(),
    ),
]

# Number series as code, description and starting number.
SEGMENT_SERIES_ROW = ("SEGMENT", N_("Segments"), "SEG00001")
CONTACT_SERIES_ROW = ("CONTACT", N_("Contacts"), "CT000001")

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
