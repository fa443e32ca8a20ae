// `npm run capacity -- --measure`: measures each Collector tier's throughput per CPU-second with
// the committed configs (two-tier: staging's front and gateways; single: dev's collector) under
// the load the pipeline benchmark sends, and rewrites measured.json. Run it when the Collector is
// bumped (a test fails until it is) or the configs change their processors.
//
// Spans per CPU-second is measured at a load no tier saturates on a 2-core machine, where CPU
// time is what a tier used, whatever else the machine runs; a tier is cheaper per span at higher
// load (fuller batches), so the figure errs on the safe side. Runs alternate between the two
// topologies, and the median of the runs is kept.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { measureLevel, startSingle, startTwoTier, type Topology } from "../../apps/otel-collector/bench/load.ts";
import { stopAll } from "../../apps/otel-collector/tests/collector-process.ts";
import { median } from "../../scripts/stats.ts";
import { startJaeger } from "../../test/support/jaeger.ts";
import { collectorVersion, MEASURE_COMMAND, type Measured, type TierName } from "./data.ts";

const OFFERED = 6_000;
const SECONDS = 10;
const RUNS = 3;

export async function measure(): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), "otelcol-capacity-"));
  const store = await startJaeger();
  try {
    const topologies: [string, Topology, (name: string) => TierName | undefined][] = [
      [
        "staging",
        await startTwoTier("staging", dir, store),
        (n) => (n === "front" ? "front" : n.startsWith("gateway") ? "gateway" : undefined),
      ],
      ["dev", await startSingle("dev", dir, store), (n) => (n === "single" ? "single" : undefined)],
    ];
    const runs: Record<TierName, number[]> = { single: [], front: [], gateway: [] };
    const rss: Record<TierName, number> = { single: 0, front: 0, gateway: 0 };
    const protobuf: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      for (const [env, topology, tierOf] of topologies) {
        const level = await measureLevel(topology.tiers, topology.entry, store, OFFERED, SECONDS, { probes: false });
        protobuf.push(level.protobufBytesPerSpan);
        const line: string[] = [];
        for (const t of level.tiers) {
          const tier = tierOf(t.name);
          if (!tier) continue;
          runs[tier].push(t.spansPerCpuSecond);
          rss[tier] = Math.max(rss[tier], t.rss);
          line.push(`${t.name} ${Math.round(t.spansPerCpuSecond)} spans/cpu-s`);
        }
        console.log(`run ${run}/${RUNS} ${env}: ${Math.round(level.achieved)} spans/s accepted; ${line.join(", ")}`);
      }
    }
    const tier = (name: TierName) => ({
      // The median of the runs as recorded, so anyone can recompute it from the file.
      spansPerCpuSecond: Math.round(median(runs[name].map(Math.round))),
      runs: runs[name].map(Math.round),
      peakRssMiB: Math.round(rss[name] / 1048576),
    });
    return {
      $comment: `Written by \`${MEASURE_COMMAND}\` (generators/capacity/measure.ts); do not edit by hand.`,
      collectorVersion: collectorVersion(),
      measuredOn: {
        date: new Date().toISOString().slice(0, 10),
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        node: process.version,
      },
      load: {
        offeredSpansPerSecond: OFFERED,
        secondsPerRun: SECONDS,
        runs: RUNS,
        protobufBytesPerSpan: Math.round(median(protobuf)),
      },
      configs: { single: "clusters/dev", front: "clusters/staging", gateway: "clusters/staging" },
      tiers: { single: tier("single"), front: tier("front"), gateway: tier("gateway") },
    };
  } finally {
    await stopAll();
    await store.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function writeMeasured(file: string, data: Measured): Promise<void> {
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
