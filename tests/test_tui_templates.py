"""Templates, setup and a line's letter in the TUI, driven by keys at 80x24."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static, TextArea

from segtui.domain import segment_actions, segmentation
from segtui.domain.criteria import AddOptions
from segtui.domain.line_letters import import_line_letter
from segtui.domain.templates import import_template_attachment, save_template
from segtui.models import (
    InteractionTemplate,
    InteractionTemplateLanguage,
    Role,
    Salesperson,
    SegmentLine,
    UserSetup,
)
from segtui.ui.app import SegtuiApp
from segtui.ui.screens.dialogs import ChoiceDialog, ConfirmDialog, MessageDialog
from segtui.ui.screens.letter_dialogs import LetterPreviewDialog
from segtui.ui.screens.menu import GoToDialog
from segtui.ui.screens.segment_dialogs import HeaderDialog
from segtui.ui.screens.setup_forms import SetupCardDialog
from segtui.ui.screens.setup_screens import SalespersonListScreen
from segtui.ui.screens.templates import (
    TemplateFieldsScreen,
    TemplateLanguagesScreen,
    TemplateListScreen,
)
from segtui.ui.screens.worksheet import WorksheetScreen
from tests.builders import word_file
from tests.conftest import TEST_USER
from tests.tui_helpers import settle, table_rows, type_text


def footer_keys(pilot: Pilot[Any]) -> set[str]:
    """Return the actions whose keys the current screen offers."""
    return {
        active.binding.action
        for active in pilot.app.screen.active_bindings.values()
        if active.enabled
    }


def make_admin() -> None:
    UserSetup.create(user_id=TEST_USER, role=Role.ADMIN)


async def go_to(pilot: Pilot[Any], title: str) -> None:
    """Open an area from the Go to menu by moving to its entry with the arrows."""
    await settle(pilot)
    await pilot.press("ctrl+g")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, GoToDialog)
    index = next(i for i, area in enumerate(dialog.areas) if area.title == title)
    for _step in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def test_go_to_lists_setup_areas(world) -> None:
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        titles = [area.title for area in pilot.app.screen.areas]
        for title in (
            "Interaction templates",
            "Interaction groups",
            "Salespeople",
            "Languages",
            "Salutations",
            "Email settings",
        ):
            assert title in titles, title


async def test_import_and_map_by_keys(world, tmp_path: Path) -> None:
    make_admin()
    path = tmp_path / "nl brief.docx"
    path.write_bytes(word_file(["Surname", "Achternaam"], None))
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Interaction templates")
        assert isinstance(pilot.app.screen, TemplateListScreen)
        assert [row[0] for row in table_rows(pilot, "#templates")] == ["CALL", "LETTER"]
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TemplateLanguagesScreen)
        assert pilot.app.screen.template_code == "CALL"

        await pilot.press("i")
        await settle(pilot)
        pilot.app.screen.query_one("#language", Select).value = "EN"
        await type_text(pilot, str(path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        assert "Achternaam: MATCHES NOTHING" in dialog.lines
        assert "Surname: surname" in dialog.lines
        await pilot.press("escape")
        await settle(pilot)
        rows = table_rows(pilot, "#languages")
        assert rows[0][:3] == ["EN", "nl brief.docx", "1 unmatched"]

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TemplateFieldsScreen)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChoiceDialog)
        choices = [value for value, _label in pilot.app.screen.choices]
        for _step in range(choices.index("surname")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(pilot, "#fields")[0] == ["Achternaam", "surname", "mapped"]
        await pilot.press("escape")
        await settle(pilot)
        assert table_rows(pilot, "#languages")[0][2] == "2 all OK"
    row = InteractionTemplateLanguage.get(
        (InteractionTemplateLanguage.template == "CALL")
        & (InteractionTemplateLanguage.language == "EN")
    )
    assert row.field_map == {"Achternaam": "surname"}


async def test_template_card_by_keys(world) -> None:
    make_admin()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Interaction templates")
        await pilot.press("down", "enter")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, SetupCardDialog)
        assert card.query_one("#field-group", Select).value == "LETTER"
        assert card.query_one("#field-language", Select).value == "EN"
        card.query_one("#field-description").focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "[b]Katalog[/b]")
        await pilot.press("tab", "tab", "tab", "ctrl+u")
        await type_text(pilot, "abc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = pilot.app.screen.query_one("#error", Static)
        assert "Unit cost 'abc' is not a number" in str(error.render())
        await pilot.press("ctrl+u")
        await type_text(pilot, "2.5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TemplateListScreen)
        assert table_rows(pilot, "#templates")[1][1] == "[b]Katalog[/b]"
    template = InteractionTemplate.get_by_id("LETTER")
    assert template.description == "[b]Katalog[/b]"
    assert template.unit_cost == Decimal("2.50")


async def test_escape_leaves_card_unchanged(world) -> None:
    make_admin()
    before = InteractionTemplate.get_by_id("LETTER").__data__.copy()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Interaction templates")
        await pilot.press("down", "enter")
        await settle(pilot)
        pilot.app.screen.query_one("#field-description").focus()
        await type_text(pilot, " changed")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TemplateListScreen)
    assert InteractionTemplate.get_by_id("LETTER").__data__ == before


async def test_new_salesperson_by_keys(world) -> None:
    make_admin()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Salespeople")
        assert isinstance(pilot.app.screen, SalespersonListScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SetupCardDialog)
        # Keys typed ahead after Tab land in the next field.
        await type_text(pilot, "kb")
        await pilot.press("tab")
        await type_text(pilot, "Kai Böhm")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "kai at example")
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(pilot.app.screen.query_one("#error", Static).render())
        assert "'kai at example' is not an email address" in error
        await pilot.press("ctrl+u")
        await type_text(pilot, "kai@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SalespersonListScreen)
        codes = [row[0] for row in table_rows(pilot, "#records")]
        assert "KB" in codes
    row = Salesperson.get_by_id("KB")
    assert (row.name, row.email) == ("Kai Böhm", "kai@example.com")


async def test_delete_used_salesperson_explains(world) -> None:
    make_admin()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Salespeople")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, MessageDialog)
        assert "Salesperson AH is used by" in dialog.message
    assert Salesperson.get_by_id("AH")


async def test_marketer_sees_no_setup_changes(world) -> None:
    make_admin()
    UserSetup.create(user_id="mark", role=Role.MARKETER)
    async with SegtuiApp(user="mark").run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Salespeople")
        keys = footer_keys(pilot)
        assert "new" not in keys
        assert "delete" not in keys
        assert "refresh" in keys
        await pilot.press("n", "d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SalespersonListScreen)
        await pilot.press("enter")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, SetupCardDialog)
        assert card.read_only
        assert "save" not in footer_keys(pilot)
        await pilot.press("escape")

        await go_to(pilot, "Interaction templates")
        await pilot.press("l")
        await settle(pilot)
        keys = footer_keys(pilot)
        for action in ("import_file", "add", "subject", "delete"):
            assert action not in keys, action
        assert "export_file" in keys


# A segment's header, lines and letters.


def offer_template() -> None:
    save_template(
        "OFFER",
        {"group": "LETTER", "description": "Special offer", "language": "EN"},
        user=TEST_USER,
        create=True,
    )
    for language in ("EN", "DE"):
        import_template_attachment(
            "OFFER",
            language,
            word_file(["Subject"], "ContactNo"),
            f"offer_{language}.docx",
            user=TEST_USER,
        )


async def test_header_template_change_confirmed(world) -> None:
    offer_template()
    no = segmentation.create_segment("Offer", user=TEST_USER, template_code="LETTER").no
    segment_actions.add_contacts(
        no, {"contact": {"no": "CO1P1|IND2"}}, AddOptions(), user=TEST_USER
    )
    import_line_letter(
        no, 10000, word_file(["Anrede"], None), "deutsch.docx", user=TEST_USER
    )
    own = SegmentLine.get(SegmentLine.line_no == 10000).attachment_id
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        await pilot.press("e")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, HeaderDialog)
        dialog.query_one("#interaction_template", Select).value = "OFFER"
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = pilot.app.screen
        assert isinstance(question, ConfirmDialog)
        assert "Update the 2 lines" in question.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    lines = {
        line.contact_no: line
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }
    assert {line.interaction_template_code for line in lines.values()} == {"OFFER"}
    assert lines["CO1P1"].attachment_id == own
    assert lines["CO1P1"].language_code == "DE"
    assert lines["IND2"].attachment_id is None
    assert lines["IND2"].description == "Special offer"


async def test_preview_line_letter(world) -> None:
    no = segmentation.create_segment(
        "Preview", user=TEST_USER, template_code="LETTER"
    ).no
    segment_actions.add_contacts(
        no, {"contact": {"no": "IND3"}}, AddOptions(), user=TEST_USER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, LetterPreviewDialog)
        text = dialog.query_one("#letter-text", TextArea).text
        assert "FormalSalutation: Dear Mr [bold]x," in text.splitlines()
        assert "Ref. IND3" in text.splitlines()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)


async def test_line_contact_change_by_keys(world) -> None:
    no = segmentation.create_segment(
        "Contact", user=TEST_USER, template_code="LETTER"
    ).no
    segment_actions.add_contacts(
        no, {"contact": {"no": "IND2"}}, AddOptions(), user=TEST_USER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("shift+tab", "ctrl+u")
        await type_text(pilot, "ind1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        rows = table_rows(pilot, "#lines")
        assert rows[0][0] == "IND1"
        assert rows[0][4] == "DE"
    line = SegmentLine.get(SegmentLine.segment == no)
    assert line.contact_no == "IND1"
    assert line.attachment_id is None


async def test_export_and_import_letter_by_keys(world, tmp_path: Path) -> None:
    import io

    import docx

    no = segmentation.create_segment("Own", user=TEST_USER, template_code="LETTER").no
    segment_actions.add_contacts(
        no, {"contact": {"no": "IND2"}}, AddOptions(), user=TEST_USER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(tmp_path / "out"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        exported = tmp_path / "out" / "IND2 Tom Baker.docx"
        assert exported.exists()

        document = docx.Document(io.BytesIO(exported.read_bytes()))
        document.add_paragraph("P.S. by hand")
        document.save(str(tmp_path / "edited.docx"))
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, str(tmp_path / "edited.docx"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
        await pilot.press("p")
        await settle(pilot)
        text = pilot.app.screen.query_one("#letter-text", TextArea).text
        assert "P.S. by hand" in text
    assert SegmentLine.get(SegmentLine.segment == no).attachment_id is not None


async def test_smtp_settings_by_keys(world) -> None:
    make_admin()
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Email settings")
        table = pilot.app.screen.query_one("#settings", DataTable)
        assert table.row_count == 7
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "mail.example.com")
        await pilot.press("tab")
        await type_text(pilot, "2525")
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = {row[0]: row for row in table_rows(pilot, "#settings")}
        assert rows["SMTP server"][1:] == ["mail.example.com", "database"]
        assert rows["Port"][1] == "2525"


async def test_header_template_change_declined(world) -> None:
    """Answering n changes the header alone; the lines keep their template."""
    offer_template()
    no = segmentation.create_segment("Offer", user=TEST_USER, template_code="LETTER").no
    segment_actions.add_contacts(
        no, {"contact": {"no": "CO1P1|IND2"}}, AddOptions(), user=TEST_USER
    )
    async with SegtuiApp(user=TEST_USER).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#interaction_template", Select).value = "OFFER"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorksheetScreen)
    header = segmentation.get_segment(no)
    assert header.interaction_template_code == "OFFER"
    templates = {
        line.interaction_template_code
        for line in SegmentLine.select().where(SegmentLine.segment == no)
    }
    assert templates == {"LETTER"}
