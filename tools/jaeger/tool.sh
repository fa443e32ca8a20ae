# Sourced by tools/bootstrap.sh. Jaeger v2 (in-memory storage) is the trace store of the
# integration tests: it accepts OTLP and answers a query API, all on loopback.
TOOL_NAME=jaeger
TOOL_VERSION=v1.76.0
TOOL_PACKAGE=github.com/jaegertracing/jaeger/cmd/jaeger
TOOL_LDFLAGS=""
