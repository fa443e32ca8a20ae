# Sourced by tools/bootstrap.sh. Jaeger v2 (in-memory storage) is the trace store of the
# integration tests: it accepts OTLP and answers a query API, all on loopback.
TOOL_NAME=jaeger
TOOL_VERSION=v1.76.0
TOOL_PACKAGE=github.com/jaegertracing/jaeger/cmd/jaeger
# Jaeger reports its version from linker variables; without them `jaeger version` prints blanks.
TOOL_LDFLAGS="-X github.com/jaegertracing/jaeger/internal/version.latestVersion=${TOOL_VERSION}"
