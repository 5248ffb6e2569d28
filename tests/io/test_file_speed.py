"""The save's and the reader's shortcuts give what the plain rules give (``_num``, ``_plain_ids``)."""

from __future__ import annotations

from designer.io import project_file


def _num_as_written(value: object) -> object:
    """``_num`` before its float shortcut: the rule itself."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value  # type: ignore[arg-type]


def test_num_float_shortcut_is_the_rule() -> None:
    # 2**53 = 9,007,199,254,740,992: the first float at or beyond it stays a float; one below becomes an int
    values = [0.0, -0.0, 1.0, -1.5, 2.5, 1e16, -1e16, 2.0**53, -(2.0**53), 2.0**53 - 1, -(2.0**53 - 1),
              1e-300, float("inf"), float("-inf"), 3, -7, True, 10**20]
    for value in values:
        got, want = project_file._num(value), _num_as_written(value)
        assert type(got) is type(want) and got == want, value
    assert type(project_file._num(2.0**53 - 1)) is int and type(project_file._num(2.0**53)) is float
    nan = project_file._num(float("nan"))
    assert isinstance(nan, float) and nan != nan


def test_plain_ids_refuses_blank_and_unprintable_ids() -> None:
    assert project_file._plain_ids(["a b", "c"])  # a space inside an id is printable and not blank
    assert not project_file._plain_ids(["a", " "])  # a blank id, found by the look at each id
    assert not project_file._plain_ids(["a", "   "])
    assert not project_file._plain_ids(["a", "b\tc"])  # a tab is not printable
    assert not project_file._plain_ids(["a", ""])
    assert not project_file._plain_ids(["a", "x" * 201])
    assert project_file._plain_ids(["a", "x" * 200])
