"""The stakeholder report: a paginated A4 PDF of the design, its transition, risks and assumptions."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from designer.analysis.capacity import state_codes
from designer.analysis.climate import load_climates
from designer.analysis.compare import Comparison, table_rows
from designer.analysis.economics import EconomicsSummary
from designer.analysis.electrical import electrical_figures
from designer.analysis.electrical_report import with_electrical_findings
from designer.analysis.engine import Analyzer
from designer.analysis.latency import DEFAULT_ROUTE_FACTOR, latencies, site_located
from designer.analysis.report_json import ERROR_COLOUR, free_cooling_text, racks_status
from designer.analysis.results import Results
from designer.analysis.runway import Runway, runway, runway_rows, runway_rule_text
from designer.analysis.sweep import SweepResult, sweep
from designer.io.bibliography import references
from designer.io.project_file import write_export
from designer.model.catalog import Catalog, CatalogEntry, merged_catalog
from designer.model.effective import design_kw
from designer.model.phasing import windows
from designer.model.project import Project
from designer.model.types import ItemKind
from designer.ui.export.charts_render import day_chart, paint_chart, transition_chart, year_chart
from designer.ui.export.flow import Column, Flow
from designer.ui.export.page import (
    INK,
    MUTED,
    ExportCancelled,
    Paper,
    ProgressCallback,
    open_buffer,
    page_size_mm,
    pdf_writer,
)
from designer.ui.export.plan import STANDARD_SCALES
from designer.ui.export.plan_painter import UTILISATION, PlanPainter, legend_entries, paint_legend_row
from designer.ui.export.report_economics import economics_section, summary_for
from designer.ui.export.report_summary import climate_name, component_order, paint_executive_summary

PAGE = "A4"
DPI = 1200
ACCENT = "#17324d"
OVER, WARN = "#b3261e", "#a15c00"
BODY_COMPONENTS = 25
"""The utilisation section lists this many components, worst case first; the appendix lists them all."""
SECTIONS = (
    "Executive summary",
    "Summary",
    "Floor plans",
    "Single-line diagram",
    "Transition",
    "Utilisation",
    "Single failures",
    "Cooling and PUE",
    "Latency",
    "Cost, carbon and water",
    "Options",
    "Assumptions",
    "Appendix: all components",
    "References",
)


@dataclass(frozen=True, slots=True)
class Headline:
    """The report's headline figures (the dashboard's, computed the same way)."""

    it_peak_mw: float
    facility_peak_mw: float
    annual_pue: float
    free_cooling: str
    """Full free-cooling hours per loop (``report_json.free_cooling_text``)."""
    racks_at_risk: int | None
    rack_count: int
    stranded_mw: float
    racks_unserved: int = 0
    unserved_peak_mw: float = 0.0


def headline(results: Results) -> Headline:
    stranded = results.stranded
    halls = np.array([kind == "hall" for kind in stranded.scope_kinds], dtype=bool)
    stranded_kw = float(np.nansum(np.asarray(stranded.stranded_power_kw)[halls])) if halls.size else 0.0
    return Headline(
        results.peak_it_kw / 1000.0,
        results.peak_facility_kw / 1000.0,
        results.annual_pue,
        free_cooling_text(results.cooling_loops),
        results.racks_at_risk,
        len(results.rack_ids),
        stranded_kw / 1000.0,
        results.racks_unserved,
        float(results.unserved_it_kw.max(initial=0.0)) / 1000.0,
    )


def _num(value: float, digits: int = 0, unit: str = "") -> str:
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.{digits}f}" + (f" {unit}" if unit else "")


def _pct(value: float) -> str:
    return f"{value:.0%}" if math.isfinite(value) else "n/a"


def _worst_at(hour: int, case: str) -> str:
    """"14:00, UPS1 failed" / "14:00, normal" for the worst N-1 column ("" when not analysed)."""
    if hour < 0:
        return ""
    return f"{hour}:00, {case} failed" if case else f"{hour}:00, normal"


def _util_cell(value: float, warn_at: float) -> str | tuple[str, str]:
    """A utilisation coloured by the analysis's state rule (warning above ``Results.warn_utilization``)."""
    if not math.isfinite(value):
        return "n/a"
    colour = (INK, INK, WARN, OVER)[int(state_codes(np.array([value]), warn_at)[0])]
    return (_pct(value), colour) if colour != INK else _pct(value)


