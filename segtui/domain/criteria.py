"""The criteria engine: which contacts a set of filters and options selects.

Filters are grouped by source, ``{source: {field: expression}}``. A contact qualifies
when, for every source with filters, at least one row of that source matches all of
that source's filters: AND across sources, EXISTS within a source. Each source
compiles to an uncorrelated ``IN`` subquery, which SQLite and PostgreSQL resolve with
the (code, contact) indexes in one pass instead of one lookup per contact.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from peewee import Select

from segtui.domain.criteria_sources import (
    BOOLEAN,
    EXISTS_FIELD,
    FilterField,
    Source,
    build_sources,
    find_source,
    normalize_key,
)
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import (
    AllOf,
    AnyOf,
    Comparison,
    Node,
    all_of,
    compile_expression,
    matches,
    quote_typed,
    validate_expression,
)
from segtui.i18n import _, inside_sentence
from segtui.models import (
    Contact,
    ContactType,
    SegmentLine,
)

Filters = dict[str, dict[str, str]]


@dataclass
class AddOptions:
    """The options of Add Contacts."""

    allow_existing: bool = False
    expand_companies: bool = False
    allow_related_companies: bool = False
    ignore_exclusion: bool = False

    def as_dict(self) -> dict[str, bool]:
        return {
            "allow_existing": self.allow_existing,
            "expand_companies": self.expand_companies,
            "allow_related_companies": self.allow_related_companies,
            "ignore_exclusion": self.ignore_exclusion,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> AddOptions:
        return cls(**{key: bool(values.get(key, False)) for key in cls().as_dict()})

    def labels(self) -> list[str]:
        names = {
            "allow_existing": _("allow existing contacts"),
            "expand_companies": _("expand companies"),
            "allow_related_companies": _("allow related companies"),
            "ignore_exclusion": _("ignore exclusion"),
        }
        return [names[key] for key, value in self.as_dict().items() if value]


def clean_filters(filters: Mapping[str, Mapping[str, str]]) -> Filters:
    """Resolve source and field names to their keys and drop empty expressions.

    Raises InvalidValueError naming an unknown source or field, and FilterSyntaxError
    for an expression that does not parse or does not fit its field.
    """
    sources = build_sources()
    cleaned: Filters = {}
    for source_key, fields in filters.items():
        source = find_source(source_key, sources)
        for field_key, expression in fields.items():
            if expression is None or not str(expression).strip():
                continue
            filter_field = source.field(field_key)
            text = unicodedata.normalize("NFC", str(expression))
            validate_expression(filter_field.spec, text, error_label(filter_field))
            _check_codes_exist(filter_field, text)
            cleaned.setdefault(source.key, {})[filter_field.key] = text
    return cleaned


def error_label(filter_field: FilterField) -> str:
    """Return how a filter error names a field: by its label, as describe_filters
    and the criteria form do, never by its key."""
    return inside_sentence(filter_field.label)


def _check_codes_exist(filter_field: FilterField, expression: str) -> None:
    """Reject an exact code that is not in its code table, listing the codes there."""
    if filter_field.lookup is None:
        return
    node = validate_expression(filter_field.spec, expression, error_label(filter_field))
    primary_key = filter_field.lookup._meta.primary_key
    codes = set(_exact_codes(node))
    if not codes:
        return
    found = {
        row[0]
        for row in filter_field.lookup.select(primary_key)
        .where(primary_key.in_(sorted(codes)))
        .tuples()
    }
    unknown = sorted(codes - found)
    if unknown:
        existing = [
            row[0]
            for row in filter_field.lookup.select(primary_key)
            .order_by(primary_key)
            .limit(30)
            .tuples()
        ]
        listing = ", ".join(existing) if existing else _("none")
        raise InvalidValueError(
            _("Unknown {field} {code}; the codes are: {codes}.").format(
                field=filter_field.label, code=quote_typed(unknown[0]), codes=listing
            )
        )


def _exact_codes(node: Node) -> Iterable[str]:
    if isinstance(node, (AnyOf, AllOf)):
        for item in node.items:
            yield from _exact_codes(item)
    elif (
        isinstance(node, Comparison)
        and node.operator == "="
        and node.value.text
        and not node.case_insensitive
    ):
        yield node.value.text.upper()


def matching_condition(filters: Filters) -> Any:
    """Return the condition on Contact that the filters select, or None for no filters."""
    sources = build_sources()
    conditions = []
    for source_key, fields in filters.items():
        source = sources[source_key]
        compiled = _compiled(source, fields)
        if source.key == "contact":
            conditions.extend(compiled)
            continue
        exists = EXISTS_FIELD not in fields or matches(
            True, BOOLEAN, fields[EXISTS_FIELD]
        )
        if not compiled and EXISTS_FIELD not in fields:
            continue
        subquery = _source_subquery(source, compiled)
        target = Contact.company if source.via_company else Contact.no
        if exists:
            conditions.append(target.in_(subquery))
        elif source.via_company:
            # An independent person has no company, so it has none of its rows either.
            conditions.append(target.is_null() | target.not_in(subquery))
        else:
            conditions.append(target.not_in(subquery))
    if not conditions:
        return None
    return all_of(conditions)


def _source_subquery(source: Source, compiled: list[Any]) -> Select:
    """Select the contact numbers of the source's rows that match every condition."""
    if isinstance(source.table, type):
        query = source.table.select(source.contact_column)
        for table, on in source.joins:
            query = query.join_from(source.table, table, on=on)
    else:
        query = Select(from_list=[source.table], columns=[source.contact_column])
    for condition in compiled:
        query = query.where(condition)
    return query


