"""The report's first page: a one-page executive summary for readers who read nothing else.

What was designed, the headline figures at the first and last year of the transition, the top
findings with what it takes to fix each, and the rating the overloaded parts are short. Kept apart
from ``report.py`` so the sections there can change without touching it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor

from designer.analysis.climate import load_climates
from designer.analysis.findings import sort_findings
from designer.analysis.latency import site_located
from designer.analysis.profiles import ProfileDataError
from designer.analysis.remedies import remedy, shortfalls
from designer.model.catalog import CatalogEntry
from designer.model.effective import design_kw, liquid_fraction, workload
from designer.model.project import Project
from designer.model.types import ItemKind
from designer.ui.export.flow import Column, Flow
from designer.ui.export.page import INK, MUTED

if TYPE_CHECKING:
    from designer.analysis.results import Results
    from designer.ui.export.report import StakeholderReport

ACCENT = "#17324d"
OVER, WARN = "#b3261e", "#a15c00"
TOP_FINDINGS = 5
TOP_SHORTFALLS = 4
MESSAGE_CHARS = 180
"""A finding's message is cut at this length on the summary page (the findings section has it whole)."""


def climate_name(climate_id: str) -> str:
    """The climate's name (``Frankfurt am Main (Airport)``), its id when unknown, or "none"."""
    if not climate_id:
        return "none"
    try:
        climates = load_climates()
    except ProfileDataError:
        return climate_id
    found = climates.get(climate_id)
    return found.name if found is not None else climate_id


def _mw(kw: float, digits: int = 2) -> str:
    return f"{kw / 1000:,.{digits}f} MW" if math.isfinite(kw) else "n/a"


def _pct(value: float) -> str:
    return f"{value:.0%}" if math.isfinite(value) else "n/a"


def _util(value: float) -> str | tuple[str, str]:
    if not math.isfinite(value):
        return "n/a"
    colour = OVER if value > 1.0 else WARN if value > 0.8 else ""
    return (_pct(value), colour) if colour else _pct(value)


def what_was_designed(project: Project, catalog: Mapping[str, CatalogEntry], climate: str) -> str:
    """One paragraph: halls, racks by workload, design IT, liquid share, site and climate."""
    racks: Counter[str] = Counter()
    it_kw = liquid_kw = 0.0
    for item in project.items.values():
        entry = catalog.get(item.catalog_id)
        if entry is None or entry.kind is not ItemKind.RACK:
            continue
        kw = design_kw(item, entry)
        racks[workload(item, entry).value] += 1
        it_kw += kw
        liquid_kw += kw * liquid_fraction(item, entry)
    halls = project.halls.values()
    area = sum(h.area_m2 for h in halls)
    mix = ", ".join(f"{n:,} {cls}" for cls, n in racks.most_common())
    site = project.site
    text = (
        f"{len(project.halls)} hall{'s' if len(project.halls) != 1 else ''} ({area:,.0f} m²) holding "
        f"{sum(racks.values()):,} racks ({mix or 'none'}) with {_mw(it_kw)} of design IT load, "
        f"{liquid_kw / it_kw:.0%} of it liquid-cooled" if it_kw > 0 else
        f"{len(project.halls)} hall{'s' if len(project.halls) != 1 else ''} ({area:,.0f} m²) with no racks yet"
    )
    where = f"{site.latitude_deg:.2f}°, {site.longitude_deg:.2f}°" if site_located(site) else "location not set"
    return f"{text}, at {site.name} ({where}; climate {climate}; design ambient {site.design_ambient_c:g} °C)."


