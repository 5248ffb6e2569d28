"""Where the bundled resources and the user's own folders are."""

from __future__ import annotations

import os
from pathlib import Path

from designer.paths import resources_dir

__all__ = ["examples_dir", "resources_dir", "user_data_dir"]


def user_data_dir() -> Path:
    """The user's data folder (own catalog entries, pod templates, autosaves)."""
    override = os.environ.get("DC_DESIGNER_USER_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("dc-designer", appauthor=False)


def examples_dir() -> Path:
    return resources_dir() / "examples"
