"""Invariants of the load roll-up and the failure analysis over random 2N designs (hypothesis)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from analysis.analysis_builders import UPS_LOSS, Design, entry, flat_profiles
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis import Analyzer, Results
from designer.model import Catalog, FeedSide, LossModel, Role, WorkloadClass


@dataclass
class RandomDesign:
    design: Design
    catalog: Catalog
    rows: list[list[str]]
    level: float

    def analyze(self) -> Results:
        return Analyzer(profiles=flat_profiles(self.level), climates={}).analyze(self.design.project, self.catalog)


@st.composite
def two_n_designs(draw: st.DrawFn, headroom: float = 2.2) -> RandomDesign:
    """utility -> UPS -> busway per row -> racks, mirrored on A and B, plus N+1 CRAHs.

    Every power part is rated ``headroom`` x the nameplate it can ever carry alone (so each side
    runs at <= 1/headroom of rating), and N of the N+1 CRAHs hold the whole nameplate heat plus the
    UPSs' losses in the hall (two UPSs at 2.42 x nameplate: 2 x (0.012 x 2.42 + 0.015 / 2 + ...) < 8 %).
    """
    n_rows = draw(st.integers(1, 3))
    per_row = draw(st.integers(1, 4))
    kws = draw(st.lists(st.floats(1.0, 150.0), min_size=n_rows * per_row, max_size=n_rows * per_row))
    level = draw(st.floats(0.1, 1.0))
    total = sum(kws)
    entries = [
        entry("p.utility", Role.UTILITY, 1e6),
        entry("p.ups", Role.UPS, headroom * total * 1.1, loss=UPS_LOSS),
        entry("p.crah", Role.CRAH, 150.0),
        entry("p.rack", Role.RACK, 10.0, workload=WorkloadClass.TRAINING),
    ]
    for r in range(n_rows):
        row_kw = sum(kws[r * per_row:(r + 1) * per_row])
        entries.append(entry(f"p.bus{r}", Role.BUSWAY, headroom * row_kw, loss=LossModel(0.0, 0.0, 0.004)))
    d = Design()
    rows: list[list[str]] = []
    for r in range(n_rows):
        rows.append([d.add(f"R{r}.{i}", "p.rack", design_kw=kws[r * per_row + i]) for i in range(per_row)])
    for side in (FeedSide.A, FeedSide.B):
        d.add(f"U{side.value}", "p.utility")
        d.add(f"UPS{side.value}", "p.ups")
        d.power(f"U{side.value}", f"UPS{side.value}")
        for r, racks in enumerate(rows):
            bus = d.add(f"BUS{side.value}{r}", f"p.bus{r}")
            d.power(f"UPS{side.value}", bus)
            for rack in racks:
                d.power(bus, rack, side)
    n_crah = math.ceil(total * 1.1 / 150.0) + 1
    for c in range(n_crah):
        d.add(f"CRAH{c}", "p.crah", group="crahs")
        for racks in rows:
            for rack in racks:
                d.cool(f"CRAH{c}", rack)
    return RandomDesign(d, Catalog(entries), rows, level)


@settings(max_examples=30, deadline=None)
@given(two_n_designs())
def test_loads_and_losses_are_never_negative(case: RandomDesign) -> None:
    results = case.analyze()
    assert np.all(results.component_load_kw >= 0)
    assert np.all(results.component_loss_kw >= 0)
    assert np.all(results.rack_it_kw >= 0)
    assert np.all(results.it_kw >= 0)
    assert np.all(results.facility_kw >= results.it_kw)


@settings(max_examples=30, deadline=None)
@given(two_n_designs(), st.data())
def test_raising_a_rack_never_lowers_an_upstream_load(case: RandomDesign, data: st.DataObject) -> None:
    before = case.analyze()
    racks = [r for row in case.rows for r in row]
    rack = data.draw(st.sampled_from(racks))
    extra = data.draw(st.floats(0.1, 100.0))
    item = case.design.project.items[rack]
    case.design.project.update_items([replace(item, design_kw=(item.design_kw or 0.0) + extra)])
    after = case.analyze()
    assert np.all(after.component_load_kw >= before.component_load_kw - 1e-9)
    assert after.peak_it_kw > before.peak_it_kw


@settings(max_examples=30, deadline=None)
@given(two_n_designs())
def test_a_2n_design_at_half_load_survives_every_single_failure(case: RandomDesign) -> None:
    results = case.analyze()
    # each side is rated 2.2 x its nameplate, so normal running is below 50 % per side
    power = results.component_kinds == "power"
    assert np.all(results.component_utilization[power] <= 0.5)
    assert results.survives_all_single_failures, [r for r in results.single_failures if not r.survived]
    assert results.rack_survives_single_failures.all()
    assert np.nanmax(results.component_worst_failure_utilization) <= 1.0 + 1e-9
    assert all(g.survives for g in results.groups)


@settings(max_examples=30, deadline=None)
@given(two_n_designs())
def test_power_flow_is_conserved(case: RandomDesign) -> None:
    results = case.analyze()
    load = {str(i): float(v) for i, v in zip(results.component_ids, results.component_load_kw, strict=True)}
    loss = {str(i): float(v) for i, v in zip(results.component_ids, results.component_loss_kw, strict=True)}
    it = {str(i): float(v) for i, v in zip(results.rack_ids, results.rack_it_kw, strict=True)}
    for side in "AB":
        # a busway carries half of each of its racks (A/B halves)
        for r, racks in enumerate(case.rows):
            assert math.isclose(load[f"BUS{side}{r}"], sum(it[x] for x in racks) / 2, rel_tol=1e-9)
        # the UPS carries what its busways pass up: their load plus their losses
        passed = sum(load[f"BUS{side}{r}"] + loss[f"BUS{side}{r}"] for r in range(len(case.rows)))
        assert math.isclose(load[f"UPS{side}"], passed, rel_tol=1e-9)
        assert math.isclose(load[f"U{side}"], load[f"UPS{side}"] + loss[f"UPS{side}"], rel_tol=1e-9)
    # energy balance: what the sources deliver = rack IT + every stage's losses
    sources = load["UA"] + load["UB"]
    power = results.component_kinds == "power"
    assert math.isclose(sources, float(results.rack_it_kw.sum() + results.component_loss_kw[power].sum()),
                        rel_tol=1e-9)
    assert math.isclose(float(results.electrical_loss_kw[results.hour]),
                        float(results.component_loss_kw[power].sum()), rel_tol=1e-9)
