"""Physical ranges of the values a file may set: the one home of the rules every reader applies.

The analysis reads catalog parameters by name (``entry.number("cop_mechanical", ...)``); a value
outside these ranges would give a quiet wrong answer (a negative fan intensity makes PUE negative,
a COP of 0 divides by zero), so the readers refuse it at load with the JSON path.
"""

from __future__ import annotations

from dataclasses import dataclass

AIR_CLASSES: tuple[str, ...] = ("A1", "A2", "A3", "A4", "H1")
"""ASHRAE TC 9.9 air classes the analysis knows (``settings.air_class``)."""
LIQUID_CLASSES: tuple[str, ...] = ("W17", "W27", "W32", "W40", "W45")
"""ASHRAE liquid classes the analysis knows (``settings.liquid_class``)."""


@dataclass(frozen=True, slots=True)
class Range:
    """``low <= value <= high``; with ``positive`` the value must also be above ``low``."""

    low: float
    high: float
    positive: bool = False
    why: str = ""

    def problem(self, value: float) -> str | None:
        """What is wrong with ``value``, or None when it is inside the range."""
        if self.positive and value <= self.low:
            return f"{value:g} must be greater than {self.low:g}{self.why}"
        if value < self.low:
            return f"{value:g} is below the minimum of {self.low:g}{self.why}"
        if value > self.high:
            return f"{value:g} is above the maximum of {self.high:g}{self.why}"
        return None


NUMERIC_PARAMETERS: dict[str, Range] = {
    "cop_mechanical": Range(0.0, 30.0, positive=True, why=" (a compressor COP; real chillers 2-12)"),
    "fan_kw_per_kw": Range(0.0, 0.5, why=" (fan kW per kW of heat; real units 0.01-0.1)"),
    "pump_kw_per_kw": Range(0.0, 0.5, why=" (pump kW per kW of heat; real units 0.003-0.02)"),
    "approach_k": Range(0.0, 40.0, why=" (K)"),
    "power_factor": Range(0.0, 1.0, positive=True),
    "eco_mode_min_load_fraction": Range(0.0, 1.0),
    "fuel_efficiency": Range(0.0, 1.0, positive=True),
    "voltage_v": Range(0.0, 800_000.0, positive=True, why=" (V, line to line)"),
    "mv_voltage_v": Range(0.0, 800_000.0, positive=True, why=" (V, line to line)"),
    "current_a": Range(0.0, 100_000.0, positive=True, why=" (A)"),
    "kva": Range(0.0, 1_000_000.0, positive=True, why=" (kVA)"),
    "phases": Range(1.0, 3.0, why=" (1 or 3)"),
    "battery_kwh": Range(0.0, 100_000.0, why=" (kWh of usable battery energy)"),
    "fuel_tank_l": Range(0.0, 10_000_000.0, why=" (litres)"),
    "fuel_l_per_h_full": Range(0.0, 100_000.0, positive=True, why=" (litres per hour at full load)"),
    "fuel_fraction_25": Range(0.0, 1.0, positive=True, why=" (of full-load consumption)"),
    "fuel_fraction_50": Range(0.0, 1.0, positive=True, why=" (of full-load consumption)"),
    "fuel_fraction_75": Range(0.0, 1.0, positive=True, why=" (of full-load consumption)"),
    "power_cords": Range(1.0, 2.0, why=" (a cooling unit's power cords: 1, or 2 for an A and a B feed)"),
    "water_l_per_kwh": Range(0.0, 5.0, why=" (litres per kWh of heat rejected while wet; open towers ~2)"),
    "dry_approach_k": Range(0.0, 40.0, why=" (K)"),
}
"""Catalog parameters the analysis or the reports read as numbers, with their physical range."""
CHOICE_PARAMETERS: dict[str, tuple[str, ...]] = {"sink": ("dry_bulb", "wet_bulb")}
NUMBER_CHOICES: dict[str, tuple[float, ...]] = {"phases": (1.0, 3.0)}
"""Numeric parameters that take one of a few values (a load is single- or three-phase, never two)."""
BOOLEAN_PARAMETERS: frozenset[str] = frozenset(
    {"free_cooling", "indoor", "eco_mode", "overhead", "water_use", "transformer"}
)

MAX_LOSS_FRACTION = 0.2
"""Each loss coefficient (fixed, proportional, square) of an electrical stage: real ones are below 0.02."""
MAX_TOTAL_LOSS_FRACTION = 0.25
"""The three together, the loss at rated load as a share of the rating: past this the stage is a heater."""
