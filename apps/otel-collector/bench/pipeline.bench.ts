// `npm run bench -- pipeline`: the generated staging Collector pipeline under load, against a
// baseline measured in the same run on the same machine.
//   baseline  the same otelcol binary with a minimal config: OTLP/HTTP receiver → OTLP/gRPC
//             exporter to the store, nothing in between
//   pipeline  staging's committed configs: front (memory limiter, k8s attributes, redaction,
//             resource) → load_balancing by trace id → two tail-sampling gateways (persistent
//             queue) → the store
// The store is Jaeger v2 (memstore) on loopback for both. The load is what the SDK sends
// (load.ts: OTLP/HTTP protobuf, gzip level 1, 50 spans of one service per request). Each level
// runs BENCH_SECONDS seconds (BENCH_LEVELS: offered spans/s, comma-separated).
// Per level it prints: spans/s achieved, CPU cores and spans per CPU-second of each tier (each
// tier's own accepted spans), peak RSS, bytes per span on the wire and as protobuf, and the
// p50/p99 latency from send to stored of probe traces (error traces, which tail sampling keeps;
// the gateways' decision wait is part of it). Ratios are against the baseline at the same offered
// rate. Nothing here asserts: it measures. `npm run capacity -- --measure` records the per-tier
// figures the generators size clusters with.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectorVersion } from "../../../generators/capacity/data.ts";
import { startJaeger } from "../../../test/support/jaeger.ts";
import { stopAll } from "../tests/collector-process.ts";
import { measureLevel, SPANS_PER_REQUEST, startBaseline, startTwoTier } from "./load.ts";

const LEVELS = (process.env.BENCH_LEVELS ?? "2000,8000,20000,40000").split(",").map(Number);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

const dir = await mkdtemp(join(tmpdir(), "otelcol-bench-"));
const store = await startJaeger();
try {
  const base = await startBaseline(dir, store);
  const pipeline = await startTwoTier("staging", dir, store);
  console.log(
    `pipeline benchmark: staging configs, otelcol ${collectorVersion()}, ${DURATION_S} s per level, ${SPANS_PER_REQUEST} spans per request (OTLP/HTTP protobuf, gzip)`,
  );
  for (const rate of LEVELS) {
    const b = await measureLevel(base.tiers, base.entry, store, rate, DURATION_S);
    const p = await measureLevel(pipeline.tiers, pipeline.entry, store, rate, DURATION_S);
    const baseTier = b.tiers[0];
    const baseCost = (baseTier?.cpuPerSecond ?? 0) / Math.max(b.achieved, 1);
    const pipeCost = p.tiers.reduce((n, t) => n + t.cpuPerSecond, 0) / Math.max(p.achieved, 1);
    console.log(`\noffered ${rate} spans/s`);
    console.log(
      `  baseline  ${b.achieved.toFixed(0).padStart(6)} spans/s  cpu ${baseTier?.cpuPerSecond.toFixed(2)} cores  ${baseTier?.spansPerCpuSecond.toFixed(0)} spans/cpu-s  rss ${mib(baseTier?.rss ?? 0)}  store latency p50 ${b.p50} ms p99 ${b.p99} ms`,
    );
    console.log(
      `  pipeline  ${p.achieved.toFixed(0).padStart(6)} spans/s  store latency p50 ${p.p50} ms p99 ${p.p99} ms (decision wait included)${p.lostProbes ? `  ${p.lostProbes} probes missing` : ""}`,
    );
    for (const t of p.tiers) {
      console.log(
        `    ${t.name.padEnd(10)} cpu ${t.cpuPerSecond.toFixed(2)} cores  ${t.spansPerCpuSecond.toFixed(0)} spans/cpu-s (ratio to baseline ${(t.spansPerCpuSecond / Math.max(baseTier?.spansPerCpuSecond ?? 1, 1)).toFixed(2)})  rss ${mib(t.rss)}`,
      );
    }
    console.log(
      `  bytes per span: ${p.bytesPerSpan.toFixed(0)} on the wire (gzip), ${p.protobufBytesPerSpan.toFixed(0)} as protobuf  CPU per span, pipeline / baseline: ratio ${(pipeCost / Math.max(baseCost, 1e-12)).toFixed(2)}`,
    );
    if (p.achieved < rate * 0.9)
      console.log(`  saturated: achieved ${((100 * p.achieved) / rate).toFixed(0)}% of the offered rate`);
  }
} finally {
  await stopAll();
  await store.stop();
  await rm(dir, { recursive: true, force: true });
}
