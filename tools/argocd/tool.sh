# Sourced by tools/bootstrap.sh (on first use: the Argo CD end-to-end test builds it).
# Argo CD is one multi-call binary that acts as the component its file name (or
# ARGOCD_BINARY_NAME) names; the test runs argocd-repo-server and argocd-application-controller.
TOOL_NAME=argocd
TOOL_VERSION=v3.2.0
TOOL_PACKAGE=github.com/argoproj/argo-cd/v3/cmd
TOOL_ON_DEMAND=1
# `argocd version` and the controller's logs read these; unset they say 99.99.99.
TOOL_LDFLAGS="-X github.com/argoproj/argo-cd/v3/common.version=${TOOL_VERSION#v} -X github.com/argoproj/argo-cd/v3/common.gitTag=${TOOL_VERSION} -X github.com/argoproj/argo-cd/v3/common.gitTreeState=clean"
