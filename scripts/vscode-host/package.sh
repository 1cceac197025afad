#!/usr/bin/env bash
# `npm run package`: a production build, then `vsce package --no-dependencies` (the extension and
# the CLI are bundled, so no node_modules ship) with Node 24 from the tools cache: vsce 4 needs
# Node >= 22. What goes in is decided by .vscodeignore (an allow-list). Prints the size and files.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
cd "$REPO"
START=$SECONDS

eval "$(bash "$HERE/setup.sh" --node-only --print-env)"
N24_BIN="$(dirname "$VSC_NODE24")"

[[ -f README.md ]] || echo "package: warning: no README.md, so the extension page will be empty" >&2
node esbuild.config.mjs --production
NAME="$(node -p 'require("./package.json").name')"
VERSION="$(node -p 'require("./package.json").version')"
OUT="$REPO/$NAME-$VERSION.vsix"
rm -f "$OUT"
PATH="$N24_BIN:$PATH" npx --no-install vsce package --no-dependencies --out "$OUT"

echo "files in $(basename "$OUT"):"
unzip -l "$OUT" | sed '1,3d;$d' | sed '$d' | awk '{printf "  %9s  %s\n", $1, $4}'
echo "vsix: $(basename "$OUT") $(du -k "$OUT" | cut -f1) KiB ($(stat -c %s "$OUT") bytes), packaged in $((SECONDS - START))s"
