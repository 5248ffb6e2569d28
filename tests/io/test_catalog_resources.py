"""The bundled catalog and pod templates: they load, cite their sources and hold together as designs."""

from __future__ import annotations

import copy
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest

from designer.io.catalog_io import load_catalog, read_catalog_document
from designer.io.errors import CatalogFileError
from designer.io.pods_io import load_pod_templates
from designer.io.resources import resources_dir
from designer.model.catalog import Catalog, CatalogEntry
from designer.model.pods import PodTemplate, place_pod
from designer.model.project import Project
from designer.model.records import DesignSettings, Hall
from designer.model.roles import COOLING_STAGE_BY_ROLE, HEAT_REJECTION_ROLES, POWER_STAGE_BY_ROLE
from designer.model.types import (
    ConnectionKind,
    CoolingMedium,
    FeedSide,
    ItemKind,
    Role,
)

REQUIRED_RACKS = (
    "rack.gb200_nvl72",
    "rack.gb200_nvl72_ai",
    "rack.gb300_nvl72",
    "rack.dgx_b200_x4",
    "rack.dgx_b300_x4",
    "rack.dgx_h100_x4",
    "rack.hgx_dlc_8node",
    "rack.inference_l40s",
    "rack.inference_l4",
    "rack.inference_h100_pcie",
    "rack.cpu_general",
    "rack.legacy_enterprise",
    "rack.storage",
    "rack.network_spine",
)
REQUIRED_POWER = (
    "elec.utility_40mw",
    "elec.utility_12mw",
    "elec.genset_2000kw",
    "elec.ats_4000a",
    "elec.mv_switchgear",
    "elec.xfmr_3000kva",
    "elec.xfmr_2500kva",
    "elec.lv_switchboard_4000a",
    "elec.ups_1250kw",
    "elec.ups_1250kw_eco",
    "elec.ups_500kw",
    "elec.floor_pdu_300kva",
    "elec.rpp_400a",
    "elec.busway_400a",
    "elec.busway_800a",
    "elec.busway_1250a",
    "elec.busway_1600a",
    "elec.rack_pdu_415v_32a",
    "elec.rack_pdu_415v_63a",
    "elec.rack_pdu_na415_60a",
    "elec.rack_pdu_208v_60a",
    "elec.orv3_power_shelf_33kw",
)
REQUIRED_COOLING = (
    "cool.crah_chw_150kw",
    "cool.crah_legacy_25kw",
    "cool.fanwall_400kw",
    "cool.inrow_cw_70kw",
    "cool.rdhx_active_60kw",
    "cool.rdhx_passive_25kw",
    "cool.cdu_inrack_150kw",
    "cool.cdu_inrow_1500kw",
    "cool.immersion_tank_100kw",
    "cool.chiller_aircooled_1500kw",
    "cool.chiller_wc_centrifugal_3mw",
    "cool.dry_cooler_1mw",
    "cool.adiabatic_cooler_1mw",
    "cool.cooling_tower_open_3mw",
)
REQUIRED_FLOOR = (
    "floor.hot_aisle_containment",
    "floor.cold_aisle_containment",
    "floor.wall_segment",
    "floor.column_600",
)
REQUIRED_IDS = REQUIRED_RACKS + REQUIRED_POWER + REQUIRED_COOLING + REQUIRED_FLOOR
REQUIRED_KIND = {
    **dict.fromkeys(REQUIRED_RACKS, ItemKind.RACK),
    **dict.fromkeys(REQUIRED_POWER, ItemKind.POWER),
    **dict.fromkeys(REQUIRED_COOLING, ItemKind.COOLING),
    **dict.fromkeys(REQUIRED_FLOOR, ItemKind.FLOOR),
}
REQUIRED_PODS = (
    "pod.nvl72_training_8",
    "pod.inference_l40s_20",
    "pod.cpu_storage_row",
    "pod.power_module_2n",
    "pod.cooling_module",
    "pod.retrofit_ai_row",
)
AIR_UNIT_ROLES = frozenset({Role.CRAH, Role.FAN_WALL, Role.IN_ROW, Role.REAR_DOOR})
OVERHEAD_ROLES = frozenset({Role.BUSWAY})
"""Drawn on the plan but hung above the racks, so they may overlap floor-standing items."""
SOURCE_TAG = re.compile(r"\[S[0-9A-Za-z-]+\]")
DERATING = DesignSettings().continuous_derating

