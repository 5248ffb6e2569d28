"""The batched single-failure analysis against a slow reference: cut the failed part out and re-analyse.

Reference for the failure of ``f``: ``f`` is dead, and so is every part or rack whose suppliers
are all dead; remove every connection touching a dead part and analyse the rest normally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from analysis.analysis_builders import UPS_LOSS, Design, entry, flat_profiles
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis import Analyzer, Results
from designer.model import Catalog, ConnectionKind, FeedSide, LossModel, Project, Role, WorkloadClass

CATALOG = Catalog([
    entry("f.utility", Role.UTILITY, 5_000.0),
    entry("f.gen", Role.GENERATOR, 300.0),
    entry("f.ups", Role.UPS, 400.0, loss=UPS_LOSS),
    entry("f.bus", Role.BUSWAY, 250.0, loss=LossModel(0.0, 0.002, 0.004)),
    entry("f.rack", Role.RACK, 60.0, workload=WorkloadClass.TRAINING),
    entry("f.crah", Role.CRAH, 120.0, parameters={"fan_kw_per_kw": 0.03}),
    entry("f.dry", Role.DRY_COOLER, 400.0),
])


@dataclass
class Case:
    design: Design


def _subset(draw: st.DrawFn, options: list[str], minimum: int = 1) -> list[str]:
    return draw(st.lists(st.sampled_from(options), min_size=minimum, max_size=len(options), unique=True))


@st.composite
def random_designs(draw: st.DrawFn) -> Case:
    d = Design()
    utilities = [d.add(f"U{i}", "f.utility") for i in range(draw(st.integers(1, 2)))]
    utilities += [d.add(f"G{i}", "f.gen") for i in range(draw(st.integers(0, 1)))]
    upses = [d.add(f"UPS{i}", "f.ups") for i in range(draw(st.integers(1, 3)))]
    buses = [d.add(f"BUS{i}", "f.bus") for i in range(draw(st.integers(1, 4)))]
    for ups in upses:
        for u in _subset(draw, utilities):
            d.power(u, ups)
    for bus in buses:
        for ups in _subset(draw, upses):
            d.power(ups, bus)
    crahs = [d.add(f"CRAH{i}", "f.crah") for i in range(draw(st.integers(1, 3)))]
    dries = [d.add(f"DRY{i}", "f.dry") for i in range(draw(st.integers(1, 2)))]
    for crah in crahs:
        for dry in _subset(draw, dries, 0):
            d.cool(dry, crah)
    for i in range(draw(st.integers(1, 5))):
        rack = d.add(f"R{i}", "f.rack", design_kw=draw(st.floats(5.0, 120.0)))
        if draw(st.booleans()):
            for bus in _subset(draw, buses):
                d.power(bus, rack, FeedSide.A)
            for bus in _subset(draw, buses, 0):
                d.power(bus, rack, FeedSide.B)
        else:
            for bus in _subset(draw, buses):
                d.power(bus, rack)
        for crah in _subset(draw, crahs):
            d.cool(crah, rack)
    return Case(d)


def _analyze(project: Project, failures: bool) -> Results:
    return Analyzer(profiles=flat_profiles(0.9), climates={}).analyze(project, CATALOG, failures=failures)


def _reference(project: Project, failed: str) -> tuple[set[str], Results]:
    """(dead items, results of the project with the dead parts cut out) for the failure of ``failed``."""
    kind = ConnectionKind.POWER if failed.startswith(("U", "BUS", "G")) else ConnectionKind.COOLING
    connections = [c for c in project.connections.values() if c.kind is kind]
    dead = {failed}
    changed = True
    while changed:
        changed = False
        for item_id in project.items:
            suppliers = {c.source_id for c in connections if c.target_id == item_id}
            if item_id not in dead and suppliers and suppliers <= dead:
                dead.add(item_id)
                changed = True
    cut = Project()
    for hall in project.halls.values():
        cut.add_hall(hall)
    cut.add_items(project.items.values())
    cut.add_connections(c for c in project.connections.values()
                        if c.kind is not kind or (c.source_id not in dead and c.target_id not in dead))
    return dead, _analyze(cut, failures=False)


@settings(max_examples=40, deadline=None)
@given(random_designs())
def test_batched_failures_match_cutting_the_part_out(case: Case) -> None:
    project = case.design.project
    results = _analyze(project, failures=True)
    base_util = dict(zip(results.component_ids.tolist(), results.component_utilization.tolist(), strict=True))
    worst = dict(base_util)
    worst_intact = dict(base_util)  # over failures that leave every rack supplied
    for record in results.single_failures:
        dead, cut = _reference(project, record.failed)
        lost = sorted(r for r in dead if r.startswith("R"))
        if record.failed.startswith(("U", "BUS", "G")):
            assert sorted(record.racks_without_power) == lost
            assert record.racks_without_cooling == ()
        else:
            assert sorted(record.racks_without_cooling) == lost
            assert record.racks_without_power == ()
        util = dict(zip(cut.component_ids.tolist(), cut.component_utilization.tolist(), strict=True))
        cooling_ids = set(results.component_ids[results.component_kinds == "cooling"].tolist())
        expected_over = sorted(c for c, u in util.items() if c not in cooling_ids
                               and c not in dead and u > 1 + 1e-6 and base_util[c] <= 1 + 1e-6)
        assert sorted(c for c in record.overloaded if c not in cooling_ids) == expected_over
        if not lost:  # cooling units within the 1 % the indoor losses' shift allows (see below)
            assert {c for c in cooling_ids if util.get(c, 0.0) > 1.01 and base_util[c] <= 1 + 1e-6} <= set(
                record.overloaded)
            assert all(util.get(c, 0.0) > 0.99 for c in record.overloaded if c in cooling_ids)
        for c, u in util.items():
            if c not in dead and c != record.failed:
                worst[c] = max(worst[c], u)
                if not lost:
                    worst_intact[c] = max(worst_intact[c], u)
    # power components exactly. Cooling units carry the halls' indoor losses too: the batched check holds
    # those at the intact design's values (a power failure shifts them between stages, second order) and
    # drops the share of racks a failure leaves uncooled (already an error), so compare within 1 % over
    # the failures that leave every rack supplied
    kinds = results.component_kinds
    ids = results.component_ids.tolist()
    expected = np.array([worst[c] for c in ids])
    np.testing.assert_allclose(results.component_worst_failure_utilization[kinds == "power"],
                               expected[kinds == "power"], rtol=1e-9, atol=1e-12)
    intact = np.array([worst_intact[c] for c in ids])[kinds == "cooling"]
    assert np.all(results.component_worst_failure_utilization[kinds == "cooling"] >= intact * (1 - 1e-2) - 1e-12)


def _varying_profiles() -> dict[WorkloadClass, np.ndarray]:
    hours = np.arange(24)
    profiles = {w: np.full(24, 0.5) for w in WorkloadClass if w is not WorkloadClass.AI}
    profiles[WorkloadClass.TRAINING] = 0.75 + 0.05 * np.sin(hours / 3.0)
    profiles[WorkloadClass.INFERENCE] = 0.45 + 0.2 * np.cos(hours / 4.0)
    return profiles


@settings(max_examples=25, deadline=None)
@given(random_designs(), st.sampled_from(list(WorkloadClass)))
def test_sweep_matches_single_analyses(case: Case, workload: WorkloadClass) -> None:
    from dataclasses import replace

    from designer.analysis import sweep

    project = case.design.project
    project.update_items([replace(item, workload=workload) for item in project.items.values()
                          if item.id.startswith("R")])
    analyzer = Analyzer(profiles=_varying_profiles(), climates={})
    shares = np.array([0.0, 0.3, 1.0])
    swept = sweep(project, CATALOG, shares, analyzer=analyzer)
    for i, share in enumerate(shares):
        single = analyzer.analyze(project, CATALOG, inference_share=float(share), failures=False)
        assert np.isclose(swept.peak_it_kw[i], single.peak_it_kw, rtol=1e-9)
        assert np.isclose(swept.peak_facility_kw[i], single.peak_facility_kw, rtol=1e-9)
        assert np.isclose(swept.pue[i], single.facility_kw.sum() / single.it_kw.sum(), rtol=1e-9)
        assert swept.worst_utilization[i] >= single.component_utilization.max() - 1e-12
    # the worst utilisation of the day at share 0.3 is the maximum over every hour's analysis
    hourly = [analyzer.analyze(project, CATALOG, inference_share=0.3, hour=h, failures=False).component_utilization
              for h in range(24)]
    assert np.isclose(swept.worst_utilization[1], max(float(u.max(initial=0.0)) for u in hourly), rtol=1e-9)
