"""Palette, inspector, problems and undo-history panels, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QDrag, QUndoStack
from PySide6.QtWidgets import QApplication
from support import build_small_catalog, build_small_project

from designer.io.catalog_io import load_catalog
from designer.io.pods_io import load_pod_templates
from designer.model import PlacedItem, Project, WorkloadClass
from designer.model.pods import PodTemplate, PodTemplateItem
from designer.ui.commands import UpdateItemsCommand
from designer.ui.document import Document
from designer.ui.panels import (
    CATALOG_MIME,
    POD_MIME,
    InspectorPanel,
    PaletteDock,
    ProblemsPanel,
    UndoHistoryPanel,
)
from designer.ui.panels.icons import entry_pixmap, pod_pixmap
from designer.ui.panels.palette import entry_ratings


def small_pods() -> dict[str, PodTemplate]:
    items = (
        PodTemplateItem("rack1", "rack.t", -300, 0),
        PodTemplateItem("rack2", "rack.t", 300, 0),
        PodTemplateItem("cdu1", "cdu", 0, 1500),
    )
    return {"pod.pair": PodTemplate("pod.pair", "Training pair", "two racks and a CDU", items, (), "test")}


def with_more_racks(project: Project) -> Project:
    project.add_items([PlacedItem("rack-3", "rack.t", "hall-1", 11500, 5600, label="R03")])
    return project


@pytest.fixture
def document(qapp: object) -> Document:
    return Document(with_more_racks(build_small_project()), build_small_catalog(), small_pods())


@pytest.fixture
def inspector(qtbot, document: Document) -> InspectorPanel:  # type: ignore[no-untyped-def]
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.resize(320, 600)
    return panel


def type_into(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replace the text as a user would, then press Enter (editingFinished)."""
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# --------------------------------------------------------------------------- palette
def test_palette_lists_every_catalog_entry_and_pod(qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog(include_user=False)
    pods = load_pod_templates(catalog, include_user=False)
    dock = PaletteDock(catalog, pods)
    qtbot.addWidget(dock)
    shown = dock.visible_ids()
    assert sorted(shown) == sorted([*catalog, *pods])
    assert len(shown) == len(set(shown))


def test_palette_groups_by_kind(qtbot) -> None:  # type: ignore[no-untyped-def]
    dock = PaletteDock(build_small_catalog(), small_pods())
    qtbot.addWidget(dock)
    tops = [dock.tree.topLevelItem(i) for i in range(dock.tree.topLevelItemCount())]
    groups = {top.text(0): top for top in tops}
    assert list(groups) == ["Racks (2)", "Power (2)", "Cooling (2)", "Floor (0)", "Pods (1)"]
    racks = groups["Racks (2)"]
    assert {racks.child(i).data(0, Qt.ItemDataRole.UserRole) for i in range(racks.childCount())} == {"rack.t", "rack.i"}


def test_palette_search_filters_by_name_id_and_role(qtbot) -> None:  # type: ignore[no-untyped-def]
    dock = PaletteDock(build_small_catalog(), small_pods())
    qtbot.addWidget(dock)
    dock.search_edit.setText("CRAH")
    assert dock.visible_ids() == ["crah"]
    dock.search_edit.setText("ups")
    assert dock.visible_ids() == ["ups"]
    dock.search_edit.setText("utility")  # role label
    assert dock.visible_ids() == ["util"]
    dock.search_edit.setText("training pair")
    assert dock.visible_ids() == ["pod.pair"]
    dock.search_edit.setText("no such thing")
    assert dock.visible_ids() == []
    dock.search_edit.clear()
    assert len(dock.visible_ids()) == 7


def test_palette_mime_data_carries_catalog_and_pod_ids(qtbot) -> None:  # type: ignore[no-untyped-def]
    dock = PaletteDock(build_small_catalog(), small_pods())
    qtbot.addWidget(dock)
    mime = dock.tree.mimeData([dock.row_for("cdu")])
    assert mime.hasFormat(CATALOG_MIME) and not mime.hasFormat(POD_MIME)
    assert bytes(mime.data(CATALOG_MIME).data()).decode("utf-8") == "cdu"
    mime = dock.tree.mimeData([dock.row_for("pod.pair")])
    assert mime.hasFormat(POD_MIME) and not mime.hasFormat(CATALOG_MIME)
    assert bytes(mime.data(POD_MIME).data()).decode("utf-8") == "pod.pair"
    assert set(dock.tree.mimeTypes()) == {CATALOG_MIME, POD_MIME}


def test_palette_double_click_requests_placement(qtbot) -> None:  # type: ignore[no-untyped-def]
    dock = PaletteDock(build_small_catalog(), small_pods())
    qtbot.addWidget(dock)
    with qtbot.waitSignal(dock.place_requested) as blocker:
        dock.tree.itemDoubleClicked.emit(dock.row_for("pod.pair"), 0)
    assert blocker.args == ["pod.pair", True]
    with qtbot.waitSignal(dock.place_requested) as blocker:
        dock.tree.itemDoubleClicked.emit(dock.row_for("rack.i"), 0)
    assert blocker.args == ["rack.i", False]


def test_palette_rows_show_ratings_and_source(qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = build_small_catalog()
    dock = PaletteDock(catalog, small_pods())
    qtbot.addWidget(dock)
    row = dock.row_for("rack.t")
    assert row.data(0, Qt.ItemDataRole.UserRole + 2) == "100 kW · liquid 80 % · 600×1200 mm"
    assert "Source: test" in row.toolTip(0) and "estimate" in row.toolTip(0)
    assert entry_ratings(catalog["util"]).endswith("no footprint")
    assert not entry_pixmap(catalog["util"]).isNull()
    assert not pod_pixmap(small_pods()["pod.pair"], catalog).isNull()


def test_palette_drag_starts_and_returns_offscreen(qtbot) -> None:  # type: ignore[no-untyped-def]
    dock = PaletteDock(build_small_catalog(), small_pods())
    qtbot.addWidget(dock)
    dock.tree.setCurrentItem(dock.row_for("rack.t"))
    QTimer.singleShot(500, QDrag.cancel)  # safety net should a platform run a nested drag loop
    dock.tree.startDrag(Qt.DropAction.CopyAction)


# --------------------------------------------------------------------------- inspector
def test_inspector_shows_the_selected_item(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["rack-2"])
    assert inspector.label_edit.text() == "R02"
    assert inspector.x_edit.text() == "10.900"
    assert inspector.y_edit.text() == "5.600"
    assert inspector.rotation_combo.currentText() == "0°"
    assert inspector.design_kw_edit.text() == "25"
    assert inspector.design_kw_edit.placeholderText() == "20 (catalog)"
    assert inspector.liquid_edit.text() == ""
    assert inspector.info_labels["catalog"].text() == "rack.i"
    assert inspector.info_labels["weight"].text() == "600 kg"
    assert inspector.info_labels["footprint"].text().startswith("600×1200 mm")
    assert "test" in inspector.info_labels["source"].text()
    assert inspector.info_labels["references"].text() == "none cited"  # the test entry cites no key
    assert "R02" in inspector.title_label.text()


def test_inspector_shows_mixed_values_as_dash(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["rack-1", "rack-2"])
    assert inspector.label_edit.text() == "" and inspector.label_edit.placeholderText() == "—"
    assert inspector.design_kw_edit.placeholderText() == "—"
    assert inspector.y_edit.text() == "5.600"  # shared value
    assert inspector.info_labels["catalog"].text().startswith("—")
    assert inspector.title_label.text() == "2 racks selected"


def test_inspector_hides_rack_fields_for_other_kinds(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["ups-a"])
    assert not inspector.design_kw_edit.isEnabled()
    document.set_selection(["rack-1"])
    assert inspector.design_kw_edit.isEnabled()


def test_editing_design_kw_of_three_racks_is_one_command(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                         document: Document) -> None:
    racks = ["rack-1", "rack-2", "rack-3"]
    before = {i: document.project.items[i] for i in racks}
    document.set_selection(racks)
    type_into(qtbot, inspector.design_kw_edit, "132")
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Set design kW of 3 racks"
    assert [document.project.items[i].design_kw for i in racks] == [132.0, 132.0, 132.0]
    assert inspector.design_kw_edit.text() == "132"
    document.undo_stack.undo()
    assert {i: document.project.items[i] for i in racks} == before


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("design_kw", "-5", "negative"),
        ("design_kw", "nan", "finite"),
        ("design_kw", "abc", "not a number"),
        ("liquid_fraction", "1.5", "between 0 and 1"),
        ("x", "95", "Outside hall"),
        ("y", "-1", "Outside hall"),
    ],
)
def test_impossible_values_are_refused_at_the_field(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                    document: Document, field: str, text: str, message: str) -> None:
    editors = {"design_kw": inspector.design_kw_edit, "liquid_fraction": inspector.liquid_edit,
               "x": inspector.x_edit, "y": inspector.y_edit}
    document.set_selection(["rack-1", "rack-2"])
    state = document.project.state()
    inspector.show()
    type_into(qtbot, editors[field], text)
    assert document.undo_stack.count() == 0
    assert document.project.state() == state
    assert message.casefold() in inspector.error_text(field).casefold()
    assert inspector.error_label(field).isVisible()
    # the next valid entry clears the message and applies
    valid = {"design_kw": "50", "liquid_fraction": "0.5", "x": "12", "y": "6"}[field]
    type_into(qtbot, editors[field], valid)
    assert inspector.error_text(field) == ""
    assert document.undo_stack.count() == 1


