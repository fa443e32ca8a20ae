# Sourced by tools/bootstrap.sh. Two steps: build the pinned ocb from this module, then let ocb
# generate the Collector's sources from builder-config.yaml and compile them.
TOOL_NAME=otelcol
TOOL_VERSION=v0.160.0
TOOL_PACKAGE=go.opentelemetry.io/collector/cmd/builder
TOOL_LDFLAGS=""

# Overrides the plain `go build` of the bootstrap. $1 = output binary, $2 = scratch folder.
tool_build() {
  local out=$1 scratch=$2 src
  go build -trimpath -ldflags="-s -w" -o "$scratch/ocb" "$TOOL_PACKAGE"
  src="$scratch/src"
  sed "s#^  output_path: .*#  output_path: $src#" builder-config.yaml > "$scratch/builder-config.yaml"
  # ocb writes the sources and go.mod, then runs `go mod tidy`, which fails here: the module proxy
  # refuses a module that one component imports in its *tests* only. `tidy -e` then records
  # everything the build itself needs, and a missing build dependency still fails `go build`.
  "$scratch/ocb" --config "$scratch/builder-config.yaml" --skip-compilation >"$scratch/ocb.log" 2>&1 || true
  [ -f "$src/go.mod" ] && [ -f "$src/components.go" ] || { cat "$scratch/ocb.log" >&2; return 1; }
  (cd "$src" && go mod tidy -e >/dev/null 2>&1 || true)
  (cd "$src" && go build -trimpath -ldflags="-s -w" -o "$out" .)
}
