"""File ▸ Project Properties and File ▸ Site: what the design is and where it stands, each edit one undo step.

Every field is range-checked where it is typed (spin-box limits match the file loader's); text from the
project or the city list reaches the widgets as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.climate import Climate, load_climates
from designer.analysis.latency import DEFAULT_USER_REGIONS
from designer.analysis.profiles import ProfileDataError
from designer.io.cities import City, load_cities
from designer.io.errors import FileFormatError
from designer.model.records import Metadata, Site, UserRegion
from designer.ui.commands_dashboard import SetSiteCommand
from designer.ui.commands_project import SetMetadataCommand
from designer.ui.document import Document
from designer.ui.economics_dialog import GridCarbonPicker
from designer.ui.plain_text import plain_html

TITLE_MAX_CHARS = 500
REVISION_MAX_CHARS = 100
SITE_NAME_MAX_CHARS = 300
REGION_NAME_MAX_CHARS = 200
NOTES_MAX_CHARS = 100_000
MAX_REGIONS = 1_000


def _spin(low: float, high: float, decimals: int, step: float, suffix: str, value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    spin.setToolTip(f"From {low:g} to {high:g}{suffix}")
    return spin


class ProjectPropertiesDialog(QDialog):
    """Title, author, revision and notes of the design."""

    def __init__(self, metadata: Metadata, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Project Properties")
        self.title_edit = QLineEdit(metadata.title)
        self.title_edit.setMaxLength(TITLE_MAX_CHARS)
        self.author_edit = QLineEdit(metadata.author)
        self.author_edit.setMaxLength(TITLE_MAX_CHARS)
        self.revision_edit = QLineEdit(metadata.revision)
        self.revision_edit.setMaxLength(REVISION_MAX_CHARS)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlainText(metadata.notes)
        self.notes_edit.setPlaceholderText("Scope, assumptions, open questions… (printed in the report)")
        self.problem = QLabel("")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #C62828")
        form = QFormLayout()
        form.addRow("Title", self.title_edit)
        form.addRow("Author", self.author_edit)
        form.addRow("Revision", self.revision_edit)
        form.addRow("Notes", self.notes_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for edit in (self.title_edit, self.revision_edit):
            edit.textChanged.connect(self._check)
        self.notes_edit.textChanged.connect(self._check)
        self.resize(520, 380)
        self._check()

    def metadata(self) -> Metadata:
        return Metadata(
            title=self.title_edit.text().strip(),
            author=self.author_edit.text().strip(),
            revision=self.revision_edit.text().strip(),
            notes=self.notes_edit.toPlainText(),
        )

    def _check(self) -> None:
        problem = ""
        if not self.title_edit.text().strip():
            problem = "The design needs a title"
        elif len(self.notes_edit.toPlainText()) > NOTES_MAX_CHARS:
            problem = f"Notes are limited to {NOTES_MAX_CHARS:,} characters"
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


class SiteDialog(QDialog):
    """Name, location, time zone, climate, design ambient and the user regions latency is measured to."""

    def __init__(
        self,
        site: Site,
        climates: Mapping[str, Climate],
        cities: Sequence[City],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Site")
        self._original = site
        """Fields the dialog does not show (the site's own climate) are kept from it."""
        self.climates = dict(climates)
        self.cities = tuple(cities)
        self.name_edit = QLineEdit(site.name)
        self.name_edit.setMaxLength(SITE_NAME_MAX_CHARS)
        self.latitude_spin = _spin(-90.0, 90.0, 4, 0.1, " °", site.latitude_deg)
        self.longitude_spin = _spin(-180.0, 180.0, 4, 0.1, " °", site.longitude_deg)
        self.utc_spin = _spin(-14.0, 14.0, 2, 0.25, " h", site.utc_offset_h)
        self.ambient_spin = _spin(-60.0, 70.0, 1, 0.5, " °C", site.design_ambient_c)
        self.ambient_spin.setToolTip("Dry-bulb temperature the heat rejection must still handle, -60 to 70 °C")
        self.climate_combo = QComboBox()
        self.climate_combo.addItem("(none: no annual energy figures)", "")
        for climate in sorted(self.climates.values(), key=lambda c: c.name):
            self.climate_combo.addItem(climate.name, climate.id)
        if site.climate_id and self.climate_combo.findData(site.climate_id) < 0:
            self.climate_combo.addItem(f"Unknown climate ({site.climate_id})", site.climate_id)
        self.climate_combo.setCurrentIndex(max(self.climate_combo.findData(site.climate_id), 0))
        self.use_climate_button = QPushButton("Take Location from Climate")
        self.use_climate_button.setToolTip("Copy the climate station's latitude, longitude and UTC offset")
        self.use_climate_button.clicked.connect(self.take_location_from_climate)
        self.climate_combo.currentIndexChanged.connect(self._update_climate_button)
        climate_row = QHBoxLayout()
        climate_row.addWidget(self.climate_combo, 1)
        climate_row.addWidget(self.use_climate_button)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Latitude", self.latitude_spin)
        form.addRow("Longitude", self.longitude_spin)
        form.addRow("UTC offset", self.utc_spin)
        form.addRow("Climate", climate_row)
        form.addRow("Design ambient", self.ambient_spin)
        self.carbon_picker = GridCarbonPicker(site)
        form.addRow("Grid carbon", self.carbon_picker)

        self.regions_list = QListWidget()
        self.regions_list.setObjectName("SiteRegions")
        for region in site.user_regions:
            self._append_region(region)
        self.regions_hint = QLabel("")
        self.regions_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.regions_hint.setWordWrap(True)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected_regions)
        self.city_search = QLineEdit()
        self.city_search.setPlaceholderText("Search cities…")
        self.city_search.setClearButtonEnabled(True)
        self.city_search.textChanged.connect(self._filter_cities)
        self.city_list = QListWidget()
        self.city_list.setObjectName("SiteCities")
        self.city_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        for city in self.cities:
            row = QListWidgetItem(city.label(), self.city_list)
            row.setData(Qt.ItemDataRole.UserRole, city)
            row.setToolTip(plain_html(f"{city.latitude_deg:.4f}°, {city.longitude_deg:.4f}° — {city.source}"))
        self.city_list.itemDoubleClicked.connect(lambda _row: self.add_selected_cities())
        self.add_city_button = QPushButton("Add City")
        self.add_city_button.clicked.connect(self.add_selected_cities)
        self.custom_name = QLineEdit()
        self.custom_name.setMaxLength(REGION_NAME_MAX_CHARS)
        self.custom_name.setPlaceholderText("Custom region name")
        self.custom_latitude = _spin(-90.0, 90.0, 4, 0.1, " °", 0.0)
        self.custom_longitude = _spin(-180.0, 180.0, 4, 0.1, " °", 0.0)
        self.custom_latitude.setPrefix("lat ")
        self.custom_longitude.setPrefix("lon ")
        self.add_custom_button = QPushButton("Add Custom")
        self.add_custom_button.clicked.connect(self.add_custom_region)
        self.custom_name.textChanged.connect(self._update_buttons)
        self.regions_list.itemSelectionChanged.connect(self._update_buttons)
        self.regions_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)

        chosen = QVBoxLayout()
        chosen.addWidget(QLabel("Users are in"))
        chosen.addWidget(self.regions_list, 1)
        chosen.addWidget(self.regions_hint)
        chosen.addWidget(self.remove_button)
        library = QVBoxLayout()
        library.addWidget(self.city_search)
        library.addWidget(self.city_list, 1)
        library.addWidget(self.add_city_button)
        custom = QHBoxLayout()
        custom.addWidget(self.custom_name, 1)
        custom.addWidget(self.custom_latitude)
        custom.addWidget(self.custom_longitude)
        custom.addWidget(self.add_custom_button)
        columns = QHBoxLayout()
        columns.addLayout(chosen, 1)
        columns.addLayout(library, 1)
        regions_box = QGroupBox("User regions (network round trip is estimated to the nearest)")
        regions_layout = QVBoxLayout(regions_box)
        regions_layout.addLayout(columns, 1)
        regions_layout.addLayout(custom)

        self.problem = QLabel("")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #C62828")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(regions_box, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(720, 640)
        self._update_climate_button()
        self._update_buttons()

    # ----------------------------------------------------------------- result
    def site(self) -> Site:
        return replace(
            self._original,
            name=self.name_edit.text().strip(),
            latitude_deg=self.latitude_spin.value(),
            longitude_deg=self.longitude_spin.value(),
            utc_offset_h=self.utc_spin.value(),
            climate_id=str(self.climate_combo.currentData() or ""),
            design_ambient_c=self.ambient_spin.value(),
            user_regions=tuple(self.regions()),
            **self.carbon_picker.values(),  # type: ignore[arg-type]
        )

    def regions(self) -> list[UserRegion]:
        found = []
        for index in range(self.regions_list.count()):
            region = self.regions_list.item(index).data(Qt.ItemDataRole.UserRole)
            if isinstance(region, UserRegion):
                found.append(region)
        return found

    # ----------------------------------------------------------------- editing
    def take_location_from_climate(self) -> None:
        climate = self.climates.get(str(self.climate_combo.currentData() or ""))
        if climate is None:
            return
        self.latitude_spin.setValue(climate.latitude_deg)
        self.longitude_spin.setValue(climate.longitude_deg)
        self.utc_spin.setValue(climate.utc_offset_h)
        if not self.name_edit.text().strip() or self.name_edit.text() == Site().name:
            self.name_edit.setText(climate.name)

    def add_selected_cities(self) -> None:
        for row in self.city_list.selectedItems():
            city = row.data(Qt.ItemDataRole.UserRole)
            if isinstance(city, City):
                self._add_region(city.region())

    def add_custom_region(self) -> None:
        name = self.custom_name.text().strip()
        if not name:
            return
        self._add_region(UserRegion(name, self.custom_latitude.value(), self.custom_longitude.value()))
        self.custom_name.clear()

    def remove_selected_regions(self) -> None:
        for row in self.regions_list.selectedItems():
            self.regions_list.takeItem(self.regions_list.row(row))
        self._update_buttons()

    def _add_region(self, region: UserRegion) -> None:
        if any(r.name == region.name for r in self.regions()) or self.regions_list.count() >= MAX_REGIONS:
            return
        self._append_region(region)
        self._update_buttons()

    def _append_region(self, region: UserRegion) -> None:
        row = QListWidgetItem(f"{region.name}  ({region.latitude_deg:.2f}°, {region.longitude_deg:.2f}°)",
                              self.regions_list)
        row.setData(Qt.ItemDataRole.UserRole, region)

    def _filter_cities(self, text: str) -> None:
        words = text.casefold().split()
        for index in range(self.city_list.count()):
            row = self.city_list.item(index)
            label = row.text().casefold()
            row.setHidden(not all(word in label for word in words))

    def visible_cities(self) -> list[str]:
        return [self.city_list.item(i).text() for i in range(self.city_list.count())
                if not self.city_list.item(i).isHidden()]

    def _update_climate_button(self) -> None:
        self.use_climate_button.setEnabled(str(self.climate_combo.currentData() or "") in self.climates)

    def _update_buttons(self) -> None:
        count = self.regions_list.count()
        defaults = ", ".join(r.name for r in DEFAULT_USER_REGIONS)
        self.regions_hint.setText(
            f"{count} region{'s' if count != 1 else ''}" if count
            else f"None chosen: the round trip is estimated to the default cities ({defaults})"
        )
        self.remove_button.setEnabled(bool(self.regions_list.selectedItems()))
        self.add_custom_button.setEnabled(bool(self.custom_name.text().strip()))
        problem = "" if self.name_edit.text().strip() else "The site needs a name"
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


