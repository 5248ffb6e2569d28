"""The runway dialog's template growth rule: worked out on a worker thread, applied as one undo step."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace

from designer.model import PlacedItem, Scenario, ScenarioYear
from designer.model.records import DesignSettings
from designer.ui.dashboard.runway_dialog import RULE_RACKS, RULE_TEMPLATE, RunwayDialog


def with_timeline(project):  # type: ignore[no-untyped-def]
    project.add_scenario(Scenario("sc", "S", (ScenarioYear(2025, 0.2), ScenarioYear(2026, 0.3),
                                              ScenarioYear(2027, 0.4))))
    project.set_settings(replace(DesignSettings(), active_scenario_id="sc"))
    return project


def test_apply_the_growth_as_planned_items_and_undo(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    document = canvas.document
    project = with_timeline(document.project)
    project.add_items([PlacedItem("r1", "rack.air", "hall-1", 3000, 3000)])
    before = set(project.items)
    dialog = RunwayDialog(project, document.catalog, templates=document.pod_templates, push=document.push)
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()  # no template rule yet
    dialog.hall_combo.setCurrentIndex(dialog.hall_combo.findData("hall-1"))
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData(RULE_TEMPLATE))
    # the years after 2025, one copy each: 2026 and 2027
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.apply_button.isEnabled(), timeout=20_000)
    plan = dialog.plan
    assert plan is not None and plan.years == (2026, 2027) and plan.hall_id == "hall-1"
    assert "2 copies placed" in dialog.growth_label.text()
    assert dialog.runway is not None and dialog.runway.growth_template is not None
    assert dialog.apply_growth()
    added = [project.items[i] for i in set(project.items) - before]
    # the test pod holds two racks and two busways: 2 copies x 4 items
    assert len(added) == 8
    pods = {item.pod_id for item in added}
    assert sorted(project.pods[p].in_service_year for p in pods) == [2026, 2027]  # type: ignore[index]
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText().startswith("Apply growth: 2 copies of Test pod")
    assert not dialog.rule_combo.isEnabled()
    document.undo_stack.undo()
    assert set(project.items) == before
    assert not any(p in project.pods for p in pods)
    document.undo_stack.redo()
    assert len(set(project.items) - before) == 8


def test_the_racks_rule_and_none(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    document = canvas.document
    project = with_timeline(document.project)
    project.add_items([PlacedItem("r1", "rack.air", "hall-1", 3000, 3000)])
    dialog = RunwayDialog(project, document.catalog, templates=document.pod_templates, push=document.push)
    qtbot.addWidget(dialog)
    dialog.growth_spin.setValue(5)
    assert dialog.runway is not None and dialog.runway.growth_racks_per_year == 0  # the rule is none
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData(RULE_RACKS))
    assert dialog.runway.growth_racks_per_year == 5
    dialog.rule_combo.setCurrentIndex(0)
    assert dialog.runway.growth_racks_per_year == 0 and dialog.runway.growth_template is None


def test_a_burst_of_rule_changes_works_out_the_last(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    document = canvas.document
    project = with_timeline(document.project)
    dialog = RunwayDialog(project, document.catalog, templates=document.pod_templates, push=document.push)
    qtbot.addWidget(dialog)
    dialog.hall_combo.setCurrentIndex(dialog.hall_combo.findData("hall-1"))
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData(RULE_TEMPLATE))
    for copies in (2, 3, 4):
        dialog.copies_spin.setValue(copies)
    assert dialog.plan is None and not dialog.apply_button.isEnabled()  # nothing stale on show meanwhile
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20_000)
    assert dialog.plan is not None and dialog.plan.copies_per_year == 4
    # 4 copies in 2026 and in 2027
    assert [dialog.plan.copies_in(y) for y in (2026, 2027)] == [4, 4]
