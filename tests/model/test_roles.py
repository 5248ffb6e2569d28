"""The role table: every role has one complete record, and the derived role sets agree with it."""

from __future__ import annotations

import pytest

from designer.io.catalog_io import load_catalog
from designer.model import roles
from designer.model.roles import ROLE_TABLE, RoleInfo, role_info
from designer.model.types import CoolingMedium, ItemKind, Role


def test_every_role_has_a_record() -> None:
    missing = [role for role in Role if role not in ROLE_TABLE]
    assert not missing, f"add a RoleInfo to designer/model/roles.py for {missing}"
    assert all(ROLE_TABLE[role].role is role for role in Role)


@pytest.mark.parametrize("role", list(Role))
def test_record_is_consistent(role: Role) -> None:
    info = role_info(role)
    assert info.label.strip()
    assert (info.power_stage is not None) == (info.family in (ItemKind.POWER, ItemKind.RACK))
    assert (info.cooling_stage is not None) == (info.family in (ItemKind.COOLING, ItemKind.RACK))
    if info.chiller:
        assert info.heat_rejection
    if info.heat_rejection:
        assert info.cooling_stage is not None and info.cooling_stage < 2
        assert info.unit_medium is None
    if info.unit_medium is not None:
        assert info.cooling_stage == 2  # room-level units sit between the plant and the racks
    if info.source:
        assert info.power_stage == 0
    if info.cooling_feeder or info.rack_power_supplier:
        assert info.power_stage is not None and 3 <= info.power_stage <= 6


def test_derived_sets() -> None:
    # the sets the analysis and the editor used before the table existed
    assert {Role.CHILLER_AIR, Role.CHILLER_WATER} == roles.CHILLER_ROLES
    assert {Role.CDU, Role.IMMERSION_TANK} == roles.LIQUID_UNIT_ROLES
    assert {Role.CRAH, Role.FAN_WALL, Role.IN_ROW, Role.REAR_DOOR} == roles.AIR_UNIT_ROLES
    assert {Role.UTILITY, Role.GENERATOR} == roles.SOURCE_ROLES
    assert set(roles.COOLING_STAGE_BY_ROLE) - {Role.RACK} == roles.COOLING_UNIT_ROLES
    assert {
        Role.COOLING_TOWER, Role.DRY_COOLER, Role.ADIABATIC_COOLER, Role.CHILLER_AIR, Role.CHILLER_WATER,
    } == roles.HEAT_REJECTION_ROLES
    assert {
        Role.BUSWAY, Role.RACK_PDU, Role.POWER_SHELF, Role.REAR_DOOR, Role.CONTAINMENT,
    } == roles.NOT_FLOOR_STANDING
    assert {Role.DRY_COOLER, Role.ADIABATIC_COOLER} == roles.DRY_REJECTION_ROLES
    assert {Role.CHILLER_AIR} == roles.SELF_REJECTING_ROLES
    assert roles.POWER_STAGE_BY_ROLE[Role.UTILITY] < roles.POWER_STAGE_BY_ROLE[Role.UPS]
    assert roles.POWER_STAGE_BY_ROLE[Role.RACK] == max(roles.POWER_STAGE_BY_ROLE.values())
    assert roles.COOLING_STAGE_BY_ROLE[Role.RACK] == max(roles.COOLING_STAGE_BY_ROLE.values())


def test_unit_medium_is_the_units_medium() -> None:
    assert role_info(Role.CDU).unit_medium is CoolingMedium.LIQUID
    assert role_info(Role.CRAH).unit_medium is CoolingMedium.AIR
    assert role_info(Role.CHILLER_AIR).unit_medium is None
    assert role_info(Role.CHILLER_AIR).cooling_unit and not role_info(Role.RACK).cooling_unit


def test_bundled_catalog_kinds_match_the_role_families() -> None:
    catalog = load_catalog(include_user=False)
    wrong = [(e.id, e.kind, e.role) for e in catalog.values() if role_info(e.role).family is not e.kind]
    assert not wrong


def test_record_is_frozen() -> None:
    with pytest.raises(AttributeError):
        role_info(Role.RACK).label = "x"  # type: ignore[misc]
    assert isinstance(role_info(Role.RACK), RoleInfo)
