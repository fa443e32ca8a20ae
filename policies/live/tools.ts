// The live phase's binaries: etcd and one kube-apiserver per Kubernetes minor, each a pinned Go
// tool in tools/ that tools/bootstrap.sh builds on first use (they are not part of the plain
// bootstrap: `npm run all` never waits for them) and restores from the machine cache afterwards.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { clusterMinors } from "../engine/cluster-version.ts";

export const ETCD_TOOL = "etcd";
export const apiServerTool = (minor: string): string => `kube-apiserver-${minor}`;

/** Whether tools/ pins a kube-apiserver of this minor ("1.33"). */
export function hasApiServer(root: string, minor: string): boolean {
  return existsSync(join(root, "tools", apiServerTool(minor), "tool.sh"));
}

/** What the live phase needs for every committed cluster: etcd and an API server per minor. */
export function liveTools(root: string): string[] {
  return [
    ETCD_TOOL,
    ...clusterMinors(root)
      .filter((m) => hasApiServer(root, m))
      .map(apiServerTool),
  ];
}

export function binDir(root: string): string {
  return join(process.env.GREENLANG_TOOLS_DIR ?? join(root, ".tools"), "bin");
}

/**
 * Builds (first use) or restores the named tools through the bootstrap. Up to date, it says
 * nothing; otherwise the bootstrap's progress goes to stderr as it happens (a cold build of a
 * kube-apiserver takes minutes), never to stdout, which carries the gate's report.
 */
export function ensureTools(root: string, names: readonly string[]): void {
  const script = join(root, "tools", "bootstrap.sh");
  const check = spawnSync("bash", [script, "--check", ...names], { cwd: root, stdio: "ignore" });
  if (check.status === 0) return;
  process.stderr.write(
    `building ${names.join(", ")} on first use (tools/bootstrap.sh; later runs restore them from the machine cache)\n`,
  );
  const result = spawnSync("bash", [script, ...names], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0)
    throw new Error(
      `could not build ${names.join(", ")} (tools/bootstrap.sh exited ${result.status}; its output is above)`,
    );
}
