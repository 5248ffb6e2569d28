"""Live figures of the selected item in the inspector and the tooltip, read from results already computed.

The small project: util-1 feeds UPS ups-a and ups-b (1250 kW, loss 0.012/0.015/0.008); ups-a feeds
rack-1 on A, ups-b on B; cdu-1 cools it by liquid. rack-1 is 100 kW of training at a flat 0.8: 80 kW.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

import pytest
from analysis.analysis_builders import flat_profiles
from support import build_small_catalog, build_small_project

from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.ui.document import Document
from designer.ui.main_window import MainWindow
from designer.ui.panels import InspectorPanel
from designer.ui.panels.live_figures import ERROR_STYLE


@pytest.fixture
def document(qapp: object) -> Document:
    return Document(build_small_project(), build_small_catalog(), {})


@pytest.fixture
def inspector(qtbot, document: Document) -> InspectorPanel:  # type: ignore[no-untyped-def]
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.resize(340, 900)
    panel.show()
    return panel


def analysed(document: Document, *, failures: bool = True) -> Results:
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    try:
        return analyzer.analyze(document.project, build_small_catalog(), failures=failures)
    finally:
        analyzer.close()


def test_a_ups_shows_load_capacity_losses_and_worst_failure(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["ups-a"])
    inspector.set_results(analysed(document))
    live = inspector.live
    assert live.isVisible()
    # half of the 80 kW rack on each UPS
    assert live.value_text("Load") == "40.0 kW"
    assert live.value_text("Capacity") == "1,250.0 kW"
    assert live.value_text("Utilisation") == "3.2 %"  # 40 / 1250
    # loss = 0.012*1250 + 0.015*40 + 0.008*40^2/1250 = 15 + 0.6 + 0.01024 = 15.61 kW
    assert live.value_text("Losses") == "15.6 kW"
    # ups-b fails: ups-a carries all 80 kW, 80 / 1250 = 6.4 %, at the analysed hour (flat day: 00:00)
    # the results carry the hour and the failed part of the worst case (issue 12)
    assert live.value_text("Worst single failure") == "80.0 kW (6.4 %) at 00:00, when ups-b fails"
    assert live.link_ids("fed_by") == ["util-1"]
    assert live.link_ids("feeds") == ["rack-1"]
    assert live.feeds_list.item(0).text() == "R01 (power, feed A)"


def test_a_rating_override_shows_in_the_live_figures(inspector: InspectorPanel, document: Document) -> None:
    project = document.project
    project.update_items([replace(project.items["ups-a"], design_kw=50.0)])
    document.set_selection(["ups-a"])
    inspector.set_results(analysed(document))
    live = inspector.live
    # 40 kW on a UPS fitted to 50 kW: 80 %; alone after ups-b fails: 80 / 50 = 160 %, over its rating
    assert live.value_text("Capacity") == "50.0 kW"
    assert live.value_text("Utilisation") == "80.0 %"
    assert live.value_text("Worst single failure") == "80.0 kW (160.0 %) at 00:00, when ups-b fails"
    assert live.value_labels["Worst single failure"].styleSheet() == ERROR_STYLE
    # loss = 0.012*50 + 0.015*40 + 0.008*40^2/50 = 0.6 + 0.6 + 0.256 = 1.456 kW
    assert live.value_text("Losses") == "1.5 kW"


def test_before_the_failures_run_the_worst_case_says_so(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["ups-a"])
    inspector.set_results(analysed(document, failures=False))
    assert inspector.live.value_text("Worst single failure") == "not analysed yet"
    inspector.set_results(None)
    assert "not in the last analysis" in inspector.live.value_text("Analysis")


def test_clicking_a_link_selects_that_item(qtbot, inspector: InspectorPanel,  # type: ignore[no-untyped-def]
                                           document: Document) -> None:
    document.set_selection(["ups-a"])
    inspector.set_results(analysed(document))
    live = inspector.live
    with qtbot.waitSignal(inspector.item_activated, timeout=1000) as signal:
        row = live.feeds_list.item(0)
        live.feeds_list.itemClicked.emit(row)
    assert signal.args == ["rack-1"]
    assert document.selected_ids() == ["rack-1"]
    # now the rack: its IT load, heat split, and what feeds it (connection order c3, c4, c5)
    assert live.value_text("IT load") == "80.0 kW"
    assert live.value_text("Heat") == "64.0 kW liquid, 16.0 kW air"
    assert live.link_ids("fed_by") == ["ups-a", "ups-b", "cdu-1"]
    assert live.link_ids("feeds") == [] and not live.feeds_list.isVisible()


def test_several_items_or_a_floor_item_show_no_live_figures(inspector: InspectorPanel, document: Document) -> None:
    inspector.set_results(analysed(document))
    document.set_selection(["ups-a", "ups-b"])
    assert not inspector.live.isVisible()
    document.set_selection(["ups-a"])
    assert inspector.live.isVisible()


def test_the_window_feeds_the_inspector_and_tooltip_without_extra_runs(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(build_small_catalog(), {}, build_small_project())
    qtbot.addWidget(window)
    window.coordinator.run(failures=True)
    runs = window.coordinator.runs
    live = window.inspector_dock.panel.live
    for selection in (["ups-a"], ["rack-1"], ["cdu-1"], ["ups-a"]):
        window.document.set_selection(selection)
    assert window.coordinator.runs == runs  # selecting reads the results; it never analyses
    assert live.value_text("Capacity") == "1,250.0 kW"
    assert live.value_text("Load").endswith("kW")
    tooltip = window.scene.tooltip_extra("ups-a")
    assert "Utilisation" in tooltip and "Fed by: util-1" in tooltip and "Feeds: R01" in tooltip
    # a new analysis (another share) reaches the open inspector
    window.document.project.update_items([replace(window.document.project.items["ups-a"], design_kw=500.0)])
    with qtbot.waitSignal(window.coordinator.results_ready, timeout=5000):
        window.coordinator.run(failures=True)
    assert live.value_text("Capacity") == "500.0 kW"
