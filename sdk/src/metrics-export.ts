// Exports the span-derived metrics and the span drop counters: pushed as OTLP/HTTP JSON (the
// OTLP encoding that carries exemplars with hex trace ids) or served for Prometheus scrapes in
// the OpenMetrics text format (the Prometheus format that carries exemplars). Exports run with
// tracing suppressed, so the exporter's own HTTP calls never become spans.
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import { type Attributes, context, diag } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { SpanCounts } from "./drop-counter.ts";
import { RUNTIME_METRICS, type RuntimeSnapshot } from "./runtime-metrics.ts";
import { DURATION_BUCKETS_SECONDS, type MetricsSnapshot } from "./span-metrics.ts";
import { SDK_NAME, SDK_VERSION } from "./version.ts";

export const METRIC_REQUESTS = "gl.span.requests";
export const METRIC_ERRORS = "gl.span.errors";
export const METRIC_DURATION = "gl.span.duration";
export const METRIC_SPANS_DROPPED = "gl.tracing.spans.dropped";
export const METRIC_SPANS_EXPORTED = "gl.tracing.spans.exported";

type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

function otlpValue(value: unknown): OtlpValue {
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return { stringValue: String(value) };
}

function otlpAttributes(attributes: Record<string, unknown>): { key: string; value: OtlpValue }[] {
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: otlpValue(v) }));
}

/** A monotonic cumulative OTLP sum (a Prometheus counter). */
function cumulativeSum(name: string, unit: string, description: string, dataPoints: object[]) {
  return { name, unit, description, sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } };
}

/** Builds an OTLP ExportMetricsServiceRequest in its JSON encoding. */
export function toOtlpJson(
  snapshot: MetricsSnapshot,
  counts: SpanCounts,
  resource: Attributes,
  runtime?: RuntimeSnapshot,
): unknown {
  const start = String(snapshot.startTimeUnixNano);
  const time = String(snapshot.timeUnixNano);
  const point = (attributes: Record<string, unknown>) => ({
    attributes: otlpAttributes(attributes),
    startTimeUnixNano: start,
    timeUnixNano: time,
  });
  const sum = (
    name: string,
    unit: string,
    description: string,
    points: { attributes: Record<string, unknown>; value: number }[],
  ) =>
    cumulativeSum(
      name,
      unit,
      description,
      points.map((p) => ({ ...point(p.attributes), asInt: String(p.value) })),
    );
  const metrics = [
    sum(
      METRIC_REQUESTS,
      "{request}",
      "Requests handled, from server and consumer spans.",
      snapshot.series.map((s) => ({ attributes: s.attributes, value: s.requests })),
    ),
    sum(
      METRIC_ERRORS,
      "{request}",
      "Requests that failed (span status error or HTTP 5xx).",
      snapshot.series.map((s) => ({ attributes: s.attributes, value: s.errors })),
    ),
    {
      name: METRIC_DURATION,
      unit: "s",
      description: "Duration of requests, from server and consumer spans.",
      histogram: {
        aggregationTemporality: 2,
        dataPoints: snapshot.series.map((s) => ({
          ...point(s.attributes),
          count: String(s.requests),
          sum: s.durationSum,
          bucketCounts: s.bucketCounts.map(String),
          explicitBounds: [...DURATION_BUCKETS_SECONDS],
          exemplars: s.exemplar
            ? [
                {
                  timeUnixNano: String(s.exemplar.timeUnixNano),
                  asDouble: s.exemplar.value,
                  traceId: s.exemplar.traceId,
                  spanId: s.exemplar.spanId,
                },
              ]
            : [],
        })),
      },
    },
    sum(METRIC_SPANS_DROPPED, "{span}", "Spans lost before reaching the Collector.", [
      { attributes: { reason: "queue_full" }, value: counts.droppedQueueFull },
      { attributes: { reason: "export_failed" }, value: counts.droppedExportFailed },
    ]),
    sum(METRIC_SPANS_EXPORTED, "{span}", "Spans the Collector accepted.", [{ attributes: {}, value: counts.exported }]),
    ...(runtime ? runtimeOtlp(runtime, point) : []),
  ];
  return {
    resourceMetrics: [
      {
        resource: { attributes: otlpAttributes(resource) },
        scopeMetrics: [{ scope: { name: SDK_NAME, version: SDK_VERSION }, metrics }],
      },
    ],
  };
}

