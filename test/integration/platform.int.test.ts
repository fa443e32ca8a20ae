// needs tools: prometheus
// The platform end to end, as a service team meets it: two services instrumented with
// @greenlang/tracing (an ESM one started with `--import …/register`, a CommonJS one with
// `--require …/register`) call each other over HTTP and export OTLP to the OpenTelemetry Collector
// running the config that `npm run generate` committed for the cluster (clusters/<env>/otel-collector/),
// which exports to a real trace store (Jaeger v2, standing in for Tempo: same OTLP/gRPC ingest).
// The trace is then read back from the store's query API. The span metrics the services push
// (OTLP, the SDK's default) go through the Collector's metrics pipeline to a real Prometheus's
// OTLP receiver, and are read back with PromQL.
//
// What the loopback copy of the committed config changes, and nothing else: listeners move from the
// pod IP to free 127.0.0.1 ports, Tempo's address becomes the store's, Prometheus's the test's, the queue directory becomes a
// temporary one, k8s_attributes runs in passthrough (no API server here), and in the two-tier
// cluster the gateway is found through a static resolver instead of DNS, with a 1 s decision wait
// instead of the cluster's (so the test does not sit idle).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type RunningCollector, startCollector, stopAll } from "../../apps/otel-collector/tests/collector-process.ts";
import { forLoopback, loopbackPorts } from "../../apps/otel-collector/tests/loopback.ts";
import { binDir, declaredTools, ensureTools } from "../../policies/live/tools.ts";
import { freePorts } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, waitFor } from "../../scripts/process.ts";
import { ensureBuilt } from "../../sdk/scripts/build.ts";
import { type Jaeger, type OtlpResourceSpans, spansOf, startJaeger } from "../support/jaeger.ts";
import { attributesOf } from "../support/otlp.ts";
import { clusterIdentity, committedCollectorConfigs, serviceEnv, terminate } from "../support/platform.ts";
import { type Prometheus, startPrometheus } from "../support/prometheus.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(import.meta.dirname, "fixtures");
// fetch() waits up to 5 minutes for response headers by default: a hung service must fail the
// suite in seconds instead.
const REQUEST_TIMEOUT_MS = 10_000;

interface Platform {
  /** OTLP/HTTP base URL the services send to (the receiving tier). */
  otlpHttpUrl: string;
  collectors: RunningCollector[];
}

async function startPlatform(env: string, store: Jaeger, prometheus: Prometheus, dir: string): Promise<Platform> {
  const configs = await committedCollectorConfigs(env);
  const single = configs.get("collector");
  if (single) {
    const ports = await loopbackPorts();
    const config = forLoopback(single, ports, {
      tempo: store.otlpGrpcEndpoint,
      queueDir: join(dir, "queue"),
      metrics: prometheus.otlpUrl,
    });
    const collector = await startCollector(`${env}-collector`, config, dir);
    return { otlpHttpUrl: `http://127.0.0.1:${ports.http}`, collectors: [collector] };
  }
  const front = configs.get("front");
  const gateway = configs.get("gateway");
  if (!front || !gateway) throw new Error(`clusters/${env}/otel-collector has neither a single tier nor front+gateway`);
  const gatewayPorts = await loopbackPorts();
  const gatewayConfig = forLoopback(gateway, gatewayPorts, {
    tempo: store.otlpGrpcEndpoint,
    queueDir: join(dir, "queue"),
  });
  gatewayConfig.processors.tail_sampling.decision_wait = "1s";
  const gatewayCollector = await startCollector(`${env}-gateway`, gatewayConfig, dir);
  const frontPorts = await loopbackPorts();
  const frontConfig = forLoopback(front, frontPorts, { metrics: prometheus.otlpUrl });
  frontConfig.exporters.load_balancing.resolver = { static: { hostnames: [`127.0.0.1:${gatewayPorts.grpc}`] } };
  const frontCollector = await startCollector(`${env}-front`, frontConfig, dir);
  return { otlpHttpUrl: `http://127.0.0.1:${frontPorts.http}`, collectors: [frontCollector, gatewayCollector] };
}

