"""Bench figures of the electrical figures (``electrical_figures``), apart from the analysis target."""

from __future__ import annotations

from collections.abc import Mapping

from designer.analysis.bench import median_ms
from designer.analysis.electrical import electrical_figures
from designer.analysis.engine import Analyzer
from designer.analysis.profiles import load_profiles
from designer.analysis.synthetic import build_campus
from designer.model.catalog import CatalogEntry
from designer.model.project import Project


def electrical_bench(
    racks: int, catalog: Mapping[str, CatalogEntry], repeats: int, project: Project | None = None
) -> dict[str, float]:
    """``electrical_ms``: the electrical figures of a ``racks``-rack campus after its analysis (without
    failures), the profiles read once; ``electrical_feeds``: the power connections it sized. ``project``: the
    bench's campus of that size when it has one (else one is built)."""
    if project is None:
        project = build_campus(racks, catalog)
    analyzer = Analyzer()
    try:
        results = analyzer.analyze(project, catalog, failures=False)
    finally:
        analyzer.close()
    profiles = load_profiles(project.site.utc_offset_h).by_class
    figures = electrical_figures(project, catalog, results, profiles=profiles)
    elapsed = median_ms(lambda: electrical_figures(project, catalog, results, profiles=profiles), max(1, repeats))
    return {"electrical_ms": elapsed, "electrical_feeds": float(len(figures.feeds))}
