"""Analysis ▸ Auto-balance Phases (one undo step) and Analysis ▸ Electrical Settings (derating, limits, cables)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QWidget

from designer.model.records import DesignSettings
from designer.ui.commands import UpdateItemsCommand
from designer.ui.commands_dashboard import SetSettingsCommand
from designer.ui.document import Document
from designer.ui.host import FeatureHost
from designer.ui.menus import menu_titled
from designer.ui.project_dialogs import run_dialog


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


class ElectricalSettingsDialog(QDialog):
    """The electrical settings of the project, each within the range the project file accepts."""

    def __init__(self, settings: DesignSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Electrical Settings")
        self.setObjectName("ElectricalSettingsDialog")
        self._settings = settings
        form = QFormLayout(self)

        def spin(low: float, high: float, decimals: int, step: float, suffix: str, value: float,
                 tip: str) -> QDoubleSpinBox:
            box = QDoubleSpinBox(self)
            box.setRange(low, high)
            box.setDecimals(decimals)
            box.setSingleStep(step)
            box.setSuffix(suffix)
            box.setValue(value)
            box.setToolTip(tip)
            return box

        self.derating = spin(50.0, 100.0, 0, 5.0, " %", settings.continuous_derating * 100,
                             "Continuous load allowed on breakers, busways and panels: 80 % (NEC practice) or 100 % "
                             "for assemblies listed for continuous operation at their rating")
        self.imbalance = spin(0.0, 100.0, 1, 1.0, " %", settings.phase_imbalance_limit * 100,
                              "Largest deviation of a phase current from the mean of a panel or busway")
        self.voltage_drop = spin(0.1, 20.0, 1, 0.5, " %", settings.voltage_drop_limit * 100,
                                 "Voltage drop of one run at design current")
        self.slack = spin(0.0, 100.0, 0, 5.0, " %", settings.cable_slack * 100, "Cable length over the route")
        self.vertical = spin(0.0, 20.0, 1, 0.5, " m", settings.cable_vertical_mm / 1000,
                             "Rise and drop of a run between the floor and the tray")
        self.ramp = spin(0.1, 1e7, 1, 100.0, " kW/s", settings.utility_ramp_kw_per_s,
                         "How fast the utility lets the site's draw change")
        self.standard = QComboBox(self)
        for text, value in (("IEC 60364-5-52 (mm²)", "iec"), ("NEC 310.16 (AWG/kcmil)", "nec")):
            self.standard.addItem(text, value)
        self.standard.setCurrentIndex(max(0, self.standard.findData(settings.cable_standard)))
        self.material = QComboBox(self)
        for text, value in (("Copper", "copper"), ("Aluminium", "aluminium")):
            self.material.addItem(text, value)
        self.material.setCurrentIndex(max(0, self.material.findData(settings.conductor_material)))
        for title, widget in (("Continuous load limit", self.derating), ("Phase imbalance limit", self.imbalance),
                              ("Voltage drop limit", self.voltage_drop), ("Cable slack", self.slack),
                              ("Vertical rise and drop", self.vertical), ("Utility ramp limit", self.ramp),
                              ("Ampacity table", self.standard), ("Conductors", self.material)):
            form.addRow(title, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def settings(self) -> DesignSettings:
        """The project's settings with the dialog's values."""
        return replace(
            self._settings,
            continuous_derating=round(self.derating.value(), 6) / 100,
            phase_imbalance_limit=round(self.imbalance.value(), 6) / 100,
            voltage_drop_limit=round(self.voltage_drop.value(), 6) / 100,
            cable_slack=round(self.slack.value(), 6) / 100,
            cable_vertical_mm=round(self.vertical.value() * 1000, 3),
            utility_ramp_kw_per_s=self.ramp.value(),
            cable_standard=str(self.standard.currentData()),
            conductor_material=str(self.material.currentData()),
        )


def edit_electrical_settings(document: Document, parent: QWidget | None = None) -> bool:
    """Ask for the electrical settings; a change is one undo step. True when something changed."""
    project = document.project
    dialog = ElectricalSettingsDialog(project.settings, parent)
    try:
        if run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        settings = dialog.settings()
    finally:
        dialog.deleteLater()
    if settings == project.settings:
        return False
    document.push(SetSettingsCommand(project, settings, "Change electrical settings"))
    return True


@dataclass(frozen=True, slots=True)
class ElectricalActions:
    auto_balance: QAction
    settings: QAction


def install_electrical_actions(host: FeatureHost) -> ElectricalActions:
    """Add Analysis ▸ Auto-balance Phases and Electrical Settings to ``host``'s menu bar; return the actions."""
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
    settings = QAction("&Electrical Settings…", host.window())
    settings.setObjectName("ElectricalSettingsAction")
    settings.setStatusTip("Continuous derating, phase imbalance and voltage drop limits, cable routing, the "
                          "ampacity table and the utility's ramp limit")
    settings.triggered.connect(lambda: edit_electrical_settings(host.document, host.window()))
    menu = menu_titled(host, "Analysis")
    menu.addAction(action)
    menu.addAction(settings)
    return ElectricalActions(action, settings)
