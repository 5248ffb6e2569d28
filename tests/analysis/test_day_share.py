"""A twin analyzer (the idle pass's, ``Analyzer.detached(..., day=True)``) borrows the window's kept day
read-only instead of working out its own, and gives a direct analysis's figures to the last bit; a
share move of the window while the twin holds the day writes a copy, so what the twin reads stays the
day it was lent (``designer.analysis.day_share``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest

from designer.analysis import Analyzer
from designer.analysis.day_state import DayState
from designer.analysis.results import Results
from designer.analysis.synthetic import build_campus
from designer.io.catalog_io import load_catalog
from designer.model.catalog import merged_catalog
from designer.model.project import Project

SHARE, MOVED = 0.3, 0.7


@pytest.fixture(scope="module")
def campus() -> tuple[Project, object]:
    catalog = load_catalog(include_user=False)
    project = build_campus(400, catalog)
    return project, merged_catalog(catalog, project.custom_catalog)


@pytest.fixture
def window(campus: tuple[Project, object]) -> Iterator[Analyzer]:
    """The window's analyzer, having analysed the campus at ``SHARE`` (no failure cases), as before the idle pass."""
    project, catalog = campus
    analyzer = Analyzer()
    analyzer.analyze(project, catalog, inference_share=SHARE, failures=False)  # type: ignore[arg-type]
    yield analyzer
    analyzer.close()


def _direct(project: Project, catalog: object, share: float, failures: bool) -> Results:
    analyzer = Analyzer()
    try:
        return analyzer.analyze(project, catalog, inference_share=share, failures=failures)  # type: ignore[arg-type]
    finally:
        analyzer.close()


def _identical(got: object, expected: object, where: str = "results") -> None:
    """The same values to the last bit (arrays by dtype and contents, NaN equal to NaN), recursively."""
    assert type(got) is type(expected), where
    if isinstance(got, np.ndarray):
        assert isinstance(expected, np.ndarray) and got.dtype == expected.dtype, where
        assert np.array_equal(got, expected, equal_nan=got.dtype.kind == "f"), where
    elif dataclasses.is_dataclass(got):
        for f in dataclasses.fields(got):
            _identical(getattr(got, f.name), getattr(expected, f.name), f"{where}.{f.name}")
    elif isinstance(got, (tuple, list)):
        assert isinstance(expected, (tuple, list)) and len(got) == len(expected), where
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            _identical(a, b, f"{where}[{i}]")
    elif isinstance(got, float) and np.isnan(got):
        assert isinstance(expected, float) and np.isnan(expected), where
    else:
        assert got == expected, where


def _big_arrays(state: DayState) -> dict[str, np.ndarray]:
    """The day's (racks or nodes, hours) arrays, by name."""
    return {"rack_it": state.rack_it, "demand_it": state.demand_it, "power_demand": state.power_demand,
            "power_through": state.power_flow.through_kw, "power_loss": state.power_flow.loss_kw,
            "cooling_demand": state.cooling_demand, "cooling_through": state.cooling_flow.through_kw,
            "cooling_loss": state.cooling_flow.loss_kw}


def test_the_twin_reads_the_window_day_read_only_and_gives_a_direct_analysis(window: Analyzer,
                                                                            campus: tuple[Project, object]) -> None:
    project, catalog = campus
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        got = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
        lent, own = twin._day, window._day
        assert lent is not None and own is not None and lent is not own
        for name, array in _big_arrays(lent).items():  # views of the window's arrays, not copies
            assert np.shares_memory(array, _big_arrays(own)[name]) and not array.flags.writeable, name
    finally:
        twin.close()
    _identical(got, _direct(project, catalog, SHARE, True))


def test_a_twin_without_the_day_works_its_own_out(window: Analyzer, campus: tuple[Project, object]) -> None:
    project, catalog = campus
    snapshot, twin = window.detached(project, catalog)  # type: ignore[arg-type]
    try:
        twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
        assert twin._day is not None and window._day is not None
        assert not np.shares_memory(twin._day.rack_it, window._day.rack_it)
    finally:
        twin.close()


