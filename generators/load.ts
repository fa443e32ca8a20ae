// Finding and loading the cluster models: every clusters/<env>/cluster.ts, imported as a module
// (Node strips the types), resolved over its preset and validated.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Cluster, ENVIRONMENTS } from "./model/types.ts";
import { ModelError, resolveCluster } from "./model/validate.ts";
import { modelFile } from "./render/header.ts";

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Promotion order (dev, staging, prod), then any other folder by name: every run lists clusters alike. */
function byPromotionOrder(a: string, b: string): number {
  const rank = (name: string) => {
    const index = (ENVIRONMENTS as readonly string[]).indexOf(name);
    return index === -1 ? ENVIRONMENTS.length : index;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Folders under clusters/, split by whether they hold a model. */
export async function discoverClusters(root: string): Promise<{ models: string[]; orphans: string[] }> {
  const dir = join(root, "clusters");
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const models: string[] = [];
  const orphans: string[] = [];
  for (const entry of entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .sort((a, b) => byPromotionOrder(a.name, b.name))) {
    ((await exists(join(dir, entry.name, "cluster.ts"))) ? models : orphans).push(entry.name);
  }
  return { models, orphans };
}

export async function loadCluster(
  root: string,
  environment: string,
  opts: { checkCapacity?: boolean } = {},
): Promise<Cluster> {
  const file = modelFile(environment);
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(join(root, file)).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ModelError(file, [{ path: "default export", expected: "a module that loads", got: reason }]);
  }
  return resolveCluster(module.default, file, environment, opts);
}
