"""Campaigns that interactions and segments can be counted towards."""

from __future__ import annotations

from peewee import CharField, DateField, ForeignKeyField

from segtui.models.base import BaseModel
from segtui.models.setup import Salesperson


class Campaign(BaseModel):
    no = CharField(primary_key=True, max_length=20)
    description = CharField(max_length=100, default="")
    starting_date = DateField(null=True)
    ending_date = DateField(null=True)
    salesperson = ForeignKeyField(
        Salesperson, column_name="salesperson_code", null=True, on_delete="RESTRICT"
    )
    status = CharField(max_length=20, default="")
