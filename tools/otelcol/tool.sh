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
  # Only generate here: ocb's own `go mod tidy` fails because the proxy refuses a module that one
  # component imports in its *tests* only; `tidy -e` records everything the build itself needs.
  "$scratch/ocb" --config "$scratch/builder-config.yaml" --skip-compilation --skip-get-modules >/dev/null
  (cd "$src" && go mod tidy -e >/dev/null 2>&1 || true)
  (cd "$src" && go build -trimpath -ldflags="-s -w" -o "$out" .)
}
