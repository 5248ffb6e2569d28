"""The bundled examples: complete, valid, stable across save cycles, and what the builder makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.examples_builder import EXAMPLES, build_all
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project, project_to_text, save_project
from designer.io.resources import examples_dir
from designer.model import Catalog, ConnectionKind, CoolingMedium, ItemKind, Project
from designer.model.effective import design_kw, liquid_fraction

EXAMPLE_FILES = sorted(examples_dir().glob("*.dcplan"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def test_every_example_is_bundled() -> None:
    assert {p.stem for p in EXAMPLE_FILES} == set(EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_save_load_save_gives_identical_files(path: Path, tmp_path: Path, catalog: Catalog) -> None:
    project = load_project(path, catalog)
    copy = tmp_path / path.name
    save_project(project, copy)
    assert copy.read_bytes() == path.read_bytes()


def test_committed_examples_are_what_the_builder_makes(catalog: Catalog) -> None:
    for name, project in build_all(catalog).items():
        committed = (examples_dir() / f"{name}.dcplan").read_text(encoding="utf-8")
        assert project_to_text(project) == committed, f"run `python -m designer.examples_builder` ({name})"


def rack_ids(project: Project, catalog: Catalog) -> list[str]:
    return [i.id for i in project.items.values() if catalog[i.catalog_id].kind is ItemKind.RACK]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_rack_is_powered_on_two_feeds_and_cooled(path: Path, catalog: Catalog) -> None:
    project = load_project(path, catalog)
    for rack in rack_ids(project, catalog):
        links = project.connections_of(rack)
        feeds = {c.feed.value for c in links if c.kind is ConnectionKind.POWER and c.target_id == rack}
        media = {c.medium for c in links if c.kind is ConnectionKind.COOLING and c.target_id == rack}
        assert feeds == {"A", "B"}, rack
        assert media, rack
        item = project.items[rack]
        if liquid_fraction(item, catalog[item.catalog_id]) > 0:
            assert CoolingMedium.LIQUID in media, rack


def design_mw(path_stem: str, catalog: Catalog) -> float:
    project = load_project(examples_dir() / f"{path_stem}.dcplan", catalog)
    return (
        sum(design_kw(project.items[r], catalog[project.items[r].catalog_id]) for r in rack_ids(project, catalog))
        / 1000
    )


def test_examples_have_the_sizes_the_readme_promises(catalog: Catalog) -> None:
    assert 9.0 <= design_mw("ai_hall", catalog) <= 11.0
    assert 30.0 <= design_mw("modular_campus", catalog) <= 50.0
    assert design_mw("retrofit", catalog) < 1.0


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_nothing_overlaps_leaves_its_hall_or_stands_on_a_column(path: Path, catalog: Catalog) -> None:
    from designer.model.geometry import placement_problems

    project = load_project(path, catalog)
    for hall in project.halls.values():
        items = [i for i in project.items.values() if i.hall_id == hall.id]
        assert placement_problems(hall, items, catalog.__getitem__) == {}, hall.id
