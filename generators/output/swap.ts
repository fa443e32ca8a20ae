// Putting a rendered cluster in place all at once. The new clusters/<env>/ is assembled in a
// scratch folder on the same filesystem (.cache/generate/, git-ignored) and swapped in with two
// renames, so stale files vanish and an interrupted run leaves either the old or the new tree,
// never a mixture. The hand-edited cluster.ts is carried over byte for byte. The files generate
// owns outside the folder (Terraform inputs, the charts' ci values) are each written beside
// their target first and renamed into place once the folder is.
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { outsideFiles } from "../render/ci-values.ts";
import { clusterDir } from "../render/cluster.ts";
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
  const outside = [...files].filter(([path]) => !path.startsWith(prefix));
  const stagedOutside = outside.map(([path]) => join(root, `${path}.generate-tmp`));
  const dropStagedOutside = () => Promise.all(stagedOutside.map((path) => rm(path, { force: true })));
  try {
    await copyFile(join(target, MODEL_FILE_NAME), join(staged, MODEL_FILE_NAME));
    const writes = [...files].filter(([path]) => path.startsWith(prefix));
    const destinations = writes.map(([path]) => join(staged, path.slice(prefix.length)));
    for (const dir of new Set([...destinations, ...stagedOutside].map((destination) => dirname(destination)))) {
      await mkdir(dir, { recursive: true });
    }
    // The staged folder is private until the rename below: write its files concurrently.
    await Promise.all(writes.map(([, content], i) => writeFile(destinations[i] as string, content)));
    await Promise.all(outside.map(([, content], i) => writeFile(stagedOutside[i] as string, content)));
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    await dropStagedOutside();
    throw error;
  }
  const previous = `${staged.replace(/-new-([^/]+)$/, "-old-$1")}`;
  await rename(target, previous);
  try {
    await rename(staged, target);
  } catch (error) {
    await rename(previous, target);
    await dropStagedOutside();
    throw error;
  }
  for (const [i, [path]] of outside.entries()) await rename(stagedOutside[i] as string, join(root, path));
  await rm(previous, { recursive: true, force: true });
}

/** Removes a cluster that no longer has a model (only with --allow-remove). */
export async function removeCluster(root: string, environment: string): Promise<void> {
  await rm(join(root, clusterDir(environment)), { recursive: true, force: true });
  await Promise.all(outsideFiles(environment).map((path) => rm(join(root, path), { force: true })));
}
