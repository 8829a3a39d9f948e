"""Setup: languages, salutations, salespeople, territories, number series, users."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, TextField

from segtui.models.base import BaseModel, Role, SalutationKind


class Language(BaseModel):
    code = CharField(primary_key=True, max_length=10)
    name = CharField(max_length=50)
    # A Babel locale identifier such as ``de_DE``, used to format dates and amounts.
    locale = CharField(max_length=20)


class Salutation(BaseModel):
    code = CharField(primary_key=True, max_length=10)
    description = CharField(max_length=100, default="")


class SalutationFormula(BaseModel):
    """The greeting of one salutation in one language, formal or informal.

    ``formula`` is text with placeholders in braces, for example
    ``Sehr geehrter Herr {surname},``; see ``segtui.domain.documents`` for the names.
    """

    salutation = ForeignKeyField(
        Salutation,
        column_name="salutation_code",
        backref="formulas",
        on_delete="CASCADE",
        index=False,
    )
    language = ForeignKeyField(
        Language, column_name="language_code", on_delete="CASCADE"
    )
    kind = CharField(max_length=10, default=SalutationKind.FORMAL)
    formula = TextField(default="")

    class Meta:
        indexes = ((("salutation", "language", "kind"), True),)


class Salesperson(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    name = CharField(max_length=100)
    job_title = CharField(max_length=100, default="")
    phone = CharField(max_length=30, default="")
    email = CharField(max_length=100, default="")


class Territory(BaseModel):
    code = CharField(primary_key=True, max_length=10)
    name = CharField(max_length=100, default="")


class NumberSeries(BaseModel):
    """A series of document numbers such as ``SEG00001``, ``SEG00002``, ..."""

    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")
    starting_no = CharField(max_length=20)
    last_no_used = CharField(max_length=20, default="")


class Setting(BaseModel):
    """One setting of the whole database, such as the sender's country."""

    key = CharField(primary_key=True, max_length=50)
    value = TextField(default="")


class UserSetup(BaseModel):
    """A user of the database, known by the operating system login."""

    user_id = CharField(primary_key=True, max_length=100)
    salesperson = ForeignKeyField(
        Salesperson, column_name="salesperson_code", null=True, on_delete="SET NULL"
    )
    role = CharField(max_length=10, default=Role.VIEWER)
