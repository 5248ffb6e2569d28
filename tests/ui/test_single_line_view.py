"""The single-line diagram view: in step with the analysis and edits, selection shared with the floor plan,
exported to PDF, SVG and DXF from the registry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import ezdxf
import pytest

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.ui.commands import RemoveItemsCommand
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
