"""Every scenario year of a design analysed as built that year: the figures per year, as JSON and text."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.analysis.runway import Runway, runway_from_results, runway_text, runway_to_json
from designer.model.catalog import CatalogEntry
from designer.model.project import Project


@dataclass(frozen=True, slots=True)
class YearResult:
    year: int
    items_in_service: int
    results: Results


def analyze_years(project: Project, catalog: Mapping[str, CatalogEntry], *, analyzer: Analyzer | None = None,
                  failures: bool = True) -> list[YearResult]:
    """One analysis per year of the active scenario, each on the design as built that year."""
    own = analyzer is None
    analyzer = analyzer or Analyzer()
    try:
        scenario = project.active_scenario
        out = []
        for entry in scenario.years if scenario is not None else ():
            view = analyzer.year_view(project, entry.year)
            count = len(view[0].items) if view is not None else len(project.items)
            results = analyzer.analyze(project, catalog, year=entry.year, failures=failures)
            out.append(YearResult(entry.year, count, results))
        return out
    finally:
        if own:
            analyzer.close()


def years_runway(project: Project, catalog: Mapping[str, CatalogEntry], per_year: list[YearResult],
                 growth_racks_per_year: float = 0.0) -> Runway:
    return runway_from_results(project, catalog, [(y.year, y.results) for y in per_year],
                               growth_racks_per_year=growth_racks_per_year)


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def year_to_json(year: YearResult) -> dict[str, object]:
    """The headline figures and findings of one year (the full per-year document is ``analyze --year``)."""
    r = year.results
    counts = Counter(f.severity for f in r.findings)
    return {
        "year": year.year,
        "inference_share": r.inference_share,
        "ai_density_factor": r.ai_density_factor,
        "items_in_service": year.items_in_service,
        "racks": int(r.rack_ids.size),
        "racks_unserved": r.racks_unserved,
        "racks_at_risk": r.racks_at_risk,
        "peak_it_kw": _number(r.peak_it_kw),
        "peak_facility_kw": _number(r.peak_facility_kw),
        "annual_pue": _number(r.annual_pue),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "findings": [{"severity": f.severity, "code": f.code, "message": f.message, "items": list(f.item_ids)}
                     for f in r.findings],
    }


def years_to_json(per_year: list[YearResult], runway: Runway) -> dict[str, object]:
    """The keys ``analyze --years --json`` adds to the analysis document: ``by_year`` and ``runway``."""
    return {"by_year": [year_to_json(y) for y in per_year], "runway": runway_to_json(runway)}


def years_text(per_year: list[YearResult], runway: Runway) -> str:
    """A table of the years (plain text) and the runway."""
    rows = [["year", "share", "items", "racks", "IT peak kW", "facility peak kW", "annual PUE", "errors",
             "warnings"]]
    for y in per_year:
        r = y.results
        counts = Counter(f.severity for f in r.findings)
        rows.append([str(y.year), f"{r.inference_share:.0%}", f"{y.items_in_service:,}", f"{r.rack_ids.size:,}",
                     f"{r.peak_it_kw:,.0f}", f"{r.peak_facility_kw:,.0f}",
                     f"{r.annual_pue:.3f}" if math.isfinite(r.annual_pue) else "n/a",
                     str(counts["error"]), str(counts["warning"])])
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = ["Per year, the design as built that year:"]
    lines += ["  ".join(cell.rjust(widths[c]) for c, cell in enumerate(row)) for row in rows]
    return "\n".join(lines) + "\n\n" + runway_text(runway)
