#!/usr/bin/env bash
# `npm run test:vscode`: the integration suites inside a real VS Code (code-server) extension host,
# driven by headless chromium. Builds, installs the tools if missing (setup.sh), starts a fresh
# code-server on a free 127.0.0.1 port, runs driver.mjs, tears everything down.
# The LAST line is mocha's "N passed, N failed"; the exit code matches it.
#   bash scripts/vscode-host/run.sh            test mode (the default)
#   bash scripts/vscode-host/run.sh ui [steps] ui mode: no tests, run UI steps (default markdownPreview)
# Env: VSIX=path.vsix tests the installed .vsix instead of the dev folder; BROKEN_EXTENSION=1 tests
#      a copy whose activate() throws (the run must fail); TEST_GREP=text runs matching tests only;
#      KEEP_RUN_DIR=1 keeps the per-run state; SKIP_BUILD=1 tests dist/ as it is (the suites are
#      always rebuilt); VSC_TOOLS (see setup.sh); DRIVER_TIMEOUT seconds.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
MODE="${1:-test}"
UI_STEPS="${2:-markdownPreview}"
ARTIFACTS="$REPO/test-artifacts/vscode"
START=$SECONDS
log() { printf '[run.sh %3ss] %s\n' "$((SECONDS - START))" "$*"; }
timed() { # timed LABEL CMD...: runs CMD quietly unless it fails; records how long it took
  local label="$1" t0=$SECONDS out; shift
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out"
    log "$label FAILED"
    echo "0 passed, 1 failed (harness: $label failed, see above)"
    exit 1
  fi
  TIMINGS+=("$label $((SECONDS - t0))s")
}
TIMINGS=()
[[ "$MODE" == test || "$MODE" == ui ]] || { echo "usage: run.sh [test|ui [step,...]]" >&2; exit 2; }

cd "$REPO"
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
  log "SKIP_BUILD=1: testing the dist/ already built"
else
  timed build npm run build --silent
fi
timed build:tests npm run build:tests --silent
t0=$SECONDS
# setup.sh reports on stderr (shown as it goes) and prints only `export` lines on stdout.
if ! TOOLS_ENV="$(bash "$HERE/setup.sh" --print-env)"; then
  echo "0 passed, 1 failed (harness: setup.sh failed, see above)"
  exit 1
fi
eval "$TOOLS_ENV"
TIMINGS+=("setup $((SECONDS - t0))s")
N24_BIN="$(dirname "$VSC_NODE24")"

RUN="$(mktemp -d "${TMPDIR:-/tmp}/vsc-run.XXXXXX")"
CS_PID=""
cleanup() {
  local rc=$?
  # The group, not the pid: children may outlive a server that already exited.
  if [[ -n "$CS_PID" ]] && pgrep -g "$CS_PID" >/dev/null; then
    # The server's children (file watcher, tsserver) outlive it unless the whole group goes.
    kill -- "-$CS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do pgrep -g "$CS_PID" >/dev/null || break; sleep 0.1; done
    if pgrep -g "$CS_PID" >/dev/null; then
      log "still running 5s after SIGTERM, sending SIGKILL: $(ps -o pid=,comm= -g "$CS_PID" | tr -s ' \n' ' ')"
      kill -9 -- "-$CS_PID" 2>/dev/null || true
      for _ in $(seq 1 20); do pgrep -g "$CS_PID" >/dev/null || break; sleep 0.1; done
    fi
  fi
  mkdir -p "$ARTIFACTS"
  [[ -f "$RUN/server.log" ]] && cp "$RUN/server.log" "$ARTIFACTS/server.log"
  if [[ "${KEEP_RUN_DIR:-0}" == 1 ]]; then log "kept $RUN"; else rm -rf "$RUN"; fi
  return $rc
}
trap cleanup EXIT

mkdir -p "$RUN"/{user/User,ext,xdg-data,xdg-config,tmp,aws} "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png
cp "$HERE/settings.json" "$RUN/user/User/settings.json"

WS="$RUN/workspace"
if [[ -n "$(ls -A "$REPO/test/fixtures/docs" 2>/dev/null)" ]]; then
  cp -r "$REPO/test/fixtures/docs" "$WS"
else
  mkdir -p "$WS/guide"
  printf '# Fixture docs\n\nA tiny workspace for the host tests.\n\n## Setup\n\nRun `npm install`.\n' >"$WS/README.md"
  printf '# Proxy\n\nSet `HTTPS_PROXY` to reach Bedrock through a proxy.\n' >"$WS/guide/proxy.md"
fi

PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" >"$RUN/config.yaml"

# The env of the server is the env of the extension host: offline, no real AWS credentials.
SERVER_ENV=(
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_DEFAULT_PROFILE
  -u AWS_BEARER_TOKEN_BEDROCK -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_ROLE_ARN
  -u AWS_CONTAINER_CREDENTIALS_FULL_URI -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_ENDPOINT_URL
  -u AWS_ENDPOINT_URL_BEDROCK_RUNTIME
  "PATH=$N24_BIN:$PATH" "EXTENSIONS_GALLERY={}" "TMPDIR=$RUN/tmp"
  "XDG_DATA_HOME=$RUN/xdg-data" "XDG_CONFIG_HOME=$RUN/xdg-config"
  "AWS_CONFIG_FILE=$RUN/aws/config" "AWS_SHARED_CREDENTIALS_FILE=$RUN/aws/credentials" "AWS_EC2_METADATA_DISABLED=true"
  "BEDROCK_DOCS_TEST_UI_DRIVER=1"
)
[[ -n "${TEST_GREP:-}" ]] && SERVER_ENV+=("BEDROCK_DOCS_TEST_GREP=$TEST_GREP")
CS_ARGS=(--config "$RUN/config.yaml" --user-data-dir "$RUN/user" --extensions-dir "$RUN/ext")

