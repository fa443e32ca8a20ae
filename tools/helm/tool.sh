# Sourced by tools/bootstrap.sh. Helm renders every chart; `--kube-version` is always passed.
TOOL_NAME=helm
TOOL_VERSION=v3.22.0
TOOL_PACKAGE=helm.sh/helm/v3/cmd/helm
# helm reports its own version from a linker variable; without it `helm version` prints a bare minor.
TOOL_LDFLAGS="-X helm.sh/helm/v3/internal/version.version=${TOOL_VERSION}"
