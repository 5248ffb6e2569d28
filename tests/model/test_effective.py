"""Which overrides an item takes, the values they may have, and the effective figures they give."""

from __future__ import annotations

import math

import pytest
from support import build_small_catalog

from designer.model import PlacedItem, Role
from designer.model import effective as eff
from designer.model.roles import HEAT_REJECTION_ROLES, RATING_OVERRIDE_ROLES

CATALOG = build_small_catalog()


def item(catalog_id: str, **overrides: object) -> PlacedItem:
    return PlacedItem("i", catalog_id, "h", 0.0, 0.0, **overrides)  # type: ignore[arg-type]


def test_the_roles_of_the_issue_take_a_rating_override() -> None:
    wanted = {Role.UPS, Role.FLOOR_PDU, Role.BUSWAY, Role.CRAH, Role.CDU} | HEAT_REJECTION_ROLES
    assert wanted <= RATING_OVERRIDE_ROLES
    assert not {Role.UTILITY, Role.GENERATOR, Role.TRANSFORMER, Role.RACK} & RATING_OVERRIDE_ROLES


def test_effective_values() -> None:
    ups, rack = CATALOG["ups"], CATALOG["rack.t"]
    assert eff.rating_kw(item("ups"), ups) == 1250.0
    assert eff.rating_kw(item("ups", design_kw=625.0), ups) == 625.0
    assert eff.rated_entry(item("ups", design_kw=625.0), ups).capacity_kw == 625.0
    assert eff.rated_entry(item("ups"), ups) is ups
    assert eff.weight_kg(item("rack.t"), rack) == 1000.0
    assert eff.weight_kg(item("rack.t", weight_kg=1300.0), rack) == 1300.0
    # an override on a role that takes none never counts
    util = CATALOG["util"]
    assert eff.rating_kw(item("util", design_kw=5.0), util) == 10_000.0
    assert eff.rated_entry(item("util", design_kw=5.0), util) is util
    assert eff.weight_kg(item("ups", weight_kg=5.0), ups) == ups.weight_kg
    assert eff.overridden(item("rack.t", design_kw=80.0, weight_kg=900.0), rack) == {"design_kw": 80.0,
                                                                                    "weight_kg": 900.0}
    assert eff.overridden(item("util", design_kw=5.0), util) == {}


@pytest.mark.parametrize(
    ("catalog_id", "field", "value", "words"),
    [
        ("ups", "design_kw", 0.0, "above 0 kW"),
        ("ups", "design_kw", -1.0, "above 0 kW"),
        ("ups", "design_kw", 20_000.0, "not one unit"),
        ("ups", "design_kw", math.nan, "finite"),
        ("rack.t", "design_kw", -1.0, "negative"),
        ("rack.t", "design_kw", 10_001.0, "not a rack"),
        ("rack.t", "liquid_fraction", 1.2, "between 0 and 1"),
        ("rack.t", "weight_kg", 0.0, "above 0 kg"),
        ("rack.t", "weight_kg", 12_000.0, "not a rack"),
        ("ups", "weight_kg", 500.0, "a ups does not"),
        ("util", "design_kw", 500.0, "a utility does not"),
    ],
)
def test_impossible_values_are_named(catalog_id: str, field: str, value: float, words: str) -> None:
    problem = eff.override_problem(CATALOG[catalog_id], field, value)
    assert problem is not None and words.casefold() in problem.casefold()


@pytest.mark.parametrize(
    ("catalog_id", "field", "value"),
    [("ups", "design_kw", 625.0), ("rack.t", "design_kw", 0.0), ("rack.t", "weight_kg", 1400.0),
     ("rack.t", "liquid_fraction", 1.0), ("cdu", "design_kw", 10_000.0)],
)
def test_possible_values_pass(catalog_id: str, field: str, value: float) -> None:
    assert eff.override_problem(CATALOG[catalog_id], field, value) is None
