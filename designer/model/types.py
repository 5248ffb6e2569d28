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
    """What a catalog entry does in the power or cooling chain (or on the floor).

    What each role is and does (chain stage, medium, chiller, label, ...) is its ``RoleInfo`` in
    :mod:`designer.model.roles`; a new member needs one there (``tests/model/test_roles.py``).
    """

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


class Phase(StrEnum):
    """Which phase(s) of a three-phase supply a load is connected to on its PDU, RPP or busway tap-off."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    ALL = "L1L2L3"
    """All three: a three-phase load (its current is the same on each phase)."""


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
