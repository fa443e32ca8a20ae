// Putting a rendered cluster in place all at once. The new clusters/<env>/ is assembled in a
// scratch folder on the same filesystem (.cache/generate/, git-ignored) and swapped in with two
// renames, so stale files vanish and an interrupted run leaves either the old or the new tree,
// never a mixture. The hand-edited cluster.ts is carried over byte for byte.
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { clusterDir } from "../render/cluster.ts";
import { tfvarsPath } from "../render/tfvars.ts";
import { MODEL_FILE_NAME } from "./tree.ts";

export function scratchDir(root: string): string {
  return join(root, ".cache", "generate");
}

export async function swapCluster(root: string, environment: string, files: Map<string, string>): Promise<void> {
  const scratch = scratchDir(root);
  await mkdir(scratch, { recursive: true });
  const staged = await mkdtemp(join(scratch, `${environment}-new-`));
  const target = join(root, clusterDir(environment));
  const prefix = `${clusterDir(environment)}/`;
  const tfvars = tfvarsPath(environment);
  const tfvarsStaged = join(root, `${tfvars}.generate-tmp`);
  try {
    await copyFile(join(target, MODEL_FILE_NAME), join(staged, MODEL_FILE_NAME));
    const writes = [...files].filter(([path]) => path.startsWith(prefix));
    const destinations = writes.map(([path]) => join(staged, path.slice(prefix.length)));
    for (const dir of new Set(destinations.map((destination) => dirname(destination)))) {
      await mkdir(dir, { recursive: true });
    }
    // The staged folder is private until the rename below: write its files concurrently.
    await Promise.all(writes.map(([, content], i) => writeFile(destinations[i] as string, content)));
    const tfvarsContent = files.get(tfvars);
    if (tfvarsContent !== undefined) {
      await mkdir(dirname(tfvarsStaged), { recursive: true });
      await writeFile(tfvarsStaged, tfvarsContent);
    }
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    await rm(tfvarsStaged, { force: true });
    throw error;
  }
  const previous = `${staged.replace(/-new-([^/]+)$/, "-old-$1")}`;
  await rename(target, previous);
  try {
    await rename(staged, target);
  } catch (error) {
    await rename(previous, target);
    await rm(tfvarsStaged, { force: true });
    throw error;
  }
  if (files.has(tfvars)) await rename(tfvarsStaged, join(root, tfvars));
  await rm(previous, { recursive: true, force: true });
}

/** Removes a cluster that no longer has a model (only with --allow-remove). */
export async function removeCluster(root: string, environment: string): Promise<void> {
  await rm(join(root, clusterDir(environment)), { recursive: true, force: true });
  await rm(join(root, tfvarsPath(environment)), { force: true });
}
