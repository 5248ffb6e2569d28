"""Placed items as a table: export, import through a mapping, round trip, and hostile tables."""

from __future__ import annotations

import codecs
import json
import math
from pathlib import Path

import pytest

from designer.analysis.engine import analyze
from designer.analysis.report_json import results_to_json
from designer.io.catalog_io import load_catalog
from designer.io.export_bom import bill_of_materials, write_bom_xlsx
from designer.io.items_csv import (
    EXPORT_HEADER,
    apply_import,
    escape_cell,
    guess_mapping,
    guess_unit,
    items_csv_bytes,
    plan_import,
    problem_lines,
    revert_import,
    write_items_xlsx,
)
from designer.io.project_file import load_project, project_from_text, project_to_text
from designer.io.resources import examples_dir
from designer.io.table_read import MAX_TABLE_ROWS, TableFileError, read_csv_bytes, read_table
from designer.model.catalog import Catalog, merged_catalog
from designer.model.project import Project


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def ai_hall(catalog: Catalog) -> Project:
    return load_project(examples_dir() / "ai_hall.dcplan", catalog)


def empty_copy(project: Project, catalog: Catalog) -> Project:
    """The same halls, pods, scenarios, settings and catalog; no items, no connections."""
    copy = project_from_text(project_to_text(project), catalog)
    copy.remove_items(list(copy.items))
    assert not copy.items and not copy.connections and copy.halls
    return copy


def analysis_json(project: Project, catalog: Catalog) -> str:
    return json.dumps(results_to_json(analyze(project, merged_catalog(catalog, project.custom_catalog))),
                      sort_keys=True)  # fmt: skip


def import_into(project: Project, catalog: Catalog, table_path: Path) -> None:
    table = read_table(table_path)
    mapping = guess_mapping(table.header)
    plan = plan_import(table, mapping, project, merged_catalog(catalog, project.custom_catalog),
                       unit=guess_unit(table.header, mapping))  # fmt: skip
    assert problem_lines(plan) == []
    apply_import(project, plan)


def test_csv_round_trip_of_the_ai_hall_gives_the_same_analysis(catalog: Catalog, tmp_path: Path) -> None:
    original = ai_hall(catalog)
    path = tmp_path / "items.csv"
    path.write_bytes(items_csv_bytes(original))
    copy = empty_copy(original, catalog)
    import_into(copy, catalog, path)
    assert copy.items == original.items  # every field of every item, in the same order
    assert len(copy.connections) == len(original.connections) == 2562
    assert analysis_json(copy, catalog) == analysis_json(original, catalog)


def test_the_bom_workbook_items_sheet_reads_back_unchanged(catalog: Catalog, tmp_path: Path) -> None:
    original = ai_hall(catalog)
    path = tmp_path / "bom.xlsx"
    write_bom_xlsx(bill_of_materials(original, catalog), path, items_of=original)
    copy = empty_copy(original, catalog)
    import_into(copy, catalog, path)
    assert copy.items == original.items
    assert {(c.source_id, c.target_id, c.kind, c.feed, c.medium) for c in copy.connections.values()} == {
        (c.source_id, c.target_id, c.kind, c.feed, c.medium) for c in original.connections.values()}


def test_import_is_one_change_that_reverts(catalog: Catalog) -> None:
    project = ai_hall(catalog)
    before = project.state()
    text = ("Id,Type,X m,Y m,Label,Feeds\nnew-1,rack.cpu_general,50,60,=1+1,upsA-1 (A)\n"
            "rack-1,rack.gb200_nvl72,4,3.1,R01b,\n")
    table = read_csv_bytes(text.encode(), file="t.csv")
    mapping = guess_mapping(table.header)
    assert guess_unit(table.header, mapping) == "m"
    plan = plan_import(table, mapping, project, merged_catalog(catalog, project.custom_catalog), unit="m")
    assert problem_lines(plan) == []
    assert [item.id for item in plan.add] == ["new-1"] and [item.id for item in plan.update] == ["rack-1"]
    assert plan.add[0].x_mm == 50_000 and plan.add[0].label == "=1+1"  # a formula stays text
    assert len(plan.remove_connections) == 8  # rack-1's supplies: an empty feeds cell says it has none now
    apply_import(project, plan)
    assert project.items["rack-1"].label == "R01b" and project.items["rack-1"].x_mm == 4000
    revert_import(project, plan)
    assert project.state() == before


