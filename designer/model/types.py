"""Enumerations shared by the model: workload classes, item kinds, roles and connection types."""

from __future__ import annotations

from enum import StrEnum


class WorkloadClass(StrEnum):
    """What a rack runs; decides which utilisation profile drives its power."""

    TRAINING = "training"
    INFERENCE = "inference"
    AI = "ai"  # follows the scenario's inference share
    GENERAL = "general"
    STORAGE = "storage"
    NETWORK = "network"


class ItemKind(StrEnum):
    """Broad family of a catalog entry."""

    RACK = "rack"
    POWER = "power"
    COOLING = "cooling"
    FLOOR = "floor"


class Role(StrEnum):
    """What a catalog entry does in the power or cooling chain (or on the floor)."""

    RACK = "rack"
    # power chain, upstream to downstream
    UTILITY = "utility"
    GENERATOR = "generator"
    ATS = "ats"
    MV_SWITCHGEAR = "mv_switchgear"
    TRANSFORMER = "transformer"
    LV_SWITCHBOARD = "lv_switchboard"
    UPS = "ups"
    FLOOR_PDU = "floor_pdu"
    RPP = "rpp"
    BUSWAY = "busway"
    RACK_PDU = "rack_pdu"
    POWER_SHELF = "power_shelf"
    # cooling chain, heat rejection to the rack
    COOLING_TOWER = "cooling_tower"
    DRY_COOLER = "dry_cooler"
    ADIABATIC_COOLER = "adiabatic_cooler"
    CHILLER_AIR = "chiller_air"
    CHILLER_WATER = "chiller_water"
    CDU = "cdu"
    CRAH = "crah"
    FAN_WALL = "fan_wall"
    IN_ROW = "in_row"
    REAR_DOOR = "rear_door"
    IMMERSION_TANK = "immersion_tank"
    # floor elements
    CONTAINMENT = "containment"
    WALL = "wall"
    COLUMN = "column"


class ConnectionKind(StrEnum):
    POWER = "power"
    COOLING = "cooling"


class FeedSide(StrEnum):
    """Which cord of a dual-corded consumer a power connection feeds."""

    A = "A"
    B = "B"
    SINGLE = "single"


class CoolingMedium(StrEnum):
    AIR = "air"
    LIQUID = "liquid"


class FloorType(StrEnum):
    RAISED = "raised"
    SLAB = "slab"


class AirManagement(StrEnum):
    """How well a hall keeps supply and return air apart (sets its fans' airflow and speed control)."""

    OPEN = "open"
    """Open aisles, legacy raised floor: bypass and recirculation, fixed-speed fans."""
    PARTIAL = "partial"
    """Blanking and some aisle separation, variable-speed fans."""
    FULL = "full"
    """Full hot- or cold-aisle containment (or rack-level units), variable-speed fans."""


class ObstacleKind(StrEnum):
    WALL = "wall"
    COLUMN = "column"
    OTHER = "other"


class Confidence(StrEnum):
    """How far a catalog figure can be trusted: primary, secondary or estimate."""

    PRIMARY = "P"
    SECONDARY = "S"
    ESTIMATE = "E"


POWER_STAGE_BY_ROLE: dict[Role, int] = {
    Role.UTILITY: 0,
    Role.GENERATOR: 0,
    Role.MV_SWITCHGEAR: 1,
    Role.ATS: 1,
    Role.TRANSFORMER: 2,
    Role.LV_SWITCHBOARD: 3,
    Role.UPS: 4,
    Role.FLOOR_PDU: 5,
    Role.RPP: 5,
    Role.BUSWAY: 5,
    Role.RACK_PDU: 6,
    Role.POWER_SHELF: 6,
    Role.RACK: 7,
}
"""Position of each role in the power chain; a connection may only run to an equal or later stage."""

COOLING_STAGE_BY_ROLE: dict[Role, int] = {
    Role.COOLING_TOWER: 0,
    Role.DRY_COOLER: 0,
    Role.ADIABATIC_COOLER: 0,
    Role.CHILLER_AIR: 1,
    Role.CHILLER_WATER: 1,
    Role.CDU: 2,
    Role.CRAH: 2,
    Role.FAN_WALL: 2,
    Role.IN_ROW: 2,
    Role.REAR_DOOR: 2,
    Role.IMMERSION_TANK: 2,
    Role.RACK: 3,
}
"""Position of each role in the cooling chain, from heat rejection (0) to the rack."""

HEAT_REJECTION_ROLES = frozenset(
    {Role.COOLING_TOWER, Role.DRY_COOLER, Role.ADIABATIC_COOLER, Role.CHILLER_AIR, Role.CHILLER_WATER}
)
COOLING_FEEDER_ROLES = frozenset({Role.LV_SWITCHBOARD, Role.UPS, Role.FLOOR_PDU, Role.RPP, Role.BUSWAY})
"""Power-chain roles that may feed a cooling unit (its fans, pumps, compressors) as a consumer: boards,
UPSs and floor distribution; not rack PDUs or power shelves (they sit in a rack), nor MV gear."""
SOURCE_ROLES = frozenset({Role.UTILITY, Role.GENERATOR})
"""Roles that originate power: a power path ends at one of these."""
