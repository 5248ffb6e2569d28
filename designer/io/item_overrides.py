"""Load-time checks of per-item overrides (rating, design kW, liquid fraction, weight) against each item's role.

The field readers in ``project_file`` bound every number; this checks what only the catalog can tell:
that the item's role takes the override, and that the value makes sense for it (a rating of 0 kW
would hide every overload). The rules live in ``designer.model.effective``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from designer.io.errors import ProjectFileError
from designer.model import effective, phases
from designer.model.catalog import CatalogEntry
from designer.model.records import PlacedItem

ROLE_CHECKED = ("weight_kg",)
"""Overrides refused on an item whose role takes none. ``design_kw``, ``liquid_fraction`` and
``workload`` on such items were always accepted (and are ignored, see ``effective``): refusing them
now would stop old files from opening. ``weight_kg`` is new, so it can be strict."""


def check_item_overrides(items: Sequence[PlacedItem], catalog: Mapping[str, CatalogEntry], *, start: int = 0) -> None:
    """Raise ProjectFileError at ``$.items[i].<field>`` for the first override its item cannot take: a
    weight on anything but a rack, a value out of range for the item's role (a rating of 0 kW), or a
    phase the load cannot take (one phase for a three-phase rack, any phase on a UPS). ``start``: the
    index of ``items[0]`` in the file's list (a block of it, as ``load_check`` reads them)."""
    for index, item in enumerate(items, start):
        if item.design_kw is None and item.weight_kg is None and item.liquid_fraction is None and item.phase is None:
            continue
        entry = catalog.get(item.catalog_id)
        if entry is None:
            continue  # reported by the reference check
        if item.phase is not None:
            phase_problem = phases.phase_problem(entry, item.phase)
            if phase_problem is not None:
                raise ProjectFileError(f"{item.id!r}: {phase_problem}", json_path=f"$.items[{index}].phase")
        for field in effective.NUMERIC_OVERRIDES:
            value = getattr(item, field)
            if value is None or (field not in ROLE_CHECKED and field not in effective.allowed_overrides(entry)):
                continue
            problem = effective.override_problem(entry, field, value)
            if problem is not None:
                raise ProjectFileError(f"{item.id!r}: {problem}", json_path=f"$.items[{index}].{field}")
