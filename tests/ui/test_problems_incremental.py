"""The problems panel updates its rows in place: findings that stay keep their row, and what it shows
after any change is what a panel given the new findings from empty shows (order, counts, summary)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PySide6.QtCore import Qt

from designer.ui.panels.problems import ProblemsPanel


@dataclass(frozen=True)
class _Finding:
    severity: str
    code: str
    message: str
    item_ids: tuple[str, ...] = ()


CHEAP = [_Finding("warning", "W1", "hall A floor", ("r1",)), _Finding("error", "E1", "UPS over", ("u1",)),
         _Finding("info", "I1", "free cooling"), _Finding("error", "E2", "no cooling", ("r3",)),
         _Finding("warning", "W2", "hall B floor", ("r2",))]
# the idle pass's set: the same findings with failure cases among them (equal severities: ties to order)
FAILURES = [CHEAP[0], _Finding("error", "F1", "loses r1", ("r1",)), *CHEAP[1:3],
            _Finding("warning", "F2", "degraded", ("u1",)), CHEAP[3], CHEAP[4], _Finding("error", "F3", "loses r9")]


def _shown(panel: ProblemsPanel) -> tuple[list[tuple[str, str, str, list[str]]], str]:
    return panel.visible_rows(), panel.summary_label.text()


def _fresh(qtbot, findings: list[_Finding], column: int, order: Qt.SortOrder):  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.table.sortByColumn(column, order)
    panel.set_findings(findings)
    return _shown(panel)


def test_switching_sets_keeps_the_rows_that_stay_and_shows_what_a_fresh_panel_shows(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(CHEAP)
    first = {panel.model.item(row, 2).text(): panel.model.item(row, 0) for row in range(panel.model.rowCount())}
    panel.set_findings(FAILURES)
    assert _shown(panel) == _fresh(qtbot, FAILURES, 0, Qt.SortOrder.AscendingOrder)
    # 5 kept + 3 new = 8 rows: errors E1 E2 F1 F3 = 4, warnings W1 W2 F2 = 3, info I1 = 1
    assert panel.summary_label.text() == "4 errors, 3 warnings, 1 info"
    after = {panel.model.item(row, 2).text(): panel.model.item(row, 0) for row in range(panel.model.rowCount())}
    assert all(after[message] is cell for message, cell in first.items())  # the same items: not rebuilt
    panel.set_findings(CHEAP)
    assert _shown(panel) == _fresh(qtbot, CHEAP, 0, Qt.SortOrder.AscendingOrder)
    assert panel.summary_label.text() == "2 errors, 2 warnings, 1 info"


def test_random_changes_show_what_a_fresh_panel_shows(qtbot) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    pool = [_Finding(rng.choice(("error", "warning", "info")), f"C{i % 4}", f"message {i % 9}", (f"r{i % 5}",))
            for i in range(30)]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    for step in range(40):
        column, order = step % 4, Qt.SortOrder(step % 2)
        panel.table.sortByColumn(column, order)
        findings = [f for f in pool if rng.random() < 0.6]
        if step % 5 == 4:
            rng.shuffle(findings)  # the kept ones change order: built again
        if step % 7 == 6:
            findings = findings + findings[:3]  # the same finding twice
        panel.set_findings(findings)
        assert _shown(panel) == _fresh(qtbot, findings, column, order), step


def test_the_severity_text_follows_the_width_in_every_row_even_rows_added_while_narrow(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_findings(CHEAP)
    assert {panel.proxy.index(row, 0).data() for row in range(5)} == {"Error", "Warning", "Info"}
    panel.resize(260, 400)  # narrow: the icon alone
    panel.set_findings(FAILURES)  # three rows made while narrow
    assert [panel.proxy.index(row, 0).data() for row in range(8)] == [""] * 8
    horizontal = Qt.Orientation.Horizontal
    assert panel.proxy.headerData(0, horizontal) == ""
    assert panel.proxy.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) == "Severity (click to sort)"
    panel.resize(900, 400)
    shown = [panel.proxy.index(row, 0).data() for row in range(8)]
    # sorted by severity: 4 errors, 3 warnings, 1 info
    assert shown == ["Error"] * 4 + ["Warning"] * 3 + ["Info"]
    assert panel.proxy.headerData(0, Qt.Orientation.Horizontal) == "Severity"


def test_a_finding_shown_again_is_not_keyed_again(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The analysis hands a standing finding back as the same object: its key (a 50k campus's nameplate
    finding names 9,230 items) is made once; an equal finding in a new object is keyed anew and shown
    the same."""
    import designer.ui.panels.problems as problems

    keyed: list[object] = []
    make_key = problems._finding_key
    monkeypatch.setattr(problems, "_finding_key", lambda finding: keyed.append(finding) or make_key(finding))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(CHEAP)
    assert len(keyed) == len(CHEAP)
    shown = _shown(panel)
    panel.set_findings(FAILURES)
    assert len(keyed) == len(CHEAP) + 3  # the three failure findings only
    panel.set_findings(list(CHEAP))
    assert len(keyed) == len(CHEAP) + 3 and _shown(panel) == shown
    copy = _Finding(*(getattr(CHEAP[0], name) for name in ("severity", "code", "message", "item_ids")))
    panel.set_findings([copy, *CHEAP[1:]])
    assert keyed[-1] is copy and _shown(panel) == shown
