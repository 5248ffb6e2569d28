"""The headless core really runs without Qt: under tests/no_qt's blocker ``import PySide6`` fails, yet
``analyze`` and the Qt-free exports work, and the entry modules import Qt only inside functions."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCKER = ROOT / "tests" / "no_qt"
EXAMPLE = ROOT / "resources" / "examples" / "retrofit.dcplan"
QT_OR_UI = ("PySide6", "shiboken6", "pyqtgraph", "designer.ui")


def _run(code: str, *, blocked: bool) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    paths = [str(BLOCKER)] if blocked else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)


def _cli(*args: str, blocked: bool) -> subprocess.CompletedProcess[str]:
    return _run(f"import sys; from designer.cli import main; sys.exit(main({list(args)!r}))", blocked=blocked)


def test_the_blocker_blocks_qt() -> None:
    result = _run("import PySide6", blocked=True)
    assert result.returncode != 0 and "blocked" in result.stderr


def test_analyze_without_qt_gives_the_same_json() -> None:
    blocked = _cli("analyze", str(EXAMPLE), "--json", blocked=True)
    free = _cli("analyze", str(EXAMPLE), "--json", blocked=False)
    assert blocked.returncode == free.returncode, blocked.stderr
    assert blocked.stdout == free.stdout and blocked.stdout.startswith("{")


def test_qt_free_exports_work_and_qt_ones_say_why_not(tmp_path: Path) -> None:
    for fmt in ("dxf", "csv", "xlsx"):
        result = _cli("export", str(EXAMPLE), "-f", fmt, "-o", str(tmp_path / f"out.{fmt}"), blocked=True)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / f"out.{fmt}").stat().st_size > 0
    result = _cli("export", str(EXAMPLE), "-f", "png", "-o", str(tmp_path / "out.png"), blocked=True)
    assert result.returncode == 2
    assert "needs Qt" in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_entry_modules_import_qt_and_the_ui_only_inside_functions() -> None:
    offenders = []
    for path in sorted((ROOT / "designer").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; `if TYPE_CHECKING:` blocks are not run
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(QT_OR_UI)]
    assert offenders == []
