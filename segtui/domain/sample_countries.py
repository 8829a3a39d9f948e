"""The per-country data of the sample contacts.

Each country has its locale, legal forms, origins of persons' names and mail
domains. British and US addresses come from lists of real towns and streets, and the
words for company names and job titles are listed per industry group, job
responsibility and language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
