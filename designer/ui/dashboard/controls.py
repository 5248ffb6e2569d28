"""MixControlsPanel: inference share, scenario timeline, year, play, hour, supply classes and climate."""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.climate import load_climates
from designer.analysis.facility import AIR_SUPPLY_SETPOINT_C, LIQUID_CLASSES_C
from designer.model.records import ScenarioYear
from designer.ui.commands_dashboard import SetSettingsCommand, SetSiteCommand, UpdateScenarioCommand
from designer.ui.dashboard.state import DashboardState, next_year, timeline_years, year_share
from designer.ui.document import Document

SUPPLY_AIR_CATALOG = 9.5
"""The supply-air spin box's minimum, shown as "catalog": no project setting (the settings accept 10-45 °C)."""
SITE_CLIMATE = "\x00site"
"""Item data of the climate combo's entry for the site's own weather."""

SLIDER_STEPS = 1000
"""Slider resolution: 0.1 % of inference share."""
PLAY_INTERVAL_MS = 1000
TIMELINE_COLUMNS = ("Year", "Inference %", "AI density ×")


class MixControlsPanel(QWidget):
    """Writes the dashboard state (what-if) and pushes design changes (timeline, classes, climate) as commands."""

    def __init__(self, document: Document, state: DashboardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MixControlsPanel")
        self.document = document
        self.state = state
        try:
            self.climates = dict(load_climates())
        except (OSError, ValueError):
            self.climates = {}

        self.share_slider = QSlider(Qt.Orientation.Horizontal)
        self.share_slider.setRange(0, SLIDER_STEPS)
        self.share_slider.setToolTip("What-if inference share of the AI racks (not saved with the design)")
        self.share_spin = QDoubleSpinBox()
        self.share_spin.setRange(0.0, 100.0)
        self.share_spin.setDecimals(1)
        self.share_spin.setSingleStep(1.0)
        self.share_spin.setSuffix(" %")
        self.share_spin.setKeyboardTracking(False)
        self.share_note = QLabel("")
        self.share_note.setWordWrap(True)
        self.ai_racks_present = True
        self.share_note.setObjectName("ShareNote")
        self.year_combo = QComboBox()
        self.year_combo.setToolTip("Year of the active scenario: its share and AI density factor")
        self.play_button = QPushButton("▶ Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Step through the timeline years, one a second")
        self.hour_spin = QSpinBox()
        self.hour_spin.setRange(-1, 23)
        self.hour_spin.setSpecialValueText("IT peak")
        self.hour_spin.setSuffix(":00")
        self.hour_spin.setToolTip("Hour of the design day for per-component values (IT peak by default)")
        self.air_combo = QComboBox()
        self.air_combo.addItems(list(AIR_SUPPLY_SETPOINT_C))
        self.air_combo.setToolTip("ASHRAE air class of the air-cooled equipment")
        self.liquid_combo = QComboBox()
        self.liquid_combo.addItems(list(LIQUID_CLASSES_C))
        self.liquid_combo.setToolTip("ASHRAE liquid class: maximum facility-water supply temperature")
        self.supply_air_spin = QDoubleSpinBox()
        self.supply_air_spin.setRange(SUPPLY_AIR_CATALOG, 45.0)
        self.supply_air_spin.setSingleStep(0.5)
        self.supply_air_spin.setDecimals(1)
        self.supply_air_spin.setSuffix(" °C")
        self.supply_air_spin.setSpecialValueText("catalog")
        self.supply_air_spin.setToolTip("Supply-air temperature of the air units; 'catalog' uses each unit's own "
                                        "value (else the air class setpoint). Warmer air, warmer chilled water: "
                                        "more free-cooling hours")
        self.climate_combo = QComboBox()
        self.climate_combo.setToolTip("Climate of the site (annual PUE, free-cooling hours)")
        for combo in (self.year_combo, self.air_combo, self.liquid_combo, self.climate_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(5)
        self.share_slider.setMinimumWidth(80)
        self.timeline = QTableWidget(0, len(TIMELINE_COLUMNS))
        self.timeline.setHorizontalHeaderLabels(list(TIMELINE_COLUMNS))
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.timeline.setMinimumHeight(60)
        self.add_year_button = QPushButton("Add year")
        self.remove_year_button = QPushButton("Remove year")

        share_row = QHBoxLayout()
        share_row.addWidget(self.share_slider, 1)
        share_row.addWidget(self.share_spin)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year_combo, 1)
        year_row.addWidget(self.play_button)
        classes_row = QHBoxLayout()
        classes_row.addWidget(QLabel("air"))
        classes_row.addWidget(self.air_combo, 1)
        classes_row.addWidget(QLabel("liquid"))
        classes_row.addWidget(self.liquid_combo, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Inference", share_row)
        form.addRow("", self.share_note)
        form.addRow("Year", year_row)
        form.addRow("Hour", self.hour_spin)
        form.addRow("Supply class", classes_row)
        form.addRow("Supply air", self.supply_air_spin)
        form.addRow("Climate", self.climate_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_year_button)
        buttons.addWidget(self.remove_year_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addWidget(QLabel("Scenario timeline"))
        layout.addWidget(self.timeline, 1)
        layout.addLayout(buttons)

        self.play_timer = QTimer(self)
        self.play_timer.setInterval(PLAY_INTERVAL_MS)
        self.play_timer.timeout.connect(self.step_play)

        self.share_slider.valueChanged.connect(self._on_share_slider_changed)
        self.share_spin.valueChanged.connect(self._on_share_spin_changed)
        self.year_combo.activated.connect(self._on_year_combo_activated)
        self.play_button.toggled.connect(self._on_play_button_toggled)
        self.hour_spin.valueChanged.connect(self._on_hour_spin_changed)
        self.air_combo.activated.connect(self._on_air_combo_activated)
        self.liquid_combo.activated.connect(self._on_liquid_combo_activated)
        self.climate_combo.activated.connect(self._on_climate_combo_activated)
        self.supply_air_spin.editingFinished.connect(self._on_supply_air_spin_editing_finished)
        self.timeline.itemChanged.connect(self._on_timeline_item_changed)
        self.add_year_button.clicked.connect(self.add_year)
        self.remove_year_button.clicked.connect(self.remove_year)
        state.subscribe(self._on_state_changed)
        document.undo_stack.indexChanged.connect(self.refresh_from_project)
        document.project_replaced.connect(self.refresh_from_project)
        self.refresh_from_project()
        self._show_state()

    # ----------------------------------------------------------------- state -> widgets
    def _on_state_changed(self, name: str) -> None:
        self._show_state()

    def _show_state(self) -> None:
        state = self.state
        with QSignalBlocker(self.share_slider), QSignalBlocker(self.share_spin):
            self.share_slider.setValue(round(state.inference_share * SLIDER_STEPS))
            self.share_spin.setValue(round(state.inference_share * 100.0, 1))
        with QSignalBlocker(self.year_combo):
            self.year_combo.setCurrentIndex(max(self.year_combo.findData(state.year), 0))
        with QSignalBlocker(self.hour_spin):
            self.hour_spin.setValue(-1 if state.hour is None else state.hour)
        with QSignalBlocker(self.play_button):
            self.play_button.setChecked(state.playing)
            self.play_button.setText("■ Stop" if state.playing else "▶ Play")
        project = self.document.project
        timeline = year_share(project, state.year) if state.year is not None else None
        if not self.ai_racks_present:
            self.share_note.setText("No racks of class “ai”: the share changes nothing here")
            self.share_note.setToolTip("Training and inference racks follow their own profiles; only racks of "
                                       "workload class “ai” move with the inference share")
        elif timeline is None:
            self.share_note.setText("what-if share (no scenario year)")
        elif math.isclose(timeline, state.inference_share, abs_tol=5e-4):
            self.share_note.setText(f"timeline share of {state.year}")
        else:
            self.share_note.setText(f"what-if (timeline {state.year}: {timeline * 100:.0f} %)")

    def set_ai_racks_present(self, present: bool) -> None:
        """Whether the design has ``ai`` racks (the only ones the inference share moves)."""
        if present != self.ai_racks_present:
            self.ai_racks_present = present
            self._show_state()

    # ----------------------------------------------------------------- project -> widgets
    def refresh_from_project(self, *_args: object) -> None:
        project = self.document.project
        settings = project.settings
        with QSignalBlocker(self.air_combo):
            self.air_combo.setCurrentIndex(max(self.air_combo.findText(settings.air_class), 0))
        with QSignalBlocker(self.liquid_combo):
            self.liquid_combo.setCurrentIndex(max(self.liquid_combo.findText(settings.liquid_class), 0))
        with QSignalBlocker(self.supply_air_spin):
            air = settings.supply_air_c
            self.supply_air_spin.setValue(SUPPLY_AIR_CATALOG if air is None else air)
        with QSignalBlocker(self.climate_combo):
            self.climate_combo.clear()
            for climate_id, climate in sorted(self.climates.items(), key=lambda kv: kv[1].name):
                self.climate_combo.addItem(climate.name, climate_id)
            own = project.site.climate
            if own is not None:  # the site's own weather (typed in or imported) wins over climate_id
                self.climate_combo.insertItem(0, f"Site's own: {own.name}", SITE_CLIMATE)
                self.climate_combo.setCurrentIndex(0)
            else:
                if project.site.climate_id not in self.climates:
                    self.climate_combo.insertItem(0, f"(unknown: {project.site.climate_id or 'none'})",
                                                  project.site.climate_id)
                self.climate_combo.setCurrentIndex(max(self.climate_combo.findData(project.site.climate_id), 0))
        scenario = project.active_scenario
        years = scenario.years if scenario is not None else ()
        with QSignalBlocker(self.year_combo):
            self.year_combo.clear()
            for entry in years:
                self.year_combo.addItem(f"{entry.year} · {entry.inference_share * 100:.0f} %", entry.year)
        with QSignalBlocker(self.timeline):
            self.timeline.setRowCount(len(years))
            for row, entry in enumerate(years):
                values = (str(entry.year), f"{entry.inference_share * 100:g}", f"{entry.ai_density_factor:g}")
                for col, text in enumerate(values):
                    cell = QTableWidgetItem(text)
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.timeline.setItem(row, col, cell)
        for widget in (self.timeline, self.add_year_button, self.remove_year_button, self.play_button):
            widget.setEnabled(scenario is not None)
        self.year_combo.setEnabled(bool(years))
        if self.state.year is not None and self.state.year not in [e.year for e in years]:
            self.state.set_year(years[0].year if years else None, project)
        self._show_state()

    # ----------------------------------------------------------------- widgets -> state (view only)
    def _on_share_slider_changed(self, value: int) -> None:
        self.state.set_inference_share(value / SLIDER_STEPS)

    def _on_share_spin_changed(self, value: float) -> None:
        self.state.set_inference_share(value / 100.0)

    def _on_year_combo_activated(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if year is not None:
            self.state.set_year(int(year), self.document.project)

    def _on_hour_spin_changed(self, value: int) -> None:
        self.state.set_hour(None if value < 0 else value)

    def _on_play_button_toggled(self, on: bool) -> None:
        self.set_playing(on)

    def set_playing(self, on: bool) -> None:
        """Start (from the first year when at the end) or stop the timeline animation."""
        project = self.document.project
        years = timeline_years(project)
        if on and years:
            if self.state.year is None or next_year(project, self.state.year) is None:
                self.state.set_year(years[0], project)
            else:
                self.state.set_year(self.state.year, project)
            self.play_timer.start()
            self.state.set_playing(True)
        else:
            self.play_timer.stop()
            self.state.set_playing(False)
        self._show_state()

    def step_play(self) -> None:
        """One animation step: the next year, or stop at the end."""
        project = self.document.project
        following = next_year(project, self.state.year)
        if following is None:
            self.set_playing(False)
            return
        self.state.set_year(following, project)
        if next_year(project, following) is None:
            self.set_playing(False)

    # ----------------------------------------------------------------- design changes (undoable)
    def _on_air_combo_activated(self, index: int) -> None:
        self.set_air_class(self.air_combo.itemText(index))

    def _on_liquid_combo_activated(self, index: int) -> None:
        self.set_liquid_class(self.liquid_combo.itemText(index))

    def set_air_class(self, air_class: str) -> None:
        project = self.document.project
        if air_class and air_class != project.settings.air_class:
            self.document.push(SetSettingsCommand(project, replace(project.settings, air_class=air_class),
                                                  f"Air class {air_class}"))

    def set_liquid_class(self, liquid_class: str) -> None:
        project = self.document.project
        if liquid_class and liquid_class != project.settings.liquid_class:
            self.document.push(SetSettingsCommand(project, replace(project.settings, liquid_class=liquid_class),
                                                  f"Liquid class {liquid_class}"))

    def _on_climate_combo_activated(self, index: int) -> None:
        climate_id = self.climate_combo.itemData(index)
        project = self.document.project
        if climate_id == SITE_CLIMATE:
            return
        if climate_id and (climate_id != project.site.climate_id or project.site.climate is not None):
            name = self.climates[climate_id].name if climate_id in self.climates else climate_id
            # choosing a bundled climate drops the site's own weather (undoable)
            self.document.push(SetSiteCommand(project, replace(project.site, climate_id=climate_id, climate=None),
                                              f"Climate {name}"))

    def _on_supply_air_spin_editing_finished(self) -> None:
        self.set_supply_air(self.supply_air_spin.value())

    def set_supply_air(self, value_c: float) -> None:
        """Set the supply-air temperature (the spin box's minimum means: the catalog's values)."""
        project = self.document.project
        supply: float | None = None if value_c <= SUPPLY_AIR_CATALOG else float(value_c)
        if supply != project.settings.supply_air_c:
            text = "Supply air from the catalog" if supply is None else f"Supply air {supply:g} °C"
            self.document.push(SetSettingsCommand(project, replace(project.settings, supply_air_c=supply), text))

    def set_timeline(self, years: list[ScenarioYear], text: str) -> None:
        """Replace the active scenario's years (sorted, unique) through the undo stack."""
        project = self.document.project
        scenario = project.active_scenario
        if scenario is None or not years:
            return
        unique = {entry.year: entry for entry in years}
        ordered = tuple(unique[y] for y in sorted(unique))
        if ordered != scenario.years:
            self.document.push(UpdateScenarioCommand(project, replace(scenario, years=ordered), text))

    def _on_timeline_item_changed(self, cell: QTableWidgetItem) -> None:
        scenario = self.document.project.active_scenario
        if scenario is None:
            return
        row = cell.row()
        years = list(scenario.years)
        if not 0 <= row < len(years):
            return
        old = years[row]
        try:
            value = float(cell.text().replace("%", "").replace("×", "").strip())
            if cell.column() == 0:
                years[row] = replace(old, year=int(value))
            elif cell.column() == 1:
                if not 0.0 <= value <= 100.0:
                    raise ValueError
                years[row] = replace(old, inference_share=value / 100.0)
            else:
                if not 0.0 < value <= 20.0:
                    raise ValueError
                years[row] = replace(old, ai_density_factor=value)
        except ValueError:
            self.refresh_from_project()
            return
        self.set_timeline(years, f"Edit timeline {old.year}")
        if self.state.year == old.year:
            self.state.set_year(years[row].year, self.document.project)
        self.refresh_from_project()

    def add_year(self) -> None:
        scenario = self.document.project.active_scenario
        if scenario is None:
            return
        last = scenario.years[-1] if scenario.years else ScenarioYear(2025, 0.5)
        added = replace(last, year=last.year + 1) if scenario.years else last
        self.set_timeline([*scenario.years, added], f"Add year {added.year}")

    def remove_year(self) -> None:
        scenario = self.document.project.active_scenario
        if scenario is None or len(scenario.years) <= 1:
            return
        row = self.timeline.currentRow()
        row = row if 0 <= row < len(scenario.years) else len(scenario.years) - 1
        gone = scenario.years[row]
        self.set_timeline([e for i, e in enumerate(scenario.years) if i != row], f"Remove year {gone.year}")