def paint_executive_summary(report: StakeholderReport, flow: Flow) -> None:
    """Page 1: the band with title and site, then the summary. The next section starts a new page."""
    paper, project, meta, site = flow.paper, report.project, report.project.metadata, report.project.site
    r, h, s = report.results, report.headline, report.sweep
    title_h = min(paper.text_height(meta.title, 20, flow.width, bold=True), 18.0)
    band = QRectF(0, 0, paper.width_mm, 32 + title_h)
    paper.box(band, fill=ACCENT, line=None)
    white = QColor("white")
    paper.text(QRectF(flow.left, 10, flow.width, 7), "STAKEHOLDER REPORT · EXECUTIVE SUMMARY", 9.5, bold=True,
               colour=white)
    paper.text(QRectF(flow.left, 18, flow.width, title_h + 1), meta.title, 20, bold=True, colour=white,
               flags=int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap))
    byline = f"{site.name}  ·  revision {meta.revision or '-'}  ·  {report.date}" + (
        f"  ·  {meta.author}" if meta.author else "")
    paper.text(QRectF(flow.left, 20 + title_h, flow.width, 7), paper.elide(byline, 11, flow.width), 11,
               colour=white)
    flow.y = band.bottom() + 6
    flow.section = "Executive summary"
    flow.paragraph(what_was_designed(project, report.catalog, climate_name(r.climate_id)))

    # headline figures at the first and the last year of the transition
    years = s.years
    columns = [Column("Figure", 2.4)]
    if years.size:
        first, last = 0, int(years.size - 1)
        picks = [first] if last == first else [first, last]
        columns += [Column(f"{int(years[i])} ({s.year_shares[i]:.0%} inference)", 1.6, "right") for i in picks]
        rows: list[list[str | tuple[str, str]]] = [
            ["IT peak", *(_mw(float(s.year_peak_it_kw[i])) for i in picks)],
            ["Facility peak", *(_mw(float(s.year_peak_facility_kw[i])) for i in picks)],
            ["PUE (design day)", *(f"{float(s.year_pue[i]):.3f}" for i in picks)],
            ["Most loaded part", *(_util(float(s.year_worst_utilization[i])) for i in picks)],
            ["Stranded power", *(_mw(float(s.year_stranded_power_kw[i])) for i in picks)],
        ]
        caption = "Headline figures at the first and last year of the scenario"
    else:
        columns += [Column(f"At {r.inference_share:.0%} inference", 1.6, "right")]
        rows = [["IT peak", _mw(h.it_peak_mw * 1000)], ["Facility peak", _mw(h.facility_peak_mw * 1000)]]
        caption = "Headline figures (the design has no scenario years)"
    flow.table(columns, rows, pt=8.5, caption=caption)
    risk = "not analysed" if h.racks_at_risk is None else f"{h.racks_at_risk:,} of {h.rack_count:,}"
    flow.paragraph(
        f"At the analysed point ({r.inference_share:.0%} inference): Annual PUE {h.annual_pue:.3f}; "
        f"Full free cooling {h.free_cooling}; Racks at risk on a single failure {risk}; "
        f"Stranded power {h.stranded_mw:,.2f} MW.",
        pt=8.5,
    )

    # the top findings and what it takes to fix each
    findings = sort_findings(f for f in r.findings if f.severity != "info")
    counts = Counter(f.severity for f in r.findings)
    flow.subheading(f"Top findings ({_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')})",
                    keep=30)
    if not findings:
        flow.paragraph("The analysis reports no errors or warnings.", pt=8.5)
    else:
        colours = {"error": OVER, "warning": WARN}
        rows = []
        for finding in findings[:TOP_FINDINGS]:
            message = finding.message if len(finding.message) <= MESSAGE_CHARS else (
                finding.message[: MESSAGE_CHARS - 1].rstrip() + "…")
            rows.append([(finding.severity, colours[finding.severity]), message, remedy(finding)])
        more = len(findings) - TOP_FINDINGS
        flow.table([Column("Severity", 0.9), Column("Finding", 3.6), Column("What it takes", 3.2)], rows, pt=8.0,
                   caption="Most severe first" + (f"; {more} more in Single failures and findings" if more > 0
                                                  else ""))

    # the rating the overloaded parts are short
    short = shortfalls(r)
    if short:
        total_kw = sum(x.extra_kw for x in short)
        names = "; ".join(
            f"{_label(project, x.component_id)} ({x.role.replace('_', ' ')}) +{x.extra_kw:,.0f} kW "
            f"(worst case {x.worst_utilization:.0%})"
            for x in short[:TOP_SHORTFALLS]
        )
        extra = f" and {len(short) - TOP_SHORTFALLS} more" if len(short) > TOP_SHORTFALLS else ""
        flow.paragraph(
            f"To carry the worst single failure at 100 % of rating, {len(short)} part"
            f"{'s need' if len(short) != 1 else ' needs'} {total_kw:,.0f} kW more rating in all: {names}{extra}.",
            pt=8.5,
        )
    text, tone = overload_statement(r, bool(short))
    if text:
        flow.paragraph(text, pt=8.5, colour=QColor(tone) if tone else INK)


ALL_CLEAR = "No part goes over its rating, normally or after any single failure."


def overload_statement(results: Results, shortfalls_listed: bool) -> tuple[str, str]:
    """The summary's closing sentence on ratings and what stands beside it: (text, colour or "").

    The all-clear sentence is said only when it is the whole truth: no shortfall, failures analysed,
    every rack served, none at risk and no error. Otherwise the sentence names what else is wrong, so
    the summary never reads as healthy beside unserved racks or errors (an unserved rack draws
    nothing, which is why no part can be over its rating on its account)."""
    errors = sum(1 for f in results.findings if f.severity == "error")
    unserved, at_risk = results.racks_unserved, results.racks_at_risk
    problems = []
    if unserved:
        problems.append(f"{unserved:,} rack{'s are' if unserved != 1 else ' is'} unserved now (without power or "
                        "cooling, so their load is missing from every figure above)")
    if at_risk:
        problems.append(f"{at_risk:,} rack{'s lose' if at_risk != 1 else ' loses'} supply on some single failure")
    if errors and not problems:
        problems.append(f"the analysis reports {_count(errors, 'error')}")
    if shortfalls_listed:
        if problems:
            return "Besides the rating above, " + "; ".join(problems) + ": see the findings.", OVER
        return "", ""
    if not results.failures_analysed:
        lead = "Single failures were not analysed: overloads after a failure are unknown"
        return (lead + ("; " + "; ".join(problems) if problems else "") + ".", OVER if problems else MUTED.name())
    if problems:
        return ("No rated part goes over its rating, but the design is not sound: " + "; ".join(problems)
                + ". See the findings above.", OVER)
    return ALL_CLEAR, ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _label(project: Project, component_id: str) -> str:
    item = project.items.get(component_id)
    return item.label if item is not None and item.label else component_id


def component_order(results_utilization: np.ndarray, results_worst: np.ndarray) -> np.ndarray:
    """Component indices by worst-case utilisation (the higher of normal and worst single failure),
    highest first; unknown values last."""
    util = np.nan_to_num(np.asarray(results_utilization, dtype=np.float64), nan=-1.0)
    worst = np.nan_to_num(np.asarray(results_worst, dtype=np.float64), nan=-1.0)
    return np.argsort(-np.fmax(util, worst), kind="stable")
