// The live phase's binaries: etcd and one kube-apiserver per Kubernetes minor, each a pinned Go
// tool in tools/ that tools/bootstrap.sh builds on first use (they are not part of the plain
// bootstrap: `npm run all` never waits for them) and restores from the machine cache afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

/**
 * The on-demand tools a test file declares in its `// needs tools: …` line ("kube-apiserver"
 * stands for etcd and the API server of every minor the models name). The test runner builds them
 * before the integration files start; the file itself calls ensureTools with the same list when
 * it is run on its own.
 */
export function declaredTools(root: string, file: string): string[] {
  const line = /^\/\/ needs tools: (.+)$/m.exec(readFileSync(file, "utf8"))?.[1] ?? "";
  const names = line.split(/\s+/).filter(Boolean);
  return [...new Set(names.flatMap((name) => (name === "kube-apiserver" ? liveTools(root) : [name])))].sort();
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
