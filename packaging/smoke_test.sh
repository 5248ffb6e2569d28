#!/usr/bin/env bash
# Smoke test of a frozen build, used the way a user uses it. Exits non-zero if any check fails.
#
#   bash packaging/smoke_test.sh [path/to/dc-designer]    # default packaging/dist/dc-designer/dc-designer
#   SMOKE_OUT=folder bash packaging/smoke_test.sh ...      # keep screenshots and logs there
#                                                          # (default packaging/dist/smoke)
#   SMOKE_REQUIRE_X=1 ...                                  # fail instead of falling back to offscreen
#                                                          # when there is no xvfb-run (CI sets it)
#
# 1. Headless commands: --version, paths (into the bundle), validate (3 examples, 1 broken file),
#    info, analyze.
# 2. The GUI, once on a file and once with no file (the bundled example): a real X window under
#    Xvfb (xvfb-run; offscreen when there is none), which the app grabs after its first analysis
#    (DC_DESIGNER_SMOKE_SHOT, designer/ui/smoke.py) along with the whole X screen, then closes. The
#    exit status, the log (no ERROR, CRITICAL or traceback), stderr (no traceback) and both
#    pictures (not blank: check_png.py) are checked.
# 3. An export of every format, with no display and no QT_QPA_PLATFORM, as on a server; each file
#    is checked for its format's signature.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exe="${1:-$here/dist/dc-designer/dc-designer}"
out="${SMOKE_OUT:-$here/dist/smoke}"
python_bin="${SMOKE_PYTHON:-python3}"
timeout_s="${SMOKE_TIMEOUT:-240}"

if [ ! -x "$exe" ] && ! command -v "$exe" >/dev/null 2>&1; then
  echo "smoke: no executable at $exe (run packaging/build.sh first)" >&2
  exit 1
fi
exe="$(command -v "$exe")"
bundle="$(dirname "$(readlink -f "$exe")")"  # through /usr/bin/dc-designer -> /opt/... too
example="$bundle/_internal/resources/examples/ai_hall.dcplan"
[ -f "$example" ] || example="$(find "$bundle" -path '*resources/examples/ai_hall.dcplan' -print -quit)"
if [ -z "$example" ] || [ ! -f "$example" ]; then
  echo "smoke: FAIL  resources/examples/ai_hall.dcplan is not in the bundle $bundle" >&2
  exit 1
fi
examples="$(dirname "$example")"

# A throwaway home: the smoke test must neither read the tester's settings, catalog entries or
# recent files nor leave anything behind.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DC_DESIGNER_USER_DIR="$work/user" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DC_DESIGNER_RESOURCES DC_DESIGNER_SMOKE_SHOT  # the build must find its own bundled resources
rm -rf "$out"
mkdir -p "$out"

failures=0
fail() { echo "smoke: FAIL  $*"; failures=$((failures + 1)); }
check() {  # check NAME EXPECTED_STATUS COMMAND...
  local name="$1" expected="$2"; shift 2
  local output status
  output="$("$@" 2>&1)"; status=$?
  if [ "$status" -eq "$expected" ]; then
    echo "smoke: ok    $name"
  else
    fail "$name (exit $status, expected $expected)"
    echo "$output" | sed 's/^/    /' | head -20
  fi
  LAST_OUTPUT="$output"
}

# ------------------------------------------------------------------ 1. headless commands
export QT_QPA_PLATFORM=offscreen
check "--version" 0 "$exe" --version
case "$LAST_OUTPUT" in dc-designer\ *) ;; *) fail "--version printed: $LAST_OUTPUT";; esac
check "paths (bundled resources inside the build)" 0 "$exe" paths
case "$LAST_OUTPUT" in *"$bundle"*) ;; *) fail "paths does not point into the bundle: $LAST_OUTPUT";; esac
for name in ai_hall retrofit modular_campus; do
  check "validate $name" 0 "$exe" validate "$examples/$name.dcplan"
done
check "info" 0 "$exe" info "$example"
check "info --json" 0 "$exe" info --json "$example"
example_title="$(printf '%s\n' "$LAST_OUTPUT" | sed -n 's/^  "title": "\(.*\)",$/\1/p' | head -1)"

broken="$work/broken.dcplan"
printf '{"format": "dc-designer-project", "schema_version": 1, "items": 3}' >"$broken"
check "validate rejects a broken file with status 2" 2 "$exe" validate "$broken"

# analyze exits 0 (no error findings) or 1 (error findings); anything else is a broken build
output="$("$exe" analyze "$example" 2>&1)"; status=$?
if [ "$status" -le 1 ]; then
  echo "smoke: ok    analyze (exit $status)"
else
  fail "analyze (exit $status)"; echo "$output" | sed 's/^/    /' | head -20
fi
unset QT_QPA_PLATFORM

# ------------------------------------------------------------------ 2. the window
xvfb_run="${SMOKE_XVFB_RUN:-xvfb-run}"
if command -v "$xvfb_run" >/dev/null 2>&1; then
  platform=xcb
  launcher=("$xvfb_run" -a -s "-screen 0 1600x1000x24 -nolisten tcp")
