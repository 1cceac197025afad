#!/usr/bin/env bash
# `npm test`: everything a reviewer checks, on a machine that has nothing installed.
#   1. tools: Chromium (apt), Node 24 and code-server (npm), cached in ~/.cache/vsc-host-tools;
#      a second or two when they are already there (scripts/vscode-host/setup.sh)
#   2. static checks: lint, typecheck, format
#   3. build, then the suites: unit, CLI end to end, webview in Chromium, extension in a real
#      VS Code host
# Every step runs even when an earlier one failed, so one run shows every problem; the summary at
# the end lists each step with its time, and the exit code is 1 when any step failed.
#   npm test                      everything
#   npm test -- unit e2e          only these steps (names as in the summary)
set -uo pipefail
cd "$(dirname "$0")/.."

ALL=(tools lint typecheck format build unit e2e webview vscode)
if [[ $# -gt 0 ]]; then
  for s in "$@"; do
    [[ " ${ALL[*]} " == *" $s "* ]] || { echo "npm test: unknown step '$s' (steps: ${ALL[*]})" >&2; exit 2; }
  done
  STEPS=("$@")
  # The e2e, webview and host suites run what the build produced; the browser ones need the tools.
  for s in e2e webview vscode; do [[ " ${STEPS[*]} " == *" $s "* ]] && STEPS+=(build); done
  for s in webview vscode; do [[ " ${STEPS[*]} " == *" $s "* ]] && STEPS+=(tools); done
else
  STEPS=("${ALL[@]}")
fi
want() { [[ " ${STEPS[*]} " == *" $1 "* ]]; }

START=$SECONDS
SUMMARY=()
FAILED=0
run_step() { # run_step NAME CMD...
  local name="$1" t0=$SECONDS rc
  shift
  want "$name" || return 0
  printf '\n\033[1m[npm test] %s\033[0m\n' "$name"
  "$@"
  rc=$?
  if [[ $rc -eq 0 ]]; then
    SUMMARY+=("ok      $name ($((SECONDS - t0)) s)")
  else
    SUMMARY+=("FAILED  $name ($((SECONDS - t0)) s, exit $rc)")
    FAILED=1
  fi
  return $rc
}

tools() {
  local envs
  envs="$(bash scripts/vscode-host/setup.sh --print-env)" || return 1
  eval "$envs"
}

run_step tools tools || echo "[npm test] the tools could not be installed: the browser and host suites will fail"
run_step lint npm run -s lint
run_step typecheck npm run -s typecheck
run_step format npm run -s format:check
run_step build npm run -s build
run_step unit npm run -s test:unit
run_step e2e npm run -s test:e2e
run_step webview npm run -s test:webview
run_step vscode env SKIP_BUILD=1 npm run -s test:vscode

printf '\n[npm test] summary (%s s in all)\n' "$((SECONDS - START))"
printf '  %s\n' "${SUMMARY[@]}"
exit $FAILED
