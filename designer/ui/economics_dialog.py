"""Analysis ▸ Costs and Carbon: the project's economics settings over the sourced defaults, one undo step,
and the site's grid carbon picker used by the Site dialog. Every default is shown with its source."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.economics import LABELS
from designer.io.economics_io import load_economics_defaults
from designer.io.errors import FileFormatError
from designer.model.economics import SETTING_KEYS, SETTING_LIMITS, EconomicsDefaults, EconomicsSettings
from designer.model.records import Site
from designer.ui.commands_dashboard import SetSettingsCommand
from designer.ui.document import Document
from designer.ui.plain_text import plain_label

DECIMALS: dict[str, int] = {"tariff_per_kwh": 4, "maintenance_rate": 4, "discount_rate": 4, "study_years": 0,
                            "escalation_rate": 4, "building_cost_per_mw": 0, "water_cost_per_m3": 3}


def defaults_or_none() -> tuple[EconomicsDefaults | None, str]:
    """The bundled defaults, or None and the problem (a dialog says it; never raises)."""
    try:
        return load_economics_defaults(), ""
    except FileFormatError as error:
        return None, f"Economics defaults unavailable: {error.one_line()}"


def _spin(key: str, value: float) -> QDoubleSpinBox:
    limits = SETTING_LIMITS[key]
    spin = QDoubleSpinBox()
    spin.setDecimals(DECIMALS.get(key, 3))
    spin.setRange(limits.low, limits.high)
    spin.setValue(value)
    spin.setObjectName(f"economics_{key}")
    return spin


def _parse_series(text: str, count: int) -> tuple[tuple[float, ...], str]:
    """``text`` as ``count`` comma-separated multipliers (empty = none), or a problem."""
    if not text.strip():
        return (), ""
    try:
        values = tuple(float(part) for part in text.replace(";", ",").split(","))
    except ValueError:
        return (), f"expected {count} numbers separated by commas"
    limits = SETTING_LIMITS["tariff_shape"]
    if len(values) != count:
        return (), f"expected {count} numbers, found {len(values)}"
    bad = next((limits.problem(v) for v in values if limits.problem(v) is not None), None)
    return (values, "") if bad is None else ((), bad)


class EconomicsDialog(QDialog):
    """One row per setting: 'own value' ticked = the project's value, else the default with its source."""

    def __init__(self, settings: EconomicsSettings, defaults: EconomicsDefaults, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Costs and Carbon")
        self.defaults = defaults
        self._candidate_sites = settings.candidate_sites
        self.own: dict[str, QCheckBox] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel("Own value"), 0, 0)
        grid.addWidget(QLabel("Setting"), 0, 1)
        grid.addWidget(QLabel("Value"), 0, 2)
        grid.addWidget(QLabel("Default and its source"), 0, 3)
        for row, key in enumerate(SETTING_KEYS, start=1):
            figure = defaults.figures[key]
            own = settings.override(key)
            check = QCheckBox()
            check.setChecked(own is not None)
            spin = _spin(key, figure.value if own is None else own)
            spin.setEnabled(own is not None)
            check.toggled.connect(spin.setEnabled)
            check.toggled.connect(lambda on, k=key: self._reset(k, on))
            spread = (f" ({figure.low:g} to {figure.high:g})" if figure.low is not None and figure.high is not None
                      else "")
            source = plain_label(QLabel(f"{figure.value:g} {figure.unit}{spread}, {figure.year} "
                                        f"[{figure.confidence.value}]: {figure.source}"))
            source.setWordWrap(True)
            source.setMinimumWidth(420)
            self.own[key], self.spins[key] = check, spin
            grid.addWidget(check, row, 0)
            grid.addWidget(plain_label(QLabel(LABELS[key])), row, 1)
            grid.addWidget(spin, row, 2)
            grid.addWidget(source, row, 3)
        self.currency_edit = QLineEdit(settings.currency or defaults.currency)
        self.currency_edit.setMaxLength(3)
        self.currency_edit.setToolTip("ISO 4217 code. Catalog prices and defaults in another currency are "
                                      "left out of the totals (listed as not costed), never converted.")
        self.price_year_spin = QSpinBox()
        self.price_year_spin.setRange(1990, 2100)
        self.price_year_spin.setValue(settings.price_year or defaults.price_year)
        self.shell_check = QCheckBox("Shell cost per m2 of hall floor")
        self.shell_check.setChecked(settings.shell_cost_per_m2 is not None)
        self.shell_spin = _spin("shell_cost_per_m2", settings.shell_cost_per_m2 or 0.0)
        self.shell_spin.setEnabled(self.shell_check.isChecked())
        self.shell_check.toggled.connect(self.shell_spin.setEnabled)
        self.monthly_edit = QLineEdit(", ".join(f"{v:g}" for v in settings.tariff_monthly_shape))
        self.monthly_edit.setPlaceholderText("12 multipliers, January first (empty: flat)")
        self.hourly_edit = QLineEdit(", ".join(f"{v:g}" for v in settings.tariff_hourly_shape))
        self.hourly_edit.setPlaceholderText("24 multipliers by local hour (empty: flat)")
        form = QFormLayout()
        form.addRow("Currency", self.currency_edit)
        form.addRow("Price year", self.price_year_spin)
        shell = QHBoxLayout()
        shell.addWidget(self.shell_check)
        shell.addWidget(self.shell_spin)
        form.addRow("Building", shell)
        form.addRow("Tariff by month", self.monthly_edit)
        form.addRow("Tariff by hour", self.hourly_edit)
        note = plain_label(QLabel("Unticked rows use the default shown, marked as a default wherever the figure "
                                  "appears. P primary source, S secondary, E estimate: replace E values with quotes."))
        note.setWordWrap(True)
        self.problem = plain_label(QLabel(""))
        self.problem.setStyleSheet("color: #C62828")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.currency_edit, self.monthly_edit, self.hourly_edit):
            edit.textChanged.connect(self._check)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(grid)
        inner_layout.addLayout(form)
        inner_layout.addWidget(note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(980, 620)
        self._check()

    def _reset(self, key: str, own: bool) -> None:
        """An unticked row shows the default again."""
        if not own:
            self.spins[key].setValue(self.defaults.figures[key].value)

    def _check(self) -> None:
        problem = ""
        currency = self.currency_edit.text().strip()
        if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
            problem = "Currency: a three-letter ISO code in capitals (USD, EUR, ...)"
        shapes = (("Tariff by month", self.monthly_edit, 12), ("Tariff by hour", self.hourly_edit, 24))
        for label, edit, count in shapes:
            series_problem = _parse_series(edit.text(), count)[1]
            if series_problem and not problem:
                problem = f"{label}: {series_problem}"
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def settings(self) -> EconomicsSettings:
        """The settings as entered (call after ``_check`` passed)."""
        values: dict[str, float | None] = {
            key: (self.spins[key].value() if self.own[key].isChecked() else None) for key in SETTING_KEYS}
        currency = self.currency_edit.text().strip()
        year = self.price_year_spin.value()
        return EconomicsSettings(
            currency=None if currency == self.defaults.currency else currency,
            price_year=None if year == self.defaults.price_year else year,
            shell_cost_per_m2=self.shell_spin.value() if self.shell_check.isChecked() else None,
            tariff_monthly_shape=_parse_series(self.monthly_edit.text(), 12)[0],
            tariff_hourly_shape=_parse_series(self.hourly_edit.text(), 24)[0],
            candidate_sites=self._candidate_sites,  # edited in the sites dialog, kept as they are
            **values,  # type: ignore[arg-type]
        )


def run_dialog(dialog: QDialog) -> int:
    """Show a dialog modally (tests replace this to fill it in)."""
    return dialog.exec()


def edit_economics(document: Document, parent: QWidget | None = None) -> bool:
    """Ask for the economics settings; a change is one undo step. True when something changed."""
    defaults, problem = defaults_or_none()
    if defaults is None:
        from designer.ui.plain_text import show_critical

        show_critical(parent, "Costs and Carbon", problem)
        return False
    project = document.project
    dialog = EconomicsDialog(project.settings.economics, defaults, parent)
    try:
        if run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        settings = dialog.settings()
    finally:
        dialog.deleteLater()
    if settings == project.settings.economics:
        return False
    document.push(SetSettingsCommand(project, replace(project.settings, economics=settings),
                                     "Change costs and carbon settings"))
    return True


class GridCarbonPicker(QWidget):
    """The site's grid region (default: its climate's) and, optionally, its own annual intensity."""

    def __init__(self, site: Site, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._site = site
        defaults, problem = defaults_or_none()
        self.defaults = defaults
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("GridRegion")
        self.region_combo.addItem("(the climate's region)", "")
        if defaults is not None:
            for region in sorted(defaults.regions.values(), key=lambda r: r.name):
                self.region_combo.addItem(f"{region.name}: {region.g_per_kwh:g} g/kWh ({region.basis}, "
                                          f"{region.year}, [{region.confidence.value}])", region.id)
        if site.grid_region_id and self.region_combo.findData(site.grid_region_id) < 0:
            self.region_combo.addItem(f"Unknown region ({site.grid_region_id})", site.grid_region_id)
        self.region_combo.setCurrentIndex(max(self.region_combo.findData(site.grid_region_id), 0))
        self.own_check = QCheckBox("Own figure")
        self.own_check.setChecked(site.grid_carbon_g_per_kwh is not None)
        limits = SETTING_LIMITS["grid_carbon_g_per_kwh"]
        self.own_spin = QDoubleSpinBox()
        self.own_spin.setRange(limits.low, limits.high)
        self.own_spin.setDecimals(1)
        self.own_spin.setSuffix(" gCO2/kWh")
        self.own_spin.setValue(site.grid_carbon_g_per_kwh or 0.0)
        self.own_spin.setEnabled(self.own_check.isChecked())
        self.own_check.toggled.connect(self.own_spin.setEnabled)
        self.source = plain_label(QLabel(problem))
        self.source.setWordWrap(True)
        self.region_combo.currentIndexChanged.connect(self._show_source)
        row = QHBoxLayout()
        row.addWidget(self.region_combo, 1)
        row.addWidget(self.own_check)
        row.addWidget(self.own_spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.source)
        self._show_source()

    def _show_source(self) -> None:
        if self.defaults is None:
            return
        region_id = str(self.region_combo.currentData() or "") or self.defaults.climate_regions.get(
            self._site.climate_id, "")
        region = self.defaults.regions.get(region_id)
        self.source.setText(f"Default: {region.name}, {region.g_per_kwh:g} gCO2/kWh ({region.basis}) — "
                            f"{region.source}" if region is not None else "No default region for this climate: "
                            "pick one or give the site's own figure (else no CO2 is computed)")

    def values(self) -> dict[str, object]:
        """The site's carbon fields (monthly and hourly figures set in the file are kept)."""
        return {"grid_region_id": str(self.region_combo.currentData() or ""),
                "grid_carbon_g_per_kwh": self.own_spin.value() if self.own_check.isChecked() else None,
                "grid_carbon_monthly_g_per_kwh": self._site.grid_carbon_monthly_g_per_kwh,
                "grid_carbon_hourly_g_per_kwh": self._site.grid_carbon_hourly_g_per_kwh}
