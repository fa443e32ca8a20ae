// The public face of the model, for clusters/<env>/cluster.ts and the generators.
import type { ClusterInput } from "./types.ts";

export type * from "./types.ts";
export { ModelError, resolveCluster } from "./validate.ts";

/**
 * Declares a cluster. It returns its argument unchanged: its job is to give the editor the types
 * (and their documentation) while you write `clusters/<env>/cluster.ts`. Defaults and the
 * environment's preset are applied, and everything validated, by `npm run generate`.
 */
export function defineCluster(input: ClusterInput): ClusterInput {
  return input;
}
