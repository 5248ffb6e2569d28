"""Climates: bundled normals, representative days, typical-year hours, psychrolib wet bulb and the design day."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from designer.analysis.climate import (
    DAYS_PER_MONTH,
    Climate,
    ClimateDataError,
    design_day_dry_bulb_c,
    design_day_wet_bulb_c,
    hourly_dry_bulb_c,
    hourly_wet_bulb_c,
    load_climates,
    pressure_pa,
    relative_humidity_pct,
    weather_days,
    wet_bulb_c,
)

EXPECTED_IDS = {
    "northern_virginia",
    "dallas",
    "phoenix",
    "oregon",
    "dublin",
    "frankfurt",
    "stockholm",
    "singapore",
    "tokyo",
    "sydney",
}


def _flat_climate(high_c: float, low_c: float, dew_c: float) -> Climate:
    return Climate(
        id="test",
        name="Test",
        latitude_deg=0.0,
        longitude_deg=0.0,
        utc_offset_h=0.0,
        high_c=np.full(12, high_c),
        low_c=np.full(12, low_c),
        dew_point_c=np.full(12, dew_c),
        source="hand-made",
    )


def test_every_bundled_climate_loads() -> None:
    climates = load_climates()
    assert set(climates) == EXPECTED_IDS
    for climate_id, climate in climates.items():
        assert climate.id == climate_id
        assert climate.high_c.shape == climate.low_c.shape == climate.dew_point_c.shape == (12,)
        assert np.all(climate.high_c > climate.low_c)
        assert climate.source
        assert -14.0 <= climate.utc_offset_h <= 14.0
    # seasons: July is warmer than January in the north, colder in Sydney
    assert climates["stockholm"].high_c[6] > climates["stockholm"].high_c[0]
    assert climates["sydney"].high_c[6] < climates["sydney"].high_c[0]


def test_days_per_month_make_a_year() -> None:
    # 7 x 31 + 4 x 30 + 28 = 217 + 120 + 28 = 365 days = 8760 h
    assert DAYS_PER_MONTH.sum() == 365
    assert DAYS_PER_MONTH.sum() * 24 == 8760


def test_dry_bulb_day_spans_low_to_high() -> None:
    for climate in load_climates().values():
        day = hourly_dry_bulb_c(climate)
        assert day.shape == (12, 24)
        assert np.allclose(day.min(axis=1), climate.low_c)
        assert np.allclose(day.max(axis=1), climate.high_c)
        assert np.all(np.argmin(day, axis=1) == 5)
        assert np.all(np.argmax(day, axis=1) == 15)


def test_dry_bulb_midpoints_by_hand() -> None:
    day = hourly_dry_bulb_c(_flat_climate(30.0, 20.0, 10.0))[0]
    # 10:00 is halfway through the 10-h warming half-cosine: 20 + 10 x 0.5 = 25
    assert day[10] == pytest.approx(25.0)
    # 22:00 is halfway through the 14-h cooling half-cosine: 30 - 10 x 0.5 = 25
    assert day[22] == pytest.approx(25.0)


def test_wet_bulb_reference_points() -> None:
    # ASHRAE psychrometric chart at sea level: 20 °C dry bulb, 50 % RH (dew point 9.27 °C) -> wet bulb 13.8 °C
    assert float(wet_bulb_c(np.array(20.0), np.array(9.27))) == pytest.approx(13.8, abs=0.1)
    # saturated air: wet bulb = dry bulb = dew point
    assert float(wet_bulb_c(np.array(15.0), np.array(15.0))) == pytest.approx(15.0, abs=0.01)
    # a dew point above the dry bulb is capped (saturated), never a wet bulb above the dry bulb
    assert float(wet_bulb_c(np.array(15.0), np.array(18.0))) == pytest.approx(15.0, abs=0.01)
    # thinner air evaporates more: at 1,600 m (83.4 kPa) the same air has a lower wet bulb
    assert pressure_pa(1600.0) == pytest.approx(83_500, rel=0.01)
    assert float(wet_bulb_c(np.array(30.0), np.array(5.0), pressure_pa(1600.0))) < float(
        wet_bulb_c(np.array(30.0), np.array(5.0)))


def test_every_bundled_climate_states_source_and_licence() -> None:
    for climate in load_climates().values():
        assert climate.source.startswith("[C"), climate.id
        assert climate.licence, climate.id


def test_weather_days_of_monthly_normals_and_of_a_typical_year() -> None:
    flat = _flat_climate(30.0, 20.0, 10.0)
    monthly = weather_days(flat)
    assert monthly.dry_bulb_c.shape == (12, 24) and not monthly.hourly
    assert monthly.weight_days.sum() == 365
    # a typical year of hours: 20 °C in January's hours, 30 °C in the rest, dew point 10 °C
    dry = np.full(8760, 30.0)
    dry[:31 * 24] = 20.0
    hourly = weather_days(Climate("h", "H", 0.0, 0.0, 0.0, flat.high_c, flat.low_c, flat.dew_point_c, "test",
                                  hourly_dry_bulb_c=dry, hourly_dew_point_c=np.full(8760, 10.0)))
    assert hourly.hourly and hourly.dry_bulb_c.shape == (365, 24) and hourly.weight_days.sum() == 365
    assert np.all(hourly.month[:31] == 0) and np.all(hourly.month[31:59] == 1) and hourly.month[-1] == 11
    assert np.all(hourly.dry_bulb_c[:31] == 20.0) and np.all(hourly.dry_bulb_c[31:] == 30.0)
    assert np.all(hourly.wet_bulb_c < hourly.dry_bulb_c)


def test_relative_humidity_from_dew_point() -> None:
    # dew point = dry bulb is saturation
    assert float(relative_humidity_pct(np.array(25.0), np.array(25.0))) == pytest.approx(100.0)
    # Magnus: e(10 °C) = 12.27 hPa, e(20 °C) = 23.37 hPa -> 52.5 %
    assert float(relative_humidity_pct(np.array(20.0), np.array(10.0))) == pytest.approx(52.5, abs=0.2)


def test_wet_bulb_never_exceeds_dry_bulb() -> None:
    for climate in load_climates().values():
        dry = hourly_dry_bulb_c(climate)
        wet = hourly_wet_bulb_c(climate)
        assert wet.shape == (12, 24)
        assert np.all(wet <= dry + 1e-9)
        # and at or above the dew point (capped at the dry bulb)
        assert np.all(wet >= np.minimum(climate.dew_point_c[:, np.newaxis], dry) - 1e-6)


def test_humid_tropics_have_a_high_wet_bulb() -> None:
    climates = load_climates()
    assert hourly_wet_bulb_c(climates["singapore"]).min() > 22.0
    # Phoenix is hotter but much drier than Singapore in May
    assert hourly_dry_bulb_c(climates["phoenix"])[4].max() > hourly_dry_bulb_c(climates["singapore"])[4].max()
    assert hourly_wet_bulb_c(climates["phoenix"])[4].max() < hourly_wet_bulb_c(climates["singapore"])[4].max()


def test_design_day_is_the_hottest_month_shifted_to_the_design_peak() -> None:
    climate = load_climates()["dallas"]
    # hottest month: July (31 days, high 35.8, low 25.2) -> swing 10.6 K
    normal = design_day_dry_bulb_c(climate, None)
    assert normal.max() == pytest.approx(35.8)
    design = design_day_dry_bulb_c(climate, 40.0)
    # peak moved to 40.0; dawn at 40.0 - 10.6 = 29.4
    assert design.max() == pytest.approx(40.0)
    assert design[5] == pytest.approx(29.4)
    wet = design_day_wet_bulb_c(climate, 40.0)
    assert np.all(wet <= design)


def test_bad_climate_file_names_its_path(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[2] / "resources" / "climates" / "climates.json"
    document = json.loads(bundled.read_text(encoding="utf-8"))
    document["climates"]["dublin"]["low_c"][3] = 40.0  # low above high in April
    path = tmp_path / "climates.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ClimateDataError) as caught:
        load_climates(path)
    assert caught.value.json_path == "$.climates.dublin.high_c"
    document["format"] = "something-else"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ClimateDataError, match="format"):
        load_climates(path)
