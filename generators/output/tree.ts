// The generated part of the working tree as a map (path relative to the root → content), and the
// comparison of two such maps.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { outsideFiles } from "../render/ci-values.ts";
import { clusterDir } from "../render/cluster.ts";

/** The one hand-edited file under clusters/<env>/. */
export const MODEL_FILE_NAME = "cluster.ts";

async function walk(dir: string, found: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else found.push(path);
  }
  return found;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** What `generate` owns for one environment as it is on disk now. */
export async function readGenerated(root: string, environment: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const modelPath = `${clusterDir(environment)}/${MODEL_FILE_NAME}`;
  const paths = (await walk(join(root, clusterDir(environment))))
    .map((absolute) => toPosix(relative(root, absolute)))
    .filter((path) => path !== modelPath)
    .sort();
  const contents = await Promise.all(paths.map((path) => readFile(join(root, path), "utf8")));
  paths.forEach((path, i) => {
    files.set(path, contents[i] as string);
  });
  for (const path of outsideFiles(environment)) {
    const text = await readFile(join(root, path), "utf8").catch(() => undefined);
    if (text !== undefined) files.set(path, text);
  }
  return files;
}

export interface TreeDifference {
  /** Expected but not on disk. */
  missing: string[];
  /** On disk but not expected. */
  extra: string[];
  /** On both, different content. */
  changed: string[];
  unchanged: number;
}

export function compareTrees(expected: Map<string, string>, actual: Map<string, string>): TreeDifference {
  const difference: TreeDifference = { missing: [], extra: [], changed: [], unchanged: 0 };
  for (const [path, content] of expected) {
    const current = actual.get(path);
    if (current === undefined) difference.missing.push(path);
    else if (current !== content) difference.changed.push(path);
    else difference.unchanged += 1;
  }
  for (const path of actual.keys()) if (!expected.has(path)) difference.extra.push(path);
  for (const list of [difference.missing, difference.extra, difference.changed]) list.sort();
  return difference;
}

/** Top-level folders under clusters/<env>/ that hold files, from a tree map. */
export function foldersOf(files: Iterable<string>, environment: string): Set<string> {
  const prefix = `${clusterDir(environment)}/`;
  const folders = new Set<string>();
  for (const path of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    if (rest.includes("/")) folders.add(rest.slice(0, rest.indexOf("/")));
  }
  return folders;
}
