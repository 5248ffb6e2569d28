"""One item's live figures, looked up in results already computed (hand-worked, flat 0.8 profiles)."""

from __future__ import annotations

from dataclasses import fields
from types import SimpleNamespace

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry

from designer.analysis.component_figures import Link, component_figures
from designer.model import ConnectionKind, CoolingMedium, FeedSide, Role, WorkloadClass

CATALOG = TEST_CATALOG.merged([
    entry("t.ups500", Role.UPS, 500.0),
    entry("t.rack250", Role.RACK, 250.0, workload=WorkloadClass.TRAINING, weight_kg=720.0),
])


def two_n() -> Design:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPSA", "t.ups500", design_kw=250.0, label="UPS A")
    d.add("UPSB", "t.ups500")
    d.add("R1", "t.rack250", label="Rack 1")
    d.add("CRAH1", "t.crah150")
    d.power("U1", "UPSA")
    d.power("U1", "UPSB")
    d.power("UPSA", "R1", FeedSide.A)
    d.power("UPSB", "R1", FeedSide.B)
    d.cool("CRAH1", "R1")
    return d


def test_a_component_reads_its_row_of_the_results() -> None:
    d = two_n()
    results = d.analyze(CATALOG)
    figures = component_figures(results, d.project, "UPSA")
    # rack 250 kW x 0.8 = 200 kW, half on each side: 100 kW on UPS A (fitted 250 kW): 40 %
    assert (figures.analysed, figures.kind, figures.is_rack) == (True, "power", False)
    assert figures.load_kw == pytest.approx(100.0)
    assert figures.capacity_kw == pytest.approx(250.0)
    assert figures.utilization == pytest.approx(0.4)
    assert figures.loss_kw == pytest.approx(0.0)  # lossless test UPS
    # UPS B fails: UPS A carries all 200 kW = 80 % of 250 kW, at the analysed hour
    assert figures.worst_failure_utilization == pytest.approx(0.8)
    assert figures.worst_failure_kw == pytest.approx(200.0)
    assert figures.worst_failure_hour == results.hour
    assert figures.fed_by == (Link("U1", "U1", ConnectionKind.POWER, ""),)
    assert figures.feeds == (Link("R1", "Rack 1", ConnectionKind.POWER, "feed A"),)


def test_a_rack_reads_its_load_heat_and_links() -> None:
    d = two_n()
    figures = component_figures(d.analyze(CATALOG), d.project, "R1")
    assert figures.is_rack and figures.load_kw == pytest.approx(200.0)
    assert (figures.heat_liquid_kw, figures.heat_air_kw) == (pytest.approx(0.0), pytest.approx(200.0))
    # 720 kg on 0.72 m2
    assert figures.floor_kg_m2 == pytest.approx(1000.0)
    assert figures.survives_single_failures is False  # one CRAH: its failure drops the rack
    assert [(link.item_id, link.detail) for link in figures.fed_by] == [
        ("UPSA", "feed A"), ("UPSB", "feed B"), ("CRAH1", CoolingMedium.AIR.value)]


def test_without_failures_or_results_the_figures_say_so() -> None:
    d = two_n()
    cheap = component_figures(d.analyze(CATALOG, failures=False), d.project, "UPSA")
    assert not cheap.failures_analysed and cheap.worst_failure_hour is None
    none = component_figures(None, d.project, "UPSA")
    assert not none.analysed and none.load_kw is None and none.fed_by  # links come from the project
    results = d.analyze(CATALOG)
    d.add("NEW", "t.ups500")  # placed after the last run
    assert not component_figures(results, d.project, "NEW").analysed


def test_the_hour_and_failed_part_are_read_when_the_results_carry_them() -> None:
    d = two_n()
    real = d.analyze(CATALOG)
    values = {f.name: getattr(real, f.name) for f in fields(real)}
    n = real.component_ids.size
    index = real.component_index("UPSA")
    hours, cases = np.full(n, -1), np.full(n, "", dtype=object)
    hours[index], cases[index] = 19, "UPSB"
    # the results carry them now (issue 12); overriding them checks the figures read them, not a default
    carried = SimpleNamespace(**{**values, "component_worst_failure_hour": hours,
                                 "component_worst_failure_case": cases})
    figures = component_figures(carried, d.project, "UPSA")  # type: ignore[arg-type]
    assert (figures.worst_failure_hour, figures.worst_failure_case) == (19, "UPSB")
