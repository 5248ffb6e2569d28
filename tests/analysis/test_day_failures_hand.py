"""Single failures checked at every hour of the design day (issue 12, item 9); arithmetic in comments."""

from __future__ import annotations

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry

from designer.analysis import Analyzer
from designer.analysis.failures import undominated_hours
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
