"""metadata.options: the options a project keeps beside it, range-checked at load and written back."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from designer.io.errors import FileFormatError
from designer.io.project_file import project_from_text, project_to_text
from designer.io.project_options import listed_options, option_path
from designer.model import Catalog, Project
from designer.model.records import DesignOption


def _with_options(project: Project, *options: DesignOption) -> Project:
    project.set_metadata(replace(project.metadata, options=options))
    return project


def test_options_round_trip_and_a_file_without_them_is_unchanged(small_project: Project,
                                                                  small_catalog: Catalog) -> None:
    plain = project_to_text(small_project)
    assert '"options"' not in plain  # nothing written when there are none: old files stay byte for byte
    _with_options(small_project, DesignOption("Prefab module", "options/prefab.dcplan"),
                  DesignOption("New hall", "new_hall.dcplan"))
    text = project_to_text(small_project)
    loaded = project_from_text(text, small_catalog)
    assert loaded.metadata.options == small_project.metadata.options
    assert project_to_text(loaded) == text


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ([{"name": "x", "file": "/etc/passwd.dcplan"}], "relative to the project's folder"),
        ([{"name": "x", "file": "C:/plans/b.dcplan"}], "relative to the project's folder"),
        ([{"name": "x", "file": "../other/b.dcplan"}], "no '..'"),
        ([{"name": "x", "file": "b.json"}], "must name a .dcplan file"),
        ([{"name": "", "file": "b.dcplan"}], "must not be empty"),
        ([{"name": "x", "file": "b.dcplan"}, {"name": "x", "file": "c.dcplan"}], "listed twice"),
        ([{"name": "x", "file": "b.dcplan", "extra": 1}], "unknown field"),
        ([{"name": "x", "file": f"{i}.dcplan"} for i in range(17)], "more than the limit of 16"),
        ("b.dcplan", "expected a list"),
    ],
)
def test_bad_options_name_the_json_path_and_the_problem(options: object, words: str, small_project: Project,
                                                        small_catalog: Catalog) -> None:
    document = json.loads(project_to_text(small_project))
    document["metadata"]["options"] = options
    with pytest.raises(FileFormatError) as caught:
        project_from_text(json.dumps(document), small_catalog)
    assert "$.metadata.options" in caught.value.one_line() and words in caught.value.one_line()


def test_option_files_resolve_beside_the_project_and_never_out_of_it(tmp_path: Path,
                                                                     small_project: Project) -> None:
    plan = tmp_path / "plan.dcplan"
    _with_options(small_project, DesignOption("B", "sub/b.dcplan"))
    assert listed_options(small_project, plan) == [("B", (tmp_path / "sub" / "b.dcplan").resolve())]
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    os.symlink(outside, tmp_path / "link")
    with pytest.raises(FileFormatError, match="leads out of the project's folder"):
        option_path(plan, "link/b.dcplan")
    with pytest.raises(FileFormatError, match=str(plan)):
        option_path(plan, "../b.dcplan")
