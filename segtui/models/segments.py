"""Segment headers, their lines, and the criteria actions that made the lines."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from segtui.models.base import (
    BaseModel,
    CorrespondenceType,
    InformationFlow,
    InitiatedBy,
    JSONField,
    money_field,
)
from segtui.models.campaigns import Campaign
from segtui.models.contacts import Contact
from segtui.models.interactions import Attachment, InteractionTemplate
from segtui.models.setup import Language, Salesperson


class SegmentHeader(BaseModel):
    """An unlogged segment; its values are the defaults of every new line."""

    no = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")
    date = DateField(null=True)
    salesperson = ForeignKeyField(
        Salesperson, column_name="salesperson_code", null=True, on_delete="RESTRICT"
    )
    interaction_template = ForeignKeyField(
        InteractionTemplate,
        column_name="interaction_template_code",
        null=True,
        on_delete="RESTRICT",
    )
    language = ForeignKeyField(
        Language, column_name="language_code", null=True, on_delete="RESTRICT"
    )
    subject = CharField(max_length=250, default="")
    correspondence_type = CharField(max_length=10, default=CorrespondenceType.BLANK)
    ignore_contact_corresp_type = BooleanField(default=False)
    unit_cost = money_field()
    unit_duration = money_field()
    information_flow = CharField(max_length=10, default=InformationFlow.BLANK)
    initiated_by = CharField(max_length=10, default=InitiatedBy.BLANK)
    campaign = ForeignKeyField(
        Campaign, column_name="campaign_no", null=True, on_delete="RESTRICT"
    )
    campaign_target = BooleanField(default=False)
    campaign_response = BooleanField(default=False)
    send_word_docs_as_attachment = BooleanField(default=True)
    created_at = DateTimeField(null=True)
    created_by = CharField(max_length=100, default="")
    modified_at = DateTimeField(null=True)
    modified_by = CharField(max_length=100, default="")
    version = IntegerField(default=1)


class SegmentLine(BaseModel):
    """One contact on a segment with the interaction values for that contact.

    A line is identified by its segment and line number and points at its contact by
    number; the contact's name and company are always read from the contact.
    ``attachment`` is set only when the line has a letter of its own; otherwise the
    line uses its template's attachment in the line's language.
    """

    id = AutoField()
    segment = ForeignKeyField(
        SegmentHeader,
        column_name="segment_no",
        backref="lines",
        on_delete="CASCADE",
        index=False,
    )
    line_no = BigIntegerField()
    contact = ForeignKeyField(Contact, column_name="contact_no", on_delete="RESTRICT")
    date = DateField(null=True)
    salesperson = ForeignKeyField(
        Salesperson, column_name="salesperson_code", null=True, on_delete="RESTRICT"
    )
    interaction_template = ForeignKeyField(
        InteractionTemplate,
        column_name="interaction_template_code",
        null=True,
        on_delete="RESTRICT",
    )
    language = ForeignKeyField(
        Language, column_name="language_code", null=True, on_delete="RESTRICT"
    )
    subject = CharField(max_length=250, default="")
    description = CharField(max_length=100, default="")
    correspondence_type = CharField(max_length=10, default=CorrespondenceType.BLANK)
    unit_cost = money_field()
    unit_duration = money_field()
    information_flow = CharField(max_length=10, default=InformationFlow.BLANK)
    initiated_by = CharField(max_length=10, default=InitiatedBy.BLANK)
    evaluation = CharField(max_length=20, default="")
    campaign = ForeignKeyField(
        Campaign, column_name="campaign_no", null=True, on_delete="RESTRICT"
    )
    campaign_target = BooleanField(default=False)
    campaign_response = BooleanField(default=False)
    attachment = ForeignKeyField(Attachment, null=True, on_delete="RESTRICT")
    personal_note = TextField(default="")
    version = IntegerField(default=1)
    # Added in schema version 2, for the message when two users edit one line.
    modified_at = DateTimeField(null=True)
    modified_by = CharField(max_length=100, default="")

    class Meta:
        indexes = (
            (("segment", "line_no"), True),
            (("segment", "contact"), False),
        )


class SegmentCriteriaAction(BaseModel):
    """One step that changed a segment's lines, in the order the user took them.

    ``filters`` is ``{source: {field: expression}}`` and ``options`` the action's
    switches, both as JSON. ``active`` is false for an action undone by Go Back and not
    yet redone by Go Forward.
    """

    id = AutoField()
    segment = ForeignKeyField(
        SegmentHeader,
        column_name="segment_no",
        backref="actions",
        on_delete="CASCADE",
        index=False,
    )
    sequence = IntegerField()
    action = CharField(max_length=30)
    filters = JSONField(default=dict)
    options = JSONField(default=dict)
    active = BooleanField(default=True)
    lines_inserted = IntegerField(default=0)
    lines_deleted = IntegerField(default=0)
    created_at = DateTimeField(null=True)
    created_by = CharField(max_length=100, default="")
    # The line numbers the action inserted, first and last. Go Back snapshots these
    # lines when it removes them, so inserting costs no history rows.
    first_line_no = BigIntegerField(null=True)
    last_line_no = BigIntegerField(null=True)

    class Meta:
        indexes = ((("segment", "sequence"), True),)


class SegmentHistory(BaseModel):
    """A line that one criteria action deleted, or that Go Back removed, stored whole.

    Go Back and Go Forward restore lines from these rows, per-line edits included.
    Rows of change "inserted" are written when Go Back removes an action's inserted
    lines, and read when Go Forward puts them back. The columns from ``line_no`` on
    are the line's own columns under the same names and types, so recording and
    restoring lines is a plain column copy in one INSERT ... SELECT. They carry no
    foreign keys, because a history row must not keep a contact or code from being
    deleted.

    ``action`` is a foreign key for queries and joins only: the table has no
    foreign key constraint, and the trigger segment_criteria_action_delete_history,
    which migration 10 creates, deletes the rows of every deleted action. With
    foreign keys enforced, SQLite took about three times as long to delete an undone
    action's rows while the constraint existed.
    """

    # Peewee's create_tables writes no FOREIGN KEY constraint for a field made with
    # _deferred=True, as DeferredForeignKey makes its fields. The argument is
    # private to peewee 4.5, so test_migrations_match_models checks the result.
    action = ForeignKeyField(
        SegmentCriteriaAction, backref="history", index=False, _deferred=True
    )
    change = CharField(max_length=10)
    line_no = BigIntegerField()
    contact_no = CharField(max_length=20)
    date = DateField(null=True)
    salesperson_code = CharField(max_length=20, null=True)
    interaction_template_code = CharField(max_length=20, null=True)
    language_code = CharField(max_length=10, null=True)
    subject = CharField(max_length=250, default="")
    description = CharField(max_length=100, default="")
    correspondence_type = CharField(max_length=10, default=CorrespondenceType.BLANK)
    unit_cost = money_field()
    unit_duration = money_field()
    information_flow = CharField(max_length=10, default=InformationFlow.BLANK)
    initiated_by = CharField(max_length=10, default=InitiatedBy.BLANK)
    evaluation = CharField(max_length=20, default="")
    campaign_no = CharField(max_length=20, null=True)
    campaign_target = BooleanField(default=False)
    campaign_response = BooleanField(default=False)
    attachment_id = IntegerField(null=True)
    personal_note = TextField(default="")
    version = IntegerField(default=1)
    modified_at = DateTimeField(null=True)
    modified_by = CharField(max_length=100, default="")

    class Meta:
        primary_key = CompositeKey("action", "change", "line_no")
        # The primary key is then the table's only B-tree, so recording a line
        # writes one entry, not a row and an index entry. Only SQLite supports
        # WITHOUT ROWID, so migration 7 writes it on SQLite alone. create_tables
        # would write it for PostgreSQL too, but segtui calls it only in a test
        # that builds SQLite tables to compare with the migrations.
        without_rowid = True


class SavedCriteria(BaseModel):
    code = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")
    created_at = DateTimeField(null=True)
    created_by = CharField(max_length=100, default="")


class SavedCriteriaAction(BaseModel):
    id = AutoField()
    saved_criteria = ForeignKeyField(
        SavedCriteria,
        column_name="saved_criteria_code",
        backref="actions",
        on_delete="CASCADE",
        index=False,
    )
    sequence = IntegerField()
    action = CharField(max_length=30)
    filters = JSONField(default=dict)
    options = JSONField(default=dict)

    class Meta:
        indexes = ((("saved_criteria", "sequence"), True),)
