"""The PyInstaller spec against what the app really loads, so a frozen build never lacks a module.

A fresh interpreter opens the main window on the bundled example (offscreen), waits for the analysis
with its single failures, exports every format, reads a DXF back, runs a small bench, reads a NetBox
device type (YAML) and imports the items sheet of the exported workbook; every
module it loaded must be bundled: none may be in the spec's EXCLUDES, and every Qt binding module
must be in QT_MODULES (the spec lists them as hidden imports: pyqtgraph loads QtOpenGL through
importlib).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "dc-designer.spec"

PROBE = r"""
import json, os, sys, tempfile
from pathlib import Path
out = Path(sys.argv[1])
from PySide6.QtCore import QSettings
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(out / "settings"))
from designer.ui.app import create_main_window, make_application
app = make_application()
window = create_main_window(None)
window.show()
app.processEvents()
window.coordinator.flush()
window.coordinator.fill_failures()
app.processEvents()
assert window.coordinator.results is not None, "the GUI produced no analysis"
window.document.undo_stack.setClean()
window.close()
from designer.cli import main
from designer.export_cli import FORMATS
from designer.io.resources import examples_dir
for fmt in FORMATS:
    status = main(["export", str(examples_dir() / "ai_hall.dcplan"), "-f", fmt, "-o", str(out / f"plan.{fmt}")])
    assert status == 0, f"export {fmt} exited {status}"
from designer.io.import_dxf import read_dxf
read_dxf(out / "plan.dxf", include_hatches=True)
assert main(["bench", "--racks", "200", "--repeats", "1"]) == 0
from designer.io.netbox_types import read_device_type
device_type = out / "device.yaml"
device_type.write_text("manufacturer: A\nmodel: B\nu_height: 1\npower-ports:\n  - name: P\n    maximum_draw: 500\n")
assert read_device_type(device_type).entry is not None
assert main(["import-items", str(examples_dir() / "ai_hall.dcplan"), str(out / "plan.xlsx"), "-o",
             str(out / "imported.dcplan")]) == 0
print(json.dumps(sorted(sys.modules)))
"""


def spec_list(name: str) -> list[str]:
    """The literal list assigned to ``name`` at the top level of the spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list) and all(isinstance(item, str) for item in value)
            return value
    raise AssertionError(f"{SPEC}: no top-level literal list {name}")


def matches(module: str, excluded: str) -> bool:
    return module == excluded or module.startswith(excluded + ".")


@pytest.fixture(scope="module")
def loaded_modules(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("probe")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DC_DESIGNER_USER_DIR=str(out / "user"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(out)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert {"PySide6.QtWidgets", "pyqtgraph", "scipy.sparse", "ezdxf", "yaml", "openpyxl"} <= modules  # the probe ran
    return modules


def test_matches_whole_module_names_only() -> None:
    assert matches("scipy.special._ufuncs", "scipy.special")
    assert matches("scipy.special", "scipy.special")
    assert not matches("scipy.specialised", "scipy.special")


def test_the_spec_excludes_nothing_the_app_loads(loaded_modules: set[str]) -> None:
    excluded = spec_list("EXCLUDES")
    wrongly = sorted(f"{module} (excluded as {e})" for module in loaded_modules for e in excluded if matches(module, e))
    assert not wrongly, "the frozen app would fail to import: " + ", ".join(wrongly)


def test_every_qt_module_the_app_loads_is_a_hidden_import(loaded_modules: set[str]) -> None:
    qt_loaded = {m for m in loaded_modules if m.startswith("PySide6.Qt") and m.count(".") == 1}
    assert {"PySide6.QtOpenGL", "PySide6.QtWidgets"} <= qt_loaded
    missing = sorted(qt_loaded - set(spec_list("QT_MODULES")))
    assert not missing, f"add to QT_MODULES in {SPEC.name}: {', '.join(missing)}"
