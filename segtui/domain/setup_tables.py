"""Setup tables: salespeople, languages, salutations and interaction groups.

Each table is described once, with its fields and where its codes are used, so the
command line and the TUI list, create, change and delete records the same way.
Changing setup needs the admin role. A record whose code is still used elsewhere
cannot be deleted, and the message names what uses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import Field, Model, fn

from segtui.db import write_transaction
from segtui.domain.errors import InvalidValueError, NotFoundError
from segtui.domain.text import clean_line
from segtui.domain.users import Permission, require
from segtui.i18n import _, format_count, npgettext
from segtui.models import (
    Campaign,
    Contact,
    InteractionGroup,
    InteractionTemplate,
    InteractionTemplateLanguage,
    Language,
    Salesperson,
    Salutation,
    SalutationFormula,
    SalutationKind,
    SegmentHeader,
    SegmentLine,
    UserSetup,
)

# Codes are short upper-case strings without spaces, as in Business Central.
CODE_PATTERN = re.compile(r"^[^\s]+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The max characters of a code that an error message quotes.
QUOTED_CODE_MAX = 40


@dataclass(frozen=True)
class SetupField:
    """One field of a setup record as a form shows it and a command sets it.

    ``kind`` is ``code`` (the primary key), ``text``, ``email``, ``locale``,
    ``lookup`` (a code of the setup table named by ``lookup``), ``choice`` (one of
    ``choices``), ``bool`` or ``amount``.
    """

    name: str
    label: Callable[[], str]
    kind: str = "text"
    max_length: int = 100
    required: bool = False
    lookup: str = ""
    choices: tuple[tuple[str, Callable[[], str]], ...] = ()


@dataclass(frozen=True)
class Usage:
    """A foreign key that uses a setup record's code, for the delete check."""

    field: Field
    # Counted phrase with a {count} placeholder, such as used_by_contacts.
    label: Callable[[int], str]
    # How to name the records that use the code, such as a contact's number.
    name_field: Field | None = None


@dataclass(frozen=True)
class SetupTable:
    key: str
    model: type[Model]
    title: Callable[[], str]
    singular: Callable[[], str]
    fields: tuple[SetupField, ...]
    usages: tuple[Usage, ...] = field(default=())

    def field(self, name: str) -> SetupField:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise InvalidValueError(
            _("{table} has no field {field!r}; the fields are: {known}.").format(
                table=self.singular(),
                field=name,
                known=", ".join(f.name for f in self.fields if f.kind != "code"),
            )
        )


# Counted phrases for "is used by {uses}". They have their own context because
# German needs the dative there, such as "von 2 Segmenten".


def used_by_contacts(count: int) -> str:
    return npgettext("used by", "{count} contact", "{count} contacts", count)


def used_by_segments(count: int) -> str:
    return npgettext("used by", "{count} segment", "{count} segments", count)


def used_by_segment_lines(count: int) -> str:
    return npgettext("used by", "{count} segment line", "{count} segment lines", count)


def used_by_campaigns(count: int) -> str:
    return npgettext("used by", "{count} campaign", "{count} campaigns", count)


def used_by_users(count: int) -> str:
    return npgettext("used by", "{count} user", "{count} users", count)


def used_by_templates(count: int) -> str:
    return npgettext(
        "used by",
        "{count} interaction template",
        "{count} interaction templates",
        count,
    )


def used_by_template_languages(count: int) -> str:
    return npgettext(
        "used by", "{count} template language", "{count} template languages", count
    )


def used_by_log_entries(count: int) -> str:
    return npgettext(
        "used by",
        "{count} interaction log entry",
        "{count} interaction log entries",
        count,
    )


