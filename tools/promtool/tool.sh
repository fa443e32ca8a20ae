# Sourced by tools/bootstrap.sh (on first use: the observability rule tests build it).
# promtool lints the alerting rules and runs their unit tests. It is built from the Prometheus
# module pinned in tools/prometheus (module v0.316.0 is Prometheus 3.16.0), with that tool's
# version and flags, so the server and promtool never differ.
# shellcheck disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../prometheus/tool.sh"
TOOL_NAME=promtool
TOOL_MODULE=prometheus
TOOL_PACKAGE=github.com/prometheus/prometheus/cmd/promtool
TOOL_ON_DEMAND=1
