"""Chiller efficiency that follows the heat sink and the load: DOE-2/EnergyPlus ``EIR-f(T)`` and ``EIR-f(PLR)``.

The electric input ratio (EIR = 1 / COP) of a vapour-compression chiller is modelled as in the
EnergyPlus ``Chiller:Electric:EIR`` object (the DOE-2 chiller model)::

    P = Q_load / COP_rated * EIRFT(T_chw, T_cond) / EIRFT(ref) * EIRFPLR(PLR) / (PLR * EIRFPLR(1))

with ``PLR = Q_load / capacity`` and both curves normalised at the rating point, so the catalog's
rated COP holds exactly at the rating conditions. Curve inputs are clamped to each curve's stated
limits (the EnergyPlus convention): a chiller at 18 °C chilled water is evaluated at the curve's
10 °C upper limit, which under-states the benefit of warm chilled water rather than extrapolate a
fit. Below :data:`MIN_PART_LOAD` the chiller cycles at that part load (EnergyPlus's default minimum
part-load ratio 0.1), so its EIR per kW of load stays at the value of that point. The available
capacity's dependence on temperature (``CAPFT``) is not modelled: the rated capacity is used.

Curve set [S62]: the ASHRAE Standard 90.1 performance-rating-method reference curves distributed with
NREL's openstudio-standards (``ashrae_90_1.curves.json``), "based on Dick Lord's study dated
January 17, 2010":

* air-cooled: ``AirCooled_Chiller_2010_PathA_EIRFT`` (biquadratic in leaving chilled water and
  outdoor dry bulb, 5-10 °C x 12.7-51.67 °C) and ``AirCooled_Chiller_AllCapacities_2004_2010_EIRFPLR``
  (quadratic in PLR);
* water-cooled: ``WaterCooled_Centrifugal_Chiller_2010_PathA_EIRFT`` (biquadratic in leaving chilled
  water and entering condenser water, 5-10 °C x 17.78-46.11 °C) and
  ``WaterCooled_Centrifugal_Chiller_AllCapacities_2004_2007_2010_EIRFPLR`` (bicubic in leaving
  condenser water 31.13-36.52 °C and PLR 0.19-1.03).

Rating points (AHRI 550/590 standard conditions [S63]): 6.67 °C leaving chilled water with 35 °C
outdoor air (air-cooled) or 29.44 °C entering condenser water (water-cooled, 5.56 K condenser rise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

ChillerKind = Literal["air", "water"]

MIN_PART_LOAD = 0.1
"""Below this part-load ratio the chiller cycles (EnergyPlus default minimum part-load ratio)."""
RATED_CHW_C = 6.67
"""AHRI 550/590 leaving chilled water, 44 °F."""
RATED_OUTDOOR_C = 35.0
"""AHRI 550/590 outdoor dry bulb for air-cooled chillers, 95 °F."""
RATED_CONDENSER_IN_C = 29.44
"""AHRI 550/590 entering condenser water for water-cooled chillers, 85 °F."""
CONDENSER_RISE_K = 5.56
"""Condenser water rise at the AHRI rating (85 -> 95 °F); used for the leaving condenser temperature."""


@dataclass(frozen=True)
class BiQuadratic:
    """``c1 + c2 x + c3 x² + c4 y + c5 y² + c6 x y`` with x, y clamped to their limits."""

    c: tuple[float, float, float, float, float, float]
    x_limits: tuple[float, float]
    y_limits: tuple[float, float]

    def __call__(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        xc = np.clip(np.asarray(x, dtype=float), *self.x_limits)
        yc = np.clip(np.asarray(y, dtype=float), *self.y_limits)
        c = self.c
        value: np.ndarray = c[0] + c[1] * xc + c[2] * xc**2 + c[3] * yc + c[4] * yc**2 + c[5] * xc * yc
        return value


@dataclass(frozen=True)
class BiCubic:
    """EnergyPlus ``Curve:Bicubic`` with x and y clamped to their limits.

    ``c1 + c2 x + c3 x² + c4 y + c5 y² + c6 x y + c7 x³ + c8 y³ + c9 x² y + c10 x y²``
    """

    c: tuple[float, float, float, float, float, float, float, float, float, float]
    x_limits: tuple[float, float]
    y_limits: tuple[float, float]

    def __call__(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        xc = np.clip(np.asarray(x, dtype=float), *self.x_limits)
        yc = np.clip(np.asarray(y, dtype=float), *self.y_limits)
        c = self.c
        value: np.ndarray = (c[0] + c[1] * xc + c[2] * xc**2 + c[3] * yc + c[4] * yc**2 + c[5] * xc * yc
                             + c[6] * xc**3 + c[7] * yc**3 + c[8] * xc**2 * yc + c[9] * xc * yc**2)
        return value


AIR_COOLED_EIRFT = BiQuadratic((0.5961915, -0.0099496, 0.0007888, 0.0004506, 0.0004875, -0.0007623),
                               (5.0, 10.0), (12.7, 51.67))
"""``AirCooled_Chiller_2010_PathA_EIRFT``: x leaving chilled water, y outdoor dry bulb (°C) [S62]."""
AIR_COOLED_EIRFPLR = (0.141, 0.655, 0.203)
"""``AirCooled_Chiller_AllCapacities_2004_2010_EIRFPLR``: quadratic in PLR, 0..1 [S62]."""
WATER_COOLED_EIRFT = BiQuadratic((0.6772577, 0.0117857, -0.0001967, 0.0014414, 0.0003005, -0.0006807),
                                 (5.0, 10.0), (17.78, 46.11))
"""``WaterCooled_Centrifugal_Chiller_2010_PathA_EIRFT``: x leaving chilled water, y entering condenser water [S62]."""
WATER_COOLED_EIRFPLR = BiCubic((-0.1360532, 0.008642703, 3.855583e-06, 1.024034, 0.06047444, -0.00894786,
                                0.0, 0.05706602, 0.0, 0.0), (31.13, 36.52), (0.19, 1.03))
"""``WaterCooled_Centrifugal_Chiller_AllCapacities_2004_2007_2010_EIRFPLR``: x leaving condenser water, y PLR [S62]."""


def eir_ratio_temperature(kind: ChillerKind, chilled_water_c: np.ndarray | float,
                          condenser_c: np.ndarray | float) -> np.ndarray:
    """``EIRFT / EIRFT(rating point)``: 1 at the rating point, above 1 when the lift is larger.

    ``condenser_c`` is the outdoor dry bulb for an air-cooled chiller and the entering condenser
    water (wet bulb + tower approach) for a water-cooled one.
    """
    if kind == "air":
        ratio: np.ndarray = (AIR_COOLED_EIRFT(chilled_water_c, condenser_c)
                             / AIR_COOLED_EIRFT(RATED_CHW_C, RATED_OUTDOOR_C))
    else:
        ratio = (WATER_COOLED_EIRFT(chilled_water_c, condenser_c)
                 / WATER_COOLED_EIRFT(RATED_CHW_C, RATED_CONDENSER_IN_C))
    return ratio


def eir_ratio_part_load(kind: ChillerKind, part_load: np.ndarray | float,
                        condenser_c: np.ndarray | float = RATED_CONDENSER_IN_C) -> np.ndarray:
    """``EIRFPLR(PLR) / (PLR * EIRFPLR(1))``: electricity per kW of load relative to full load.

    ``part_load`` is clamped to [:data:`MIN_PART_LOAD`, 1] (cycling below, overload is a capacity
    finding elsewhere). Water-cooled: the bicubic is read at the leaving condenser water, entering
    plus :data:`CONDENSER_RISE_K`.
    """
    plr = np.clip(np.asarray(part_load, dtype=float), MIN_PART_LOAD, 1.0)
    if kind == "air":
        a, b, c = AIR_COOLED_EIRFPLR
        ratio: np.ndarray = (a + b * plr + c * plr**2) / (plr * (a + b + c))
        return ratio
    leaving = np.asarray(condenser_c, dtype=float) + CONDENSER_RISE_K
    ratio = WATER_COOLED_EIRFPLR(leaving, plr) / (plr * WATER_COOLED_EIRFPLR(RATED_CONDENSER_IN_C + CONDENSER_RISE_K,
                                                                             1.0))
    return ratio


def chiller_power_kw(kind: ChillerKind, load_kw: np.ndarray, cop_rated: float, capacity_kw: float,
                     chilled_water_c: float, condenser_c: np.ndarray) -> np.ndarray:
    """Compressor electricity for ``load_kw`` of heat (broadcast with ``condenser_c``).

    ``capacity_kw <= 0`` means the capacity is unknown (an assumed chiller): it is taken as running
    at full load whenever it runs.
    """
    if cop_rated <= 0:
        raise ValueError("a chiller's rated COP must be positive")
    load = np.asarray(load_kw, dtype=float)
    plr = load / capacity_kw if capacity_kw > 0 else np.ones_like(load)
    power: np.ndarray = (load / cop_rated * eir_ratio_temperature(kind, chilled_water_c, condenser_c)
                         * eir_ratio_part_load(kind, plr, condenser_c))
    return power
