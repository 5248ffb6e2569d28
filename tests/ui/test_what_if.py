"""What-if on the canvas: lost racks in the error colour, overloaded parts in the warning colour, the rest
dimmed, under a banner that Esc closes."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from designer.ui.canvas.style import DIMMED_OPACITY
from designer.ui.main_window import MainWindow
from designer.ui.what_if import FAILED_COLOUR, LOST_COLOUR, OVERLOADED_COLOUR, WhatIfResult


@pytest.fixture
def retrofit_window(qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    from designer.io.catalog_io import load_catalog
    from designer.io.pods_io import load_pod_templates
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "retrofit.dcplan", catalog)
    window = MainWindow(catalog, load_pod_templates(catalog, include_user=False), project)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _what_if_transformer(window: MainWindow) -> WhatIfResult:
    window.document.set_current_hall("hall-plant")
    window.document.set_selection(["xfmr-1"])
    window.what_if_fails()
    result = window.what_if.result
    assert result is not None
    return result


def test_what_if_colours_the_canvas_and_esc_closes_it(retrofit_window, qtbot):  # type: ignore[no-untyped-def]
    window = retrofit_window
    result = _what_if_transformer(window)
    # the retrofit's UPSs share one transformer: losing it takes every rack's power
    assert result.racks_without_power
    banner = window.what_if.banner
    assert banner.isVisible()
    assert f"{len(result.racks_without_power)} racks lose power" in banner.message.text()
    scene = window.scene
    lost = set(result.lost)
    shown_lost = [i for i in scene.items_by_id if i in lost]
    assert shown_lost, "the canvas switched to the hall of the racks it takes down"
    for item_id, graphic in scene.items_by_id.items():
        if item_id in lost:
            assert graphic.fill_colour == LOST_COLOUR and graphic.opacity() == pytest.approx(type(graphic).fill_opacity)
        elif item_id in result.overloaded:
            assert graphic.fill_colour == OVERLOADED_COLOUR
        elif item_id != result.failed_id:
            assert graphic.opacity() == pytest.approx(type(graphic).fill_opacity * DIMMED_OPACITY)
    legend = window.dashboard.colouring.legend
    assert not legend.isVisible()  # the banner is the key while the what-if is shown
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not banner.isVisible() and window.what_if.result is None
    assert legend.isVisible()
    for item_id, graphic in scene.items_by_id.items():
        assert graphic.opacity() == pytest.approx(type(graphic).fill_opacity)
        assert graphic.fill_colour != LOST_COLOUR or item_id not in lost
    window.document.undo_stack.setClean()


def test_an_edit_ends_the_what_if(retrofit_window):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from designer.ui.commands import UpdateItemsCommand

    window = retrofit_window
    _what_if_transformer(window)
    some_id = next(iter(window.scene.items_by_id))
    item = window.document.project.items[some_id]
    window.document.push(UpdateItemsCommand(window.document.project, [replace(item, label="moved")], "Rename"))
    assert window.what_if.result is None and not window.what_if.banner.isVisible()
    assert all(g.opacity() == pytest.approx(type(g).fill_opacity) for g in window.scene.items_by_id.values())
    window.document.undo_stack.setClean()


def test_a_part_whose_loss_is_ridden_through_says_so() -> None:
    result = WhatIfResult("ups-a", "UPS A", (), (), ())
    assert result.sentence().endswith("the design rides through") and result.severity() == "ok"
    assert result.colours() == {"ups-a": FAILED_COLOUR}
    lost = WhatIfResult("ups-a", "UPS A", ("r1",), ("r1", "r2"), ("ups-b",))
    assert lost.lost == ("r1", "r2") and lost.severity() == "error"
    assert lost.colours() == {"r1": LOST_COLOUR, "r2": LOST_COLOUR, "ups-b": OVERLOADED_COLOUR, "ups-a": FAILED_COLOUR}


def test_closing_the_what_if_restores_catalog_colours_when_the_colouring_is_off(retrofit_window, qtbot):  # type: ignore[no-untyped-def]
    from designer.ui.canvas import style

    window = retrofit_window
    window.dashboard.set_overlay_enabled(False)
    _what_if_transformer(window)
    window.what_if.banner.close_button.click()
    document = window.document
    for item_id, graphic in window.scene.items_by_id.items():
        expected = style.fill_colour(document.entry_for(item_id), document.project.items[item_id])
        assert graphic.fill_colour == expected, item_id
    window.document.undo_stack.setClean()
