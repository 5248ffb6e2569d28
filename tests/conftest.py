"""Shared fixtures: a small hand-made catalog and project, independent of the bundled data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from support import build_small_catalog, build_small_project

from designer.model import Catalog, Project


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", default=False, help="run the long fuzz and soak runs")


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's folders from a test."""
    monkeypatch.setenv("DC_DESIGNER_USER_DIR", str(tmp_path_factory.mktemp("user")))


@pytest.fixture
def small_catalog() -> Catalog:
    return build_small_catalog()


@pytest.fixture
def small_project() -> Project:
    return build_small_project()