def _own_rows_subquery(filters: Filters) -> Select | None:
    """Return the one source's subquery when it is all the filters select by.

    Filters on one source of the contacts' own rows (a mailing group, say) select
    exactly the contact numbers of the matching rows, so Reduce and Refine can
    test a line against those rows without reading the contact table.
    """
    if len(filters) != 1:
        return None
    ((source_key, fields),) = filters.items()
    source = build_sources()[source_key]
    if source.key == "contact" or source.via_company:
        return None
    if EXISTS_FIELD in fields and not matches(True, BOOLEAN, fields[EXISTS_FIELD]):
        return None
    compiled = _compiled(source, fields)
    if not compiled and EXISTS_FIELD not in fields:
        return None
    return _source_subquery(source, compiled)


def _compiled(source: Source, fields: Mapping[str, str]) -> list[Any]:
    """Return the conditions of a source's fields, leaving out its exists switch."""
    conditions = []
    for key, expression in fields.items():
        if key == EXISTS_FIELD:
            continue
        filter_field = source.field(key)
        conditions.append(
            compile_expression(
                filter_field.column,
                filter_field.spec,
                expression,
                error_label(filter_field),
            )
        )
    return conditions


def contacts_matching(filters: Filters, entire_companies: bool = False) -> Select:
    """Select the contacts that match, for Reduce and Refine.

    With ``entire_companies`` a matching contact brings every contact of its
    company: the company itself and all its persons.
    """
    matched = _own_rows_subquery(filters)
    if matched is None:
        matching = matching_condition(filters)
        matched = Contact.select(Contact.no)
        if matching is not None:
            matched = matched.where(matching)
    if not entire_companies:
        return matched
    alias = Contact.alias("matched")
    companies = alias.select(alias.company).where(
        alias.no.in_(matched) & alias.company.is_null(False)
    )
    return Contact.select(Contact.no).where(
        Contact.no.in_(matched) | Contact.company.in_(companies)
    )


@dataclass
class Selection:
    """The contacts an Add Contacts action would insert, as a query of contact numbers."""

    filters: Filters
    options: AddOptions
    segment_no: str | None = None
    extra: list[Any] = field(default_factory=list)

    def condition(self) -> Any:
        matching = matching_condition(self.filters)
        if self.options.expand_companies or self.options.allow_related_companies:
            matched = Contact.select(Contact.no)
            if matching is not None:
                matched = matched.where(matching)
            alias = Contact.alias("matched")
            companies = alias.select(alias.company).where(
                alias.no.in_(matched) & alias.company.is_null(False)
            )
            if self.options.expand_companies:
                # A matching person or company brings its company and all its persons.
                selected = Contact.no.in_(matched) | Contact.company.in_(companies)
            else:
                # A matching person brings its company, and nobody else.
                persons = companies.where(alias.type == ContactType.PERSON)
                selected = Contact.no.in_(matched) | Contact.no.in_(persons)
        else:
            selected = matching

        conditions = [Contact.privacy_blocked == False]  # noqa: E712
        if selected is not None:
            conditions.append(selected)
        if not self.options.ignore_exclusion:
            conditions.append(Contact.exclude_from_segment == False)  # noqa: E712
        if self.segment_no is not None and not self.options.allow_existing:
            on_segment = SegmentLine.select(SegmentLine.contact).where(
                SegmentLine.segment == self.segment_no
            )
            conditions.append(Contact.no.not_in(on_segment))
        conditions.extend(self.extra)

        result = conditions[0]
        for condition in conditions[1:]:
            result = result & condition
        return result

    def query(self, *columns: Any) -> Select:
        return Contact.select(*(columns or (Contact.no,))).where(self.condition())

    def count(self) -> int:
        return self.query().count()


def describe_filters(filters: Filters) -> str:
    """Render filters as ``country=DE|AT; mailing group=NEWS``.

    Fields are named by their labels in the user interface language, as the
    filter forms name them: ``Ort=Berlin`` in German.
    """
    sources = build_sources()
    parts = []
    for source_key, fields in filters.items():
        source = sources[source_key]
        own_fields = [f for f in source.fields if f.key != EXISTS_FIELD]
        for key, expression in fields.items():
            named = field_label(source, key)
            if source.key == "contact":
                label = named
            elif key == EXISTS_FIELD:
                label = _("has {source}").format(source=inside_sentence(source.label))
            elif len(own_fields) == 1:
                label = inside_sentence(source.label)
            else:
                label = f"{inside_sentence(source.label)} {named}"
            parts.append(f"{label}={expression}")
    return "; ".join(parts)


