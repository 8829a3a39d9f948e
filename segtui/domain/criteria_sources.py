"""The tables criteria can filter on, their fields, and how they link to contacts.

A source is a table with a column of contact numbers. Industry groups and business
relations belong to companies, and a company's persons inherit them, so those
sources link through the contact's company instead of the contact itself.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from peewee import Field, Model

from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import N_, FieldKind, FieldSpec
from segtui.i18n import LOCALE_DIR, _, inside_sentence
from segtui.models import (
    BusinessRelation,
    Campaign,
    Contact,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
    ContactType,
    CorrespondenceType,
    IndustryGroup,
    InteractionLogEntry,
    JobResponsibility,
    Language,
    MailingGroup,
    ProfileAnswer,
    ProfileQuestion,
    Salesperson,
    SegmentLine,
    Territory,
)


@cache
def _german() -> gettext.NullTranslations:
    return gettext.translation(
        "segtui", localedir=LOCALE_DIR, languages=["de"], fallback=True
    )


def shown_words(*labels: str) -> tuple[str, ...]:
    """Return the labels screens show for an option value, in English and German.

    ``labels`` are the English messages the screens translate. A filter takes the
    words of both languages whatever language the UI runs in, so criteria typed in
    German keep working for a user who runs segtui in English, and the other way
    round.
    """
    german = [_german().gettext(label) for label in labels]
    return tuple(dict.fromkeys([*labels, *german]))


CONTACT_TYPE_SPEC = FieldSpec(
    FieldKind.OPTION,
    (
        (ContactType.COMPANY, ("company", "firma", *shown_words("Company"))),
        (ContactType.PERSON, ("person", *shown_words("Person"))),
    ),
    (N_("Company"), N_("Person")),
)
CORRESPONDENCE_TYPE_SPEC = FieldSpec(
    FieldKind.OPTION,
    (
        (CorrespondenceType.BLANK, ("blank", "none", "''", "leer")),
        (
            CorrespondenceType.HARD_COPY,
            ("hard copy", "letter", "brief", *shown_words("Hard Copy")),
        ),
        (CorrespondenceType.EMAIL, ("email", "e-mail", *shown_words("Email"))),
    ),
    # "blank" is the lower-case state word, as in "canceled" and "done".
    (N_("blank"), N_("Hard Copy"), N_("Email")),
)
TEXT = FieldSpec(FieldKind.TEXT)
CODE = FieldSpec(FieldKind.CODE)
BOOLEAN = FieldSpec(FieldKind.BOOLEAN)
DATE = FieldSpec(FieldKind.DATE)
DECIMAL = FieldSpec(FieldKind.DECIMAL)
INTEGER = FieldSpec(FieldKind.INTEGER)


# The pseudo-field of every source but the contact: "yes" selects contacts with a
# matching row, "no" contacts without one ("has no mailing group").
EXISTS_FIELD = "exists"


@dataclass(frozen=True)
class FilterField:
    """One filterable column of a source."""

    key: str
    label: str
    column: Any
    spec: FieldSpec
    # The code table a CODE value must exist in, if there is one.
    lookup: type[Model] | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A table that criteria can filter on, and how its rows link to contacts."""

    key: str
    label: str
    fields: tuple[FilterField, ...]
    # The column of the source's table that contains a contact number.
    contact_column: Field | None = None
    # True when the rows belong to the contact's company and its persons inherit them.
    via_company: bool = False
    # Extra joins from the source's table to the tables its fields live on.
    joins: tuple[tuple[type[Model], Any], ...] = ()
    aliases: tuple[str, ...] = ()
    # A model, or a derived table (a peewee subquery alias) for a source made of
    # several tables.
    table: Any = None

    def field(self, key: str) -> FilterField:
        wanted = normalize_key(key)
        for candidate in self.fields:
            if wanted == normalize_key(candidate.key) or wanted in (
                normalize_key(alias) for alias in candidate.aliases
            ):
                return candidate
        known = ", ".join(candidate.key for candidate in self.fields)
        raise InvalidValueError(
            _("Unknown {source} field {field!r}; the fields are: {known}.").format(
                source=self.label, field=key, known=known
            )
        )