class StakeholderReport:
    """Analyses a project once and writes the report; ``render`` gives the PDF bytes and page count."""

    def __init__(
        self,
        project: Project,
        catalog: Mapping[str, CatalogEntry],
        *,
        share: float | None = None,
        year: int | None = None,
        date: str = "",
        results: Results | None = None,
        sweep_result: SweepResult | None = None,
        options: Comparison | str | None = None,
    ) -> None:
        self.project = project
        self.options = options
        """The design beside the options it lists (``compare_cli.options_comparison``), or why they could
        not be compared; None leaves the section out."""
        self.catalog = merged_catalog(catalog, project.custom_catalog)
        self.date = date or dt.date.today().isoformat()
        if results is None or sweep_result is None:
            analyzer = Analyzer()
            try:
                results = results or analyzer.analyze(project, self.catalog, inference_share=share, year=year)
                sweep_result = sweep_result or sweep(project, self.catalog, analyzer=analyzer)
            finally:
                analyzer.close()
        self.electrical = electrical_figures(project, self.catalog, results)
        self.results = with_electrical_findings(results, self.electrical)
        self.sweep = sweep_result
        self.headline = headline(self.results)
        self._economics_summary: tuple[EconomicsSummary | None] | None = None
        self._economics_sources = ""
        self.runway: Runway | None = None
        """A phased design's runway (the years each hall runs out), shown after the scenario years."""
        if windows(project):
            self.runway = runway(project, self.catalog)

    # ----------------------------------------------------------------- output
    def render(self, progress: ProgressCallback | None = None) -> tuple[bytes, int]:
        """(PDF bytes, page count). Lays out twice: the first pass counts the pages for "page n of N"."""
        _, pages = self._render_once(None, progress, 0)
        data, pages_again = self._render_once(pages, progress, 1)
        assert pages_again == pages
        return data, pages

    def export(self, path: Path, progress: ProgressCallback | None = None) -> int:
        data, pages = self.render(progress)
        write_export(Path(path), data, "report")
        return pages

    def _render_once(self, total: int | None, progress: ProgressCallback | None, pass_index: int) -> tuple[bytes, int]:
        meta = self.project.metadata
        data, buffer = open_buffer()
        writer = pdf_writer(buffer, PAGE, False, DPI, f"{meta.title} - stakeholder report")
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError("could not start painting the PDF report")
        try:
            width, height = page_size_mm(PAGE, False)
            paper = Paper(painter, writer, width, height)
            footer = f"{meta.title}  ·  revision {meta.revision or '-'}  ·  {self.date}"
            flow = Flow(paper, writer, header=f"{meta.title} — stakeholder report", footer=footer, total_pages=total)
            steps = [
                self._executive_summary,
                self._cover,
                self._plans,
                self._single_line,
                self._transition,
                self._utilisation,
                self._failures,
                self._cooling,
                self._latency,
                self._economics,
                self._options,
                self._assumptions,
                self._component_appendix,
                self._references,
            ]
            for i, step in enumerate(steps):
                if progress is not None:
                    done = pass_index * len(steps) + i
                    if not progress(done, 2 * len(steps), SECTIONS[i]):
                        raise ExportCancelled("report export cancelled")
                step(flow)
            pages = flow.page
        finally:
            painter.end()
        buffer.close()
        return bytes(data.data()), pages

    # ----------------------------------------------------------------- sections
    def _executive_summary(self, flow: Flow) -> None:
        paint_executive_summary(self, flow)

    def _cover(self, flow: Flow) -> None:
        paper, project, meta, site = flow.paper, self.project, self.project.metadata, self.project.site
        flow.heading("Design overview", new_page=True, keep=80)
        scenario = project.active_scenario
        r = self.results
        analysed = f"{r.inference_share:.0%} inference" + (f" ({r.year})" if r.year is not None else " (chosen share)")
        rows = [
            ("Site", f"{site.name} ({site.latitude_deg:.4f}°, {site.longitude_deg:.4f}°, UTC{site.utc_offset_h:+g})"),
            ("Author", meta.author or "-"),
            ("Revision", meta.revision or "-"),
            ("Date", self.date),
            ("Scenario", scenario.name if scenario is not None else "none"),
            ("Analysed at", f"{analysed}, AI density x{r.ai_density_factor:g}, peak hour {r.hour}:00"),
        ]
        for label, value in rows:
            paper.text(QRectF(flow.left, flow.y, 32, 6), label, 10, colour=MUTED)
            paper.text(QRectF(flow.left + 32, flow.y, flow.width - 32, 6), paper.elide(value, 10, flow.width - 32), 10)
            flow.y += 6.2
        flow.space(5)
        flow.subheading("Summary", keep=80)
        self._tiles(flow)
        h = self.headline
        counts = Counter(f.severity for f in r.findings)
        text = (
            f"At {analysed} the design draws {h.it_peak_mw:,.2f} MW of IT load at its peak and "
            f"{h.facility_peak_mw:,.2f} MW at the utility meter. "
        )
        if h.racks_unserved:
            text = (
                f"{h.racks_unserved:,} of {h.rack_count:,} racks are unserved: they have no live power or cooling "
                f"now, and their {h.unserved_peak_mw:,.2f} MW of IT at its peak is not counted in the figures "
                "below. " + text
            )
        if r.failures_analysed:
            text += (
                f"{h.racks_at_risk} of {h.rack_count} racks served now lose power or cooling, or overload a part, "
                f"on some single failure. "
                if h.racks_at_risk
                else ("Every served rack keeps power and cooling through any single failure. " if h.racks_unserved
                      else "Every rack keeps power and cooling through any single failure. ")
            )
        text += (
            f"The analysis reports {counts['error']} errors, {counts['warning']} warnings and "
            f"{counts['info']} notes (listed under Single failures)."
        )
        flow.paragraph(text)
        if meta.notes:
            flow.paragraph(meta.notes, colour=MUTED)
        self._halls_table(flow)

    def _tiles(self, flow: Flow) -> None:
        h = self.headline
        risk = racks_status(h.racks_unserved, h.racks_at_risk, h.rack_count).replace("…", "pending")
        tiles = [
            ("IT peak", _num(h.it_peak_mw, 2, "MW")),
            ("Facility peak", _num(h.facility_peak_mw, 2, "MW")),
            ("Annual PUE", _num(h.annual_pue, 3)),
            _free_cooling_tile(self.results),
            ("Racks unserved / at risk", risk),
            ("Stranded power", _num(h.stranded_mw, 2, "MW")),
        ]
        paper = flow.paper
        cols, gap, tile_h = 3, 4.0, 22.0
        w = (flow.width - gap * (cols - 1)) / cols
        flow.ensure(2 * tile_h + gap)
        for i, (label, value) in enumerate(tiles):
            x = flow.left + (i % cols) * (w + gap)
            y = flow.y + (i // cols) * (tile_h + gap)
            paper.box(QRectF(x, y, w, tile_h), fill="#f1f4f7", line="#c9d1da", width_mm=0.2)
            paper.box(QRectF(x, y, 1.5, tile_h), fill=ACCENT, line=None)
            paper.text(QRectF(x + 4, y + 2.5, w - 6, 5), label, 8.5, colour=MUTED)
            colour = QColor(ERROR_COLOUR) if label.startswith("Racks") and h.racks_unserved else INK
            pt = 17.0
            while pt > 10 and paper.text_width(value, pt, bold=True) > w - 6:
                pt -= 1.0  # a long figure ("672 of 672 unserved") shrinks before it is cut
            paper.text(QRectF(x + 4, y + 8, w - 6, 11), paper.elide(value, pt, w - 6, bold=True), pt, bold=True,
                       colour=colour)
        flow.y += 2 * tile_h + gap + 5

    def _halls_table(self, flow: Flow) -> None:
        racks: Counter[str] = Counter()
        kw: dict[str, float] = {}
        for item in self.project.items.values():
            entry = self.catalog.get(item.catalog_id)
            if entry is not None and entry.kind is ItemKind.RACK:
                racks[item.hall_id] += 1
                kw[item.hall_id] = kw.get(item.hall_id, 0.0) + design_kw(item, entry)
        rows = [
            [
                hall.name,
                _num(hall.area_m2, 0),
                str(racks[hall.id]),
                _num(kw.get(hall.id, 0.0), 0),
                hall.floor_type.value,
            ]
            for hall in self.project.halls.values()
        ]
        flow.table(
            [
                Column("Hall", 4),
                Column("Area (m²)", 1.5, "right"),
                Column("Racks", 1.2, "right"),
                Column("Design IT (kW)", 1.8, "right"),
                Column("Floor", 1.2),
            ],
            rows,
            caption="Halls",
        )

    def _plans(self, flow: Flow) -> None:
        flow.heading("Floor plans", new_page=True, keep=90)
        flow.paragraph(
            "Each hall drawn to scale with the utilisation of its equipment at the analysed point: racks by "
            "their IT load against their design kW, power and cooling plant by load against rating. "
            "Racks crossed in red lose supply or overload a part on some single failure."
            + (f" Items not in service in {self.results.year} (phased build-out) are drawn dimmed with a dashed "
               "outline." if self.runway is not None and self.results.year is not None else ""),
            after=3,
        )
        for hall in self.project.halls.values():
            plan = PlanPainter(self.project, self.catalog, hall.id, overlays={UTILISATION}, results=self.results)
            bounds = plan.bounds_mm()
            legend = legend_entries(plan)
            scale = min(flow.width / bounds.width(), 150.0 / bounds.height())
            denominator = _round_scale(1 / scale)
            scale = 1 / denominator
            height = bounds.height() * scale + 24
            flow.subheading(f"{hall.name}  ({hall.area_m2:,.0f} m², drawn at 1:{denominator:,})", keep=height)

            def paint(
                rect: QRectF,
                plan: PlanPainter = plan,
                scale: float = scale,
                denominator: int = denominator,
                legend: list[tuple[str, str, object]] = legend,
            ) -> None:
                w = plan.bounds_mm().width() * scale
                plan.paint(flow.paper, QPointF(rect.left() + (rect.width() - w) / 2, rect.top()), scale)
                y = rect.bottom() - 20
                col_w = rect.width() / 3
                paint_legend_row(flow.paper, rect.left(), y + 1, col_w - 3, legend[0], pt=8)
                for i, row in enumerate(legend[1:]):
                    paint_legend_row(flow.paper, rect.left() + col_w, y + 1 + i * 4.5, col_w - 3, row, pt=8)
                _scale_bar(flow.paper, QPointF(rect.left() + 2 * col_w + 4, y + 12), denominator, col_w - 10)

            flow.block(height, paint)
            flow.space(4)

    def _single_line(self, flow: Flow) -> None:
        """The power chain by stage (``designer.analysis.single_line``), fitted to one page."""
        from designer.analysis.single_line import single_line_layout
        from designer.analysis.single_line_labels import label_hooks
        from designer.ui.single_line_paint import paint_layout

        layout = single_line_layout(self.project, self.catalog.__getitem__, self.results,
                                    hooks=label_hooks(self.project, self.catalog, self.electrical))
        if not layout.nodes:
            return
        flow.heading("Single-line diagram", new_page=True, keep=120)
        racks = sum(n.count for n in layout.nodes if n.kind == "Racks")
        flow.paragraph(
            "The power chain by stage, sources at the top; racks grouped by the suppliers they share "
            f"({racks:,} racks in {sum(1 for n in layout.nodes if n.kind == 'Racks')} boxes). Each box gives its "
            "load against its rating at the analysed point, the rating as the equipment is rated (amps, kVA, a "
            "transformer's ratio), the load in kVA and amps, and the breaker, cable and length of each incoming "
            "feed (A, B, or 'in' for a single one); its colour is the worst of normal running and any "
            "single failure; A path lines blue, B path lines red and dashed.", after=3)
        height = min(flow.width * layout.height_mm / layout.width_mm, flow.bottom - flow.y - 2)
        scale = min(flow.width / layout.width_mm, height / layout.height_mm)

        def paint(rect: QRectF) -> None:
            painter = flow.paper.painter
            painter.save()
            painter.translate(QPointF(rect.left() + (rect.width() - layout.width_mm * scale) / 2, rect.top()))
            painter.scale(scale, scale)
            paint_layout(painter, layout)
            painter.restore()

        flow.block(layout.height_mm * scale, paint)

    def _transition(self, flow: Flow) -> None:
        flow.heading("Transition from training to inference", new_page=True, keep=100)
        r = self.results
        flow.paragraph(
            "Design-day figures of the whole site as the AI workload moves from training to inference. "
            "The dashed line marks the analysed point; the year chart follows the active scenario, whose "
            "years also change the AI rack density."
        )
        flow.block(
            84,
            lambda rect: paint_chart(
                flow.paper,
                rect,
                transition_chart(self.sweep, r.inference_share, f"analysed: {r.inference_share:.0%}"),
                pt=8.5,
            ),
        )
        flow.space(4)
        if self.sweep.years.size:
            flow.block(
                84,
                lambda rect: paint_chart(
                    flow.paper, rect, year_chart(self.sweep, r.year if r.year is not None else None), pt=8.5
                ),
            )
            flow.space(4)
            s = self.sweep
            rows = [
                [
                    str(int(s.years[i])),
                    _pct(float(s.year_shares[i])),
                    f"x{s.year_density[i]:g}",
                    _num(float(s.year_peak_it_kw[i]) / 1000, 2),
                    _num(float(s.year_mean_it_kw[i]) / 1000, 2),
                    _num(float(s.year_peak_facility_kw[i]) / 1000, 2),
                    _num(float(s.year_pue[i]), 3),
                    _util_cell(float(s.year_worst_utilization[i]), self.results.warn_utilization),
                    _num(float(s.year_stranded_power_kw[i]) / 1000, 2),
                ]
                for i in range(s.years.size)
            ]
            flow.table(
                [
                    Column("Year", 1),
                    Column("Inference share", 1.2, "right"),
                    Column("AI density", 1, "right"),
                    Column("Peak IT (MW)", 1.2, "right"),
                    Column("Mean IT (MW)", 1.2, "right"),
                    Column("Facility peak (MW)", 1.3, "right"),
                    Column("PUE (design day)", 1.2, "right"),
                    Column("Worst utilisation", 1.3, "right"),
                    Column("Stranded power (MW)", 1.4, "right"),
                ],
                rows,
                caption="Scenario years, design day",
            )
        if self.runway is not None and self.runway.years:
            flow.space(4)
            header, *runway_table = runway_rows(self.runway)
            flow.table(
                [Column("Hall", 2.2), *(Column(title.capitalize(), 1.2, "right") for title in header[1:-1]),
                 Column("Binds first", 2.6)],
                runway_table,
                caption="Runway: the first year each resource runs out, each year as built then; "
                + runway_rule_text(self.runway, {h.id: h.name for h in self.project.halls.values()}),
            )
        self._swings(flow)

    def _swings(self, flow: Flow) -> None:
        """The training swing at the utility feed beside the transition, and the smoothing that holds it."""
        swings = self.electrical.swings
        if not swings or all(s.training_nameplate_kw <= 0 for s in swings):
            return
        flow.space(4)
        flow.paragraph(
            "Training jobs swing the hall's power within about a second at a checkpoint or restart (running level "
            "0.80 to an idle floor of 0.30 of nameplate). The step below is seen at the utility feed; held to the "
            f"utility's ramp limit of {swings[0].limit_kw_per_s:,.0f} kW/s, batteries (UPS or rack-level) must "
            "carry the difference for the seconds shown. The first row is the analysed point.")
        rows = [[
            "analysed" if i == 0 else str(s.year) if s.year is not None else "-",
            _pct(s.inference_share), f"{s.training_racks:,}", _num(s.step_kw / 1000, 2),
            _num(s.ramp_kw_per_s / 1000, 2), _num(s.smoothing_kw, 0), _num(s.smoothing_s, 1), _num(s.smoothing_kwh, 2),
            "yes" if s.covered else ("no", OVER),
        ] for i, s in enumerate(swings)]
        flow.table(
            [Column("Year", 1), Column("Inference share", 1.2, "right"), Column("Training racks", 1.1, "right"),
             Column("Step (MW)", 1, "right"), Column("Ramp (MW/s)", 1.1, "right"),
             Column("Smoothing (kW)", 1.2, "right"), Column("For (s)", 0.9, "right"),
             Column("Energy (kWh)", 1.1, "right"), Column("UPS batteries hold it", 1.4, "right")],
            rows, caption="Training swings at the utility feed and the battery smoothing that keeps them in the limit")

    def _utilisation(self, flow: Flow) -> None:
        flow.heading("Utilisation of the power and cooling chain", new_page=True)
        r = self.results
        flow.paragraph(
            f"Load at the analysed hour ({r.hour}:00) against each component's rating, and the highest "
            "utilisation it reaches at any hour of the design day when any other single component fails "
            f"(worst N-1, with its hour). Above the {r.warn_utilization:.0%} continuous rating is marked amber, "
            "above 100 % red. Worst case first (the higher of the two)."
        )
        order = component_order(np.asarray(r.component_utilization), np.asarray(r.component_worst_failure_utilization))
        shown = order[:BODY_COMPONENTS]
        self._component_table(
            flow,
            shown,
            f"The {shown.size} components with the highest worst-case utilisation, of {order.size}"
            if order.size > shown.size
            else f"{order.size} components",
        )
        if order.size > shown.size:
            worst_case = np.fmax(np.nan_to_num(np.asarray(r.component_utilization), nan=0.0),
                                 np.nan_to_num(np.asarray(r.component_worst_failure_utilization), nan=0.0))
            rest = worst_case[order[shown.size:]]
            flow.paragraph(
                f"{order.size - shown.size} more components (worst case up to {np.nanmax(rest):.0%}) are listed in "
                "the appendix.",
                colour=MUTED,
            )

    def _component_table(self, flow: Flow, indices: np.ndarray, caption: str) -> None:
        r = self.results
        rows = []
        for i in indices:
            cid = str(r.component_ids[i])
            item = self.project.items.get(cid)
            name = f"{item.label} ({cid})" if item is not None and item.label and item.label != cid else cid
            rows.append(
                [
                    name,
                    str(r.component_roles[i]).replace("_", " "),
                    str(r.component_kinds[i]),
                    _num(float(r.component_load_kw[i]), 0),
                    _num(float(r.component_capacity_kw[i]), 0),
                    _util_cell(float(r.component_utilization[i]), r.warn_utilization),
                    _util_cell(float(r.component_worst_failure_utilization[i]), r.warn_utilization),
                    _worst_at(int(r.component_worst_failure_hour[i]), str(r.component_worst_failure_case[i])),
                ]
            )
        flow.table(
            [
                Column("Component", 3.2),
                Column("Role", 1.6),
                Column("Chain", 1.0),
                Column("Load (kW)", 1.2, "right"),
                Column("Capacity (kW)", 1.3, "right"),
                Column("Utilisation", 1.3, "right"),
                Column("Worst N-1", 1.2, "right"),
                Column("Worst at", 2.0),
            ],
            rows,
            caption=caption,
        )

    def _component_appendix(self, flow: Flow) -> None:
        r = self.results
        order = component_order(np.asarray(r.component_utilization), np.asarray(r.component_worst_failure_utilization))
        if order.size <= BODY_COMPONENTS:
            return  # the utilisation section already lists every one
        flow.heading("Appendix: all components", new_page=True)
        flow.paragraph("Every power and cooling component, worst-case utilisation first (as in the utilisation "
                       "section).")
        self._component_table(flow, order, f"All {order.size} components")

    def _failures(self, flow: Flow) -> None:
        flow.heading("Single failures and findings", new_page=True)
        r = self.results
        if not r.failures_analysed:
            flow.paragraph("Single failures were not analysed for this design.")
        else:
            bad = [f for f in r.single_failures if not f.survived]
            flow.paragraph(
                f"{len(r.single_failures)} single-failure cases were analysed (each power and cooling "
                f"component lost in turn, at every hour of the design day); {len(r.single_failures) - len(bad)} "
                f"leave every served rack supplied and no part over its rating, {len(bad)} do not."
            )
            if r.racks_unserved:
                flow.paragraph(
                    f"{r.racks_unserved:,} of {r.rack_ids.size:,} racks are unserved before any failure (no live "
                    "power or cooling): they are counted as unserved, not as at risk.",
                    colour=QColor(ERROR_COLOUR),
                )
            for v in r.maintenance_verdicts:
                flow.paragraph(f"Maintenance, {v.statement()}.")
            h = r.headroom
            if h is not None and h.rack_type:
                flow.paragraph(
                    f"Coincident peak {h.coincident_peak_it_kw:,.0f} kW at {h.hour}:00 against "
                    f"{h.sum_design_kw:,.0f} kW of rack design ({_num(h.diversity, 2)}). More {h.rack_type} racks "
                    f"({h.rack_kw_at_peak:,.1f} kW each at that hour) each scope takes with every single failure "
                    "still survived: "
                    + "; ".join(f"{scope} {n:,}" + (f" (bound by {b})" if b else f" ({why})" if why else "")
                                for scope, n, b, why in zip(h.scope_ids, h.racks_addable, h.binding, h.reason,
                                                            strict=True) if why != "no served racks")
                    + "."
                )
            if bad:
                rows = [
                    [f.failed, str(len(f.racks_without_power)), str(len(f.racks_without_cooling)),
                     _ids(tuple(f"{c} ({h}:00)" for c, h in zip(f.overloaded, f.overloaded_hours, strict=True))
                          if len(f.overloaded_hours) == len(f.overloaded) else f.overloaded)]
                    for f in bad
                ]
                flow.table(
                    [
                        Column("Failed component", 2.2),
                        Column("Racks without power", 1.3, "right"),
                        Column("Racks without cooling", 1.3, "right"),
                        Column("Pushed over rating (from hour)", 3.5),
                    ],
                    rows,
                    caption="Failures that lose racks or overload a part",
                )
        if r.groups:
            rows = [
                [
                    g.group,
                    str(len(g.member_ids)),
                    _util_cell(g.worst_utilization, self.results.warn_utilization),
                    ("survives", INK.name()) if g.survives else ("fails", OVER),
                ]
                for g in r.groups
            ]
            flow.table(
                [
                    Column("Redundancy group", 3),
                    Column("Members", 1, "right"),
                    Column("Worst utilisation, one member lost", 2, "right"),
                    Column("Verdict", 1.2),
                ],
                rows,
                caption="Redundancy groups",
            )
        colours = {"error": OVER, "warning": WARN, "info": MUTED.name()}
        rows = [[(f.severity, colours[f.severity]), f.code.replace("_", " "), f.message] for f in r.findings]
        if rows:
            flow.table(
                [Column("Severity", 1), Column("Finding", 1.6), Column("Detail", 6)],
                rows,
                caption=f"{len(rows)} findings of the analysis",
            )
        else:
            flow.paragraph("The analysis reports no findings.")

    def _cooling(self, flow: Flow) -> None:
        flow.heading("Cooling and PUE", new_page=True)
        r, settings, site = self.results, self.project.settings, self.project.site
        climate = climate_name(r.climate_id) if r.climate_id else "none found (design-day figures only)"
        if site.climate is not None:
            hours = "typical-year hours" if site.climate.hourly_dry_bulb_c else "monthly normals"
            climate = f"site's own: {site.climate.name} ({hours}; {site.climate.licence or 'licence not stated'})"
        rows = [
            ["Air supply class (ASHRAE)", settings.air_class],
            ["Liquid supply class (ASHRAE)", settings.liquid_class],
            ["Supply air", "air units' catalog values" if settings.supply_air_c is None
             else f"{settings.supply_air_c:g} °C (project setting)"],
            ["Climate", climate],
            ["Design ambient", f"{site.design_ambient_c:g} °C"],
            ["Annual PUE", _num(r.annual_pue, 3)],
            ["Annual WUE (towers, wetted adiabatic coolers)", _num(r.wue_l_per_kwh, 3, "L/kWh")],
            *([f"{h.loop.capitalize()} loop: free / partial / mechanical",
               f"{_num(h.full_free_h, 0)} / {_num(h.partial_h, 0)} / {_num(h.mechanical_h, 0, 'h/yr')}"]
              for h in r.cooling_loops if h.loaded_h > 0),
            [
                "Design-day PUE (min to max)",
                _span(np.asarray(r.pue, dtype=np.float64), 3),
            ],
            ["Peak facility power", _num(r.peak_facility_kw, 0, "kW")],
        ]
        flow.table(
            [Column("Figure", 2), Column("Value", 3)],
            rows,
            caption=f"Heat rejection at {settings.air_class} air and {settings.liquid_class} liquid supply",
        )
        flow.paragraph(
            "Per loop: free hours are those in which its free coolers (towers, dry coolers, economisers) carry "
            "all of its heat; partial hours those in which they pre-cool and a compressor trims; mechanical hours "
            "those in which compressors carry it all. Only hours in which the loop carries heat count.",
            colour=MUTED,
        )
        flow.block(95, lambda rect: paint_chart(flow.paper, rect, day_chart(r), pt=8.5))

    def _latency(self, flow: Flow) -> None:
        flow.heading("Latency to users", keep=60)
        site = self.project.site
        if not site_located(site):
            flow.paragraph("The site's location is not set (File > Site): no round trip to users is estimated.")
            return
        regions = sorted(latencies(site), key=lambda x: x.rtt_ms)
        flow.paragraph(
            f"Fibre round trip from {site.name} to its user regions: great-circle distance times a route "
            f"factor of {DEFAULT_ROUTE_FACTOR:g}, at 1 ms per 100 km of fibre. Queueing, routing and "
            "server time come on top."
            + ("" if site.user_regions else " The site names no regions: major cities are shown.")
        )
        rows = [[x.region, _num(x.great_circle_km, 0), _num(x.fibre_km, 0), _num(x.rtt_ms, 1)] for x in regions]
        flow.table(
            [
                Column("User region", 3),
                Column("Great circle (km)", 1.5, "right"),
                Column("Fibre path (km)", 1.5, "right"),
                Column("Round trip (ms)", 1.5, "right"),
            ],
            rows,
        )

    def _economics(self, flow: Flow) -> None:
        if self._economics_summary is None:
            self._economics_summary = (summary_for(self.project, self.results, self.catalog),)
        self._economics_sources = economics_section(flow, self._economics_summary[0])

    def _options(self, flow: Flow) -> None:
        if self.options is None:
            return
        flow.heading("Options compared", keep=60)
        if isinstance(self.options, str):
            flow.paragraph(f"The options this design lists could not be compared: {self.options}")
            return
        comparison = self.options
        years = ", ".join(str(y) for y in comparison.years)
        flow.paragraph(
            f"This design and the options it lists, each analysed under this design's scenario "
            f"\u201c{comparison.scenario}\u201d ({years}); a figure by year shows the first and the last year. "
            "The same table comes from `dc-designer compare` on this file."
        )
        names = [row.name for row in comparison.rows]
        share = 6.0 / max(1, len(names))
        flow.table([Column("Figure", 3), *(Column(name, share, "right") for name in names)],
                   [[label, *texts] for label, texts in table_rows(comparison)])

    def _assumptions(self, flow: Flow) -> None:
        flow.heading("Assumptions: equipment used", new_page=True)
        flow.paragraph(
            "Every catalog entry the design uses, with the figures the analysis takes from it, its source "
            "and how far it can be trusted: P primary (manufacturer data), S secondary (published "
            "reference), E estimate."
        )
        counts: Counter[str] = Counter(item.catalog_id for item in self.project.items.values())
        rows = []
        for catalog_id, count in counts.most_common():
            entry = self.catalog.get(catalog_id)
            if entry is None:
                continue
            rating = _num(entry.capacity_kw, 0, "kW") if entry.capacity_kw else "-"
            if entry.capacity_range_kw:
                rating += f" ({entry.capacity_range_kw[0]:,.0f}–{entry.capacity_range_kw[1]:,.0f})"
            size = f"{entry.width_mm:,.0f} × {entry.depth_mm:,.0f}"
            figures = [f"{size} mm"]
            if entry.weight_kg:
                figures.append(f"{entry.weight_kg:,.0f} kg")
            if entry.liquid_fraction:
                figures.append(f"liquid {entry.liquid_fraction:.0%}")
            rows.append(
                [
                    f"{entry.name}\n{entry.id}",
                    entry.role.value.replace("_", " "),
                    str(count),
                    rating,
                    ", ".join(figures),
                    entry.confidence.value,
                    entry.source,
                ]
            )
        flow.table(
            [
                Column("Entry", 3.0),
                Column("Role", 1.5),
                Column("Used", 0.7, "right"),
                Column("Rating", 1.4, "right"),
                Column("Size, weight", 1.6),
                Column("Conf", 0.7, "center"),
                Column("Source", 2.9),
            ],
            rows,
            pt=8.0,
            caption=f"{len(rows)} catalog entries",
        )

    def _references(self, flow: Flow) -> None:
        """Every source the design's entries, its climate and the method cite, from the bibliography."""
        flow.heading("References", new_page=True)
        flow.paragraph("Sources cited by the catalog entries the design uses, by its climate and by the analysis "
                       "method (docs/method.md). Secondary web sources are summaries of the primary documents they "
                       "name; entries marked E in the catalog are estimates.", colour=MUTED)
        texts = [self.catalog[c].source for c in sorted({i.catalog_id for i in self.project.items.values()})
                 if c in self.catalog]
        climate = self.project.site.climate
        if climate is not None:
            texts.append(climate.source)
        elif self.results.climate_id:
            texts.append(climate_source(self.results.climate_id))
        texts.append(METHOD_KEYS)
        texts.append(self._economics_sources)
        for line in references(" ".join(texts)):
            flow.paragraph(line, pt=8.0, after=1.0)


METHOD_KEYS = "[S49][S31][S32][S62][S63][S64][S65]"
"""Sources of the analysis method itself (facility model, loss classes, chiller curves, psychrometrics, fans)."""


def climate_source(climate_id: str) -> str:
    """The source text of a bundled climate ("" when it cannot be read)."""
    try:
        climates = load_climates()
    except (OSError, ValueError):
        return ""
    found = climates.get(climate_id)
    return found.source if found is not None else ""


def _free_cooling_tile(results: Results) -> tuple[str, str]:
    """("Full free cooling, h/yr (air / liquid)", "3,441 / 6,033"): short enough for a tile."""
    loaded = [h for h in results.cooling_loops if h.loaded_h > 0]
    if not loaded:
        return "Full free-cooling hours", "n/a" if not results.cooling_loops else "no heat"
    return (f"Full free cooling, h/yr ({' / '.join(h.loop for h in loaded)})",
            " / ".join(f"{h.full_free_h:,.0f}" for h in loaded))


def _span(values: np.ndarray, digits: int) -> str:
    """``low to high`` of the finite values; n/a when there are none (a design without IT load)."""
    finite = values[np.isfinite(values)]
    return f"{_num(float(finite.min()), digits)} to {_num(float(finite.max()), digits)}" if finite.size else "n/a"


def _ids(ids: tuple[str, ...], limit: int = 6) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "") if ids else "-"


