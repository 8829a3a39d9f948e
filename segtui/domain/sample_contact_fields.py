"""The rows of contacts.csv and the random field values that fill them.

``ContactFieldGenerator`` draws names, addresses, phone numbers, email addresses and
classifications from one seed. ``ContactGenerator`` in ``sample_contacts`` extends it
to build companies, their persons and independent persons.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from segtui.domain.sample_countries import (
    COUNTRIES,
    GB_PHONE_PREFIXES,
    GB_STREETS,
    GB_TOWNS,
    INDUSTRY_WORDS,
    US_CITIES,
    US_STREET_NAMES,
    US_STREET_TYPES,
    Country,
)
from segtui.domain.sample_setup import (
    CSV_COLUMNS,
    INDUSTRY_GROUPS,
    JOB_RESPONSIBILITIES,
    SALESPEOPLE,
    TERRITORY_SALESPERSON,
    format_bool,
)


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
                row.append(format_bool(value))
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


class ContactFieldGenerator:
    """Random field values of sample contacts, drawn from one seed.

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