def join_with_and(items: list[str]) -> str:
    """Join ``items`` as a list in a sentence: "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _code_field(max_length: int) -> SetupField:
    return SetupField(
        "code", lambda: _("Code"), "code", max_length=max_length, required=True
    )


TABLES: dict[str, SetupTable] = {
    "salesperson": SetupTable(
        key="salesperson",
        model=Salesperson,
        title=lambda: _("Salespeople"),
        singular=lambda: _("Salesperson"),
        fields=(
            _code_field(20),
            SetupField("name", lambda: _("Name"), required=True),
            SetupField("job_title", lambda: _("Job title")),
            SetupField("phone", lambda: _("Phone"), max_length=30),
            SetupField("email", lambda: _("Email"), "email"),
        ),
        usages=(
            Usage(Contact.salesperson, used_by_contacts, Contact.no),
            Usage(SegmentHeader.salesperson, used_by_segments, SegmentHeader.no),
            Usage(SegmentLine.salesperson, used_by_segment_lines),
            Usage(Campaign.salesperson, used_by_campaigns, Campaign.no),
            Usage(UserSetup.salesperson, used_by_users, UserSetup.user_id),
        ),
    ),
    "language": SetupTable(
        key="language",
        model=Language,
        title=lambda: _("Languages"),
        singular=lambda: _("Language"),
        fields=(
            _code_field(10),
            SetupField("name", lambda: _("Name"), max_length=50, required=True),
            SetupField(
                "locale", lambda: _("Locale"), "locale", max_length=20, required=True
            ),
        ),
        usages=(
            Usage(Contact.language, used_by_contacts, Contact.no),
            Usage(
                InteractionTemplate.language,
                used_by_templates,
                InteractionTemplate.code,
            ),
            Usage(
                InteractionTemplateLanguage.language,
                used_by_template_languages,
                InteractionTemplateLanguage.template,
            ),
            Usage(SegmentHeader.language, used_by_segments, SegmentHeader.no),
            Usage(SegmentLine.language, used_by_segment_lines),
        ),
    ),
    "salutation": SetupTable(
        key="salutation",
        model=Salutation,
        title=lambda: _("Salutations"),
        singular=lambda: _("Salutation"),
        fields=(
            _code_field(10),
            SetupField("description", lambda: _("Description")),
        ),
        usages=(Usage(Contact.salutation, used_by_contacts, Contact.no),),
    ),
    "interaction-group": SetupTable(
        key="interaction-group",
        model=InteractionGroup,
        title=lambda: _("Interaction groups"),
        singular=lambda: _("Interaction group"),
        fields=(
            _code_field(20),
            SetupField("description", lambda: _("Description")),
        ),
        usages=(
            Usage(
                InteractionTemplate.group,
                used_by_templates,
                InteractionTemplate.code,
            ),
        ),
    ),
}


def setup_table(key: str) -> SetupTable:
    table = TABLES.get(key)
    if table is None:
        raise InvalidValueError(
            _("{key!r} is not a setup table; use one of: {known}.").format(
                key=key, known=", ".join(TABLES)
            )
        )
    return table


# Checking values.


def check_code_length(code: str, label: str, max_length: int) -> None:
    """Raise InvalidValueError if ``code`` is longer than ``max_length`` characters.

    Setup tables, templates, code tables, campaigns, questionnaires and saved
    criteria check their codes with this, so the message reads the same for each.
    Contact numbers are checked as contact fields, with the message for any field.
    """
    if len(code) <= max_length:
        return
    # A code pasted by mistake can be long, so the message quotes only its start.
    quoted = code if len(code) <= QUOTED_CODE_MAX else code[: QUOTED_CODE_MAX - 1] + "~"
    raise InvalidValueError(
        _(
            "{field} {value!r} has {count} characters, but the maximum is {max}. "
            "Type a shorter code."
        ).format(
            field=label,
            value=quoted,
            count=format_count(len(code)),
            max=format_count(max_length),
        )
    )


def check_code(value: object, label: str, max_length: int) -> str:
    code = clean_line(value).upper()
    if not code:
        raise InvalidValueError(
            _("{field} is empty; type a code such as JD.").format(field=label)
        )
    if not CODE_PATTERN.match(code):
        raise InvalidValueError(
            _("{field} {value!r} contains spaces; type a code without them.").format(
                field=label, value=code
            )
        )
    check_code_length(code, label, max_length)
    return code


def check_field_value(spec: SetupField, value: Any) -> Any:
    """Return a field value as stored, or raise InvalidValueError naming the field."""
    label = spec.label()
    if spec.kind == "bool":
        return check_bool(label, value)
    if spec.kind == "amount":
        from segtui.domain.segmentation import check_amount

        return check_amount(label, value)
    if spec.kind == "code":
        return check_code(value, label, spec.max_length)
    if spec.kind == "lookup":
        return check_lookup(spec, value)
    if spec.kind == "choice":
        text = clean_line(value).lower()
        if text == "blank":
            text = ""
        allowed = [choice for choice, _label in spec.choices]
        if text not in allowed:
            raise InvalidValueError(
                _("{field} {value!r} is not one of: {known}.").format(
                    field=label,
                    value=value,
                    known=", ".join(choice or "blank" for choice in allowed),
                )
            )
        return text
    text = clean_line(value)
    if spec.required and not text:
        raise InvalidValueError(
            _("{field} is empty; it is required.").format(field=label)
        )
    if len(text) > spec.max_length:
        raise InvalidValueError(
            _("{field} has {count} characters; the maximum is {max}.").format(
                field=label,
                count=format_count(len(text)),
                max=format_count(spec.max_length),
            )
        )
    if spec.kind == "email" and text and not EMAIL_PATTERN.match(text):
        raise InvalidValueError(
            _(
                "{field} {value!r} is not an email address; write it as name@example.com."
            ).format(field=label, value=text)
        )
    if spec.kind == "locale":
        return check_locale(label, text)
    return text


def check_bool(label: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_line(value).lower()
    if text in ("1", "yes", "true", "y", "ja", "on"):
        return True
    if text in ("0", "no", "false", "n", "nein", "off", ""):
        return False
    raise InvalidValueError(
        _("{field} {value!r} is not yes or no.").format(field=label, value=value)
    )


def check_locale(label: str, text: str) -> str:
    """Return a Babel locale identifier such as de_DE, or raise naming the value."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(text.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InvalidValueError(
            _(
                "{field} {value!r} is not a known locale; write one such as de_DE or en_GB."
            ).format(field=label, value=text)
        ) from None


