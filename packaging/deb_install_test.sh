#!/usr/bin/env bash
# Install the Debian package, use it, remove it, and check that nothing is left behind. Root only;
# it really installs into / (CI runs it on its own machine; refuses if dc-designer is installed).
#
#   sudo bash packaging/deb_install_test.sh [packaging/dist/dc-designer_*.deb]
#
# Checks: dpkg -i succeeds; `dc-designer` on the PATH is /usr/bin/dc-designer -> /opt/dc-designer;
# the desktop entry and AppStream metadata validate (when desktop-file-validate / appstreamcli are
# there); *.dcplan is in the MIME database; the smoke test passes on the installed command (window
# under Xvfb, exports); running it wrote nothing into /opt/dc-designer; dpkg -r leaves no file of
# the package's list and no new file in the folders it touched.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
deb="${1:-$(ls "$here"/dist/dc-designer_*.deb 2>/dev/null | head -1)}"
app_id="io.github.dc_designer"
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "deb-test: no package (run packaging/build.sh --deb first)" >&2; exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "deb-test: needs root (dpkg -i / dpkg -r)" >&2; exit 1
fi
if dpkg-query -W -f='${Status}' dc-designer 2>/dev/null | grep -q "installed"; then
  echo "deb-test: dc-designer is already installed; remove it first (dpkg -r dc-designer)" >&2; exit 1
fi

work="$(mktemp -d)"
installed=0
cleanup() {
  if [ "$installed" = 1 ]; then dpkg -r dc-designer >/dev/null 2>&1; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "deb-test: FAIL  $*"; failures=$((failures + 1)); }
ok() { echo "deb-test: ok    $*"; }

# The folders the package writes into, listed before and compared after removal.
watched=(/opt /usr/bin /usr/share/applications /usr/share/metainfo /usr/share/mime /usr/share/icons/hicolor
         /usr/share/doc)
snapshot() { find "${watched[@]}" -xdev 2>/dev/null | sort; }
snapshot >"$work/before"
# which of the package's own paths (directories like /usr/share/icons) were there before it
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./$|/.|; s|^\.||; s|/$||' | while read -r path; do
  if [ "$path" = /. ] || [ -e "$path" ] || [ -L "$path" ]; then echo "$path"; fi
done >"$work/existed"

if ! dpkg -i "$deb" >"$work/dpkg-i" 2>&1; then
  fail "dpkg -i $deb"; sed 's/^/    /' "$work/dpkg-i"
  dpkg -r dc-designer >/dev/null 2>&1
  exit 1
fi
installed=1
ok "dpkg -i $(basename "$deb")"
dpkg -L dc-designer | sort >"$work/files"

command_path="$(command -v dc-designer || true)"
if [ "$command_path" = /usr/bin/dc-designer ] && [ "$(readlink -f "$command_path")" = /opt/dc-designer/dc-designer ]; then
  ok "dc-designer on the PATH: $command_path -> $(readlink -f "$command_path")"
else
  fail "dc-designer on the PATH is '$command_path' -> '$(readlink -f "$command_path" 2>/dev/null)'"
fi
for file in "/usr/share/applications/$app_id.desktop" "/usr/share/metainfo/$app_id.metainfo.xml" \
            "/usr/share/mime/packages/$app_id.xml" "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
            "/usr/share/icons/hicolor/256x256/apps/$app_id.png" "/usr/share/icons/hicolor/16x16/apps/$app_id.png"; do
  [ -s "$file" ] || fail "not installed: $file"
done
if command -v desktop-file-validate >/dev/null 2>&1; then
  if desktop-file-validate "/usr/share/applications/$app_id.desktop" >"$work/dfv" 2>&1; then ok "desktop entry validates"
  else fail "desktop-file-validate"; sed 's/^/    /' "$work/dfv"; fi
fi
if command -v appstreamcli >/dev/null 2>&1; then
  if appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml" >"$work/asv" 2>&1; then ok "AppStream metadata validates"
  else fail "appstreamcli validate"; sed 's/^/    /' "$work/asv"; fi
fi
if command -v update-mime-database >/dev/null 2>&1; then
  # the shared-mime-info trigger has rebuilt the database
  if grep -q "^application/x-dc-designer-project:\*\.dcplan$" /usr/share/mime/globs 2>/dev/null; then ok "*.dcplan is application/x-dc-designer-project"
  else fail "*.dcplan is not in /usr/share/mime/globs"; fi
fi

if SMOKE_OUT="${SMOKE_OUT:-$here/dist/smoke-installed}" bash "$here/smoke_test.sh" dc-designer; then
  ok "smoke test on the installed command"
else
  fail "smoke test on the installed command"
fi
find /opt/dc-designer | sort >"$work/opt-now"
grep "^/opt/dc-designer" "$work/files" >"$work/opt-listed"
if ! diff -q "$work/opt-listed" "$work/opt-now" >/dev/null; then
  fail "running the app changed /opt/dc-designer:"; diff "$work/opt-listed" "$work/opt-now" | head -10 | sed 's/^/    /'
else
  ok "running the app wrote nothing into /opt/dc-designer ($(wc -l <"$work/opt-now") paths, as listed by dpkg -L)"
fi

if dpkg -r dc-designer >"$work/dpkg-r" 2>&1; then
  installed=0
  ok "dpkg -r dc-designer"
else
  fail "dpkg -r dc-designer"; sed 's/^/    /' "$work/dpkg-r"
fi
status="$(dpkg-query -W -f='${Status}' dc-designer 2>/dev/null || true)"
case "$status" in ""|*not-installed*) ok "dpkg knows no dc-designer any more" ;; *) fail "dpkg status after removal: $status" ;; esac
left=()
while read -r path; do
  if { [ -e "$path" ] || [ -L "$path" ]; } && ! grep -qxF "$path" "$work/existed"; then left+=("$path"); fi
done <"$work/files"
if ((${#left[@]})); then fail "left behind: ${left[*]}"; else ok "no file of the package's $(wc -l <"$work/files") is left"; fi
snapshot >"$work/after"
if ! diff -q "$work/before" "$work/after" >/dev/null; then
  fail "the watched folders differ from before the install:"; diff "$work/before" "$work/after" | head -10 | sed 's/^/    /'
else
  ok "${watched[*]} hold exactly what they held before the install"
fi

if [ "$failures" -ne 0 ]; then
  echo "deb-test: $failures check(s) failed" >&2
  exit 1
fi
echo "deb-test: all checks passed"