elif [ "${SMOKE_REQUIRE_X:-0}" = 1 ]; then
  fail "no $xvfb_run: cannot open a real window (install xvfb)"
  platform=""
else
  echo "smoke: note  no $xvfb_run: the window is checked on Qt's offscreen platform, not under X"
  platform=offscreen
  launcher=()
fi

gui() {  # gui NAME EXPECTED_TITLE_PART [FILE]
  local name="$1" title_part="$2" file="${3:-}"
  local run="$work/gui-$name" shot="$out/$name.png" status
  mkdir -p "$run"
  local started=$SECONDS
  DC_DESIGNER_USER_DIR="$run/user" XDG_CONFIG_HOME="$run/config" DC_DESIGNER_SMOKE_SHOT="$shot" \
    QT_QPA_PLATFORM="$platform" timeout -k 10 "$timeout_s" "${launcher[@]}" "$exe" ${file:+"$file"} \
    >"$run/stdout" 2>"$run/stderr"
  status=$?
  local log="$run/user/logs/dc-designer.log"
  cp "$run/stderr" "$out/$name.stderr.txt"
  [ -f "$log" ] && cp "$log" "$out/$name.log"
  local problems=()
  [ "$status" -eq 0 ] || problems+=("exit $status$([ "$status" -eq 124 ] && echo ", timed out after $timeout_s s")")
  if [ ! -f "$log" ]; then
    problems+=("no log at $log")
  else
    grep -q "smoke: window closed" "$log" || problems+=("the log does not say the window closed")
    if grep -E -q " (ERROR|CRITICAL) |Traceback" "$log"; then problems+=("errors in the log"); fi
    grep -F -q "$title_part" "$log" || problems+=("the window title does not name '$title_part'")
  fi
  if grep -q "Traceback" "$run/stderr"; then problems+=("a traceback on stderr"); fi
  for picture in "$shot" "${shot%.png}-screen.png"; do
    if [ ! -f "$picture" ]; then
      problems+=("no picture $picture")
    elif ! "$python_bin" "$here/check_png.py" "$picture" >"$run/check" 2>&1; then
      problems+=("$(cat "$run/check")")
    fi
  done
  if ((${#problems[@]})); then
    fail "window $name: $(IFS=';'; echo "${problems[*]}")"
    [ -f "$log" ] && grep -E "ERROR|CRITICAL|Traceback|smoke" "$log" | head -20 | sed 's/^/    log: /'
    tail -20 "$run/stderr" | sed 's/^/    stderr: /'
  else
    echo "smoke: ok    window $name on $platform ($((SECONDS - started)) s): $(grep -o "first analysis shown after [0-9.]* s" "$log"), $shot"
  fi
}

if [ -n "$platform" ]; then
  if ! command -v "$python_bin" >/dev/null 2>&1; then
    fail "no $python_bin to check the screenshots with (set SMOKE_PYTHON)"
  fi
  gui on-file "retrofit.dcplan" "$examples/retrofit.dcplan"
  gui no-file "${example_title:-AI hall}"
fi

# ------------------------------------------------------------------ 3. every export format
signature() {  # signature FILE KIND: does FILE look like KIND?
  local file="$1" kind="$2"
  [ -s "$file" ] || return 1
  case "$kind" in
    png) [ "$(head -c 4 "$file" | od -An -c | tr -d ' \n')" = "211PNG" ] ;;
    pdf) [ "$(head -c 5 "$file")" = "%PDF-" ] ;;
    svg) head -c 4096 "$file" | grep -q "<svg" ;;
    dxf) head -c 200 "$file" | grep -q "SECTION" && tail -c 20 "$file" | grep -q "EOF" ;;
    csv) [ "$(head -1 "$file" | tr -cd ',' | wc -c)" -ge 2 ] && [ "$(wc -l <"$file")" -ge 2 ] ;;
    xlsx) [ "$(head -c 2 "$file")" = "PK" ] ;;
    *) return 1 ;;
  esac
}
mkdir -p "$out/export"
for fmt in png svg pdf dxf csv xlsx report; do
  case "$fmt" in report) target="$out/export/report.pdf"; kind=pdf ;; *) target="$out/export/plan.$fmt"; kind=$fmt ;; esac
  output="$(env -u DISPLAY -u WAYLAND_DISPLAY "$exe" export "$example" -f "$fmt" -o "$target" 2>&1)"; status=$?
  if [ "$status" -ne 0 ]; then
    fail "export $fmt (exit $status)"; echo "$output" | sed 's/^/    /' | head -20
  elif ! signature "$target" "$kind"; then
    fail "export $fmt: $target is not a $kind file"
  elif grep -q "Traceback" <<<"$output"; then
    fail "export $fmt printed a traceback"; echo "$output" | sed 's/^/    /' | head -20
  else
    echo "smoke: ok    export $fmt ($(wc -c <"$target") bytes)"
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "smoke: $failures check(s) failed (pictures and logs in $out)" >&2
  exit 1
fi
echo "smoke: all checks passed (pictures and logs in $out)"
