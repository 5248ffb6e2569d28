#!/usr/bin/env bash
# Debian package of a frozen build, with dpkg-deb alone (nothing downloaded):
#
#   bash packaging/make_deb.sh [packaging/dist/dc-designer]   # -> packaging/dist/dc-designer_VERSION_ARCH.deb
#
# (packaging/build.sh --deb runs it after the build and its smoke test.) Layout:
#   /opt/dc-designer/                      the one-folder app (dc-designer + _internal/)
#   /usr/bin/dc-designer                   -> /opt/dc-designer/dc-designer
#   /usr/share/applications/io.github.dc_designer.desktop
#   /usr/share/metainfo/io.github.dc_designer.metainfo.xml
#   /usr/share/mime/packages/io.github.dc_designer.xml        (*.dcplan)
#   /usr/share/icons/hicolor/{16..256}x*/apps/, scalable/apps/ io.github.dc_designer.{png,svg}
#   /usr/share/doc/dc-designer/copyright
# No maintainer scripts: the MIME, desktop and icon caches are refreshed by the dpkg triggers of
# shared-mime-info, desktop-file-utils and hicolor-icon-theme, on install and on removal alike.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
frozen="$(cd "${1:-$here/dist/dc-designer}" && pwd)"
linux="$here/linux"
app_id="io.github.dc_designer"
maintainer="${DEB_MAINTAINER:-The dc-designer authors <maintainers@dc-designer.invalid>}"

for tool in dpkg-deb dpkg readelf ldconfig; do
  command -v "$tool" >/dev/null 2>&1 || { echo "deb: $tool is missing (apt-get install dpkg binutils)" >&2; exit 1; }
done
if [ ! -x "$frozen/dc-designer" ]; then
  echo "deb: no frozen build at $frozen (run packaging/build.sh first)" >&2; exit 1
fi
version="$("$frozen/dc-designer" --version | sed -n 's/^dc-designer \([0-9][0-9A-Za-z.+~-]*\)$/\1/p')"
if [ -z "$version" ]; then
  echo "deb: cannot read the version from $frozen/dc-designer --version" >&2; exit 1
fi
arch="$(dpkg --print-architecture)"
depends="$("${DEB_PYTHON:-python3}" "$here/deb_depends.py" "$frozen")"

stage="$here/build/deb/dc-designer_${version}_${arch}"
rm -rf "$here/build/deb"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin"

cp -a "$frozen" "$stage/opt/dc-designer"
ln -s /opt/dc-designer/dc-designer "$stage/usr/bin/dc-designer"
install -Dm644 "$linux/$app_id.desktop" "$stage/usr/share/applications/$app_id.desktop"
install -Dm644 "$linux/$app_id.metainfo.xml" "$stage/usr/share/metainfo/$app_id.metainfo.xml"
install -Dm644 "$linux/dc-designer-mime.xml" "$stage/usr/share/mime/packages/$app_id.xml"
install -Dm644 "$root/resources/icons/dc-designer.svg" "$stage/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
for size in 16 32 48 64 128 256; do
  install -Dm644 "$root/resources/icons/dc-designer-$size.png" \
    "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
install -Dm644 /dev/stdin "$stage/usr/share/doc/dc-designer/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: dc-designer

Files: *
Copyright: 2026 The dc-designer authors
License: Apache-2.0
 On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.

Files: opt/dc-designer/_internal/*
Comment: The frozen application bundles CPython (PSF-2.0), Qt 6 and PySide6 (LGPL-3.0),
 numpy, scipy, networkx (BSD-3-Clause), pyqtgraph, ezdxf, openpyxl, platformdirs, PyYAML (MIT)
 and fontTools (MIT), each under its own licence.
EOF

# Permissions as a package expects them: nothing group- or world-writable.
chmod -R u+rwX,go+rX,go-w "$stage"
installed_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
cat >"$stage/DEBIAN/control" <<EOF
Package: dc-designer
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: $depends, fontconfig-config
Recommends: shared-mime-info, desktop-file-utils, hicolor-icon-theme
Section: science
Priority: optional
Description: data-center floor plan designer with power and cooling analysis
 An offline desktop application for designing AI data-center floor plans:
 pods, racks and the power and cooling equipment that serves them on a
 to-scale plan, the power chain from utility to rack on A and B feeds and the
 cooling chain from heat rejection to rack, with capacity, single-failure,
 energy and PUE analysis as the workload shifts from training to inference.
 .
 The application is a self-contained build (Python, Qt and the numerical
 libraries included) under /opt/dc-designer; the dc-designer command also
 offers headless validation, analysis and export.
EOF

deb="$here/dist/dc-designer_${version}_${arch}.deb"
rm -f "$here"/dist/dc-designer_*.deb
# gzip -6: every dpkg reads it; 250 MB pack in ~10 s (xz takes minutes on two cores, for ~25% less)
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >/dev/null
echo "deb: $deb ($(du -h "$deb" | cut -f1), installs $((installed_kb / 1024)) MB)"
echo "deb: Depends: $depends, fontconfig-config"
