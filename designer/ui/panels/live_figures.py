"""The inspector's live figures of the selected item (and the canvas tooltip's), read from the last analysis.

The figures come from the ``Results`` the analysis coordinator already produced: selecting or
hovering runs no analysis. What feeds the item and what it feeds are lists whose rows select.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from designer.analysis.component_figures import ComponentFigures, Link, component_figures
from designer.analysis.electrical import LV_MAX_V, FeedFigures, NodeFigures
from designer.analysis.results import Results
from designer.model.types import ConnectionKind

ERROR_STYLE = "color: #C62828;"
WARNING_STYLE = "color: #B26A00;"
LINK_ROLE = Qt.ItemDataRole.UserRole
LIST_ROWS = 6
"""Rows a link list shows before it scrolls (a busway may feed forty racks)."""


def _kw(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} kW"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:,.1f} %"


def figure_rows(figures: ComponentFigures, derating: float) -> list[tuple[str, str, str]]:
    """(title, text, state) rows for one item; state is "", "warn" or "over" (above the derating / 100 %)."""
    if not figures.analysed:
        return [("Analysis", "not in the last analysis (it follows an edit after a moment)", "")]
    at = f"at {figures.hour:02d}:00"
    if figures.is_rack:
        rows = [(f"IT load {at}", _kw(figures.load_kw), ""),
                ("Heat", f"{_kw(figures.heat_liquid_kw)} liquid, {_kw(figures.heat_air_kw)} air", ""),
                ("Floor load", "—" if figures.floor_kg_m2 is None else f"{figures.floor_kg_m2:,.0f} kg/m²", "")]
        if figures.survives_single_failures is None:
            rows.append(("Single failures", "not analysed yet", ""))
        elif figures.survives_single_failures:
            rows.append(("Single failures", "keeps power and cooling through each one", ""))
        else:
            rows.append(("Single failures", "a single failure drops it", "over"))
        return rows

    def state(utilization: float | None) -> str:
        if utilization is None:
            return ""
        return "over" if utilization > 1.0 + 1e-9 else "warn" if utilization > derating + 1e-9 else ""

    rows = [(f"Load {at}", _kw(figures.load_kw), ""),
            ("Capacity", _kw(figures.capacity_kw) if figures.capacity_kw is not None else "no rating", ""),
            ("Utilisation", _percent(figures.utilization), state(figures.utilization)),
            ("Losses" if figures.kind == "power" else "Fan/pump heat", _kw(figures.loss_kw), "")]
    if not figures.failures_analysed:
        rows.append(("Worst single failure", "not analysed yet", ""))
    elif figures.worst_failure_utilization is None:
        rows.append(("Worst single failure", "—", ""))
    else:
        hour = "" if figures.worst_failure_hour is None else f" at {figures.worst_failure_hour:02d}:00"
        case = figures.worst_failure_case
        cause = "" if case is None else ", in normal running" if case == "" else f", when {case} fails"
        text = f"{_kw(figures.worst_failure_kw)} ({_percent(figures.worst_failure_utilization)}){hour}{cause}"
        rows.append(("Worst single failure", text, state(figures.worst_failure_utilization)))
    return rows


def electrical_rows(node: NodeFigures | None, feeds: Sequence[FeedFigures],
                    derating: float) -> list[tuple[str, str, str]]:
    """(title, text, state) rows of an item's volts, amps and phase, and of each feed's breaker and cable."""
    rows: list[tuple[str, str, str]] = []
    if node is not None:
        kind = "three-phase" if node.phases == 3 else "single-phase"
        ratio = f" from {node.primary_voltage_v:,.0f} V" if node.primary_voltage_v else ""
        volts = (f"{node.voltage_v:,.0f} V" if node.phases == 3
                 else f"{node.voltage_v / math.sqrt(3):,.0f} V (phase to neutral of {node.voltage_v:,.0f} V)")
        rows.append(("Supply", f"{volts} {kind}{ratio}, PF {node.power_factor:.2f}", ""))
        current = f"{node.load_a:,.1f} A ({node.load_kva:,.1f} kVA) now; {node.design_a:,.1f} A at design load"
        state = ""
        if node.rated_a:
            share = node.design_a / node.rated_a
            current += f", {share:.0%} of {node.rated_a:,.0f} A rated"
            state = "over" if share > 1.0 + 1e-9 else "warn" if share > derating + 1e-9 else ""
        rows.append(("Current", current, state))
        if node.role in ("rack", "rack_pdu"):
            rows.append(("Phase", "L1, L2 and L3" if node.phase == "L1L2L3" else node.phase or "not assigned",
                         "warn" if node.phases == 1 and node.phase is None else ""))
    for feed in feeds:
        if feed.breaker_a is not None:
            breaker = f"{feed.breaker_a:,.0f} A breaker"
        elif feed.voltage_v > LV_MAX_V:
            breaker = "medium voltage: not sized"
        elif feed.design_kw <= 0:
            breaker = "no load known: not sized"
        else:
            breaker = "beyond the largest standard breaker"
        cable = (f"{feed.cable}, {feed.length_m:,.1f} m, {feed.voltage_drop:.1%} drop" if feed.cable
                 else "cable not sized")
        where = ("" if feed.same_hall else " (between halls, on the site plan)" if feed.route_measured
                 else " (between halls, one without a site position: length estimated)")
        if feed.estimated_load:
            where += " (draw estimated from the unit's catalog figures)"
        rows.append((f"Feed {feed.feed} from {feed.source_id}",
                     f"{feed.design_a:,.1f} A design; {breaker}; {cable}{where}", ""))
    return rows


def link_text(link: Link) -> str:
    what = "power" if link.kind is ConnectionKind.POWER else "cooling"
    return f"{link.label} ({what}{', ' + link.detail if link.detail else ''})"


def tooltip_figures(results: Results | None, project: Any, item_id: str) -> str:
    """A few lines of live figures for the canvas tooltip ("" when the last analysis has none)."""
    figures = component_figures(results, project, item_id)
    if not figures.analysed:
        return ""
    lines = [f"{title}: {text}" for title, text, _state in figure_rows(figures, project.settings.continuous_derating)]
    for title, found in (("Fed by", figures.fed_by), ("Feeds", figures.feeds)):
        if found:
            names = ", ".join(link.label for link in found[:4])
            lines.append(f"{title}: {names}" + (f" and {len(found) - 4} more" if len(found) > 4 else ""))
    return "\n".join(lines)


class LiveFiguresView(QWidget):
    """Live figures of one item; ``link_activated(item_id)`` when a row of "Fed by" or "Feeds" is clicked."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LiveFigures")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("Live figures", self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self._form = QFormLayout()
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addLayout(self._form)
        self.value_labels: dict[str, QLabel] = {}
        self.fed_by_list = self._link_list("FedByList")
        self.feeds_list = self._link_list("FeedsList")
        self._fed_by_title = QLabel("Fed by", self)
        self._feeds_title = QLabel("Feeds", self)
        for title, widget in ((self._fed_by_title, self.fed_by_list), (self._feeds_title, self.feeds_list)):
            layout.addWidget(title)
            layout.addWidget(widget)
        self.figures: ComponentFigures | None = None

    def _link_list(self, name: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName(name)
        widget.setToolTip("Click to select")
        widget.itemClicked.connect(self._on_link_list_item_clicked)
        widget.itemActivated.connect(self._on_link_list_item_clicked)
        return widget

    def show_figures(self, figures: ComponentFigures | None, derating: float,
                     extra: Sequence[tuple[str, str, str]] = ()) -> None:
        """Show ``figures`` (None: nothing to show, e.g. several items selected), then the ``extra`` rows
        (the electrical figures)."""
        self.figures = figures
        while self._form.rowCount():
            self._form.removeRow(0)
        self.value_labels = {}
        self.setVisible(figures is not None)
        if figures is None:
            return
        for title, text, state in (*figure_rows(figures, derating), *extra):
            value = QLabel(text, self)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setStyleSheet(ERROR_STYLE if state == "over" else WARNING_STYLE if state == "warn" else "")
            self._form.addRow(title, value)
            self.value_labels[title.split(" at ")[0]] = value
        for heading, widget, found in ((self._fed_by_title, self.fed_by_list, figures.fed_by),
                                       (self._feeds_title, self.feeds_list, figures.feeds)):
            widget.clear()
            for link in found:
                row = QListWidgetItem(link_text(link))
                row.setData(LINK_ROLE, link.item_id)
                widget.addItem(row)
            heading.setText(f"{'Fed by' if widget is self.fed_by_list else 'Feeds'} ({len(found)})")
            widget.setVisible(bool(found))
            height = widget.sizeHintForRow(0) * min(len(found), LIST_ROWS) + 2 * widget.frameWidth() if found else 0
            widget.setFixedHeight(max(height, 0))

    def value_text(self, title: str) -> str:
        """The text shown for ``title`` ("Load", "Capacity", "Utilisation", ...), "" when absent."""
        label = self.value_labels.get(title)
        return label.text() if label is not None else ""

    def link_ids(self, which: str) -> list[str]:
        """Item ids listed under "fed_by" or "feeds"."""
        widget = self.fed_by_list if which == "fed_by" else self.feeds_list
        return [str(widget.item(i).data(LINK_ROLE)) for i in range(widget.count())]

    def _on_link_list_item_clicked(self, row: QListWidgetItem) -> None:
        self.link_activated.emit(str(row.data(LINK_ROLE)))


def install_live_figures(window: Any) -> None:
    """Wire a main window: results to the inspector, the tooltip's figures, and link clicks to the canvas."""
    panel = window.inspector_dock.panel
    coordinator = window.coordinator
    coordinator.results_ready.connect(panel.on_results_ready)  # a bound slot: dropped with the panel
    window.scene.tooltip_extra = lambda item_id: tooltip_figures(coordinator.results, window.document.project,
                                                                 item_id)

    def reveal(_item_id: str) -> None:
        rect = QRectF()
        for graphic in window.scene.selectedItems():
            rect = rect.united(graphic.sceneBoundingRect())
        if not rect.isEmpty():
            window.view.ensureVisible(rect)

    panel.item_activated.connect(reveal)
