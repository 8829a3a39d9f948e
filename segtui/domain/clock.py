"""The current date and time, in one place so tests and demos can fix them.

``SEGTUI_TODAY`` (an ISO date) fixes the date and ``SEGTUI_NOW`` (an ISO date and
time) fixes both; screenshots and snapshot tests use them to stay stable.
"""

from __future__ import annotations

import os
from datetime import date, datetime


def now() -> datetime:
    fixed = os.environ.get("SEGTUI_NOW")
    if fixed:
        return datetime.fromisoformat(fixed)
    fixed_date = os.environ.get("SEGTUI_TODAY")
    if fixed_date:
        return datetime.combine(date.fromisoformat(fixed_date), datetime.now().time())
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()
