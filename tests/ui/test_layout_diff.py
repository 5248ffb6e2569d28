"""File ▸ Compare Layout with… and File ▸ Compare Options…: the diff's colours on the canvas (through the
what-if's calls), its ghosts, banner, list and Esc; the options dialog's table from the registry."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from designer.ui.canvas.style import DIMMED_OPACITY
from designer.ui.layout_diff import STATUS_COLOURS
from designer.ui.main_window import MainWindow


@pytest.fixture
def prefab_window(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    from designer.io.catalog_io import load_catalog
    from designer.io.pods_io import load_pod_templates
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    catalog = load_catalog(include_user=False)
    path = examples_dir() / "retrofit_prefab_option.dcplan"
    window = MainWindow(catalog, load_pod_templates(catalog, include_user=False), load_project(path, catalog), path)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _retrofit():  # type: ignore[no-untyped-def]
    from designer.io.resources import examples_dir

    return examples_dir() / "retrofit.dcplan"


def test_layout_diff_colours_items_draws_ghosts_and_esc_closes(prefab_window, qtbot):  # type: ignore[no-untyped-def]
    window = prefab_window
    overlay = window.layout_diff
    window.coordinator.flush()
    window.document.set_current_hall("hall-legacy")
    assert window.dashboard.colouring.legend.isVisible()
    assert overlay.load(_retrofit())
    status = overlay.diff.status_by_item()
    assert overlay.banner.isVisible()
    assert "Against retrofit.dcplan: 7 added, 0 removed, 10 moved" in overlay.banner.message.text()
    # what it did, as `dc-designer diff` says it: the floor overload resolved, the module's own
    # transformer and board new single points of failure
    effects = overlay.banner.effects.text()
    assert effects.startswith("In 2025: Annual PUE 1.447 -> 1.484") and "4 new, 3 resolved" in effects
    assert not window.dashboard.colouring.legend.isVisible()  # the banner keys the colours
    scene = window.scene
    # the legacy hall: its CRAHs lost their link to the AI racks (re-connected), the rest is unchanged
    assert status["crah-1"] == "changed"
    assert scene.items_by_id["crah-1"].fill_colour == STATUS_COLOURS["changed"]
    unchanged = scene.items_by_id["rack-1"]
    assert unchanged.opacity() == pytest.approx(type(unchanged).fill_opacity * DIMMED_OPACITY)
    # the AI row stood here: a dashed outline where each moved item was
    assert {"rack-63", "door-1", "rppA-1"} <= set(overlay.ghosts)
    assert all(ghost.scene() is scene for ghost in overlay.ghosts.values())
    # another hall: the moved items in their new place, the added module equipment
    window.document.set_current_hall("hall-module")
    assert scene.items_by_id["rack-63"].fill_colour == STATUS_COLOURS["moved"]
    assert scene.items_by_id["ups-3"].fill_colour == STATUS_COLOURS["added"]
    assert not overlay.ghosts  # nothing stood in the module before
    # a new analysis recolours the canvas and shows the colour key: the overlay is painted over it again
    window.coordinator.run(failures=False)
    assert scene.items_by_id["ups-3"].fill_colour == STATUS_COLOURS["added"]
    assert not window.dashboard.colouring.legend.isVisible()
    # the list: one line per item, a click selects it and shows its hall
    texts = [overlay.banner.list.item(i).text() for i in range(overlay.banner.list.count())]
    assert sum(text.startswith("added:") for text in texts) == 7
    row = next(i for i, text in enumerate(texts) if "(crah-1)" in text)
    overlay.banner.list.itemClicked.emit(overlay.banner.list.item(row))
    assert window.document.current_hall_id == "hall-legacy"
    assert window.document.selected_ids() == ["crah-1"]
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not overlay.banner.isVisible() and not overlay.active and not overlay.ghosts
    assert window.dashboard.colouring.legend.isVisible()
    for graphic in scene.items_by_id.values():
        assert graphic.opacity() == pytest.approx(type(graphic).fill_opacity)
    assert scene.items_by_id["crah-1"].fill_colour != STATUS_COLOURS["changed"]  # the dashboard's colour again


def test_an_edit_ends_the_layout_diff_and_what_if_takes_over(prefab_window):  # type: ignore[no-untyped-def]
    from designer.ui.commands import UpdateItemsCommand

    window = prefab_window
    overlay = window.layout_diff
    assert overlay.load(_retrofit())
    window.document.set_current_hall("hall-plant")
    window.document.set_selection(["xfmr-1"])
    window.what_if_fails()
    assert window.what_if.result is not None and not overlay.active  # one view over the colours at a time
    window.what_if.close()
    assert overlay.load(_retrofit())
    assert window.what_if.result is None
    item = window.document.project.items["crah-1"]
    window.document.push(UpdateItemsCommand(window.document.project, [replace(item, label="X")], "Rename"))
    assert not overlay.active and not overlay.banner.isVisible()
    window.document.undo_stack.undo()
    window.document.undo_stack.setClean()


def test_a_bad_file_is_refused_with_its_name(prefab_window, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr("designer.ui.layout_diff.show_critical", lambda _p, _t, text: said.append(text))
    broken = tmp_path / "broken.dcplan"
    broken.write_text("{", encoding="utf-8")
    assert not prefab_window.layout_diff.load(broken)
    assert said and str(broken) in said[0]
    assert not prefab_window.layout_diff.active


def test_compare_options_dialog_reads_the_registry(prefab_window, monkeypatch):  # type: ignore[no-untyped-def]
    from designer.analysis import compare as compare_mod
    from designer.analysis.compare import METRICS, Metric, register

    monkeypatch.setattr(compare_mod, "METRICS", list(METRICS))
    register(Metric("test_racks", "Racks (test column)", of_case=lambda c: len(c.results[0].rack_ids)))
    dialog = prefab_window.compare.open_options()
    assert dialog.add_file(_retrofit())
    comparison = dialog.comparison
    assert comparison is not None and [row.name for row in comparison.rows] == [
        "retrofit_prefab_option.dcplan (open)", "retrofit.dcplan"]
    labels = [dialog.table.verticalHeaderItem(r).text() for r in range(dialog.table.rowCount())]
    assert labels[-1] == "Racks (test column)"
    assert dialog.cell_text(len(labels) - 1, 0) == "66" and dialog.cell_text(len(labels) - 1, 1) == "66"
    pue_row = labels.index("Annual PUE 2025→2031")
    assert dialog.table.item(pue_row, 1).font().bold()  # the retrofit's PUE is the lower of the two
    assert dialog.metric_combo.currentData() == "annual_pue"
    assert len(dialog.chart.getPlotItem().listDataItems()) == 2
    # the open design is compared as it stands: an edit shows after Refresh (the file is not read again)
    from designer.ui.commands import UpdateItemsCommand

    project = prefab_window.document.project
    rack = project.items["rack-1"]
    prefab_window.document.push(UpdateItemsCommand(project, [replace(rack, design_kw=60.0)], "Re-rate"))
    dialog.refresh_button.click()
    it_row = labels.index("IT peak (MW) 2025→2031")
    assert dialog.cell_text(it_row, 0) != dialog.cell_text(it_row, 1)
    prefab_window.document.undo_stack.undo()
    prefab_window.document.undo_stack.setClean()
    dialog.close()


def test_the_listed_options_come_in_and_can_be_kept(qtbot, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    import shutil

    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    for name in ("retrofit.dcplan", "retrofit_prefab_option.dcplan", "ai_hall.dcplan"):
        shutil.copy(examples_dir() / name, tmp_path / name)
    catalog = load_catalog(include_user=False)
    path = tmp_path / "retrofit.dcplan"
    window = MainWindow(catalog, {}, load_project(path, catalog), path)
    qtbot.addWidget(window)
    dialog = window.compare.open_options()
    # the retrofit lists its prefabricated-module option: it is in the comparison from the start
    assert [case.name for case in dialog.cases] == ["retrofit.dcplan (open)", "retrofit_prefab_option.dcplan"]
    assert dialog.add_file(tmp_path / "ai_hall.dcplan")
    assert dialog.keep_options()
    options = window.document.project.metadata.options
    assert [o.file for o in options] == ["retrofit_prefab_option.dcplan", "ai_hall.dcplan"]
    assert window.document.undo_stack.undoText() == "Keep design options"
    window.document.undo_stack.undo()
    assert len(window.document.project.metadata.options) == 1
    window.document.undo_stack.setClean()
    dialog.close()


def test_a_removed_item_is_a_ghost_the_list_zooms_to(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    from designer.io.catalog_io import load_catalog
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    catalog = load_catalog(include_user=False)
    window = MainWindow(catalog, {}, load_project(_retrofit(), catalog), _retrofit())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    overlay = window.layout_diff
    # against the prefab option, the retrofit lacks the module's transformer and board (in the plant room)
    assert overlay.load(examples_dir() / "retrofit_prefab_option.dcplan")
    assert {item.id for item in overlay.diff.removed} >= {"xfmr-2", "lv-2"}
    overlay.activate("xfmr-2")
    assert window.document.current_hall_id == "hall-plant"
    assert window.document.selected_ids() == []
    ghost = overlay.ghosts["xfmr-2"]
    assert ghost.pen().color().name().lower() == STATUS_COLOURS["removed"].lower()
    assert window.view.mapToScene(window.view.viewport().rect()).boundingRect().contains(ghost.sceneBoundingRect())
    # an item of a hall this design does not have is listed, but there is nothing to show
    overlay.activate("ups-3")
    assert window.document.current_hall_id == "hall-plant"
    overlay.close()
    assert not overlay.ghosts
    window.document.undo_stack.setClean()
