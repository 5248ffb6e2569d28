"""A hall from a DCIM inventory: the NetBox demo data and the RacksDB examples build halls; hostile inputs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from designer.io.catalog_io import load_catalog
from designer.io.dcim_import import DcimImportError, apply_dcim, import_dcim, revert_dcim
from designer.io.project_file import load_project, project_from_text, project_to_text
from designer.io.resources import examples_dir
from designer.model.catalog import Catalog
from designer.model.project import Project
from designer.model.types import ConnectionKind, FeedSide

DATA = Path(__file__).resolve().parents[1] / "data" / "dcim"
NETBOX = DATA / "netbox-demo-v3.6-dcim-power-subset.json"
RACKSDB = DATA / "racksdb"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def project(catalog: Catalog) -> Project:
    return load_project(examples_dir() / "ai_hall.dcplan", catalog)


def racks_of(imported, hall_id: str) -> list:  # type: ignore[no-untyped-def]
    return [item for item in imported.items if item.catalog_id.startswith("dcim.rack-") and item.hall_id == hall_id]


def test_netbox_demo_builds_the_mdf_hall(catalog: Catalog) -> None:
    target = project(catalog)
    before = target.state()
    imported = import_dcim(NETBOX, target, catalog)
    racks = racks_of(imported, imported.hall.id)
    assert imported.hall.name == "MDF (NetBox)"
    assert len(racks) == 26  # 24 in Row 1-3 + 2 without a location (SOURCES.md ground truth)
    pdus = [item for item in imported.items if item.catalog_id == "elec.rack_pdu_208v_60a"]
    panels = [item for item in imported.items if item.catalog_id == "elec.rpp_400a"]
    assert len(pdus) == 48 and len(panels) == 4
    # every feed: 220 V x 20 A = 4,400 W nameplate (its available power 3,520 W is that at 80 %)
    assert {pdu.design_kw for pdu in pdus} == {4.4}
    sides = [c.feed for c in imported.connections if c.kind is ConnectionKind.POWER and c.target_id in
             {rack.id for rack in racks}]  # fmt: skip
    assert sides.count(FeedSide.A) == 24 and sides.count(FeedSide.B) == 24
    # racks whose devices give no draw: their primary feed's 3.52 kW; the two unfed racks: the planning 10 kW
    assert sorted({rack.design_kw for rack in racks}) == [3.52, 10.0]
    row1 = sorted((rack for rack in racks if rack.label.startswith("R1")), key=lambda r: r.x_mm)
    assert [rack.label for rack in row1] == [f"R10{n}" for n in range(1, 9)]
    assert {rack.y_mm for rack in row1} == {row1[0].y_mm}
    text = "\n".join(imported.report_lines())
    assert "16 racks at 16 other sites" in text and "nothing upstream of the power panels" in text
    apply_dcim(target, imported)
    reloaded = project_from_text(project_to_text(target), catalog)  # a file the app opens again
    assert reloaded.items == target.items
    revert_dcim(target, imported)
    assert target.state()[3:6] == before[3:6]


def test_netbox_site_choice_and_rest_format(catalog: Catalog, tmp_path: Path) -> None:
    imported = import_dcim(NETBOX, project(catalog), catalog, site="DM-Akron")
    assert len(racks_of(imported, imported.hall.id)) == 1
    with pytest.raises(DcimImportError, match="no site 'Nowhere'"):
        import_dcim(NETBOX, project(catalog), catalog, site="Nowhere")
    rest = {
        "sites": {"results": [{"id": 1, "name": "Lab"}]},
        "racks": [{"id": 7, "name": "A1", "site": {"id": 1, "name": "Lab"}, "u_height": 42,
                   "outer_width": 800, "outer_depth": 1200, "outer_unit": {"value": "mm", "label": "Millimeters"}}],
        "power-panels": [{"id": 3, "name": "PP", "site": {"id": 1}}],
        "power-feeds": [{"id": 4, "name": "F", "rack": {"id": 7}, "power_panel": {"id": 3},
                         "type": {"value": "primary", "label": "Primary"}, "voltage": 230, "amperage": 32,
                         "phase": {"value": "three-phase", "label": "Three-phase"}, "max_utilization": 80}],
    }  # fmt: skip
    path = tmp_path / "rest.json"
    path.write_text(json.dumps(rest), encoding="utf-8")
    imported = import_dcim(path, project(catalog), catalog)
    (rack,) = racks_of(imported, imported.hall.id)
    assert rack.catalog_id == "dcim.rack-800x1200-42u"
    # the rack's design: the feed's available power, 230 V x 32 A x sqrt(3) x 0.8 = 10,198 W
    assert rack.design_kw == pytest.approx(230 * 32 * math.sqrt(3) * 0.8 / 1000, abs=1e-3)


def test_racksdb_paris_room_places_53_racks_by_the_positioning_rules(catalog: Catalog) -> None:
    imported = import_dcim(RACKSDB / "examples" / "db", project(catalog), catalog)
    racks = racks_of(imported, imported.hall.id)
    assert imported.hall.name == "paris noisy (RacksDB)" and len(racks) == 53
    assert imported.hall.bounds_mm() == (0, 0, 14_000, 25_000)
    by_label = {rack.label: rack for rack in racks}
    # R1 at (3 m, 4 m), no rotation: R1-A01's centre is half a rack (300 mm) and half a depth (457 mm) in;
    # doors toward the room's bottom = app rotation 180
    first = by_label["R1-A01"]
    assert (first.x_mm, first.y_mm, first.rotation_deg) == (3300, 4457, 180)
    assert by_label["R1-A10"].x_mm == 3000 + 9 * 600 + 300
    # R3: 5 racks from slot 2, then 4 from slot 9 (gaps of empty slots 0-1 and 7-8)
    assert by_label["R3-A01"].x_mm == 3000 + 2 * 600 + 300 and by_label["R3-A07"].x_mm == 3000 + 9 * 600 + 300
    # R4 at (3 m, 12 m) rotated 90 clockwise, reversed: along +y; local (300, 457) -> (3000 - 457, 12000 + 300)
    r4 = by_label["R4-A01"]
    assert (r4.x_mm, r4.y_mm, r4.rotation_deg) == (2543, 12300, 90)
    assert "2 other rooms" in "\n".join(imported.report_lines())
    assert "3 infrastructure files" in "\n".join(imported.skipped)


def test_racksdb_london_and_the_howto_example(catalog: Catalog) -> None:
    london = import_dcim(RACKSDB / "examples" / "db" / "datacenters" / "london.yml", project(catalog), catalog,
                         site="level2")  # fmt: skip
    assert london.hall.name == "london level2 (RacksDB)" and len(racks_of(london, london.hall.id)) == 24
    howto = import_dcim(RACKSDB / "docs" / "modules" / "db" / "examples" / "datacenter.yml", project(catalog), catalog)
    assert len(racks_of(howto, howto.hall.id)) == 18  # R4 is 4 racks in the YAML (its prose says 6)
    assert any("documented defaults" in line for line in howto.assumed)


def test_hostile_inventories(catalog: Catalog, tmp_path: Path) -> None:
    cases = {
        "tag.yml": "rooms: !!python/object/apply:os.system ['true']\n",
        "range.yml": "rooms:\n- name: r\n  rows:\n  - name: a\n    racks:\n    - name: x[0-99999999]\n",
        "length.yml": "rooms:\n- name: r\n  dimensions: {width: 5 parsecs, depth: 1m}\n",
        "empty.json": "[]",
        "object.json": '{"hello": 1}',
        "deep.json": "[" * 100 + "]" * 100,
        "notes.txt": "",
    }
    expected = {
        "tag.yml": "safe YAML", "range.yml": "longer than", "length.yml": "not a length", "empty.json": "no racks",
        "object.json": "not NetBox data", "deep.json": "nested too deeply", "notes.txt": "not an inventory",
    }  # fmt: skip
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DcimImportError, match=expected[name]) as caught:
            import_dcim(path, project(catalog), catalog)
        assert str(caught.value).startswith(str(path)) or name in str(caught.value)


@pytest.mark.parametrize("model", ["dcim.rack", "dcim.device", "dcim.powerfeed", "dcim.powerpanel",
                                   "dcim.powerport", "dcim.site", "dcim.location"])  # fmt: skip
def test_odd_field_values_give_a_hall_or_a_clear_error(catalog: Catalog, model: str) -> None:
    from designer.io.dcim_import import _netbox, _netbox_records

    document = json.loads(NETBOX.read_text(encoding="utf-8"))
    target = project(catalog)
    index = next(i for i, record in enumerate(document) if record["model"] == model and
                 (model != "dcim.rack" or record["fields"]["name"] == "R101"))  # fmt: skip
    odd_values: list[object] = [None, "x", -1, 1e308, [], True, "\u202e<b>"]
    for field_name in list(document[index]["fields"]):
        for value in odd_values:
            changed = list(document)  # only the record under test is copied
            changed[index] = {**document[index], "fields": {**document[index]["fields"], field_name: value}}
            try:
                imported = _netbox(_netbox_records(changed, NETBOX), target, catalog, NETBOX, None)
            except DcimImportError:
                continue
            assert imported.items and all(item.label.isprintable() for item in imported.items)
            for item in imported.items:
                assert item.design_kw is None or 0 <= item.design_kw <= 10_000, (field_name, value, item)


def test_odd_racksdb_values_give_a_hall_or_a_clear_error(catalog: Catalog, tmp_path: Path) -> None:
    import yaml

    from designer.io.dcim_import import _racksdb, _racksdb_rooms

    source = RACKSDB / "examples" / "db" / "datacenters" / "paris.yml"
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    odd_values: list[object] = [None, "x", -1, 1e308, [], {"a": 1}, True, "99 km", [{"name": 5}]]
    target = project(catalog)
    row = document["rooms"][0]["rows"][1]
    for where, keys in ((row, list(row)), (row["position"], ["width", "depth", "rotation"]),
                        (row["racks"][1], list(row["racks"][1])), (document["rooms"][0], ["dimensions", "rows"])):
        for key in keys:
            for value in odd_values:
                saved = where.get(key)
                where[key] = value
                try:
                    rooms = _racksdb_rooms(document, source, "paris", None, None)
                    imported = _racksdb(rooms, target, catalog, str(source))
                except DcimImportError:
                    continue
                finally:
                    where[key] = saved
                assert all(abs(item.x_mm) <= 10_000_000 and abs(item.y_mm) <= 10_000_000 for item in imported.items)
