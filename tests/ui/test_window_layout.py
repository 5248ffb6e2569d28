"""The default window at 1366x768 and 1920x1080: charts not clipped, legends and headline figures whole,
year labels apart, the utilisation chart naming components on hover."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QMessageBox

from designer.ui.dashboard.charts import YEAR_LABEL_GAP_PX, year_labels
from designer.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def real_catalog():  # type: ignore[no-untyped-def]
    from designer.io.catalog_io import load_catalog

    return load_catalog(include_user=False)


def _open(qtbot, catalog, size: tuple[int, int]) -> MainWindow:  # type: ignore[no-untyped-def]
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    window = MainWindow(catalog, {}, load_project(examples_dir() / "ai_hall.dcplan", catalog))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.coordinator.flush()
    qtbot.wait(10)
    return window


def _inside(widget, rect: QRectF) -> bool:  # type: ignore[no-untyped-def]
    return rect.left() >= -0.5 and rect.right() <= widget.width() + 0.5 and rect.bottom() <= widget.height() + 0.5


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_default_window_reads_cleanly(qtbot, real_catalog, monkeypatch, size):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window = _open(qtbot, real_catalog, size)
    dashboard = window.dashboard
    assert (window.width(), window.height()) == size
    for chart in dashboard.charts():
        if not chart.isVisible():
            continue  # a tab behind another at 1366
        assert chart.width() >= 420, f"{type(chart).__name__} is {chart.width()} px wide"
        assert _inside(chart, chart.ci.geometry()), type(chart).__name__
        legend = chart.legend.mapRectToScene(chart.legend.boundingRect())
        assert _inside(chart, legend), f"{type(chart).__name__} legend cut: {legend}"
        plot = chart.plot.vb.sceneBoundingRect()
        assert plot.height() >= 100, f"{type(chart).__name__} plot is {plot.height()} px high"
        assert not plot.intersects(legend), "the legend never covers the data"
    docks = dashboard.docks
    tabbed = docks["CoolingDock"] in window.tabifiedDockWidgets(docks["DayProfileDock"])
    assert tabbed == (size[0] < 1700)  # two columns of tabbed charts on the smaller screen
    headline = dashboard.headline
    area = dashboard.docks["HeadlineDock"].widget()
    for key, value in headline.values.items():
        top_left = value.mapTo(area, value.rect().topLeft())
        bottom_right = value.mapTo(area, value.rect().bottomRight())
        assert area.rect().contains(top_left) and area.rect().contains(bottom_right), f"{key} headline cut"
        assert value.width() >= value.sizeHint().width(), f"{key} headline value squeezed"
    canvas = window.view.viewport()
    assert canvas.width() >= 600 and canvas.height() >= 280, canvas.size()
    years = window.dashboard.transition_chart.plot.getAxis("top")._tickLevels[0]
    shown_px = [s * window.dashboard.transition_chart.plot.vb.width() / 100 for s, label in years if label]
    assert len(shown_px) >= 2 and min(np.diff(shown_px)) >= YEAR_LABEL_GAP_PX
    window.document.undo_stack.setClean()


def test_year_labels_are_thinned_and_keep_the_last() -> None:
    names = [str(y) for y in range(2025, 2032)]
    # 7 years 30 px apart with a 44 px gap: every other one, the last kept instead of its close neighbour
    assert year_labels(np.arange(7) * 30.0, names, 44) == ["2025", "", "2027", "", "2029", "", "2031"]
    # 8 years 30 px apart: 2031 is too close to 2032's label, so 2031 yields
    eight = [*names, "2032"]
    assert year_labels(np.arange(8) * 30.0, eight, 44) == ["2025", "", "2027", "", "2029", "", "", "2032"]
    assert year_labels(np.arange(7) * 50.0, names, 44) == names
    assert year_labels(np.array([0.0]), ["2025"], 44) == ["2025"]


def test_the_utilisation_chart_names_components_on_hover(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window = _open(qtbot, real_catalog, (1920, 1080))
    chart = window.dashboard.utilization_chart
    series = chart.series
    assert series is not None and series.ids
    first = series.ids[0]
    scene_pos = chart.plot.vb.mapViewToScene(QPointF(0.0, 10.0))
    assert chart.hover_at(scene_pos) == first
    text = chart.hover_text(first)
    item = window.document.project.items[first]
    assert (item.label or first) in text and "% of rating" in text
    assert chart.hover_at(chart.plot.vb.mapViewToScene(QPointF(-0.65, 10.0))) is None  # left of the first bar
    assert chart.plot.getAxis("bottom")._tickLevels is None  # ids never crowd the axis: names are on hover
    window.document.undo_stack.setClean()


def test_on_a_short_window_selecting_an_item_shows_the_inspector(qtbot, real_catalog, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window = _open(qtbot, real_catalog, (1366, 768))
    mix = window.dashboard.docks["MixControlsDock"]
    assert mix in window.tabifiedDockWidgets(window.inspector_dock)
    assert not mix.visibleRegion().isEmpty() and window.inspector_dock.visibleRegion().isEmpty()
    rack = next(iter(window.scene.items_by_id))
    window.document.set_selection([rack])
    qtbot.waitUntil(lambda: not window.inspector_dock.visibleRegion().isEmpty())
    window.document.undo_stack.setClean()


def test_the_headline_wraps_to_as_few_rows_as_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.dashboard.headline import HeadlineFigures

    headline = HeadlineFigures()
    qtbot.addWidget(headline)
    headline.set_horizontal(True)
    one, two = headline.width_for_rows(1), headline.width_for_rows(2)
    assert two < one
    headline.fit_width(one)
    assert headline.rows == 1
    headline.fit_width(one - 1)
    assert headline.rows == 2
    headline.fit_width(headline.width_for_rows(3) - 1)
    assert headline.rows == 3  # never more: below that the strip scrolls
