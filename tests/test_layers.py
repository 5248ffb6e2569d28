"""The layer contract: model, analysis and io never import Qt; model imports nothing else of ours."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "designer"
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6")
FORBIDDEN = {
    "model": (*QT_MODULES, "designer.io", "designer.analysis", "designer.ui", "designer.cli"),
    "analysis": (*QT_MODULES, "designer.io", "designer.ui", "designer.cli"),
    "io": (*QT_MODULES, "designer.ui", "designer.cli"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_respect_the_contract(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    assert offenders == []


def test_headless_paths_load_no_qt_module(tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parent / "golden" / "schema-v1.dcplan"
    script = f"""
import sys, importlib, pkgutil
import designer.model, designer.io, designer.analysis
for package in (designer.model, designer.io, designer.analysis):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
from designer.cli import main
status = main(["validate", {str(golden)!r}])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {QT_MODULES!r})
print("STATUS", status, "QT", loaded)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "STATUS 0 QT []" in result.stdout


def test_the_shared_paths_module_imports_nothing_of_ours_and_no_qt() -> None:
    modules = imported_modules(PACKAGE / "paths.py")
    assert not [m for m in modules if m.split(".")[0] in (*QT_MODULES, "designer")]
