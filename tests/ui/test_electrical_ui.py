"""The inspector's volts, amps and phase of a selected item, the phase field, and Auto-balance as one undo step."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from analysis.analysis_builders import flat_profiles
from analysis.test_electrical_hand import CATALOG, _single_phase_panel
from support import build_small_catalog, build_small_project

from designer.analysis.engine import Analyzer
from designer.model.types import Phase
from designer.ui.document import Document
from designer.ui.electrical_actions import auto_balance_phases
from designer.ui.panels import InspectorPanel


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


def test_a_rack_shows_volts_amps_and_phase(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["rack-1"])
    analyzer = Analyzer(profiles=flat_profiles(0.8), climates={})
    try:
        inspector.set_results(analyzer.analyze(document.project, build_small_catalog(), failures=False))
    finally:
        analyzer.close()
    live = inspector.live
    assert live.value_text("Supply") == "415 V three-phase, PF 0.95"
    # 100 kW rack at 0.8: 80 kW / 0.95 = 84.2 kVA; 84,211 / (sqrt(3) x 415 = 718.8) = 117.2 A;
    # design 100 kW / 0.95 = 105.3 kVA -> 146.4 A
    assert live.value_text("Current") == "117.2 A (84.2 kVA) now; 146.4 A at design load"
    assert live.value_text("Phase") == "not assigned"
    # a 2N rack: each feed carries the whole rack when its partner is lost: 146.4 A / 0.8 = 183 A -> 200 A
    assert "146.4 A design; 200 A breaker" in live.value_text("Feed A from ups-a")


def test_the_phase_field_sets_a_phase_in_one_undoable_step(inspector: InspectorPanel, document: Document) -> None:
    document.set_selection(["rack-1"])
    combo = inspector.phase_combo
    assert inspector.field_visible("phase")
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "L1L2L3"]  # a three-phase rack
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert document.project.items["rack-1"].phase is Phase.ALL
    document.undo_stack.undo()
    assert document.project.items["rack-1"].phase is None
    document.set_selection(["ups-a"])
    assert not inspector.field_visible("phase")


def test_auto_balance_is_one_undo_step(qapp: object) -> None:
    design = _single_phase_panel((Phase.L1, Phase.L1, None))
    document = Document(design.project, CATALOG, {})
    before = {i: item.phase for i, item in document.project.items.items()}
    assert auto_balance_phases(document) >= 2  # r1 off L1 and r2 assigned
    assert document.undo_stack.count() == 1
    assert sorted(document.project.items[f"r{n}"].phase for n in range(3)) == [Phase.L1, Phase.L2, Phase.L3]
    assert document.undo_stack.text(0).startswith("Auto-balance phases")
    document.undo_stack.undo()
    assert {i: item.phase for i, item in document.project.items.items()} == before
    document.undo_stack.redo()
    assert auto_balance_phases(document) == 0  # already balanced: nothing pushed
    assert document.undo_stack.count() == 1


def test_the_electrical_findings_reach_the_problems_panel(qtbot) -> None:  # type: ignore[no-untyped-def]
    from designer.ui.main_window import MainWindow

    design = _single_phase_panel((Phase.L1, Phase.L1, Phase.L1))  # all on L1: 200 % imbalance
    window = MainWindow(CATALOG, {}, design.project)
    qtbot.addWidget(window)
    window.electrical_timer.setInterval(0)
    window.run_analysis()
    qtbot.waitUntil(lambda: any(f.code == "phase_imbalance" for f in window.analysis_findings), timeout=10_000)
    model = window.problems_panel.model
    assert "phase_imbalance" in [model.item(row, 1).text() for row in range(model.rowCount())]


def test_the_electrical_settings_dialog_is_one_undo_step(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QDialog

    from designer.ui import electrical_actions

    document = Document(build_small_project(), build_small_catalog(), {})

    def fill(dialog: electrical_actions.ElectricalSettingsDialog) -> int:
        dialog.derating.setValue(100.0)  # an assembly listed for 100 % continuous load
        dialog.standard.setCurrentIndex(dialog.standard.findData("nec"))
        dialog.ramp.setValue(250.0)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(electrical_actions, "run_dialog", fill)
    assert electrical_actions.edit_electrical_settings(document)
    settings = document.project.settings
    assert (settings.continuous_derating, settings.cable_standard, settings.utility_ramp_kw_per_s) == (1.0, "nec",
                                                                                                       250.0)
    assert settings.phase_imbalance_limit == pytest.approx(0.1)  # untouched fields keep their values
    document.undo_stack.undo()
    assert document.project.settings.continuous_derating == 0.8


def test_a_fed_cooling_unit_shows_its_feeds(qapp: object, qtbot) -> None:  # type: ignore[no-untyped-def]
    from analysis.analysis_builders import Design

    from designer.model.types import FeedSide

    design = Design()
    design.add("src", "e.source")
    design.add("crah", "t.crah150")
    design.add("rack", "e.rack130")
    design.power("src", "rack")
    design.power("src", "crah", FeedSide.A)
    design.cool("crah", "rack")
    document = Document(design.project, CATALOG, {})
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    document.set_selection(["crah"])
    analyzer = Analyzer(profiles=flat_profiles(1.0), climates={})
    try:
        panel.set_results(analyzer.analyze(design.project, CATALOG, failures=False))
    finally:
        analyzer.close()
    # the test CRAH gives no fan or pump figures: an estimated draw of 0 kW, so no current and no breaker
    text = panel.live.value_text("Feed A from src")
    assert text.startswith("0.0 A design; no load known: not sized") and "estimated" in text
