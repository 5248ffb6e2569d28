"""Chart axes that hold still while the share slider moves: a move does not lay a chart out again."""

import numpy as np

from designer.ui.dashboard.charts import UtilizationChart
from designer.ui.dashboard.series import UtilisationSeries


def _bars(utilisation: list[float], worst: list[float]) -> UtilisationSeries:
    n = len(utilisation)
    return UtilisationSeries(ids=tuple(f"c{i}" for i in range(n)), roles=("ups",) * n,
                             utilization=np.array(utilisation), worst_failure=np.array(worst), total=n)


def _top(chart: UtilizationChart) -> float:
    return float(chart.plot.vb.viewRange()[1][1])


def test_a_share_move_keeps_the_idle_passs_utilisation_top(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The idle pass finds a worst failure of 200 %: top nice_ceiling(200 x 1.04 = 208) = 250. The share
    moves that follow have no worst failure (NaN) and 60 % at most, whose own top would be
    nice_ceiling(100 x 1.04) = 120: the axis stays at 250 until the next idle pass says 90 % at worst
    (top 120 again); another design starts from its own bars."""
    chart = UtilizationChart()
    qtbot.addWidget(chart)
    chart.show_utilisation(_bars([0.5, 0.4], [2.0, 0.9]))
    assert _top(chart) == 250.0
    chart.show_utilisation(_bars([0.6, 0.3], [np.nan, np.nan]))
    assert _top(chart) == 250.0
    chart.show_utilisation(_bars([0.6, 0.3], [0.9, 0.7]))
    assert _top(chart) == 120.0
    chart.show_utilisation(_bars([1.3, 0.3], [np.nan, np.nan]))  # a move past the kept top: 130 x 1.04 -> 150
    assert _top(chart) == 150.0
    chart.show_utilisation(_bars([0.5, 0.4], [2.0, 0.9]))
    chart.reset_scale()
    chart.show_utilisation(_bars([0.6, 0.3], [np.nan, np.nan]))
    assert _top(chart) == 120.0
