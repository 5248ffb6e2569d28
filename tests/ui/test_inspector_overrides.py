"""Per-item overrides in the inspector: shown, edited as one undoable command, refused at the field, marked."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from support import build_small_catalog, build_small_project

from designer.model import PlacedItem
from designer.ui.document import Document
from designer.ui.panels import InspectorPanel


@pytest.fixture
def document(qapp: object) -> Document:
    project = build_small_project()
    project.add_items([PlacedItem("rack-3", "rack.t", "hall-1", 11500, 5600, label="R03")])
    return Document(project, build_small_catalog(), {})


@pytest.fixture
def inspector(qtbot, document: Document) -> InspectorPanel:  # type: ignore[no-untyped-def]
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.resize(340, 800)
    panel.show()
    return panel


def type_into(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_a_ups_shows_its_rating_field_not_the_rack_fields(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["ups-a"])
    assert inspector.field_visible("rating_kw") and inspector.rating_edit.isEnabled()
    assert not inspector.field_visible("design_kw") and not inspector.field_visible("weight_kg")
    assert inspector.rating_edit.text() == "" and inspector.rating_edit.placeholderText() == "1250 (catalog)"
    assert inspector.override_note("rating_kw") == ""
    document.set_selection(["util-1"])  # a utility keeps its catalog rating
    assert not inspector.field_visible("rating_kw")
    document.set_selection(["ups-a", "rack-1"])  # mixed: neither kind of override
    assert not inspector.field_visible("rating_kw") and not inspector.field_visible("weight_kg")


def test_rating_override_is_one_command_marked_and_undoable(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                            document: Document) -> None:
    document.set_selection(["ups-a", "ups-b"])
    type_into(qtbot, inspector.rating_edit, "625 kW")
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Set rating of 2 power units"
    assert [document.project.items[i].design_kw for i in ("ups-a", "ups-b")] == [625.0, 625.0]
    assert inspector.override_note("rating_kw") == "Override on 2 of 2 (catalog 1250 kW)"
    document.set_selection(["ups-a"])
    assert inspector.rating_edit.text() == "625"
    assert inspector.override_note("rating_kw") == "Override (catalog 1250 kW)"
    assert "override" in inspector.info_labels["capacity"].text()
    assert "1,250" in inspector.info_labels["capacity"].text()
    document.undo_stack.undo()
    assert document.project.items["ups-a"].design_kw is None
    assert inspector.override_note("rating_kw") == "" and inspector.rating_edit.text() == ""
    document.undo_stack.redo()
    assert inspector.rating_edit.text() == "625"
    type_into(qtbot, inspector.rating_edit, "")  # empty: back to the catalog rating
    assert document.project.items["ups-a"].design_kw is None


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [("rating_kw", "0", "above 0 kW"), ("rating_kw", "-250", "above 0 kW"), ("rating_kw", "25000", "not one unit"),
     ("rating_kw", "lots", "not a number")],
)
def test_impossible_ratings_are_refused_at_the_field(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                     document: Document, field: str, text: str, words: str) -> None:
    document.set_selection(["ups-a"])
    state = document.project.state()
    type_into(qtbot, inspector.rating_edit, text)
    assert document.undo_stack.count() == 0 and document.project.state() == state
    assert words.casefold() in inspector.error_text(field).casefold()
    assert inspector.error_label(field).isVisible()


def test_rack_weight_override(qtbot, inspector: InspectorPanel, document: Document) -> None:  # type: ignore[no-untyped-def]
    document.set_selection(["rack-1", "rack-2"])
    assert inspector.field_visible("weight_kg") and not inspector.field_visible("rating_kw")
    assert inspector.weight_edit.placeholderText() == "catalog default"  # 1000 kg and 600 kg
    type_into(qtbot, inspector.weight_edit, "0")
    assert "above 0 kg" in inspector.error_text("weight_kg")
    type_into(qtbot, inspector.weight_edit, "12000")
    assert "not a rack" in inspector.error_text("weight_kg")
    assert document.undo_stack.count() == 0
    type_into(qtbot, inspector.weight_edit, "1400 kg")
    assert document.undo_stack.count() == 1 and document.undo_stack.text(0) == "Set weight of 2 racks"
    assert {document.project.items[i].weight_kg for i in ("rack-1", "rack-2")} == {1400.0}
    assert inspector.override_note("weight_kg") == "Override on 2 of 2 (catalog varies)"
    document.set_selection(["rack-1"])
    assert inspector.override_note("weight_kg") == "Override (catalog 1000 kg)"
    assert inspector.info_labels["weight"].text() == "1,400 kg (override; catalog 1,000 kg)"
    document.undo_stack.undo()
    assert document.project.items["rack-1"].weight_kg is None
    assert inspector.info_labels["weight"].text() == "1,000 kg"


def test_rack_design_kw_and_liquid_fraction_overrides_are_marked(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                                  document: Document) -> None:
    document.set_selection(["rack-2"])  # the small project sets its design kW to 25 (catalog 20)
    assert inspector.override_note("design_kw") == "Override (catalog 20 kW)"
    assert inspector.override_note("liquid_fraction") == ""
    document.set_selection(["rack-1"])
    assert inspector.override_note("design_kw") == ""
    type_into(qtbot, inspector.liquid_edit, "0.5")
    assert inspector.override_note("liquid_fraction") == "Override (catalog 0.8)"


def test_the_canvas_tooltip_marks_an_overridden_rating(document: Document) -> None:
    from dataclasses import replace

    from designer.ui.canvas.items import item_tooltip

    fitted = replace(document.project.items["ups-a"], design_kw=625.0)
    assert "(625 kW, override)" in item_tooltip(fitted, document.entry_for("ups-a"), "")
    assert "(1250 kW)" in item_tooltip(document.project.items["ups-b"], document.entry_for("ups-b"), "")
