"""A colour overlay on the floor plan: racks by IT kW, equipment by utilisation (set by the dashboard).

Works through the scene's ``items_by_id`` map without changing the scene: each item's fill colour is
swapped for the overlay colour, and restored from the catalog style with ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor

from designer.analysis import Results
from designer.ui.canvas import style
from designer.ui.canvas.scene import FloorScene

RACK_RAMP = ("#DCEBF5", "#B5D4EA", "#8BBDDC", "#F2D28A", "#EDB04F", "#E58A2E", "#D55E00", "#A83A00")
"""Light blue (idle) to deep orange (at the highest rack load), readable on light and dark canvases."""
STATE_COLOURS = {"ok": "#5DBB8F", "warn": "#E69F00", "over": "#D55E00"}


def apply_overlay(scene: FloorScene, values: Mapping[str, QColor | str | None]) -> int:
    """Fill the scene's items named in ``values`` with their colour (None: the normal style).

    Only items on the scene whose colour really changes are touched; returns how many were.
    """
    document = scene.document
    changed = 0
    items = document.project.items
    for item_id, graphic in scene.items_by_id.items():
        if item_id not in values or item_id not in items:
            continue
        colour = values[item_id]
        if colour is None:
            wanted = style.fill_colour(document.entry_for(item_id), items[item_id])
        else:
            wanted = colour if isinstance(colour, str) else colour.name()
        if graphic.set_fill_colour(wanted):
            changed += 1
    return changed


_RAMP_NAMES = np.array([QColor(c).name() for c in RACK_RAMP], dtype=object)
_STATE_NAMES = np.array([None, *(QColor(STATE_COLOURS[k]).name() for k in ("ok", "warn", "over"))], dtype=object)


@dataclass(frozen=True, slots=True)
class OverlayCodes:
    """The overlay as colour indices: equal codes over the same ids mean the same colours."""

    rack_ids: object
    rack_bins: np.ndarray
    component_ids: object
    component_states: np.ndarray

    def same_as(self, other: OverlayCodes | None) -> bool:
        return (other is not None and other.rack_ids is self.rack_ids and other.component_ids is self.component_ids
                and np.array_equal(other.rack_bins, self.rack_bins)
                and np.array_equal(other.component_states, self.component_states))


def overlay_codes(results: Results) -> OverlayCodes:
    """Racks binned by IT kW at the analysed hour (relative to the busiest rack) into RACK_RAMP, rated
    equipment by ``Results.component_state`` (1 ok, 2 above the continuous rating, 3 above 100 %;
    0 unrated: its normal look)."""
    rack_kw = np.asarray(results.rack_it_kw, dtype=np.float64)
    top = float(rack_kw.max(initial=0.0))
    bins = (np.zeros(rack_kw.size, dtype=np.int64) if top <= 0
            else np.minimum((rack_kw / top * len(RACK_RAMP)).astype(np.int64), len(RACK_RAMP) - 1))
    # the analysis's state (its warning threshold is the project's continuous derating)
    return OverlayCodes(results.rack_ids, bins, results.component_ids, np.asarray(results.component_state))


def overlay_values(results: Results, codes: OverlayCodes | None = None) -> dict[str, str | None]:
    """Colour names by item id (see ``overlay_codes``); None keeps an item's normal look."""
    codes = codes or overlay_codes(results)
    values: dict[str, str | None] = dict(zip(results.rack_ids.tolist(), _RAMP_NAMES[codes.rack_bins].tolist(),
                                             strict=True))
    values.update(zip(results.component_ids.tolist(), _STATE_NAMES[codes.component_states].tolist(), strict=True))
    return values
