"""The role table: one record per equipment role, read by the model, the analysis, io and the views.

Everything the code knows about a role (which chain it sits in and where, what medium a cooling unit
delivers, whether it is a chiller, a power source or floor-standing, its label and colour family) is
written here once. The role sets other modules use are derived from the table below, never typed
out again; ``tests/model/test_roles.py`` fails when a role lacks its record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from designer.model.types import CoolingMedium, ItemKind, Role


@dataclass(frozen=True, slots=True)
class RoleInfo:
    """What one role is and does."""

    role: Role
    label: str
    """Name shown to the user (palette, inspector, reports)."""
    family: ItemKind
    """Palette group and colour key of equipment in this role."""
    power_stage: int | None = None
    """Position in the power chain, utility (0) to rack (7); a connection runs to an equal or later stage.
    None: not in the power chain (a cooling unit still takes power as a consumer, see ``cooling_unit``)."""
    cooling_stage: int | None = None
    """Position in the cooling chain, heat rejection (0) to rack (3); None: not in the cooling chain."""
    unit_medium: CoolingMedium | None = None
    """Room-level cooling units: the medium they deliver to racks (air handlers, CDUs, tanks)."""
    heat_rejection: bool = False
    """Rejects the heat outside: towers, dry and adiabatic coolers, chillers."""
    chiller: bool = False
    """Mechanical cooling with a compressor (a COP), as opposed to free cooling."""
    dry_rejection: bool = False
    """Warm-water heat rejection without a compressor (dry and adiabatic coolers): what a CDU prefers."""
    self_rejecting: bool = False
    """Rejects its own heat to the air (an air-cooled chiller): nothing upstream of it to wire."""
    source: bool = False
    """Originates power: a power path ends at one of these."""
    cooling_feeder: bool = False
    """May feed a cooling unit's fans, pumps and compressors: boards, UPSs and floor distribution; not
    rack PDUs or power shelves (they sit in a rack), nor MV gear."""
    rack_power_supplier: bool = False
    """Auto-connect may draw a rack's power feed from it."""
    floor_standing: bool = True
    """Takes floor space; False for equipment hung over or inside something else (busways, rack PDUs,
    power shelves, rear doors, containment)."""
    rating_override: bool = False
    """A placed item may re-rate itself (``PlacedItem.design_kw``): a modular UPS with fewer modules
    fitted, PDUs and busways of another frame size, cooling units and heat rejection sized to the job.
    Sources, switchgear and transformers keep their catalog rating: pick another entry for another size."""

    @property
    def cooling_unit(self) -> bool:
        """Cooling equipment (any cooling-chain role but the rack): takes power as a consumer."""
        return self.cooling_stage is not None and self.role is not Role.RACK


def _power(
    role: Role,
    label: str,
    stage: int,
    *,
    source: bool = False,
    cooling_feeder: bool = False,
    rack_power_supplier: bool = False,
    floor_standing: bool = True,
    rating_override: bool = False,
) -> RoleInfo:
    return RoleInfo(
        role,
        label,
        ItemKind.POWER,
        power_stage=stage,
        source=source,
        cooling_feeder=cooling_feeder,
        rack_power_supplier=rack_power_supplier,
        floor_standing=floor_standing,
        rating_override=rating_override,
    )


def _rejection(
    role: Role, label: str, stage: int, *, chiller: bool = False, dry: bool = False, self_rejecting: bool = False
) -> RoleInfo:
    return RoleInfo(
        role,
        label,
        ItemKind.COOLING,
        cooling_stage=stage,
        heat_rejection=True,
        chiller=chiller,
        dry_rejection=dry,
        self_rejecting=self_rejecting,
        rating_override=True,
    )


def _unit(role: Role, label: str, medium: CoolingMedium, *, floor_standing: bool = True) -> RoleInfo:
    return RoleInfo(role, label, ItemKind.COOLING, cooling_stage=2, unit_medium=medium, floor_standing=floor_standing,
                    rating_override=True)


_AIR, _LIQUID = CoolingMedium.AIR, CoolingMedium.LIQUID

