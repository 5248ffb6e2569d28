"""Makes Qt unimportable, for the core test run in CI: ``PYTHONPATH=tests/no_qt pytest -p no:pytestqt ...``.

Python imports ``sitecustomize`` at start-up from the path, so every process of that run (the test
runner and the subprocesses the tests start) fails on ``import PySide6``, as on a machine without Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph")


class _QtBlocker(MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(f"No module named {fullname!r} (blocked: this run checks the core works without Qt)")
        return None


sys.meta_path.insert(0, _QtBlocker())
