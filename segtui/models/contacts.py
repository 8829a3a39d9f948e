"""Contacts: companies and the persons who work for them, and independent persons."""

from __future__ import annotations

from typing import Any

from peewee import (
    BooleanField,
    CharField,
    ColumnBase,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from segtui.models.base import BaseModel, ContactType, CorrespondenceType
from segtui.models.setup import Language, Salesperson, Salutation, Territory


class Contact(BaseModel):
    """A company or a person.

    A person's ``company`` is the company it works for, or NULL for an independent
    person. A company's ``company`` is the company itself, so "the contact's company"
    is one column for both types.
    """

    no = CharField(primary_key=True, max_length=20)
    type = CharField(max_length=10, default=ContactType.PERSON)
    name = CharField(max_length=100, default="")
    first_name = CharField(max_length=50, default="")
    middle_name = CharField(max_length=50, default="")
    surname = CharField(max_length=50, default="")
    company = ForeignKeyField(
        "self",
        column_name="company_no",
        null=True,
        backref="members",
        on_delete="RESTRICT",
    )
    address = CharField(max_length=100, default="")
    address_2 = CharField(max_length=100, default="")
    post_code = CharField(max_length=20, default="")
    city = CharField(max_length=50, default="")
    county = CharField(max_length=50, default="")
    country_code = CharField(max_length=10, default="")
    phone = CharField(max_length=30, default="")
    mobile_phone = CharField(max_length=30, default="")
    email = CharField(max_length=100, default="")
    language = ForeignKeyField(
        Language, column_name="language_code", null=True, on_delete="RESTRICT"
    )
    salutation = ForeignKeyField(
        Salutation, column_name="salutation_code", null=True, on_delete="RESTRICT"
    )
    salesperson = ForeignKeyField(
        Salesperson, column_name="salesperson_code", null=True, on_delete="RESTRICT"
    )
    territory = ForeignKeyField(
        Territory, column_name="territory_code", null=True, on_delete="RESTRICT"
    )
    correspondence_type = CharField(max_length=10, default=CorrespondenceType.BLANK)
    job_title = CharField(max_length=50, default="")
    exclude_from_segment = BooleanField(default=False)
    privacy_blocked = BooleanField(default=False)
    created_at = DateTimeField(null=True)
    created_by = CharField(max_length=100, default="")
    modified_at = DateTimeField(null=True)
    modified_by = CharField(max_length=100, default="")
    version = IntegerField(default=1)

    class Meta:
        # The contact list sorts by these columns and then by number. Since schema
        # version 4 each index ends on the number, so a page is read by an index walk
        # and not by sorting the table.
        # Name and city sort by their sort keys instead, indexed below since
        # schema version 9.
        indexes = (
            (("post_code", "no"), False),
            (("country_code", "no"), False),
            (("email",), False),
        )

    @property
    def is_company(self) -> bool:
        return self.type == ContactType.COMPANY


# The sort key folds text to the base letters of DIN 5007-1, dictionary order: case
# is ignored, ä sorts as a, ß as ss, and é, ø, š and the other Latin letters with
# diacritics as their base letters. The key is plain SQL that SQLite and PostgreSQL
# evaluate to the same text, so any tool can read the indexes built on it.
#
# SQLite has no translate(), and its parser rejects an expression nested about 30
# calls deep, so only the first letter folds from the whole table below, by a flat
# lookup. The letters after it fold from the shorter table of INNER_LETTER_FOLDS,
# one nested replace() each.
# NOTE: changing either table changes the indexed expression, which then needs a
# migration that rebuilds the sort key indexes.

# ASCII capitals, and the letters of Latin-1 and Latin Extended-A and the Romanian
# letters with a comma below that fold to one base letter, in that order.
FIRST_LETTERS = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâã"
    "äåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆ"
    "ćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦ"
    "ħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇň"
    "ŉŊŋŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪ"
    "ūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſȘșȚț"
)
FIRST_LETTER_BASES = (
    "abcdefghijklmnopqrstuvwxyz"
    "aaaaaaceeeeiiiidnoooooouuuuyaaaa"
    "aaceeeeiiiidnoooooouuuuyyaaaaaac"
    "cccccccddddeeeeeeeeeegggggggghhh"
    "hiiiiiiiiiijjkkkllllllllllnnnnnn"
    "nnnoooooorrrrrrssssssssttttttuuu"
    "uuuuuuuuuwwyyyzzzzzzssstt"
)
# Letters that fold to two letters.
FIRST_LETTER_PAIRS = {
    "Æ": "ae",
    "æ": "ae",
    "Œ": "oe",
    "œ": "oe",
    "ß": "ss",
    "ẞ": "ss",
    "Þ": "th",
    "þ": "th",
    "Ĳ": "ij",
    "ĳ": "ij",
}
FIRST_LETTER_FOLDS = {
    **dict(zip(FIRST_LETTERS, FIRST_LETTER_BASES, strict=True)),
    **FIRST_LETTER_PAIRS,
}

# The letters after the first that fold, besides the ASCII capitals: the German
# ones in both cases, then common others in lower case. Each is one more nested
# replace() on SQLite, and SQLite 3.40 rejects the contact list's page query with a
# search, a filter and an anchor from 25 of them with "parser stack overflow", so
# the table stays at 20.
# NOTE: any other letter after the first keeps its code point, which sorts after z,
# so "Anna Šimek" comes after "Anna Szabo".
INNER_LETTER_FOLDS = {
    "ä": "a",
    "ö": "o",
    "ü": "u",
    "ß": "ss",
    "Ä": "a",
    "Ö": "o",
    "Ü": "u",
    "é": "e",
    "è": "e",
    "ê": "e",
    "à": "a",
    "ç": "c",
    "ñ": "n",
    "ø": "o",
    "å": "a",
    "š": "s",
    "č": "c",
    "ž": "z",
    "ó": "o",
    "ë": "e",
}


