"""The sample contacts: companies with their persons, and independent persons.

``ContactGenerator`` starts with the fixed contacts that demos rely on, then makes
about 15% of the contacts independent persons and spreads the rest over companies
of two to nine contacts each, the company contact included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from segtui.domain.sample_contact_fields import (
    ContactFieldGenerator,
    FixedPerson,
    Place,
    SampleContact,
)
from segtui.domain.sample_countries import (
    COUNTRIES,
    COUNTRY_BY_CODE,
    INDEPENDENT_JOB_TITLES,
    JOB_TITLES,
    Country,
)
from segtui.models.base import ContactType, CorrespondenceType

# The fixed companies and persons take 12 contacts at most, and the rest of the mix
# needs some room.
MIN_CONTACTS = 20


class ContactGenerator(ContactFieldGenerator):
    """Generate the sample contacts from one seed.

    Every random choice comes from ``self.random`` or from a Faker instance seeded
    from the same seed, never from the global ``random`` module.
    """

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