Rect = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


@pytest.fixture(scope="module")
def templates(catalog: Catalog) -> dict[str, PodTemplate]:
    return dict(load_pod_templates(catalog, include_user=False))


def footprint(entry: CatalogEntry, x_mm: float, y_mm: float, rotation_deg: float) -> Rect:
    """Axis-aligned (x0, y0, x1, y1) of an item; only quarter turns are used in the bundled pods."""
    quarter = rotation_deg % 360.0
    assert quarter in (0.0, 90.0, 180.0, 270.0), f"rotation {rotation_deg} is not a quarter turn"
    w, d = (entry.depth_mm, entry.width_mm) if quarter in (90.0, 270.0) else (entry.width_mm, entry.depth_mm)
    return x_mm - w / 2, y_mm - d / 2, x_mm + w / 2, y_mm + d / 2


def overlaps(a: Rect, b: Rect) -> bool:
    """True when two rectangles share area (touching edges is fine)."""
    tolerance = 1e-6
    return a[0] < b[2] - tolerance and b[0] < a[2] - tolerance and a[1] < b[3] - tolerance and b[1] < a[3] - tolerance


def front_vector(rotation_deg: float) -> tuple[float, float]:
    """Direction the front faces: -y at rotation 0, turned clockwise in the y-down plan (as place_pod turns)."""
    angle = math.radians(rotation_deg)
    return round(math.sin(angle), 9), round(-math.cos(angle), 9)


def rack_heat_kw(entry: CatalogEntry, medium: CoolingMedium) -> float:
    share = entry.liquid_fraction if medium is CoolingMedium.LIQUID else 1.0 - entry.liquid_fraction
    return entry.capacity_kw * share


def pod_entries(template: PodTemplate, catalog: Catalog) -> dict[str, CatalogEntry]:
    return {item.key: catalog[item.catalog_id] for item in template.items}


def pod_racks(template: PodTemplate, catalog: Catalog) -> list[str]:
    return [item.key for item in template.items if catalog[item.catalog_id].is_rack]


def overlapping_pairs(rects: dict[str, Rect]) -> list[tuple[str, str]]:
    keys = sorted(rects)
    return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :] if overlaps(rects[a], rects[b])]


# ---------------------------------------------------------------------------------------------- catalog


def test_bundled_catalog_holds_every_required_entry(catalog: Catalog) -> None:
    missing = [catalog_id for catalog_id in REQUIRED_IDS if catalog_id not in catalog]
    assert missing == []
    wrong_kind = [cid for cid, kind in REQUIRED_KIND.items() if catalog[cid].kind is not kind]
    assert wrong_kind == []


