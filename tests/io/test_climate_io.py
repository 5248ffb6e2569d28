"""The site's own climate: EPW import, typed-in normals, stored in the project file and range-checked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from weather_files import write_epw

from designer.analysis import Analyzer
from designer.cli import main
from designer.io.catalog_io import load_catalog
from designer.io.climate_io import WeatherFileError, read_epw
from designer.io.errors import ProjectFileError
from designer.io.project_file import load_project, project_to_text, save_project
from designer.io.resources import examples_dir
from designer.model.records import SiteClimate
from designer.model.types import AirManagement


def test_epw_import_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "test.epw"
    write_epw(path)
    climate = read_epw(path)
    assert climate.name == "Testville, ST, Nowhere"
    assert climate.elevation_m == 250.0
    assert len(climate.hourly_dry_bulb_c) == len(climate.hourly_dew_point_c) == 8760
    # each day of month m: low 2m, high 2m + 10 (at 14:00); dew point 2m - 5
    assert climate.low_c == pytest.approx([2.0 * m for m in range(12)])
    assert climate.high_c == pytest.approx([2.0 * m + 10.0 for m in range(12)])
    assert climate.dew_point_c == pytest.approx([2.0 * m - 5.0 for m in range(12)])
    assert "TMY3" in climate.source and climate.licence == ""


def test_epw_missing_values_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "gap.epw"
    write_epw(path, missing_hour=14)  # the first day's 14:00 maximum is missing: the 13:00 value is used
    assert read_epw(path).hourly_dry_bulb_c[14] == 0.0
    short = tmp_path / "short.epw"
    write_epw(short, hours=100)
    with pytest.raises(WeatherFileError, match="expected 8760 hourly records"):
        read_epw(short)
    bad = tmp_path / "bad.epw"
    write_epw(bad)
    text = bad.read_text(encoding="utf-8").replace("2001,1,1,3,60,?,0.0", "2001,1,1,3,60,?,80.0", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(WeatherFileError) as caught:
        read_epw(bad)
    assert "line 11" in str(caught.value) and "out of range" in str(caught.value)
    with pytest.raises(WeatherFileError, match="LOCATION"):
        (tmp_path / "x.epw").write_text("not a weather file\n", encoding="utf-8")
        read_epw(tmp_path / "x.epw")


def test_site_climate_settings_and_air_management_round_trip(tmp_path: Path) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "retrofit.dcplan", catalog)
    path = tmp_path / "test.epw"
    write_epw(path)
    climate = replace(read_epw(path), licence="public domain")
    project.set_site(replace(project.site, climate=climate))
    project.set_settings(replace(project.settings, coil_approach_k=7.5, economiser_approach_k=1.5,
                                 chilled_water_rise_k=8.0))
    saved = tmp_path / "p.dcplan"
    save_project(project, saved)
    again = load_project(saved, catalog)
    assert again.site.climate == climate
    settings = again.settings
    assert (settings.supply_air_c, settings.coil_approach_k, settings.economiser_approach_k,
            settings.chilled_water_rise_k) == (22.0, 7.5, 1.5, 8.0)
    assert again.halls["hall-legacy"].air_management is AirManagement.OPEN
    assert again.halls["hall-plant"].air_management is AirManagement.FULL
    assert project_to_text(again) == project_to_text(project)


@pytest.mark.parametrize("path, value, where", [
    (("site", "climate", "high_c", 3), 75.0, "$.site.climate.high_c[3]"),
    (("site", "climate", "low_c", 0), 50.0, "$.site.climate.high_c"),
    (("settings", "supply_air_c"), 60.0, "$.settings.supply_air_c"),
    (("halls", 0, "air_management"), "sealed", "$.halls[0].air_management"),
])
def test_out_of_range_values_are_refused_with_their_path(
    tmp_path: Path, path: tuple[object, ...], value: object, where: str
) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "retrofit.dcplan", catalog)
    normals = SiteClimate("Typed", "typed in", tuple([20.0] * 12), tuple([10.0] * 12), tuple([5.0] * 12))
    project.set_site(replace(project.site, climate=normals))
    document = json.loads(project_to_text(project))
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    broken = tmp_path / "broken.dcplan"
    broken.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectFileError) as caught:
        load_project(broken, catalog)
    assert where in str(caught.value)


def test_cli_imports_an_epw_and_the_analysis_runs_on_its_hours(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    catalog = load_catalog(include_user=False)
    project_path = tmp_path / "retrofit.dcplan"
    project_path.write_bytes((examples_dir() / "retrofit.dcplan").read_bytes())
    epw = tmp_path / "test.epw"
    write_epw(epw)
    assert main(["climate", str(project_path), "--epw", str(epw), "--licence", "CC0"]) == 0
    assert "8760 hours" in capsys.readouterr().out
    project = load_project(project_path, catalog)
    assert project.site.climate is not None and project.site.climate.licence == "CC0"
    analyzer = Analyzer()
    climate = analyzer.climate_for(project)
    assert climate is not None and climate.hourly_dry_bulb_c is not None
    results = analyzer.analyze(project, catalog, failures=False)
    # retrofit: 22 °C supply air - 9 K coil = 13 °C chilled water; the chillers' free-cooling coils (8 K) and
    # the economiser exchanger (2 K) free-cool fully while the dry bulb <= 3 °C: January (0 °C) and February
    # (2 °C) except their 14:00 hour (+10 K): (31 + 28) x 23 = 1,357 h
    air = results.loop_hours("air")
    assert air is not None and air.loaded_h == pytest.approx(8760.0) and air.full_free_h == 1357.0
    # typed-in normals replace it; --clear returns to the bundled climate
    normals = tmp_path / "normals.json"
    normals.write_text(json.dumps({"name": "Typed", "source": "site survey", "high_c": [20] * 12,
                                   "low_c": [10] * 12, "dew_point_c": [5] * 12}), encoding="utf-8")
    assert main(["climate", str(project_path), "--normals", str(normals)]) == 0
    typed = load_project(project_path, catalog).site.climate
    assert typed is not None and not typed.hourly_dry_bulb_c and typed.high_c == tuple([20.0] * 12)
    assert main(["climate", str(project_path), "--clear"]) == 0
    assert load_project(project_path, catalog).site.climate is None
    # a bad file is exit 2 with one line
    normals.write_text(json.dumps({"name": "Typed", "source": "x", "high_c": [20] * 11,
                                   "low_c": [10] * 12, "dew_point_c": [5] * 12}), encoding="utf-8")
    assert main(["climate", str(project_path), "--normals", str(normals)]) == 2
    assert "high_c" in capsys.readouterr().err
    assert np.isfinite(results.annual_pue)
