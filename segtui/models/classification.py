"""What contacts are tagged with, each as a code table and a link table.

Every link table has a unique index on (contact, code) and another on (code, contact),
because criteria select contacts with ``contact_no IN (SELECT contact_no FROM link
WHERE code ...)`` and need the second index to stay fast on large tables.
"""

from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField

from segtui.models.base import BaseModel
from segtui.models.contacts import Contact


class MailingGroup(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")


class ContactMailingGroup(BaseModel):
    contact = ForeignKeyField(
        Contact,
        column_name="contact_no",
        backref="mailing_groups",
        on_delete="CASCADE",
        index=False,
    )
    mailing_group = ForeignKeyField(
        MailingGroup, column_name="mailing_group_code", on_delete="RESTRICT"
    )

    class Meta:
        indexes = (
            (("contact", "mailing_group"), True),
            (("mailing_group", "contact"), False),
        )


class IndustryGroup(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")


class ContactIndustryGroup(BaseModel):
    """An industry group of a company; the company's persons inherit it for criteria."""

    contact = ForeignKeyField(
        Contact,
        column_name="contact_no",
        backref="industry_groups",
        on_delete="CASCADE",
        index=False,
    )
    industry_group = ForeignKeyField(
        IndustryGroup, column_name="industry_group_code", on_delete="RESTRICT"
    )

    class Meta:
        indexes = (
            (("contact", "industry_group"), True),
            (("industry_group", "contact"), False),
        )


class BusinessRelation(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")


class ContactBusinessRelation(BaseModel):
    """A business relation of a company; its persons inherit it for criteria."""

    contact = ForeignKeyField(
        Contact,
        column_name="contact_no",
        backref="business_relations",
        on_delete="CASCADE",
        index=False,
    )
    business_relation = ForeignKeyField(
        BusinessRelation, column_name="business_relation_code", on_delete="RESTRICT"
    )

    class Meta:
        indexes = (
            (("contact", "business_relation"), True),
            (("business_relation", "contact"), False),
        )


class JobResponsibility(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")


class ContactJobResponsibility(BaseModel):
    contact = ForeignKeyField(
        Contact,
        column_name="contact_no",
        backref="job_responsibilities",
        on_delete="CASCADE",
        index=False,
    )
    job_responsibility = ForeignKeyField(
        JobResponsibility, column_name="job_responsibility_code", on_delete="RESTRICT"
    )

    class Meta:
        indexes = (
            (("contact", "job_responsibility"), True),
            (("job_responsibility", "contact"), False),
        )


class ProfileQuestionnaire(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")


class ProfileQuestion(BaseModel):
    id = AutoField()
    questionnaire = ForeignKeyField(
        ProfileQuestionnaire,
        column_name="questionnaire_code",
        backref="questions",
        on_delete="CASCADE",
        index=False,
    )
    code = CharField(max_length=20)
    description = CharField(max_length=250, default="")
    sequence = IntegerField(default=0)

    class Meta:
        indexes = ((("questionnaire", "code"), True),)


class ProfileAnswer(BaseModel):
    """One possible answer to a question, with a code unique in its questionnaire."""

    id = AutoField()
    questionnaire = ForeignKeyField(
        ProfileQuestionnaire,
        column_name="questionnaire_code",
        on_delete="CASCADE",
        index=False,
    )
    question = ForeignKeyField(ProfileQuestion, backref="answers", on_delete="CASCADE")
    code = CharField(max_length=20)
    description = CharField(max_length=250, default="")
    sequence = IntegerField(default=0)

    class Meta:
        indexes = ((("questionnaire", "code"), True),)


class ContactProfileAnswer(BaseModel):
    contact = ForeignKeyField(
        Contact,
        column_name="contact_no",
        backref="profile_answers",
        on_delete="CASCADE",
        index=False,
    )
    answer = ForeignKeyField(ProfileAnswer, on_delete="RESTRICT")

    class Meta:
        indexes = (
            (("contact", "answer"), True),
            (("answer", "contact"), False),
        )
