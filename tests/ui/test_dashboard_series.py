"""Chart-state helpers of the dashboard (no Qt): state codes, axis ceilings, transition peaks."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from designer.ui.dashboard.series import (
    STATE_NAMES,
    nice_ceiling,
    role_mask,
    state_codes,
    sweep_peaks_kw,
    utilisation_series,
    utilisation_state,
)


def test_state_codes_match_the_scalar_states() -> None:
    values = np.array([0.0, 0.8, 0.8000001, 0.95, 1.0, 1.01, np.nan, np.inf])
    # 0.8 and 1.0 are at the limit, not above it; NaN and inf are "none"
    assert [STATE_NAMES[c] for c in state_codes(values, 0.8)] == [
        "ok", "ok", "warn", "warn", "warn", "over", "none", "none"]
    assert [STATE_NAMES[c] for c in state_codes(values, 0.8)] == [utilisation_state(v, 0.8) for v in values.tolist()]
    # the threshold is the project's continuous derating, not a constant: at 0.9, 0.85 is fine
    assert utilisation_state(0.85, 0.9) == "ok"
    assert utilisation_state(0.95, 0.9) == "warn"


@pytest.mark.parametrize(("value", "ceiling"), [
    (0.9, 1.0), (1.0, 1.0), (1.01, 1.2), (1.3, 1.5), (7.03, 8.0), (8.5, 10.0), (10.16, 12.0),
    (104.0, 120.0), (0.031, 0.04), (25.0, 25.0),
])
def test_nice_ceiling_snaps_up_to_the_next_nice_value(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


@pytest.mark.parametrize("value", [0.0, -3.0, math.nan, math.inf])
def test_nice_ceiling_of_nothing_useful_is_one(value: float) -> None:
    assert nice_ceiling(value) == 1.0


@given(st.floats(min_value=1e-6, max_value=1e9))
def test_nice_ceiling_is_above_and_within_a_third(value: float) -> None:
    ceiling = nice_ceiling(value)
    # the widest steps are 1.5 -> 2, 3 -> 4 and 6 -> 8: a third more
    assert value * (1 - 1e-9) <= ceiling <= value * (4 / 3) * (1 + 1e-9)


def test_sweep_peaks_take_the_highest_over_shares_and_years() -> None:
    sweep = SimpleNamespace(peak_facility_kw=np.array([10.0, 12.0]), year_peak_facility_kw=np.array([11.0, 15.0]),
                            peak_it_kw=np.array([8.0, 9.0]), year_peak_it_kw=np.array([7.0]))
    assert sweep_peaks_kw(sweep) == (15.0, 9.0)  # type: ignore[arg-type]
    assert sweep_peaks_kw(None) == (0.0, 0.0)


def _bars_results(util: list[float], worst: list[float], capacity: list[float]) -> SimpleNamespace:
    n = len(util)
    return SimpleNamespace(component_utilization=np.array(util), component_worst_failure_utilization=np.array(worst),
                           component_capacity_kw=np.array(capacity),
                           component_ids=np.array([f"c{i}" for i in range(n)]),
                           component_roles=np.array(["ups"] * n), warn_utilization=0.8)


def test_the_most_loaded_bars_come_in_the_order_of_a_full_stable_sort() -> None:
    """Only the top ``limit`` are sorted; ties at the cut go by component order, as a full stable sort
    puts them. Loads (the larger of utilisation and worst failure): c0 0.5, c1 0.9, c2 0.5, c3 0.7,
    c4 unrated (0.95, left out), c5 0.9 (its worst failure), c6 0.5. Sorted: c1, c5 (0.9), c3 (0.7),
    then c0, c2, c6 (0.5)."""
    results = _bars_results([0.5, 0.9, 0.5, 0.7, 0.95, 0.2, 0.5], [np.nan, 0.1, 0.4, np.nan, 0.0, 0.9, np.nan],
                            [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0])
    for limit, expected in ((3, ["c1", "c5", "c3"]), (4, ["c1", "c5", "c3", "c0"]), (5, ["c1", "c5", "c3", "c0", "c2"]),
                            (9, ["c1", "c5", "c3", "c0", "c2", "c6"])):
        bars = utilisation_series(results, limit)  # type: ignore[arg-type]
        assert list(bars.ids) == expected, limit
        assert bars.total == 6
    # many random loads with ties: the same bars as sorting them all
    rng = np.random.default_rng(3)
    util = rng.integers(0, 20, size=2000) / 10.0
    capacity = rng.integers(0, 4, size=2000).astype(np.float64)
    results = _bars_results(util.tolist(), [np.nan] * 2000, capacity.tolist())
    candidates = np.flatnonzero(capacity > 0)
    full = candidates[np.argsort(-util[candidates], kind="stable")][:300]
    assert list(utilisation_series(results).ids) == [f"c{i}" for i in full]  # type: ignore[arg-type]


def test_role_masks_are_kept_per_roles_array() -> None:
    roles = np.array(["ups", "transformer", "ups", "utility"])
    first = role_mask(roles, frozenset({"ups"}))
    assert first.tolist() == [True, False, True, False]
    assert role_mask(roles, frozenset({"ups"})) is first  # kept
    assert role_mask(roles, frozenset({"ups", "utility"})).tolist() == [True, False, True, True]
    other = np.array(["utility", "ups"])  # another design's roles: worked out again
    assert role_mask(other, frozenset({"ups"})).tolist() == [False, True]
