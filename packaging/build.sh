#!/usr/bin/env bash
# One-folder build of dc-designer with PyInstaller, in a clean build venv, then the smoke test.
#
#   bash packaging/build.sh            # -> packaging/dist/dc-designer/dc-designer
#   PYTHON=python3.12 bash packaging/build.sh
#
# The build venv (packaging/build/venv) is reused between runs; delete packaging/build to start over.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="$here/build"
dist_dir="$here/dist"
venv="$build_dir/venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1

python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      python_bin=$(command -v "$candidate"); break
    fi
  done
fi
if [ -z "$python_bin" ]; then
  echo "build: no Python >= 3.11 found (set PYTHON=...)" >&2; exit 1
fi

start=$(date +%s)
echo "build: using $("$python_bin" --version) at $python_bin"
mkdir -p "$build_dir"
if [ ! -x "$venv/bin/python" ]; then
  "$python_bin" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
# A regular (not editable) install: PyInstaller bundles the package from site-packages. The
# project pins PySide6-Essentials 6.11.2 on Python 3.11 (6.12 aborts CPython 3.11).
"$venv/bin/python" -m pip install -q "$root" "pyinstaller>=6.10"

if [ ! -f "$root/resources/icons/dc-designer-256.png" ]; then
  QT_QPA_PLATFORM=offscreen "$venv/bin/python" "$here/render_icons.py"
fi

rm -rf "$dist_dir/dc-designer"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$dist_dir" --workpath "$build_dir/pyinstaller" "$here/dc-designer.spec"

echo "build: $(du -sh "$dist_dir/dc-designer" | cut -f1) in $dist_dir/dc-designer ($(( $(date +%s) - start )) s)"
bash "$here/smoke_test.sh" "$dist_dir/dc-designer/dc-designer"
