"""A dialog that closes itself while another screen covers it, as when its job ends
under F1 help or the quit question."""

from __future__ import annotations

from typing import Any

from textual.app import App

from segtui.ui.screens.dialogs import ConfirmDialog, MessageDialog


class DialogApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []


async def test_covered_dialog_waits_to_close() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = MessageDialog("Job", "Running")
        app.push_screen(dialog, app.results.append)
        await pilot.pause()
        question = ConfirmDialog("Quit", "Quit?", help="Test help.")
        app.push_screen(question)
        await pilot.pause()

        dialog.dismiss("done")
        await pilot.pause()
        assert app.screen is question
        assert app.results == []

        await pilot.press("n")
        await pilot.pause()
        await pilot.pause()
        assert app.results == ["done"]
        assert dialog not in app.screen_stack
        assert question not in app.screen_stack


async def test_closed_dialog_dismiss_ignored() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = MessageDialog("Job", "Running")
        app.push_screen(dialog, app.results.append)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        other = MessageDialog("Other", "Still open")
        app.push_screen(other)
        await pilot.pause()

        dialog.dismiss("late")
        await pilot.pause()
        assert app.screen is other
        assert app.results == []