/** The runtime metrics as OTLP gauges and cumulative sums (doubles: seconds and ratios). */
function runtimeOtlp(r: RuntimeSnapshot, point: (attributes: Record<string, unknown>) => object): object[] {
  const gauge = (name: string, unit: string, description: string, value: number) => ({
    name,
    unit,
    description,
    gauge: { dataPoints: [{ ...point({}), asDouble: value }] },
  });
  const counter = (name: string, unit: string, description: string, points: [Record<string, unknown>, number][]) =>
    cumulativeSum(
      name,
      unit,
      description,
      points.map(([attributes, value]) => ({ ...point(attributes), asDouble: value })),
    );
  const M = RUNTIME_METRICS;
  return [
    gauge(M.eventLoopDelayP99, "s", "Event-loop delay, 99th percentile over the interval.", r.eventLoopDelayP99),
    gauge(M.eventLoopDelayMax, "s", "Event-loop delay, maximum over the interval.", r.eventLoopDelayMax),
    gauge(M.eventLoopUtilization, "1", "Share of the interval the event loop was busy.", r.eventLoopUtilization),
    gauge(M.heapUsed, "By", "V8 heap in use.", r.heapUsedBytes),
    gauge(M.heapLimit, "By", "V8 heap size limit.", r.heapLimitBytes),
    gauge(M.memoryRss, "By", "Resident memory of the process.", r.rssBytes),
    counter(M.cpuTime, "s", "CPU time of the process.", [
      [{ "cpu.mode": "user" }, r.cpuUserSeconds],
      [{ "cpu.mode": "system" }, r.cpuSystemSeconds],
    ]),
    counter(
      M.gcDuration,
      "s",
      "Time spent in garbage-collection pauses.",
      Object.entries(r.gcSeconds).map(([type, seconds]) => [{ "v8js.gc.type": type }, seconds]),
    ),
  ];
}

/** The runtime metrics in the OpenMetrics text format, named as Prometheus's OTLP receiver names them. */
function runtimeOpenMetrics(r: RuntimeSnapshot): string[] {
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number) =>
    lines.push(`# TYPE ${name} gauge`, `# HELP ${name} ${help}`, `${name} ${value}`);
  const M = RUNTIME_METRICS;
  gauge(
    `${promName(M.eventLoopDelayP99)}_seconds`,
    "Event-loop delay, 99th percentile over the interval.",
    r.eventLoopDelayP99,
  );
  gauge(
    `${promName(M.eventLoopDelayMax)}_seconds`,
    "Event-loop delay, maximum over the interval.",
    r.eventLoopDelayMax,
  );
  gauge(
    `${promName(M.eventLoopUtilization)}_ratio`,
    "Share of the interval the event loop was busy.",
    r.eventLoopUtilization,
  );
  gauge(`${promName(M.heapUsed)}_bytes`, "V8 heap in use.", r.heapUsedBytes);
  gauge(`${promName(M.heapLimit)}_bytes`, "V8 heap size limit.", r.heapLimitBytes);
  gauge(`${promName(M.memoryRss)}_bytes`, "Resident memory of the process.", r.rssBytes);
  const cpu = `${promName(M.cpuTime)}_seconds`;
  lines.push(`# TYPE ${cpu} counter`, `# HELP ${cpu} CPU time of the process.`);
  lines.push(
    `${cpu}_total{cpu_mode="user"} ${r.cpuUserSeconds}`,
    `${cpu}_total{cpu_mode="system"} ${r.cpuSystemSeconds}`,
  );
  const gc = `${promName(M.gcDuration)}_seconds`;
  lines.push(`# TYPE ${gc} counter`, `# HELP ${gc} Time spent in garbage-collection pauses.`);
  for (const [type, seconds] of Object.entries(r.gcSeconds))
    lines.push(`${gc}_total{v8js_gc_type="${type}"} ${seconds}`);
  return lines;
}

function promName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, "_");
}