def test_liquid_fraction_accepts_percent_and_empty_restores_default(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                                     document: Document) -> None:
    document.set_selection(["rack-2"])
    type_into(qtbot, inspector.liquid_edit, "40 %")
    assert document.project.items["rack-2"].liquid_fraction == pytest.approx(0.4)
    type_into(qtbot, inspector.liquid_edit, "")
    assert document.project.items["rack-2"].liquid_fraction is None
    assert document.undo_stack.count() == 2


def test_position_is_shown_in_metres_and_stored_in_mm(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                      document: Document) -> None:
    document.set_selection(["rack-1"])
    type_into(qtbot, inspector.x_edit, "12.3456")
    assert document.project.items["rack-1"].x_mm == pytest.approx(12345.6)
    assert inspector.x_edit.text() == "12.346"
    assert document.undo_stack.text(0) == "Set x of R01"


def test_rotation_and_workload_combos_apply_to_all(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["rack-1", "rack-2"])
    combo = inspector.rotation_combo
    index = combo.findData(90)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert {document.project.items[i].rotation_deg for i in ("rack-1", "rack-2")} == {90.0}
    combo = inspector.workload_combo
    index = combo.findData(WorkloadClass.STORAGE.value)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert {document.project.items[i].workload for i in ("rack-1", "rack-2")} == {WorkloadClass.STORAGE}
    assert document.undo_stack.count() == 2
    assert document.undo_stack.text(0) == "Rotate 2 racks to 90°"


