"""The inspector: properties of the selected items, edited together through one undo command per field."""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from designer.analysis.component_figures import component_figures
from designer.analysis.electrical import item_figures
from designer.analysis.results import Results
from designer.io.bibliography import references
from designer.model import effective, phases
from designer.model.catalog import CatalogEntry
from designer.model.events import ChangeEvent, Collection
from designer.model.phasing import YEAR_MAX, YEAR_MIN, item_window, years_problem
from designer.model.project import Project
from designer.model.records import PlacedItem, PodInstance
from designer.model.types import ConnectionKind, ItemKind, Phase, WorkloadClass
from designer.ui.commands import UpdateItemsCommand, UpdatePodsCommand
from designer.ui.panels.live_figures import LiveFiguresView, electrical_rows
from designer.ui.panels.palette import CONFIDENCE_LABELS, format_footprint, format_kw, role_label
from designer.ui.plain_text import plain_label

MIXED = "—"
ROTATIONS_DEG = (0, 90, 180, 270)
MAX_RACK_KW = effective.MAX_RACK_KW
ERROR_STYLE = "color: #C62828;"
OVERRIDE_STYLE = "color: #1565C0; font-style: italic;"
RACK_FIELDS = ("design_kw", "workload", "liquid_fraction", "weight_kg")
_KIND_NOUNS: dict[ItemKind | None, str] = {
    ItemKind.RACK: "rack", ItemKind.POWER: "power unit", ItemKind.COOLING: "cooling unit",
    ItemKind.FLOOR: "floor element",
}


class FieldError(ValueError):
    """A value typed into a field that cannot be applied; the message is shown next to the field."""


def parse_number(text: str, *, unit: str = "") -> float:
    """A finite float from user text ("12.5", "12,5", "12.5 kW"); raises FieldError otherwise."""
    cleaned = text.strip()
    if unit and cleaned.casefold().endswith(unit.casefold()):
        cleaned = cleaned[: -len(unit)].strip()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise FieldError(f"“{text.strip()}” is not a number") from None
    if not math.isfinite(value):
        raise FieldError("Enter a finite number")
    return value


def _common(values: Sequence[Any]) -> tuple[bool, Any]:
    """(True, value) when all ``values`` are equal, else (False, None)."""
    if not values:
        return False, None
    first = values[0]
    return (all(v == first for v in values[1:]), first)


def _format_number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _half_extent_mm(entry: CatalogEntry, rotation_deg: float) -> tuple[float, float]:
    """Half width and half depth of ``entry``'s footprint along x and y at ``rotation_deg``."""
    angle = math.radians(rotation_deg)
    cos_a, sin_a = abs(math.cos(angle)), abs(math.sin(angle))
    width = entry.width_mm * cos_a + entry.depth_mm * sin_a
    depth = entry.width_mm * sin_a + entry.depth_mm * cos_a
    return width / 2, depth / 2


@dataclass
class _EditField:
    """An editor with the error label shown under it."""

    name: str
    editor: QLineEdit | QComboBox
    error: QLabel
    note: QLabel
    """Says the shown value is a per-item override, and what the catalog has."""
    row: int = -1