def check_lookup(spec: SetupField, value: Any) -> str | None:
    code = clean_line(value).upper()
    if not code:
        if spec.required:
            raise InvalidValueError(
                _("{field} is empty; it is required.").format(field=spec.label())
            )
        return None
    model = LOOKUP_MODELS[spec.lookup]
    key = model._meta.primary_key
    if model.get_or_none(key == code) is None:
        known = [row[0] for row in model.select(key).order_by(key).tuples()]
        raise NotFoundError(
            _("{field} {value!r} does not exist; use one of: {known}.").format(
                field=spec.label(), value=code, known=", ".join(known) or _("none")
            )
        )
    return code


LOOKUP_MODELS: dict[str, type[Model]] = {
    "salesperson": Salesperson,
    "language": Language,
    "salutation": Salutation,
    "interaction-group": InteractionGroup,
    "campaign": Campaign,
}


# Reading.


def list_records(key: str) -> list[dict[str, Any]]:
    """Return every record of a setup table as field name → value, by code."""
    table = setup_table(key)
    model = table.model
    primary = model._meta.primary_key
    return [record_values(table, row) for row in model.select().order_by(primary)]


def record_values(table: SetupTable, row: Model) -> dict[str, Any]:
    values = {}
    for spec in table.fields:
        name = spec.name
        attribute = table.model._meta.primary_key.name if spec.kind == "code" else name
        values[name] = row.__data__.get(attribute)
        if isinstance(values[name], Decimal):
            values[name] = values[name].quantize(Decimal("0.01"))
    return values


def get_record(key: str, code: str) -> dict[str, Any]:
    table = setup_table(key)
    return record_values(table, find_record(table, code))


def find_record(table: SetupTable, code: str) -> Model:
    """Return a record by its code, or raise NotFoundError saying how to list them."""
    model = table.model
    code = clean_line(code).upper()
    row = model.get_or_none(model._meta.primary_key == code)
    if row is None:
        raise NotFoundError(
            _("{table} {code!r} does not exist; {hint} lists them.").format(
                table=table.singular(), code=code, hint=table_list_hint(table)
            )
        )
    return row


def table_list_hint(table: SetupTable) -> str:
    if table.key == "interaction-template":
        return "`segtui template list`"
    return f"`segtui setup list {table.key}`"


# Changing.


def save_record(
    key: str,
    code: str,
    values: Mapping[str, Any],
    *,
    user: str,
    create: bool | None = None,
) -> dict[str, Any]:
    """Create or change a setup record; ``create`` True or False insists on one.

    Every value is checked before anything is written; the first invalid value
    raises InvalidValueError naming the field.
    """
    return save_table_record(setup_table(key), code, values, user=user, create=create)


def save_table_record(
    table: SetupTable,
    code: str,
    values: Mapping[str, Any],
    *,
    user: str,
    create: bool | None = None,
) -> dict[str, Any]:
    """Create or change a record of ``table``; see save_record."""
    code = check_code(code, _("Code"), table.field("code").max_length)
    checked = {
        name: check_field_value(table.field(name), value)
        for name, value in values.items()
        if name != "code"
    }
    require(user, Permission.ADMINISTRATION, _("change setup"))
    model = table.model
    primary = model._meta.primary_key
    with write_transaction():
        row = model.get_or_none(primary == code)
        if row is not None and create is True:
            raise InvalidValueError(
                _("{table} {code} already exists; change it instead.").format(
                    table=table.singular(), code=code
                )
            )
        if row is None and create is False:
            find_record(table, code)
        is_new = row is None
        if is_new:
            row = model(**{primary.name: code})
            missing = [
                spec.label()
                for spec in table.fields
                if spec.required and spec.kind != "code" and spec.name not in checked
            ]
            if missing:
                raise InvalidValueError(
                    _("{table} {code} needs: {fields}.").format(
                        table=table.singular(), code=code, fields=", ".join(missing)
                    )
                )
        for name, value in checked.items():
            setattr(row, name, value)
        row.save(force_insert=is_new)
        return record_values(table, row)


