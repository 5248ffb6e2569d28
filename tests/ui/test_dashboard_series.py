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
    state_codes,
    sweep_peaks_kw,
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
