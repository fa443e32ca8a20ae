# Sourced by tools/bootstrap.sh (on first use: the platform end-to-end test builds it).
# The Prometheus server receives what the Collector's metrics pipeline forwards (its OTLP receiver)
# in the platform end-to-end test. Module v0.316.0 of github.com/prometheus/prometheus is
# Prometheus 3.16.0.
TOOL_NAME=prometheus
TOOL_VERSION=v3.16.0
TOOL_PACKAGE=github.com/prometheus/prometheus/cmd/prometheus
TOOL_ON_DEMAND=1
# `prometheus --version` reads these; unset it prints an empty version.
TOOL_LDFLAGS="-X github.com/prometheus/common/version.Version=${TOOL_VERSION#v} -X github.com/prometheus/common/version.Branch=HEAD"
