// Puts the generated Collector configs under measured load on loopback: used by the pipeline
// benchmark (`npm run bench -- pipeline`) and by the capacity measurement (`npm run capacity --
// --measure`), so the figures the generators check clusters against are the benchmark's own.
//
// The driver is this process, sending what @greenlang/tracing sends: OTLP/HTTP protobuf, gzip
// level 1, one resource per request (one service's batch), built by the upstream SDK and its
// protobuf serializer. A request holds 50 spans: 5 traces of 10 spans (a server span and nine
// children with database and HTTP-client attributes), 5 % of traces with an error. Requests are
// built before the clock starts and paced to the offered rate, one connection at a time.
//
// Per tier it measures CPU seconds (utime + stime of /proc/<pid>/stat) over the sending window,
// the spans the tier itself accepted (its own otelcol_receiver_accepted_spans), peak RSS, and, for
// probe traces (error traces, which tail sampling keeps), the time from send to stored, polled
// every 100 ms while the load runs (so it is within about 100 ms plus a store query or two).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { spansEndedBy } from "../../../sdk/test/support.ts";
import type { Jaeger } from "../../../test/support/jaeger.ts";
import { committedCollectorConfigs, committedTwoTierConfigs } from "../../../test/support/platform.ts";
import { type RunningCollector, startCollector } from "../tests/collector-process.ts";
import { forLoopback, loopbackPorts, metric } from "../tests/loopback.ts";
import type { CollectorConfig } from "../tests/render.ts";

export const SPANS_PER_REQUEST = 50;
const TRACES_PER_REQUEST = 5;
const ERROR_TRACE_SHARE = 0.05;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux x86-64). */
const TICKS = 100;

export interface Tier {
  name: string;
  proc: RunningCollector;
  metricsPort: number;
  /** OTLP/gRPC port: where the front's load_balancing exporter finds a gateway. */
  grpcPort?: number;
}

export interface TierFigures {
  name: string;
  /** CPU cores the tier used over the window (CPU seconds per second). */
  cpuPerSecond: number;
  /** Spans this tier accepted per CPU second it used. */
  spansPerCpuSecond: number;
  /** Peak resident memory over the window. */
  rss: number;
}

