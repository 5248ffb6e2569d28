"""The bench's ``save_ms`` is File > Save's: the design is checked with the loader's rules before it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer import bench
from designer.io import project_file
from designer.model import Catalog, PlacedItem, Project
from tests.support import build_small_catalog, build_small_project


def test_the_bench_saves_as_the_app_does_with_the_load_check(monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[tuple[Project, Catalog]] = []
    check = project_file.check_loadable

    def counting_check(project: Project, catalog: Catalog) -> None:
        checked.append((project, catalog))
        check(project, catalog)

    monkeypatch.setattr(project_file, "check_loadable", counting_check)
    project, catalog = build_small_project(), build_small_catalog()
    figures = bench._file_figures(project, catalog, repeats=2)  # one save (repeats // 2), then its load
    assert checked == [(project, catalog)]
    assert figures["save_ms"] > 0


def test_the_bench_refuses_to_save_a_design_the_loader_would_refuse(tmp_path: Path) -> None:
    project = build_small_project()
    project._items["rack-1"] = PlacedItem("rack-1", "rack.t", "hall-1", 9e11, 0.0)  # bypassing the model
    with pytest.raises(project_file.ProjectFileError, match=r"not saved: the file would not open again"):
        bench._file_figures(project, build_small_catalog(), repeats=2)
