"""Where the bundled resources are: one answer for every layer (imports nothing of ours, no Qt).

``DC_DESIGNER_RESOURCES`` overrides it (tests, packagers); a PyInstaller build finds them inside
the bundle; otherwise they sit next to the package.
"""

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
    return Path(__file__).resolve().parents[1] / "resources"
