"""Analysis ▸ Runway: for each hall and the site, the year power, cooling, space and floor load run out."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.analysis.runway import Runway, runway_from_results, runway_rows
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.pods import PodTemplate
from designer.model.project import Project
from designer.model.types import ItemKind
from designer.ui.plain_text import plain_label

NOTE = ("Each year is the design as built that year (in-service and retirement years), at that year's "
        "inference share and AI density. A resource runs out in the first year a hall has room for less than "
        "one more of its average racks; \"after\" means not within the years shown. The site has room while "
        "any hall has. Utility intakes, switchgear and plant are checked by the analysis of each year "
        "(dc-designer analyze --years).")


class RunwayDialog(QDialog):
    """The runway table of a design, with an optional growth rule (more racks a year in each hall)."""

    def __init__(self, project: Project, catalog: Mapping[str, CatalogEntry], analyzer: Analyzer | None = None,
                 parent: QWidget | None = None, templates: Mapping[str, PodTemplate] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Runway")
        self.setObjectName("RunwayDialog")
        self.project = project
        self.catalog = catalog
        self.runway: Runway | None = None
        self._per_year: list[tuple[int, Results]] = []
        layout = QVBoxLayout(self)
        self.title = plain_label(QLabel(self))
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        growth_row = QHBoxLayout()
        growth_row.addWidget(QLabel("Growth rule:", self))
        self.growth_spin = QSpinBox(self)
        self.growth_spin.setObjectName("growth_spin")
        self.growth_spin.setRange(0, 10_000)
        self.growth_spin.setSuffix(" more racks a year in each hall")
        self.growth_spin.setSpecialValueText("none (the planned deployments only)")
        self.growth_spin.setToolTip("E.g. one pod template's racks a year in the free space, after each hall's "
                                    "first year; followed past the last year of the timeline")
        growth_row.addWidget(self.growth_spin, 1)
        self.template_combo = QComboBox(self)
        self.template_combo.setObjectName("template_combo")
        self.template_combo.setToolTip("Set the growth to the racks of one pod template a year")
        self.template_combo.addItem("or one pod template a year…", 0)
        for template in (templates or {}).values():
            racks = sum(1 for i in template.items if (e := catalog.get(i.catalog_id)) is not None
                        and e.kind is ItemKind.RACK)
            if racks:
                self.template_combo.addItem(f"{template.name} ({racks} racks)", racks)
        self.template_combo.setVisible(self.template_combo.count() > 1)
        self.template_combo.activated.connect(self._on_template_combo_activated)
        growth_row.addWidget(self.template_combo)
        layout.addLayout(growth_row)
        self.table = QTableWidget(self)
        self.table.setObjectName("runway_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        note = plain_label(QLabel(NOTE, self))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.growth_spin.valueChanged.connect(self._on_growth_spin_value_changed)
        self._analyse(analyzer)
        self.resize(900, 360)

    def _analyse(self, analyzer: Analyzer | None) -> None:
        own = analyzer is None
        analyzer = analyzer or Analyzer()
        try:
            scenario = self.project.active_scenario
            years = [entry.year for entry in scenario.years] if scenario is not None else []
            self._per_year = [(year, analyzer.analyze(self.project, self.catalog, year=year, failures=False))
                              for year in years]
        finally:
            if own:
                analyzer.close()
        self.show_runway()

    def _on_template_combo_activated(self, index: int) -> None:
        racks = int(self.template_combo.itemData(index) or 0)
        if racks:
            self.growth_spin.setValue(racks)

    def _on_growth_spin_value_changed(self, _value: int) -> None:
        self.show_runway()

    def show_runway(self) -> None:
        """Fill the table (every cell plain text) for the growth rule set."""
        self.runway = runway_from_results(self.project, self.catalog, self._per_year,
                                          growth_racks_per_year=float(self.growth_spin.value()))
        years = self.runway.years
        if not years:
            self.title.setText("The design has no scenario years: there is no timeline to run out on.")
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        self.title.setText(f"Runway over {years[0]}–{years[-1]}: the first year each resource runs out, "
                           "and which binds first")
        header, *rows = runway_rows(self.runway)
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(["Hall", *header[1:]])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)  # plain text: hall names come from the file
                if c:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, cell)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)


def make_runway_action(parent: QWidget, project_of: Callable[[], Project],
                       catalog_of: Callable[[], Mapping[str, CatalogEntry]],
                       analyzer_of: Callable[[], Analyzer | None],
                       templates_of: Callable[[], Mapping[str, PodTemplate]] | None = None) -> QAction:
    """Analysis ▸ Runway…: opens a ``RunwayDialog`` of the current design (callables give the inputs)."""
    action = QAction("&Runway…", parent)
    action.setStatusTip("The year each hall and the site run out of power, cooling, space and floor load")

    def open_dialog() -> None:
        project = project_of()
        dialog = RunwayDialog(project, merged_catalog(catalog_of(), project.custom_catalog), analyzer_of(), parent,
                              templates_of() if templates_of is not None else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    action.triggered.connect(open_dialog)
    return action
