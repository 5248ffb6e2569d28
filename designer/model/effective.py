"""An item's effective values: its own override where set, otherwise its catalog entry's default.

Which overrides an item may carry, and the values they may take, are decided here once; the file
loader, the inspector and the analysis all ask this module.
"""

from __future__ import annotations

import math
from dataclasses import replace

from designer.model.catalog import CatalogEntry
from designer.model.records import PlacedItem
from designer.model.roles import RATING_OVERRIDE_ROLES
from designer.model.types import WorkloadClass

MAX_RACK_KW = 10_000.0
"""Above this a rack's design kW is a typing slip (a whole hall is a few tens of MW)."""
MAX_RATING_KW = 10_000.0
"""Above this an equipment rating is not one unit (the largest catalog unit is 3 MW)."""
MAX_RACK_WEIGHT_KG = 10_000.0
"""Above this a rack's weight is a typing slip (a full liquid-cooled NVL72 is about 1.4 t)."""

RACK_OVERRIDES = frozenset({"design_kw", "workload", "liquid_fraction", "weight_kg"})
RATING_OVERRIDES = frozenset({"design_kw"})
NUMERIC_OVERRIDES = ("design_kw", "liquid_fraction", "weight_kg")
"""The numeric override fields of ``PlacedItem``, in the order the inspector shows them."""


def takes_rating_override(entry: CatalogEntry) -> bool:
    """Whether a placed item of ``entry`` may re-rate itself (``RATING_OVERRIDE_ROLES``)."""
    return not entry.is_rack and entry.role in RATING_OVERRIDE_ROLES


def allowed_overrides(entry: CatalogEntry) -> frozenset[str]:
    """The ``PlacedItem`` override fields that mean something for an item of ``entry``."""
    if entry.is_rack:
        return RACK_OVERRIDES
    if takes_rating_override(entry):
        return RATING_OVERRIDES
    return frozenset()


def design_kw(item: PlacedItem, entry: CatalogEntry) -> float:
    """Design (nameplate) IT kW of a rack, or the rated kW of equipment (its override where its role takes one)."""
    if item.design_kw is None or not (entry.is_rack or takes_rating_override(entry)):
        return entry.capacity_kw
    return item.design_kw


rating_kw = design_kw
"""The rating of a piece of equipment: the same rule, named for the reader."""


def workload(item: PlacedItem, entry: CatalogEntry) -> WorkloadClass:
    if item.workload is not None:
        return item.workload
    return entry.workload or WorkloadClass.GENERAL


def liquid_fraction(item: PlacedItem, entry: CatalogEntry) -> float:
    return entry.liquid_fraction if item.liquid_fraction is None else item.liquid_fraction


def weight_kg(item: PlacedItem, entry: CatalogEntry) -> float:
    """A rack's weight as built (its override), else the catalog weight (0 when the catalog gives none)."""
    if item.weight_kg is None or not entry.is_rack:
        return entry.weight_kg
    return item.weight_kg


def overridden(item: PlacedItem, entry: CatalogEntry) -> dict[str, float]:
    """The numeric overrides ``item`` carries that apply to ``entry`` (field -> value), for marking them."""
    allowed = allowed_overrides(entry)
    values = {"design_kw": item.design_kw, "liquid_fraction": item.liquid_fraction, "weight_kg": item.weight_kg}
    return {name: value for name, value in values.items() if value is not None and name in allowed}


def rated_entry(item: PlacedItem, entry: CatalogEntry) -> CatalogEntry:
    """``entry`` as this item is fitted: its rating replaced by the item's override (equipment only;
    a rack's design kW, fraction and weight are read per rack by the analysis)."""
    if item.design_kw is None or not takes_rating_override(entry) or item.design_kw == entry.capacity_kw:
        return entry
    return replace(entry, capacity_kw=item.design_kw)


def override_problem(entry: CatalogEntry, field: str, value: float) -> str | None:
    """Why ``value`` cannot be the ``field`` override of an item of ``entry``; None when it can.

    The messages are sentences for the user (the inspector shows them under the field, the loader
    after the JSON path).
    """
    if field not in allowed_overrides(entry):
        what = "a rack" if field in RACK_OVERRIDES - RATING_OVERRIDES else "a rack or rated equipment"
        return f"only {what} takes a {field} override; a {entry.role.value} does not"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "Enter a finite number"
    if field == "design_kw" and entry.is_rack:
        if value < 0:
            return "Design kW cannot be negative"
        if value > MAX_RACK_KW:
            return f"More than {MAX_RACK_KW:,.0f} kW is not a rack"
    elif field == "design_kw":
        if value <= 0:
            return "A rating must be above 0 kW (without an override the catalog rating applies)"
        if value > MAX_RATING_KW:
            return f"A rating above {MAX_RATING_KW:,.0f} kW is not one unit"
    elif field == "liquid_fraction":
        if not 0.0 <= value <= 1.0:
            return "Liquid fraction must be between 0 and 1"
    elif field == "weight_kg":
        if value <= 0:
            return "A weight must be above 0 kg (without an override the catalog weight applies)"
        if value > MAX_RACK_WEIGHT_KG:
            return f"More than {MAX_RACK_WEIGHT_KG:,.0f} kg is not a rack"
    return None