def test_an_update_keeps_what_the_table_has_no_column_for(catalog: Catalog) -> None:
    project = ai_hall(catalog)
    cdu = project.items["cdu-1"]
    assert cdu.group == "pod-1/cdu" and cdu.pod_id == "pod-1"
    table = read_csv_bytes(b"id,catalog_id,x,y\ncdu-1,cool.cdu_inrow_1500kw,3100,3000\n", file="t.csv")
    plan = plan_import(table, guess_mapping(table.header), project, catalog)
    (moved,) = plan.update
    assert moved.x_mm == 3100 and (moved.group, moved.pod_id, moved.label) == ("pod-1/cdu", "pod-1", "CDU-1")
    assert not plan.remove_connections  # no feeds column: its supplies stay


def test_made_up_ids_never_clash_with_ids_in_the_table(catalog: Catalog) -> None:
    project = ai_hall(catalog)
    n = next(n for n in range(1, 10_000) if f"rack-{n}" not in project.items)  # the next id the import makes up
    m = next(m for m in range(1, 10_000) if f"conn-{m}" not in project.connections)
    text = (f"id,catalog_id,x,y,feeds\n,rack.cpu_general,1,1,\nrack-{n},rack.cpu_general,2,2,\n"
            f"conn-{m},rack.cpu_general,3,3,upsA-1 (A)\n")
    table = read_csv_bytes(text.encode(), file="t.csv")
    plan = plan_import(table, guess_mapping(table.header), project, catalog)
    assert problem_lines(plan) == [] and len({item.id for item in plan.add}) == 3
    assert plan.add[0].id != f"rack-{n}" and plan.add_connections[0].id != f"conn-{m}"
    apply_import(project, plan)


def test_row_problems_name_the_line_and_the_rest_still_imports(catalog: Catalog) -> None:
    project = ai_hall(catalog)
    text = (
        "id,catalog id,x,y,design kW,workload,feeds\n"
        "ok-1,rack.cpu_general,1000,1000,12,general,\n"
        "bad-1,rack.nope,1000,1000,,,\n"
        "bad-2,rack.cpu_general,=A1*2,1000,,,\n"
        "bad-3,rack.cpu_general,1000,1000,99999,,\n"
        "bad-4,rack.cpu_general,1000,1000,,quantum,\n"
        "ok-1,rack.cpu_general,1,1,,,\n"
        "feed-1,rack.cpu_general,1,1,,,nowhere (A)\n"
        "wall-1,floor.wall_segment,1,1,5,,\n"
    )
    table = read_csv_bytes(text.encode(), file="t.csv")
    plan = plan_import(table, guess_mapping(table.header), project, catalog)
    lines = problem_lines(plan)
    assert any(line.startswith("line 3:") and "rack.nope" in line for line in lines)
    assert any(line.startswith("line 4:") and "formula" in line for line in lines)
    assert any(line.startswith("line 5:") and "outside 0 to 10000" in line for line in lines)
    assert any(line.startswith("line 6:") and "quantum" in line for line in lines)
    assert any(line.startswith("line 7:") and "also on line 2" in line for line in lines)
    assert any(line.startswith("line 8:") and "nowhere" in line for line in lines)
    assert any(line.startswith("line 9:") and "wall takes no rating" in line for line in lines)
    assert [item.id for item in plan.add] == ["ok-1", "feed-1"]  # feed-1 comes in without its bad feed
    assert plan.add[0].design_kw == 12


