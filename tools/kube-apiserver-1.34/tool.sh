# Sourced by tools/bootstrap.sh (on first use: the gate's live phase and its tests build it).
# kube-apiserver of Kubernetes 1.34: the live phase applies every cluster whose model names
# 1.34 to it. Written by `bash tools/kube-apiserver/new-minor.sh v1.34.4`; re-run it to bump.
TOOL_NAME=kube-apiserver-1.34
TOOL_VERSION=v1.34.4
TOOL_PACKAGE=k8s.io/kubernetes/cmd/kube-apiserver
TOOL_ON_DEMAND=1
# The server reports (and derives its compatibility version from) these linker variables; unset,
# it calls itself v0.0.0-master.
TOOL_LDFLAGS="-X k8s.io/component-base/version.gitVersion=${TOOL_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34 -X k8s.io/component-base/version.gitTreeState=clean"
