// `npm run impact`: the impact of the generated tree in the work tree (or at --head) over the one
// at --base (default HEAD), for every cluster either side has.

import { filesAt, resolveRef } from "../../scripts/git.ts";
import { readGenerated } from "../output/tree.ts";
import { tfvarsPath } from "../render/tfvars.ts";
import { type ClusterImpact, computeImpact, type Tree } from "./model.ts";

const ENVIRONMENT = /^clusters\/([^/]+)\//;

function environmentsOf(...trees: Tree[]): string[] {
  const found = new Set<string>();
  for (const tree of trees)
    for (const path of tree.keys()) {
      const env = ENVIRONMENT.exec(path)?.[1];
      if (env) found.add(env);
    }
  return [...found].sort();
}

/** The generated files of every cluster at a revision. */
export function generatedAt(root: string, ref: string): Tree {
  const commit = resolveRef(root, ref);
  const tree = filesAt(root, commit, "clusters/");
  for (const env of environmentsOf(tree)) {
    for (const [path, text] of filesAt(root, commit, tfvarsPath(env))) tree.set(path, text);
  }
  return tree;
}

/** The generated files of every cluster in the work tree. */
export async function generatedInWorkTree(root: string, environments: readonly string[]): Promise<Tree> {
  const tree: Tree = new Map();
  for (const env of environments) for (const [path, text] of await readGenerated(root, env)) tree.set(path, text);
  return tree;
}

export function impactOf(before: Tree, after: Tree): ClusterImpact[] {
  return environmentsOf(before, after).map((env) => computeImpact(before, after, env));
}