def test_a_share_move_while_the_day_is_lent_leaves_what_the_twin_reads_as_it_was(
        window: Analyzer, campus: tuple[Project, object]) -> None:
    project, catalog = campus
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        assert twin._lent is not None
        lent = _big_arrays(twin._lent[0])
        before = {name: array.copy() for name, array in lent.items()}
        own = window._day
        assert own is not None
        moved = window.analyze(project, catalog, inference_share=MOVED, failures=False)  # type: ignore[arg-type]
        # the move wrote a copy: the window's day is another one, and the lent arrays hold the day at SHARE
        assert window._day is not own and not np.shares_memory(window._day.rack_it, own.rack_it)
        for name, array in lent.items():
            assert np.array_equal(array, before[name]), name
        # the move did change the day (else the check above proves nothing): the ai racks' IT
        assert not np.array_equal(window._day.rack_it, before["rack_it"])
        got = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    finally:
        twin.close()
    _identical(got, _direct(project, catalog, SHARE, True))
    _identical(moved, _direct(project, catalog, MOVED, False))
    # the twin closed: the next move writes the window's day in place again (no copy)
    kept = window._day
    assert kept is not None
    again = window.analyze(project, catalog, inference_share=SHARE, failures=False)  # type: ignore[arg-type]
    assert window._day is kept
    _identical(again, _direct(project, catalog, SHARE, False))
    # and the twin's results held nothing of the lent arrays: they are still the direct analysis's
    _identical(got, _direct(project, catalog, SHARE, True))


def test_a_twin_at_another_share_than_the_lent_day_works_its_own_day_out(
        window: Analyzer, campus: tuple[Project, object]) -> None:
    project, catalog = campus
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        got = twin.analyze(snapshot, catalog, inference_share=MOVED, failures=True)  # type: ignore[arg-type]
        assert twin._day is not None and window._day is not None
        assert not np.shares_memory(twin._day.rack_it, window._day.rack_it)
    finally:
        twin.close()
    _identical(got, _direct(project, catalog, MOVED, True))


def test_a_cancelled_twin_stops_at_its_next_checkpoint(window: Analyzer, campus: tuple[Project, object]) -> None:
    from designer.analysis.cancel import Cancelled

    project, catalog = campus
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    real = twin._failures
    reached: list[str] = []

    def failures(*args, **kwargs):  # type: ignore[no-untyped-def]
        twin.cancel()  # asked to stop while working out the single failures
        reached.append("failures")
        return real(*args, **kwargs)

    twin._failures = failures  # type: ignore[method-assign]
    try:
        with pytest.raises(Cancelled):
            twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    finally:
        twin.close()
    assert reached == ["failures"]
    # the window analyses on as before (a cancelled twin's checkpoints are its own thread's)
    _identical(window.analyze(project, catalog, inference_share=MOVED, failures=False),  # type: ignore[arg-type]
               _direct(project, catalog, MOVED, False))


