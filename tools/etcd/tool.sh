# Sourced by tools/bootstrap.sh (on first use: the gate's live phase and its tests build it).
# etcd is the store of every throw-away kube-apiserver the live phase starts, on loopback.
TOOL_NAME=etcd
TOOL_VERSION=v3.6.16
TOOL_PACKAGE=go.etcd.io/etcd/server/v3
TOOL_ON_DEMAND=1
# etcd reports its version from its own constant (api/v3/version), so nothing to stamp here.
TOOL_LDFLAGS=""
