// needs tools: kube-apiserver argocd kustomize prometheus
// The on-demand tools (built on first use, not by a plain bootstrap) report the versions pinned in
// their tools/<tool>/tool.sh, and each kube-apiserver module builds exactly the release it names.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { clusterMinors } from "../../policies/engine/cluster-version.ts";
import { declaredTools, ensureTools } from "../../policies/live/tools.ts";
import { BIN, ROOT, toolPin } from "./toolchain.ts";

ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
const run = (bin: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(join(BIN, bin), args, { encoding: "utf8", env: { ...process.env, ...env } });
const apiServerDirs = readdirSync(join(ROOT, "tools")).filter((d) => /^kube-apiserver-1\.\d+$/.test(d));

test("etcd reports the pinned version", () => {
  assert.match(run("etcd", ["--version"]), new RegExp(`^etcd Version: ${toolPin("etcd").version.slice(1)}$`, "m"));
});

test("every cluster model's minor has a pinned kube-apiserver, which reports its release", () => {
  for (const minor of clusterMinors(ROOT)) assert.ok(apiServerDirs.includes(`kube-apiserver-${minor}`), minor);
  for (const dir of apiServerDirs) {
    assert.is(run(dir, ["--version"]).trim(), `Kubernetes ${toolPin(dir).version}`);
  }
});

test("argocd and kustomize report the pinned versions", () => {
  assert.match(
    run("argocd", ["version", "--client", "--short"], { ARGOCD_BINARY_NAME: "argocd" }),
    new RegExp(`^argocd: ${toolPin("argocd").version}\\b`),
  );
  assert.match(run("kustomize", ["version"]), new RegExp(`^${toolPin("kustomize").version}$`, "m"));
});

test("prometheus reports the pinned release (module v0.316.0 is Prometheus 3.16.0)", () => {
  assert.match(
    run("prometheus", ["--version"]),
    new RegExp(`^prometheus, version ${toolPin("prometheus").version.slice(1)} `),
  );
  assert.match(
    readFileSync(join(ROOT, "tools", "prometheus", "go.mod"), "utf8"),
    /github\.com\/prometheus\/prometheus v0\.316\.0\b/,
  );
});

test("kustomize is the version Argo CD's own release ships (its hack/tool-versions.sh)", () => {
  // The argo-cd module is in the module cache once argocd was built.
  const dir = execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/argoproj/argo-cd/v3"], {
    cwd: join(ROOT, "tools", "argocd"),
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  }).trim();
  const shipped = /^kustomize5_version=(\S+)$/m.exec(readFileSync(join(dir, "hack", "tool-versions.sh"), "utf8"))?.[1];
  assert.is(`v${shipped}`, toolPin("kustomize").version);
});

test.run();