ROLE_TABLE: Mapping[Role, RoleInfo] = {
    info.role: info
    for info in (
        RoleInfo(Role.RACK, "Rack", ItemKind.RACK, power_stage=7, cooling_stage=3),
        # power chain, upstream to downstream
        _power(Role.UTILITY, "Utility feed", 0, source=True),
        _power(Role.GENERATOR, "Generator", 0, source=True),
        _power(Role.ATS, "ATS", 1),
        _power(Role.MV_SWITCHGEAR, "MV switchgear", 1),
        _power(Role.TRANSFORMER, "Transformer", 2),
        _power(Role.LV_SWITCHBOARD, "LV switchboard", 3, cooling_feeder=True),
        _power(Role.UPS, "UPS", 4, cooling_feeder=True, rating_override=True),
        _power(Role.FLOOR_PDU, "Floor PDU", 5, cooling_feeder=True, rack_power_supplier=True, rating_override=True),
        _power(Role.RPP, "RPP", 5, cooling_feeder=True, rack_power_supplier=True, rating_override=True),
        _power(Role.BUSWAY, "Busway", 5, cooling_feeder=True, rack_power_supplier=True, floor_standing=False,
               rating_override=True),
        _power(Role.RACK_PDU, "Rack PDU", 6, rack_power_supplier=True, floor_standing=False, rating_override=True),
        _power(Role.POWER_SHELF, "Power shelf", 6, rack_power_supplier=True, floor_standing=False),
        # cooling chain, heat rejection to the rack
        _rejection(Role.COOLING_TOWER, "Cooling tower", 0),
        _rejection(Role.DRY_COOLER, "Dry cooler", 0, dry=True),
        _rejection(Role.ADIABATIC_COOLER, "Adiabatic cooler", 0, dry=True),
        _rejection(Role.CHILLER_AIR, "Air-cooled chiller", 1, chiller=True, self_rejecting=True),
        _rejection(Role.CHILLER_WATER, "Water-cooled chiller", 1, chiller=True),
        _unit(Role.CDU, "CDU", _LIQUID),
        _unit(Role.CRAH, "CRAH", _AIR),
        _unit(Role.FAN_WALL, "Fan wall", _AIR),
        _unit(Role.IN_ROW, "In-row cooler", _AIR),
        _unit(Role.REAR_DOOR, "Rear-door HX", _AIR, floor_standing=False),
        _unit(Role.IMMERSION_TANK, "Immersion tank", _LIQUID),
        # floor elements
        RoleInfo(Role.CONTAINMENT, "Containment", ItemKind.FLOOR, floor_standing=False),
        RoleInfo(Role.WALL, "Wall", ItemKind.FLOOR),
        RoleInfo(Role.COLUMN, "Column", ItemKind.FLOOR),
    )
}


def role_info(role: Role) -> RoleInfo:
    """The record of ``role``."""
    return ROLE_TABLE[role]


def _roles(test: str) -> frozenset[Role]:
    return frozenset(role for role, info in ROLE_TABLE.items() if getattr(info, test))


POWER_STAGE_BY_ROLE: dict[Role, int] = {
    role: info.power_stage for role, info in ROLE_TABLE.items() if info.power_stage is not None
}
"""Position of each role in the power chain; a connection may only run to an equal or later stage."""
COOLING_STAGE_BY_ROLE: dict[Role, int] = {
    role: info.cooling_stage for role, info in ROLE_TABLE.items() if info.cooling_stage is not None
}
"""Position of each role in the cooling chain, from heat rejection (0) to the rack."""
HEAT_REJECTION_ROLES = _roles("heat_rejection")
CHILLER_ROLES = _roles("chiller")
DRY_REJECTION_ROLES = _roles("dry_rejection")
"""Warm-water heat rejection: what a CDU prefers over a chiller (no compressor for warm water)."""
SELF_REJECTING_ROLES = _roles("self_rejecting")
"""Chillers that reject their own heat: nothing upstream of them to wire."""
SOURCE_ROLES = _roles("source")
"""Roles that originate power: a power path ends at one of these."""
COOLING_FEEDER_ROLES = _roles("cooling_feeder")
"""Power-chain roles that may feed a cooling unit (its fans, pumps, compressors) as a consumer."""
RACK_POWER_SUPPLIERS = _roles("rack_power_supplier")
COOLING_UNIT_ROLES = _roles("cooling_unit")
"""Cooling equipment: takes heat in the cooling chain and may take power as a consumer of the power chain."""
AIR_UNIT_ROLES = frozenset(role for role, info in ROLE_TABLE.items() if info.unit_medium is CoolingMedium.AIR)
LIQUID_UNIT_ROLES = frozenset(role for role, info in ROLE_TABLE.items() if info.unit_medium is CoolingMedium.LIQUID)
RATING_OVERRIDE_ROLES = _roles("rating_override")
"""Equipment a placed item may re-rate (``PlacedItem.design_kw``, see ``effective``)."""
NOT_FLOOR_STANDING = frozenset(role for role, info in ROLE_TABLE.items() if not info.floor_standing)
ROLE_LABELS: Mapping[Role, str] = {role: info.label for role, info in ROLE_TABLE.items()}
