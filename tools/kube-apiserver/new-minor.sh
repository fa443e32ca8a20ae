#!/usr/bin/env bash
# Writes (or re-pins) the Go module that builds kube-apiserver of one Kubernetes release:
#   bash tools/kube-apiserver/new-minor.sh v1.33.13   → tools/kube-apiserver-1.33/{go.mod,go.sum,tool.sh}
# k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces every k8s.io/* staging module
# with a folder of its own repository. This module requires k8s.io/kubernetes at the release and
# replaces each of those staging modules with its published v0.<minor>.<patch>, the list read from
# that release's own go.mod, so the set never goes stale on a bump.
set -euo pipefail
version=${1:?usage: new-minor.sh v1.<minor>.<patch>}
[[ $version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "new-minor.sh: expected v1.<minor>.<patch>, got $version" >&2; exit 2; }
minor=${BASH_REMATCH[1]} patch=${BASH_REMATCH[2]}
staging=v0.$minor.$patch
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=$root/tools/kube-apiserver-1.$minor
mod=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
[ -f "$mod" ] || { echo "new-minor.sh: could not fetch k8s.io/kubernetes@$version from the module proxy" >&2; exit 1; }
modules=$(sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$mod")
[ -n "$modules" ] || { echo "new-minor.sh: $version's go.mod replaces no staging module; has its layout changed?" >&2; exit 1; }
go_line=$(grep -m1 '^go ' "$mod")
mkdir -p "$dir"
{
  echo "// Builds kube-apiserver $version for the gate's live phase (tools/kube-apiserver/new-minor.sh wrote this)."
  echo "module greenlang.io/obs003/tools/kube-apiserver-1.$minor"
  echo
  echo "$go_line"
  echo
  echo "tool k8s.io/kubernetes/cmd/kube-apiserver"
  echo
  echo "require k8s.io/kubernetes $version"
  echo
  echo "replace ("
  for m in $modules; do printf '\t%s => %s %s\n' "$m" "$m" "$staging"; done
  echo ")"
} > "$dir/go.mod"
rm -f "$dir/go.sum"
(cd "$dir" && GOFLAGS=-mod=mod go mod tidy)
cat > "$dir/tool.sh" <<TOOL
# Sourced by tools/bootstrap.sh (on first use: the gate's live phase and its tests build it).
# kube-apiserver of Kubernetes 1.$minor: the live phase applies every cluster whose model names
# 1.$minor to it. Written by \`bash tools/kube-apiserver/new-minor.sh $version\`; re-run it to bump.
TOOL_NAME=kube-apiserver-1.$minor
TOOL_VERSION=$version
TOOL_PACKAGE=k8s.io/kubernetes/cmd/kube-apiserver
TOOL_ON_DEMAND=1
# The server reports (and derives its compatibility version from) these linker variables; unset,
# it calls itself v0.0.0-master.
TOOL_LDFLAGS="-X k8s.io/component-base/version.gitVersion=\${TOOL_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
TOOL
echo "wrote tools/kube-apiserver-1.$minor (kube-apiserver $version, staging modules at $staging: $(echo "$modules" | wc -l))"
echo "now pin it in versions.json: \"kube-apiserver-1.$minor\": \"$version\" under \"tools\" (tools/tests/pins.test.ts holds the two together)"
