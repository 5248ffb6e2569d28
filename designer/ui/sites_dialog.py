"""Analysis ▸ Sites Side by Side: the open design at candidate sites (every bundled climate to start with), as a
table and a bar chart; and the menu entries that open it and the Costs and Carbon settings."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.climate import Climate, load_climates
from designer.analysis.economics_report import money
from designer.analysis.profiles import ProfileDataError
from designer.analysis.sites import SiteResult, UnknownClimateError, compare_sites
from designer.io.catalog_io import load_catalog
from designer.io.errors import FileFormatError
from designer.model.catalog import merged_catalog
from designer.model.economics import CandidateSite
from designer.model.events import ChangeEvent, Collection
from designer.model.project import Project
from designer.ui.document import Document
from designer.ui.economics_dialog import defaults_or_none, edit_economics
from designer.ui.host import FeatureHost
from designer.ui.plain_text import plain_html, plain_label

CANDIDATE_COLUMNS = ("Site", "Latitude", "Longitude", "Climate", "Tariff /kWh", "Grid gCO2/kWh", "Land cost")
METRICS: tuple[tuple[str, str], ...] = (
    ("annual_pue", "Annual PUE"),
    ("chiller_free_h", "Chiller-free hours"),
    ("energy_cost", "Energy cost per year"),
    ("co2_t", "CO2 t per year"),
    ("water_m3", "Water m3 per year"),
    ("npv", "NPV of cost"),
)


NAME_COLUMN_PX = 200
MONEY_METRICS = frozenset({"energy_cost", "npv"})


def _cell(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        item.setToolTip(plain_html(tooltip))  # a tooltip is rich text when it looks like HTML
    return item


def _exact(value: float | None) -> str:
    """The shortest text that reads back as the same number ("" for none)."""
    return "" if value is None else repr(float(value)).removesuffix(".0")


def _number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}" if math.isfinite(value) else "n/a"


class SitesDialog(QDialog):
    """Candidates on top (editable), results and a chart below; Compare reruns the design at each.

    The candidates are the project's own (``settings.economics.candidate_sites``) or, when it keeps none, every
    bundled climate as a suggestion. With a ``document``, each edit of the table that reads well keeps the list
    in the project as one undo step, and the table follows the project (undo, redo, a file reverted).
    """

    def __init__(self, project: Project, climates: dict[str, Climate], parent: QWidget | None = None, *,
                 document: Document | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sites Side by Side")
        self.project = project
        self.document = document
        self.climates = climates
        self.results: list[SiteResult] = []
        self._filling = False
        self._kept = False
        """Whether the table shows the project's kept candidates (False: the suggestions)."""
        self.candidates = QTableWidget(0, len(CANDIDATE_COLUMNS))
        self.candidates.setObjectName("SiteCandidates")
        self.candidates.setHorizontalHeaderLabels(CANDIDATE_COLUMNS)
        self.candidates.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.candidates_label = plain_label(QLabel(""))
        self._fill_candidates()
        self.candidates.itemChanged.connect(self._on_candidates_edited)
        for column, width in enumerate((240, 90, 90, 260, 100, 110, 110)):
            self.candidates.setColumnWidth(column, width)
        self.add_button = QPushButton("Add Site")
        self.add_button.clicked.connect(self._add_blank)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove_selected)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setDefault(True)
        self.compare_button.clicked.connect(self.compare)
        buttons_row = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons_row.addWidget(button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.compare_button)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("SiteResults")
        self.table.setSortingEnabled(False)
        self.metric_combo = QComboBox()
        for key, label in METRICS:
            self.metric_combo.addItem(label, key)
        self.metric_combo.currentIndexChanged.connect(self._draw_chart)
        self.chart = pg.PlotWidget(background="w")
        self.chart.setMinimumHeight(180)
        self.chart.getAxis("left").setWidth(70)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush="#0072B2")
        self.chart.addItem(self.bars)
        self.problem = plain_label(QLabel(""))
        self.problem.setStyleSheet("color: #C62828")
        self.problem.setWordWrap(True)
        self.note = plain_label(QLabel(
            "Each site runs the same design on that climate's weather days (no single failures). Tariff and grid "
            "carbon: blank = the region's sourced default, marked 'default' with its source on hover. Latency: fibre "
            "round trip at 1.5 x the great circle. No map: no well-kept package ships an offline world outline "
            "without a heavy stack."))
        self.note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        metric_row = QHBoxLayout()
        metric_row.addWidget(QLabel("Chart"))
        metric_row.addWidget(self.metric_combo)
        metric_row.addStretch(1)
        chart_layout.addLayout(metric_row)
        chart_layout.addWidget(self.chart, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.candidates_label)
        top_layout.addWidget(self.candidates, 1)
        top_layout.addLayout(buttons_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.table)
        splitter.addWidget(chart_box)
        splitter.setSizes([220, 260, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self.resize(1180, 820)
        if document is not None:
            project.events.subscribe(self._on_project_change)
            self.finished.connect(lambda _result: project.events.unsubscribe(self._on_project_change))

    # ----------------------------------------------------------------- kept in the project
    def _fill_candidates(self) -> None:
        """The project's candidates, else every bundled climate but the site's own as suggestions."""
        kept = self.project.settings.economics.candidate_sites
        sites = list(kept) or [CandidateSite(c.name, c.latitude_deg, c.longitude_deg, c.id)
                               for c in sorted(self.climates.values(), key=lambda c: c.name)
                               if c.id != self.project.site.climate_id]
        self._filling = True
        try:
            self.candidates.setRowCount(0)
            for site in sites:
                self.add_candidate(site)
        finally:
            self._filling = False
        self._label()

    def _label(self) -> None:
        self._kept = bool(self.project.settings.economics.candidate_sites)
        where = ("kept in the project; each edit is one undo step" if self._kept else
                 "suggested: every bundled climate; an edit keeps the list in the project" if self.document
                 else "suggested: every bundled climate")
        self.candidates_label.setText(f"Candidate sites ({where}; blank tariff or carbon = default)")

    def _on_candidates_edited(self, *_args: object) -> None:
        """Keep the table in the project (one undo step) when it reads well; else say what is wrong."""
        if self._filling or self.document is None:
            return
        try:
            sites = tuple(self.candidate_sites())
        except ValueError as error:
            self.problem.setText(str(error))
            return
        self.problem.setText("")
        if sites != self.project.settings.economics.candidate_sites:
            from designer.ui.commands_project import SetCandidateSitesCommand

            self.document.push(SetCandidateSitesCommand(self.project, sites))

    def _on_project_change(self, event: ChangeEvent) -> None:
        """Follow an undo, a redo or another change of the kept candidates."""
        if event.collection is not Collection.SETTINGS:
            return
        kept = self.project.settings.economics.candidate_sites
        try:
            shown: tuple[CandidateSite, ...] | None = tuple(self.candidate_sites())
        except ValueError:
            shown = None
        if kept and shown == kept:
            self._label()  # the table's own edit, now kept
        elif kept or self._kept:
            self._fill_candidates()  # the project's list changed under the table, or was undone to nothing

    # ----------------------------------------------------------------- candidates
    def add_candidate(self, site: CandidateSite) -> None:
        row = self.candidates.rowCount()
        self.candidates.insertRow(row)
        combo = QComboBox()
        for climate in sorted(self.climates.values(), key=lambda c: c.name):
            combo.addItem(climate.name, climate.id)
        combo.setCurrentIndex(max(combo.findData(site.climate_id), 0))
        combo.currentIndexChanged.connect(self._on_candidates_edited)
        values = (site.name, _exact(site.latitude_deg), _exact(site.longitude_deg), None,
                  _exact(site.tariff_per_kwh), _exact(site.grid_carbon_g_per_kwh), _exact(site.land_cost))
        for column, value in enumerate(values):
            if value is not None:
                cell = QTableWidgetItem(value)
                if column == 0:  # the grid region has no column: it rides with the name
                    cell.setData(Qt.ItemDataRole.UserRole, site.grid_region_id)
                self.candidates.setItem(row, column, cell)
        self.candidates.setCellWidget(row, 3, combo)

    def _add_blank(self) -> None:
        first = next(iter(sorted(self.climates.values(), key=lambda c: c.name)), None)
        if first is not None:
            self._filling = True
            try:
                self.add_candidate(CandidateSite("New site", first.latitude_deg, first.longitude_deg, first.id))
            finally:
                self._filling = False
            self._on_candidates_edited()

    def _remove_selected(self) -> None:
        self._filling = True
        try:
            for row in sorted({index.row() for index in self.candidates.selectedIndexes()}, reverse=True):
                self.candidates.removeRow(row)
        finally:
            self._filling = False
        self._on_candidates_edited()

    def candidate_sites(self) -> list[CandidateSite]:
        """The table as candidates; ValueError naming the row and column of a bad cell."""
        from designer.io.sites_io import candidate_from_fields

        sites = []
        for row in range(self.candidates.rowCount()):
            texts = [(self.candidates.item(row, c).text() if self.candidates.item(row, c) else "").strip()
                     for c in range(len(CANDIDATE_COLUMNS))]
            combo = self.candidates.cellWidget(row, 3)
            texts[3] = str(combo.currentData()) if isinstance(combo, QComboBox) else ""
            try:
                site = candidate_from_fields(*texts)
            except ValueError as error:
                raise ValueError(f"row {row + 1}: {error}") from None
            name = self.candidates.item(row, 0)
            region = name.data(Qt.ItemDataRole.UserRole) if name is not None else None
            sites.append(replace(site, grid_region_id=region) if isinstance(region, str) else site)
        return sites

    # ----------------------------------------------------------------- results
    def compare(self) -> None:
        self.problem.setText("")
        defaults, problem = defaults_or_none()
        if defaults is None:
            self.problem.setText(problem)
            return
        try:
            candidates = self.candidate_sites()
            catalog = merged_catalog(load_catalog(), self.project.custom_catalog)
            self.results = compare_sites(self.project, catalog, candidates, self.climates, defaults)
        except (ValueError, UnknownClimateError, FileFormatError) as error:
            text = error.one_line() if isinstance(error, FileFormatError) else str(error)
            self.problem.setText(text)
            return
        self._fill_table()
        self._draw_chart()

    def _fill_table(self) -> None:
        regions = [lat.region for lat in self.results[0].latency] if self.results else []
        headers = ["Site", "Climate", "PUE", "Chiller-free h", "Energy /yr", "CO2 t/yr", "Water m3/yr", "WUE L/kWh",
                   "NPV", "Tariff", "Grid gCO2/kWh", *[f"RTT {r} ms" for r in regions]]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            currency = r.summary.currency
            tariff = r.tariff
            tariff_mark = "" if not tariff.is_default else f" default [{tariff.confidence}]"
            grid_text = "unknown" if r.grid is None else f"{r.grid.value:g}" + (
                f" default [{r.grid.confidence}]" if r.grid.is_default else "")
            cells = [
                _cell(r.name + (" (this design's site)" if r.own_site else ""), r.name),
                _cell(r.climate_name, r.climate_name),
                _cell(_number(r.annual_pue, 3)),
                _cell(_number(r.chiller_free_h)),
                _cell(money(r.energy_cost, currency)),
                _cell(_number(r.co2_t)),
                _cell(_number(r.water_m3)),
                _cell(_number(r.wue_l_per_kwh, 3)),
                _cell(money(r.npv, currency), "land included" if r.land_cost else ""),
                _cell(f"{tariff.value:g}{tariff_mark}", tariff.source),
                _cell(grid_text, r.grid.source if r.grid is not None else "no region or figure: no CO2"),
                *[_cell(_number(lat.rtt_ms, 1)) for lat in r.latency],
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        for column in (0, 1):  # long station names must not push the figures out of sight
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), NAME_COLUMN_PX))

    def _draw_chart(self) -> None:
        key = str(self.metric_combo.currentData())
        values = np.array([float(getattr(r, key)) for r in self.results], dtype=float)
        values = np.where(np.isfinite(values), values, 0.0)
        label = self.metric_combo.currentText()
        if key in MONEY_METRICS and self.results:
            values = values / 1e6
            label += f" (M {self.results[0].summary.currency})"
        x = np.arange(len(values), dtype=float)
        self.bars.setOpts(x=x, height=values, width=0.6)
        axis = self.chart.getAxis("bottom")
        axis.setTicks([[(float(i), r.name[:14]) for i, r in enumerate(self.results)]])
        self.chart.setLabel("left", label)
        self.chart.autoRange()


