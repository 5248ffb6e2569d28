"""The analyzer's kept day (``analysis.day_state``) gives, after every edit, what a fresh analyzer gives.

The kept arrays are brought up to date row by row; these tests compare whole ``Results`` bit for bit
(every array byte, every record and finding) against a cold analysis after moves, design kW and
workload overrides, adds, removes, connection changes and restores, on the synthetic campus and on
the bundled examples.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from designer.analysis import Analyzer
from designer.analysis.capacity import Scopes, scope_sums
from designer.analysis.day_state import DayState, rack_loss_heat
from designer.analysis.flow import Flow, roll_up, roll_up_into
from designer.analysis.loads import CLASS_INDEX
from designer.analysis.results import Results
from designer.analysis.row_sums import roll_up_rows
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.model.catalog import merged_catalog
from designer.model.project import Project
from designer.model.types import WorkloadClass

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def assert_identical(a: object, b: object, where: str = "results") -> None:
    """``a`` and ``b`` equal to the last bit: arrays by their bytes (so -0.0 is not 0.0), floats by repr."""
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), where
        assert a.dtype == b.dtype and a.shape == b.shape, where
        assert a.tobytes() == b.tobytes(), f"{where}: {np.flatnonzero(a.ravel() != b.ravel())[:5]} differ"
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_identical(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, (tuple, list)):
        assert isinstance(b, type(a)) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_identical(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for k in a:
            assert_identical(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, float):
        assert isinstance(b, float) and repr(a) == repr(b), f"{where}: {a!r} != {b!r}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _cold(project: Project, catalog: object, failures: bool) -> Results:
    analyzer = Analyzer()
    try:
        return analyzer.analyze(project, catalog, failures=failures)  # type: ignore[arg-type]
    finally:
        analyzer.close()


def _racks(project: Project, analyzer: Analyzer, catalog: object) -> list[str]:
    return list(analyzer.compile(project, catalog).topology.rack_ids)  # type: ignore[arg-type]


def _edits(project: Project, racks: list[str]) -> list[tuple[str, Callable[[], None]]]:
    """A sequence of edits, each a (name, action) on ``project``."""
    first, second, third = (project.items[r] for r in (racks[0], racks[len(racks) // 2], racks[-1]))

    def move() -> None:
        project.move_items({first.id: (first.x_mm + 10.0, first.y_mm)})

    def override() -> None:
        project.update_items([replace(second, design_kw=(second.design_kw or 30.0) * 1.37)])

    def overrides() -> None:
        project.update_items([replace(project.items[r], design_kw=55.0) for r in racks[::11]])

    def workload() -> None:
        project.update_items([replace(project.items[third.id], workload=WorkloadClass.INFERENCE)])

    def zero() -> None:
        project.update_items([replace(project.items[first.id], design_kw=0.0)])

    def restore() -> None:  # undo-like: the records as they were
        project.update_items([first, second, third])
        project.update_items([replace(project.items[r], design_kw=None) for r in racks[::11]
                              if project.items[r].design_kw == 55.0])

    def remove() -> None:
        project.remove_items([third.id])

    def add_back() -> None:
        project.add_items([third])
        project.add_connections([c for c in kept_connections if c.id not in project.connections])

    def disconnect() -> None:
        connection = next(c for c in project.connections.values() if c.target_id == second.id)
        project.remove_connections([connection.id])

    def reconnect() -> None:
        project.add_connections([c for c in kept_connections if c.id not in project.connections])

    kept_connections = list(project.connections.values())
    return [("move", move), ("override", override), ("overrides", overrides), ("workload", workload),
            ("zero", zero), ("restore", restore), ("remove", remove), ("override after remove", override),
            ("add back", add_back), ("disconnect", disconnect), ("move while disconnected", move),
            ("reconnect", reconnect), ("override again", overrides)]


def _kept_day(analyzer: Analyzer, project: Project, year: int | None) -> object:
    built = analyzer.year_view(project, year)  # a phased design is analysed by its year's analyzer
    return (built[1] if built is not None else analyzer)._day


def _check_scope_sums(analyzer: Analyzer, project: Project, catalog: object, name: str,
                      share: float | None = None, year: int | None = None) -> None:
    """The kept scope sums (rows redone per edit, the ``ai`` part per share move) equal a cold
    analyzer's at the same point, and the loss heat's the full product of the kept rack arrays."""
    state = _kept_day(analyzer, project, year)
    assert isinstance(state, DayState) and state.scope_day is not None
    sums = state.scope_day
    scopes = sums.scopes
    assert isinstance(scopes, Scopes)
    cold = Analyzer()
    try:
        cold.analyze(project, catalog, inference_share=share, year=year, failures=False)  # type: ignore[arg-type]
        cold_state = _kept_day(cold, project, year)
        assert isinstance(cold_state, DayState) and cold_state.scope_day is not None
        assert_identical(sums.it, cold_state.scope_day.it, f"{name}: scope IT")
        assert_identical(sums.liquid, cold_state.scope_day.liquid, f"{name}: scope liquid")
        assert_identical(sums.loss, cold_state.scope_day.loss, f"{name}: scope loss")
    finally:
        cold.close()
    if state.loss is not None and state.loss.carries():
        # summed by (scope, hall) pair: one sum of the racks' loss heat gives the same to the last bits
        assert sums.loss is not None
        by_rack = scope_sums(scopes, rack_loss_heat(state))
        np.testing.assert_allclose(sums.loss, by_rack, rtol=1e-12, atol=1e-9, err_msg=f"{name}: scope loss")
        assert float(np.abs(by_rack).max()) > 0, f"{name}: no scope carries loss heat"


def _check_sequence(project: Project, catalog: object) -> None:
    warm = Analyzer()
    try:
        assert_identical(warm.analyze(project, catalog, failures=False), _cold(project, catalog, False))  # type: ignore[arg-type]
        for name, edit in _edits(project, _racks(project, warm, catalog)):
            edit()
            assert_identical(warm.analyze(project, catalog, failures=False), _cold(project, catalog, False), name)
            _check_scope_sums(warm, project, catalog, name)
        assert_identical(warm.analyze(project, catalog), _cold(project, catalog, True), "with failures")
    finally:
        warm.close()


def test_edits_on_a_campus_give_a_cold_analysis_bit_for_bit() -> None:
    catalog = load_catalog(include_user=False)
    project = build_campus(1200, catalog)
    _check_sequence(project, merged_catalog(catalog, project.custom_catalog))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.dcplan")))
def test_edits_on_the_examples_give_a_cold_analysis_bit_for_bit(name: str) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(EXAMPLES / name, catalog)
    _check_sequence(project, merged_catalog(catalog, project.custom_catalog))


def test_the_kept_day_was_used_and_an_edit_moves_the_figures() -> None:
    """The comparisons above must not pass by rebuilding everything or by changing nothing."""
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        before = analyzer.analyze(project, merged, failures=False)
        kept = analyzer._day
        rack = project.items[_racks(project, analyzer, merged)[3]]
        project.update_items([replace(rack, design_kw=(rack.design_kw or 30.0) + 10.0)])
        after = analyzer.analyze(project, merged, failures=False)
        assert analyzer._day is kept, "a design kW override rebuilt the kept day"
        # one rack 10 kW higher at its utilisation: total IT moves by 10 kW x that hour's utilisation (> 0)
        assert float(after.it_kw.max()) > float(before.it_kw.max())
    finally:
        analyzer.close()


def test_rolling_up_a_few_rows_again_equals_a_full_roll_up() -> None:
    """Hand-made network of the synthetic campus: change three consumer rows of the demand; the
    row update rewrites them and their suppliers to the full roll-up's bytes, and nothing else."""
    catalog = load_catalog(include_user=False)
    project = build_campus(240, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        compiled = analyzer.compile(project, merged)
        power = compiled.power
        rng = np.random.default_rng(5)
        demand = np.zeros((power.n_nodes, 24))
        consumers = np.arange(power.n_components, power.n_nodes)
        demand[consumers] = rng.uniform(0.0, 50.0, size=(consumers.size, 24))
        old = roll_up(power, demand, compiled.power_weights)
        kept = Flow(old.through_kw.copy(), old.loss_kw.copy())
        changed = consumers[[0, 5, consumers.size - 1]]
        demand[changed] *= 1.5
        rows = roll_up_rows(power, demand, compiled.power_weights, kept, changed)
        full = roll_up(power, demand, compiled.power_weights)
        assert kept.through_kw.tobytes() == full.through_kw.tobytes()
        assert kept.loss_kw.tobytes() == full.loss_kw.tobytes()
        assert set(changed.tolist()) <= set(rows.tolist()) and rows.size < power.n_nodes
        untouched = np.setdiff1d(np.arange(power.n_nodes), rows)
        assert np.array_equal(kept.through_kw[untouched], old.through_kw[untouched])
    finally:
        analyzer.close()


def test_a_design_kw_edit_moves_the_split_of_a_supplier_shared_between_scopes() -> None:
    """The retrofit's shared transformer and boards feed racks in more than one scope, and each scope
    counts the part of their firm capacity its racks' design kW takes: a design kW override must
    move that split as a cold analysis does (the scopes were kept on halls, pods and weights alone)."""
    catalog = load_catalog(include_user=False)
    project = load_project(EXAMPLES / "retrofit.dcplan", catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        warm.analyze(project, merged, failures=False)
        rack = project.items[_racks(project, warm, merged)[0]]
        before = warm.analyze(project, merged, failures=False).stranded
        project.update_items([replace(rack, design_kw=(rack.design_kw or 30.0) * 1.37)])
        after = warm.analyze(project, merged, failures=False).stranded
        assert_identical(after, _cold(project, merged, False).stranded)
        assert repr(after) != repr(before)  # the edit does move a split here (else this shows nothing)
    finally:
        warm.close()


def test_group_verdicts_follow_a_regrouping_after_a_cached_analysis() -> None:
    """The group members are kept between analyses while the items' groups stand; moving a unit to
    another group must show in the verdicts as a cold analysis gives them."""
    catalog = load_catalog(include_user=False)
    project = build_campus(240, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        before = warm.analyze(project, merged)
        grouped = [item for item in project.items.values() if item.group is not None]
        first, other = grouped[0], next(i for i in grouped if i.group != grouped[0].group)
        project.update_items([replace(first, group=other.group)])
        after = warm.analyze(project, merged)
        assert_identical(after.groups, _cold(project, merged, True).groups)
        # the unit left its group for the other one: the other group now lists it among its members
        assert first.id in next(g.member_ids for g in after.groups if g.group == other.group)
        assert before.groups != after.groups
    finally:
        warm.close()


def test_the_kept_nameplate_fed_equals_the_headroom_functions_after_edits() -> None:
    """``day_state.fed_day`` redoes only the classes of the edited racks and their suppliers; after
    each override the figures must be ``headroom.nameplate_fed_kw`` of ``class_ratings``, byte for byte."""
    from designer.analysis.headroom import class_ratings, nameplate_fed_kw

    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        analyzer.analyze(project, merged, failures=False)
        racks = _racks(project, analyzer, merged)
        for step, rack_id in enumerate(racks[::97]):
            rack = project.items[rack_id]
            workload = WorkloadClass.AI if step % 2 else WorkloadClass.STORAGE
            project.update_items([replace(rack, design_kw=(rack.design_kw or 30.0) * 1.7, workload=workload)])
            results = analyzer.analyze(project, merged, failures=False)
            compiled = analyzer.compile(project, merged)
            table = compiled.rack_table
            assert table is not None and compiled.nameplate_shares is not None
            density = results.ai_density_factor
            expected = np.concatenate([
                nameplate_fed_kw(compiled.power, class_ratings(compiled.power, table, density, False),
                                 compiled.nameplate_shares[0]),
                nameplate_fed_kw(compiled.cooling, class_ratings(compiled.cooling, table, density, True),
                                 compiled.nameplate_shares[1])])
            assert results.component_nameplate_fed_kw.tobytes() == expected.tobytes(), rack_id
    finally:
        analyzer.close()


def _share_and_year_points(project: Project) -> list[tuple[float | None, int | None]]:
    """(inference share, year) points a dashboard walks: share moves, the same share again, year
    changes (the AI density factor moves) and share moves within another year."""
    scenario = project.active_scenario
    years = [entry.year for entry in scenario.years] if scenario is not None else []
    last = years[-1] if years else None
    return [(0.3, None), (0.72, None), (0.72, None), (None, None), (0.0, last), (1.0, last), (0.45, None),
            (0.45, years[1] if len(years) > 1 else None)]


def _check_points(project: Project, catalog: object) -> None:
    warm = Analyzer()
    try:
        for share, year in _share_and_year_points(project):
            cold = Analyzer()
            try:
                expected = cold.analyze(project, catalog, inference_share=share, year=year,  # type: ignore[arg-type]
                                        failures=False)
            finally:
                cold.close()
            got = warm.analyze(project, catalog, inference_share=share, year=year, failures=False)  # type: ignore[arg-type]
            assert_identical(got, expected, f"share {share}, year {year}")
            _check_scope_sums(warm, project, catalog, f"share {share}, year {year}", share, year)
        # an edit between share moves, then a share move: both kinds of change on the kept rows
        racks = _racks(project, warm, catalog)
        rack = project.items[racks[len(racks) // 3]]
        project.update_items([replace(rack, design_kw=(rack.design_kw or 30.0) * 1.5, workload=WorkloadClass.AI)])
        for share in (0.6, 0.25):
            got = warm.analyze(project, catalog, inference_share=share, failures=False)  # type: ignore[arg-type]
            assert_identical(got, _cold_at(project, catalog, share), f"edit, then share {share}")
        assert_identical(warm.analyze(project, catalog, inference_share=0.25),  # type: ignore[arg-type]
                         _cold_at(project, catalog, 0.25, failures=True), "with failures")
    finally:
        warm.close()


def _cold_at(project: Project, catalog: object, share: float, failures: bool = False) -> Results:
    analyzer = Analyzer()
    try:
        return analyzer.analyze(project, catalog, inference_share=share, failures=failures)  # type: ignore[arg-type]
    finally:
        analyzer.close()


def test_share_and_year_changes_on_a_campus_give_a_cold_analysis_bit_for_bit() -> None:
    """A share move changes the ``ai`` racks' rows only (3 racks in 10 on the campus: every row is
    redone in place); a year change moves their density too."""
    catalog = load_catalog(include_user=False)
    project = build_campus(1200, catalog)
    _check_points(project, merged_catalog(catalog, project.custom_catalog))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.dcplan")))
def test_share_and_year_changes_on_the_examples_give_a_cold_analysis_bit_for_bit(name: str) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(EXAMPLES / name, catalog)
    _check_points(project, merged_catalog(catalog, project.custom_catalog))


def test_a_share_move_keeps_the_day_and_moves_only_the_ai_racks() -> None:
    """The share move must be an update of the kept day, not a rebuild, and must move what it should:
    on the campus an ``ai`` rack's IT is ``design x density x ((1 - s) training + s inference)`` at each
    hour, every other rack's stays as it was."""
    catalog = load_catalog(include_user=False)
    project = build_campus(240, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        analyzer.analyze(project, merged, inference_share=0.2, failures=False)
        kept = analyzer._day
        assert kept is not None
        before = kept.rack_it.copy()
        analyzer.analyze(project, merged, inference_share=0.8, failures=False)
        assert analyzer._day is kept, "a share move rebuilt the kept day"
        table = analyzer.compile(project, merged).rack_table
        assert table is not None
        ai = table.workload == CLASS_INDEX[WorkloadClass.AI]
        assert ai.any() and (~ai).any()
        assert np.array_equal(kept.rack_it[~ai], before[~ai])
        profiles = analyzer.profiles_for(project)
        training, inference = profiles[WorkloadClass.TRAINING], profiles[WorkloadClass.INFERENCE]
        # at s = 0.8: utilisation = 0.2 x training + 0.8 x inference, times design kW x density (1.0
        # in the campus scenario's first year)
        density = analyzer.scenario_for(project, 0.8, None).ai_density_factor
        expected = table.design_kw[ai][:, None] * density * (0.2 * training + 0.8 * inference)[None, :]
        assert np.allclose(kept.rack_it[ai], expected, rtol=1e-12, atol=0.0)
        assert not np.allclose(kept.rack_it[ai], before[ai])
    finally:
        analyzer.close()


def test_the_in_place_roll_up_equals_the_roll_up_bit_for_bit() -> None:
    """``roll_up_into`` writes into kept arrays what a fresh ``roll_up`` returns: whatever the arrays held
    before (here another roll-up) must not leak into the figures. Random demand on the campus's networks."""
    catalog = load_catalog(include_user=False)
    project = build_campus(240, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        compiled = analyzer.compile(project, merged)
        rng = np.random.default_rng(11)
        networks = ((compiled.power, compiled.power_weights), (compiled.cooling, compiled.cooling_weights))
        for network, weights in networks:
            consumers = np.arange(network.n_components, network.n_nodes)
            demand = np.zeros((network.n_nodes, 24))
            demand[consumers] = rng.uniform(0.0, 80.0, size=(consumers.size, 24))
            first = roll_up(network, demand, weights)
            kept = Flow(first.through_kw.copy(), first.loss_kw.copy())
            demand[consumers] *= rng.uniform(0.5, 1.5, size=(consumers.size, 1))
            roll_up_into(network, demand, weights, kept)
            full = roll_up(network, demand, weights)
            assert kept.through_kw.tobytes() == full.through_kw.tobytes()
            assert kept.loss_kw.tobytes() == full.loss_kw.tobytes()
            assert kept.through_kw.tobytes() != first.through_kw.tobytes()
    finally:
        analyzer.close()


def test_edits_of_many_racks_redo_every_row_as_a_cold_analysis() -> None:
    """Edits of more than a fifth of the racks take the in-place path that redoes every row: a design
    kW override of every other rack (all classes: the other racks' part of the sums moves), then every
    third rack made ``ai`` (the class split is cut again), then a share move on top."""
    catalog = load_catalog(include_user=False)
    project = build_campus(1200, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        warm.analyze(project, merged, failures=False)
        kept = warm._day
        racks = _racks(project, warm, merged)
        project.update_items([replace(project.items[r], design_kw=41.0) for r in racks[::2]])
        assert_identical(warm.analyze(project, merged, failures=False), _cold(project, merged, False), "half")
        project.update_items([replace(project.items[r], workload=WorkloadClass.AI) for r in racks[::3]])
        assert_identical(warm.analyze(project, merged, failures=False), _cold(project, merged, False), "third ai")
        _check_scope_sums(warm, project, merged, "third ai")
        got = warm.analyze(project, merged, inference_share=0.9, failures=False)
        assert_identical(got, _cold_at(project, merged, 0.9), "share after")
        assert warm._day is kept, "the edits rebuilt the kept day"
    finally:
        warm.close()
