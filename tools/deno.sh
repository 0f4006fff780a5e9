#!/usr/bin/env bash
# Runs the pinned Deno, installing it from the npm package `deno` into .deno/
# when the one on PATH is missing or another version. Usage: tools/deno.sh ARGS...
set -euo pipefail
DENO_VERSION="2.9.6"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_deno="$root/.deno/node_modules/deno/deno"

if command -v deno >/dev/null 2>&1 && deno --version 2>/dev/null | head -n1 | grep -q "^deno ${DENO_VERSION} "; then
  exec deno "$@"
fi
if [ ! -x "$local_deno" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Cannot install Deno ${DENO_VERSION}: npm is not on PATH (install Node.js and npm, or put deno ${DENO_VERSION} on PATH)" >&2
    exit 1
  fi
  echo "Installing Deno ${DENO_VERSION} from npm into $root/.deno ..." >&2
  mkdir -p "$root/.deno"
  npm install --prefix "$root/.deno" --no-save --no-audit --no-fund --loglevel=error "deno@${DENO_VERSION}" >&2
fi
exec "$local_deno" "$@"