def test_catalog_ids_are_unique_across_bundled_files() -> None:
    """A repeated id would silently override an earlier entry when the folder is loaded."""
    seen: dict[str, str] = {}
    duplicates = []
    for path in sorted((resources_dir() / "catalog").glob("*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            if raw["id"] in seen:
                duplicates.append((raw["id"], seen[raw["id"]], path.name))
            seen[raw["id"]] = path.name
    assert duplicates == []
    assert len(seen) >= len(REQUIRED_IDS)


def test_every_entry_cites_its_source(catalog: Catalog) -> None:
    for entry in catalog.values():
        assert entry.source.strip(), entry.id
        assert entry.confidence is not None, entry.id
        assert SOURCE_TAG.search(entry.source) or "(E)" in entry.source, f"{entry.id}: no [S#] tag nor (E)"
        if entry.confidence.value == "E":
            assert "(E)" in entry.source, f"{entry.id}: an estimate must say (E) in its source"
        assert entry.id.split(".")[0] in {"rack", "elec", "cool", "floor"}, entry.id


def test_racks_have_physical_figures_and_a_workload(catalog: Catalog) -> None:
    racks = catalog.by_kind(ItemKind.RACK)
    assert {entry.id for entry in racks} >= set(REQUIRED_RACKS)
    for entry in racks:
        assert entry.role is Role.RACK, entry.id
        assert entry.capacity_kw > 0, entry.id
        assert entry.width_mm > 0 and entry.depth_mm > 0, entry.id
        assert entry.weight_kg > 0, entry.id
        assert entry.workload is not None, entry.id
        assert 0.0 <= entry.liquid_fraction <= 1.0, entry.id
        if entry.liquid_fraction_range is not None:
            low, high = entry.liquid_fraction_range
            assert 0.0 <= low <= entry.liquid_fraction <= high <= 1.0, entry.id


def test_reference_figures_of_key_racks(catalog: Catalog) -> None:
    nvl72 = catalog["rack.gb200_nvl72"]
    assert (nvl72.capacity_kw, nvl72.width_mm, nvl72.depth_mm, nvl72.weight_kg) == (132, 600, 1068, 1360)
    assert nvl72.workload is not None and nvl72.workload.value == "training"
    assert nvl72.liquid_fraction == pytest.approx(0.85)
    assert nvl72.liquid_fraction_range == (0.80, 0.95)
    assert catalog["rack.gb200_nvl72_ai"].workload.value == "ai"  # type: ignore[union-attr]
    assert (catalog["rack.gb300_nvl72"].capacity_kw, catalog["rack.gb300_nvl72"].depth_mm) == (140, 1200)
    assert catalog["rack.dgx_b200_x4"].capacity_kw == pytest.approx(4 * 14.3)
    assert catalog["rack.dgx_h100_x4"].capacity_kw == pytest.approx(4 * 10.2)
    assert catalog["rack.inference_l40s"].workload.value == "inference"  # type: ignore[union-attr]
    assert catalog["rack.network_spine"].width_mm == 800
    for air_rack in ("rack.dgx_b200_x4", "rack.dgx_h100_x4", "rack.inference_l40s", "rack.cpu_general"):
        assert catalog[air_rack].liquid_fraction == 0.0, air_rack


def test_default_capacity_lies_inside_its_range(catalog: Catalog) -> None:
    with_range = [entry for entry in catalog.values() if entry.capacity_range_kw is not None]
    assert len(with_range) >= 15
    for entry in with_range:
        low, high = entry.capacity_range_kw  # type: ignore[misc]
        assert low <= entry.capacity_kw <= high, entry.id


def test_power_chain_entries_have_a_loss_model(catalog: Catalog) -> None:
    power_chain = [e for e in catalog.values() if e.role in POWER_STAGE_BY_ROLE and e.role is not Role.RACK]
    assert {e.id for e in power_chain} >= set(REQUIRED_POWER)
    for entry in power_chain:
        assert entry.kind is ItemKind.POWER, entry.id
        assert entry.loss is not None, entry.id
        assert entry.capacity_kw > 0, entry.id
        # no stage in the chain loses more than 5 % at full load
        assert entry.loss.loss_kw(entry.capacity_kw, entry.capacity_kw) <= 0.05 * entry.capacity_kw, entry.id
    sources = [e for e in power_chain if e.role in (Role.UTILITY, Role.GENERATOR)]
    assert sources and all(e.parameters.get("indoor") is False for e in sources)


def test_cooling_entries_carry_what_the_analysis_reads(catalog: Catalog) -> None:
    cooling = [e for e in catalog.values() if e.role in COOLING_STAGE_BY_ROLE and e.role is not Role.RACK]
    assert {e.id for e in cooling} >= set(REQUIRED_COOLING)
    for entry in cooling:
        assert entry.kind is ItemKind.COOLING, entry.id
        assert entry.medium is not None, entry.id
        assert entry.capacity_kw > 0, entry.id
        if entry.role in AIR_UNIT_ROLES:
            assert entry.medium is CoolingMedium.AIR, entry.id
            assert 0.0 <= entry.number("fan_kw_per_kw", -1.0) <= 0.2, entry.id
        if entry.role in (Role.CDU, Role.IMMERSION_TANK):
            assert entry.medium is CoolingMedium.LIQUID, entry.id
            assert 0.0 < entry.number("pump_kw_per_kw", -1.0) <= 0.05, entry.id
            assert entry.number("approach_k", -1.0) > 0, entry.id
        if entry.role in HEAT_REJECTION_ROLES:
            assert entry.medium is CoolingMedium.LIQUID, entry.id
            assert entry.parameters.get("sink") in ("dry_bulb", "wet_bulb"), entry.id
            assert entry.number("approach_k", -1.0) > 0, entry.id
            assert isinstance(entry.parameters.get("free_cooling"), bool), entry.id
            if entry.parameters["free_cooling"]:
                assert 0.0 < entry.number("fan_kw_per_kw", -1.0) <= 0.05, entry.id
        if entry.role in (Role.CHILLER_AIR, Role.CHILLER_WATER):
            assert entry.number("cop_mechanical", 0.0) > 1.0, entry.id
    assert catalog["cool.dry_cooler_1mw"].parameters["sink"] == "dry_bulb"
    assert catalog["cool.cooling_tower_open_3mw"].parameters["sink"] == "wet_bulb"
    assert catalog["cool.chiller_wc_centrifugal_3mw"].parameters["free_cooling"] is False


def test_floor_elements_have_footprints(catalog: Catalog) -> None:
    for entry in catalog.by_kind(ItemKind.FLOOR):
        assert entry.role in (Role.CONTAINMENT, Role.WALL, Role.COLUMN), entry.id
        assert entry.width_mm > 0 and entry.depth_mm > 0, entry.id


def test_ups_loss_curve_matches_the_hand_worked_figures(catalog: Catalog) -> None:
    ups = catalog["elec.ups_1250kw"]
    assert ups.capacity_kw == 1250 and ups.loss is not None
    # 50 % load: 0.012*1250 + 0.015*625 + 0.008*625^2/1250 = 15 + 9.375 + 2.5
    loss_kw = ups.loss.loss_kw(625, ups.capacity_kw)
    assert loss_kw == pytest.approx(26.875)
    assert 625 / (625 + loss_kw) == pytest.approx(0.959, abs=0.0005)
    # 20 % load: 15 + 3.75 + 0.4 = 19.15 kW -> 92.9 %; 100 %: 15 + 18.75 + 10 = 43.75 kW -> 96.6 % (s5.3)
    loss_20_kw = ups.loss.loss_kw(250, 1250)
    assert loss_20_kw == pytest.approx(19.15)
    assert 250 / (250 + loss_20_kw) == pytest.approx(0.929, abs=0.0005)
    assert 1250 / (1250 + ups.loss.loss_kw(1250, 1250)) == pytest.approx(0.966, abs=0.0005)


def test_transformer_loss_curve_matches_the_hand_worked_figures(catalog: Catalog) -> None:
    transformer = catalog["elec.xfmr_3000kva"]
    assert transformer.capacity_kw == pytest.approx(3000 * 0.95)
    assert transformer.parameters["kva"] == 3000
    assert transformer.loss is not None
    # 50 %: 0.0025*2850 + 0.009*1425^2/2850 = 7.125 + 6.4125 = 13.5375 kW -> 99.1 % (s5.3)
    loss_kw = transformer.loss.loss_kw(1425, 2850)
    assert loss_kw == pytest.approx(13.5375)
    assert 1425 / (1425 + loss_kw) == pytest.approx(0.991, abs=0.0005)


def test_eco_mode_ups_is_flagged_and_keeps_the_double_conversion_curve(catalog: Catalog) -> None:
    """The README says the analysis divides UPS losses by 3 when eco_mode is true, so the curve is not pre-divided."""
    eco, normal = catalog["elec.ups_1250kw_eco"], catalog["elec.ups_1250kw"]
    assert eco.parameters["eco_mode"] is True
    assert normal.parameters["eco_mode"] is False
    assert eco.loss == normal.loss
    assert eco.loss is not None
    eco_loss_kw = eco.loss.loss_kw(625, 1250) / 3  # 8.958 kW -> 98.6 % at 50 % (s5.3)
    assert 625 / (625 + eco_loss_kw) == pytest.approx(0.986, abs=0.0005)


# ---------------------------------------------------------------------------------------------- broken documents


def _good_entry() -> dict[str, object]:
    return {
        "id": "rack.test",
        "kind": "rack",
        "role": "rack",
        "name": "Test rack",
        "width_mm": 600,
        "depth_mm": 1200,
        "capacity_kw": 10,
        "workload": "general",
        "source": "[S1] test",
        "confidence": "E",
    }


def _document(*entries: dict[str, object]) -> dict[str, object]:
    return {"format": "dc-designer-catalog", "schema_version": 1, "entries": list(entries)}


def test_a_good_document_reads() -> None:
    entries = read_catalog_document(_document(_good_entry()))
    assert [entry.id for entry in entries] == ["rack.test"]


@pytest.mark.parametrize(
    ("field", "value", "json_path", "problem_mentions"),
    [
        ("source", "", "$.entries[1].source", "empty"),
        ("source", None, "$.entries[1]", "'source'"),
        ("width_mm", -600, "$.entries[1].width_mm", "minimum"),
        ("role", "teleporter", "$.entries[1].role", "teleporter"),
        ("confidence", "X", "$.entries[1].confidence", "'X'"),
        ("workload", "mining", "$.entries[1].workload", "mining"),
        ("capacity_range_kw", [25, 15], "$.entries[1].capacity_range_kw", "reversed"),
        ("liquid_fraction", 1.5, "$.entries[1].liquid_fraction", "maximum"),
        ("loss", {"fixed": 0.9}, "$.entries[1].loss.fixed", "maximum"),
        ("colour", "red", "$.entries[1]", "'colour'"),
    ],
)
def test_a_broken_entry_is_reported_at_its_field(
    field: str, value: object, json_path: str, problem_mentions: str
) -> None:
    broken = _good_entry()
    if value is None:
        del broken[field]
    else:
        broken[field] = value
    with pytest.raises(CatalogFileError) as raised:
        read_catalog_document(_document(_good_entry(), broken))
    assert raised.value.json_path == json_path
    assert problem_mentions in raised.value.problem


def test_a_broken_bundled_entry_is_caught(tmp_path: Path) -> None:
    """Damage a real bundled entry: the reader must point at it, not accept it."""
    document = json.loads((resources_dir() / "catalog" / "power.json").read_text(encoding="utf-8"))
    damaged = copy.deepcopy(document)
    index = next(i for i, raw in enumerate(damaged["entries"]) if raw["id"] == "elec.ups_1250kw")
    damaged["entries"][index]["source"] = "   "
    with pytest.raises(CatalogFileError) as raised:
        read_catalog_document(damaged, file=tmp_path / "power.json")
    assert raised.value.json_path == f"$.entries[{index}].source"
    assert raised.value.file is not None and raised.value.file.endswith("power.json")


# ---------------------------------------------------------------------------------------------- pod templates


def test_every_pod_template_loads_against_the_catalog(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    assert set(REQUIRED_PODS) <= set(templates)
    for template in templates.values():
        assert template.name and template.description and template.source, template.id
        assert SOURCE_TAG.search(template.source) or "(E)" in template.source, template.id
        assert template.items, template.id
        for item in template.items:
            assert item.catalog_id in catalog, (template.id, item.key)


def test_pod_connections_follow_the_chains(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    for template in templates.values():
        entries = pod_entries(template, catalog)
        seen = set()
        for link in template.connections:
            source, target = entries[link.source_key], entries[link.target_key]
            assert (link.kind, link.source_key, link.target_key, link.feed) not in seen, (template.id, link)
            seen.add((link.kind, link.source_key, link.target_key, link.feed))
            if link.kind is ConnectionKind.POWER:
                assert source.role in POWER_STAGE_BY_ROLE and target.role in POWER_STAGE_BY_ROLE, link
                assert POWER_STAGE_BY_ROLE[source.role] <= POWER_STAGE_BY_ROLE[target.role], link
            else:
                assert source.role in COOLING_STAGE_BY_ROLE and target.role in COOLING_STAGE_BY_ROLE, link
                assert COOLING_STAGE_BY_ROLE[source.role] < COOLING_STAGE_BY_ROLE[target.role], link
                assert link.medium is source.medium, (template.id, link)


@pytest.mark.parametrize(
    "pod_id", ["pod.nvl72_training_8", "pod.inference_l40s_20", "pod.cpu_storage_row", "pod.retrofit_ai_row"]
)
def test_every_rack_is_dual_corded_and_cooled(pod_id: str, templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    template = templates[pod_id]
    entries = pod_entries(template, catalog)
    feeds: dict[str, set[FeedSide]] = defaultdict(set)
    media: dict[str, set[CoolingMedium]] = defaultdict(set)
    for link in template.connections:
        if link.kind is ConnectionKind.POWER:
            feeds[link.target_key].add(link.feed)
        else:
            media[link.target_key].add(link.medium)
    racks = pod_racks(template, catalog)
    assert racks
    for key in racks:
        assert feeds[key] == {FeedSide.A, FeedSide.B}, (pod_id, key)
        assert media[key], (pod_id, key)
        if entries[key].liquid_fraction > 0:
            assert media[key] == {CoolingMedium.LIQUID, CoolingMedium.AIR}, (pod_id, key)
        else:
            assert media[key] == {CoolingMedium.AIR}, (pod_id, key)


def test_training_and_inference_pods_have_their_counts(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    training = templates["pod.nvl72_training_8"]
    assert [catalog[i.catalog_id].id for i in training.items].count("rack.gb200_nvl72") == 8
    inference = templates["pod.inference_l40s_20"]
    assert [i.catalog_id for i in inference.items].count("rack.inference_l40s") == 20
    for template in (training, inference):
        roles = [catalog[i.catalog_id].role for i in template.items]
        assert Role.CONTAINMENT in roles, template.id
        assert roles.count(Role.BUSWAY) >= 2, template.id
    power_module = templates["pod.power_module_2n"]
    assert sorted(catalog[i.catalog_id].role.value for i in power_module.items) == sorted(
        ["transformer", "transformer", "lv_switchboard", "lv_switchboard", "ups", "ups"]
    )


def test_inference_pod_air_cooling_survives_one_unit_out(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    template = templates["pod.inference_l40s_20"]
    units = [catalog[i.catalog_id].capacity_kw for i in template.items if i.group == "inrow"]
    racks = [catalog[i.catalog_id] for i in template.items if catalog[i.catalog_id].is_rack]
    design_heat_kw = sum(rack.capacity_kw * (1.0 - rack.liquid_fraction) for rack in racks)
    assert design_heat_kw == pytest.approx(400.0)
    assert sum(units) - max(units) >= design_heat_kw


def test_every_redundancy_group_survives_one_unit_out(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    """For each cooling group: capacity without its largest unit covers the heat of the racks it serves."""
    checked = 0
    for template in templates.values():
        entries = pod_entries(template, catalog)
        groups: dict[str, list[str]] = defaultdict(list)
        for item in template.items:
            if item.group:
                groups[item.group].append(item.key)
        for group, members in groups.items():
            served = {
                (link.target_key, link.medium)
                for link in template.connections
                if link.kind is ConnectionKind.COOLING and link.source_key in members
            }
            if not served:
                continue  # heat-rejection groups feed equipment outside the pod
            assert len(members) >= 2, (template.id, group)
            capacities = [entries[key].capacity_kw for key in members]
            heat_kw = sum(rack_heat_kw(entries[key], medium) for key, medium in served)
            assert sum(capacities) - max(capacities) >= heat_kw, (template.id, group, heat_kw)
            checked += 1
    assert checked >= 4


def test_each_feed_alone_carries_what_it_serves(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    """2N: every busway/RPP must carry all the racks it feeds (the other side may be down), derated to 80 %."""
    checked = 0
    for template in templates.values():
        entries = pod_entries(template, catalog)
        served: dict[str, float] = defaultdict(float)
        for link in template.connections:
            if link.kind is ConnectionKind.POWER and entries[link.target_key].is_rack:
                served[link.source_key] += entries[link.target_key].capacity_kw
        for source_key, load_kw in served.items():
            assert entries[source_key].capacity_kw * DERATING >= load_kw, (template.id, source_key, load_kw)
            checked += 1
    assert checked >= 8


def test_power_module_is_wired_per_side(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    template = templates["pod.power_module_2n"]
    entries = pod_entries(template, catalog)
    links = {(link.source_key, link.target_key) for link in template.connections if link.kind is ConnectionKind.POWER}
    for side in ("A", "B"):
        chain = [key for key in entries if key.endswith(side)]
        roles = {entries[key].role: key for key in chain}
        assert set(roles) == {Role.TRANSFORMER, Role.LV_SWITCHBOARD, Role.UPS}, side
        assert (roles[Role.TRANSFORMER], roles[Role.LV_SWITCHBOARD]) in links
        assert (roles[Role.LV_SWITCHBOARD], roles[Role.UPS]) in links
    assert not any(a[-1] != b[-1] for a, b in links), "no cross-connection between sides A and B"


def test_pod_footprints_do_not_overlap(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    for template in templates.values():
        floor: dict[str, Rect] = {}
        overhead: dict[str, Rect] = {}
        for item in template.items:
            entry = catalog[item.catalog_id]
            rect = footprint(entry, item.x_mm, item.y_mm, item.rotation_deg)
            if entry.role in OVERHEAD_ROLES:
                overhead[item.key] = rect
            elif entry.width_mm > 0 and entry.depth_mm > 0:
                floor[item.key] = rect
        assert overlapping_pairs(floor) == [], template.id
        assert overlapping_pairs(overhead) == [], template.id


def test_busways_run_over_the_racks_they_feed(templates: dict[str, PodTemplate], catalog: Catalog) -> None:
    checked = 0
    for template in templates.values():
        items = {item.key: item for item in template.items}
        for link in template.connections:
            source = items[link.source_key]
            if catalog[source.catalog_id].role is not Role.BUSWAY:
                continue
            run = footprint(catalog[source.catalog_id], source.x_mm, source.y_mm, source.rotation_deg)
            target = items[link.target_key]
            rack = footprint(catalog[target.catalog_id], target.x_mm, target.y_mm, target.rotation_deg)
            assert run[0] <= rack[0] and rack[2] <= run[2], (template.id, link)  # along the run
            assert rack[1] <= source.y_mm <= rack[3], (template.id, link)  # above the rack
            checked += 1
    assert checked >= 2 * (8 + 20)


@pytest.mark.parametrize(
    ("pod_id", "containment_id", "face"),
    [
        ("pod.nvl72_training_8", "floor.hot_aisle_containment", "rear"),
        ("pod.inference_l40s_20", "floor.cold_aisle_containment", "front"),
    ],
)
def test_two_rows_share_a_contained_aisle(
    pod_id: str, containment_id: str, face: str, templates: dict[str, PodTemplate], catalog: Catalog
) -> None:
    template = templates[pod_id]
    containment = [item for item in template.items if item.catalog_id == containment_id]
    assert containment
    aisle_y = containment[0].y_mm
    assert all(item.y_mm == aisle_y for item in containment)
    lower_edges, upper_edges = [], []
    for item in template.items:
        entry = catalog[item.catalog_id]
        if not entry.is_rack:
            continue
        fx, fy = front_vector(item.rotation_deg)
        towards_aisle = math.copysign(1.0, aisle_y - item.y_mm)
        facing = fy * towards_aisle if face == "front" else -fy * towards_aisle
        assert fx == 0 and facing > 0, (pod_id, item.key, item.rotation_deg)
        rect = footprint(entry, item.x_mm, item.y_mm, item.rotation_deg)
        if item.y_mm < aisle_y:
            lower_edges.append(rect[3])
        else:
            upper_edges.append(rect[1])
    assert lower_edges and upper_edges, "two rows, one on each side of the aisle"
    assert min(upper_edges) - max(lower_edges) >= DesignSettings().min_aisle_mm
    # the containment runs the length of the racks' aisle
    xs = [footprint(catalog[i.catalog_id], i.x_mm, i.y_mm, i.rotation_deg) for i in containment]
    rack_xs = [
        footprint(catalog[i.catalog_id], i.x_mm, i.y_mm, i.rotation_deg)
        for i in template.items
        if catalog[i.catalog_id].is_rack
    ]
    assert min(r[0] for r in xs) <= min(r[0] for r in rack_xs)
    assert max(r[2] for r in xs) >= max(r[2] for r in rack_xs)


@pytest.mark.parametrize("rotation_deg", [0.0, 90.0, 270.0])
def test_placing_every_pod_into_a_project(
    rotation_deg: float, templates: dict[str, PodTemplate], catalog: Catalog
) -> None:
    project = Project()
    hall = Hall("hall-1", "Hall 1", ((0.0, 0.0), (120_000.0, 0.0), (120_000.0, 120_000.0), (0.0, 120_000.0)))
    project.add_hall(hall)
    for index, template in enumerate(sorted(templates.values(), key=lambda t: t.id)):
        centre = (20_000.0 + 25_000.0 * (index % 4), 20_000.0 + 30_000.0 * (index // 4))
        placed = place_pod(
            template, hall_id=hall.id, x_mm=centre[0], y_mm=centre[1], rotation_deg=rotation_deg, new_id=project.new_id
        )
        project.add_pod(placed.pod)
        project.add_items(placed.items)
        project.add_connections(placed.connections)
        pod_items = project.items_in_pod(placed.pod.id)
        assert len(pod_items) == len(template.items)
        assert len(placed.connections) == len(template.connections)
        floor: dict[str, Rect] = {}
        for item in pod_items:
            entry = catalog[item.catalog_id]
            rect = footprint(entry, item.x_mm, item.y_mm, item.rotation_deg)
            x0, y0, x1, y1 = hall.bounds_mm()
            assert x0 <= rect[0] and rect[2] <= x1 and y0 <= rect[1] and rect[3] <= y1, item.id
            if entry.role not in OVERHEAD_ROLES and entry.width_mm > 0 and entry.depth_mm > 0:
                floor[item.id] = rect
        assert overlapping_pairs(floor) == [], (template.id, rotation_deg)
        for connection in placed.connections:
            assert project.items[connection.source_id].pod_id == placed.pod.id
            assert project.items[connection.target_id].pod_id == placed.pod.id
    assert len(project.pods) == len(templates)
    assert len(project.items) == sum(len(t.items) for t in templates.values())
    assert len(project.connections) == sum(len(t.connections) for t in templates.values())
