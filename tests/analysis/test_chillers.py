"""Chiller COP from the ASHRAE 90.1 / EnergyPlus EIR-f(T) and EIR-f(PLR) curves, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from designer.analysis.chillers import (
    AIR_COOLED_EIRFT,
    MIN_PART_LOAD,
    WATER_COOLED_EIRFT,
    chiller_power_kw,
    eir_ratio_part_load,
    eir_ratio_temperature,
)

# AirCooled_Chiller_2010_PathA_EIRFT = 0.5961915 - 0.0099496 x + 0.0007888 x² + 0.0004506 y + 0.0004875 y²
#                                      - 0.0007623 x y   (x chilled water 5-10 °C, y outdoor dry bulb 12.7-51.67 °C)
# at the AHRI rating point x = 6.67, y = 35:
#   0.5961915 - 0.0663638 + 0.0350931 + 0.015771 + 0.5971875 - 0.1779607 = 0.9999201
REF = 0.99992008


def test_the_curve_is_one_at_the_rating_point() -> None:
    assert float(AIR_COOLED_EIRFT(6.67, 35.0)) == pytest.approx(REF, abs=1e-7)
    assert float(eir_ratio_temperature("air", 6.67, 35.0)) == pytest.approx(1.0)
    assert float(eir_ratio_temperature("water", 6.67, 29.44)) == pytest.approx(1.0)
    assert float(eir_ratio_part_load("air", 1.0)) == pytest.approx(1.0)


def test_air_cooled_eir_at_two_temperatures_by_hand() -> None:
    # 18 °C chilled water is beyond the curve's 10 °C limit: clamped to 10 (EnergyPlus convention), so
    # EIRFT(10, y) = 0.5961915 - 0.099496 + 0.07888 + 0.0004506 y + 0.0004875 y² - 0.007623 y
    #             = 0.5755755 - 0.0071724 y + 0.0004875 y²
    # y = 35: 0.5755755 - 0.251034 + 0.5971875 = 0.921729 -> ratio 0.921729 / 0.9999201 = 0.921803
    # y = 20: 0.5755755 - 0.143448 + 0.195     = 0.6271275 -> ratio 0.627178
    assert float(eir_ratio_temperature("air", 18.0, 35.0)) == pytest.approx(0.921803, abs=1e-6)
    assert float(eir_ratio_temperature("air", 18.0, 20.0)) == pytest.approx(0.627178, abs=1e-6)
    # a rated COP of 3.5 becomes 3.5 / 0.921803 = 3.797 at 35 °C and 3.5 / 0.627178 = 5.581 at 20 °C
    cop = 3.5 / eir_ratio_temperature("air", 18.0, np.array([35.0, 20.0]))
    assert cop == pytest.approx([3.79691, 5.58055], abs=1e-4)
    # below the curve's 12.7 °C the lift stops helping (head-pressure control): -5 °C counts as 12.7 °C
    assert float(eir_ratio_temperature("air", 18.0, -5.0)) == pytest.approx(
        float(eir_ratio_temperature("air", 18.0, 12.7)))


def test_air_cooled_part_load_by_hand() -> None:
    # EIRFPLR = 0.141 + 0.655 p + 0.203 p², 0.999 at p = 1; per kW of load: EIRFPLR(p) / (p x 0.999)
    # p = 0.5:  (0.141 + 0.3275 + 0.05075) / 0.4995 = 0.51925 / 0.4995 = 1.039540
    # p = 0.25: (0.141 + 0.16375 + 0.0126875) / 0.24975 = 0.3174375 / 0.24975 = 1.271021
    assert float(eir_ratio_part_load("air", 0.5)) == pytest.approx(1.039540, abs=1e-6)
    assert float(eir_ratio_part_load("air", 0.25)) == pytest.approx(1.271021, abs=1e-6)
    # below the minimum part load the chiller cycles: its EIR per kW stays at the minimum's
    assert float(eir_ratio_part_load("air", 0.01)) == pytest.approx(float(eir_ratio_part_load("air", MIN_PART_LOAD)))


def test_chiller_power_at_two_temperatures_and_two_loads_by_hand() -> None:
    # 1,000 kW air-cooled chiller, rated COP 3.5, 18 °C chilled water
    # 500 kW at 35 °C: 500 / 3.5 x 0.921803 x 1.039540 = 131.686 x 1.039540 = 136.893 kW (COP 3.653)
    # 250 kW at 20 °C: 250 / 3.5 x 0.627178 x 1.271021 = 44.7984 x 1.271021 = 56.940 kW (COP 4.391)
    power = chiller_power_kw("air", np.array([500.0, 250.0]), 3.5, 1000.0, 18.0, np.array([35.0, 20.0]))
    assert power == pytest.approx([136.893, 56.940], abs=1e-3)
    # unknown capacity (an assumed chiller): full load, temperature only -> 500 / 3.5 x 0.921803 = 131.686
    assert float(chiller_power_kw("air", np.array(500.0), 3.5, 0.0, 18.0, np.array(35.0))) == pytest.approx(
        131.686, abs=1e-3)
    with pytest.raises(ValueError):
        chiller_power_kw("air", np.array(1.0), 0.0, 0.0, 18.0, np.array(20.0))


def test_water_cooled_follows_the_condenser_water() -> None:
    # WaterCooled_Centrifugal_Chiller_2010_PathA_EIRFT at the rating point (6.67, 29.44) = 0.9163341;
    # at (10, 20): 0.6772577 + 0.117857 - 0.01967 + 0.028828 + 0.1202 - 0.13614 = 0.7883327 -> ratio 0.860311
    assert float(WATER_COOLED_EIRFT(6.67, 29.44)) == pytest.approx(0.9163341, abs=1e-6)
    assert float(eir_ratio_temperature("water", 18.0, 20.0)) == pytest.approx(0.860311, abs=1e-6)
    # warmer condenser water costs more
    ratios = eir_ratio_temperature("water", 18.0, np.array([20.0, 25.0, 30.0]))
    assert np.all(np.diff(ratios) > 0)