class InspectorPanel(QWidget):
    """Shows and edits the properties of the document's selection.

    Follows the project's change events (undo, edits elsewhere) and the document's selection.
    Each accepted field edit pushes one ``UpdateItemsCommand`` covering every selected item. The live
    figures of a single selected item come from the last analysis results (``set_results``).
    """

    item_activated = Signal(str)
    """An item was selected from the live figures' "Fed by" / "Feeds" lists."""

    def __init__(self, document: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InspectorPanel")
        self._document = document
        self._project: Project | None = None
        self._listener: Callable[[ChangeEvent], None] | None = None
        self._writing = False
        self._items: list[PlacedItem] = []
        self._results: Results | None = None
        self._subscription: list[Any] = []
        # a module-level slot holding no reference to self: the project may outlive this widget
        self.destroyed.connect(functools.partial(_unsubscribe, self._subscription))
        self._build()
        document.selection_changed.connect(self._on_document_selection_changed)
        document.project_replaced.connect(self._on_document_project_replaced)
        self._subscribe(document.project)
        self.refresh()

    # ----------------------------------------------------------------- construction
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title_label = plain_label(QLabel(self))
        self.title_label.setObjectName("InspectorTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setContentsMargins(6, 6, 6, 2)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        outer.addWidget(self.title_label)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        self._body = QWidget(scroll)
        scroll.setWidget(self._body)
        body_layout = QVBoxLayout(self._body)
        body_layout.setContentsMargins(6, 2, 6, 6)

        self._edit_form = QFormLayout()
        self._edit_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        body_layout.addLayout(self._edit_form)
        self._fields: dict[str, _EditField] = {}
        self.label_edit = self._add_line_field("label", "Label")
        self.rotation_combo = self._add_combo_field("rotation", "Rotation")
        self.x_edit = self._add_line_field("x", "X (m)")
        self.y_edit = self._add_line_field("y", "Y (m)")
        self.design_kw_edit = self._add_line_field("design_kw", "Design kW")
        self.workload_combo = self._add_combo_field("workload", "Workload")
        self.liquid_edit = self._add_line_field("liquid_fraction", "Liquid fraction")
        self.weight_edit = self._add_line_field("weight_kg", "Weight kg")
        self.rating_edit = self._add_line_field("rating_kw", "Rating kW")
        self.phase_combo = self._add_combo_field("phase", "Phase")
        self.phase_combo.setToolTip("The phase(s) the load takes on its PDU, RPP or busway tap-off")
        self.in_service_edit = self._add_line_field("in_service_year", "In service")
        self.retirement_edit = self._add_line_field("retirement_year", "Retired in")
        self.in_service_edit.setToolTip("First year the item stands and runs (phased build-out); leave empty "
                                        "for its pod's year, or always")
        self.retirement_edit.setToolTip("First year the item is gone; leave empty for its pod's year, or never")
        self.liquid_edit.setToolTip("Share of the rack's heat removed by liquid, 0 to 1 (or 0 % to 100 %)")
        self.design_kw_edit.setToolTip("Design IT load of the rack; leave empty for the catalog figure")
        self.weight_edit.setToolTip("The rack's weight as built; leave empty for the catalog figure")
        self.rating_edit.setToolTip("The rating as fitted (e.g. the UPS modules installed); "
                                    "leave empty for the catalog rating")

        separator = QFrame(self._body)
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        body_layout.addWidget(separator)
        self._info_form = QFormLayout()
        self._info_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        body_layout.addLayout(self._info_form)
        self.info_labels: dict[str, QLabel] = {}
        for key, title in (("id", "Id"), ("catalog", "Catalog"), ("role", "Role"), ("capacity", "Capacity"),
                           ("weight", "Weight"), ("footprint", "Footprint"), ("source", "Source"),
                           ("references", "References"), ("confidence", "Confidence")):
            value = plain_label(QLabel(self._body))
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._info_form.addRow(title, value)
            self.info_labels[key] = value
        live_separator = QFrame(self._body)
        live_separator.setFrameShape(QFrame.Shape.HLine)
        live_separator.setFrameShadow(QFrame.Shadow.Sunken)
        body_layout.addWidget(live_separator)
        self.live = LiveFiguresView(self._body)
        self.live.link_activated.connect(self._on_live_link_activated)
        body_layout.addWidget(self.live)
        body_layout.addStretch(1)

        self.label_edit.editingFinished.connect(self._on_label_edit_editing_finished)
        self.x_edit.editingFinished.connect(self._on_x_edit_editing_finished)
        self.y_edit.editingFinished.connect(self._on_y_edit_editing_finished)
        self.design_kw_edit.editingFinished.connect(self._on_design_kw_edit_editing_finished)
        self.liquid_edit.editingFinished.connect(self._on_liquid_edit_editing_finished)
        self.weight_edit.editingFinished.connect(self._on_weight_edit_editing_finished)
        self.rating_edit.editingFinished.connect(self._on_rating_edit_editing_finished)
        self.in_service_edit.editingFinished.connect(self._on_in_service_edit_editing_finished)
        self.retirement_edit.editingFinished.connect(self._on_retirement_edit_editing_finished)
        self.rotation_combo.activated.connect(self._on_rotation_combo_activated)
        self.workload_combo.activated.connect(self._on_workload_combo_activated)
        self.phase_combo.activated.connect(self._on_phase_combo_activated)

    def _field_box(self, name: str, editor: QLineEdit | QComboBox, title: str) -> None:
        box = QWidget(self._body)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        editor.setParent(box)
        error = plain_label(QLabel(box))
        error.setObjectName(f"{name}_error")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        note = QLabel(box)
        note.setObjectName(f"{name}_note")
        note.setStyleSheet(OVERRIDE_STYLE)
        note.setWordWrap(True)
        note.hide()
        layout.addWidget(editor)
        layout.addWidget(note)
        layout.addWidget(error)
        self._edit_form.addRow(title, box)
        self._fields[name] = _EditField(name, editor, error, note, self._edit_form.rowCount() - 1)

    def _add_line_field(self, name: str, title: str) -> QLineEdit:
        editor = QLineEdit()
        editor.setObjectName(f"{name}_edit")
        editor.textEdited.connect(lambda _text, field=name: self._clear_error(field))
        self._field_box(name, editor, title)
        return editor

    def _add_combo_field(self, name: str, title: str) -> QComboBox:
        editor = QComboBox()
        editor.setObjectName(f"{name}_combo")
        self._field_box(name, editor, title)
        return editor

    # ----------------------------------------------------------------- subscriptions
    def _subscribe(self, project: Project) -> None:
        if self._project is not None and self._listener is not None:
            self._project.events.unsubscribe(self._listener)
        # a weak, validity-checked listener: the project may outlive this widget
        self_ref = weakref.ref(self)

        def listener(event: ChangeEvent) -> None:
            panel = self_ref()
            if panel is not None and shiboken6.isValid(panel):
                panel._on_project_changed(event)

        self._project = project
        self._listener = listener
        project.events.subscribe(listener)
        self._subscription[:] = [project, listener]

    def _on_document_project_replaced(self) -> None:
        self._subscribe(self._document.project)
        self.refresh()

    def _on_document_selection_changed(self) -> None:
        for field in self._fields.values():
            field.error.hide()
        self.refresh()

    def _on_project_changed(self, event: ChangeEvent) -> None:
        if self._writing:
            return  # our own edit coming back: refreshed once after the push
        if event.collection in (Collection.CATALOG, Collection.PODS) or (
            event.collection is Collection.ITEMS and set(event.ids) & {item.id for item in self._items}
        ):
            self.refresh()

    # ----------------------------------------------------------------- queries
    def selected_items(self) -> list[PlacedItem]:
        items = self._document.project.items
        return [items[i] for i in self._document.selected_ids() if i in items]

    def error_text(self, field: str) -> str:
        """The message shown next to ``field`` ("" when none is shown)."""
        error = self._fields[field].error
        return error.text() if not error.isHidden() else ""

    def error_label(self, field: str) -> QLabel:
        return self._fields[field].error

    def override_note(self, field: str) -> str:
        """The override mark shown under ``field`` ("" when none is shown)."""
        note = self._fields[field].note
        return note.text() if not note.isHidden() else ""

    def field_visible(self, field: str) -> bool:
        return self._edit_form.isRowVisible(self._fields[field].row)

    # ----------------------------------------------------------------- live figures
    def set_results(self, results: Results | None) -> None:
        """The latest analysis results (from the coordinator); only the live figures are redrawn."""
        self._results = results
        self._show_live()

    def on_results_ready(self, results: Results, _sweep: object = None) -> None:
        """Slot for the analysis coordinator's ``results_ready``."""
        self.set_results(results)

    def _show_live(self) -> None:
        items = self._items
        entry = self._entry(items[0]) if len(items) == 1 else None
        if entry is None or not (entry.in_power_chain or entry.in_cooling_chain):
            self.live.show_figures(None, 0.0)
            return
        project = self._document.project
        electrical: list[tuple[str, str, str]] = []
        if self._results is not None and (entry.in_power_chain or entry.is_rack or any(
                c.kind is ConnectionKind.POWER and c.target_id == items[0].id
                for c in project.connections_of(items[0].id))):
            try:
                node, feeds = item_figures(project, _DocumentCatalog(self._document), self._results, items[0].id)
                electrical = electrical_rows(node, feeds, project.settings.continuous_derating)
            except (KeyError, ValueError, OSError) as error:  # a bad conductor file must not break the inspector
                electrical = [("Electrical", f"not available ({error})", "")]
        self.live.show_figures(component_figures(self._results, project, items[0].id),
                               project.settings.continuous_derating, electrical)

    def _on_live_link_activated(self, item_id: str) -> None:
        project = self._document.project
        item = project.items.get(item_id)
        if item is None:
            return
        if item.hall_id != self._document.current_hall_id:
            self._document.set_current_hall(item.hall_id)
        self._document.set_selection([item_id])
        self.item_activated.emit(item_id)

    def _entry(self, item: PlacedItem) -> CatalogEntry | None:
        try:
            entry: CatalogEntry = self._document.entry_for(item.id)
        except KeyError:
            return None
        return entry

    def _describe(self, items: Sequence[PlacedItem]) -> str:
        """"R01" for one item, "8 racks" / "3 items" for several (undo texts, title)."""
        if len(items) == 1:
            return items[0].label or items[0].id
        kinds = {entry.kind if entry else None for entry in map(self._entry, items)}
        noun = _KIND_NOUNS.get(kinds.pop(), "item") if len(kinds) == 1 else "item"
        return f"{len(items)} {noun}s"

    # ----------------------------------------------------------------- display
    def refresh(self) -> None:
        """Show the current selection's values (no signals leave the editors while doing so)."""
        self._items = self.selected_items()
        items = self._items
        entries = [self._entry(item) for item in items]
        editors: list[QWidget] = [f.editor for f in self._fields.values()]
        blocked = [editor.blockSignals(True) for editor in editors]
        try:
            self._show_title(items, entries)
            enabled = bool(items)
            for field in self._fields.values():
                field.editor.setEnabled(enabled)
            all_racks = enabled and all(e is not None and e.kind is ItemKind.RACK for e in entries)
            for name in RACK_FIELDS:
                self._edit_form.setRowVisible(self._fields[name].row, all_racks or not items)
                self._fields[name].editor.setEnabled(all_racks)
            all_rated = enabled and all(e is not None and effective.takes_rating_override(e) for e in entries)
            self._edit_form.setRowVisible(self._fields["rating_kw"].row, all_rated)
            self.rating_edit.setEnabled(all_rated)
            self._show_line(self.label_edit, [item.label for item in items], lambda v: v, "")
            self._show_rotation(items)
            self._show_line(self.x_edit, [item.x_mm for item in items], lambda v: f"{v / 1000:.3f}", "")
            self._show_line(self.y_edit, [item.y_mm for item in items], lambda v: f"{v / 1000:.3f}", "")
            defaults_kw = [e.capacity_kw if e else 0.0 for e in entries]
            same_default, default_kw = _common(defaults_kw)
            self._show_line(self.design_kw_edit, [item.design_kw for item in items],
                            lambda v: _format_number(v, 3),
                            f"{_format_number(default_kw, 3)} (catalog)" if same_default else "catalog default")
            defaults_lf = [e.liquid_fraction if e else 0.0 for e in entries]
            same_lf, default_lf = _common(defaults_lf)
            self._show_line(self.liquid_edit, [item.liquid_fraction for item in items],
                            lambda v: _format_number(v, 3),
                            f"{_format_number(default_lf, 3)} (catalog)" if same_lf else "catalog default")
            defaults_kg = [e.weight_kg if e else 0.0 for e in entries]
            same_kg, default_kg = _common(defaults_kg)
            self._show_line(self.weight_edit, [item.weight_kg for item in items], lambda v: _format_number(v, 1),
                            f"{_format_number(default_kg, 1)} (catalog)" if same_kg else "catalog default")
            self._show_line(self.rating_edit, [item.design_kw for item in items], lambda v: _format_number(v, 3),
                            f"{_format_number(default_kw, 3)} (catalog)" if same_default else "catalog default")
            self._show_years(items)
            self._show_workload(items, entries)
            self._show_phase(items, entries)
            self._show_info(entries)
            self._show_override_notes(items, entries)
            self._show_live()
        finally:
            for editor, was_blocked in zip(editors, blocked, strict=True):
                editor.blockSignals(was_blocked)

    def _show_years(self, items: Sequence[PlacedItem]) -> None:
        """Own years in the fields; the pod's year (or always / never) as the placeholder. Whole pods selected
        (and no item year of their own): the pods' years, which the fields then edit."""
        pods = self._document.project.pods
        whole = self._whole_pods()
        for edit, own, inherited, unset in (
                (self.in_service_edit, "in_service_year", 0, "always"),
                (self.retirement_edit, "retirement_year", 1, "never")):
            if whole is not None and all(getattr(item, own) is None for item in items):
                self._show_line(edit, [getattr(pod, own) for pod in whole], str, unset)
                edit.setToolTip(f"The year of the {_plural_pods(len(whole))} selected; empty: {unset}")
                continue
            same, pod_year = _common([item_window(_with_year(i, own, None), pods)[inherited] for i in items])
            placeholder = f"{pod_year} (pod)" if same and pod_year is not None else unset if same else MIXED
            self._show_line(edit, [getattr(item, own) for item in items], str, placeholder)
            edit.setToolTip("The selected items' own year; leave empty for their pod's year, or " + unset)

    def _whole_pods(self) -> list[PodInstance] | None:
        """The pods of the selection when it is exactly the items of one or more pods, else None."""
        items = self.selected_items()
        project = self._document.project
        pod_ids = {item.pod_id for item in items}
        if not items or None in pod_ids:
            return None
        members = {i.id for pod_id in pod_ids for i in project.items_in_pod(pod_id)}
        return [project.pods[p] for p in sorted(pod_ids)] if members == {i.id for i in items} else None

    def _year_typed(self, text: str) -> int | None:
        if not text.strip():
            return None
        try:
            return int(text.strip())
        except ValueError:
            raise FieldError(f"a whole year between {YEAR_MIN} and {YEAR_MAX}") from None

    def _apply_pod_years(self, field: str, edit: QLineEdit, action: str) -> bool:
        """Whole pods selected, without item years of their own: set the pods' year; True when handled."""
        whole = self._whole_pods()
        if whole is None or any(getattr(item, field) is not None for item in self._items) or not edit.isModified():
            return False
        try:
            year = self._year_typed(edit.text())
            new_pods = [replace(pod, in_service_year=year) if field == "in_service_year"
                        else replace(pod, retirement_year=year) for pod in whole]
            by_id = {pod.id: pod for pod in new_pods}
            for item in self._items:  # each item's window with its pod's new year (its own years first)
                problem = years_problem(*item_window(item, by_id))
                if problem is not None:
                    raise FieldError(problem)
        except FieldError as error:
            self._show_error(field, str(error))
            return True
        self._clear_error(field)
        changed = [pod for pod in new_pods if self._document.project.pods[pod.id] != pod]
        if changed:
            name = changed[0].label or changed[0].id if len(changed) == 1 else _plural_pods(len(changed))
            self._writing = True
            try:
                self._document.push(UpdatePodsCommand(self._document.project, changed, action.format(items=name)))
            finally:
                self._writing = False
        self.refresh()
        return True

    def _override_years(self, field: str, text: str) -> list[PlacedItem]:
        """The selected items with ``field`` set to the year typed (None when empty); FieldError when it or the
        window it makes is impossible."""
        year = self._year_typed(text)
        pods = self._document.project.pods
        new_items = [_with_year(item, field, year) for item in self.selected_items()]
        for item in new_items:
            problem = years_problem(item.in_service_year, item.retirement_year) or years_problem(
                *item_window(item, pods))
            if problem is not None:
                raise FieldError(problem)
        return new_items

    def _on_in_service_edit_editing_finished(self) -> None:
        if self._apply_pod_years("in_service_year", self.in_service_edit, "Set in-service year of {items}"):
            return
        self._apply_line("in_service_year", self.in_service_edit,
                         lambda text: self._override_years("in_service_year", text),
                         "Set in-service year of {items}")

    def _on_retirement_edit_editing_finished(self) -> None:
        if self._apply_pod_years("retirement_year", self.retirement_edit, "Set retirement year of {items}"):
            return
        self._apply_line("retirement_year", self.retirement_edit,
                         lambda text: self._override_years("retirement_year", text),
                         "Set retirement year of {items}")

    def _show_override_notes(self, items: Sequence[PlacedItem], entries: Sequence[CatalogEntry | None]) -> None:
        """Mark each field whose shown value is (for some selected items) a per-item override."""
        units = {"design_kw": "kW", "rating_kw": "kW", "weight_kg": "kg", "liquid_fraction": ""}
        marked = [(effective.overridden(item, entry), entry) for item, entry in zip(items, entries, strict=True)
                  if entry is not None and (item.design_kw is not None or item.weight_kg is not None
                                            or item.liquid_fraction is not None)]
        for name, unit in units.items():
            attribute = "design_kw" if name == "rating_kw" else name
            catalog_values = [
                {"design_kw": entry.capacity_kw, "weight_kg": entry.weight_kg,
                 "liquid_fraction": entry.liquid_fraction}[attribute]
                for values, entry in marked if attribute in values
            ]
            note = self._fields[name].note
            if not catalog_values or not self.field_visible(name):
                note.hide()
                continue
            same, value = _common(catalog_values)
            catalog = f"catalog {_format_number(value, 3)}{' ' + unit if unit else ''}" if same else "catalog varies"
            count = "" if len(items) == 1 else f" on {len(catalog_values)} of {len(items)}"
            note.setText(f"Override{count} ({catalog})")
            note.show()

    def _show_title(self, items: Sequence[PlacedItem], entries: Sequence[CatalogEntry | None]) -> None:
        if not items:
            self.title_label.setText("Nothing selected")
        elif len(items) == 1:
            entry = entries[0]
            name = items[0].label or items[0].id
            self.title_label.setText(f"{name} — {entry.name}" if entry else name)
        else:
            self.title_label.setText(f"{self._describe(items)} selected")

    @staticmethod
    def _show_line(edit: QLineEdit, values: Sequence[Any], fmt: Callable[[Any], str], unset: str) -> None:
        """Show a common value, or nothing with a placeholder: ``unset`` for None, "—" for mixed."""
        same, value = _common(values)
        if not values:
            edit.setText("")
            edit.setPlaceholderText("")
        elif not same:
            edit.setText("")
            edit.setPlaceholderText(MIXED)
        elif value is None:
            edit.setText("")
            edit.setPlaceholderText(unset)
        else:
            edit.setText(fmt(value))
            edit.setPlaceholderText(unset)
        edit.setModified(False)
        edit.setCursorPosition(0)

    def _show_rotation(self, items: Sequence[PlacedItem]) -> None:
        combo = self.rotation_combo
        combo.clear()
        for rotation in ROTATIONS_DEG:
            combo.addItem(f"{rotation}°", rotation)
        same, value = _common([item.rotation_deg % 360 for item in items])
        if not items:
            return
        if not same:
            combo.insertItem(0, MIXED, None)
            combo.setCurrentIndex(0)
        elif round(value) in ROTATIONS_DEG and abs(value - round(value)) < 1e-9:
            combo.setCurrentIndex(ROTATIONS_DEG.index(round(value)))
        else:
            combo.insertItem(0, f"{_format_number(value, 1)}°", None)
            combo.setCurrentIndex(0)

    def _show_workload(self, items: Sequence[PlacedItem], entries: Sequence[CatalogEntry | None]) -> None:
        combo = self.workload_combo
        combo.clear()
        same_default, default = _common([e.workload if e else None for e in entries])
        default_text = f"Catalog default ({default.value})" if same_default and default else "Catalog default"
        combo.addItem(default_text, None)
        for workload in WorkloadClass:
            combo.addItem(workload.value.capitalize() if workload is not WorkloadClass.AI else "AI (scenario mix)",
                          workload.value)
        same, value = _common([item.workload for item in items])
        if not items:
            return
        if not same:
            combo.insertItem(0, MIXED, "__mixed__")
            combo.setCurrentIndex(0)
        else:
            combo.setCurrentIndex(combo.findData(value.value if value else None))

    def _show_phase(self, items: Sequence[PlacedItem], entries: Sequence[CatalogEntry | None]) -> None:
        """The phase combo: shown when every selected item takes a phase, offering what all of them may take."""
        combo = self.phase_combo
        combo.clear()
        allowed = [phases.allowed_phases(e) if e is not None else () for e in entries]
        common = [p for p in allowed[0] if all(p in a for a in allowed)] if allowed else []
        visible = bool(items) and all(allowed)
        self._edit_form.setRowVisible(self._fields["phase"].row, visible)
        combo.setEnabled(visible and bool(common))
        if not visible:
            return
        combo.addItem("Not assigned", None)
        for phase in common:
            combo.addItem("L1, L2 and L3 (three-phase)" if phase is Phase.ALL else phase.value, phase.value)
        same, value = _common([item.phase for item in items])
        if not same:
            combo.insertItem(0, MIXED, "__mixed__")
            combo.setCurrentIndex(0)
        else:
            combo.setCurrentIndex(max(0, combo.findData(value.value if value else None)))

    def _show_info(self, entries: Sequence[CatalogEntry | None]) -> None:
        known = [e for e in entries if e is not None]

        def show(key: str, fmt: Callable[[CatalogEntry], str]) -> None:
            same, text = _common([fmt(e) for e in known])
            if not entries:
                text = ""
            elif not known:
                text = "unknown catalog entry"
            elif not same:
                text = MIXED
            self.info_labels[key].setText(text)

        items = self._items
        self.info_labels["id"].setText(items[0].id if len(items) == 1 else f"{len(items)} items" if items else "")
        kinds = len({e.id for e in known})
        show("catalog", lambda e: e.name)
        if kinds > 1:
            self.info_labels["catalog"].setText(f"{MIXED} ({kinds} types)")
        show("role", lambda e: role_label(e.role))
        show("capacity", _capacity_text)
        show("weight", lambda e: f"{e.weight_kg:,.0f} kg" if e.weight_kg else "not given")
        if len(items) == 1 and known:
            values = effective.overridden(items[0], known[0])
            if not known[0].is_rack and "design_kw" in values:
                self.info_labels["capacity"].setText(
                    f"{format_kw(values['design_kw'])} (override; catalog {_capacity_text(known[0])})")
            if "weight_kg" in values:
                self.info_labels["weight"].setText(
                    f"{values['weight_kg']:,.0f} kg (override; catalog {self.info_labels['weight'].text()})")
        show("footprint", lambda e: format_footprint(e.width_mm, e.depth_mm)
             + (f" ({e.footprint_m2:.2f} m²)" if e.footprint_m2 else ""))
        show("source", lambda e: e.source)
        show("references", lambda e: "\n".join(references(e.source)) or "none cited")
        show("confidence", lambda e: CONFIDENCE_LABELS.get(e.confidence, e.confidence.value))

    # ----------------------------------------------------------------- errors
    def _show_error(self, field: str, message: str) -> None:
        error = self._fields[field].error
        error.setText(message)
        error.show()

    def _clear_error(self, field: str) -> None:
        self._fields[field].error.hide()

    # ----------------------------------------------------------------- applying edits
    def _apply(self, field: str, new_items: Sequence[PlacedItem], action: str) -> None:
        """Push one command for the items that really change; refresh once afterwards.

        ``action`` is the undo text with an ``{items}`` slot: "Set design kW of {items}".
        """
        self._clear_error(field)
        current = self._document.project.items
        changed = [item for item in new_items if current.get(item.id) != item]
        if not changed:
            self.refresh()
            return
        text = action.format(items=self._describe([current[i.id] for i in changed]))
        self._writing = True
        try:
            self._document.push(UpdateItemsCommand(self._document.project, changed, text))
        finally:
            self._writing = False
        self.refresh()

    def _apply_line(self, field: str, edit: QLineEdit, build: Callable[[str], list[PlacedItem]],
                    action: str) -> None:
        if not edit.isModified() or not self._items:
            return
        try:
            new_items = build(edit.text())
        except FieldError as error:
            self._show_error(field, str(error))
            return
        self._apply(field, new_items, action)

    def _on_label_edit_editing_finished(self) -> None:
        self._apply_line("label", self.label_edit,
                         lambda text: [replace(i, label=text.strip()) for i in self.selected_items()], "Rename {items}")

    def _on_x_edit_editing_finished(self) -> None:
        self._apply_line("x", self.x_edit, lambda text: self._positioned(text, axis="x"), "Set x of {items}")

    def _on_y_edit_editing_finished(self) -> None:
        self._apply_line("y", self.y_edit, lambda text: self._positioned(text, axis="y"), "Set y of {items}")

    def _positioned(self, text: str, *, axis: str) -> list[PlacedItem]:
        if not text.strip():
            raise FieldError("Enter a position in metres")
        value_mm = round(parse_number(text, unit="m") * 1000.0, 3)
        items = self.selected_items()
        if axis == "x":
            new_items = [replace(item, x_mm=value_mm) for item in items]
        else:
            new_items = [replace(item, y_mm=value_mm) for item in items]
        self._check_inside_hall(new_items, axes=axis)
        return new_items

    def _check_inside_hall(self, items: Sequence[PlacedItem], *, axes: str) -> None:
        """Raise FieldError if a footprint would stick out of its hall's bounds along ``axes`` ("x", "y", "xy")."""
        for item in items:
            hall = self._document.project.halls.get(item.hall_id)
            entry = self._entry(item)
            if hall is None or entry is None:
                continue
            min_x, min_y, max_x, max_y = hall.bounds_mm()
            half_x, half_y = _half_extent_mm(entry, item.rotation_deg)
            for axis, value, low, high, half in (("x", item.x_mm, min_x, max_x, half_x),
                                                 ("y", item.y_mm, min_y, max_y, half_y)):
                if axis in axes and not low + half - 1e-6 <= value <= high - half + 1e-6:
                    raise FieldError(
                        f"Outside hall “{hall.name}”: {axis} must stay between "
                        f"{(low + half) / 1000:.3f} and {(high - half) / 1000:.3f} m"
                    )

    def _on_design_kw_edit_editing_finished(self) -> None:
        def build(text: str) -> list[PlacedItem]:
            value: float | None = None
            if text.strip():
                value = self._checked("design_kw", parse_number(text, unit="kW"))
            return [replace(item, design_kw=value) for item in self.selected_items()]

        self._apply_line("design_kw", self.design_kw_edit, build, "Set design kW of {items}")

    def _on_rating_edit_editing_finished(self) -> None:
        def build(text: str) -> list[PlacedItem]:
            value = self._checked("design_kw", parse_number(text, unit="kW")) if text.strip() else None
            return [replace(item, design_kw=value) for item in self.selected_items()]

        self._apply_line("rating_kw", self.rating_edit, build, "Set rating of {items}")

    def _on_weight_edit_editing_finished(self) -> None:
        def build(text: str) -> list[PlacedItem]:
            value = self._checked("weight_kg", parse_number(text, unit="kg")) if text.strip() else None
            return [replace(item, weight_kg=value) for item in self.selected_items()]

        self._apply_line("weight_kg", self.weight_edit, build, "Set weight of {items}")

    def _checked(self, field: str, value: float) -> float:
        """``value`` when every selected item may take it as its ``field`` override; FieldError otherwise."""
        for item in self.selected_items():
            entry = self._entry(item)
            problem = effective.override_problem(entry, field, value) if entry is not None else None
            if problem is not None:
                raise FieldError(problem)
        return value

    def _on_liquid_edit_editing_finished(self) -> None:
        def build(text: str) -> list[PlacedItem]:
            value: float | None = None
            stripped = text.strip()
            if stripped:
                value = parse_number(stripped[:-1], unit="") / 100 if stripped.endswith("%") else parse_number(text)
                value = self._checked("liquid_fraction", value)
            return [replace(item, liquid_fraction=value) for item in self.selected_items()]

        self._apply_line("liquid_fraction", self.liquid_edit, build, "Set liquid fraction of {items}")

    def _on_rotation_combo_activated(self, index: int) -> None:
        rotation = self.rotation_combo.itemData(index)
        if rotation is None or not self._items:
            return
        items = [replace(item, rotation_deg=float(rotation)) for item in self.selected_items()]
        try:
            self._check_inside_hall(items, axes="xy")
        except FieldError as error:
            self._show_error("rotation", str(error))
            self.refresh()  # back to the rotation the model has
            return
        self._apply("rotation", items, "Rotate {items} to " + f"{rotation}°")

    def _on_phase_combo_activated(self, index: int) -> None:
        data = self.phase_combo.itemData(index)
        if data == "__mixed__" or not self._items:
            return
        phase = Phase(data) if data else None
        self._apply("phase", [replace(item, phase=phase) for item in self.selected_items()],
                    f"Set phase of {{items}} to {phase.value if phase else 'not assigned'}")

    def _on_workload_combo_activated(self, index: int) -> None:
        data = self.workload_combo.itemData(index)
        if data == "__mixed__" or not self._items:
            return
        workload = WorkloadClass(data) if data else None
        items = [replace(item, workload=workload) for item in self.selected_items()]
        self._apply("workload", items, "Set workload of {items}")


class _DocumentCatalog(Mapping[str, CatalogEntry]):
    """The document's catalog with the project's own entries over it, looked up per id (no merged copy)."""

    def __init__(self, document: Any) -> None:
        self._document = document

    def __getitem__(self, catalog_id: str) -> CatalogEntry:
        found = self._document.project.custom_catalog.get(catalog_id) or self._document.catalog.get(catalog_id)
        if found is None:
            raise KeyError(catalog_id)
        return found  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter({*self._document.catalog, *self._document.project.custom_catalog})

    def __len__(self) -> int:
        return len({*self._document.catalog, *self._document.project.custom_catalog})


def _plural_pods(count: int) -> str:
    return "1 pod" if count == 1 else f"{count} pods"


def _with_year(item: PlacedItem, field: str, year: int | None) -> PlacedItem:
    """``item`` with its in-service or retirement year (``field``) set to ``year``."""
    if field == "in_service_year":
        return replace(item, in_service_year=year)
    return replace(item, retirement_year=year)


def _unsubscribe(subscription: list[Any], *_args: object) -> None:
    if subscription:
        project, listener = subscription
        project.events.unsubscribe(listener)
        subscription.clear()


def _capacity_text(entry: CatalogEntry) -> str:
    if not entry.capacity_kw:
        return "—"
    text = format_kw(entry.capacity_kw)
    if entry.kind is ItemKind.COOLING:
        text += " thermal" + (f", {entry.medium.value}" if entry.medium else "")
    elif entry.kind is ItemKind.RACK:
        text += " IT"
    if entry.capacity_range_kw is not None:
        low, high = entry.capacity_range_kw
        text += f" (range {low:,.0f}–{high:,.0f})"
    return text


class InspectorDock(QDockWidget):
    """The inspector in a dock widget; ``panel`` is the InspectorPanel."""

    def __init__(self, document: Any, parent: QWidget | None = None) -> None:
        super().__init__("Inspector", parent)
        self.setObjectName("InspectorDock")
        self.panel = InspectorPanel(document, self)
        self.setWidget(self.panel)
