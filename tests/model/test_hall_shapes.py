"""Hall outlines typed in metres, rectangles and column grids: values, and errors that say where."""

from __future__ import annotations

import re

import pytest

from designer.model.hall_shapes import (
    ShapeError,
    column_grid,
    format_outline_m,
    parse_outline_m,
    rectangle_mm,
    rectangle_size_mm,
)
from designer.model.types import ObstacleKind

L_SHAPE = "0, 0\n30, 0\n30, 10\n12, 10\n12, 20\n0, 20"


def test_an_l_shaped_outline_is_read_in_metres() -> None:
    outline = parse_outline_m("# an L\n" + L_SHAPE.replace("12, 10", "12 10") + "\n\n")
    assert outline == ((0, 0), (30_000, 0), (30_000, 10_000), (12_000, 10_000), (12_000, 20_000), (0, 20_000))
    assert parse_outline_m(format_outline_m(outline)) == outline


@pytest.mark.parametrize(("text", "message"), [
    ("0, 0\n30, 0\nthirty, 20", "line 3: 'thirty, 20' is not a corner"),
    ("0, 0\n30, 0", "at least 3 corners, got 2"),
    ("0, 0\n30, 0\n30, 0\n0, 20", "corners 2 and 3 are the same point"),
    ("0, 0\n30, 20\n30, 0\n0, 20", "crosses itself: edge 1-2 crosses edge 3-4"),
    ("0, 0\n10, 0\n20, 0", "less than 1 m²"),
    ("0, 0\n3000, 0\n3000, 10", "more than 2 km"),
])
def test_a_broken_outline_is_refused_with_where_and_why(text: str, message: str) -> None:
    with pytest.raises(ShapeError, match=re.escape(message)):
        parse_outline_m(text)


def test_rectangles_are_recognised_and_sized() -> None:
    assert rectangle_mm(30_000, 20_000) == ((0, 0), (30_000, 0), (30_000, 20_000), (0, 20_000))
    assert rectangle_size_mm(rectangle_mm(30_000, 20_000)) == (30_000, 20_000)
    assert rectangle_size_mm(parse_outline_m(L_SHAPE)) is None
    with pytest.raises(ShapeError, match=r"width 0\.3 m: a hall is between 1 m and 2,000 m"):
        rectangle_mm(300, 20_000)


def test_a_column_grid_stays_inside_an_l_shaped_hall() -> None:
    # 30 x 20 m L with the notch x > 12, y > 10 cut out; 6 m pitch puts candidates at x 6, 12, 18, 24
    # and y 6, 12, 18: (12, y) sits on the notch's edge for y >= 10 and (18|24, 12|18) in the notch
    columns = column_grid(parse_outline_m(L_SHAPE), 6_000, 6_000, 500)
    centres = sorted(((c.polygon_mm[0][0] + 250) / 1000, (c.polygon_mm[0][1] + 250) / 1000) for c in columns)
    assert centres == [(6, 6), (6, 12), (6, 18), (12, 6), (18, 6), (24, 6)]
    assert all(c.kind is ObstacleKind.COLUMN for c in columns)
    assert [c.label for c in columns] == [f"C{i}" for i in range(1, 7)]


def test_a_column_grid_refuses_impossible_pitches_and_sizes() -> None:
    outline = rectangle_mm(30_000, 20_000)
    with pytest.raises(ShapeError, match=r"column pitch along x 0\.5 m"):
        column_grid(outline, 500, 6_000, 400)
    with pytest.raises(ShapeError, match="column size 4000 mm"):
        column_grid(outline, 6_000, 6_000, 4_000)
