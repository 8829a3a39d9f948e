"""Settings of the whole database, stored as keys and text values."""

from __future__ import annotations

from segtui.db import write_transaction
from segtui.models import Setting

# The country letters are sent from; an address in it gets no country line.
HOME_COUNTRY = "home_country_code"


def get_setting(key: str, default: str = "") -> str:
    setting = Setting.get_or_none(Setting.key == key)
    return setting.value if setting is not None else default


def set_setting(key: str, value: str) -> None:
    with write_transaction():
        # ON CONFLICT ... DO UPDATE works on SQLite and PostgreSQL alike, unlike
        # INSERT OR REPLACE, which PostgreSQL lacks.
        (
            Setting.insert(key=key, value=value)
            .on_conflict(conflict_target=[Setting.key], update={Setting.value: value})
            .execute()
        )
