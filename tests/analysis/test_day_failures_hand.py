"""Single failures checked at every hour of the design day (issue 12, item 9); arithmetic in comments."""

from __future__ import annotations

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry
from analysis.test_failure_reference import CATALOG as RANDOM_CATALOG
from analysis.test_failure_reference import Case, _varying_profiles, random_designs
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.analysis import Analyzer
from designer.analysis.failures import evaluate_failures, undominated_hours
from designer.analysis.loads import utilisation_matrix
from designer.model import Catalog, Role, WorkloadClass

CATALOG = Catalog([*TEST_CATALOG.values(), entry("t.ups150", Role.UPS, 150.0)])  # lossless


def profiles() -> dict[WorkloadClass, np.ndarray]:
    """Training 0.6 all day but 0.9 at hour 2; inference 0.3 all day but 1.0 at hour 14."""
    flat = {w: np.full(24, 0.5) for w in WorkloadClass if w is not WorkloadClass.AI}
    flat[WorkloadClass.TRAINING] = np.full(24, 0.6)
    flat[WorkloadClass.TRAINING][2] = 0.9
    flat[WorkloadClass.INFERENCE] = np.full(24, 0.3)
    flat[WorkloadClass.INFERENCE][14] = 1.0
    return flat


def n_plus_1_pair() -> Design:
    """Utility -> UPS1 and UPS2 (150 kW each) -> a training and an inference rack of 100 kW, each on both."""
    d = Design()
    d.add("U", "t.utility")
    for ups in ("UPS1", "UPS2"):
        d.add(ups, "t.ups150")
        d.power("U", ups)
    d.add("T", "t.rack100")  # training
    d.add("I", "t.rack100", workload=WorkloadClass.INFERENCE)
    d.add("CRAH", "t.crah150")
    d.add("CRAH2", "t.crah150")
    for rack in ("T", "I"):
        for ups in ("UPS1", "UPS2"):
            d.power(ups, rack)
        d.cool("CRAH", rack)
        d.cool("CRAH2", rack)
    return d


def test_a_failure_overloads_at_an_hour_other_than_the_one_analysed() -> None:
    results = Analyzer(profiles=profiles(), climates={}).analyze(n_plus_1_pair().project, CATALOG, hour=2)
    # hour 2: T = 0.9 x 100 = 90, I = 0.3 x 100 = 30 -> 120 kW, 60 on each UPS (40 %)
    ups2 = results.component_index("UPS2")
    assert results.component_utilization[ups2] == pytest.approx(60.0 / 150.0)
    # UPS1 fails at hour 2: UPS2 carries 120 kW = 80 %, fine. At hour 14: T = 60, I = 100 -> 160 kW,
    # UPS2 alone = 160 / 150 = 106.7 %: over. Checked at hour 2 only, this was missed.
    record = results.failure("UPS1")
    assert record.overloaded == ("UPS2",)
    assert record.overloaded_hours == (14,)
    assert results.component_worst_failure_utilization[ups2] == pytest.approx(160.0 / 150.0)
    assert results.component_worst_failure_hour[ups2] == 14
    assert results.component_worst_failure_case[ups2] == "UPS1"
    assert any(f.code == "single_failure_overload" and "hour 14" in f.message for f in results.findings)
    # the utility's worst is normal running at hour 14 (a UPS failure moves no load onto it): 160 kW
    u = results.component_index("U")
    assert results.component_worst_failure_utilization[u] == pytest.approx(160.0 / 100_000.0)
    assert results.component_worst_failure_case[u] == ""
    # the CRAHs (150 kW each) share the heat: one fails at hour 14 -> the other takes 160 kW = 106.7 %
    crah2 = results.component_index("CRAH2")
    assert results.component_worst_failure_hour[crah2] == 14
    assert results.failure("CRAH").overloaded_hours == (14,)


def test_only_undominated_hours_need_solving() -> None:
    # node demand at hours 0, 1, 2: (1, 1), (2, 0), (1, 1) -> hour 2 repeats hour 0 (the earlier is kept);
    # hour 3 (0.5, 0.5) is dominated by hour 0; hours 0 and 1 dominate neither each other
    demand = np.array([[1.0, 2.0, 1.0, 0.5], [1.0, 0.0, 1.0, 0.5]])
    assert undominated_hours(demand).tolist() == [0, 1]


@settings(max_examples=25, deadline=None)
@given(random_designs(), st.sampled_from(list(WorkloadClass)))
def test_the_day_equals_every_hour_solved_alone(case: Case, workload: WorkloadClass) -> None:
    """Solving only the undominated hours loses nothing: the worst of every hour solved one by one."""
    from dataclasses import replace

    project = case.design.project
    project.update_items([replace(item, workload=workload) for item in project.items.values()
                          if item.id.startswith("R0")])
    analyzer = Analyzer(profiles=_varying_profiles(), climates={})
    results = analyzer.analyze(project, RANDOM_CATALOG)
    compiled = analyzer.compile(project, RANDOM_CATALOG)
    table = compiled.rack_table
    assert table is not None
    scenario = analyzer.scenario_for(project, None, None)
    util = utilisation_matrix(analyzer.profiles_for(project), scenario.inference_share)
    loads = analyzer.loads(compiled, table, util, scenario.ai_density_factor, project)
    worst = []
    for network, structure, flow, demand, shares in (
            (compiled.power, compiled.failure_structures()[0], loads.power, loads.power_demand, compiled.power_shares),
            (compiled.cooling, compiled.failure_structures()[1], loads.cooling, loads.cooling_demand,
             compiled.cooling_shares)):
        hourly = [evaluate_failures(network, structure, demand[:, h], flow.through_kw[:, h],
                                    flow.through_kw[:, h] + flow.loss_kw[:, h], shares,
                                    np.ones(network.n_nodes, dtype=bool)).worst_utilization for h in range(24)]
        worst.append(np.max(hourly, axis=0))
    np.testing.assert_allclose(results.component_worst_failure_utilization, np.concatenate(worst), rtol=1e-9,
                               atol=1e-12)