# ====================================================================== opening them on a document
def run_dialog(dialog: QDialog) -> int:
    """Show a dialog modally (tests replace this to fill it in)."""
    return dialog.exec()


def edit_project_properties(document: Document, parent: QWidget | None = None) -> bool:
    """Ask for the project's properties; a change is pushed as one undo step. True when something changed."""
    project = document.project
    dialog = ProjectPropertiesDialog(project.metadata, parent)
    try:
        if run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        metadata = dialog.metadata()
    finally:
        dialog.deleteLater()
    if metadata == project.metadata:
        return False
    document.push(SetMetadataCommand(project, metadata, "Change project properties"))
    return True


def load_site_choices() -> tuple[dict[str, Climate], tuple[City, ...], list[str]]:
    """The bundled climates and cities for the site dialog, and what could not be read (never raises)."""
    problems: list[str] = []
    try:
        climates = dict(load_climates())
    except ProfileDataError as error:
        climates = {}
        problems.append(f"Climates unavailable: {error}")
    try:
        cities = load_cities()
    except FileFormatError as error:
        cities = ()
        problems.append(f"City list unavailable: {error.one_line()}")
    return climates, cities, problems


def edit_site(document: Document, parent: QWidget | None = None) -> bool:
    """Ask for the site; a change is pushed as one undo step. True when something changed."""
    project = document.project
    climates, cities, problems = load_site_choices()
    dialog = SiteDialog(project.site, climates, cities, parent)
    if problems:
        dialog.problem.setText("; ".join(problems))
    try:
        if run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
        site = dialog.site()
    finally:
        dialog.deleteLater()
    if site == project.site:
        return False
    document.push(SetSiteCommand(project, site, f"Change site {site.name}"))
    return True