# Which copy of the extension the host loads, and where the tests must find it.
EXT="$REPO"
if [[ -n "${VSIX:-}" ]]; then
  VSIX="$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")"
  timed install-vsix "${SERVER_ENV[@]}" "$VSC_CODE_SERVER" "${CS_ARGS[@]}" --install-extension "$VSIX"
  # extensionTestsPath needs some development folder; dist-test has no package.json, so nothing loads from it.
  EXT="$REPO/dist-test"
  EXPECT_DIR="$RUN/ext/"
  log "testing the installed $(basename "$VSIX"): $(ls "$RUN/ext" | grep -v '\.json$' | tr '\n' ' ')"
elif [[ "${BROKEN_EXTENSION:-0}" == 1 ]]; then
  EXT="$RUN/broken-ext"
  mkdir -p "$EXT/dist"
  cp package.json "$EXT/"
  cp dist/extension.js "$EXT/dist/extension.real.js"
  cat >"$EXT/dist/extension.js" <<'JS'
// BROKEN_EXTENSION=1: the real bundle, except that activate() throws. The run must fail.
const real = require('./extension.real.js');
module.exports = { ...real, activate() { throw new Error('BROKEN_EXTENSION: activate() throws on purpose'); } };
JS
  EXPECT_DIR="$EXT"
  log "BROKEN_EXTENSION=1: testing $EXT, whose activate() throws"
else
  EXPECT_DIR="$REPO"
fi
SERVER_ENV+=("BEDROCK_DOCS_TEST_EXT_DIR=$EXPECT_DIR")

log "starting code-server on 127.0.0.1:$PORT (state in $RUN)"
t0=$SECONDS
# No job control in a script: the background child is not a group leader, so setsid execs in place
# and $! is both the server's pid and its process group id.
setsid "${SERVER_ENV[@]}" "$VSC_CODE_SERVER" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened --vscode-option enable-smoke-test-driver >"$RUN/server.log" 2>&1 &
CS_PID=$!
# Poll /healthz from one node process (no curl on a bare Debian); give up if the server dies.
if ! node -e '
  const [url, pid] = process.argv.slice(1), deadline = Date.now() + 30000;
  (async () => {
    for (;;) {
      if (await fetch(url).then((r) => r.ok, () => false)) process.exit(0);
      try { process.kill(Number(pid), 0); } catch { console.error("code-server exited at start"); process.exit(1); }
      if (Date.now() > deadline) { console.error("no /healthz after 30s"); process.exit(1); }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();' "http://127.0.0.1:$PORT/healthz" "$CS_PID"; then
  cat "$RUN/server.log"
  echo "0 passed, 1 failed (harness: code-server did not come up, see above)"
  exit 1
fi
TIMINGS+=("server-up $((SECONDS - t0))s")

t0=$SECONDS
DRIVER=(node "$HERE/driver.mjs" --server "http://127.0.0.1:$PORT" --folder "$WS" --ext "$EXT"
  --artifacts "$ARTIFACTS" --timeout "${DRIVER_TIMEOUT:-240}")
if [[ "$MODE" == test ]]; then
  DRIVER+=(--tests "$REPO/dist-test/integration/index.js")
else
  DRIVER+=(--run "$UI_STEPS")
fi
set +e
"${DRIVER[@]}" 2>&1 | tee "$ARTIFACTS/driver.log"
rc=${PIPESTATUS[0]}
set -e
TIMINGS+=("driver $((SECONDS - t0))s")

t0=$SECONDS
trap - EXIT
cleanup || true
TIMINGS+=("teardown $((SECONDS - t0))s")
left=$(pgrep -g "$CS_PID" 2>/dev/null | wc -l || true)
log "timings: ${TIMINGS[*]}, total $((SECONDS - START))s; processes left from the server group: $left; artifacts in ${ARTIFACTS#"$REPO/"}"

if [[ "$MODE" == ui ]]; then
  echo "ui steps ($UI_STEPS): $([[ $rc -eq 0 ]] && echo ok || echo "failed, exit $rc")"
  exit "$rc"
fi
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$ARTIFACTS/driver.log" 2>/dev/null | tail -1 || true)
if [[ -z "$summary" ]]; then
  echo "0 passed, 1 failed (harness: no result from the extension host, driver exit $rc; see ${ARTIFACTS#"$REPO/"})"
  exit $((rc == 0 ? 1 : rc))
fi
failed="${summary#*passed, }"
failed="${failed% failed}"
((failed > 0 && rc == 0)) && rc=1
if ((failed == 0 && rc != 0)); then
  echo "$summary (but the driver exited $rc: see above)"
  exit "$rc"
fi
echo "$summary"
exit "$rc"
