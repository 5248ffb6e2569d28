"""Economics in files: the bundled defaults, range checks at load with the JSON path, and round trips."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from designer.io.catalog_io import entry_to_dict, load_catalog, read_entry
from designer.io.economics_io import economics_path, load_economics_defaults, read_economics_document
from designer.io.errors import FileFormatError, ProjectFileError
from designer.io.project_file import project_from_text, project_to_text
from designer.io.reader import Node
from designer.io.sites_io import parse_site_spec, read_sites_document
from designer.model import Catalog, Project
from designer.model.economics import SETTING_KEYS, EconomicsSettings


def test_bundled_defaults_load_and_every_default_sits_in_its_range() -> None:
    defaults = load_economics_defaults()
    assert set(defaults.figures) == set(SETTING_KEYS)
    for key, figure in defaults.figures.items():
        assert figure.source and figure.confidence, key
        low = figure.value if figure.low is None else figure.low
        high = figure.value if figure.high is None else figure.high
        assert low <= figure.value <= high, key
    for climate_id, region_id in defaults.climate_regions.items():
        assert region_id in defaults.regions, climate_id
    assert 0 < defaults.regions["US-SRVC"].g_per_kwh < 1000


def test_bundled_catalog_costs_are_sourced_and_in_range() -> None:
    catalog = load_catalog(include_user=False)
    costed = [entry for entry in catalog.values() if entry.unit_cost is not None]
    assert len(costed) >= 15
    for entry in costed:
        cost = entry.unit_cost
        assert cost is not None and cost.source and cost.currency == "USD"
        low, high = cost.range
        assert low <= cost.value <= high, entry.id
    throughput = [entry for entry in catalog.values() if entry.token_throughput is not None]
    assert throughput and all(entry.is_rack and entry.token_throughput.source for entry in throughput)  # type: ignore[union-attr]


def _document() -> dict:  # type: ignore[type-arg]
    return json.loads(economics_path().read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(("mutate", "path", "words"), [
    (lambda d: d["defaults"]["discount_rate"].update(value=3.0), "$.defaults.discount_rate.value", "above"),
    (lambda d: d["defaults"]["tariff_per_kwh"].update(low=0.5), "$.defaults.tariff_per_kwh.low", "above the value"),
    (lambda d: d["defaults"].pop("study_years"), "$.defaults", "study_years"),
    (lambda d: d["grid_regions"]["SE"].update(g_per_kwh=-1), "$.grid_regions.SE.g_per_kwh", "below"),
    (lambda d: d["climate_regions"].update(dublin="XX"), "$.climate_regions.dublin", "unknown grid region"),
    (lambda d: d.update(currency="usd"), "$.currency", "currency"),
])
def test_a_bad_defaults_file_names_the_json_path(mutate, path: str, words: str) -> None:  # type: ignore[no-untyped-def]
    document = _document()
    mutate(document)
    with pytest.raises(FileFormatError) as caught:
        read_economics_document(document, file=Path("economics.json"))
    assert caught.value.json_path == path
    assert words in caught.value.problem
    assert "economics.json" in str(caught.value)


def test_economics_settings_and_site_carbon_round_trip(small_project: Project, small_catalog: Catalog) -> None:
    settings = EconomicsSettings(currency="EUR", price_year=2024, tariff_per_kwh=0.2, discount_rate=0.07,
                                 study_years=10, shell_cost_per_m2=2500.0, tariff_monthly_shape=(1.0,) * 12,
                                 tariff_hourly_shape=tuple(0.5 + i / 24 for i in range(24)))
    small_project.set_settings(replace(small_project.settings, economics=settings))
    small_project.set_site(replace(small_project.site, grid_region_id="DE", grid_carbon_g_per_kwh=300.0,
                                   grid_carbon_monthly_g_per_kwh=tuple(300.0 + i for i in range(12))))
    text = project_to_text(small_project)
    loaded = project_from_text(text, small_catalog)
    assert loaded.state() == small_project.state()
    assert project_to_text(loaded) == text


def test_an_old_file_without_economics_loads_with_every_default(small_project: Project,
                                                                small_catalog: Catalog) -> None:
    document = json.loads(project_to_text(small_project))
    assert "economics" not in document["settings"] and "grid_region_id" not in document["site"]
    loaded = project_from_text(json.dumps(document), small_catalog)
    assert loaded.settings.economics == EconomicsSettings()
    assert loaded.site.grid_carbon_g_per_kwh is None


@pytest.mark.parametrize(("where", "key", "value", "words"), [
    ("settings", "economics", {"tariff_per_kwh": -0.1}, "below"),
    ("settings", "economics", {"discount_rate": 2}, "above"),
    ("settings", "economics", {"currency": "dollars"}, "currency"),
    ("settings", "economics", {"tariff_hourly_shape": [1.0] * 23}, "expected 24 numbers"),
    ("settings", "economics", {"study_years": 0}, "below"),
    ("settings", "economics", {"surprise": 1}, "unknown field"),
    ("site", "grid_carbon_g_per_kwh", 5000, "above"),
    ("site", "grid_carbon_monthly_g_per_kwh", [1.0] * 13, "expected 12 numbers"),
])
def test_bad_project_economics_are_refused_with_the_json_path(small_project: Project, small_catalog: Catalog,
                                                             where: str, key: str, value: object,
                                                             words: str) -> None:
    document = json.loads(project_to_text(small_project))
    document[where][key] = value
    with pytest.raises(ProjectFileError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert caught.value.json_path.startswith(f"$.{where}.{key}")
    assert words in caught.value.problem


def test_catalog_unit_cost_round_trips_and_is_checked() -> None:
    catalog = load_catalog(include_user=False)
    entry = catalog["rack.gb200_nvl72"]
    data = entry_to_dict(entry)
    assert read_entry(Node(data)) == entry
    for mutate, words in (
        (lambda d: d["unit_cost"].update(low=5e6), "above the value"),
        (lambda d: d["unit_cost"].update(per="tonne"), "not one of"),
        (lambda d: d["unit_cost"].update(price_year=1800), "below"),
        (lambda d: d["token_throughput"].update(tokens_per_s=0), "greater than"),
    ):
        bad = copy.deepcopy(data)
        mutate(bad)
        with pytest.raises(FileFormatError) as caught:
            read_entry(Node(bad))
        assert words in caught.value.problem
    ups = entry_to_dict(catalog["elec.ups_1250kw"])
    ups["token_throughput"] = data["token_throughput"]
    with pytest.raises(FileFormatError, match="only racks"):
        read_entry(Node(ups))


def test_candidate_sites_from_a_spec_and_a_file() -> None:
    site = parse_site_spec("Luleå,65.6,22.1,stockholm,0.05,,1e6")
    assert (site.name, site.tariff_per_kwh, site.grid_carbon_g_per_kwh, site.land_cost) == ("Luleå", 0.05, None, 1e6)
    for spec, words in (("A,1,2", "expected"), ("A,91,0,dublin", "latitude"), ("A,x,0,dublin", "not a number"),
                        ("A,1,2,dublin,-1", "tariff"), ("A,1,2,dublin,,9999", "grid carbon")):
        with pytest.raises(ValueError, match=words):
            parse_site_spec(spec)
    document = {"format": "dc-designer-sites", "schema_version": 1,
                "sites": [{"name": "D", "latitude_deg": 53.3, "longitude_deg": -6.3, "climate_id": "dublin",
                           "grid_region_id": "IE", "land_cost": 2e6}]}
    assert read_sites_document(document)[0].grid_region_id == "IE"
    document["sites"][0]["land_cost"] = -1  # type: ignore[index]
    with pytest.raises(FileFormatError) as caught:
        read_sites_document(document)
    assert caught.value.json_path == "$.sites[0].land_cost"
