"""Where the bundled resources and the user's own folders are."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (next to the package, or inside a frozen build)."""
    override = os.environ.get("DC_DESIGNER_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def user_data_dir() -> Path:
    """The user's data folder (own catalog entries, pod templates, autosaves)."""
    override = os.environ.get("DC_DESIGNER_USER_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("dc-designer", appauthor=False)


def examples_dir() -> Path:
    return resources_dir() / "examples"