function promLabels(attributes: Record<string, unknown>): string {
  const parts = Object.entries(attributes).map(
    ([k, v]) => `${promName(k)}="${String(v).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`,
  );
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Renders the OpenMetrics text exposition, exemplars included; ends with the mandatory `# EOF`. */
export function toOpenMetrics(snapshot: MetricsSnapshot, counts: SpanCounts, runtime?: RuntimeSnapshot): string {
  const lines: string[] = [];
  const requests = promName(METRIC_REQUESTS);
  const errors = promName(METRIC_ERRORS);
  const duration = `${promName(METRIC_DURATION)}_seconds`;
  const dropped = promName(METRIC_SPANS_DROPPED);
  const exported = promName(METRIC_SPANS_EXPORTED);
  lines.push(`# TYPE ${requests} counter`, `# HELP ${requests} Requests handled, from server and consumer spans.`);
  for (const s of snapshot.series) lines.push(`${requests}_total${promLabels(s.attributes)} ${s.requests}`);
  lines.push(`# TYPE ${errors} counter`, `# HELP ${errors} Requests that failed (span status error or HTTP 5xx).`);
  for (const s of snapshot.series) lines.push(`${errors}_total${promLabels(s.attributes)} ${s.errors}`);
  lines.push(`# TYPE ${duration} histogram`, `# UNIT ${duration} seconds`, `# HELP ${duration} Duration of requests.`);
  for (const s of snapshot.series) {
    let cumulative = 0;
    const bounds = [...DURATION_BUCKETS_SECONDS.map(String), "+Inf"];
    const exemplarBucket = s.exemplar ? DURATION_BUCKETS_SECONDS.findIndex((b) => (s.exemplar?.value ?? 0) <= b) : -2;
    bounds.forEach((le, i) => {
      cumulative += s.bucketCounts[i] ?? 0;
      let line = `${duration}_bucket${promLabels({ ...s.attributes, le })} ${cumulative}`;
      const isExemplarBucket = exemplarBucket === i || (exemplarBucket === -1 && i === bounds.length - 1);
      if (s.exemplar && isExemplarBucket) {
        const seconds = Number(s.exemplar.timeUnixNano / 1_000_000n) / 1000;
        line += ` # {trace_id="${s.exemplar.traceId}",span_id="${s.exemplar.spanId}"} ${s.exemplar.value} ${seconds}`;
      }
      lines.push(line);
    });
    lines.push(
      `${duration}_count${promLabels(s.attributes)} ${s.requests}`,
      `${duration}_sum${promLabels(s.attributes)} ${s.durationSum}`,
    );
  }
  lines.push(`# TYPE ${dropped} counter`, `# HELP ${dropped} Spans lost before reaching the Collector.`);
  lines.push(`${dropped}_total{reason="queue_full"} ${counts.droppedQueueFull}`);
  lines.push(`${dropped}_total{reason="export_failed"} ${counts.droppedExportFailed}`);
  lines.push(`# TYPE ${exported} counter`, `# HELP ${exported} Spans the Collector accepted.`);
  lines.push(`${exported}_total ${counts.exported}`);
  if (runtime) lines.push(...runtimeOpenMetrics(runtime));
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

export interface MetricsSource {
  collect(): MetricsSnapshot;
  counts(): SpanCounts;
  resource(): Attributes;
  /** Node.js runtime metrics, when they are on. */
  runtime?(): RuntimeSnapshot;
}

/**
 * Reads the TLS files once. A file that cannot be read is warned about and left out (fail open):
 * the pushes then fail against a server that needs it, and are counted.
 */
function readTlsFiles(files: { caFile?: string; certFile?: string; keyFile?: string }) {
  const tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  for (const [field, path] of [
    ["ca", files.caFile],
    ["cert", files.certFile],
    ["key", files.keyFile],
  ] as const) {
    if (!path) continue;
    try {
      tls[field] = readFileSync(path);
    } catch (error) {
      diag.warn(
        `@greenlang/tracing: metrics TLS ${field} file ${path} cannot be read (${(error as Error).message}); ignored`,
      );
    }
  }
  return tls;
}

/** Pushes OTLP/HTTP JSON every interval and once more at shutdown; failures are counted, never thrown. */
export class OtlpJsonMetricsPusher {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #timeoutMillis: number;
  readonly #source: MetricsSource;
  readonly #timer: NodeJS.Timeout;
  readonly #tls: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  failures = 0;
  pushes = 0;

  constructor(options: {
    endpoint: string;
    headers: Record<string, string>;
    timeoutMillis: number;
    intervalMillis: number;
    source: MetricsSource;
    /** PEM files: the CA to trust, the client certificate and key (mTLS). */
    tls?: { caFile?: string; certFile?: string; keyFile?: string };
  }) {
    this.#url = new URL(options.endpoint);
    this.#tls = readTlsFiles(options.tls ?? {});
    this.#headers = options.headers;
    this.#timeoutMillis = options.timeoutMillis;
    this.#source = options.source;
    this.#timer = setInterval(() => void this.push(), options.intervalMillis);
    this.#timer.unref();
  }

  push(): Promise<boolean> {
    const body = JSON.stringify(
      toOtlpJson(this.#source.collect(), this.#source.counts(), this.#source.resource(), this.#source.runtime?.()),
    );
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean, why?: string) => {
        if (ok) this.pushes++;
        else {
          this.failures++;
          diag.debug(`@greenlang/tracing: metrics export to ${this.#url.href} failed: ${why}`);
        }
        resolve(ok);
      };
      context.with(suppressTracing(context.active()), () => {
        const send = this.#url.protocol === "https:" ? httpsRequest : httpRequest;
        const req = send(
          this.#url,
          {
            method: "POST",
            headers: {
              ...this.#headers,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
            },
            timeout: this.#timeoutMillis,
            ...this.#tls,
          },
          (res: IncomingMessage) => {
            res.resume();
            res.on("end", () => done((res.statusCode ?? 0) < 300, `HTTP ${res.statusCode}`));
          },
        );
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", (error) => done(false, error.message));
        req.end(body);
      });
    });
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.push();
  }
}

/** Serves `GET /metrics` in the OpenMetrics format for Prometheus to scrape. */
export class PrometheusEndpoint {
  readonly #server: Server;

  constructor(source: MetricsSource) {
    this.#server = createServer((req, res) => {
      if (req.method !== "GET" || !req.url?.startsWith("/metrics")) {
        res.writeHead(404).end();
        return;
      }
      const text = toOpenMetrics(source.collect(), source.counts(), source.runtime?.());
      res.writeHead(200, { "content-type": "application/openmetrics-text; version=1.0.0; charset=utf-8" }).end(text);
    });
    this.#server.unref();
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      // Scrapes of /metrics are not traced: the default ignore list of the http instrumentation has it.
      this.#server.listen(port, host, () => {
        const address = this.#server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  shutdown(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
