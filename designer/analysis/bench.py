"""Benchmark of the analysis on synthetic campuses: ``python -m designer.analysis.bench [racks ...]``."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from designer.analysis.engine import Analyzer
from designer.analysis.loads import utilisation_matrix
from designer.analysis.results import Results
from designer.analysis.sweep import sweep
from designer.analysis.synthetic import build_campus
from designer.model.catalog import CatalogEntry
from designer.model.project import Project


def median_ms(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of ``action``, in milliseconds (for the bench figures)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def move_and_override(project: Project, rack_ids: Sequence[str], step: int) -> None:
    """The per-edit figures' edit: move one rack by 1 mm and override another's design kW (-1 %), both
    picked by ``step`` so that each step edits other racks."""
    moved = project.items[rack_ids[step % len(rack_ids)]]
    project.move_items({moved.id: (moved.x_mm + 1.0, moved.y_mm)})
    other = project.items[rack_ids[(step * 7) % len(rack_ids)]]
    project.update_items([replace(other, design_kw=(other.design_kw or 30.0) * 0.99)])


def run_bench(
    rack_counts: Sequence[int] = (1000, 10000, 50000),
    repeats: int = 5,
    catalog: Mapping[str, CatalogEntry] | None = None,
    projects: Mapping[int, Project] | None = None,
) -> list[dict[str, float]]:
    """Median milliseconds per step for each campus size.

    * ``graph_build_ms``: topology checks + compiling both networks (a cold ``Analyzer.compile``);
    * ``analysis_ms``: re-analysis after moving one rack and overriding another's design kW (the
      per-edit path: cached networks, 24 hours, facility and annual PUE, no failure cases);
    * ``single_failures_ms``: the batched single-failure cases alone (structure cached);
    * ``failure_structure_ms``: building that cached structure after a topology change;
    * ``maintenance_ms``: every maintenance + single failure pair of both chains after a topology
      change (path counts rebuilt), with the per-chain verdicts;
    * ``sweep_ms``: 101 inference shares x 24 hours plus the scenario's years, after an override
      (so the merged network is rebuilt); ``sweep_unchanged_ms``: the same with nothing changed.

    ``projects`` gives campuses already built (``build_campus``) by rack count; the bench edits them
    (moves and design-kW overrides of a few racks).
    """
    given = catalog if catalog is not None else {}
    built = projects or {}
    return [_bench_one(built[n] if n in built else build_campus(n, given), repeats, given) for n in rack_counts]


def _bench_one(project: Project, repeats: int, catalog: Mapping[str, CatalogEntry]) -> dict[str, float]:
    analyzer = Analyzer()
    build = median_ms(lambda: _cold_compile(project, catalog), max(1, min(repeats, 3)))
    analyzer.analyze(project, catalog, failures=False)
    rack_ids = list(analyzer.compile(project, catalog).topology.rack_ids)
    counter = [0]

    def edit_and_analyze() -> None:
        counter[0] += 1
        move_and_override(project, rack_ids, counter[0])
        analyzer.analyze(project, catalog, failures=False)

    analysis = median_ms(edit_and_analyze, repeats)
    compiled = analyzer.compile(project, catalog)
    structure = median_ms(lambda: _rebuild_structures(analyzer, project, catalog), 1)
    results = analyzer.analyze(project, catalog)
    failures = median_ms(lambda: analyzer.failures_only(project, catalog), repeats)
    maintenance = median_ms(lambda: _maintenance_cold(analyzer, project, catalog, results), repeats)
    sweep_warm = median_ms(lambda: sweep(project, catalog, np.linspace(0.0, 1.0, 101), analyzer=analyzer), repeats)

    def edit_and_sweep() -> None:
        counter[0] += 1
        other = project.items[rack_ids[(counter[0] * 13) % len(rack_ids)]]
        project.update_items([replace(other, design_kw=(other.design_kw or 30.0) * 1.01)])
        sweep(project, catalog, np.linspace(0.0, 1.0, 101), analyzer=analyzer)

    sweep_ms = median_ms(edit_and_sweep, repeats)
    analyzer.close()
    return {
        "racks": float(len(compiled.topology.rack_ids)),
        "components": float(compiled.power.n_components + compiled.cooling.n_components),
        "connections": float(len(project.connections)),
        "graph_build_ms": build,
        "analysis_ms": analysis,
        "single_failures_ms": failures,
        "failure_structure_ms": structure,
        "maintenance_ms": maintenance,
        "sweep_ms": sweep_ms,
        "sweep_unchanged_ms": sweep_warm,
        "survives_all_single_failures": float(results.survives_all_single_failures),
    }


def _cold_compile(project: Project, catalog: Mapping[str, CatalogEntry]) -> None:
    """A fresh analyzer's compile; closed after, so that the project does not keep it (and its
    networks) subscribed to its events for the rest of the bench."""
    analyzer = Analyzer()
    try:
        analyzer.compile(project, catalog)
    finally:
        analyzer.close()


def _maintenance_cold(analyzer: Analyzer, project: Project, catalog: Mapping[str, CatalogEntry],
                      results: Results) -> None:
    compiled = analyzer.compile(project, catalog)
    table = compiled.rack_table
    assert table is not None
    scenario = analyzer.scenario_for(project, None, None)
    util = utilisation_matrix(analyzer.profiles_for(project), scenario.inference_share)
    loads = analyzer.loads(compiled, table, util, scenario.ai_density_factor, project)
    compiled.pair_structures = None
    analyzer.maintenance(compiled, table, loads, results.single_failures)


def _rebuild_structures(analyzer: Analyzer, project: Project, catalog: Mapping[str, CatalogEntry]) -> None:
    compiled = analyzer.compile(project, catalog)
    compiled.power_failures = None
    compiled.cooling_failures = None
    compiled.failure_structures()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    counts = tuple(int(a) for a in args) or (1000, 10000, 50000)
    for row in run_bench(counts):
        print("  ".join(f"{k}={v:.1f}" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
