#!/usr/bin/env bash
# Desktop integration for dc-designer on Linux: the .desktop entry, AppStream metainfo, the
# .dcplan MIME type and the icons, for the current user (~/.local) or under a PREFIX.
#
#   bash packaging/linux/install.sh                       # ~/.local/share, ~/.local/bin
#   PREFIX=/usr/local sudo -E bash packaging/linux/install.sh
#   DESTDIR=/tmp/stage PREFIX=/usr bash packaging/linux/install.sh   # staging for a distro package
#   bash packaging/linux/install.sh --uninstall
#
# With a frozen build in packaging/dist/dc-designer (packaging/build.sh), the one-folder app is
# copied to PREFIX/lib/dc-designer and linked as PREFIX/bin/dc-designer. Without one, the
# dc-designer command must already be on PATH (e.g. from `pip install`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prefix="${PREFIX:-$HOME/.local}"
dest="${DESTDIR:-}"
share="$dest$prefix/share"
app_id="io.github.dc_designer"
frozen="${FROZEN_DIR:-$root/packaging/dist/dc-designer}"

installed=(
  "$share/applications/$app_id.desktop"
  "$share/metainfo/$app_id.metainfo.xml"
  "$share/mime/packages/dc-designer-mime.xml"
  "$share/icons/hicolor/scalable/apps/$app_id.svg"
)
for size in 16 32 48 64 128 256; do
  installed+=("$share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done

refresh() {
  [ -n "$dest" ] && return 0  # a staged tree is refreshed by the package's own triggers
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$share/mime" || true; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$share/applications" || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$share/icons/hicolor" || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "${installed[@]}"
  if [ -L "$dest$prefix/bin/dc-designer" ]; then rm -f "$dest$prefix/bin/dc-designer"; fi
  rm -rf "$dest$prefix/lib/dc-designer"
  refresh
  echo "install: removed dc-designer from $dest$prefix"
  exit 0
fi

install -Dm644 "$here/$app_id.desktop" "$share/applications/$app_id.desktop"
install -Dm644 "$here/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
install -Dm644 "$here/dc-designer-mime.xml" "$share/mime/packages/dc-designer-mime.xml"
install -Dm644 "$root/resources/icons/dc-designer.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"
for size in 16 32 48 64 128 256; do
  install -Dm644 "$root/resources/icons/dc-designer-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done

if [ -x "$frozen/dc-designer" ]; then
  rm -rf "$dest$prefix/lib/dc-designer"
  mkdir -p "$dest$prefix/lib" "$dest$prefix/bin"
  cp -a "$frozen" "$dest$prefix/lib/dc-designer"
  ln -sfn "$prefix/lib/dc-designer/dc-designer" "$dest$prefix/bin/dc-designer"
  echo "install: app in $dest$prefix/lib/dc-designer, command $dest$prefix/bin/dc-designer"
elif ! command -v dc-designer >/dev/null 2>&1; then
  echo "install: note: no frozen build at $frozen and no dc-designer on PATH;" \
       "the menu entry needs one of them" >&2
fi

refresh
echo "install: desktop entry, metainfo, MIME type and icons in $share"
