// The rendered tree of a cluster at another git revision (the base of a change), read straight
// from git's object store: no checkout, so the work tree is never touched.
import { execFileSync } from "node:child_process";
import { holdsObjects } from "../../scripts/cluster-files.ts";
import { readBlobs } from "../../scripts/git.ts";
import { parseYamlFile } from "../engine/load.ts";
import type { K8sObject } from "../engine/types.ts";

/** Every object of clusters/<environment>/ at `commit`, or null when the cluster did not exist then. */
export function baseObjects(root: string, commit: string, environment: string): K8sObject[] | null {
  const listing = execFileSync("git", ["ls-tree", "-r", "--name-only", commit, "--", `clusters/${environment}/`], {
    cwd: root,
    encoding: "utf8",
  });
  const files = listing.split("\n").filter(holdsObjects);
  if (files.length === 0) return null;
  const texts = readBlobs(
    root,
    files.map((f) => `${commit}:${f}`),
  );
  return files.flatMap((file, i) => parseYamlFile(file, texts[i] as string).objects);
}
