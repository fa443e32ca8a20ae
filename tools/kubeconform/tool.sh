# Sourced by tools/bootstrap.sh. A second opinion on schema checks in tests, never the gate itself.
TOOL_NAME=kubeconform
TOOL_VERSION=v0.8.0
TOOL_PACKAGE=github.com/yannh/kubeconform/cmd/kubeconform
TOOL_LDFLAGS="-X main.version=${TOOL_VERSION}"
