// The Kubernetes minor each cluster model names (identity.kubernetesVersion), read from the
// model's source without loading it: the gate picks schemas by it, the live phase an API server.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The cluster model's identity.kubernetesVersion, as a minor version ("1.33"). */
export function clusterKubernetesVersion(root: string, environment: string): string | null {
  const file = join(root, "clusters", environment, "cluster.ts");
  if (!existsSync(file)) return null;
  const match = /kubernetesVersion:\s*["'](\d+\.\d+)\.\d+["']/.exec(readFileSync(file, "utf8"));
  return match?.[1] ?? null;
}

/** Every minor the committed cluster models name, sorted. */
export function clusterMinors(root: string): string[] {
  const dir = join(root, "clusters");
  const environments = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
  const minors = environments.map((e) => clusterKubernetesVersion(root, e)).filter((m): m is string => m !== null);
  return [...new Set(minors)].sort();
}