def _round_scale(denominator: float) -> int:
    """The next round scale at or above ``denominator`` (so the drawing never grows past its room)."""
    for candidate in (*STANDARD_SCALES, 1000, 2000, 5000):
        if candidate >= denominator - 1e-6:
            return candidate
    return int(math.ceil(denominator / 1000.0) * 1000)


def _scale_bar(paper: Paper, origin: QPointF, denominator: int, max_mm: float) -> None:
    metres_per_mm = denominator / 1000.0
    length_m = 1.0
    for candidate in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if candidate / metres_per_mm <= max_mm:
            length_m = float(candidate)
    bar = length_m / metres_per_mm
    for i in range(4):
        paper.box(
            QRectF(origin.x() + bar * i / 4, origin.y(), bar / 4, 1.8),
            fill=INK if i % 2 == 0 else "white",
            line=INK,
            width_mm=0.15,
        )
    paper.text(QRectF(origin.x() - 3, origin.y() + 2, 6, 4), "0", 8, flags=int(Qt.AlignmentFlag.AlignCenter))
    paper.text(
        QRectF(origin.x() + bar - 8, origin.y() + 2, 16, 4),
        f"{length_m:g} m",
        8,
        flags=int(Qt.AlignmentFlag.AlignCenter),
    )
    paper.text(
        QRectF(origin.x(), origin.y() - 5, max_mm, 4), f"Scale 1:{denominator:,}; plan north up", 8, colour=MUTED
    )


def export_report(
    project: Project,
    catalog: Mapping[str, CatalogEntry] | Catalog,
    path: Path,
    *,
    share: float | None = None,
    date: str = "",
    progress: ProgressCallback | None = None,
) -> int:
    """Write the stakeholder report of ``project`` as a PDF; returns its page count.

    ``share`` analyses at that inference share instead of the scenario's first year. A cancelled or
    failed export (``ExportCancelled``, ``OSError``) leaves no file behind.
    """
    return StakeholderReport(project, catalog, share=share, date=date).export(Path(path), progress)


__all__ = ["Headline", "StakeholderReport", "export_report", "headline"]