def test_commas_in_numbers_are_read_only_when_unambiguous(catalog: Catalog) -> None:
    text = ('id;catalog_id;x;y\na;rack.cpu_general;1,5;2\nb;rack.cpu_general;"1,234.5";2\n'
            'c;rack.cpu_general;1,500;2\nd;rack.cpu_general;1.2.3;2\n')
    table = read_csv_bytes(text.encode(), file="t.csv")
    plan = plan_import(table, guess_mapping(table.header), ai_hall(catalog), catalog, unit="m")
    assert [(item.id, item.x_mm) for item in plan.add] == [("a", 1500.0), ("b", 1_234_500.0)]
    lines = problem_lines(plan)
    assert "ambiguous" in lines[0] and lines[0].startswith("line 4") and "not a number" in lines[1]


def test_missing_required_column_is_a_problem_of_the_import(catalog: Catalog) -> None:
    table = read_csv_bytes(b"id,label\na,b\n", file="t.csv")
    plan = plan_import(table, guess_mapping(table.header), ai_hall(catalog), catalog)
    assert plan.problems and not plan.add


def test_csv_export_escapes_formulas_and_the_import_takes_the_escape_off(catalog: Catalog) -> None:
    project = ai_hall(catalog)
    from dataclasses import replace

    labels = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "'quoted", "''", "plain"]
    items = list(project.items.values())[: len(labels)]
    project.update_items([replace(item, label=label) for item, label in zip(items, labels, strict=True)])
    data = items_csv_bytes(project)
    text = data.decode("utf-8-sig")
    for label in labels[:4]:
        assert f",{label}," not in text  # never a bare formula in a cell
    assert escape_cell("=1") == "'=1" and escape_cell("'x") == "''x" and escape_cell(3.0) == 3.0
    table = read_csv_bytes(data, file="x.csv")
    index = EXPORT_HEADER.index("Label")
    read_back = [str(row[index]) for _line, row in table.rows[: len(labels)]]
    from designer.io.items_csv import _text

    assert [_text(cell) for cell in read_back] == labels


def test_xlsx_formulas_are_text_never_computed(tmp_path: Path, catalog: Catalog) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Id", "Catalog id", "X mm", "Y mm", "Label"])
    sheet.append(["f-1", "rack.cpu_general", "=1000*2", 500, "=CMD|' /C calc'!A0"])
    sheet["E2"].data_type = "f"
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.rows[0][1][2] == "=1000*2"
    plan = plan_import(table, guess_mapping(table.header), ai_hall(catalog), catalog)
    assert "formula" in problem_lines(plan)[0] and not plan.add


def test_xlsx_export_reads_back(tmp_path: Path, catalog: Catalog) -> None:
    project = ai_hall(catalog)
    write_items_xlsx(project, tmp_path / "items.xlsx")
    copy = empty_copy(project, catalog)
    import_into(copy, catalog, tmp_path / "items.xlsx")
    assert copy.items == project.items


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                        (codecs.BOM_UTF16_BE, "utf-16-be")])  # fmt: skip
def test_byte_order_marks_choose_the_encoding(bom: bytes, codec: str) -> None:
    table = read_csv_bytes(bom + "id;x;y;label\nr-1;1;2;Zürich Ω\n".encode(codec), file="b.csv")
    assert table.header == ("id", "x", "y", "label")  # ; sniffed, no BOM left in the first name
    assert table.rows[0][1][3] == "Zürich Ω"


def test_wrong_encoding_names_the_file_and_line() -> None:
    raw = "id,label\nr-1,ok\nr-2,Münster\n".encode("cp1252")
    with pytest.raises(TableFileError) as caught:
        read_csv_bytes(raw, file="legacy.csv")
    message = str(caught.value)
    assert message.startswith("legacy.csv: line 3: byte 0xfc") and "cp1252" in message
    assert read_csv_bytes(raw, file="legacy.csv", encoding="cp1252").rows[1][1][1] == "Münster"
    with pytest.raises(TableFileError, match="UTF-16 without a byte-order mark"):
        read_csv_bytes("id,x\n\u00e9,1\n".encode("utf-16-le"), file="u16.csv")


def test_a_million_rows_are_refused_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "million.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,catalog_id,x,y\n")
        handle.writelines(f"r{n},rack.cpu_general,{n},0\n" for n in range(1_000_000))
    with pytest.raises(TableFileError) as caught:
        read_table(path)
    assert f"more than {MAX_TABLE_ROWS:,} data rows" in str(caught.value)
    assert f"line {MAX_TABLE_ROWS + 2}" in str(caught.value)


