"""A colour overlay on the floor plan (the colour modes of ``colouring`` paint through it).

Works through the scene's ``items_by_id`` map without changing the scene: each item's fill colour is
swapped for the overlay colour, and restored from the catalog style with ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QColor

from designer.ui.canvas import style
from designer.ui.canvas.scene import FloorScene


def apply_overlay(scene: FloorScene, values: Mapping[str, QColor | str | None]) -> int:
    """Fill the scene's items named in ``values`` with their colour (None: the normal style).

    Only items on the scene whose colour really changes are touched; returns how many were.
    """
    document = scene.document
    changed = 0
    items = document.project.items
    graphics = scene.items_by_id
    for item_id, colour in values.items():
        graphic = graphics.get(item_id)
        if graphic is None or item_id not in items:
            continue
        if colour is None:
            wanted = style.fill_colour(document.entry_for(item_id), items[item_id])
        else:
            wanted = colour if isinstance(colour, str) else colour.name()
        if graphic.set_fill_colour(wanted):
            changed += 1
    return changed
