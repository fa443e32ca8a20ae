// `npm run bench -- pipeline`: the generated staging Collector pipeline under load, against a
// baseline measured in the same run on the same machine.
//   baseline  the same otelcol binary with a minimal config: OTLP/HTTP receiver → OTLP/gRPC
//             exporter to the store, nothing in between
//   pipeline  staging's committed configs: front (memory limiter, k8s attributes, redaction,
//             resource) → load_balancing by trace id → two tail-sampling gateways (persistent
//             queue) → the store
// The store is Jaeger v2 (memstore) on loopback for both. The driver is this process: OTLP/HTTP
// JSON requests of 50 spans (5 traces of 10 spans, 5% of traces with an error), paced to the
// offered rate, on one connection at a time. Each level runs DURATION_S seconds.
// Per level it prints: spans/s achieved, CPU seconds per second and spans per CPU-second of each
// tier (from /proc/<pid>/stat), peak RSS, bytes on the wire per span (JSON, uncompressed), and the
// p50/p99 latency from send to stored of probe traces (error traces, so tail sampling keeps them).
// Ratios are against the baseline at the same offered rate. Nothing here asserts: it measures.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Jaeger, startJaeger } from "../../../test/support/jaeger.ts";
import { committedCollectorConfigs } from "../../../test/support/platform.ts";
import { type RunningCollector, startCollector, stopAll } from "../tests/collector-process.ts";
import { forLoopback, loopbackPorts, metric } from "../tests/loopback.ts";
import { exportRequest, newTraceId, type TestSpan } from "../tests/otlp-client.ts";
import type { CollectorConfig } from "../tests/render.ts";

const LEVELS = (process.env.BENCH_LEVELS ?? "1000,3000,6000").split(",").map(Number);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const SPANS_PER_REQUEST = 50;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux x86-64). */
const TICKS = 100;

interface Tier {
  name: string;
  proc: RunningCollector;
  metricsPort: number;
  /** OTLP/gRPC port: where the front's load_balancing exporter finds a gateway. */
  grpcPort?: number;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return Number(line?.[1] ?? 0) * 1024;
}

function batch(probe: boolean): { body: string; spans: number; probeId?: string } {
  const spans: (TestSpan & { traceId: string })[] = [];
  let probeId: string | undefined;
  for (let t = 0; t < SPANS_PER_REQUEST / 10; t++) {
    const traceId = newTraceId();
    const error = probe && t === 0 ? true : Math.random() < 0.05;
    if (probe && t === 0) probeId = traceId;
    for (let s = 0; s < 10; s++) {
      spans.push({
        traceId,
        service: `svc-${t % 3}`,
        name: s === 0 ? "GET /api/orders/:id" : `db.query ${s}`,
        attributes: { "http.request.method": "GET", "http.route": "/api/orders/:id", "db.system": "postgresql" },
        error: error && s === 0,
        durationMs: 5 + s,
      });
    }
  }
  return { body: JSON.stringify(exportRequest(spans)), spans: spans.length, probeId };
}

