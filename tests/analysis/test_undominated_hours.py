"""``failures.undominated_hours`` drops repeated rows before shaping them; the hours it keeps must be
those of the plain computation over every row."""

from __future__ import annotations

import numpy as np
import pytest

from designer.analysis.failures import _distinct_rows_of, undominated_hours


def _plain(demand: np.ndarray) -> np.ndarray:
    """The computation over every row, as it was written before the repeats were dropped."""
    n_hours = demand.shape[1]
    top = demand.max(axis=1)
    shapes = np.ascontiguousarray(np.round(demand[top > 0] / top[top > 0, None], 12))
    keys = shapes.view(np.dtype((np.void, shapes.itemsize * n_hours))).reshape(-1)
    rows = shapes[np.unique(keys, return_index=True)[1]] if keys.size else np.zeros((0, n_hours))
    at_least = np.all(rows[:, :, None] >= rows[:, None, :], axis=0)
    more = np.any(rows[:, :, None] > rows[:, None, :], axis=0)
    earlier = np.arange(n_hours)[:, None] < np.arange(n_hours)[None, :]
    np.fill_diagonal(at_least, False)
    return np.flatnonzero(~np.any(at_least & (more | earlier), axis=0))


def test_repeated_rows_leave_the_hours_as_they_were() -> None:
    rng = np.random.default_rng(11)
    for trial in range(40):
        base = rng.uniform(0.0, 1.0, size=(rng.integers(1, 6), 24))
        base[:, rng.integers(0, 24, size=3)] = base[:, [0]]  # ties between hours
        rows = base[rng.integers(0, base.shape[0], size=300)] * rng.choice([1.0, 2.5], size=(300, 1))
        if trial % 3 == 0:
            rows[::7] = 0.0
            rows[::11, 3] = -0.0
        assert np.array_equal(undominated_hours(rows), _plain(rows)), trial


def test_the_distinct_rows_are_each_row_once() -> None:
    # rows 0, 2 and 4 repeat row 0; rows 1 and 3 differ in the sign of a zero only, which counts
    rows = np.array([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0], [-0.0, 1.0], [1.0, 2.0]])
    kept = _distinct_rows_of(rows)
    assert kept.shape == (3, 2)
    assert sorted(map(bytes, (np.ascontiguousarray(r) for r in kept))) == sorted(
        map(bytes, (np.ascontiguousarray(rows[i]) for i in (0, 1, 3))))


def test_rows_are_compared_block_by_block_as_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block of 2 rows: groups straddle the blocks (rows 0, 2 and 4 repeat row 0; 1 and 3 differ in the
    sign of a zero only), and each row is still checked against its group's first row."""
    import designer.analysis.failures as failures

    rows = np.array([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0], [-0.0, 1.0], [1.0, 2.0]])
    monkeypatch.setattr(failures, "_COMPARE_ROWS", 2)
    kept = _distinct_rows_of(rows)
    assert kept.shape == (3, 2)  # 5 rows, 2 of them repeats of row 0
    assert sorted(map(bytes, (np.ascontiguousarray(r) for r in kept))) == sorted(
        map(bytes, (np.ascontiguousarray(rows[i]) for i in (0, 1, 3))))


def test_distinct_loss_rows_first_leave_the_hours_as_they_were() -> None:
    """``day_failures.day_hours`` stacks the loss heat's distinct rows, not all of them: same hours."""
    rng = np.random.default_rng(5)
    for trial in range(20):
        base = rng.uniform(0.0, 1.0, size=(rng.integers(1, 5), 24))
        few = rng.uniform(0.0, 1.0, size=(3, 24))
        loss = base[rng.integers(0, base.shape[0], size=400)] * rng.choice([1.0, 0.5], size=(400, 1))
        whole = np.vstack([few, loss])
        assert np.array_equal(undominated_hours(np.vstack([few, _distinct_rows_of(loss)])),
                              undominated_hours(whole)), trial
