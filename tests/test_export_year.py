"""``dc-designer export --year``: the design as built in a scenario year; a year outside the scenario is exit 2."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import ezdxf
import pytest

from designer.cli import main
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project
from designer.io.resources import resources_dir
from designer.model.phasing import standing

CAMPUS = resources_dir() / "examples" / "modular_campus.dcplan"


def _campus():  # type: ignore[no-untyped-def]
    base = load_catalog(include_user=False)
    project = load_project(CAMPUS, base)
    return project, base.merged(project.custom_catalog.values())


def _bom_counts(path: Path, catalog: object) -> dict[str, int]:
    with open(path, newline="", encoding="utf-8") as stream:
        return {r["Catalog id"]: int(r["Count"]) for r in csv.DictReader(stream) if r["Catalog id"] in catalog}  # type: ignore[operator]


def test_bom_and_drawing_list_what_stands_that_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project, catalog = _campus()
    for year in (2025, 2028):
        target = tmp_path / f"bom-{year}.csv"
        assert main(["export", str(CAMPUS), "-f", "csv", "-o", str(target), "--year", str(year)]) == 0
        assert f"as built in {year}" in capsys.readouterr().out
        built = [project.items[i] for i in standing(project.items.values(), project.pods, year)]
        assert _bom_counts(target, catalog) == dict(Counter(i.catalog_id for i in built))
    # the campus grows: 202 items in 2025 (the substation and module 1), more by 2028
    assert sum(_bom_counts(tmp_path / "bom-2025.csv", catalog).values()) == 202
    assert sum(_bom_counts(tmp_path / "bom-2028.csv", catalog).values()) > 202
    # without --year: the whole design, as before
    assert main(["export", str(CAMPUS), "-f", "csv", "-o", str(tmp_path / "all.csv")]) == 0
    assert sum(_bom_counts(tmp_path / "all.csv", catalog).values()) == len(project.items)
    # the drawing of module 2 in 2025 (not yet built) has no equipment; in 2031 all of it
    for year, expected in ((2025, 0), (2031, sum(i.hall_id == "hall-m2" for i in project.items.values()))):
        target = tmp_path / f"m2-{year}.dxf"
        assert main(["export", str(CAMPUS), "-f", "dxf", "-o", str(target), "--hall", "hall-m2",
                     "--year", str(year)]) == 0
        assert len(ezdxf.readfile(target).modelspace().query('INSERT[layer!="DOORS"]')) == expected


def test_a_year_outside_the_scenario_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for year in ("2019", "2032"):
        assert main(["export", str(CAMPUS), "-f", "csv", "-o", str(tmp_path / "x.csv"), "--year", year]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and f"--year {year}: not a year of the scenario" in err, err
        assert "2025, 2026, 2027, 2028, 2029, 2030, 2031" in err
    assert main(["export", str(CAMPUS), "-f", "csv", "-o", str(tmp_path / "x.csv"), "--year", "soon"]) == 2
    assert "invalid int value" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
