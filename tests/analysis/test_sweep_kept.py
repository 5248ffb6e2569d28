"""The sweep's kept preparation (``sweep._Kept``), brought up to date per edit, gives a cold sweep's
figures to the last bit after moves, design kW and workload overrides, deletes, adds and liquid
fraction changes; and a twin analyzer's sweep hands its preparation back for the next twin.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from designer.analysis import Analyzer
from designer.analysis.engine import Compiled
from designer.analysis.loads import AI_INDEX, utilisation_matrix
from designer.analysis.sweep import SweepResult, _Kept, sweep
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from designer.model.project import Project
from designer.model.types import WorkloadClass

SHARES = np.linspace(0.0, 1.0, 11)


def _identical(warm: SweepResult, cold: SweepResult, where: str) -> None:
    for f in dataclasses.fields(warm):
        a, b = np.asarray(getattr(warm, f.name)), np.asarray(getattr(cold, f.name))
        assert a.dtype == b.dtype and a.shape == b.shape, f"{where}: {f.name}"
        assert a.tobytes() == b.tobytes(), f"{where}: {f.name} differs ({a} != {b})"


def _cold(project: Project, catalog: object) -> SweepResult:
    analyzer = Analyzer()
    try:
        return sweep(project, catalog, SHARES, analyzer=analyzer)  # type: ignore[arg-type]
    finally:
        analyzer.close()


def _kept(analyzer: Analyzer, project: Project, catalog: object) -> _Kept:
    compiled: Compiled = analyzer.compile(project, catalog)  # type: ignore[arg-type]
    assert compiled.sweep_cache is not None
    kept = compiled.sweep_cache[2][0]
    assert isinstance(kept, _Kept)
    return kept


def _edits(project: Project, racks: list[str]) -> list[tuple[str, Callable[[], None], str]]:
    """(name, action, what becomes of the kept preparation: "same" kept whole, "updated" brought up
    to date, "rebuilt")."""
    first, second, third = (project.items[r] for r in (racks[0], racks[len(racks) // 2], racks[-1]))
    kept_connections = list(project.connections.values())

    def move() -> None:
        project.move_items({first.id: (first.x_mm + 10.0, first.y_mm)})

    def override() -> None:
        rack = project.items[second.id]
        project.update_items([replace(rack, design_kw=(rack.design_kw or 30.0) * 1.37)])

    def overrides() -> None:  # racks in many halls at once
        project.update_items([replace(project.items[r], design_kw=(project.items[r].design_kw or 30.0) + 5.0)
                              for r in racks[::11] if r in project.items])

    def workload() -> None:
        rack = project.items[third.id]
        other = WorkloadClass.INFERENCE if rack.workload is not WorkloadClass.INFERENCE else WorkloadClass.AI
        project.update_items([replace(rack, workload=other)])

    def zero() -> None:
        project.update_items([replace(project.items[first.id], design_kw=0.0)])

    def negative_zero() -> None:  # equal to 0.0: the record does not change, nor does the sweep
        project.update_items([replace(project.items[first.id], design_kw=-0.0)])

    def remove() -> None:
        project.remove_items([third.id])

    def add_back() -> None:
        project.add_items([third])
        project.add_connections([c for c in kept_connections if c.id not in project.connections])

    def liquid() -> None:
        project.update_items([replace(project.items[second.id], liquid_fraction=0.3)])

    return [("move", move, "same"), ("design kW", override, "updated"), ("design kW of many", overrides, "updated"),
            ("workload class", workload, "updated"), ("zero kW", zero, "updated"),
            ("-0 kW", negative_zero, "same"), ("delete", remove, "rebuilt"),
            ("design kW after delete", override, "updated"), ("add", add_back, "rebuilt"),
            ("liquid fraction", liquid, "rebuilt"), ("design kW after all", overrides, "updated")]


def test_a_kept_sweep_equals_a_cold_sweep_after_each_kind_of_edit() -> None:
    catalog = load_catalog(include_user=False)
    project = build_campus(1200, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    warm = Analyzer()
    try:
        _identical(sweep(project, merged, SHARES, analyzer=warm), _cold(project, merged), "first")
        racks = list(warm.compile(project, merged).topology.rack_ids)
        for name, edit, fate in _edits(project, racks):
            before = _kept(warm, project, merged)
            edit()
            swept = sweep(project, merged, SHARES, analyzer=warm)
            after = _kept(warm, project, merged)
            assert (after is before) is (fate == "same"), name
            # an update keeps the air stack's layout (and its index arrays) of the earlier preparation
            assert before.stack is not None and after.stack is not None
            assert (after.stack.stacked.indptr is before.stack.stacked.indptr) is (fate != "rebuilt"), name
            _identical(swept, _cold(project, merged), name)
    finally:
        warm.close()


def test_a_design_kw_edit_moves_the_mean_it_by_hand() -> None:
    """10 kW more on one rack moves the mean IT of each share by 10 kW x its class's mean utilisation
    over the day (times the AI density factor for an AI rack): the kept path must not keep old figures."""
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        before = sweep(project, merged, SHARES, analyzer=analyzer)
        compiled = analyzer.compile(project, merged)
        table = compiled.rack_table
        assert table is not None
        row = 7
        rack = project.items[table.ids[row]]
        project.update_items([replace(rack, design_kw=float(table.design_kw[row]) + 10.0)])
        after = sweep(project, merged, SHARES, analyzer=analyzer)
        util = utilisation_matrix(analyzer.profiles_for(project), SHARES)  # (classes, shares * 24)
        util[AI_INDEX] *= before.ai_density_factor
        per_share = util[int(table.workload[row])].reshape(SHARES.size, 24).mean(axis=1)
        # e.g. a rack of a class at 0.8 all day: mean IT + 10 x 0.8 = + 8 kW
        np.testing.assert_allclose(after.mean_it_kw - before.mean_it_kw, 10.0 * per_share, rtol=1e-9, atol=1e-9)
        assert np.all(per_share > 0.0)
    finally:
        analyzer.close()


def test_a_twin_sweep_hands_its_preparation_back_for_the_next_twin() -> None:
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        analyzer.analyze(project, merged, failures=False)
        racks = list(analyzer.compile(project, merged).topology.rack_ids)
        for step in range(3):
            rack = project.items[racks[5 + step]]
            project.update_items([replace(rack, design_kw=(rack.design_kw or 30.0) + 5.0)])
            snapshot, twin = analyzer.detached(project, merged)
            handed = analyzer.compile(project, merged).sweep_cache
            try:
                swept = sweep(snapshot, merged, SHARES, analyzer=twin)
            finally:
                twin.close()
            cache = analyzer.compile(project, merged).sweep_cache
            assert cache is not None and cache is not handed, "the twin's preparation was not handed back"
            if step:  # the twin started from the last twin's preparation and brought it up to date
                assert handed is not None
                assert cache[2][0].stack.stacked.indptr is handed[2][0].stack.stacked.indptr
            _identical(swept, _cold(project, merged), f"twin {step}")
    finally:
        analyzer.close()


def _arrays(value: object, seen: set[int] | None = None) -> list[np.ndarray]:
    """Every numpy array (and sparse matrix's arrays) reachable through ``value``'s dataclass fields."""
    import scipy.sparse as sp

    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return [value]
    if sp.issparse(value):
        parts = (getattr(value, name, None) for name in ("data", "indices", "indptr"))
        return [a for a in parts if isinstance(a, np.ndarray)]
    if isinstance(value, tuple):
        return [a for item in value for a in _arrays(item, seen)]
    ours = type(value).__module__.endswith(("sweep", "flow"))  # the sweep's parts and the flows it keeps
    if ours and dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [a for f in dataclasses.fields(value) for a in _arrays(getattr(value, f.name), seen)]
    return []


def test_bringing_the_preparation_up_to_date_leaves_the_earlier_one_as_it_was() -> None:
    """A twin on a worker thread may still read the earlier preparation: the update must copy."""
    catalog = load_catalog(include_user=False)
    project = build_campus(600, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        sweep(project, merged, SHARES, analyzer=analyzer)
        before = _kept(analyzer, project, merged)
        copies = [a.copy() for a in _arrays(before)]
        assert len(copies) > 20
        racks = list(analyzer.compile(project, merged).topology.rack_ids)
        project.update_items([replace(project.items[r], design_kw=44.0) for r in racks[::5]])
        sweep(project, merged, SHARES, analyzer=analyzer)
        assert _kept(analyzer, project, merged) is not before
        for array, copy in zip(_arrays(before), copies, strict=True):
            assert array.tobytes() == copy.tobytes()
    finally:
        analyzer.close()


def test_blocks_taken_at_one_column_a_day_equal_the_full_product_there() -> None:
    import scipy.sparse as sp

    from designer.analysis.sweep import _Blocks

    # 3 rows over 2 halls x 2 classes; row 1 sees both halls (so the rows are gathered)
    matrix = sp.csr_matrix(np.array([[1.0, 2.0, 0.0, 0.0],
                                     [0.0, 0.5, 3.0, 0.0],
                                     [0.0, 0.0, 0.0, 4.0]]))
    blocks = _Blocks.of(matrix, 2)
    util = np.array([[0.5, 1.0, 0.25, 0.0], [1.0, 0.5, 0.0, 2.0]])  # (classes, 2 days x 2 hours)
    per_air = np.array([[0.1, 0.2, 0.3, 0.4], [1.0, 2.0, 3.0, 4.0]])  # (halls, columns)
    full = blocks.times(util, per_air)
    # row 0, column 0: hall 0 only: 0.1 * (1 * 0.5 + 2 * 1.0) = 0.25
    # row 1, column 1: 0.2 * (0.5 * 0.5) + 2.0 * (3 * 1.0) = 0.05 + 6 = 6.05
    assert full[0, 0] == 0.25 and abs(full[1, 1] - 6.05) < 1e-12
    columns = np.array([[0, 3], [1, 2], [1, 3]])  # (rows, days): the column each row is read at
    at = blocks.at(util, per_air, columns)
    np.testing.assert_allclose(at, np.take_along_axis(full, columns, axis=1), rtol=1e-15)
