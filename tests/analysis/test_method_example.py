"""The design worked by hand in docs/method.md section 9, from input to PUE, through the whole analysis."""

from __future__ import annotations

import pytest
from analysis.analysis_builders import TEST_CATALOG, UPS_LOSS, Design, entry, load_of

from designer.model import Catalog, CoolingMedium, Role

CATALOG = Catalog([
    *TEST_CATALOG.values(),
    entry("t.ups500", Role.UPS, 500.0, loss=UPS_LOSS),
    entry("t.chiller150", Role.CHILLER_AIR, 150.0, parameters={"free_cooling": False, "cop_mechanical": 3.5}),
])


def test_the_method_documents_worked_example() -> None:
    d = Design()
    d.add("U1", "t.utility")
    d.add("UPS1", "t.ups500")
    d.add("R1", "t.rack100")
    d.add("CRAH1", "t.crah150")  # no fan_kw_per_kw: the 0.03 default
    d.add("CH1", "t.chiller150")
    d.power("U1", "UPS1")
    d.power("UPS1", "R1")
    d.cool("CRAH1", "R1")
    d.cool("CH1", "CRAH1", CoolingMedium.LIQUID)
    results = d.analyze(CATALOG)  # no climate: 35 °C all day; flat profiles at 0.8
    # IT 100 x 0.8 = 80; UPS 6 + 1.2 + 0.1024 = 7.3024
    assert results.it_kw[0] == pytest.approx(80.0)
    assert results.electrical_loss_kw[0] == pytest.approx(7.3024)
    # the CRAH removes the rack's air heat and the hall's UPS loss
    assert load_of(results, "CRAH1") == pytest.approx(87.3024)
    # air heat 87.7024 (with lighting 0.4); fans 4.5 x (87.7024 x 1.1 / 150)^3 = 1.197157
    fans = 4.5 * (87.7024 * 1.1 / 150.0) ** 3
    plant_heat = 87.7024 + fans  # 88.899557
    plr = plant_heat / 150.0
    eirfplr = (0.141 + 0.655 * plr + 0.203 * plr**2) / (plr * 0.999)  # 1.014234
    eirft = (0.5755755 - 0.0071724 * 35.0 + 0.0004875 * 35.0**2) / 0.99992008  # 0.921803
    compressor = plant_heat / 3.5 * eirft * eirfplr  # 23.747
    pumps = 0.0114 * plant_heat  # 1.013
    assert fans == pytest.approx(1.197157, abs=1e-6)
    assert compressor == pytest.approx(23.747, abs=1e-3)
    assert results.cooling_kw[0] == pytest.approx(fans + compressor + pumps, rel=1e-6)
    assert results.cooling_kw[0] == pytest.approx(25.958, abs=1e-3)
    # facility 80 + 7.3024 + 25.958 + 0.4 + 0.4 = 114.060; PUE 1.4257
    assert results.facility_kw[0] == pytest.approx(114.060, abs=1e-3)
    assert results.pue[0] == pytest.approx(1.4257, abs=1e-4)
    assert results.annual_pue == pytest.approx(results.pue[0])  # no climate: the design day's
