#!/usr/bin/env bash
# One-folder build of dc-designer with PyInstaller, in a clean build venv, then the smoke test.
#
#   bash packaging/build.sh            # -> packaging/dist/dc-designer/dc-designer
#   bash packaging/build.sh --deb      # and packaging/dist/dc-designer_VERSION_ARCH.deb (make_deb.sh)
#   PYTHON=python3.12 bash packaging/build.sh
#
# The build venv (packaging/build/venv) is reused between runs; delete packaging/build to start over.
# Exits non-zero when the build, the smoke test (smoke_test.sh: the window, the exports) or the
# package fails.
set -euo pipefail
make_deb=0
for arg in "$@"; do
  case "$arg" in
    --deb) make_deb=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done
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
"$venv/bin/python" -m pip install -q "$root" "pyinstaller>=6.10,<7"

if [ ! -f "$root/resources/icons/dc-designer-256.png" ]; then
  QT_QPA_PLATFORM=offscreen "$venv/bin/python" "$here/render_icons.py"
fi

rm -rf "$dist_dir/dc-designer" "$dist_dir"/dc-designer_*.deb  # never leave a package of an older build
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$dist_dir" --workpath "$build_dir/pyinstaller" "$here/dc-designer.spec"

echo "build: $(du -sh "$dist_dir/dc-designer" | cut -f1) in $dist_dir/dc-designer ($(( $(date +%s) - start )) s)"
# the checkers are standard-library scripts: any Python will do, the build venv's is certain to exist
export SMOKE_PYTHON="${SMOKE_PYTHON:-$venv/bin/python}" DEB_PYTHON="${DEB_PYTHON:-$venv/bin/python}"
bash "$here/smoke_test.sh" "$dist_dir/dc-designer/dc-designer"
if [ "$make_deb" = 1 ]; then
  bash "$here/make_deb.sh" "$dist_dir/dc-designer"
fi
echo "build: done in $(( $(date +%s) - start )) s"