def normalize_key(key: str) -> str:
    return key.strip().casefold().replace("-", "_").replace(" ", "_")


def _contact_fields() -> tuple[FilterField, ...]:
    c = Contact
    return (
        FilterField("no", _("No."), c.no, CODE, aliases=("contact_no", "number")),
        FilterField("name", _("Name"), c.name, TEXT),
        FilterField("type", _("Type"), c.type, CONTACT_TYPE_SPEC),
        FilterField("company_no", _("Company No."), c.company, CODE, Contact),
        FilterField("first_name", _("First Name"), c.first_name, TEXT),
        FilterField("middle_name", _("Middle Name"), c.middle_name, TEXT),
        FilterField("surname", _("Surname"), c.surname, TEXT),
        FilterField("address", _("Address"), c.address, TEXT),
        FilterField("address_2", _("Address 2"), c.address_2, TEXT),
        FilterField("post_code", _("Post Code"), c.post_code, TEXT, aliases=("zip",)),
        FilterField("city", _("City"), c.city, TEXT),
        FilterField("county", _("County"), c.county, TEXT),
        FilterField(
            "country", _("Country"), c.country_code, CODE, aliases=("country_code",)
        ),
        FilterField("phone", _("Phone"), c.phone, TEXT),
        FilterField("mobile_phone", _("Mobile Phone"), c.mobile_phone, TEXT),
        FilterField("email", _("Email"), c.email, TEXT, aliases=("e_mail",)),
        FilterField(
            "language",
            _("Language"),
            c.language,
            CODE,
            Language,
            aliases=("language_code",),
        ),
        FilterField(
            "salutation",
            _("Salutation"),
            c.salutation,
            CODE,
            aliases=("salutation_code",),
        ),
        FilterField(
            "salesperson",
            _("Salesperson"),
            c.salesperson,
            CODE,
            Salesperson,
            aliases=("salesperson_code",),
        ),
        FilterField(
            "territory",
            _("Territory"),
            c.territory,
            CODE,
            Territory,
            aliases=("territory_code",),
        ),
        FilterField(
            "correspondence_type",
            _("Correspondence Type"),
            c.correspondence_type,
            CORRESPONDENCE_TYPE_SPEC,
        ),
        FilterField("job_title", _("Job Title"), c.job_title, TEXT),
        FilterField(
            "exclude_from_segment",
            _("Exclude from Segment"),
            c.exclude_from_segment,
            BOOLEAN,
        ),
        FilterField(
            "privacy_blocked", _("Privacy Blocked"), c.privacy_blocked, BOOLEAN
        ),
    )


def _exists_field(label: str) -> FilterField:
    return FilterField(
        EXISTS_FIELD,
        _("Has any {source}").format(source=inside_sentence(label)),
        None,
        BOOLEAN,
        aliases=("has", "any"),
    )


def _code_source(
    key: str,
    label: str,
    table: type[Model],
    code_column: Field,
    code_table: type[Model],
    via_company: bool = False,
) -> Source:
    return Source(
        key=key,
        label=label,
        fields=(
            FilterField("code", label, code_column, CODE, code_table),
            _exists_field(label),
        ),
        contact_column=table.contact,
        via_company=via_company,
        aliases=(key.replace("_", "-"),),
        table=table,
    )