def test_hostile_tables_get_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(TableFileError, match="empty"):
        read_csv_bytes(b"", file="e.csv")
    with pytest.raises(TableFileError, match="columns"):
        read_csv_bytes(b",".join([b"c"] * 1000) + b"\n", file="wide.csv")
    with pytest.raises(TableFileError, match="NUL"):
        read_csv_bytes(b"id,x\na\x00b,1\n", file="nul.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TableFileError, match="not an XLSX"):
        read_table(tmp_path / "fake.xlsx")
    with pytest.raises(TableFileError, match="not a regular file"):
        read_table(tmp_path)


def test_any_bytes_give_a_table_or_a_clear_error(catalog: Catalog) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    project = ai_hall(catalog)
    header = b"id,catalog_id,hall,x,y,rotation,label,design kw,workload,liquid fraction,feeds,group,pod,weight kg\n"
    cells = st.sampled_from([b"", b"rack-1", b"rack.cpu_general", b"hall-data", b"1e400", b"-0", b"nan", b"=1",
                             b"'=1", b"upsA-1 (A)", b"a (b", b'"x', b"\xff", b"\x00", b";", b"1,5", b"\xe2\x80\xae"])

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.lists(cells, max_size=16).map(lambda row: b",".join(row)), max_size=6))
    def check(rows: list[bytes]) -> None:
        try:
            table = read_csv_bytes(header + b"\n".join(rows), file="f.csv")
        except TableFileError:
            return
        plan = plan_import(table, guess_mapping(table.header), project, catalog)
        for item in (*plan.add, *plan.update):
            assert math.isfinite(item.x_mm) and abs(item.x_mm) <= 10_000_000 and item.id.isprintable()

    check()


def test_an_xlsx_declaring_too_many_rows_is_refused_before_reading(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "catalog_id", "x", "y"])
    for n in range(30):
        sheet.append([f"r{n}", "rack.cpu_general", n, 0])
    path = tmp_path / "rows.xlsx"
    workbook.save(path)
    assert len(read_table(path).rows) == 30
    with pytest.raises(TableFileError, match="has 30 data rows \\(its dimension\\), more than 20"):
        read_table(path, max_rows=20)


def test_phases_and_service_years_round_trip_and_bad_ones_are_row_problems(catalog: Catalog, tmp_path: Path) -> None:
    from dataclasses import replace

    from designer.model.types import Phase

    original = ai_hall(catalog)
    racks = [item for item in original.items.values() if item.phase is not None][:2]
    assert racks, "the AI-hall example ships with phases assigned"
    original.update_items([replace(racks[0], in_service_year=2027, retirement_year=2031),
                           replace(racks[1], in_service_year=2026)])
    path = tmp_path / "items.csv"
    path.write_bytes(items_csv_bytes(original))
    copy = empty_copy(original, catalog)
    import_into(copy, catalog, path)
    assert copy.items == original.items
    assert copy.items[racks[0].id].retirement_year == 2031 and copy.items[racks[1].id].phase is racks[1].phase
    # a retirement before service, a half year and an unknown phase are each the row's problem
    bad = tmp_path / "bad.csv"
    bad.write_text("Catalog id,X mm,Y mm,Phase,In service year,Retirement year\n"
                   f"{racks[0].catalog_id},1000,1000,,2030,2028\n"
                   f"{racks[0].catalog_id},1000,1000,,2030.5,\n"
                   f"{racks[0].catalog_id},1000,1000,L4,,\n", encoding="utf-8")
    table = read_table(bad)
    mapping = guess_mapping(table.header)
    plan = plan_import(table, mapping, copy, merged_catalog(catalog, copy.custom_catalog), unit="mm")
    problems = "\n".join(problem_lines(plan))
    assert "the retirement year 2028 must come after the in-service year 2030" in problems
    assert "not a whole year" in problems
    assert f"not one of {', '.join(p.value for p in Phase)}" in problems