def usage_of(table: SetupTable, code: str) -> list[str]:
    """Describe what uses a code, such as ``3 contacts (CT0001, CT0002, ...)``."""
    found = []
    for usage in table.usages:
        model = usage.field.model
        condition = usage.field == code
        count = model.select(fn.COUNT(1)).where(condition).scalar() or 0
        if not count:
            continue
        text = usage.label(count).format(count=format_count(count))
        if usage.name_field is not None:
            names = [
                str(row[0])
                for row in model.select(usage.name_field)
                .where(condition)
                .order_by(usage.name_field)
                .limit(3)
                .tuples()
            ]
            more = ", ..." if count > len(names) else ""
            text += f" ({', '.join(names)}{more})"
        found.append(text)
    return found


def delete_record(key: str, code: str, *, user: str) -> None:
    """Delete a setup record that nothing uses; otherwise name what uses it."""
    table = setup_table(key)
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        row = find_record(table, code)
        code = row.__data__[table.model._meta.primary_key.name]
        used = usage_of(table, code)
        if used:
            raise InvalidValueError(
                _(
                    "{table} {code} is used by {uses}; change those first, then delete it."
                ).format(table=table.singular(), code=code, uses=join_with_and(used))
            )
        row.delete_instance()


# Salutation formulas.

SALUTATION_KINDS = (SalutationKind.FORMAL.value, SalutationKind.INFORMAL.value)


def salutation_formulas(code: str) -> dict[tuple[str, str], str]:
    """Return (language, kind) → formula of one salutation."""
    row = find_record(TABLES["salutation"], code)
    return {
        (formula.language_code, formula.kind): formula.formula
        for formula in SalutationFormula.select().where(
            SalutationFormula.salutation == row.code
        )
    }


def check_formula(text: str) -> str:
    """Return a salutation formula, or raise naming a placeholder that is unknown."""
    from segtui.domain.documents import SALUTATION_PLACEHOLDERS

    formula = clean_line(text)
    for name in re.findall(r"\{([^{}]*)\}", formula):
        if name not in SALUTATION_PLACEHOLDERS:
            raise InvalidValueError(
                _(
                    "The formula {formula!r} uses {{{name}}}, which is not a placeholder; "
                    "use {known}."
                ).format(
                    formula=formula,
                    name=name,
                    known=", ".join(f"{{{p}}}" for p in SALUTATION_PLACEHOLDERS),
                )
            )
    return formula


def set_salutation_formula(
    code: str, language: str, kind: str, text: str, *, user: str
) -> None:
    """Set the formal or informal greeting of a salutation in one language.

    An empty text removes the formula, so letters use the language's general
    greeting instead.
    """
    kind = clean_line(kind).lower()
    if kind not in SALUTATION_KINDS:
        raise InvalidValueError(
            _("{kind!r} is not formal or informal.").format(kind=kind)
        )
    formula = check_formula(text)
    language_code = check_lookup(
        SetupField("language", lambda: _("Language"), "lookup", lookup="language"),
        language,
    )
    if language_code is None:
        raise InvalidValueError(_("Name the language of the formula, such as DE."))
    require(user, Permission.ADMINISTRATION, _("change setup"))
    with write_transaction():
        salutation = find_record(TABLES["salutation"], code)
        where = (
            (SalutationFormula.salutation == salutation.code)
            & (SalutationFormula.language == language_code)
            & (SalutationFormula.kind == kind)
        )
        if not formula:
            SalutationFormula.delete().where(where).execute()
            return
        row = SalutationFormula.get_or_none(where)
        if row is None:
            SalutationFormula.create(
                salutation=salutation.code,
                language=language_code,
                kind=kind,
                formula=formula,
            )
        else:
            row.formula = formula
            row.save()


def set_salutation_formulas(
    code: str, formulas: Mapping[tuple[str, str], str], *, user: str
) -> None:
    """Set several formulas of one salutation in one transaction."""
    with write_transaction():
        for (language, kind), text in formulas.items():
            set_salutation_formula(code, language, kind, text, user=user)
