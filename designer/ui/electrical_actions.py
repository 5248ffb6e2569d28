"""Analysis ▸ Auto-balance phases: assign the single-phase loads' phases in one undo step."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QAction

from designer.ui.commands import UpdateItemsCommand
from designer.ui.document import Document
from designer.ui.host import FeatureHost
from designer.ui.menus import menu_titled


def auto_balance_phases(document: Document) -> int:
    """Assign phases to the single-phase racks and rack PDUs so that the worst imbalance of their panels
    over the design day is least; push it as one command. Returns how many items changed (0: nothing pushed)."""
    from designer.analysis.engine import Analyzer
    from designer.analysis.phase_balance import balance_phases
    from designer.model.catalog import merged_catalog

    project = document.project
    catalog = merged_catalog(document.catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        results = analyzer.analyze(project, catalog, failures=False)
        phases = balance_phases(project, catalog, results, analyzer.profiles_for(project))
    finally:
        analyzer.close()
    changed = [replace(project.items[item_id], phase=phase) for item_id, phase in sorted(phases.items())
               if project.items[item_id].phase != phase]
    if changed:
        document.push(UpdateItemsCommand(project, changed, f"Auto-balance phases ({len(changed)} loads)"))
    return len(changed)


@dataclass(frozen=True, slots=True)
class ElectricalActions:
    auto_balance: QAction


def install_electrical_actions(host: FeatureHost) -> ElectricalActions:
    """Add Analysis ▸ Auto-balance phases to ``host``'s menu bar; return the action."""
    action = QAction("Auto-&balance Phases", host.window())
    action.setObjectName("AutoBalancePhasesAction")
    action.setStatusTip("Assign L1/L2/L3 to the single-phase racks so each panel and busway is as balanced "
                        "as it can be over the design day (one undo step)")

    def run() -> None:
        changed = auto_balance_phases(host.document)
        host.statusBar().showMessage(
            f"Auto-balance: {changed} load(s) moved to another phase" if changed
            else "Auto-balance: the phases are already as balanced as they can be", 5000)

    action.triggered.connect(run)
    menu_titled(host, "Analysis").addAction(action)
    return ElectricalActions(action)
