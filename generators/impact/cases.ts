// Real changes of the committed models, rendered in memory and compared with the committed tree:
// the cases the impact tests hold (and the closing notes quote).
import devInput from "../../clusters/dev/cluster.ts";
import prodInput from "../../clusters/prod/cluster.ts";
import stagingInput from "../../clusters/staging/cluster.ts";
import type { ClusterInput, Environment } from "../model/types.ts";
import { resolveCluster } from "../model/validate.ts";
import { readGenerated } from "../output/tree.ts";
import { renderCluster } from "../render/cluster.ts";
import { type ClusterImpact, computeImpact } from "./model.ts";

const INPUTS: Record<Environment, ClusterInput> = { dev: devInput, staging: stagingInput, prod: prodInput };

export interface ImpactCase {
  name: string;
  environment: Environment;
  /** Returns the edited model (a deep copy of the committed one is passed in). */
  edit: (input: ClusterInput) => ClusterInput;
}

export const CASES: ImpactCase[] = [
  {
    name: "prod keeps traces 30 days",
    environment: "prod",
    edit: (m) => ({ ...m, tempo: { ...m.tempo, retentionHours: 720 } }),
  },
  {
    name: "staging samples half as many ordinary traces",
    environment: "staging",
    edit: (m) => ({
      ...m,
      collector: {
        ...m.collector,
        sampling: {
          policies: [
            { name: "drop-health-checks", type: "drop-paths", paths: ["/healthz", "/livez", "/readyz", "/metrics"] },
            { name: "keep-errors", type: "errors" },
            { name: "keep-slow", type: "latency", thresholdMs: 2000 },
            { name: "baseline", type: "probabilistic", percent: 5 },
          ],
        },
      },
    }),
  },
  {
    name: "staging adds an ingester",
    environment: "staging",
    edit: (m) => ({ ...m, tempo: { ...m.tempo, ingester: { ...m.tempo?.ingester, replicas: 4 } } }),
  },
  {
    name: "prod doubles the ingesters' volumes",
    environment: "prod",
    edit: (m) => ({ ...m, tempo: { ...m.tempo, ingester: { ...m.tempo?.ingester, volumeSize: "100Gi" } } }),
  },
  {
    name: "staging moves to Kubernetes 1.34",
    environment: "staging",
    edit: (m) => ({ ...m, identity: { ...m.identity, kubernetesVersion: "1.34.0" } }),
  },
  {
    // Zone-aware: ingesters come and go a zone's worth at a time (6 → 3, one fewer per zone); at
    // 20 MB/s the sizing floor is 4 ingesters, so the ingest the model states drops first.
    name: "prod, at 15 MB/s, removes an ingester per zone",
    environment: "prod",
    edit: (m) => ({ ...m, tempo: { ...m.tempo, ingestMBps: 15, ingester: { ...m.tempo?.ingester, replicas: 3 } } }),
  },
];

export async function impactOfCase(root: string, c: ImpactCase): Promise<ClusterImpact> {
  const input = c.edit(structuredClone(INPUTS[c.environment]));
  const cluster = resolveCluster(input, `clusters/${c.environment}/cluster.ts`, c.environment);
  const [output, committed] = await Promise.all([renderCluster(root, cluster), readGenerated(root, c.environment)]);
  return computeImpact(committed, output.files, c.environment);
}
