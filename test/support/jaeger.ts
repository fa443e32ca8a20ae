// Jaeger v2 (built by tools/bootstrap.sh into .tools/bin/jaeger) as the trace store of integration
// tests: in-memory storage, every listener on a free 127.0.0.1 port, stopped by the test.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { freePorts } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, waitFor } from "../../scripts/process.ts";
import type { OtlpAttribute } from "./otlp.ts";

export const JAEGER_BIN = join(import.meta.dirname, "..", "..", ".tools", "bin", "jaeger");

export interface Jaeger {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:40123 (POST /v1/traces). */
  readonly otlpHttpUrl: string;
  /** OTLP/gRPC `host:port`. */
  readonly otlpGrpcEndpoint: string;
  /** Query API base URL. */
  readonly queryUrl: string;
  readonly process: RunningProcess;
  /** The trace as OTLP/JSON resource spans from the v3 query API, or undefined while it is unknown. */
  getTrace(traceId: string): Promise<OtlpResourceSpans[] | undefined>;
  /** Every span (operation) name the store holds for a service, across all its traces. */
  spanNamesOf(service: string): Promise<string[]>;
  /** Waits (bounded) until the trace holds at least `minSpans` spans, then returns it. */
  waitForTrace(traceId: string, minSpans?: number, timeoutMs?: number): Promise<OtlpResourceSpans[]>;
  stop(): Promise<void>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpAttribute[];
  status?: { code?: number; message?: string };
}
export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpAttribute[] };
  scopeSpans?: { spans?: OtlpSpan[] }[];
}

export const spansOf = (trace: OtlpResourceSpans[]): OtlpSpan[] =>
  trace.flatMap((rs) => rs.scopeSpans?.flatMap((ss) => ss.spans ?? []) ?? []);

export async function startJaeger(): Promise<Jaeger> {
  const [grpc, http, queryHttp, queryGrpc, health, metrics] = await freePorts(6);
  const dir = await mkdtemp(join(tmpdir(), "greenlang-jaeger-"));
  const host = "127.0.0.1";
  const config = {
    service: {
      extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
      pipelines: { traces: { receivers: ["otlp"], processors: [], exporters: ["jaeger_storage_exporter"] } },
      telemetry: {
        logs: { level: "warn" },
        metrics: { level: "none", readers: [{ pull: { exporter: { prometheus: { host, port: metrics } } } }] },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `${host}:${health}` } },
      // Jaeger traces its own queries by default; the tests must only see the spans they sent.
      jaeger_query: {
        storage: { traces: "memstore" },
        enable_tracing: false,
        http: { endpoint: `${host}:${queryHttp}` },
        grpc: { endpoint: `${host}:${queryGrpc}` },
      },
      jaeger_storage: { backends: { memstore: { memory: { max_traces: 10_000 } } } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `${host}:${grpc}` }, http: { endpoint: `${host}:${http}` } } },
    },
    exporters: { jaeger_storage_exporter: { trace_storage: "memstore" } },
  };
  const configFile = join(dir, "jaeger.yaml");
  await writeFile(configFile, stringify(config));
  const proc = startProcess(JAEGER_BIN, ["--config", configFile]);
  const queryUrl = `http://${host}:${queryHttp}`;
  try {
    await waitFor(
      "jaeger health check",
      async () =>
        (await fetch(`http://${host}:${health}/status`, { signal: AbortSignal.timeout(1000) })).ok ? true : undefined,
      { process: proc, timeoutMs: 30_000 },
    );
    await waitFor("jaeger query API", async () => ((await fetch(`${queryUrl}/api/services`)).ok ? true : undefined), {
      process: proc,
    });
  } catch (error) {
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  async function getTrace(traceId: string): Promise<OtlpResourceSpans[] | undefined> {
    const response = await fetch(`${queryUrl}/api/v3/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`jaeger query for ${traceId}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { result?: { resourceSpans?: OtlpResourceSpans[] } };
    return body.result?.resourceSpans;
  }

  async function spanNamesOf(service: string): Promise<string[]> {
    const url = `${queryUrl}/api/traces?service=${encodeURIComponent(service)}&lookback=1h&limit=1000`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`jaeger search for ${service}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { data?: { spans?: { operationName: string }[] }[] };
    return (body.data ?? []).flatMap((t) => (t.spans ?? []).map((s) => s.operationName));
  }

  return {
    otlpHttpUrl: `http://${host}:${http}`,
    spanNamesOf,
    otlpGrpcEndpoint: `${host}:${grpc}`,
    queryUrl,
    process: proc,
    getTrace,
    waitForTrace: (traceId, minSpans = 1, timeoutMs = 20_000) =>
      waitFor(
        `trace ${traceId} with ${minSpans} span(s) in jaeger`,
        async () => {
          const trace = await getTrace(traceId);
          return trace && spansOf(trace).length >= minSpans ? trace : undefined;
        },
        { process: proc, timeoutMs, intervalMs: 200 },
      ),
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
