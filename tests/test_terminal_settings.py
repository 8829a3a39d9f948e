"""Settings for SSH sessions and plain terminals: animation level, colours."""

from __future__ import annotations

import pytest

from segtui.ui.app import SegtuiApp, animation_level


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "full"),
        ({"SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22"}, "none"),
        ({"SSH_TTY": "/dev/pts/3"}, "none"),
        (
            {
                "SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22",
                "TEXTUAL_ANIMATIONS": "full",
            },
            "full",
        ),
        ({"SSH_CONNECTION": "x", "TEXTUAL_ANIMATIONS": "BASIC"}, "basic"),
        ({"TEXTUAL_ANIMATIONS": "none"}, "none"),
        # An unknown value is ignored as Textual ignores it.
        ({"SSH_CONNECTION": "x", "TEXTUAL_ANIMATIONS": "fast"}, "none"),
    ],
)
def test_animation_level_by_environment(
    environment: dict[str, str], expected: str
) -> None:
    assert animation_level(environment) == expected


async def test_app_animates_nothing_over_ssh(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "127.0.0.1 50000 127.0.0.1 22")
    app = SegtuiApp(user="tester")
    async with app.run_test(size=(80, 24)):
        assert app.animation_level == "none"