def test_unmodified_mixed_field_does_not_push_on_focus_loss(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["rack-1", "rack-2"])
    inspector.label_edit.editingFinished.emit()
    inspector.design_kw_edit.editingFinished.emit()
    assert document.undo_stack.count() == 0


def test_inspector_follows_undo_and_outside_edits(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                                  document: Document) -> None:
    document.set_selection(["rack-1"])
    type_into(qtbot, inspector.label_edit, "Alpha")
    assert document.project.items["rack-1"].label == "Alpha"
    document.undo_stack.undo()
    assert inspector.label_edit.text() == "R01"
    document.undo_stack.redo()
    assert inspector.label_edit.text() == "Alpha"
    moved = replace(document.project.items["rack-1"], y_mm=7000.0)
    document.push(UpdateItemsCommand(document.project, [moved], "Move R01"))
    assert inspector.y_edit.text() == "7.000"


def test_inspector_follows_a_replaced_project(inspector: InspectorPanel, document: Document) -> None:
    project = build_small_project()
    document.replace_project(project, None)
    document.set_selection(["rack-1"])
    assert inspector.label_edit.text() == "R01"
    document.push(UpdateItemsCommand(project, [replace(project.items["rack-1"], label="New")], "Rename R01"))
    assert inspector.label_edit.text() == "New"


def test_rotation_that_would_leave_the_hall_is_refused(inspector: InspectorPanel, document: Document) -> None:
    # a 2 m x 1 m UPS 0.6 m from the wall fits at 0° but not at 90°
    item = replace(document.project.items["ups-a"], x_mm=1000.0, y_mm=600.0)
    document.push(UpdateItemsCommand(document.project, [item], "Move UPS A"))
    document.set_selection(["ups-a"])
    index = inspector.rotation_combo.findData(90)
    inspector.rotation_combo.setCurrentIndex(index)
    inspector.rotation_combo.activated.emit(index)
    assert document.project.items["ups-a"].rotation_deg == 0.0
    assert document.undo_stack.count() == 1
    assert "Outside hall" in inspector.error_text("rotation")
    assert inspector.rotation_combo.currentText() == "0°"


def test_deleted_inspector_stops_listening(qtbot, document: Document) -> None:  # type: ignore[no-untyped-def]
    listeners_before = len(document.project.events._listeners)
    panel = InspectorPanel(document)
    document.set_selection(["rack-1"])
    assert len(document.project.events._listeners) == listeners_before + 1
    panel.deleteLater()
    qtbot.wait(10)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(document.project.events._listeners) == listeners_before
    item = replace(document.project.items["rack-1"], label="After")
    document.push(UpdateItemsCommand(document.project, [item], "Rename R01"))  # must not touch the dead panel
    assert document.project.items["rack-1"].label == "After"


