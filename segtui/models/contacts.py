"""Contacts: companies and the persons who work for them, and independent persons."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
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
        indexes = (
            (("name", "no"), False),
            (("city", "no"), False),
            (("post_code", "no"), False),
            (("country_code", "no"), False),
            (("email",), False),
        )

    @property
    def is_company(self) -> bool:
        return self.type == ContactType.COMPANY
