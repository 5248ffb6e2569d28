"""A saved file is written a block of records at a time, and reads the same as one encoded whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.analysis.synthetic import build_campus
from designer.io import project_file
from designer.io.atomic_write import atomic_write_bytes
from designer.io.catalog_io import load_catalog
from designer.io.project_file import load_project, project_to_bytes, project_to_pieces, save_project


@pytest.fixture(scope="module")
def campus():  # type: ignore[no-untyped-def]
    catalog = load_catalog(include_user=False)
    return build_campus(120, catalog), catalog


@pytest.mark.parametrize("rows_per_block", [1, 3, 1000, 16_384])
def test_blocks_of_any_size_give_the_bytes_of_the_whole_document(campus, monkeypatch, rows_per_block) -> None:  # type: ignore[no-untyped-def]
    project, _catalog = campus
    whole = project_file._document_bytes(project_file.project_to_document(project))  # every dict first
    monkeypatch.setattr(project_file, "ROWS_PER_BLOCK", rows_per_block)
    pieces = project_to_pieces(project)
    assert b"".join(pieces) == whole
    assert project_to_bytes(project) == whole
    # 120 racks: a few hundred connections, so blocks of 1 and 3 split both big lists into many pieces
    if rows_per_block <= 3:
        assert len(pieces) > len(project.connections) // rows_per_block


def test_a_saved_file_is_the_pieces_in_order_and_opens_as_the_design(campus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, catalog = campus
    path = tmp_path / "campus.dcplan"
    save_project(project, path, keep_backup=False)
    assert path.read_bytes() == b"".join(project_to_pieces(project))
    reopened = load_project(path, catalog)
    assert dict(reopened.items) == dict(project.items)
    assert dict(reopened.connections) == dict(project.connections)


def test_atomic_write_takes_bytes_or_their_pieces(tmp_path: Path) -> None:
    atomic_write_bytes(tmp_path / "a", b"abc", keep_backup=False)
    atomic_write_bytes(tmp_path / "b", [b"a", b"", b"bc"], keep_backup=False)
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes() == b"abc"