def test_inspector_with_nothing_selected(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection([])
    assert inspector.title_label.text() == "Nothing selected"
    assert not inspector.label_edit.isEnabled()


# --------------------------------------------------------------------------- problems
@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    item_ids: tuple[str, ...] = ()


FINDINGS = [
    Finding("warning", "W101", "Rack R02 exceeds floor loading", ("rack-2",)),
    Finding("error", "E001", "UPS A overloaded", ("ups-a", "rack-1")),
    Finding("info", "I900", "Free cooling 40 % of hours"),
    Finding("error", "E002", "Rack R03 has no cooling", ("rack-3",)),
]


def test_problems_panel_shows_findings_and_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(FINDINGS)
    rows = panel.visible_rows()
    assert [row[0] for row in rows] == ["error", "error", "warning", "info"]  # sorted by severity
    assert ("error", "E001", "UPS A overloaded", ["ups-a", "rack-1"]) in rows
    assert panel.summary_label.text() == "2 errors, 1 warning, 1 info"
    panel.set_findings([])
    assert panel.summary_label.text() == "No problems"


def test_problems_panel_sorts_by_column(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(FINDINGS)
    panel.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [row[1] for row in panel.visible_rows()] == ["W101", "I900", "E002", "E001"]


def test_problems_panel_filters_by_severity(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(FINDINGS)
    panel.filter_buttons["error"].setChecked(False)
    assert [row[1] for row in panel.visible_rows()] == ["W101", "I900"]
    assert "showing 2" in panel.summary_label.text()
    panel.set_severity_filter(["error"])
    assert [row[1] for row in panel.visible_rows()] == ["E001", "E002"]
    assert panel.filter_buttons["error"].isChecked() and not panel.filter_buttons["info"].isChecked()


def test_problems_double_click_emits_item_ids(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(FINDINGS)
    row = next(r for r, values in enumerate(panel.visible_rows()) if values[1] == "E001")
    with qtbot.waitSignal(panel.item_activated) as blocker:
        panel.table.doubleClicked.emit(panel.proxy.index(row, 2))
    assert blocker.args == [["ups-a", "rack-1"]]


# --------------------------------------------------------------------------- history
def test_undo_history_lists_the_stack(qtbot, document: Document) -> None:  # type: ignore[no-untyped-def]
    panel = UndoHistoryPanel(document.undo_stack)
    qtbot.addWidget(panel)
    item = replace(document.project.items["rack-1"], label="X")
    document.push(UpdateItemsCommand(document.project, [item], "Rename R01"))
    model = panel.view.model()
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "<clean>"
    assert model.index(1, 0).data() == "Rename R01"
    other = QUndoStack()
    panel.set_undo_stack(other)
    assert panel.undo_stack() is other


def test_problems_panel_filters_by_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(FINDINGS)
    panel.set_text_filter("rack")  # in messages and in item ids
    assert sorted(row[1] for row in panel.visible_rows()) == ["E001", "E002", "W101"]
    panel.set_text_filter("RACK r03")  # every word, any case
    assert [row[1] for row in panel.visible_rows()] == ["E002"]
    assert "showing 1" in panel.summary_label.text()
    panel.set_text_filter("i900")  # the code, even when its column is hidden
    assert [row[1] for row in panel.visible_rows()] == ["I900"]
    panel.set_severity_filter(["error"])
    assert panel.visible_rows() == []
    panel.set_text_filter("")
    assert [row[1] for row in panel.visible_rows()] == ["E001", "E002"]


def test_problem_messages_wrap_instead_of_eliding(qtbot) -> None:  # type: ignore[no-untyped-def]
    long = Finding("error", "E003", "A and B feeds of 66 racks meet at the same transformer: " * 3, ("rack-9",))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_findings([long])
    table = panel.table
    assert table.wordWrap() and table.textElideMode() == Qt.TextElideMode.ElideNone
    assert table.isColumnHidden(1) and table.isColumnHidden(3)  # narrow: the message takes the width
    one_line = table.fontMetrics().height()
    assert table.rowHeight(0) > 2 * one_line  # the whole message, on several lines
    assert panel.proxy.index(0, 0).data() == ""  # the severity as its icon alone
    assert panel.visible_rows()[0][0] == "error"
    panel.resize(900, 400)
    assert not table.isColumnHidden(1) and not table.isColumnHidden(3)
    assert panel.proxy.index(0, 0).data() == "Error"