def build_sources() -> dict[str, Source]:
    """Return every criteria source by key; built on call so labels follow the language."""
    sources = [
        Source("contact", _("Contact"), _contact_fields(), table=Contact),
        _code_source(
            "mailing_group",
            _("Mailing Group"),
            ContactMailingGroup,
            ContactMailingGroup.mailing_group,
            MailingGroup,
        ),
        _code_source(
            "industry_group",
            _("Industry Group"),
            ContactIndustryGroup,
            ContactIndustryGroup.industry_group,
            IndustryGroup,
            via_company=True,
        ),
        _code_source(
            "business_relation",
            _("Business Relation"),
            ContactBusinessRelation,
            ContactBusinessRelation.business_relation,
            BusinessRelation,
            via_company=True,
        ),
        _code_source(
            "job_responsibility",
            _("Job Responsibility"),
            ContactJobResponsibility,
            ContactJobResponsibility.job_responsibility,
            JobResponsibility,
        ),
        Source(
            "profile",
            _("Profile Answer"),
            (
                FilterField(
                    "questionnaire",
                    _("Questionnaire"),
                    ProfileAnswer.questionnaire,
                    CODE,
                ),
                FilterField("question", _("Question"), ProfileQuestion.code, CODE),
                FilterField("answer", _("Answer"), ProfileAnswer.code, CODE),
                _exists_field(_("Profile Answer")),
            ),
            contact_column=ContactProfileAnswer.contact,
            joins=(
                (ProfileAnswer, ContactProfileAnswer.answer == ProfileAnswer.id),
                (ProfileQuestion, ProfileAnswer.question == ProfileQuestion.id),
            ),
            table=ContactProfileAnswer,
        ),
        Source(
            "interaction",
            _("Interaction Log Entry"),
            (*_interaction_fields(), _exists_field(_("Interaction"))),
            contact_column=InteractionLogEntry.contact_no,
            aliases=("interaction_log_entry",),
            table=InteractionLogEntry,
        ),
        _campaign_source(),
    ]
    return {source.key: source for source in sources}


def _campaign_source() -> Source:
    """Campaign target and response, from log entries and from segment lines.

    Canceled entries are left out: a canceled interaction did not happen.
    """
    entry = InteractionLogEntry
    line = SegmentLine
    from_entries = entry.select(
        entry.contact_no.alias("contact_no"),
        entry.campaign_no.alias("campaign_no"),
        entry.campaign_target.alias("target"),
        entry.campaign_response.alias("response"),
    ).where((entry.campaign_no != "") & (entry.canceled == False))  # noqa: E712
    from_lines = line.select(
        line.contact.alias("contact_no"),
        line.campaign.alias("campaign_no"),
        line.campaign_target.alias("target"),
        line.campaign_response.alias("response"),
    ).where(line.campaign.is_null(False))
    rows = from_entries.union_all(from_lines).alias("campaign_rows")
    label = _("Campaign")
    return Source(
        "campaign",
        label,
        (
            FilterField(
                "no",
                _("Campaign No."),
                rows.c.campaign_no,
                CODE,
                Campaign,
                aliases=("campaign_no",),
            ),
            FilterField("target", _("Campaign Target"), rows.c.target, BOOLEAN),
            FilterField("response", _("Campaign Response"), rows.c.response, BOOLEAN),
            _exists_field(label),
        ),
        contact_column=rows.c.contact_no,
        table=rows,
    )


def _interaction_fields() -> tuple[FilterField, ...]:
    e = InteractionLogEntry
    return (
        FilterField("date", _("Date"), e.date, DATE),
        FilterField("template", _("Template"), e.template_code, CODE),
        FilterField("group", _("Group"), e.group_code, CODE),
        FilterField("segment_no", _("Segment No."), e.segment_no, CODE),
        FilterField("campaign_no", _("Campaign No."), e.campaign_no, CODE),
        FilterField(
            "campaign_target", _("Campaign Target"), e.campaign_target, BOOLEAN
        ),
        FilterField(
            "campaign_response", _("Campaign Response"), e.campaign_response, BOOLEAN
        ),
        FilterField("evaluation", _("Evaluation"), e.evaluation, TEXT),
        FilterField(
            "correspondence_type",
            _("Correspondence Type"),
            e.correspondence_type,
            CORRESPONDENCE_TYPE_SPEC,
        ),
        FilterField("canceled", _("Canceled"), e.canceled, BOOLEAN),
    )


def find_source(key: str, sources: Mapping[str, Source] | None = None) -> Source:
    sources = sources or build_sources()
    wanted = normalize_key(key)
    for source in sources.values():
        if wanted == source.key or wanted in (normalize_key(a) for a in source.aliases):
            return source
    known = ", ".join(sources)
    raise InvalidValueError(
        _("Unknown criteria source {source!r}; the sources are: {known}.").format(
            source=key, known=known
        )
    )
