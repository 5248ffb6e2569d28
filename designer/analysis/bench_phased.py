"""Bench figures of a phased build-out: the synthetic campus with its racks entering service over the years."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from designer.analysis.bench import median_ms, move_and_override
from designer.analysis.engine import Analyzer
from designer.analysis.sweep import sweep
from designer.analysis.synthetic import build_campus
from designer.model.catalog import CatalogEntry, merged_catalog
from designer.model.project import Project
from designer.model.types import ItemKind


def phase_campus(project: Project, catalog: Mapping[str, CatalogEntry]) -> list[int]:
    """Give the campus's racks in-service years over the scenario (the plant stands from the start): in
    hall k, the racks in the j-th of as many bands across the hall as there are years enter in year
    (j + k) mod the timeline, the first year's from the start. Returns the scenario years."""
    scenario = project.active_scenario
    assert scenario is not None
    years = [entry.year for entry in scenario.years]
    entries = merged_catalog(catalog, project.custom_catalog)
    hall_index = {hall_id: k for k, hall_id in enumerate(project.halls)}
    later = []
    for item in project.items.values():
        if entries[item.catalog_id].kind is not ItemKind.RACK:
            continue
        _x0, y0, _x1, y1 = project.halls[item.hall_id].bounds_mm()
        band = min(int((item.y_mm - y0) / max(y1 - y0, 1.0) * len(years)), len(years) - 1)
        index = (band + hall_index[item.hall_id]) % len(years)
        if index:
            later.append(replace(item, in_service_year=years[index]))
    project.update_items(later)
    return years


def phased_bench(n: int, repeats: int, catalog: Mapping[str, CatalogEntry]) -> dict[str, float]:
    """Median milliseconds on a phased campus of ``n`` racks.

    * ``year_analysis_ms``: re-analysis of one year after moving one rack and overriding another's
      design kW (the per-edit path on that year's cached view);
    * ``year_step_ms``: the analysis of the next year of the timeline, every year's view and networks
      cached (a step of the year box or of the timeline's play), its day too if it was one of those
      kept (``phased.KEPT_DAYS_BYTES``: at 50,000 racks the shown year's only, so a step works the
      day out afresh);
    * ``years_cold_ms``: every year once after an edit of the years (each year's view and networks
      rebuilt), divided by the number of years;
    * ``year_sweep_ms``: the sweep (101 shares on the shown year's design plus each year on its own)
      after an override.
    """
    project = build_campus(n, catalog)
    years = phase_campus(project, catalog)
    analyzer = Analyzer()
    for year in years:
        analyzer.analyze(project, catalog, year=year, failures=False)
    shown = years[len(years) // 2]
    view = analyzer.year_view(project, shown)
    assert view is not None
    rack_ids = list(view[1].compile(view[0], catalog).topology.rack_ids)
    counter = [0]

    def edit_and_analyze() -> None:
        counter[0] += 1
        move_and_override(project, rack_ids, counter[0])
        analyzer.analyze(project, catalog, year=shown, failures=False)

    year_analysis = median_ms(edit_and_analyze, repeats)

    def next_year() -> None:
        counter[0] += 1
        analyzer.analyze(project, catalog, year=years[counter[0] % len(years)], failures=False)

    year_step = median_ms(next_year, max(repeats, len(years)))

    def years_cold() -> None:
        last = project.items[rack_ids[0]]
        project.update_items([replace(last, retirement_year=years[-1] + 1 + counter[0] % 2)])  # a new window
        counter[0] += 1
        for year in years:
            analyzer.analyze(project, catalog, year=year, failures=False)

    cold = median_ms(years_cold, max(1, min(repeats, 2))) / len(years)

    def edit_and_sweep() -> None:
        counter[0] += 1
        other = project.items[rack_ids[(counter[0] * 13) % len(rack_ids)]]
        project.update_items([replace(other, design_kw=(other.design_kw or 30.0) * 1.01)])
        sweep(project, catalog, np.linspace(0.0, 1.0, 101), analyzer=analyzer, year=shown)

    year_sweep = median_ms(edit_and_sweep, repeats)
    analyzer.close()
    return {"year_analysis_ms": year_analysis, "year_step_ms": year_step, "years_cold_ms": cold,
            "year_sweep_ms": year_sweep}
