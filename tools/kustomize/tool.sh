# Sourced by tools/bootstrap.sh (on first use: the Argo CD end-to-end test builds it).
# Argo CD's repo-server renders every application folder with `kustomize build`; the rendered tree
# has a kustomization.yaml in each folder, so the test needs the binary Argo CD would run.
TOOL_NAME=kustomize
TOOL_VERSION=v5.7.0
TOOL_PACKAGE=sigs.k8s.io/kustomize/kustomize/v5
TOOL_ON_DEMAND=1
# `kustomize version` reads this linker variable; unset it prints "(devel)".
TOOL_LDFLAGS="-X sigs.k8s.io/kustomize/api/provenance.version=${TOOL_VERSION}"