def show_sites(host: FeatureHost) -> SitesDialog | None:
    """Open the sites dialog on the host's design and run the comparison once."""
    try:
        climates = dict(load_climates())
    except ProfileDataError as error:
        from designer.ui.plain_text import show_critical

        show_critical(host.window(), "Sites Side by Side", f"Climates unavailable: {error}")
        return None
    dialog = SitesDialog(host.document.project, climates, host.window(), document=host.document)
    dialog.compare()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


@dataclass(frozen=True)
class DecideActions:
    """What ``install_decide_menu`` built (the window keeps it)."""

    menu: QMenu
    economics: QAction
    sites: QAction


def install_decide_menu(host: FeatureHost) -> DecideActions:
    """Costs and Carbon… and Sites Side by Side… at the end of the Analysis menu (a Decide menu if none)."""
    menu = next((action.menu() for action in host.menuBar().actions()
                 if action.text().replace("&", "") == "Analysis" and isinstance(action.menu(), QMenu)), None)
    if menu is None:
        menu = host.menuBar().addMenu("&Decide")
    menu.addSeparator()
    economics = QAction("&Costs and Carbon…", host.window())
    economics.setStatusTip("Currency, tariff, maintenance, discount rate, study period and building cost over "
                           "their sourced defaults")
    economics.triggered.connect(lambda: edit_economics(host.document, host.window()))
    sites = QAction("&Sites Side by Side…", host.window())
    sites.setStatusTip("The design at candidate sites: PUE, chiller-free hours, energy cost, carbon, water, "
                       "latency")
    sites.triggered.connect(lambda: show_sites(host))
    menu.addAction(economics)
    menu.addAction(sites)
    return DecideActions(menu, economics, sites)
