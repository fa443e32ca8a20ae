// The services the HTTP benchmarks run: one small route answered by node:http, Express and Fastify
// (fixtures/*-app.mjs), and the configurations each is measured in, which differ only in the
// preload on the command line and the OTLP settings. Shared by http.bench.ts (over loopback) and
// http-inprocess.bench.ts (in memory), so both measure the same services.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";

export const FIXTURES = join(import.meta.dirname, "fixtures");

/** The routes: the same answer from node:http, Express and Fastify. */
export const APPS = { "node:http": "app.mjs", Express: "express-app.mjs", Fastify: "fastify-app.mjs" };
export type Route = keyof typeof APPS;

/** The routes named in `variable` (comma-separated), or all of them. */
export function routesFrom(variable: string): Route[] {
  const routes = (process.env[variable]?.split(",") ?? Object.keys(APPS)) as Route[];
  for (const route of routes)
    if (!(route in APPS))
      throw new Error(`${variable}: expected some of ${Object.keys(APPS).join(", ")} (got ${route})`);
  return routes;
}

// Every service runs with the same fixed V8 young generation: left adaptive, V8 settles each
// process at random into one of two garbage-collection regimes about 2 µs of CPU per request
// apart (measured with --trace-gc), as large as the differences these benchmarks are after.
export const FIXED_YOUNG_GENERATION = ["--min-semi-space-size=32", "--max-semi-space-size=32"];

export type Name =
  | "uninstrumented"
  | "bare OpenTelemetry"
  | "auto-instrumentations"
  | "@greenlang/tracing"
  | "@greenlang/tracing (baseline)";

export interface Configuration {
  args: string[];
  env: Record<string, string>;
}

/** OTLP/HTTP protobuf with gzip to `sinkUrl`, with the same batch settings for every configuration. */
function exportEnv(sinkUrl: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
    OTEL_BSP_MAX_QUEUE_SIZE: "8192",
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "512",
    OTEL_BSP_SCHEDULE_DELAY: "1000",
    OTEL_SERVICE_NAME: "bench-app",
  };
}

/** The built SDK named by HTTP_BENCH_BASELINE_SDK (e.g. of an older commit), measured as a further configuration. */
export const baselineSdk = process.env.HTTP_BENCH_BASELINE_SDK;

/**
 * The configurations, each exporting to `sinkUrl`: uninstrumented; bare upstream OpenTelemetry with
 * the distribution's instrumentations (fixtures/bare-otel.mjs) and auto-instrumentations-node's
 * register with its defaults, set up for ESM as upstream documents it (each unless left out); this
 * distribution; and the baseline build when HTTP_BENCH_BASELINE_SDK names one.
 */
export function configurations(sinkUrl: string, options: { peers: boolean }): Partial<Record<Name, Configuration>> {
  const env = exportEnv(sinkUrl);
  const all: Partial<Record<Name, Configuration>> = { uninstrumented: { args: [], env: {} } };
  if (options.peers) {
    all["bare OpenTelemetry"] = { args: ["--import", join(FIXTURES, "bare-otel.mjs")], env };
    // Upstream's ESM setup: its loader hook (every module) and the register preload.
    all["auto-instrumentations"] = {
      args: [
        "--experimental-loader=@opentelemetry/instrumentation/hook.mjs",
        "--import",
        "@opentelemetry/auto-instrumentations-node/register",
      ],
      env,
    };
  }
  all["@greenlang/tracing"] = { args: ["--import", "@greenlang/tracing/register"], env };
  if (baselineSdk)
    all["@greenlang/tracing (baseline)"] = {
      args: ["--import", join(resolve(baselineSdk), "dist", "esm", "register.js")],
      env,
    };
  return all;
}

/**
 * Pins this process and all its threads (the load generator, the sink) off the last core, which
 * is left to the measured services. Needs taskset and two cores; undefined without them.
 */
export function pinning(): { serviceCore: number; otherCores: string } | undefined {
  const cores = availableParallelism();
  if (cores < 2 || spawnSync("taskset", ["--version"]).status !== 0) return undefined;
  const serviceCore = cores - 1;
  const otherCores = cores === 2 ? "0" : `0-${cores - 2}`;
  if (spawnSync("taskset", ["-a", "-p", "-c", otherCores, String(process.pid)]).status !== 0) return undefined;
  return { serviceCore, otherCores };
}

/** The OTLP sink: drains every export and answers 200, costing the measured services nothing. */
export async function startSink(): Promise<{ url: string; exports(): number; close(): void }> {
  let exports = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      exports++;
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
    exports: () => exports,
    close: () => sink.close(),
  };
}
