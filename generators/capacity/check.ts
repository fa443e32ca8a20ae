// Can a cluster's Collector carry the ingest its model declares? Each tier's pods × CPU request ×
// the throughput measured for that tier (data.ts), against the model's ingest in spans per second
// (tempo.ingestMBps ÷ tempo.bytesPerSpan). Every tier carries every span: the front receives what
// services send, the gateways receive all of it before tail sampling keeps a share.
//
// Two choices, and why:
// - the CPU request, not the limit: the request is what the scheduler guarantees a pod; the limit
//   is a ceiling it reaches only when its node has CPU to spare, which a busy hour does not give;
// - the replica floor (an autoscaled front's `replicas`), less one pod: a pod can always be down
//   (a rollout, a drained node, a crash), and the HPA adds pods only after CPU has been high for a
//   while. A tier of one pod has no such headroom; it is checked with its one pod, and says so.
import { cpuCores } from "../model/quantities.ts";
import type { Issue } from "../model/schema.ts";
import type { Cluster, Workload } from "../model/types.ts";
import { MEASURED_FILE, type Measured, type TierName } from "./data.ts";

export interface TierCapacity {
  tier: TierName;
  /** The model path of the tier's workload, e.g. `collector.front`. */
  path: string;
  replicas: number;
  cpuRequest: string;
  spansPerCpuSecond: number;
  /** Spans per second the tier must carry. */
  load: number;
  /** Spans per second the tier carries with every pod up. */
  capacity: number;
  /** Pods counted for the check: replicas − 1, or 1 for a one-pod tier. */
  podsCounted: number;
  /** Spans per second the counted pods carry. */
  capacityCounted: number;
  /** capacityCounted ÷ load − 1: the spare share (negative = short). */
  headroom: number;
}

/** Spans per second the model declares: ingest MB/s ÷ bytes per span (MB = 10^6 bytes). */
export function ingestSpansPerSecond(cluster: Cluster): number {
  return (cluster.tempo.ingestMBps * 1e6) / cluster.tempo.bytesPerSpan;
}

function tiersOf(cluster: Cluster): [TierName, string, Workload][] {
  const { collector } = cluster;
  return collector.mode === "single"
    ? [["single", "collector.front", collector.front]]
    : [
        ["front", "collector.front", collector.front],
        ["gateway", "collector.gateway", collector.gateway],
      ];
}

export function collectorCapacity(cluster: Cluster, data: Measured): TierCapacity[] {
  const load = ingestSpansPerSecond(cluster);
  return tiersOf(cluster).map(([tier, path, workload]) => {
    const spansPerCpuSecond = data.tiers[tier].spansPerCpuSecond;
    const perPod = cpuCores(workload.resources.requests.cpu) * spansPerCpuSecond;
    const podsCounted = Math.max(1, workload.replicas - 1);
    return {
      tier,
      path,
      replicas: workload.replicas,
      cpuRequest: workload.resources.requests.cpu,
      spansPerCpuSecond,
      load,
      capacity: perPod * workload.replicas,
      podsCounted,
      capacityCounted: perPod * podsCounted,
      headroom: (perPod * podsCounted) / load - 1,
    };
  });
}

const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

/** Model issues for every tier that cannot carry the declared ingest with one pod down. */
export function capacityIssues(cluster: Cluster, data: Measured): Issue[] {
  return collectorCapacity(cluster, data)
    .filter((t) => t.headroom < 0)
    .map((t) => {
      const perPod = t.capacity / t.replicas;
      // The fewest pods (at this CPU request) that carry the load with one down: short means one
      // pod cannot carry it alone, so every answer has more than one pod, and a spare.
      const needed = Math.ceil(t.load / perPod) + 1;
      const down = t.replicas > 1 ? " with one pod down" : "";
      return {
        path: `${t.path}.replicas`,
        expected:
          `at least ${needed} pods at ${t.cpuRequest} CPU requested each (or more CPU per pod) to carry ` +
          `${thousands(t.load)} spans/s${down} (tempo.ingestMBps ${cluster.tempo.ingestMBps} MB/s ÷ ` +
          `tempo.bytesPerSpan ${cluster.tempo.bytesPerSpan} B): the ${t.tier} tier carries ` +
          `${thousands(t.spansPerCpuSecond)} spans per CPU-second, measured on otelcol ${data.collectorVersion} ` +
          `(${MEASURED_FILE}), so ${t.podsCounted === 1 ? "1 pod carries" : `${t.podsCounted} pods carry`} ${thousands(t.capacityCounted)}`,
        got: t.replicas,
      };
    });
}