def fold_for_sorting(text: str) -> str:
    """Return the sort key of ``text``, as the SQL of ``SortKey`` computes it."""
    if not text:
        return ""
    first = FIRST_LETTER_FOLDS.get(text[0], text[0])
    rest = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text[1:])
    for letter, base in INNER_LETTER_FOLDS.items():
        rest = rest.replace(letter, base)
    return first + rest


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class SortKey(ColumnBase):
    """The dictionary sort key of a text column that is never NULL.

    The key ends in PostgreSQL's "C" collation, so both databases compare keys by
    their UTF-8 bytes. An index on the key serves a query only where the query
    writes the same expression, so build both from this class.
    """

    # segtui.domain.sql.may_be_null reads this, so a seek from an anchor row
    # compares keys without the cases for NULL.
    null = False

    def __init__(self, column: Any) -> None:
        super().__init__()
        self.column = column

    def __sql__(self, ctx: Any) -> Any:
        # peewee passes no database to __sql__, so the parameter style picks the
        # dialect: "?" on SQLite, "%s" on PostgreSQL. Each parenthesis and call
        # counts towards SQLite's parser limit, so the key has no more than needed.
        if ctx.state.param == "?":
            ctx.literal("(")
            self._first_letter(ctx, sqlite=True)
            ctx.literal(" || ")
            self._sqlite_rest(ctx)
            return ctx.literal(")")
        ctx.literal("((")
        self._first_letter(ctx, sqlite=False)
        ctx.literal(" || ")
        self._postgresql_rest(ctx)
        return ctx.literal(') COLLATE "C")')

    def _first_letter(self, ctx: Any, sqlite: bool) -> None:
        """Write a CASE that folds the first letter from FIRST_LETTER_FOLDS.

        The letter's position in the folded letters picks its base from a text of
        two characters a base, one-letter bases padded with a space that rtrim
        removes. The empty text is found at position 1 of any text, so it is tested
        first. On SQLite an ASCII letter skips the lookup.
        """
        column = self.column
        letters = _sql_text("".join(FIRST_LETTER_FOLDS))
        bases = _sql_text(
            "".join(base.ljust(2) for base in FIRST_LETTER_FOLDS.values())
        )
        find = "instr" if sqlite else "strpos"
        ctx.literal("CASE WHEN ").sql(column).literal(" = '' THEN ''")
        if sqlite:
            ctx.literal(" WHEN unicode(").sql(column).literal(
                ") < 128 THEN lower(substr("
            )
            ctx.sql(column).literal(", 1, 1))")
        ctx.literal(f" WHEN {find}({letters}, substr(").sql(column)
        ctx.literal(
            f", 1, 1)) > 0 THEN rtrim(substr({bases}, {find}({letters}, substr("
        )
        ctx.sql(column).literal(", 1, 1)) * 2 - 1, 2)) ELSE substr(").sql(column)
        ctx.literal(", 1, 1) END")

    def _sqlite_rest(self, ctx: Any) -> None:
        """Write the fold of the letters after the first, one replace() a letter.

        Text as long in characters as in bytes is ASCII, which the replace() calls
        would leave as it is, so only other text pays for them.
        """
        column = self.column
        ctx.literal("CASE WHEN length(").sql(column).literal(") = length(CAST(")
        ctx.sql(column).literal(" AS BLOB)) THEN lower(substr(").sql(column)
        ctx.literal(", 2)) ELSE " + "replace(" * len(INNER_LETTER_FOLDS))
        ctx.literal("lower(substr(").sql(column).literal(", 2))")
        for letter, base in INNER_LETTER_FOLDS.items():
            ctx.literal(f", {_sql_text(letter)}, {_sql_text(base)})")
        ctx.literal(" END")

    def _postgresql_rest(self, ctx: Any) -> None:
        """Write the fold of the letters after the first by translate().

        The ASCII capitals are in the translation, not folded by lower(), because
        PostgreSQL's lower() folds other letters too, by the database's locale.
        """
        singles = {k: v for k, v in INNER_LETTER_FOLDS.items() if len(v) == 1}
        pairs = {k: v for k, v in INNER_LETTER_FOLDS.items() if len(v) > 1}
        source = _sql_text("ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(singles))
        target = _sql_text("abcdefghijklmnopqrstuvwxyz" + "".join(singles.values()))
        ctx.literal("replace(" * len(pairs) + "translate(substr(").sql(self.column)
        ctx.literal(f", 2), {source}, {target})")
        for letter, base in pairs.items():
            ctx.literal(f", {_sql_text(letter)}, {_sql_text(base)})")


def sort_key_indexes() -> list[Any]:
    """Return the indexes of the contact list's name and city sort keys.

    Each ends on the contact number, the sort's tie-breaker, so a page of the list
    is read by an index walk and not by sorting the table.
    """
    return [
        Contact.index(SortKey(Contact.name), Contact.no, name="contact_name_sort_key"),
        Contact.index(SortKey(Contact.city), Contact.no, name="contact_city_sort_key"),
    ]


for _index in sort_key_indexes():
    Contact.add_index(_index)


def indexed_sort_key(column: Any) -> SortKey | None:
    """Return the sort key of ``column`` when an index covers it, else None.

    A filter on the column can narrow by the key first, so that the index finds
    the rows.
    """
    if column is Contact.name or column is Contact.city:
        return SortKey(column)
    return None
