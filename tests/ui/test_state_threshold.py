"""One warning threshold: the project's continuous derating, read by the overlay and the chart (issue 12, item 7)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry

from designer.analysis.capacity import STATES
from designer.model import Catalog, Role
from designer.ui.canvas.colour_modes import utilisation_state
from designer.ui.dashboard.series import state_codes, utilisation_series

CATALOG = Catalog([*TEST_CATALOG.values(), entry("t.ups100", Role.UPS, 100.0)])


def ups_at_85_percent(derating: float) -> Design:
    """R (100 kW x 0.85 = 85 kW) on a lossless 100 kW UPS: 85 % utilisation."""
    d = Design()
    d.add("U", "t.utility")
    d.add("UPS", "t.ups100")
    d.add("R", "t.rack100")
    d.add("CRAH", "t.crah150")
    d.power("U", "UPS")
    d.power("UPS", "R")
    d.cool("CRAH", "R")
    d.project.set_settings(replace(d.project.settings, continuous_derating=derating))
    return d


@pytest.mark.parametrize(("derating", "state"), [(0.8, "warn"), (0.9, "ok")])
def test_every_view_reads_the_state_from_the_setting(derating: float, state: str) -> None:
    results = ups_at_85_percent(derating).analyze(CATALOG, level=0.85)
    i = results.component_index("UPS")
    assert results.component_utilization[i] == pytest.approx(0.85)
    assert results.warn_utilization == derating
    assert STATES[int(results.component_state[i])] == state
    # the canvas colouring and the utilisation chart give the same answer (canvas codes: ours minus one)
    canvas = utilisation_state(results.component_utilization, results.warn_utilization)
    assert STATES[int(canvas[i]) + 1] == state
    series = utilisation_series(results)
    k = series.ids.index("UPS")
    assert STATES[int(state_codes(series.utilization, series.warn_at)[k])] == state
    # and so do the findings: above_derating only when 85 % is above the setting
    assert ("above_derating" in {f.code for f in results.findings}) == (state == "warn")
    rated = results.component_capacity_kw > 0
    assert np.array_equal((canvas + 1)[rated], results.component_state[rated])
