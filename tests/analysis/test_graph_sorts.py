"""The graph build's sorting helpers (``topology.STABLE`` sorts) give what numpy's own functions give."""

from __future__ import annotations

import numpy as np
import pytest

from designer.analysis.topology import equal_rows, row_keys, sorted_pairs, unique_counts, unique_inverse


def test_unique_counts_by_hand() -> None:
    # 5, 3, 5, 5, 0: sorted 0, 3, 5, 5, 5 -> values 0, 3, 5 seen 1, 1 and 3 times
    values, counts = unique_counts(np.array([5, 3, 5, 5, 0], dtype=np.int64))
    assert values.tolist() == [0, 3, 5]
    assert counts.tolist() == [1, 1, 3]


def test_unique_inverse_by_hand() -> None:
    # 7, 2, 7, 9: distinct 2, 7, 9 -> 7 is the second (1), 2 the first (0), 9 the third (2)
    values, inverse = unique_inverse(np.array([7, 2, 7, 9], dtype=np.int64))
    assert values.tolist() == [2, 7, 9]
    assert inverse.tolist() == [1, 0, 1, 2]


def _cases() -> list[np.ndarray]:
    rng = np.random.default_rng(16)
    in_order = np.repeat(np.arange(400, dtype=np.int64), rng.integers(1, 4, 400))
    swapped = in_order.copy()
    swapped[1::2], swapped[::2][:swapped[1::2].size] = in_order[::2][:in_order[1::2].size], in_order[1::2]
    return [np.zeros(0, dtype=np.int64), np.array([3], dtype=np.int64), in_order, swapped,
            rng.integers(0, 50, 1000).astype(np.int64), rng.integers(0, 2**40, 1000).astype(np.int64)]


@pytest.mark.parametrize("values", _cases())
def test_unique_helpers_match_numpy(values: np.ndarray) -> None:
    expected_values, expected_counts = np.unique(values, return_counts=True)
    got_values, got_counts = unique_counts(values)
    assert got_values.dtype == expected_values.dtype and got_counts.dtype == expected_counts.dtype
    assert np.array_equal(got_values, expected_values) and np.array_equal(got_counts, expected_counts)
    expected_values, expected_inverse = np.unique(values, return_inverse=True)
    got_values, got_inverse = unique_inverse(values)
    assert got_inverse.dtype == expected_inverse.dtype
    assert np.array_equal(got_values, expected_values) and np.array_equal(got_inverse, expected_inverse)


@pytest.mark.parametrize("values", _cases()[1:])
def test_sorted_pairs_match_lexsort(values: np.ndarray) -> None:
    minor = np.random.default_rng(3).integers(0, 7, values.size).astype(np.int64)
    order = np.lexsort((minor, values))
    major, got_minor = sorted_pairs(values, minor)
    assert np.array_equal(major, values[order]) and np.array_equal(got_minor, minor[order])


@pytest.mark.parametrize("width", [2, 9])  # 2 columns fit one int64 key; 9 columns of up to 2**40 do not
def test_equal_rows_match_unique_of_row_keys(width: int) -> None:
    rng = np.random.default_rng(width)
    top = 3 if width == 2 else 2**40
    rows = rng.integers(-1, top, (40, width)).astype(np.int64)
    rows = rows[rng.integers(0, 40, 300)]  # many repeated rows, in no order
    first, group = equal_rows(rows)
    _, expected_first, expected_group = np.unique(row_keys(rows), return_index=True, return_inverse=True)
    # the same groups, each numbered once, and the earliest row of each
    assert np.array_equal(np.sort(first), np.sort(expected_first))
    assert np.array_equal(first[group], expected_first[expected_group.reshape(-1)])
