#!/usr/bin/env bash
# Smoke test of a frozen build: --version, validate, info (and analyze when the build has it),
# headless. Exits non-zero on the first failure.
#
#   bash packaging/smoke_test.sh [path/to/dist/dc-designer/dc-designer]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exe="${1:-$here/dist/dc-designer/dc-designer}"
export QT_QPA_PLATFORM=offscreen
# A throwaway user folder: the smoke test must not read the tester's own catalog entries.
DC_DESIGNER_USER_DIR="$(mktemp -d)"
export DC_DESIGNER_USER_DIR
trap 'rm -rf "$DC_DESIGNER_USER_DIR"' EXIT
unset DC_DESIGNER_RESOURCES  # the build must find its own bundled resources

failures=0
check() {  # check NAME EXPECTED_STATUS COMMAND...
  local name="$1" expected="$2"; shift 2
  local output status
  output="$("$@" 2>&1)"; status=$?
  if [ "$status" -eq "$expected" ]; then
    echo "smoke: ok    $name"
  else
    echo "smoke: FAIL  $name (exit $status, expected $expected)"
    echo "$output" | sed 's/^/    /' | head -20
    failures=$((failures + 1))
  fi
  LAST_OUTPUT="$output"
}

if [ ! -x "$exe" ]; then
  echo "smoke: no executable at $exe (run packaging/build.sh first)" >&2
  exit 1
fi
bundle="$(dirname "$exe")"
example="$(find "$bundle" -path '*resources/examples/ai_hall.dcplan' -print -quit)"
if [ -z "$example" ]; then
  echo "smoke: FAIL  resources/examples/ai_hall.dcplan is not in the bundle" >&2
  exit 1
fi

check "--version" 0 "$exe" --version
case "$LAST_OUTPUT" in dc-designer\ *) ;; *) echo "smoke: FAIL  --version printed: $LAST_OUTPUT"; failures=$((failures + 1));; esac
check "paths (bundled resources inside the build)" 0 "$exe" paths
case "$LAST_OUTPUT" in *"$bundle"*) ;; *) echo "smoke: FAIL  paths does not point into the bundle: $LAST_OUTPUT"; failures=$((failures + 1));; esac
for name in ai_hall retrofit modular_campus; do
  check "validate $name" 0 "$exe" validate "$(dirname "$example")/$name.dcplan"
done
check "info" 0 "$exe" info "$example"
check "info --json" 0 "$exe" info --json "$example"

broken="$(mktemp --suffix=.dcplan)"
printf '{"format": "dc-designer-project", "schema_version": 1, "items": 3}' >"$broken"
check "validate rejects a broken file with status 2" 2 "$exe" validate "$broken"
rm -f "$broken"

# analyze exits 0 (no error findings) or 1 (error findings); 2 only if the build lacks the engine.
output="$("$exe" analyze "$example" 2>&1)"; status=$?
if [ "$status" -le 1 ]; then
  echo "smoke: ok    analyze (exit $status)"
elif [ "$status" -eq 2 ] && [[ "$output" == *"not available"* ]]; then
  echo "smoke: skip  analyze ($output)"
else
  echo "smoke: FAIL  analyze (exit $status)"; echo "$output" | sed 's/^/    /' | head -20
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "smoke: $failures check(s) failed" >&2
  exit 1
fi
echo "smoke: all checks passed"
