"""Free floor space for pod templates, worked out on paper (arithmetic in the comments)."""

from __future__ import annotations

import pytest
from analysis.analysis_builders import TEST_CATALOG

from designer.model import Hall, PlacedItem
from designer.model.free_space import copies_that_fit, free_grid, template_block
from designer.model.geometry import aisle_problems, placement_problems
from designer.model.pods import PodTemplate, PodTemplateItem, place_pod
from designer.model.records import Obstacle
from designer.model.types import ObstacleKind

AISLE_MM = 1200.0
# two 600 x 1200 mm racks side by side, fronts toward -y: items span x -600..600, y -600..600; the
# 1,200 mm aisle in front spans y -1,800..-600. The block: 1,200 wide, 2,400 deep, the template's
# centre 600 right of and 1,800 below its top-left corner.
PAIR = PodTemplate("pair", "Pair", "", (PodTemplateItem("r1", "t.rack100", -300.0, 0.0),
                                       PodTemplateItem("r2", "t.rack100", 300.0, 0.0)), ())


def square_hall(obstacles: tuple[Obstacle, ...] = ()) -> Hall:
    # 6 x 6 m on 600 mm tiles: a 10 x 10 grid; the block takes 2 columns x 4 rows
    return Hall("H1", "Hall 1", ((0, 0), (6000, 0), (6000, 6000), (0, 6000)), tile_mm=600.0, obstacles=obstacles)


def test_block_of_the_pair() -> None:
    block = template_block(PAIR, TEST_CATALOG.get, AISLE_MM)
    assert (block.width_mm, block.depth_mm, block.centre_dx_mm, block.centre_dy_mm, block.racks) == (
        1200.0, 2400.0, 600.0, 1800.0, 2)


def test_empty_hall_takes_ten_pairs_in_two_bands() -> None:
    # bands of 4 rows: rows 0-3 and 4-7 (rows 8-9 are too few); 5 blocks of 2 columns a band: 10 copies.
    # centres: x = 600 + 1,200 k (k = 0..4), y = 1,800 (band 1) and 1,800 + 2,400 = 4,200 (band 2)
    found = copies_that_fit(square_hall(), [], PAIR, TEST_CATALOG.get, AISLE_MM, 100)
    assert found == [(x, y) for y in (1800.0, 4200.0) for x in (600.0, 1800.0, 3000.0, 4200.0, 5400.0)]
    assert copies_that_fit(square_hall(), [], PAIR, TEST_CATALOG.get, AISLE_MM, 3) == found[:3]


def test_a_rack_and_its_aisle_take_one_copy_of_the_second_band() -> None:
    # a rack centred at (3,000, 5,400): footprint x 2,700-3,300, y 4,800-6,000; its aisle y 3,600-4,800.
    # Columns 4 (2,400-3,000) and 5 (3,000-3,600), rows 6-9 are taken. Band 1 keeps its 5 copies; band 2
    # (rows 4-7) loses the block at columns 4-5, and a block at columns 5-6 would need column 5:
    # 4 copies at x 600, 1,800, 4,200, 5,400. Rows 6-9 cannot hold a block any more. 9 in all.
    rack = PlacedItem("R1", "t.rack100", "H1", 3000.0, 5400.0)
    found = copies_that_fit(square_hall(), [rack], PAIR, TEST_CATALOG.get, AISLE_MM, 100)
    assert len(found) == 9
    assert found[5:] == [(600.0, 4200.0), (1800.0, 4200.0), (4200.0, 4200.0), (5400.0, 4200.0)]
    # an item of another hall takes nothing here
    elsewhere = PlacedItem("R2", "t.rack100", "H2", 600.0, 600.0)
    assert len(copies_that_fit(square_hall(), [elsewhere], PAIR, TEST_CATALOG.get, AISLE_MM, 100)) == 10


def test_a_column_blocks_the_cells_it_touches() -> None:
    # a 400 mm column at x 1,300-1,700, y 2,800-3,200 blocks column 2 (1,200-1,800) in rows 4 (2,400-3,000)
    # and 5 (3,000-3,600). Band 1 (rows 0-3) keeps its 5 copies. Band 2, scanned left to right: a block at
    # columns 0-1, then the first start clear of column 2 and of that block is column 3: blocks at 3-4,
    # 5-6, 7-8 (centres x = 3 x 600 + 600 = 2,400, then 3,600, 4,800). 9 in all.
    column = Obstacle("c1", ObstacleKind.COLUMN, ((1300, 2800), (1700, 2800), (1700, 3200), (1300, 3200)))
    found = copies_that_fit(square_hall((column,)), [], PAIR, TEST_CATALOG.get, AISLE_MM, 100)
    # band 2 centres: x = 3 * 600 + 600 = 2,400, 3,600, 4,800 past the first at 600
    assert found[5:] == [(600.0, 4200.0), (2400.0, 4200.0), (3600.0, 4200.0), (4800.0, 4200.0)]
    assert len(found) == 9


def test_l_shaped_hall() -> None:
    # the hall lacks the square x 3,000-6,000, y 3,000-6,000. Band 1 (rows 0-3, y 0-2,400) is whole:
    # 5 copies. Band 2 (rows 4-7): row 4 (y 2,400-3,000) is whole, rows 5-7 only columns 0-4 (x < 3,000):
    # blocks at columns 0-1 and 2-3 only (one at 4-5 would need column 5 in rows 5-7). 7 in all.
    hall = Hall("H1", "L", ((0, 0), (6000, 0), (6000, 3000), (3000, 3000), (3000, 6000), (0, 6000)), tile_mm=600.0)
    found = copies_that_fit(hall, [], PAIR, TEST_CATALOG.get, AISLE_MM, 100)
    assert found[5:] == [(600.0, 4200.0), (1800.0, 4200.0)]
    assert len(found) == 7


def test_placed_copies_pass_the_placement_and_aisle_checks() -> None:
    rack = PlacedItem("R1", "t.rack100", "H1", 3000.0, 5400.0)
    hall = square_hall()
    items = [rack]
    counter = iter(range(1, 1000))
    for x, y in copies_that_fit(hall, items, PAIR, TEST_CATALOG.get, AISLE_MM, 100):
        placed = place_pod(PAIR, hall_id="H1", x_mm=x, y_mm=y, rotation_deg=0.0,
                           new_id=lambda prefix: f"{prefix}-{next(counter)}")
        items.extend(placed.items)
    assert len(items) == 1 + 9 * 2
    assert placement_problems(hall, items, TEST_CATALOG.__getitem__) == {}
    assert aisle_problems(hall, items, TEST_CATALOG.__getitem__, AISLE_MM) == {}
    # and the grid is then full for the pair
    assert copies_that_fit(hall, items, PAIR, TEST_CATALOG.get, AISLE_MM, 100) == []


def test_unknown_catalog_id_in_the_template_is_named() -> None:
    bad = PodTemplate("bad", "Bad", "", (PodTemplateItem("x1", "t.nope", 0.0, 0.0),), ())
    with pytest.raises(ValueError, match=r"'x1' is of catalog id 't\.nope'"):
        template_block(bad, TEST_CATALOG.get, AISLE_MM)


def test_huge_hall_gets_coarser_cells() -> None:
    hall = Hall("H1", "Big", ((0, 0), (2_000_000, 0), (2_000_000, 2_000_000), (0, 2_000_000)), tile_mm=600.0)
    grid = free_grid(hall, [], TEST_CATALOG.get, AISLE_MM)
    assert grid.free.size <= 4_000_000
    assert grid.free.all()
