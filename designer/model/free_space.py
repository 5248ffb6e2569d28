"""Free floor space in a hall: where copies of a pod template still fit (Qt-free, numpy grids).

The hall is laid on a grid of square cells (the hall's floor tile, coarsened for very large halls
so the grid stays under ``MAX_CELLS``). A cell is free when it lies wholly inside the outline and
nothing blocks it: an obstacle (column, riser, ...), the footprint of a floor-standing item of the
hall (every item, whatever its in-service or retirement year: the floor is kept for it), or the
aisle in front of a rack (the strip as wide as the rack and ``min_aisle_mm`` deep on its front face,
the same strip ``geometry.aisle_problems`` checks). Anything overlapping a cell by more than
``geometry.EPSILON_MM`` blocks the whole cell, so the answer errs on the side of less room.

A pod template takes a *block*: the axis-aligned box around its floor-standing items and the aisles
in front of its racks, at the template's own rotation (0), rounded up to whole cells. Copies go
where a block meets only free cells, row by row from the hall's top-left (the least y, then the
least x), each copy as far up and left as it fits: deterministic, and first-fit, not an optimal
packing. The search is a summed-area table over the grid plus one pass over the candidate cells,
so its cost follows the hall's area, not the number of items times candidates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from designer.model.catalog import CatalogEntry
from designer.model.geometry import EPSILON_MM, MIN_DRAWN_MM, _points_in_polygon, bounds_of, outline_is_box
from designer.model.pods import PodTemplate
from designer.model.records import Hall, PlacedItem
from designer.model.roles import NOT_FLOOR_STANDING
from designer.model.types import Role

MAX_CELLS = 4_000_000
"""Cells of the free-space grid at most (a 2 km square hall at 1 m cells); larger halls get larger cells."""
MIN_CELL_MM = 100.0

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TemplateBlock:
    """The floor a template copy takes: a ``width_mm`` x ``depth_mm`` box whose top-left corner lies
    ``centre_dx_mm``, ``centre_dy_mm`` up-left of the template's centre (the point its items are relative to)."""

    width_mm: float
    depth_mm: float
    centre_dx_mm: float
    centre_dy_mm: float
    racks: int


@dataclass(frozen=True, slots=True)
class FreeGrid:
    """Cell (row i, column j) spans x from ``x0_mm + j * cell_mm``, y from ``y0_mm + i * cell_mm``."""

    x0_mm: float
    y0_mm: float
    cell_mm: float
    free: BoolArray
    """(rows, columns): True where a copy may stand."""


def _stands_on_floor(entry: CatalogEntry) -> bool:
    return (entry.role not in NOT_FLOOR_STANDING and entry.width_mm > 0 and entry.depth_mm > 0
            and entry.parameters.get("overhead") is not True)