@pytest.mark.parametrize("edited", [False, True])
def test_a_twin_takes_the_window_placement_checks_when_no_item_changed_since(
        window: Analyzer, campus: tuple[Project, object], edited: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from designer.analysis import placement

    project, catalog = campus
    if edited:  # a rack moved after the window's analysis: the twin checks the design itself
        rack = project.items[window.compile(project, catalog).topology.rack_ids[0]]  # type: ignore[arg-type]
        project.update_items([dataclasses.replace(rack, x_mm=rack.x_mm + 1.0)])
    calls: list[str] = []
    real = placement.placement_and_aisle_problems

    def counted(hall, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(hall.id)
        return real(hall, *args, **kwargs)

    monkeypatch.setattr(placement, "placement_and_aisle_problems", counted)
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        got = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=False)  # type: ignore[arg-type]
    finally:
        twin.close()
    assert bool(calls) == edited
    monkeypatch.setattr(placement, "placement_and_aisle_problems", real)
    assert got.findings == _direct(project, catalog, SHARE, False).findings
    if edited:
        project.update_items([rack])


def test_a_closed_twin_leaves_its_failure_structures_to_the_window_without_their_shares(
        window: Analyzer, campus: tuple[Project, object]) -> None:
    project, catalog = campus
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    kept = window.compile(project, catalog)  # type: ignore[arg-type]
    # the pass no longer keeps the shares by expanded edge (``failures.evaluate_failures`` takes them a block of
    # edges at a time): nothing of them is held through the pass either
    assert kept.power_failures is not None and "shares" not in kept.power_failures.memo
    twin.close()
    assert kept.power_failures is not None and kept.cooling_failures is not None  # handed back
    assert "shares" not in kept.power_failures.memo and "shares" not in kept.cooling_failures.memo
    # the next pass gives the same figures
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        again = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    finally:
        twin.close()
    _identical(again, _direct(project, catalog, SHARE, True))


def test_a_cold_day_is_made_after_the_last_one_went(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a topology change the last day's arrays (~70 MB at 50k racks) are freed before the new ones
    are made: nothing the analyzer keeps (the loss sums, the last loads it could lend) holds them."""
    import weakref

    from designer.analysis import day_state

    catalog = load_catalog(include_user=False)
    project = build_campus(200, catalog)
    merged = merged_catalog(catalog, project.custom_catalog)
    analyzer = Analyzer()
    try:
        analyzer.analyze(project, merged, failures=False)
        assert analyzer._day is not None
        old = weakref.ref(analyzer._day.power_flow.through_kw)
        alive: list[bool] = []
        real = day_state.full_day

        def full_day(*args, **kwargs):  # type: ignore[no-untyped-def]
            alive.append(old() is not None)
            return real(*args, **kwargs)

        monkeypatch.setattr(day_state, "full_day", full_day)
        project.remove_connections([next(iter(project.connections))])  # a topology change: a cold day
        analyzer.analyze(project, merged, failures=False)
    finally:
        analyzer.close()
    assert alive == [False]


def _fed_arrays(state: DayState) -> dict[str, np.ndarray]:
    """The nameplate sums' arrays (``day_state.FedDay``), by field and position."""
    fed = state.fed_day
    assert fed is not None
    out: dict[str, np.ndarray] = {}
    for name in ("weights", "ratings", "rating", "fed", "by_target", "by_source"):
        for i, part in enumerate(getattr(fed, name)):
            for j, array in enumerate(part if isinstance(part, tuple) else (part,)):
                if array is not None:
                    out[f"{name}[{i}][{j}]"] = array
    return out


def test_the_twin_reads_the_nameplate_sums_as_views_and_copies_the_scope_sums(
        window: Analyzer, campus: tuple[Project, object]) -> None:
    # no rack is noted for the nameplate sums to redo after the window's analysis: the twin only reads them
    project, catalog = campus
    own = window._day
    assert own is not None and own.fed_racks is not None and not own.fed_racks.size
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        assert twin._lent is not None
        lent = twin._lent[0]
        theirs = _fed_arrays(own)
        for name, array in _fed_arrays(lent).items():
            assert np.shares_memory(array, theirs[name]) and not array.flags.writeable, name
        # the scope sums are written by every analysis (if only at no row): the twin has copies of its own
        assert lent.scope_day is not None and own.scope_day is not None
        assert lent.scope_day.it.flags.writeable and not np.shares_memory(lent.scope_day.it, own.scope_day.it)
        got = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    finally:
        twin.close()
    _identical(got, _direct(project, catalog, SHARE, True))


def test_a_rack_edit_while_the_day_is_lent_writes_a_copy_of_the_nameplate_sums(
        window: Analyzer, campus: tuple[Project, object]) -> None:
    project, catalog = campus
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    rack = project.items[window.compile(project, catalog).topology.rack_ids[0]]  # type: ignore[arg-type]
    try:
        assert twin._lent is not None
        lent = _fed_arrays(twin._lent[0])
        before = {name: array.copy() for name, array in lent.items()}
        # a design kW override: the window redoes that rack's class ratings and their suppliers' fed sums
        project.update_items([dataclasses.replace(rack, design_kw=(rack.design_kw or 30.0) * 1.7)])
        edited = window.analyze(project, catalog, inference_share=SHARE, failures=False)  # type: ignore[arg-type]
        assert window._day is not None
        mine = _fed_arrays(window._day)
        for name, array in lent.items():
            assert np.array_equal(array, before[name]), name
            if not name.startswith(("by_target", "by_source")):  # those are never written in place: shared
                assert not np.shares_memory(array, mine[name]), name
        # the edit did change the window's sums (else the check above proves nothing)
        assert any(not np.array_equal(mine[name], before[name]) for name in before)
        got = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    finally:
        twin.close()
    _identical(edited, _direct(project, catalog, SHARE, False))
    project.update_items([rack])
    _identical(got, _direct(project, catalog, SHARE, True))


def test_a_twin_that_must_redo_some_nameplate_sums_gets_copies_of_them(
        window: Analyzer, campus: tuple[Project, object]) -> None:
    # racks noted for the nameplate sums to redo when the day is lent (none are after an analysis: set by
    # hand): the twin's analysis writes their rows in place, so it must have copies, not read-only views
    project, catalog = campus
    own = window._day
    assert own is not None
    own.fed_racks = np.array([0, 1], dtype=np.int64)
    snapshot, twin = window.detached(project, catalog, day=True)  # type: ignore[arg-type]
    try:
        assert twin._lent is not None
        theirs = _fed_arrays(own)
        for name, array in _fed_arrays(twin._lent[0]).items():
            if not name.startswith(("by_target", "by_source")):
                assert array.flags.writeable and not np.shares_memory(array, theirs[name]), name
        got = twin.analyze(snapshot, catalog, inference_share=SHARE, failures=True)  # type: ignore[arg-type]
    finally:
        twin.close()
    _identical(got, _direct(project, catalog, SHARE, True))
