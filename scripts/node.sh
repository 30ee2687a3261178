#!/usr/bin/env bash
# Runs Node.js 24 with the given arguments: the machine's node when it is 22 or newer, else the Node 24 that
# scripts/setup.sh installed from the npm registry into .local/node. Its folder leads PATH, so every node
# a script or a child process starts is the same one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundled="$root/.local/node/bin/node"
if [[ -x $bundled ]]; then
  export PATH="$root/.local/node/bin:$PATH"
  exec "$bundled" "$@"
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if (( major < 22 )); then
  echo "node.sh: Node.js $(node --version) is too old and no Node 24 is installed in .local/node: run bash scripts/setup.sh" >&2
  exit 1
fi
exec node "$@"