async function startServices(otlpHttpUrl: string): Promise<{ storefront: string; services: RunningProcess[] }> {
  const [storefrontPort, inventoryPort] = await freePorts(2);
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpUrl, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" };
  const inventory = startProcess(
    process.execPath,
    ["--require", "@greenlang/tracing/register", join(FIXTURES, "inventory.cjs")],
    {
      cwd: ROOT,
      env: serviceEnv({ ...common, OTEL_SERVICE_NAME: "inventory", PORT: String(inventoryPort) }),
    },
  );
  const storefront = startProcess(
    process.execPath,
    ["--import", "@greenlang/tracing/register", join(FIXTURES, "storefront.mjs")],
    {
      cwd: ROOT,
      env: serviceEnv({
        ...common,
        OTEL_SERVICE_NAME: "storefront",
        PORT: String(storefrontPort),
        INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`,
      }),
    },
  );
  const services = [inventory, storefront];
  for (const [proc, port] of [
    [inventory, inventoryPort],
    [storefront, storefrontPort],
  ] as const) {
    await waitFor(
      "fixture service",
      async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined),
      {
        process: proc,
      },
    );
  }
  return { storefront: `http://127.0.0.1:${storefrontPort}`, services };
}

const traceIdOf = (traceparent: string | null): string => {
  const match = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(traceparent ?? "");
  if (!match?.[1]) throw new Error(`no W3C traceparent in the response (got ${traceparent})`);
  return match[1];
};

function resourceOf(trace: OtlpResourceSpans[], service: string): Record<string, string | number | boolean> {
  const resource = trace.map((rs) => attributesOf(rs.resource?.attributes)).find((a) => a["service.name"] === service);
  if (!resource) throw new Error(`no spans of ${service} in the trace`);
  return resource;
}

for (const env of ["dev", "staging"]) {
  const e2e = suite(`platform end to end (${env}: committed Collector config)`);
  let store: Jaeger;
  let prometheus: Prometheus;
  let dir: string;
  let platform: Platform;
  let storefront: string;
  let services: RunningProcess[] = [];
  const traces: Record<string, string> = {};

  e2e.before(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), `greenlang-e2e-${env}-`));
    store = await startJaeger();
    ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
    prometheus = await startPrometheus(join(binDir(ROOT), "prometheus"));
    platform = await startPlatform(env, store, prometheus, dir);
    ({ storefront, services } = await startServices(platform.otlpHttpUrl));
    // A request that succeeds and one whose downstream call fails (an error span in the trace).
    for (const id of ["42", "missing"]) {
      const response = await fetch(`${storefront}/checkout/${id}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await response.arrayBuffer();
      traces[id] = traceIdOf(response.headers.get("traceparent"));
    }
    await fetch(`${storefront}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    // Shutting the services down is what flushes their spans: no waiting on batch timers.
    for (const service of services) await terminate(service);
  });

  e2e.after(async () => {
    for (const service of services) await service.stop();
    // Every Collector this suite started, including a gateway whose front tier then failed to start.
    await stopAll();
    await store?.stop();
    await prometheus?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  e2e("a failed checkout arrives as one trace across both services, with the cluster's identity", async () => {
    const identity = await clusterIdentity(env);
    assert.is(identity.environment, env);
    const trace = await store.waitForTrace(traces.missing as string, 3, 30_000);
    const spans = spansOf(trace);
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
    for (const service of ["storefront", "inventory"]) {
      const resource = resourceOf(trace, service);
      assert.is(resource["k8s.cluster.name"], identity.name, `${service}: k8s.cluster.name added by the Collector`);
      assert.is(resource["deployment.environment.name"], env, `${service}: environment added by the Collector`);
      assert.is(resource["telemetry.distro.name"], "@greenlang/tracing");
    }
    const names = spans.map((s) => s.name);
    assert.ok(names.includes("GET /checkout/:id"), `route-named server span missing: ${names.join(", ")}`);
    assert.ok(names.includes("inventory.lookup"), `wrapped function span missing: ${names.join(", ")}`);
    const lookup = spans.find((s) => s.name === "inventory.lookup");
    assert.is(lookup?.status?.code, 2, "the failed lookup is an error span");
    // Parent links hold across the process boundary: every span but the root has its parent here.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    assert.is(roots.length, 1, `one root expected, got ${roots.map((s) => s.name).join(", ")}`);
  });

  e2e("personal data and secrets never reach the store", async () => {
    const trace = await store.waitForTrace(traces.missing as string, 3, 30_000);
    const stored = JSON.stringify(trace);
    assert.not.match(stored, /jane\.doe@example\.com/);
    assert.not.match(stored, /sk_live_51HvQ2eKZ8y4u1xYt3/);
    const lookup = spansOf(trace).find((s) => s.name === "inventory.lookup");
    assert.is(attributesOf(lookup?.attributes)["inventory.sku"], "sku-missing", "ordinary attributes are kept");
  });

  e2e("health checks are never traced", async () => {
    await store.waitForTrace(traces.missing as string, 3, 30_000);
    const names = [...(await store.spanNamesOf("storefront")), ...(await store.spanNamesOf("inventory"))];
    assert.ok(names.length > 0, "the store holds the services' spans");
    assert.equal(
      names.filter((name) => /healthz/.test(name)),
      [],
      "a probe was traced",
    );
  });

  e2e(
    "the services' span metrics reach Prometheus through the Collector's metrics pipeline, with the cluster's identity",
    async () => {
      const identity = await clusterIdentity(env);
      // Both services' requests: storefront served 3 (two checkouts and a probe), inventory 2.
      const series = await waitFor(
        "gl_span_requests_total of both services in Prometheus",
        async () => {
          const result = await prometheus.query(
            'sum by (job, k8s_cluster_name, deployment_environment_name) (gl_span_requests_total{span_kind="server"})',
          );
          return result.length >= 2 ? result : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      assert.equal(
        series
          .map((s) => `${s.metric.job} ${s.metric.k8s_cluster_name} ${s.metric.deployment_environment_name}`)
          .sort(),
        [`inventory ${identity.name} ${env}`, `storefront ${identity.name} ${env}`],
      );
      for (const s of series) assert.ok(Number(s.value[1]) >= 1, `${s.metric.job}: ${s.value[1]} requests`);
      // The runtime metrics travel with them, under the names sdk/src/metrics-export.ts writes for scrapes.
      for (const name of [
        'nodejs_eventloop_utilization_ratio{job="storefront"}',
        'nodejs_eventloop_delay_p99_seconds{job="storefront"}',
        'v8js_memory_heap_used_bytes{job="inventory"}',
        'process_memory_usage_bytes{job="inventory"}',
        'process_cpu_time_seconds_total{job="storefront", cpu_mode="user"}',
        'v8js_gc_duration_seconds_total{job="storefront", v8js_gc_type="minor"}',
      ]) {
        assert.ok((await prometheus.query(name)).length > 0, `${name} in Prometheus`);
      }
    },
  );

  if (env === "dev") {
    e2e("dev keeps every trace (no tail sampling): the successful checkout is stored too", async () => {
      const trace = await store.waitForTrace(traces["42"] as string, 3, 30_000);
      assert.ok(spansOf(trace).some((s) => s.name === "inventory.lookup"));
    });
  }

  e2e.run();
}
