"""Edits after a cached analysis and sweep give what a fresh analyzer gives.

The engine keeps per-design parts between runs (the racks' demand aggregators weighted by their
liquid fractions, the sweep's prepared hall parts); each edit below must reach them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from designer.analysis import Analyzer
from designer.analysis.results import Results
from designer.analysis.sweep import SweepResult, sweep
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from designer.model.project import Project
from designer.model.types import AirManagement

SHARES = np.linspace(0.0, 1.0, 11)


def _fresh(project: Project, catalog: dict) -> tuple[Results, SweepResult]:  # type: ignore[type-arg]
    analyzer = Analyzer()
    try:
        return analyzer.analyze(project, catalog, failures=False), sweep(project, catalog, SHARES, analyzer=analyzer)
    finally:
        analyzer.close()


def _same(warm: tuple[Results, SweepResult], fresh: tuple[Results, SweepResult]) -> None:
    for name in ("component_load_kw", "it_kw", "facility_kw", "cooling_kw"):
        np.testing.assert_allclose(getattr(warm[0], name), getattr(fresh[0], name), rtol=1e-12, atol=1e-9)
    for name in ("peak_it_kw", "peak_facility_kw", "pue", "worst_utilization", "stranded_power_kw",
                 "stranded_air_kw", "stranded_liquid_kw", "racks_addable", "year_pue"):
        np.testing.assert_allclose(getattr(warm[1], name), getattr(fresh[1], name), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("edit", ["design_kw", "liquid_fraction", "hall_air_management"])
def test_an_edit_after_a_cached_analysis_and_sweep_gives_a_fresh_result(edit: str) -> None:
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        before = warm.analyze(project, merged, failures=False), sweep(project, merged, SHARES, analyzer=warm)
        racks = list(warm.compile(project, merged).topology.rack_ids)
        if edit == "design_kw":
            project.update_items([replace(project.items[r], design_kw=55.0) for r in racks[:40]])
        elif edit == "liquid_fraction":
            project.update_items([replace(project.items[r], liquid_fraction=0.9) for r in racks[::7]])
        else:
            hall = next(iter(project.halls.values()))
            project.update_hall(replace(hall, air_management=AirManagement.OPEN))
        after = warm.analyze(project, merged, failures=False), sweep(project, merged, SHARES, analyzer=warm)
    finally:
        warm.close()
    _same(after, _fresh(project, merged))
    assert not np.allclose(after[1].peak_facility_kw, before[1].peak_facility_kw), "the edit changed nothing"


def test_the_weighted_aggregators_follow_the_liquid_fractions_bit_for_bit() -> None:
    from designer.analysis.flow import consumer_demand_with, rack_fractions

    catalog = load_catalog(include_user=False)
    project = build_campus(240, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        compiled = analyzer.compile(project, merged)
        table = compiled.rack_table
        assert table is not None
        load = np.random.default_rng(3).uniform(0.0, 80.0, size=(len(table.ids), 24))
        for fractions in (table.liquid_fraction, np.linspace(0.0, 1.0, len(table.ids)), table.liquid_fraction):
            changed = replace(table, liquid_fraction=fractions)
            power, cooling = compiled.demand_aggregators(changed)
            for network, aggregators in ((compiled.power, power), (compiled.cooling, cooling)):
                # the product the aggregators stand for: each medium's share of each rack's load, summed
                expected = np.zeros((network.n_nodes, 24))
                for m, aggregator in enumerate(network.rack_aggregators):
                    if aggregator.nnz:
                        expected += aggregator @ (rack_fractions(network, fractions)[:, m][:, None] * load)
                assert np.array_equal(consumer_demand_with(aggregators, network.n_nodes, load), expected)
    finally:
        analyzer.close()
