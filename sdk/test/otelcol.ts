// The real OpenTelemetry Collector (built by tools/bootstrap.sh into .tools/bin/otelcol) as the
// OTLP endpoint of integration tests: OTLP/HTTP and OTLP/gRPC receivers on free 127.0.0.1 ports,
// traces, metrics and logs written by the `file` exporter as OTLP/JSON lines that the test reads back.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { freePorts } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, waitFor } from "../../scripts/process.ts";
import { attributesOf } from "../../test/support/otlp.ts";

export const OTELCOL_BIN = join(import.meta.dirname, "..", "..", ".tools", "bin", "otelcol");

export interface OtlpKeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number; arrayValue?: unknown };
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
}

/** One span with the resource attributes of the service that sent it, flattened for assertions. */
export interface ReceivedSpan extends OtlpSpan {
  resource: Record<string, string | number | boolean>;
  attrs: Record<string, string | number | boolean>;
}

export interface Collector {
  readonly httpEndpoint: string;
  readonly grpcEndpoint: string;
  readonly process: RunningProcess;
  spans(): Promise<ReceivedSpan[]>;
  /** Raw metric export requests (OTLP/JSON) as received. */
  metricRequests(): Promise<unknown[]>;
  /** Every log record received, with its resource attributes and its own flattened. */
  logs(): Promise<ReceivedLog[]>;
  stop(): Promise<void>;
}

async function readLines(path: string): Promise<unknown[]> {
  if (!existsSync(path)) return [];
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

export interface ReceivedLog {
  body?: { stringValue?: string };
  traceId?: string;
  spanId?: string;
  severityText?: string;
  severityNumber?: number;
  resource: Record<string, string | number | boolean>;
  attrs: Record<string, string | number | boolean>;
}

interface LogsRequest {
  resourceLogs?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: { logRecords?: (Omit<ReceivedLog, "resource" | "attrs"> & { attributes?: OtlpKeyValue[] })[] }[];
  }[];
}

interface TracesRequest {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/** Server-side TLS of the OTLP/HTTP receiver; `clientCaFile` makes it require client certificates. */
export interface ReceiverTls {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
  /** What the readiness probe presents: the CA to trust, and a client certificate if needed. */
  probe: { ca: Buffer; cert?: Buffer; key?: Buffer };
}

/** POSTs an empty OTLP/JSON request; resolves the status (TLS with the probe's files). */
function probe(url: string, tls: ReceiverTls["probe"] | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith("https:") ? httpsRequest : httpRequest)(
      url,
      { method: "POST", headers: { "content-type": "application/json" }, timeout: 2_000, ...(tls ?? {}) },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end("{}");
  });
}

export async function startCollector(options: { tls?: ReceiverTls } = {}): Promise<Collector> {
  if (!existsSync(OTELCOL_BIN)) throw new Error(`${OTELCOL_BIN} is missing: run npm run bootstrap`);
  const dir = await mkdtemp(join(tmpdir(), "gl-otelcol-"));
  const [httpPort, grpcPort] = await freePorts(2);
  const tracesFile = join(dir, "traces.jsonl");
  const metricsFile = join(dir, "metrics.jsonl");
  const logsFile = join(dir, "logs.jsonl");
  const config = {
    receivers: {
      otlp: {
        protocols: {
          http: {
            endpoint: `127.0.0.1:${httpPort}`,
            ...(options.tls
              ? {
                  tls: {
                    cert_file: options.tls.certFile,
                    key_file: options.tls.keyFile,
                    ...(options.tls.clientCaFile ? { client_ca_file: options.tls.clientCaFile } : {}),
                  },
                }
              : {}),
          },
          grpc: { endpoint: `127.0.0.1:${grpcPort}` },
        },
      },
    },
    exporters: {
      "file/traces": { path: tracesFile, flush_interval: "100ms" },
      "file/metrics": { path: metricsFile, flush_interval: "100ms" },
      "file/logs": { path: logsFile, flush_interval: "100ms" },
    },
    service: {
      telemetry: { logs: { level: "warn" }, metrics: { level: "none" } },
      pipelines: {
        traces: { receivers: ["otlp"], exporters: ["file/traces"] },
        metrics: { receivers: ["otlp"], exporters: ["file/metrics"] },
        logs: { receivers: ["otlp"], exporters: ["file/logs"] },
      },
    },
  };
  const configFile = join(dir, "config.yaml");
  await writeFile(configFile, stringify(config));
  const proc = startProcess(OTELCOL_BIN, [`--config=${configFile}`]);
  const httpEndpoint = `${options.tls ? "https" : "http"}://127.0.0.1:${httpPort}`;
  await waitFor(
    "otelcol OTLP/HTTP receiver",
    async () => ((await probe(`${httpEndpoint}/v1/traces`, options.tls?.probe)) === 200 ? true : undefined),
    { process: proc, timeoutMs: 20_000 },
  );
  return {
    httpEndpoint,
    grpcEndpoint: `http://127.0.0.1:${grpcPort}`,
    process: proc,
    async spans() {
      const spans: ReceivedSpan[] = [];
      for (const request of (await readLines(tracesFile)) as TracesRequest[]) {
        for (const rs of request.resourceSpans ?? []) {
          const resource = attributesOf(rs.resource?.attributes);
          for (const ss of rs.scopeSpans ?? [])
            for (const span of ss.spans ?? []) spans.push({ ...span, resource, attrs: attributesOf(span.attributes) });
        }
      }
      return spans;
    },
    metricRequests: () => readLines(metricsFile),
    async logs() {
      const logs: ReceivedLog[] = [];
      for (const request of (await readLines(logsFile)) as LogsRequest[]) {
        for (const rl of request.resourceLogs ?? []) {
          const resource = attributesOf(rl.resource?.attributes);
          for (const sl of rl.scopeLogs ?? [])
            for (const { attributes, ...record } of sl.logRecords ?? [])
              logs.push({ ...record, resource, attrs: attributesOf(attributes) });
        }
      }
      return logs;
    },
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