def _boxes(x_mm: FloatArray, y_mm: FloatArray, width_mm: FloatArray, depth_mm: FloatArray,
           rotation_deg: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Axis-aligned boxes (x0, y0, x1, y1) of footprints centred at (x, y), rotated clockwise."""
    angle = np.radians(rotation_deg)
    cos_a, sin_a = np.abs(np.cos(angle)), np.abs(np.sin(angle))
    half_x = (width_mm * cos_a + depth_mm * sin_a) / 2.0
    half_y = (width_mm * sin_a + depth_mm * cos_a) / 2.0
    return x_mm - half_x, y_mm - half_y, x_mm + half_x, y_mm + half_y


def _aisle_centres(x_mm: FloatArray, y_mm: FloatArray, depth_mm: FloatArray, rotation_deg: FloatArray,
                   min_aisle_mm: float) -> tuple[FloatArray, FloatArray]:
    """Centres of the aisle strips in front of racks (the front looks toward local -y)."""
    angle = np.radians(rotation_deg)
    reach = depth_mm / 2.0 + min_aisle_mm / 2.0
    return x_mm + reach * np.sin(angle), y_mm - reach * np.cos(angle)


def _footprint_arrays(items: Iterable[tuple[float, float, float, CatalogEntry | None]], min_aisle_mm: float
                      ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, int]:
    """Boxes of the floor-standing footprints and of the aisles in front of racks; also the rack count.

    ``items``: (x, y, rotation, entry); an unknown entry (None) takes the drawn size of a missing item."""
    rows: list[tuple[float, float, float, float, float, bool]] = []
    for x, y, rotation, entry in items:
        if entry is None:
            rows.append((x, y, rotation, MIN_DRAWN_MM, MIN_DRAWN_MM, False))
        elif _stands_on_floor(entry):
            rows.append((x, y, rotation, entry.width_mm, entry.depth_mm, entry.role is Role.RACK))
    if not rows:
        empty = np.zeros(0)
        return empty, empty, empty, empty, 0
    table = np.array([r[:5] for r in rows], dtype=np.float64)
    is_rack = np.array([r[5] for r in rows], dtype=bool)
    cx, cy, rot, width, depth = (table[:, k] for k in range(5))
    boxes = [_boxes(cx, cy, width, depth, rot)]
    if min_aisle_mm > 0 and is_rack.any():
        ax, ay = _aisle_centres(cx[is_rack], cy[is_rack], depth[is_rack], rot[is_rack], min_aisle_mm)
        boxes.append(_boxes(ax, ay, width[is_rack], np.full(ax.size, min_aisle_mm), rot[is_rack]))
    x0, y0, x1, y1 = (np.concatenate([b[k] for b in boxes]) for k in range(4))
    return x0, y0, x1, y1, int(is_rack.sum())


def template_block(template: PodTemplate, entry_of: Callable[[str], CatalogEntry | None],
                   min_aisle_mm: float) -> TemplateBlock:
    """The box a copy of ``template`` takes, with the aisles in front of its racks.

    Raises ValueError naming the template and item when an item's catalog entry is unknown, or
    when nothing of the template stands on the floor."""
    rows = []
    for item in template.items:
        entry = entry_of(item.catalog_id)
        if entry is None:
            raise ValueError(f"pod template {template.id!r}: item {item.key!r} is of catalog id "
                             f"{item.catalog_id!r}, which is not in the catalog")
        rows.append((item.x_mm, item.y_mm, item.rotation_deg, entry))
    x0, y0, x1, y1, racks = _footprint_arrays(rows, min_aisle_mm)
    if x0.size == 0:
        raise ValueError(f"pod template {template.id!r}: nothing of it stands on the floor")
    left, top = float(x0.min()), float(y0.min())
    return TemplateBlock(float(x1.max()) - left, float(y1.max()) - top, -left, -top, racks)


def cell_size_mm(hall: Hall) -> float:
    """The hall's tile, at least ``MIN_CELL_MM``, made larger when the grid would exceed ``MAX_CELLS``."""
    x0, y0, x1, y1 = bounds_of(hall.outline_mm)
    cell = max(float(hall.tile_mm), MIN_CELL_MM) if math.isfinite(hall.tile_mm) else 600.0
    while (x1 - x0) / cell * ((y1 - y0) / cell) > MAX_CELLS:
        cell *= 2.0
    return cell


def _cell_span(lo: FloatArray, hi: FloatArray, origin: float, cell: float, count: int) -> tuple[NDArray[np.int64],
                                                                                                 NDArray[np.int64]]:
    """First and one-past-last cell a span overlaps by more than EPSILON_MM, clipped to the grid."""
    first = np.floor((lo - origin + EPSILON_MM) / cell).astype(np.int64)
    last = np.ceil((hi - origin - EPSILON_MM) / cell).astype(np.int64)
    return np.clip(first, 0, count), np.clip(last, 0, count)


def _mark_boxes(shape: tuple[int, int], x0_mm: float, y0_mm: float, cell: float, boxes: tuple[FloatArray, ...]
                ) -> BoolArray:
    """Cells any of the boxes (x0, y0, x1, y1 arrays) overlaps: a 2-D difference array, summed up."""
    rows, cols = shape
    j0, j1 = _cell_span(boxes[0], boxes[2], x0_mm, cell, cols)
    i0, i1 = _cell_span(boxes[1], boxes[3], y0_mm, cell, rows)
    keep = (j1 > j0) & (i1 > i0)
    j0, j1, i0, i1 = j0[keep], j1[keep], i0[keep], i1[keep]
    diff = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    np.add.at(diff, (i0, j0), 1)
    np.add.at(diff, (i0, j1), -1)
    np.add.at(diff, (i1, j0), -1)
    np.add.at(diff, (i1, j1), 1)
    return np.asarray(diff.cumsum(axis=0).cumsum(axis=1)[:rows, :cols] > 0, dtype=np.bool_)


def free_grid(hall: Hall, items: Iterable[PlacedItem], entry_of: Callable[[str], CatalogEntry | None],
              min_aisle_mm: float, cell_mm: float | None = None) -> FreeGrid:
    """The hall's free cells (``items``: the hall's items; others are skipped)."""
    cell = cell_mm if cell_mm is not None else cell_size_mm(hall)
    hx0, hy0, hx1, hy1 = bounds_of(hall.outline_mm)
    cols, rows = int((hx1 - hx0) // cell), int((hy1 - hy0) // cell)
    if rows <= 0 or cols <= 0:
        return FreeGrid(hx0, hy0, cell, np.zeros((max(rows, 0), max(cols, 0)), dtype=bool))
    inside = np.ones((rows, cols), dtype=bool)
    if not outline_is_box(hall.outline_mm):
        # a cell is inside when its four corners (pulled in by EPSILON_MM) are, and no outline corner
        # lies inside it (the inner corner of an L-shaped hall)
        xs = hx0 + np.arange(cols) * cell
        ys = hy0 + np.arange(rows) * cell
        gx, gy = np.meshgrid(xs, ys)
        for dx, dy in ((EPSILON_MM, EPSILON_MM), (cell - EPSILON_MM, EPSILON_MM), (EPSILON_MM, cell - EPSILON_MM),
                       (cell - EPSILON_MM, cell - EPSILON_MM)):
            inside &= _points_in_polygon(gx + dx, gy + dy, hall.outline_mm)
        for vx, vy in hall.outline_mm:
            j, i = (vx - hx0) / cell, (vy - hy0) / cell
            if 0 < j < cols and 0 < i < rows and (j % 1 or i % 1):
                inside[int(i), int(j)] = False
    obstacle_boxes = [bounds_of(o.polygon_mm) for o in hall.obstacles if len(o.polygon_mm) >= 3]
    mine = [(i.x_mm, i.y_mm, i.rotation_deg, entry_of(i.catalog_id)) for i in items if i.hall_id == hall.id]
    x0, y0, x1, y1, _racks = _footprint_arrays(mine, min_aisle_mm)
    if obstacle_boxes:
        ob = np.array(obstacle_boxes, dtype=np.float64)
        x0, y0, x1, y1 = (np.concatenate([a, ob[:, k]]) for k, a in enumerate((x0, y0, x1, y1)))
    blocked = _mark_boxes((rows, cols), hx0, hy0, cell, (x0, y0, x1, y1))
    return FreeGrid(hx0, hy0, cell, inside & ~blocked)


def fit_positions(grid: FreeGrid, block: TemplateBlock, limit: int) -> list[tuple[float, float]]:
    """Centres (x, y in mm) of up to ``limit`` copies of a block on the free cells, row by row."""
    rows, cols = grid.free.shape
    h = max(1, math.ceil(block.depth_mm / grid.cell_mm - 1e-9))
    w = max(1, math.ceil(block.width_mm / grid.cell_mm - 1e-9))
    if limit <= 0 or h > rows or w > cols:
        return []
    used = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    used[1:, 1:] = (~grid.free).cumsum(axis=0).cumsum(axis=1)
    blocked_in_block = used[h:, w:] - used[:-h, w:] - used[h:, :-w] + used[:-h, :-w]  # (rows-h+1, cols-w+1)
    fits = blocked_in_block == 0
    span = fits.shape[1]
    taken = np.zeros_like(fits)
    found: list[tuple[float, float]] = []
    for index in np.flatnonzero(fits).tolist():
        i, j = divmod(index, span)
        if taken[i, j]:
            continue
        found.append((grid.x0_mm + j * grid.cell_mm + block.centre_dx_mm,
                      grid.y0_mm + i * grid.cell_mm + block.centre_dy_mm))
        if len(found) >= limit:
            break
        # no later copy may start where its block would overlap this one
        taken[max(i - h + 1, 0):i + h, max(j - w + 1, 0):j + w] = True
    return found


def copies_that_fit(hall: Hall, items: Iterable[PlacedItem], template: PodTemplate,
                    entry_of: Callable[[str], CatalogEntry | None], min_aisle_mm: float,
                    limit: int) -> list[tuple[float, float]]:
    """Centres of up to ``limit`` copies of ``template`` (rotation 0) in the free space of ``hall``."""
    block = template_block(template, entry_of, min_aisle_mm)
    return fit_positions(free_grid(hall, items, entry_of, min_aisle_mm), block, limit)