export interface LevelFigures {
  rate: number;
  /** Spans per second the entry tier accepted. */
  achieved: number;
  /** Request bytes on the wire per span (gzip'd protobuf, as the SDK sends). */
  bytesPerSpan: number;
  /** Uncompressed protobuf bytes per span: what Tempo's distributor counts as bytes received. */
  protobufBytesPerSpan: number;
  p50: number;
  p99: number;
  lostProbes: number;
  tiers: TierFigures[];
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

interface Request {
  body: Uint8Array<ArrayBuffer>;
  protobufBytes: number;
  /** An error trace of this request, when it carries a latency probe. */
  probeId?: string;
}

const SERVICES = ["checkout-api", "orders-worker", "catalog-web"];

/** One service's batch: TRACES_PER_REQUEST traces of 10 spans, the first an error trace when `probe`. */
function request(n: number, probe: boolean): Request {
  const service = SERVICES[n % SERVICES.length] as string;
  let probeId: string | undefined;
  const spans = spansEndedBy(
    {
      "service.name": service,
      "service.version": "1.42.0",
      "deployment.environment.name": "staging",
      "telemetry.sdk.language": "nodejs",
      "telemetry.sdk.name": "opentelemetry",
      "telemetry.sdk.version": "2.2.0",
      "host.name": `${service}-7f9c5d8b6-x2k4q`,
      "process.pid": 1,
    },
    (tracer) => {
      for (let t = 0; t < TRACES_PER_REQUEST; t++) {
        const error = (probe && t === 0) || Math.random() < ERROR_TRACE_SHARE;
        const root = tracer.startSpan("GET /api/orders/:id", {
          kind: SpanKind.SERVER,
          attributes: {
            "http.request.method": "GET",
            "http.route": "/api/orders/:id",
            "url.path": `/api/orders/${n}-${t}`,
            "url.scheme": "http",
            "server.address": "orders.greenlang.internal",
            "server.port": 8080,
            "network.protocol.version": "1.1",
            "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) greenlang-web/4.2",
            "http.response.status_code": error ? 500 : 200,
          },
        });
        if (probe && t === 0) probeId = root.spanContext().traceId;
        const parent = trace.setSpan(context.active(), root);
        for (let s = 1; s < 10; s++) {
          const child =
            s % 3 === 0
              ? tracer.startSpan(
                  "POST",
                  {
                    kind: SpanKind.CLIENT,
                    attributes: {
                      "http.request.method": "POST",
                      "server.address": "payments.greenlang.internal",
                      "server.port": 443,
                      "url.full": "https://payments.greenlang.internal/v2/authorize",
                      "http.response.status_code": 200,
                    },
                  },
                  parent,
                )
              : tracer.startSpan(
                  "SELECT orders",
                  {
                    kind: SpanKind.CLIENT,
                    attributes: {
                      "db.system.name": "postgresql",
                      "db.namespace": "orders",
                      "db.operation.name": "SELECT",
                      "db.collection.name": "orders",
                      "db.query.text": "SELECT id, status, total FROM orders WHERE id = $1",
                      "server.address": "orders-db.greenlang.internal",
                      "server.port": 5432,
                    },
                  },
                  parent,
                );
          child.end();
        }
        if (error) root.setStatus({ code: SpanStatusCode.ERROR, message: "upstream timeout" });
        root.end();
      }
    },
  );
  const protobuf = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
  // Copied out once here, not per send: fetch takes an ArrayBuffer-backed view.
  return { body: new Uint8Array(gzipSync(protobuf, { level: 1 })), protobufBytes: protobuf.byteLength, probeId };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

/** Sends `seconds` of load at `spansPerSecond` into `entry` (http://host:port) and measures `tiers`. */
export async function measureLevel(
  tiers: Tier[],
  entry: string,
  store: Jaeger,
  spansPerSecond: number,
  seconds: number,
  opts: { probes?: boolean } = {},
): Promise<LevelFigures> {
  const requestsPerSecond = spansPerSecond / SPANS_PER_REQUEST;
  const total = Math.max(1, Math.round(requestsPerSecond * seconds));
  // About four latency probes per second.
  const probeEvery = opts.probes === false ? Number.POSITIVE_INFINITY : Math.max(1, Math.round(requestsPerSecond / 4));
  const requests = Array.from({ length: total }, (_, i) => request(i, i % probeEvery === 0));

  const accepted0 = await Promise.all(tiers.map((t) => metric(t.metricsPort, "otelcol_receiver_accepted_spans")));
  const cpu0 = tiers.map((t) => cpuSeconds(t.proc.pid));
  let peak = tiers.map(() => 0);
  const sampler = setInterval(() => {
    peak = tiers.map((t, i) => Math.max(peak[i] as number, rssBytes(t.proc.pid)));
  }, 250);
  const started = Date.now();
  const interval = 1000 / requestsPerSecond;
  const probes = new Map<string, number>();
  const latencies: number[] = [];
  // Probes are looked for while the load runs (the store is its own process: the tiers' CPU is
  // not charged for it), so a probe's latency is its own, not the rest of the window.
  let sending = true;
  let stopPollingAt = Number.POSITIVE_INFINITY;
  const poller = (async () => {
    while (sending || (probes.size > 0 && Date.now() < stopPollingAt)) {
      // Oldest first, stopping at the first not yet stored: probes arrive in about the order they
      // were sent, so a tick costs the store one or two queries, not one per pending probe (which
      // at a 10 s decision wait would take CPU from the tiers being measured).
      for (const [id, at] of [...probes]) {
        if (((await store.getTrace(id)) ?? []).length === 0) break;
        latencies.push(Date.now() - at);
        probes.delete(id);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  let sentSpans = 0;
  let wireBytes = 0;
  let protobufBytes = 0;
  for (const [i, r] of requests.entries()) {
    const response = await fetch(`${entry}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf", "content-encoding": "gzip" },
      body: r.body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (response.ok) {
      sentSpans += SPANS_PER_REQUEST;
      wireBytes += r.body.byteLength;
      protobufBytes += r.protobufBytes;
      if (r.probeId) probes.set(r.probeId, Date.now());
    }
    const wait = started + (i + 1) * interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const elapsed = (Date.now() - started) / 1000;
  const cpu1 = tiers.map((t) => cpuSeconds(t.proc.pid));
  clearInterval(sampler);
  sending = false;
  stopPollingAt = Date.now() + 30_000;
  // The tiers' own counts, once what was sent has passed through (the gateways receive it after
  // the front's batch timeout); bounded.
  const accepted = await settledCounts(tiers, accepted0);
  await poller;
  latencies.sort((a, b) => a - b);
  return {
    rate: spansPerSecond,
    achieved: (accepted[0] as number) / elapsed,
    bytesPerSpan: wireBytes / Math.max(sentSpans, 1),
    protobufBytesPerSpan: protobufBytes / Math.max(sentSpans, 1),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lostProbes: probes.size,
    tiers: tiers.map((t, i) => {
      const cpu = (cpu1[i] as number) - (cpu0[i] as number);
      return {
        name: t.name,
        cpuPerSecond: cpu / elapsed,
        spansPerCpuSecond: (accepted[i] as number) / Math.max(cpu, 1e-6),
        rss: peak[i] as number,
      };
    }),
  };
}

/** Each tier's accepted spans since `before`, once the counts stop moving (at most 15 s). */
async function settledCounts(tiers: Tier[], before: number[]): Promise<number[]> {
  let last: number[] = [];
  const until = Date.now() + 15_000;
  for (;;) {
    const now = await Promise.all(
      tiers.map((t, i) =>
        metric(t.metricsPort, "otelcol_receiver_accepted_spans").then((n) => n - (before[i] as number)),
      ),
    );
    if (now.every((n, i) => n === last[i]) || Date.now() > until) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The same otelcol binary with nothing between its OTLP receiver and its exporter to `store`. */
export function baselineConfig(
  ports: { grpc: number; http: number; health: number; metrics: number },
  store: string,
): CollectorConfig {
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

/** Collectors started on loopback, and the OTLP/HTTP address load enters by. */
export interface Topology {
  entry: string;
  tiers: Tier[];
}

/** The minimal otlp → otlp Collector, exporting to `store`. */
export async function startBaseline(dir: string, store: Jaeger): Promise<Topology> {
  const ports = await loopbackPorts();
  const proc = await startCollector("baseline", baselineConfig(ports, store.otlpGrpcEndpoint), dir);
  return { entry: `http://127.0.0.1:${ports.http}`, tiers: [{ name: "baseline", proc, metricsPort: ports.metrics }] };
}

/**
 * A two-tier cluster's committed configs: its front, load-balancing by trace id over `gateways`
 * gateways (persistent queues in `dir`), which export to `store`.
 */
export async function startTwoTier(env: string, dir: string, store: Jaeger, gateways = 2): Promise<Topology> {
  const { front, gateway } = await committedTwoTierConfigs(env);
  const tiers: Tier[] = [];
  for (let n = 0; n < gateways; n++) {
    const ports = await loopbackPorts();
    const config = forLoopback(gateway, ports, {
      tempo: store.otlpGrpcEndpoint,
      queueDir: join(dir, `${env}-queue-${n}`),
    });
    const proc = await startCollector(`${env}-gateway-${n}`, config, dir);
    tiers.push({ name: `gateway-${n}`, proc, metricsPort: ports.metrics, grpcPort: ports.grpc });
  }
  const ports = await loopbackPorts();
  const config = forLoopback(front, ports, {});
  config.exporters.load_balancing.resolver = {
    static: { hostnames: tiers.map((g) => `127.0.0.1:${g.grpcPort}`) },
  };
  const proc = await startCollector(`${env}-front`, config, dir);
  return {
    entry: `http://127.0.0.1:${ports.http}`,
    tiers: [{ name: "front", proc, metricsPort: ports.metrics }, ...tiers],
  };
}

/** A single-tier cluster's committed config (one Collector exporting straight to `store`). */
export async function startSingle(env: string, dir: string, store: Jaeger): Promise<Topology> {
  const config = (await committedCollectorConfigs(env)).get("collector");
  if (!config) throw new Error(`clusters/${env}/otel-collector has no single-tier collector`);
  const ports = await loopbackPorts();
  const proc = await startCollector(
    `${env}-collector`,
    forLoopback(config, ports, { tempo: store.otlpGrpcEndpoint, queueDir: join(dir, `${env}-queue`) }),
    dir,
  );
  return { entry: `http://127.0.0.1:${ports.http}`, tiers: [{ name: "single", proc, metricsPort: ports.metrics }] };
}
