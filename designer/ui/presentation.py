"""Presentation mode: the floor plan with its utilisation beside the transition chart and headline figures.

Full screen, large type. Space plays the scenario's years, Left/Right step through them, Esc closes.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from designer.analysis.engine import Analyzer
from designer.analysis.report_json import ERROR_COLOUR, racks_status
from designer.analysis.results import Results
from designer.analysis.sweep import SweepResult, sweep
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.project import Project
from designer.model.types import ItemKind
from designer.ui.document import Document
from designer.ui.export.charts_render import paint_chart, transition_chart
from designer.ui.export.page import Paper
from designer.ui.export.plan_painter import UTILISATION, PlanPainter, legend_entries, paint_legend_row
from designer.ui.export.report import headline
from designer.ui.plain_text import plain_label

STEP_MS = 1600
BACKGROUND = "#ffffff"


def _paper_for(widget: QWidget, painter: QPainter) -> Paper:
    dpi = widget.logicalDpiX() or 96
    return Paper(painter, widget, widget.width() * 25.4 / dpi, widget.height() * 25.4 / dpi)


class PlanPane(QWidget):
    """Paints one hall fitted to the widget, with the utilisation legend along the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: PlanPainter | None = None
        self.setMinimumSize(300, 240)

    def set_plan(self, plan: PlanPainter | None) -> None:
        self.plan = plan
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(BACKGROUND))
        if self.plan is not None:
            paper = _paper_for(self, painter)
            legend = legend_entries(self.plan)
            legend_h = 20.0
            room = QRectF(4, 4, paper.width_mm - 8, paper.height_mm - 8 - legend_h)
            bounds = self.plan.bounds_mm()
            if room.width() > 10 and room.height() > 10 and bounds.width() > 0 and bounds.height() > 0:
                scale = min(room.width() / bounds.width(), room.height() / bounds.height())
                origin = QPointF(
                    room.left() + (room.width() - bounds.width() * scale) / 2,
                    room.top() + (room.height() - bounds.height() * scale) / 2,
                )
                self.plan.paint(paper, origin, scale, labels=False)
                col_w = paper.width_mm / 3
                y = paper.height_mm - legend_h
                paint_legend_row(paper, 4, y, col_w - 6, legend[0], pt=11)
                for i, row in enumerate(legend[1:3]):
                    paint_legend_row(paper, 4 + col_w, y + i * 6.5, col_w * 2 - 8, row, pt=11)
        painter.end()


