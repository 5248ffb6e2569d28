"""What the analyzer keeps to tell an edit's reach, without a copy of the items or a rack id dict.

A changed item's catalog id is told from the entry its compiled networks hold (``Compiled.topology.entries``;
an item without an entry keeps its catalog id in ``Analyzer._key_unknown``), and a changed rack's row is found
through ``RackRows`` (an argsort of the rack ids). Each case is checked against hand-worked numbers and
against a fresh analyzer, to the bit.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest
from analysis.analysis_builders import TEST_CATALOG, Design, entry, flat_profiles

from designer.analysis.compiled import RackRows, _str_array
from designer.analysis.engine import Analyzer
from designer.analysis.results import Results
from designer.model import LossModel, Project, Role, WorkloadClass

# a UPS of the same rating as ``t.ups_lossless`` (1,250 kW) with a fixed loss of 1 % of its rating: only
# its catalog id tells the networks must be compiled again (the rating check sees no change)
UPS_FIXED = entry("c.ups_fixed", Role.UPS, 1_250.0, loss=LossModel(0.01, 0.0, 0.0))
RACK_50 = entry("c.rack50", Role.RACK, 50.0, workload=WorkloadClass.TRAINING)


def _design() -> Design:
    """Utility -> lossless UPS -> racks R1..R3 (100 kW each, 80 % all day: 80 kW), one CRAH; the custom
    UPS and rack entries are in the project from the start (adding them is a catalog edit of its own)."""
    d = Design()
    d.add("U", "t.utility")
    d.add("UPS", "t.ups_lossless")
    d.add("AC", "t.crah150")
    d.power("U", "UPS")
    for rack in ("R1", "R2", "R3"):
        d.add(rack, "t.rack100")
        d.power("UPS", rack)
        d.cool("AC", rack)
    d.power("U", "AC")
    d.project.set_custom_catalog_entry(UPS_FIXED)
    d.project.set_custom_catalog_entry(RACK_50)
    return d


def _analyzer() -> Analyzer:
    return Analyzer(profiles=flat_profiles(0.8), climates={})


def _cold(project: Project) -> Results:
    analyzer = _analyzer()
    try:
        return analyzer.analyze(project, TEST_CATALOG, failures=False)
    finally:
        analyzer.close()


def _same_as_cold(warm: Results, project: Project) -> None:
    cold = _cold(project)
    for field in fields(Results):
        a, b = getattr(warm, field.name), getattr(cold, field.name)
        if isinstance(a, np.ndarray):
            assert a.tobytes() == b.tobytes(), field.name
        else:
            assert a == b or (a != a and b != b), field.name  # NaN figures (no climate) are NaN in both


def _at(results: Results, component_id: str, name: str) -> float:
    return float(getattr(results, name)[results.component_index(component_id)])


def _rack_kw(results: Results, rack_id: str) -> float:
    return float(results.rack_it_kw[results.rack_index(rack_id)])


@pytest.mark.parametrize("where", ["live", "twin"])
def test_a_new_catalog_id_of_the_same_rating_rebuilds_the_networks(where: str) -> None:
    d = _design()
    live = _analyzer()
    try:
        before = live.analyze(d.project, TEST_CATALOG, failures=False)
        assert _at(before, "UPS", "component_loss_kw") == 0.0  # lossless
        project, analyzer = d.project, live
        if where == "twin":  # a twin starts from the live analyzer's networks and what it kept of the items
            project, analyzer = live.detached(d.project, TEST_CATALOG)
        kept = analyzer.compile(project, TEST_CATALOG)
        project.update_items([replace(project.items["UPS"], catalog_id="c.ups_fixed")])
        assert analyzer.compile(project, TEST_CATALOG) is not kept
        after = analyzer.analyze(project, TEST_CATALOG, failures=False)
        # the fixed loss: 0.01 * 1,250 kW = 12.5 kW, whatever the load
        assert _at(after, "UPS", "component_loss_kw") == pytest.approx(12.5, abs=1e-12)
        # the UPS carries the three racks: 3 * 0.8 * 100 kW = 240 kW
        assert _at(after, "UPS", "component_load_kw") == pytest.approx(240.0, abs=1e-9)
        _same_as_cold(after, project)
        if where == "twin":
            analyzer.close()
    finally:
        live.close()


def test_a_rack_of_a_custom_entry_is_read_from_its_new_entry() -> None:
    d = _design()
    analyzer = _analyzer()
    try:
        analyzer.analyze(d.project, TEST_CATALOG, failures=False)
        d.project.update_items([replace(d.project.items["R2"], catalog_id="c.rack50")])
        after = analyzer.analyze(d.project, TEST_CATALOG, failures=False)
        # R2 now 0.8 * 50 kW = 40 kW (its old entry would give 80); the UPS 80 + 40 + 80 = 200 kW
        assert _rack_kw(after, "R2") == pytest.approx(40.0, abs=1e-12)
        assert _at(after, "UPS", "component_load_kw") == pytest.approx(200.0, abs=1e-9)
        _same_as_cold(after, d.project)
    finally:
        analyzer.close()


def test_an_item_without_an_entry_is_rebuilt_on_a_new_catalog_id_only() -> None:
    d = _design()
    d.add("R4", "no.such.rack")
    d.power("UPS", "R4")
    d.cool("AC", "R4")
    analyzer = _analyzer()
    try:
        before = analyzer.analyze(d.project, TEST_CATALOG, failures=False)
        assert "unknown_catalog" in {f.code for f in before.findings}
        kept = analyzer.compile(d.project, TEST_CATALOG)
        d.project.update_items([replace(d.project.items["R4"], x_mm=9_000.0)])  # a move: same networks
        assert analyzer.compile(d.project, TEST_CATALOG) is kept
        d.project.update_items([replace(d.project.items["R4"], catalog_id="t.rack100")])
        after = analyzer.analyze(d.project, TEST_CATALOG, failures=False)
        assert analyzer.compile(d.project, TEST_CATALOG) is not kept
        assert "unknown_catalog" not in {f.code for f in after.findings}
        # R4 counts now: 4 racks * 80 kW = 320 kW through the UPS
        assert _at(after, "UPS", "component_load_kw") == pytest.approx(320.0, abs=1e-9)
        _same_as_cold(after, d.project)
    finally:
        analyzer.close()


def test_a_changed_racks_row_is_rewritten_in_place_of_a_rebuild() -> None:
    d = _design()
    analyzer = _analyzer()
    try:
        analyzer.analyze(d.project, TEST_CATALOG, failures=False)
        kept = analyzer.compile(d.project, TEST_CATALOG)
        d.project.update_items([replace(d.project.items["R2"], design_kw=60.0)])
        after = analyzer.analyze(d.project, TEST_CATALOG, failures=False)
        compiled = analyzer.compile(d.project, TEST_CATALOG)
        assert compiled is kept  # an override: the same networks, R2's row rewritten
        table = compiled.rack_table
        assert table is not None
        assert table.design_kw[table.ids.index("R2")] == 60.0
        assert sorted(table.design_kw.tolist()) == [60.0, 100.0, 100.0]
        # R2: 0.8 * 60 = 48 kW; the UPS: 80 + 48 + 80 = 208 kW
        assert _rack_kw(after, "R2") == pytest.approx(48.0, abs=1e-12)
        assert _rack_kw(after, "R1") == _rack_kw(after, "R3") == pytest.approx(80.0, abs=1e-12)
        assert _at(after, "UPS", "component_load_kw") == pytest.approx(208.0, abs=1e-9)
        _same_as_cold(after, d.project)
    finally:
        analyzer.close()


def test_rack_rows_finds_each_rack_and_nothing_else() -> None:
    ids = ("r-10", "r-2", "a\x00", "a", "r-1")  # numpy drops the trailing NUL: "a\x00" and "a" sort as one
    rows = RackRows(ids, _str_array(ids))
    assert rows.rows({"r-1", "r-10", "r-2"}) == {"r-1": 4, "r-10": 0, "r-2": 1}
    assert rows.rows(["a"]) == {"a": 3}
    assert rows.rows(["a\x00"]) == {"a\x00": 2}
    # not racks: a shorter id, a longer one than any rack's, one past the last, an empty one
    assert rows.rows(["r-", "r-100000000000", "zzz", ""]) == {}
    assert rows.rows([]) == {}
    assert RackRows((), _str_array(())).rows(["r-1"]) == {}
