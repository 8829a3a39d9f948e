"""Filter errors quote a long typed value cut to 40 characters, with its length."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from segtui.domain.criteria import clean_filters
from segtui.domain.errors import InvalidValueError
from segtui.domain.filters import (
    FieldKind,
    FieldSpec,
    FilterSyntaxError,
    validate_expression,
)
from segtui.ui.app import SegtuiApp
from tests.builders import World
from tests.test_tui_criteria import (
    SIZE,
    TABS_TO_MAILING_GROUP,
    USER,
    new_segment,
    open_segment,
    press_times,
    wait_for_count,
)
from tests.tui_helpers import settle

TYPED_LENGTH = 300


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (FieldKind.INTEGER, "is not a whole number"),
        (FieldKind.DECIMAL, "is not a number"),
        (FieldKind.DATE, "is not a date"),
        (FieldKind.BOOLEAN, "is not yes or no"),
    ],
)
def test_long_value_quoted_cut(kind: FieldKind, reason: str) -> None:
    typed = "a" * TYPED_LENGTH
    with pytest.raises(FilterSyntaxError) as caught:
        validate_expression(FieldSpec(kind), typed, "amount")
    message = caught.value.message
    assert typed not in message
    # The whole filter, "amount=" and the value, and then the value alone.
    assert f"'amount={'a' * 32}~' (307 characters)" in message
    assert f"'{'a' * 39}~' (300 characters) {reason}" in message
    assert len(message) < 200, message


def test_short_value_quoted_whole() -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        validate_expression(FieldSpec(FieldKind.INTEGER), "abc", "version")
    message = caught.value.message
    assert "'version=abc' at position 1" in message
    assert "'abc' is not a whole number" in message
    assert "characters)" not in message


def test_long_unknown_code_quoted_cut(world: World) -> None:
    typed = "X" * TYPED_LENGTH
    with pytest.raises(InvalidValueError) as caught:
        clean_filters({"mailing_group": {"code": typed}})
    message = caught.value.message
    assert typed not in message
    assert f"'{'X' * 39}~' (300 characters); the codes are: NEWS, VIP" in message


async def test_typed_long_filter_quoted(world: World) -> None:
    """A 300-character filter typed into the form shows a short error line."""
    typed = "N" * (TYPED_LENGTH - 1) + "["
    no = new_segment(filters={})
    async with SegtuiApp(user=USER).run_test(size=SIZE) as pilot:
        await open_segment(pilot, no)
        await pilot.press("r")
        await settle(pilot)
        await press_times(pilot, "tab", TABS_TO_MAILING_GROUP)
        # Each key waits for the one before it, so most of the text is put in at
        # once and only its last characters are typed.
        field = pilot.app.focused
        assert isinstance(field, Input), field
        field.insert_text_at_cursor(typed[:-5])
        await pilot.press(*typed[-5:])
        text = await wait_for_count(pilot)
        assert text.startswith("! Mailing Group: "), text
        assert "N" * 40 not in text
        assert f"'mailing group={'N' * 25}~' (314 characters)" in text
        assert f"at position {TYPED_LENGTH}:" in text
        assert len(text) < 200, text
