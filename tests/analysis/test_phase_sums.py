"""The phase sums of the electrical figures: the day rows read from one matrix, and the hour-by-hour sums."""

from __future__ import annotations

import numpy as np
import pytest

from designer.analysis.phase_balance import RackDay, _load_table, _panel_sums, panel_phases, rack_day_kw
from designer.analysis.profiles import load_profiles
from designer.analysis.supply_voltage import DEFAULT_VOLTAGE_V, SupplyVoltages
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog


def test_a_rack_day_reads_its_rows_from_the_matrix() -> None:
    matrix = np.arange(48, dtype=np.float64).reshape(2, 24)
    day = RackDay(("a", "b"), matrix)
    assert not isinstance(day, dict)  # no view per rack kept
    assert list(day) == ["a", "b"] and len(day) == 2
    assert day["b"][0] == 24.0 and day["b"][23] == 47.0  # row 1 holds 24..47
    assert np.shares_memory(day["a"], matrix)
    assert {k: v.tolist() for k, v in day.items()} == {"a": list(range(24)), "b": list(range(24, 48))}
    with pytest.raises(KeyError):
        day["c"]
    with pytest.raises(ValueError):
        RackDay(("a",), matrix)


def test_the_panel_sums_are_a_sequential_sum_per_cell() -> None:
    # the hour-by-hour bincount of per-row currents against np.add.at over every (addition, hour) at once: each
    # cell gets the same products added from zero in the same order, so the two agree to the bit
    catalog = load_catalog(include_user=False)
    project = build_campus(300, catalog)
    from designer.analysis.engine import Analyzer

    analyzer = Analyzer()
    try:
        results = analyzer.analyze(project, catalog, inference_share=0.4, failures=False)
    finally:
        analyzer.close()
    profiles = load_profiles(project.site.utc_offset_h).by_class
    voltages = SupplyVoltages(project, catalog)
    day = rack_day_kw(project, catalog, results, profiles)
    assert isinstance(day, RackDay)
    table = _load_table(project, catalog, day, voltages, DEFAULT_VOLTAGE_V)
    sums = _panel_sums(table, project, catalog, voltages, DEFAULT_VOLTAGE_V)
    assert len(sums.rows) > len(sums.panel_ids) > 0
    reference = np.zeros((len(sums.panel_ids) * 3, 24))
    weights = table.days[table.day_row[sums.rows]] * table.factor[sums.rows][:, None]
    np.add.at(reference, sums.cells, weights)
    reference = reference.reshape(len(sums.panel_ids), 3, 24)
    panels = panel_phases(project, catalog, day, voltages, DEFAULT_VOLTAGE_V)
    assert [p.item_id for p in panels] == sums.panel_ids
    for i, panel in enumerate(panels):
        assert panel.phase_a == tuple(reference[i, :, panel.worst_hour].tolist())
    # the same day as a plain dict (the stacked copy path) gives the same panels
    assert panel_phases(project, catalog, dict(day), voltages, DEFAULT_VOLTAGE_V) == panels