class ChartPane(QWidget):
    """Paints the transition chart with a marker at the current point of the timeline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sweep: SweepResult | None = None
        self.share: float | None = None
        self.label = ""
        self.setMinimumSize(300, 220)

    def set_point(self, sweep_result: SweepResult, share: float | None, label: str) -> None:
        self.sweep, self.share, self.label = sweep_result, share, label
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(BACKGROUND))
        if self.sweep is not None:
            paper = _paper_for(self, painter)
            paint_chart(
                paper,
                QRectF(3, 3, paper.width_mm - 6, paper.height_mm - 6),
                transition_chart(self.sweep, self.share, self.label),
                pt=12,
            )
        painter.end()


class PresentationWindow(QWidget):
    """The design for an audience. ``year_changed`` fires with each step of the timeline."""

    year_changed = Signal(int)
    FIGURES = (
        ("it", "IT peak"),
        ("facility", "Facility peak"),
        ("pue", "Annual PUE"),
        ("free", "Full free-cooling hours"),
        ("risk", "Racks unserved / at risk"),
        ("stranded", "Stranded power"),
    )

    def __init__(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        *,
        hall_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PresentationWindow")
        self.setWindowTitle(f"{project.metadata.title} — presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.project = project
        self.catalog = merged_catalog(catalog, project.custom_catalog)
        self.hall_id: str = hall_id if hall_id is not None and hall_id in project.halls else self._default_hall()
        self._analyzer = Analyzer()
        scenario = project.active_scenario
        self.years: list[int] = [y.year for y in scenario.years] if scenario is not None else []
        self._results: dict[int | None, Results] = {}
        self.sweep = sweep(project, self.catalog, analyzer=self._analyzer)
        self.index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(STEP_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._build()
        self.show_index(0)

    def _default_hall(self) -> str:
        racks = {
            i.hall_id
            for i in self.project.items.values()
            if i.catalog_id in self.catalog and self.catalog[i.catalog_id].kind is ItemKind.RACK
        }
        return next((h for h in self.project.halls if h in racks), next(iter(self.project.halls), ""))

    def _build(self) -> None:
        self.setStyleSheet(f"QWidget#PresentationWindow {{ background: {BACKGROUND}; }} QLabel {{ color: #1d2127; }}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 20, 28, 16)
        top = QHBoxLayout()
        self.title_label = plain_label(QLabel(self.project.metadata.title))
        self.title_label.setStyleSheet("font-size: 30pt; font-weight: bold;")
        self.year_label = QLabel()
        self.year_label.setStyleSheet("font-size: 30pt; font-weight: bold; color: #0072B2;")
        self.year_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.year_label)
        outer.addLayout(top)
        hall = self.project.halls.get(self.hall_id)
        self.subtitle_label = plain_label(QLabel(f"{self.project.site.name}  ·  {hall.name if hall else ''}"))
        self.subtitle_label.setStyleSheet("font-size: 16pt; color: #5b626c;")
        outer.addWidget(self.subtitle_label)
        body = QHBoxLayout()
        self.plan_pane = PlanPane(self)
        body.addWidget(self.plan_pane, 3)
        right = QVBoxLayout()
        self.chart_pane = ChartPane(self)
        right.addWidget(self.chart_pane, 3)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.figure_labels: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(self.FIGURES):
            caption = QLabel(title)
            caption.setStyleSheet("font-size: 13pt; color: #5b626c;")
            value = QLabel("—")
            value.setStyleSheet("font-size: 20pt; font-weight: bold;")
            grid.addWidget(caption, (i // 3) * 2, i % 3)
            grid.addWidget(value, (i // 3) * 2 + 1, i % 3)
            self.figure_labels[key] = value
        right.addLayout(grid, 2)
        body.addLayout(right, 2)
        outer.addLayout(body, 1)
        self.hint_label = QLabel("Space  play / pause     ← →  year     Esc  close")
        self.hint_label.setStyleSheet("font-size: 12pt; color: #8c8c8c;")
        outer.addWidget(self.hint_label)

    # ----------------------------------------------------------------- timeline
    @property
    def current_year(self) -> int | None:
        return self.years[self.index] if self.years else None

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def results_for(self, year: int | None) -> Results:
        """The analysis of one scenario year (cached)."""
        cached = self._results.get(year)
        if cached is None:
            cached = self._results[year] = self._analyzer.analyze(self.project, self.catalog, year=year)
        return cached

    def show_index(self, index: int) -> None:
        if self.years:
            index = max(0, min(index, len(self.years) - 1))
        self.index = index
        year = self.current_year
        results = self.results_for(year)
        self.plan_pane.set_plan(
            PlanPainter(self.project, self.catalog, self.hall_id, overlays={UTILISATION}, results=results, year=year)
            if self.hall_id
            else None
        )
        label = (
            f"{year}: {results.inference_share:.0%} inference"
            if year is not None
            else f"{results.inference_share:.0%} inference"
        )
        self.chart_pane.set_point(self.sweep, results.inference_share, label)
        self.year_label.setText(
            f"{year}  ·  {results.inference_share:.0%} inference"
            if year is not None
            else f"{results.inference_share:.0%} inference"
        )
        h = headline(results)
        texts = {
            "it": f"{h.it_peak_mw:,.2f} MW",
            "facility": f"{h.facility_peak_mw:,.2f} MW",
            "pue": f"{h.annual_pue:.3f}" if h.annual_pue == h.annual_pue else "—",
            "free": h.free_cooling,
            "risk": racks_status(h.racks_unserved, h.racks_at_risk, h.rack_count).replace("…", "—"),
            "stranded": f"{h.stranded_mw:,.2f} MW",
        }
        for key, text in texts.items():
            self.figure_labels[key].setText(text)
        colour = f" color: {ERROR_COLOUR};" if h.racks_unserved else ""
        self.figure_labels["risk"].setStyleSheet(f"font-size: 20pt; font-weight: bold;{colour}")
        if year is not None:
            self.year_changed.emit(year)

    def step(self, delta: int) -> None:
        if self.years:
            self.show_index(self.index + delta)

    def toggle_play(self) -> None:
        if self.playing:
            self.timer.stop()
        elif self.years:
            if self.index >= len(self.years) - 1:
                self.show_index(0)
            self.timer.start()

    def _on_timer_timeout(self) -> None:
        if self.index >= len(self.years) - 1:
            self.timer.stop()
            return
        self.step(1)

    # ----------------------------------------------------------------- keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.timer.stop()
            self.step(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            self.timer.stop()
            self.step(-1)
        elif key == Qt.Key.Key_Escape:
            self.timer.stop()
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.timer.stop()
        super().closeEvent(event)


def open_presentation(document: Document, *, full_screen: bool = True) -> PresentationWindow:
    """Open presentation mode on ``document`` (its current hall), full screen; the caller keeps it alive."""
    presentation = PresentationWindow(document.project, document.catalog, hall_id=document.current_hall_id, parent=None)
    if full_screen:
        presentation.showFullScreen()
    else:
        presentation.show()
    presentation.activateWindow()
    presentation.setFocus()
    return presentation