async function drive(url: string, store: Jaeger, spansPerSecond: number, onSent: () => void) {
  const requestsPerSecond = spansPerSecond / SPANS_PER_REQUEST;
  const interval = 1000 / requestsPerSecond;
  const deadline = Date.now() + DURATION_S * 1000;
  let sent = 0;
  let bytes = 0;
  let next = Date.now();
  const probes = new Map<string, number>();
  const latencies: number[] = [];
  let request = 0;
  while (Date.now() < deadline) {
    const probe = request % Math.max(1, Math.round(requestsPerSecond / 4)) === 0;
    const { body, spans, probeId } = batch(probe);
    const response = await fetch(`${url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.ok) {
      sent += spans;
      bytes += Buffer.byteLength(body);
      if (probeId) probes.set(probeId, Date.now());
    }
    request++;
    next += interval;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  onSent();
  // Probe latency: poll the store until each probe trace is there (bounded), after the CPU
  // window closed, so that polling is not counted against the Collectors.
  const until = Date.now() + 30_000;
  while (probes.size > 0 && Date.now() < until) {
    for (const [id, at] of [...probes]) {
      if (((await store.getTrace(id)) ?? []).length > 0) {
        latencies.push(Date.now() - at);
        probes.delete(id);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { sent, bytes, latencies: latencies.sort((a, b) => a - b), lostProbes: probes.size };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

async function measure(label: string, tiers: Tier[], entry: string, store: Jaeger, rate: number) {
  const cpu0 = tiers.map((t) => cpuSeconds(t.proc.pid));
  const started = Date.now();
  let peak = tiers.map(() => 0);
  const sampler = setInterval(() => {
    peak = tiers.map((t, i) => Math.max(peak[i] as number, rssBytes(t.proc.pid)));
  }, 250);
  const accepted0 = await metric(tiers[0]?.metricsPort as number, "otelcol_receiver_accepted_spans");
  let seconds = 0;
  let cpu1: number[] = [];
  const result = await drive(entry, store, rate, () => {
    seconds = (Date.now() - started) / 1000;
    cpu1 = tiers.map((t) => cpuSeconds(t.proc.pid));
  });
  clearInterval(sampler);
  const accepted = (await metric(tiers[0]?.metricsPort as number, "otelcol_receiver_accepted_spans")) - accepted0;
  const perTier = tiers.map((t, i) => {
    const cpu = (cpu1[i] as number) - (cpu0[i] as number);
    return {
      name: t.name,
      cpuPerSecond: cpu / seconds,
      spansPerCpuSecond: accepted / Math.max(cpu, 1e-6),
      rss: peak[i] as number,
    };
  });
  return {
    label,
    rate,
    achieved: accepted / DURATION_S,
    bytesPerSpan: result.bytes / Math.max(result.sent, 1),
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    lostProbes: result.lostProbes,
    perTier,
  };
}

function baselineConfig(ports: Awaited<ReturnType<typeof loopbackPorts>>, store: string): CollectorConfig {
  return {
    receivers: {
      otlp: {
        protocols: { http: { endpoint: `127.0.0.1:${ports.http}` }, grpc: { endpoint: `127.0.0.1:${ports.grpc}` } },
      },
    },
    exporters: { "otlp_grpc/tempo": { endpoint: store, tls: { insecure: true } } },
    extensions: { health_check: { endpoint: `127.0.0.1:${ports.health}` } },
    service: {
      extensions: ["health_check"],
      pipelines: { traces: { receivers: ["otlp"], exporters: ["otlp_grpc/tempo"] } },
      telemetry: {
        logs: { level: "warn" },
        metrics: {
          level: "normal",
          readers: [
            {
              pull: {
                exporter: {
                  prometheus: {
                    host: "127.0.0.1",
                    port: ports.metrics,
                    without_type_suffix: true,
                    without_units: true,
                  },
                },
              },
            },
          ],
        },
      },
    },
  } as unknown as CollectorConfig;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

const dir = await mkdtemp(join(tmpdir(), "otelcol-bench-"));
const store = await startJaeger();
try {
  const configs = await committedCollectorConfigs("staging");
  const frontRendered = configs.get("front") as CollectorConfig;
  const gatewayRendered = configs.get("gateway") as CollectorConfig;

  const basePorts = await loopbackPorts();
  const base = await startCollector("baseline", baselineConfig(basePorts, store.otlpGrpcEndpoint), dir);
  const gateways: Tier[] = [];
  for (const n of [0, 1]) {
    const ports = await loopbackPorts();
    const config = forLoopback(gatewayRendered, ports, {
      tempo: store.otlpGrpcEndpoint,
      queueDir: join(dir, `queue-${n}`),
    });
    gateways.push({
      name: `gateway-${n}`,
      proc: await startCollector(`gateway-${n}`, config, dir),
      metricsPort: ports.metrics,
      grpcPort: ports.grpc,
    });
  }
  const frontPorts = await loopbackPorts();
  const frontConfig = forLoopback(frontRendered, frontPorts, {});
  frontConfig.exporters.load_balancing.resolver = {
    static: { hostnames: gateways.map((g) => `127.0.0.1:${g.grpcPort}`) },
  };
  const front: Tier = {
    name: "front",
    proc: await startCollector("front", frontConfig, dir),
    metricsPort: frontPorts.metrics,
  };

  console.log(
    `pipeline benchmark: staging configs, otelcol ${process.env.OTELCOL_VERSION ?? "v0.160.0"}, ${DURATION_S} s per level, ${SPANS_PER_REQUEST} spans per request (OTLP/HTTP JSON)`,
  );
  for (const rate of LEVELS) {
    const b = await measure(
      "baseline",
      [{ name: "baseline", proc: base, metricsPort: basePorts.metrics }],
      `http://127.0.0.1:${basePorts.http}`,
      store,
      rate,
    );
    const p = await measure("pipeline", [front, ...gateways], `http://127.0.0.1:${frontPorts.http}`, store, rate);
    const baseCost = (b.perTier[0]?.cpuPerSecond ?? 0) / Math.max(b.achieved, 1);
    const pipeCost = p.perTier.reduce((n, t) => n + t.cpuPerSecond, 0) / Math.max(p.achieved, 1);
    console.log(`\noffered ${rate} spans/s`);
    console.log(
      `  baseline  ${b.achieved.toFixed(0).padStart(6)} spans/s  cpu ${b.perTier[0]?.cpuPerSecond.toFixed(2)} cores  ${b.perTier[0]?.spansPerCpuSecond.toFixed(0)} spans/cpu-s  rss ${mib(b.perTier[0]?.rss ?? 0)}  store latency p50 ${b.p50} ms p99 ${b.p99} ms`,
    );
    console.log(
      `  pipeline  ${p.achieved.toFixed(0).padStart(6)} spans/s  store latency p50 ${p.p50} ms p99 ${p.p99} ms (decision wait included)${p.lostProbes ? `  ${p.lostProbes} probes missing` : ""}`,
    );
    for (const t of p.perTier) {
      console.log(
        `    ${t.name.padEnd(10)} cpu ${t.cpuPerSecond.toFixed(2)} cores  ${t.spansPerCpuSecond.toFixed(0)} spans/cpu-s  rss ${mib(t.rss)}`,
      );
    }
    console.log(
      `  bytes per span on the wire ${p.bytesPerSpan.toFixed(0)} (JSON)  CPU per span, pipeline / baseline: ratio ${(pipeCost / Math.max(baseCost, 1e-12)).toFixed(2)}`,
    );
    if (p.achieved < rate * 0.9)
      console.log(`  saturated: achieved ${((100 * p.achieved) / rate).toFixed(0)}% of the offered rate`);
  }
} finally {
  await stopAll();
  await store.stop();
  await rm(dir, { recursive: true, force: true });
}
