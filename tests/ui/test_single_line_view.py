"""The single-line diagram view: in step with the analysis and edits, selection shared with the floor plan,
exported to PDF, SVG and DXF from the registry; its electrical labels and the training swings beside the
transition follow the electrical checks of the results shown, never an older design's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import ezdxf
import pytest

from designer.analysis.autonomy import swing
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.ui.commands import RemoveItemsCommand
from designer.ui.dashboard.swings import SwingsTable, swing_rows, swing_tip
from designer.ui.main_window import MainWindow
from designer.ui.single_line_view import SldNodeItem


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    return load_catalog(include_user=False)


@pytest.fixture
def window(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    win = MainWindow(real_catalog, {}, load_project(examples_dir() / "retrofit.dcplan", real_catalog))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.coordinator.run(failures=True)
    win.views.setCurrentWidget(win.views.single_line)
    return win


def test_selection_is_shared_both_ways(window) -> None:  # type: ignore[no-untyped-def]
    sld = window.views.single_line
    document = window.document
    layout = sld.layout_
    assert layout is not None and sld.node_items
    # a box selected in the diagram selects its items in the document, in their hall
    ups = next(node for node in layout.nodes if node.kind == "UPS")
    assert document.current_hall_id == "hall-legacy" and ups.hall_id == "hall-plant"
    sld.node_items[ups.id].setSelected(True)
    assert document.selected_ids() == [ups.id]
    assert document.current_hall_id == "hall-plant"
    assert window.scene.selected_item_ids() == [ups.id]  # the floor plan shows it selected
    # racks selected on the floor plan select the group boxes that show them
    group = next(node for node in layout.nodes if node.kind == "Racks")
    document.set_current_hall(group.hall_id)
    window.scene.select_ids([group.item_ids[0]])
    assert document.selected_ids() == [group.item_ids[0]]
    assert sld.selected_node_ids() == [group.id]


def test_the_diagram_follows_edits(window) -> None:  # type: ignore[no-untyped-def]
    sld = window.views.single_line
    before = sum(node.count for node in sld.layout_.nodes if node.kind == "Racks")
    racks = [i for i in window.document.project.items if window.document.entry_for(i).role.value == "rack"][:5]
    window.document.push(RemoveItemsCommand(window.document.project, racks))
    window.coordinator.run(failures=False)
    assert sum(node.count for node in sld.layout_.nodes if node.kind == "Racks") == before - 5
    assert not set(racks) & set(sld.layout_.node_of_item)


def test_double_clicking_a_box_shows_it_on_the_floor_plan(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    sld = window.views.single_line
    item = next(i for i in sld.node_items.values() if i.node.kind == "Floor PDU")
    assert isinstance(item, SldNodeItem)
    sld.view.centerOn(item)
    point = sld.view.mapFromScene(item.mapToScene(item.boundingRect().center()))
    qtbot.mouseDClick(sld.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.views.currentWidget() is window.canvas
    assert window.document.selected_ids() == list(item.node.item_ids)


@pytest.mark.parametrize("fmt", ["sld-pdf", "sld-svg", "sld-dxf"])
def test_exports_write_a_valid_file(window, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"diagram.{fmt[4:]}"
    assert window.export_controller.run(fmt, path), window.export_controller.last_error
    data = path.read_bytes()
    if fmt == "sld-pdf":
        assert data.startswith(b"%PDF") and b"/Type /Page" in data
    elif fmt == "sld-svg":
        root = ET.fromstring(data)
        texts = "".join(root.itertext())
        assert "Single-line diagram" in texts and "Main LV board" in texts
    else:
        doc = ezdxf.readfile(path)
        msp = doc.modelspace()
        assert len(msp.query("LWPOLYLINE[layer=='SLD-A']")) > 0 and len(msp.query("LWPOLYLINE[layer=='SLD-B']")) > 0
        assert any("Main LV board" in t.dxf.text for t in msp.query("TEXT"))


def test_a_large_design_opens_on_the_current_hall(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from designer.ui import single_line_view

    sld = window.views.single_line
    assert sld.hall_filter() is None  # a small design: all halls
    monkeypatch.setattr(single_line_view, "LARGE_DESIGN_ITEMS", 10)
    window.files.open_file(examples_dir() / "retrofit.dcplan", ask=False)
    assert sld.hall_filter() == window.document.current_hall_id == "hall-legacy"
    nodes = {node.id for node in sld.layout_.nodes}
    # the hall's PDUs and racks, and the chain upstream of them in the plant room
    assert "ups-1" in nodes and any(n.startswith("racks:") for n in nodes)


def _lines(win: MainWindow) -> list[str]:
    layout = win.views.single_line.layout_
    assert layout is not None
    return [line for node in layout.nodes for line in node.extra_lines]


def _with_electrical(win: MainWindow, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    """``win`` once the electrical checks of its latest results are in (the boxes' labels, the swings)."""
    win.electrical_timer.setInterval(0)
    win.coordinator.run(failures=True)
    qtbot.waitUntil(win.views.single_line.labelled, timeout=20_000)
    return win


def test_boxes_get_their_electrical_lines_and_lose_them_when_stale(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _with_electrical(window, qtbot)
    lines = _lines(window)
    assert any(line.endswith(" A at 415 V") for line in lines)  # amp-rated boards
    assert any(line.startswith("now ") and line.endswith(" A") for line in lines)
    assert any(line.startswith(("A: ", "B: ", "in ")) and " mm², " in line for line in lines)  # feeds: breaker, cable
    assert any("kVA 11/0.415 kV" in line for line in lines)  # the transformer's ratio
    assert window.dashboard.swings.table.rowCount() >= 2  # the scenario years beside the transition
    years = window.document.project.active_scenario.years
    series = window.dashboard.swing_series
    assert len(series.step.data) == len(years) and series.limit.isVisible()  # a mark per year on the chart
    # an edit: the next results are laid out without the old figures until the new checks come
    document = window.document
    rack = next(i for i, item in document.project.items.items() if document.entry_of(item.catalog_id).is_rack)
    window.electrical_timer.setInterval(60_000)
    window.document.push(RemoveItemsCommand(window.document.project, [rack]))
    assert window.dashboard.swings.table.rowCount() == 0
    assert len(series.step.data) == 0 and not series.limit.isVisible()
    window.coordinator.run(failures=True)
    qtbot.waitUntil(lambda: window.views.single_line.results is window.coordinator.results, timeout=10_000)
    # the figures of the earlier results are let go as the next results are shown (not held while the next checks run)
    assert window.views.single_line.electrical is None
    window.views.single_line.relayout()
    assert _lines(window) == []
    assert "electrical figures follow" in window.views.single_line.summary.text()


def test_the_dxf_marks_paths_and_carries_the_feeds(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "diagram.dxf"
    assert window.export_controller.run("sld-dxf", path), window.export_controller.last_error
    texts = [t.dxf.text for t in ezdxf.readfile(path).modelspace().query("TEXT")]
    assert "A path" in texts and "B path" in texts
    assert any(" mm², " in text for text in texts)


def test_swing_rows_hand_worked(qapp: object) -> None:
    # 5,000 kW of training nameplate, losses left out: step (0.80 - 0.30) x 5,000 = 2,500 kW within 1 s,
    # 2.50 MW/s; the utility takes 1,000 kW/s, the batteries 2,500 - 1,000 = 1,500 kW for 1.5 s:
    # 1,500² / (2 x 1,000) = 1,125 kJ = 0.3125 kWh
    now = swing(2026, 0.3, 10, 6000.0, 1.0, 1000.0, 100.0)
    later = swing(2027, 0.4, 10, 5000.0, 1.0, 1000.0, 100.0)
    assert swing_rows([now, later]) == [("now 30%", "3.00", "3.00", "2.00", "0.56"),
                                        ("2027 40%", "2.50", "2.50", "1.50", "0.31")]
    # within the limit: no smoothing; the analysed point is left out when it is one of the years
    small = swing(2027, 0.4, 1, 1000.0, 1.0, 1000.0, 100.0)
    assert swing_rows([small, small]) == [("2027 40%", "0.50", "0.50", "0", "0")]
    table = SwingsTable()
    table.show_swings([now, later])
    assert table.table.rowCount() == 2 and "ramp limit 1.00 MW/s" in table.caption.text()
    # batteries holding less than the smoothing needs: the battery cells turn red
    short = swing(2027, 0.4, 10, 5000.0, 1.0, 1000.0, 0.1)
    table.show_swings([short])
    assert table.table.item(0, 4).foreground().color().name() == "#b8321a"


def test_a_swing_tip_gives_every_figure() -> None:
    later = swing(2027, 0.4, 10, 5000.0, 1.0, 1000.0, 0.1)
    assert swing_tip(later) == (
        "2027 (40% inference): 10 training racks swing the utility feed by 2.50 MW in about 1 s (2.50 MW/s; the "
        "utility's limit 1.00 MW/s); the batteries give 1.50 MW for 1.5 s (0.31 kWh), more than the 0 kWh the "
        "UPSs hold")