def field_label(source: Source, key: str) -> str:
    """Return a field's label as it reads inside a sentence, or ``key`` if the
    source has no such field (saved criteria may name one a later version lacks)."""
    try:
        return inside_sentence(source.field(key).label)
    except InvalidValueError:
        return key


def describe_action(action: str, filters: Filters, options: Mapping[str, Any]) -> str:
    """Render an action as one readable line, for example for the criteria list.

    ``Add Contacts  country=DE|AT; mailing group=NEWS  [expand companies]``
    """
    names: dict[str, Callable[[], str]] = {
        "add": lambda: _("Add Contacts"),
        "reduce": lambda: _("Reduce Contacts"),
        "refine": lambda: _("Refine Contacts"),
        "insert_line": lambda: _("Insert Line"),
        "delete_line": lambda: _("Delete Line"),
        "reuse_logged": lambda: _("Reuse Logged Segment"),
    }
    parts = [names.get(action, lambda: action)()]
    if action == "insert_line":
        parts.append(_("contact {no}").format(no=options.get("contact_no", "")))
    elif action == "delete_line":
        contacts = [
            str(line.get("contact_no", "")) for line in options.get("lines", [])
        ]
        parts.append(_("contacts {nos}").format(nos=", ".join(contacts)))
    elif action == "reuse_logged":
        parts.append(
            _("logged segment {no}").format(no=options.get("logged_segment", ""))
        )
        if options.get("non_responders_since"):
            parts.append(
                _("[non-responders since {date}]").format(
                    date=options["non_responders_since"]
                )
            )
    described = describe_filters(filters)
    if described:
        parts.append(described)

    labels = AddOptions.from_dict(options).labels()
    if options.get("entire_companies"):
        labels.append(_("entire companies"))
    if labels:
        parts.append("[" + ", ".join(labels) + "]")
    return "  ".join(parts)


# Keys of ``--filter KEY=EXPR`` that filter a classification's code: (source, field).
CLASSIFICATION_KEYS = {
    "mailing_group": ("mailing_group", "code"),
    "industry_group": ("industry_group", "code"),
    "business_relation": ("business_relation", "code"),
    "job_responsibility": ("job_responsibility", "code"),
    "campaign": ("campaign", "no"),
}


def filters_from_pairs(pairs: Iterable[str]) -> Filters:
    """Turn ``KEY=EXPR`` strings into filters.

    KEY is a contact field (``country=DE|AT``); a classification (``mailing-group``,
    ``industry-group``, ``business-relation``, ``job-responsibility``, ``campaign``)
    whose code is filtered; ``profile`` with ``QUESTIONNAIRE:ANSWER``;
    ``SOURCE.FIELD`` for any field of a source, such as ``interaction.date`` or
    ``campaign.response``; or ``has-SOURCE`` with yes or no, such as
    ``has-mailing-group=no`` for contacts without any mailing group. The same key
    twice joins both expressions with ``&``.
    """
    sources = build_sources()
    filters: Filters = {}
    for pair in pairs:
        key, separator, expression = pair.partition("=")
        if not separator or not key.strip():
            raise InvalidValueError(
                _(
                    "Filter {pair!r} is not KEY=EXPRESSION, for example country=DE|AT."
                ).format(pair=pair)
            )
        for source_key, field_key, part in _resolve_filter_key(
            key, expression, sources
        ):
            fields = filters.setdefault(source_key, {})
            if field_key in fields:
                fields[field_key] = f"({fields[field_key]})&({part})"
            else:
                fields[field_key] = part
    return filters


def _resolve_filter_key(
    key: str, expression: str, sources: Mapping[str, Source]
) -> list[tuple[str, str, str]]:
    normalized = normalize_key(key)
    if normalized in CLASSIFICATION_KEYS:
        source_key, field_key = CLASSIFICATION_KEYS[normalized]
        return [(source_key, field_key, expression)]
    if normalized == "profile":
        questionnaire, colon, answer = expression.partition(":")
        if not colon:
            raise InvalidValueError(
                _("Filter profile={value!r} needs QUESTIONNAIRE:ANSWER.").format(
                    value=expression
                )
            )
        # Both parts go into one source, so one answer row must match both.
        return [
            ("profile", "questionnaire", questionnaire),
            ("profile", "answer", answer),
        ]
    if normalized.startswith("has_"):
        source = find_source(normalized[len("has_") :], sources)
        return [(source.key, EXISTS_FIELD, expression)]
    if "." in normalized:
        source_key, field_key = normalized.split(".", 1)
        source = find_source(source_key, sources)
        return [(source.key, source.field(field_key).key, expression)]
    try:
        field_key = sources["contact"].field(normalized).key
    except InvalidValueError:
        known = ", ".join(
            [f.key for f in sources["contact"].fields]
            + [k.replace("_", "-") for k in CLASSIFICATION_KEYS]
            + ["profile", "has-SOURCE", "SOURCE.FIELD"]
        )
        raise InvalidValueError(
            _("Unknown filter key {key!r}; the keys are: {known}.").format(
                key=key, known=known
            )
        ) from None
    return [("contact", field_key, expression)]
