"""Interaction templates, Word attachments, logged segments and log entries."""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from segtui.models.base import (
    BaseModel,
    CorrespondenceType,
    DeliveryStatus,
    EntryNumberField,
    InformationFlow,
    InitiatedBy,
    JSONField,
    money_field,
)
from segtui.models.campaigns import Campaign
from segtui.models.setup import Language


class InteractionGroup(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")


class Attachment(BaseModel):
    """The bytes of a Word file: a letter template, or one letter edited by hand.

    An attachment becomes read-only once an interaction log entry refers to it, so an
    entry's letter can be produced again with the same text.
    """

    id = EntryNumberField()
    file_name = CharField(max_length=250)
    content = BlobField()
    read_only = BooleanField(default=False)
    created_at = DateTimeField(null=True)
    created_by = CharField(max_length=100, default="")


class InteractionTemplate(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    group = ForeignKeyField(
        InteractionGroup, column_name="interaction_group_code", on_delete="RESTRICT"
    )
    description = CharField(max_length=100, default="")
    correspondence_type = CharField(max_length=10, default=CorrespondenceType.BLANK)
    ignore_contact_corresp_type = BooleanField(default=False)
    unit_cost = money_field()
    # Minutes.
    unit_duration = money_field()
    information_flow = CharField(max_length=10, default=InformationFlow.OUTBOUND)
    initiated_by = CharField(max_length=10, default=InitiatedBy.US)
    # The language a line gets when the template has no attachment in the contact's.
    language = ForeignKeyField(
        Language, column_name="language_code_default", null=True, on_delete="RESTRICT"
    )
    campaign = ForeignKeyField(
        Campaign, column_name="campaign_no", null=True, on_delete="RESTRICT"
    )
    campaign_target = BooleanField(default=False)
    campaign_response = BooleanField(default=False)


class InteractionTemplateLanguage(BaseModel):
    """A template's Word attachment and subject in one language.

    ``field_map`` maps a merge field name found in the attachment that matches no
    merge field of segtui's to the segtui merge field it stands for.
    """

    template = ForeignKeyField(
        InteractionTemplate,
        column_name="interaction_template_code",
        backref="languages",
        on_delete="CASCADE",
        index=False,
    )
    language = ForeignKeyField(
        Language, column_name="language_code", on_delete="RESTRICT"
    )
    description = CharField(max_length=100, default="")
    subject = CharField(max_length=250, default="")
    attachment = ForeignKeyField(Attachment, null=True, on_delete="RESTRICT")
    field_map = JSONField(default=dict)

    class Meta:
        indexes = ((("template", "language"), True),)


class LoggedSegment(BaseModel):
    """The record of one logging run."""

    entry_no = EntryNumberField()
    segment_no = CharField(max_length=20)
    description = CharField(max_length=100, default="")
    created_at = DateTimeField()
    user_id = CharField(max_length=100, default="")
    canceled = BooleanField(default=False)


class InteractionLogEntry(BaseModel):
    """The permanent record of one interaction with one contact.

    The contact is kept by number, name and company as they were when the entry was
    made, without a foreign key, so the entry outlives the contact. The letter is the
    read-only ``attachment`` merged with ``merge_values``; ``letter`` is set only when
    the letter was edited by hand for this contact.
    """

    entry_no = EntryNumberField()
    contact_no = CharField(max_length=20, index=True)
    contact_name = CharField(max_length=100, default="")
    contact_company_no = CharField(max_length=20, default="")
    contact_company_name = CharField(max_length=100, default="")
    date = DateField()
    created_at = DateTimeField()
    description = CharField(max_length=100, default="")
    subject = CharField(max_length=250, default="")
    template_code = CharField(max_length=20, default="", index=True)
    group_code = CharField(max_length=20, default="")
    language_code = CharField(max_length=10, default="")
    correspondence_type = CharField(max_length=10, default=CorrespondenceType.BLANK)
    information_flow = CharField(max_length=10, default=InformationFlow.BLANK)
    initiated_by = CharField(max_length=10, default=InitiatedBy.BLANK)
    unit_cost = money_field()
    unit_duration = money_field()
    salesperson_code = CharField(max_length=20, default="")
    campaign_no = CharField(max_length=20, default="")
    campaign_target = BooleanField(default=False)
    campaign_response = BooleanField(default=False)
    evaluation = CharField(max_length=20, default="")
    attempt_failed = BooleanField(default=False)
    segment_no = CharField(max_length=20, default="")
    logged_segment = ForeignKeyField(
        LoggedSegment,
        column_name="logged_segment_entry_no",
        null=True,
        backref="entries",
        on_delete="RESTRICT",
        index=False,
    )
    attachment = ForeignKeyField(Attachment, null=True, on_delete="RESTRICT")
    merge_values = JSONField(null=True)
    letter = BlobField(null=True)
    delivery_status = CharField(max_length=15, default=DeliveryStatus.NOT_DELIVERED)
    delivery_error = TextField(default="")
    document_path = TextField(default="")
    canceled = BooleanField(default=False)
    user_id = CharField(max_length=100, default="")
    # Added in schema version 3: whether an Email entry's message carries the merged
    # .docx as an attachment, or only its text as the body.
    send_as_attachment = BooleanField(default=True)
    # Added in schema version 14: the address an Email entry's message last went
    # to or was refused at, None before the first try. A resend mails the contact's
    # current address, which may differ from the one in merge_values. Nullable, so
    # inserts that name no value for it need no default in the database.
    email_sent_to = CharField(max_length=100, null=True)

    class Meta:
        indexes = (
            (("logged_segment", "entry_no"), False),
            # Added in schema version 4 for the interaction log, which lists entries
            # newest first by date and then number.
            (("date", "entry_no"), False),
        )
