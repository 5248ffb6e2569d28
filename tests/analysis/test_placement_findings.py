"""Placement checks are analysis findings for every hall, not only the one on screen (issue 12, item 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from designer.analysis import analyze
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project, save_project
from designer.io.resources import examples_dir
from designer.model import Hall, PlacedItem
from designer.model.catalog import Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def overlapping_second_hall(catalog: Catalog, folder: Path) -> Path:
    """The AI hall example plus a second hall (never opened on screen) with two racks 300 mm apart."""
    project = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    rack = next(i for i in project.items.values() if catalog[i.catalog_id].kind.value == "rack")
    project.add_hall(Hall("hall-annex", "Annex", ((0, 0), (20_000, 0), (20_000, 10_000), (0, 10_000))))
    project.add_items([
        replace(rack, id="annex-r1", hall_id="hall-annex", x_mm=5_000.0, y_mm=5_000.0, pod_id=None, group=None),
        replace(rack, id="annex-r2", hall_id="hall-annex", x_mm=5_300.0, y_mm=5_000.0, pod_id=None, group=None),
    ])
    path = folder / "annex.dcplan"
    save_project(project, path)
    return path


def test_the_example_halls_have_no_placement_findings(catalog: Catalog) -> None:
    for name in ("ai_hall.dcplan", "modular_campus.dcplan", "retrofit.dcplan"):
        results = analyze(load_project(examples_dir() / name, catalog), catalog)
        assert not {f.code for f in results.findings} & {"placement"}, name


def test_an_overlap_in_a_hall_not_on_screen_fails_analyze(catalog: Catalog, tmp_path: Path) -> None:
    path = overlapping_second_hall(catalog, tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "designer", "analyze", str(path), "--json"], capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    overlaps = [f for f in findings if f["code"] == "placement"]
    # one finding per rack, each naming the other (racks 600 mm wide, centres 300 mm apart)
    assert {f["message"] for f in overlaps} == {"annex-r1 in Annex: overlaps annex-r2",
                                                "annex-r2 in Annex: overlaps annex-r1"}
    assert all(f["severity"] == "error" for f in overlaps)
    assert set(overlaps[0]["items"]) == {"annex-r1", "annex-r2"}


def test_a_short_aisle_is_a_warning(catalog: Catalog) -> None:
    project = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    rack = next(i for i in project.items.values() if catalog[i.catalog_id].kind.value == "rack")
    project.add_hall(Hall("hall-annex", "Annex", ((0, 0), (20_000, 0), (20_000, 10_000), (0, 10_000))))
    # front faces -y: a rack 500 mm from the hall's y = 0 edge has 0.5 m clear, short of 1.2 m
    project.add_items([PlacedItem("annex-r1", rack.catalog_id, "hall-annex", 5_000.0, 500.0 + 600.0)])
    results = analyze(project, catalog)
    aisle = [f for f in results.findings if f.code == "aisle_clearance"]
    assert [f.severity for f in aisle] == ["warning"]
    assert aisle[0].item_ids == ("annex-r1",)


def test_moving_a_rack_onto_another_is_found_by_the_same_analyzer(catalog: Catalog) -> None:
    from designer.analysis import Analyzer

    project = load_project(examples_dir() / "ai_hall.dcplan", catalog)
    analyzer = Analyzer()
    assert "placement" not in {f.code for f in analyzer.analyze(project, catalog, failures=False).findings}
    racks = [i for i in project.items.values() if catalog[i.catalog_id].kind.value == "rack"]
    first, second = racks[0], racks[1]
    project.move_items({second.id: (first.x_mm, first.y_mm)})  # only the moved rack is regrouped
    found = [f for f in analyzer.analyze(project, catalog, failures=False).findings if f.code == "placement"]
    assert {first.id, second.id} <= {i for f in found for i in f.item_ids}
    project.move_items({second.id: (second.x_mm, second.y_mm)})
    assert "placement" not in {f.code for f in analyzer.analyze(project, catalog, failures=False).findings}
