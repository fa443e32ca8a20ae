// The Collector is unreachable and a service ends 1,000,000 spans. The same workload runs in
// three child processes: tracing off (OTEL_SDK_DISABLED=true), this distribution exporting to a
// reachable OTLP sink (the baseline: what an outage must not make worse), and this distribution
// exporting to a port where nothing listens (exports refused, retried until their timeout).
// Targets: heap growth ≤ 64 MB (live heap: the most held at ten checkpoints, each after a full
// GC; the peak of heapUsed, garbage included, is printed too), event-loop p99 delay up by ≤ 5 ms over the same workload with
// tracing off (the delta over the reachable run is printed too), and
// every span accounted for exactly (exported + dropped + queued = 1,000,000).
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { freePort } from "../../scripts/ports.ts";
import { untracedEnv } from "../../scripts/process.ts";

const TOTAL = 1_000_000;
const fixture = join(import.meta.dirname, "fixtures", "span-load.ts");
const baseEnv = untracedEnv();

interface Result {
  seconds: number;
  heapPeakGrowthMB: number;
  heapRetainedGrowthMB: number;
  heapLivePeakGrowthMB: number;
  heapAfterShutdownGrowthMB: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
  stats: {
    enabled: boolean;
    exported: number;
    dropped: number;
    droppedQueueFull: number;
    droppedExportFailed: number;
    queued: number;
  };
}

// Asynchronous spawn: the reachable run exports to the sink served by this very process.
function run(env: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", fixture], {
      env: { ...baseEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`span-load failed (${code}):\n${out}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as Result);
    });
  });
}

const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200).end());
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
const deadPort = await freePort();

const off = await run({ OTEL_SDK_DISABLED: "true" });
const reachable = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, GL_SHUTDOWN_TIMEOUT_MS: "10000" });
const unreachable = await run({
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}`,
  OTEL_LOG_LEVEL: "none",
  GL_SHUTDOWN_TIMEOUT_MS: "2000",
});
sink.close();

const s = unreachable.stats;
const accounted = s.exported + s.droppedQueueFull + s.droppedExportFailed + s.queued;
const p99Delta = unreachable.p99ms - off.p99ms;
const p99OverReachable = unreachable.p99ms - reachable.p99ms;
const fmt = (n: number) => n.toFixed(2).padStart(13);
const row = (label: string, pick: (r: Result) => number, note = "") =>
  console.log(`  ${label.padEnd(26)}${fmt(pick(off))}${fmt(pick(reachable))}${fmt(pick(unreachable))}  ${note}`);
console.log(`Collector unreachable: ${TOTAL.toLocaleString("en")} server spans, 4 attributes, 100 per event-loop turn`);
console.log(`  ${"".padEnd(26)}${"tracing off".padStart(13)}${"reachable".padStart(13)}${"unreachable".padStart(13)}`);
row("run time (s)", (r) => r.seconds);
row(
  "heap growth, live MB",
  (r) => r.heapLivePeakGrowthMB,
  `(most held at any of 10 checkpoints, after GC; target ≤ 64) ${unreachable.heapLivePeakGrowthMB <= 64 ? "OK" : "OVER"}`,
);
row("heap used, peak MB", (r) => r.heapPeakGrowthMB, "(garbage not yet collected included)");
row("heap growth at end MB", (r) => r.heapRetainedGrowthMB);
row("loop delay p50 (ms)", (r) => r.p50ms);
row(
  "loop delay p99 (ms)",
  (r) => r.p99ms,
  `(up by ${p99Delta.toFixed(2)} over tracing off, target ≤ 5: ${p99Delta <= 5 ? "OK" : "OVER"}; ${p99OverReachable.toFixed(2)} over reachable)`,
);
row("loop delay max (ms)", (r) => r.maxms);
console.log(
  `  unreachable spans: exported ${s.exported}, dropped queue full ${s.droppedQueueFull}, dropped export failed ${s.droppedExportFailed}, queued ${s.queued}: ${accounted} of ${TOTAL} ${accounted === TOTAL ? "accounted exactly" : "MISMATCH"}`,
);
const r = reachable.stats;
console.log(`  reachable spans: exported ${r.exported}, dropped ${r.dropped}, queued ${r.queued}`);
