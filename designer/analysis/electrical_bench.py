"""Bench figures of the electrical figures (``electrical_figures``), apart from the analysis target."""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Mapping

from designer.analysis.bench import median_ms
from designer.analysis.electrical import electrical_figures
from designer.analysis.electrical_plan import clear_plan_cache
from designer.analysis.engine import Analyzer
from designer.analysis.loads import FloatArray
from designer.analysis.profiles import load_profiles
from designer.analysis.synthetic import build_campus
from designer.model.catalog import CatalogEntry
from designer.model.project import Project
from designer.model.types import WorkloadClass

MOVE_SHARES = (0.3, 0.7)
"""The inference shares the move figure alternates between (a share-slider move and back)."""


def electrical_bench(
    racks: int, catalog: Mapping[str, CatalogEntry], repeats: int, project: Project | None = None
) -> dict[str, float]:
    """``electrical_ms``: the electrical figures of a ``racks``-rack campus after its analysis (without
    failures), the profiles read once, nothing kept from an earlier call (cold: a design just opened);
    ``electrical_move_ms``: the same after a share move (the kept plan of the design reused: only the loads
    changed); ``electrical_edit_ms``: after a one-item edit (a rack's design kW, so its record is new);
    ``electrical_feeds``: the power connections it sized. ``project``: the bench's campus of that size when
    it has one (else one is built); the edit is undone at the end."""
    if project is None:
        project = build_campus(racks, catalog)
    repeats = max(1, repeats)
    profiles = load_profiles(project.site.utc_offset_h).by_class
    analyzer = Analyzer()
    try:
        held = [analyzer.analyze(project, catalog, failures=False)]

        def cold() -> object:
            clear_plan_cache()
            return electrical_figures(project, catalog, held[0], profiles=profiles)

        feeds = len(electrical_figures(project, catalog, held[0], profiles=profiles).feeds)
        cold_ms = median_ms(cold, repeats)
        # the move results only now, the cold one dropped first: the bench holds two 50k-rack results, not three
        held.clear()
        moves = [analyzer.analyze(project, catalog, inference_share=s, failures=False) for s in MOVE_SHARES]
        electrical_figures(project, catalog, moves[1], profiles=profiles)  # the plan of this design kept
        move_times = []
        for i in range(max(2, repeats)):
            start = time.perf_counter()
            electrical_figures(project, catalog, moves[i % 2], profiles=profiles)
            move_times.append((time.perf_counter() - start) * 1000.0)
        del moves
        edit_ms = _edit_ms(project, catalog, analyzer, profiles, repeats)
    finally:
        analyzer.close()
        clear_plan_cache()
    return {"electrical_ms": cold_ms, "electrical_move_ms": statistics.median(move_times),
            "electrical_edit_ms": edit_ms, "electrical_feeds": float(feeds)}


def _edit_ms(project: Project, catalog: Mapping[str, CatalogEntry], analyzer: Analyzer,
             profiles: Mapping[WorkloadClass, FloatArray], repeats: int) -> float:
    """Median ms of the figures after a rack's design kW is edited (alternately raised and restored), the
    analysis outside the timing; the rack is left as it was."""
    rack = next((item for item in project.items.values()
                 if item.catalog_id in catalog and catalog[item.catalog_id].is_rack), None)
    if rack is None:
        return 0.0
    base_kw = rack.design_kw if rack.design_kw is not None else catalog[rack.catalog_id].capacity_kw
    times = []
    try:
        for i in range(repeats):
            project.update_items([dataclasses.replace(rack, design_kw=base_kw * (1.1 if i % 2 == 0 else 1.0))])
            results = analyzer.analyze(project, catalog, failures=False)
            start = time.perf_counter()
            electrical_figures(project, catalog, results, profiles=profiles)
            times.append((time.perf_counter() - start) * 1000.0)
    finally:
        project.update_items([rack])
    return statistics.median(times)
