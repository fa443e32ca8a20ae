// Rewrites a rendered Collector config to run on loopback in the integration tests, and reads the
// Collector's own metrics.
import { freePort } from "./collector-process.ts";
import type { CollectorConfig } from "./render.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: the Collector's ${env:…} syntax, not a JS template.
const POD_IP = "${env:MY_POD_IP}";

function expectEndpoint(actual: unknown, expected: string): void {
  if (actual !== expected) throw new Error(`rendered endpoint is ${String(actual)}, expected ${expected}`);
}

export interface Loopback {
  grpc: number;
  http: number;
  health: number;
  metrics: number;
}

export async function loopbackPorts(): Promise<Loopback> {
  return { grpc: await freePort(), http: await freePort(), health: await freePort(), metrics: await freePort() };
}

/**
 * A rendered config made runnable on this machine, changing only what cannot work here:
 *   - every server endpoint ${env:MY_POD_IP}:<port> → 127.0.0.1:<free port>; the Tempo endpoint →
 *     the test's store; Prometheus's OTLP receiver → the test's Prometheus (or, where a test runs
 *     none, a closed loopback port: the in-cluster name resolves nowhere here); the file_storage
 *     directory → a temporary one;
 *   - k8s_attributes runs with `passthrough: true`: no API server is reachable here, and in
 *     passthrough mode it makes no API calls and only records the sender's address as k8s.pod.ip,
 *     which still proves the processor sits in the pipeline and sees the client connection.
 */
export function forLoopback(
  rendered: CollectorConfig,
  ports: Loopback,
  opts: { tempo?: string; queueDir?: string; metrics?: string },
): CollectorConfig {
  const config = structuredClone(rendered);
  const protocols = config.receivers.otlp.protocols;
  expectEndpoint(protocols.grpc.endpoint, `${POD_IP}:4317`);
  protocols.grpc.endpoint = `127.0.0.1:${ports.grpc}`;
  if (protocols.http) {
    expectEndpoint(protocols.http.endpoint, `${POD_IP}:4318`);
    protocols.http.endpoint = `127.0.0.1:${ports.http}`;
  }
  config.extensions.health_check.endpoint = `127.0.0.1:${ports.health}`;
  const prometheus = config.service.telemetry.metrics.readers[0].pull.exporter.prometheus;
  Object.assign(prometheus, { host: "127.0.0.1", port: ports.metrics });
  if (config.processors.k8s_attributes) config.processors.k8s_attributes.passthrough = true;
  if (opts.tempo) config.exporters["otlp_grpc/tempo"].endpoint = opts.tempo;
  const metricsExporter = config.exporters["otlp_http/prometheus"];
  if (metricsExporter) metricsExporter.endpoint = opts.metrics ?? "http://127.0.0.1:9/api/v1/otlp";
  if (opts.queueDir) {
    config.extensions["file_storage/queue"].directory = opts.queueDir;
    config.extensions["file_storage/queue"].compaction.directory = opts.queueDir;
  }
  return config;
}

/** Reads a counter from the Collector's own Prometheus endpoint (raw names, no _total). */
export async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(" ").pop());
  }
  return sum;
}
