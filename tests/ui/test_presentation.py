"""Presentation mode: keys step and play the scenario timeline, figures follow, Esc closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.ui.presentation import PresentationWindow, open_presentation


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(resources_dir() / "examples" / "ai_hall.dcplan", base)
    return project, base


@pytest.fixture
def presentation(qtbot, example):  # type: ignore[no-untyped-def]
    project, catalog = example
    window = PresentationWindow(project, catalog)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_shows_plan_chart_and_figures_of_the_first_year(presentation, example) -> None:  # type: ignore[no-untyped-def]
    project, _catalog = example
    scenario = project.active_scenario
    assert presentation.years == [y.year for y in scenario.years]
    assert presentation.current_year == scenario.years[0].year
    assert presentation.hall_id == "hall-data"  # the first hall with racks
    assert presentation.plan_pane.plan is not None and presentation.plan_pane.plan.results is not None
    assert presentation.figure_labels["it"].text().endswith("MW")
    assert str(scenario.years[0].year) in presentation.year_label.text()
    image = presentation.grab().toImage()
    assert not image.isNull() and image.width() == 1280


def test_left_and_right_step_through_the_years(qtbot, presentation) -> None:  # type: ignore[no-untyped-def]
    years = presentation.years
    with qtbot.waitSignal(presentation.year_changed) as blocker:
        qtbot.keyClick(presentation, Qt.Key.Key_Right)
    assert blocker.args == [years[1]]
    qtbot.keyClick(presentation, Qt.Key.Key_Right)
    assert presentation.current_year == years[2]
    qtbot.keyClick(presentation, Qt.Key.Key_Left)
    assert presentation.current_year == years[1]
    for _ in range(len(years) + 2):
        qtbot.keyClick(presentation, Qt.Key.Key_Right)
    assert presentation.current_year == years[-1]  # stops at the end
    results = presentation.results_for(years[-1])
    assert results.year == years[-1]
    assert f"{results.inference_share:.0%}" in presentation.year_label.text()


def test_space_plays_the_timeline_and_pauses(qtbot, presentation) -> None:  # type: ignore[no-untyped-def]
    presentation.timer.setInterval(10)
    qtbot.keyClick(presentation, Qt.Key.Key_Space)
    assert presentation.playing
    qtbot.waitUntil(lambda: presentation.current_year == presentation.years[-1], timeout=5000)
    qtbot.waitUntil(lambda: not presentation.playing, timeout=2000)  # stops at the last year
    qtbot.keyClick(presentation, Qt.Key.Key_Space)  # from the end: restarts at the first year
    assert presentation.playing and presentation.current_year == presentation.years[0]
    qtbot.keyClick(presentation, Qt.Key.Key_Space)
    assert not presentation.playing


def test_escape_closes(qtbot, presentation) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(presentation, Qt.Key.Key_Escape)
    assert not presentation.isVisible()


def test_open_presentation_from_the_main_window(qtbot, example) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.main_window import MainWindow

    project, catalog = example
    window = MainWindow(catalog, {}, project)
    qtbot.addWidget(window)
    window.document.current_hall_id = "hall-plant"
    presentation = open_presentation(window.document, full_screen=False)
    qtbot.addWidget(presentation)
    assert presentation.isVisible() and presentation.hall_id == "hall-plant"
    presentation.close()


def test_the_readme_screenshots_can_be_rebuilt(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    from designer.ui.screenshots import RUNWAY_SIZE, SIZE, SMALL_SIZE, grab_dashboards

    paths = grab_dashboards(tmp_path)
    sizes = {"dashboard-20.png": SIZE, "dashboard-80.png": SIZE, "dashboard-1366.png": SMALL_SIZE,
             "what-if.png": SMALL_SIZE, "compare-options.png": None, "layout-diff.png": SIZE,
             "site-plan.png": SIZE, "single-line.png": SIZE,
             "phased-ghosts.png": SMALL_SIZE, "runway.png": RUNWAY_SIZE}
    assert [p.name for p in paths] == list(sizes)
    for path in paths:
        size = sizes[path.name]
        image = QImage(str(path))
        assert not image.isNull()
        if size is None:
            continue
        assert (image.width(), image.height()) == size
