// Finds the repository's own files by suffix (tests, benchmarks), never looking inside installed
// packages, built output, pinned tools or test fixtures.
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";

export const ROOT = join(import.meta.dirname, "..");
const SKIP_DIRS = new Set(["node_modules", ".tools", ".git", "dist", "fixtures", ".cache"]);

/** Paths relative to the repository root, sorted, of every file whose name ends with `suffix`. */
export async function findRepoFiles(suffix: string, dir = ROOT, found: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await findRepoFiles(suffix, join(dir, entry.name), found);
    } else if (entry.name.endsWith(suffix)) {
      found.push(relative(ROOT, join(dir, entry.name)));
    }
  }
  return found.sort();
}
