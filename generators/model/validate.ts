// From what a cluster.ts states to a complete, valid `Cluster`: identity first (it picks the
// preset), then input over preset over defaults, then every field, then the cross-field rules.
// Any problem throws a ModelError listing every issue found, never only the first.

import { capacityIssues } from "../capacity/check.ts";
import { measured } from "../capacity/data.ts";
import { clusterSchema, identitySchema } from "./cluster-schema.ts";
import { defaultsFor } from "./defaults.ts";
import { deepMerge } from "./merge.ts";
import { PRESETS } from "./presets.ts";
import { crossFieldIssues } from "./rules.ts";
import { formatIssue, type Issue } from "./schema.ts";
import type { Cluster, Environment, Identity } from "./types.ts";

export class ModelError extends Error {
  readonly file: string;
  readonly issues: Issue[];
  constructor(file: string, issues: Issue[]) {
    super(issues.map((issue) => formatIssue(file, issue)).join("\n"));
    this.name = "ModelError";
    this.file = file;
    this.issues = issues;
  }
}

/** The path shown for the model as a whole (the module's default export). */
export const ROOT_PATH = "default export";

/**
 * @param input what the file's default export holds
 * @param file the file, relative to the repository root, as it should appear in messages
 * @param folderEnvironment the `<env>` of `clusters/<env>/`: a model must live in its own folder
 * @param opts.checkCapacity false to skip the Collector capacity check (generators/capacity/)
 */
export function resolveCluster(
  input: unknown,
  file: string,
  folderEnvironment: string,
  opts: { checkCapacity?: boolean } = {},
): Cluster {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ModelError(file, [
      { path: ROOT_PATH, expected: "a cluster model object (export default defineCluster({...}))", got: input },
    ]);
  }
  const identityIssues: Issue[] = [];
  const rawIdentity = (input as { identity?: unknown }).identity;
  identitySchema.check(rawIdentity, "identity", identityIssues);
  if (identityIssues.length > 0) throw new ModelError(file, identityIssues);
  const identity = rawIdentity as Identity;
  if (identity.environment !== folderEnvironment) {
    throw new ModelError(file, [
      {
        path: "identity.environment",
        expected: `"${folderEnvironment}" (the folder clusters/${folderEnvironment}/ the model lives in)`,
        got: identity.environment,
      },
    ]);
  }
  const environment: Environment = identity.environment;
  const merged = deepMerge(deepMerge(defaultsFor(identity), PRESETS[environment]), input);
  const issues: Issue[] = [];
  clusterSchema.check(merged, "", issues);
  if (issues.length > 0) throw new ModelError(file, issues);
  const cluster = merged as Cluster;
  const crossField = crossFieldIssues(cluster);
  // The Collector capacity check reads measurements as well as the model; `npm run capacity`
  // skips it to show the numbers of a cluster that fails it.
  if (opts.checkCapacity !== false) crossField.push(...capacityIssues(cluster, measured()));
  if (crossField.length > 0) throw new ModelError(file, crossField);
  return cluster;
}
