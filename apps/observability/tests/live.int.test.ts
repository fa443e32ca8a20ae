// needs tools: prometheus
// The platform's alerts and dashboards against live components on loopback: staging's committed
// Collector configs (a gateway and three front pods), SDK services pushing traces and span metrics
// through the Collector, a trace store (Jaeger v2, standing in for Tempo), and a real Prometheus
// that scrapes the Collectors as the ServiceMonitor does, receives OTLP, stores exemplars and
// evaluates the PrometheusRule committed for staging, with every `for` as in production.
//
// Healthy traffic must fire nothing, and every shipped query must run without an error or a
// warning. Then faults are induced and each must make its own alert pending or firing:
//   - the trace store goes down (the gateway's export retries give up after 3 s; its queue holds 1
//     batch) → OtelCollectorDroppingSpans fires, OtelCollectorExportFailing and
//     OtelCollectorQueueNearlyFull are pending;
//   - a front pod whose memory limiter allows 1 MiB receives spans → OtelCollectorRefusingSpans;
//   - an SDK service exports its spans to a dead endpoint → TracingSdkDroppingSpans;
//   - a front pod whose Prometheus is unreachable receives metrics → the metric-point failures.
// Afterwards every Collector and SDK name the alerts and dashboards use has a series whose labels
// are those metric-names/otelcol-0.160.0.tsv lists, and the SDK's exemplars carry trace ids.
//
// What the loopback copies change is what apps/otel-collector/tests/loopback.ts says, plus the
// fault settings named above and a 1 s tail-sampling decision wait. Tempo's own names cannot be
// proven here (Tempo is AGPL and never built): names.test.ts holds them to the v2.7.2 source list.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse, stringify } from "yaml";
import { binDir, declaredTools, ensureTools } from "../../../policies/live/tools.ts";
import { freePort, freePorts } from "../../../scripts/ports.ts";
import { type RunningProcess, startProcess, waitFor } from "../../../scripts/process.ts";
import { ensureBuilt } from "../../../sdk/scripts/build.ts";
import { type Jaeger, startJaeger } from "../../../test/support/jaeger.ts";
import { clusterIdentity, committedCollectorConfigs, serviceEnv } from "../../../test/support/platform.ts";
import { type ActiveAlert, type Prometheus, startPrometheus } from "../../../test/support/prometheus.ts";
import { type RunningCollector, startCollector, stopAll } from "../../otel-collector/tests/collector-process.ts";
import { forLoopback, type Loopback, loopbackPorts } from "../../otel-collector/tests/loopback.ts";
import { exportRequest, newTraceId } from "../../otel-collector/tests/otlp-client.ts";
import type { CollectorConfig } from "../../otel-collector/tests/render.ts";
import { COLLECTOR_JOB, OTELCOL, SDK } from "../src/metrics.ts";
import { type KnownMetric, knownMetrics } from "./catalog.ts";
import { shippedExpressions } from "./expressions.ts";
import { substituteGrafana } from "./promql.ts";
import { TEST_SETTINGS } from "./settings.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const FIXTURES = join(ROOT, "test", "integration", "fixtures");
const ENV = "staging";
const REQUEST_TIMEOUT_MS = 10_000;

const live = suite("observability on live components (staging Collector configs, SDK, Prometheus)");

let dir: string;
let store: Jaeger;
let prometheus: Prometheus;
let identity: { name: string; environment: string };
const services: RunningProcess[] = [];
const ports: Record<"gateway" | "front" | "frontNoPrometheus" | "frontLimited", Loopback> = {} as never;
let storefront = "";
let deadEnd = "";
let healthyAlerts: ActiveAlert[] = [];
let healthyProblems: string[] = [];

/** The staging gateway with the store-down fault settings (short retries, a one-batch queue). */
function gatewayConfig(gateway: CollectorConfig): CollectorConfig {
  const config = forLoopback(gateway, ports.gateway, { tempo: store.otlpGrpcEndpoint, queueDir: join(dir, "queue") });
  config.processors.tail_sampling.decision_wait = "1s";
  const tempo = config.exporters["otlp_grpc/tempo"];
  tempo.sending_queue.queue_size = 1;
  tempo.retry_on_failure = { enabled: true, initial_interval: "500ms", max_interval: "1s", max_elapsed_time: "3s" };
  return config;
}

function frontConfig(front: CollectorConfig, own: Loopback, metricsUrl: string): CollectorConfig {
  const config = forLoopback(front, own, { metrics: metricsUrl });
  config.exporters.load_balancing.resolver = { static: { hostnames: [`127.0.0.1:${ports.gateway.grpc}`] } };
  return config;
}

async function startCollectors(): Promise<RunningCollector[]> {
  const configs = await committedCollectorConfigs(ENV);
  const front = configs.get("front");
  const gateway = configs.get("gateway");
  if (!front || !gateway) throw new Error(`clusters/${ENV}/otel-collector has no front and gateway tiers`);
  const started = [await startCollector("gateway", gatewayConfig(gateway), dir)];
  started.push(await startCollector("front", frontConfig(front, ports.front, prometheus.otlpUrl), dir));
  // A front pod whose Prometheus OTLP receiver is unreachable (its retries give up after 2 s).
  const noPrometheus = frontConfig(front, ports.frontNoPrometheus, `http://127.0.0.1:${await freePort()}/api/v1/otlp`);
  noPrometheus.exporters["otlp_http/prometheus"].retry_on_failure = {
    enabled: true,
    initial_interval: "500ms",
    max_interval: "1s",
    max_elapsed_time: "2s",
  };
  started.push(await startCollector("front-no-prometheus", noPrometheus, dir));
  // A front pod out of memory: its memory limiter allows 1 MiB, so it refuses what it receives.
  const limited = frontConfig(front, ports.frontLimited, prometheus.otlpUrl);
  limited.processors.memory_limiter = { check_interval: "100ms", limit_mib: 1, spike_limit_mib: 0 };
  started.push(await startCollector("front-limited", limited, dir));
  return started;
}

/** Scrape targets labelled as the cluster's ServiceMonitor labels them. */
function collectorTargets(cluster: string) {
  const target = (port: number, tier: string, pod: string) => ({
    address: `127.0.0.1:${port}`,
    labels: { cluster, tier, pod, namespace: "otel-collector" },
  });
  return [
    target(ports.gateway.metrics, "gateway", "otel-collector-gateway-0"),
    target(ports.front.metrics, "front", "otel-collector-front-5d9c7-a1b2c"),
    target(ports.frontNoPrometheus.metrics, "front", "otel-collector-front-5d9c7-d3e4f"),
    target(ports.frontLimited.metrics, "front", "otel-collector-front-5d9c7-g5h6i"),
  ];
}

/** The staging PrometheusRule's groups, as a rule file. */
async function stagingRuleFile(): Promise<string> {
  const object = parse(
    await readFile(join(ROOT, "clusters", ENV, "observability", "prometheusrule-tracing-alerts.yaml"), "utf8"),
  ) as { spec: { groups: unknown[] } };
  const file = join(dir, "tracing-alerts.yaml");
  await writeFile(file, stringify({ groups: object.spec.groups }));
  return file;
}

async function startService(name: string, script: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const loader = script.endsWith(".cjs") ? "--require" : "--import";
  const proc = startProcess(process.execPath, [loader, "@greenlang/tracing/register", join(FIXTURES, script)], {
    cwd: ROOT,
    env: serviceEnv({ OTEL_SERVICE_NAME: name, PORT: String(port), ...env }),
  });
  services.push(proc);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("fixture service", async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
    process: proc,
  });
  return url;
}

async function startServices(): Promise<void> {
  const front = `http://127.0.0.1:${ports.front.http}`;
  const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: front, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" };
  const inventory = await startService("inventory", "inventory.cjs", otlp);
  storefront = await startService("storefront", "storefront.mjs", { ...otlp, INVENTORY_URL: inventory });
  // Its spans go nowhere (nothing listens there); its metrics reach the Collector as usual.
  const [dead] = await freePorts(1);
  deadEnd = await startService("orders", "storefront.mjs", {
    ...otlp,
    INVENTORY_URL: inventory,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${dead}/v1/traces`,
    OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    OTEL_BSP_SCHEDULE_DELAY: "200",
    // The SDK retries a failed batch (2 min by default) before it counts the spans as lost; the
    // endpoint never comes back here, so a 2 s retry window makes the loss show up in seconds.
    GL_EXPORT_RETRY_MAX_MS: "2000",
  });
}

async function checkouts(url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/checkout/${i % 5 === 4 ? "missing" : String(i)}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
  }
}

/** OTLP/HTTP JSON straight to a Collector (the faults that need no SDK). */
async function post(port: number, path: "traces" | "metrics"): Promise<number> {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  const body =
    path === "traces"
      ? exportRequest([{ traceId: newTraceId(), name: "GET /fault", service: "fault-injector" }])
      : {
          resourceMetrics: [
            {
              resource: { attributes: [{ key: "service.name", value: { stringValue: "fault-injector" } }] },
              scopeMetrics: [
                { metrics: [{ name: "fault.points", gauge: { dataPoints: [{ asInt: "1", timeUnixNano: now }] } }] },
              ],
            },
          ],
        };
  const response = await fetch(`http://127.0.0.1:${port}/v1/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

const alertKey = (a: ActiveAlert) => `${a.labels.alertname} ${a.state}`;

async function problemsOfShippedQueries(): Promise<string[]> {
  const problems: string[] = [];
  for (const e of shippedExpressions(TEST_SETTINGS)) {
    try {
      const { warnings } = await prometheus.queryFull(substituteGrafana(e.expr));
      for (const w of warnings) problems.push(`${e.where}: warning ${w}`);
    } catch (error) {
      problems.push(`${e.where}: ${(error as Error).message}`);
    }
  }
  return problems;
}

live.before(async () => {
  // uvu reports a failed hook only as failed tests: say why.
  await setUp().catch((error: unknown) => {
    console.error(error);
    throw error;
  });
});

async function setUp(): Promise<void> {
  ensureBuilt();
  ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
  dir = await mkdtemp(join(tmpdir(), "greenlang-observability-"));
  identity = await clusterIdentity(ENV);
  store = await startJaeger();
  // Ports first: Prometheus must know its scrape targets, and the fronts its OTLP receiver, at start.
  for (const key of ["gateway", "front", "frontNoPrometheus", "frontLimited"] as const)
    ports[key] = await loopbackPorts();
  prometheus = await startPrometheus(join(binDir(ROOT), "prometheus"), {
    interval: "2s",
    exemplars: true,
    ruleFiles: [await stagingRuleFile()],
    scrape: [{ job: COLLECTOR_JOB, targets: collectorTargets(identity.name) }],
  });
  await startCollectors();
  await startServices();

  // Healthy traffic until both services' span metrics and the gateway's deliveries to the store
  // are in Prometheus, then a few more evaluations for any alert to turn pending.
  await checkouts(storefront, 20);
  await waitFor(
    "the healthy phase in Prometheus",
    async () => {
      await checkouts(storefront, 2);
      const sdk = await prometheus.query(`sum by (job) (${SDK.requests})`);
      const sent = await prometheus.query(`sum(${OTELCOL.exporterSent}{exporter="otlp_grpc/tempo"}) > 0`);
      return sdk.length >= 2 && sent.length === 1 ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
  await checkouts(storefront, 10);
  await new Promise((resolve) => setTimeout(resolve, 8_000));
  healthyAlerts = await prometheus.alerts();
  healthyProblems = await problemsOfShippedQueries();

  // The faults, with traffic flowing through each until every alert that owns one reacts.
  await store.stop();
  await waitFor(
    "each induced fault's alert pending or firing",
    async () => {
      await checkouts(storefront, 5);
      await checkouts(deadEnd, 5);
      await post(ports.frontLimited.http, "traces");
      await post(ports.frontNoPrometheus.http, "metrics");
      const active = new Set((await prometheus.alerts()).map(alertKey));
      return EXPECTED_AFTER_FAULTS.every((key) => active.has(key)) ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 1_000 },
  ).catch(async (error: unknown) => {
    throw new Error(`${(error as Error).message}\nactive: ${(await prometheus.alerts()).map(alertKey).join(", ")}`);
  });
}

/** What the faults must cause, with every `for` as in production (pending proves the expression matched). */
const EXPECTED_AFTER_FAULTS = [
  "OtelCollectorDroppingSpans firing",
  "OtelCollectorExportFailing pending",
  "OtelCollectorQueueNearlyFull pending",
  "OtelCollectorRefusingSpans pending",
  "TracingSdkDroppingSpans pending",
];

live.after(async () => {
  for (const service of services) await service.stop();
  await stopAll();
  await store?.stop();
  await prometheus?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

live("healthy traffic fires nothing and leaves nothing pending", () => {
  assert.equal(healthyAlerts.map(alertKey), []);
});

live("every shipped alert, panel and variable query runs without an error or a warning", () => {
  assert.equal(healthyProblems, []);
});

live("each induced fault makes the alert that owns it pending or firing, with the labels its links need", async () => {
  const active = await prometheus.alerts();
  const of = (name: string) => active.filter((a) => a.labels.alertname === name);
  const dropping = of("OtelCollectorDroppingSpans")[0];
  assert.is(dropping?.labels.tier, "gateway");
  assert.is(dropping?.labels.exporter, "otlp_grpc/tempo");
  assert.is(dropping?.labels.cluster, identity.name);
  assert.ok(
    dropping?.annotations.dashboard_url?.endsWith(`&var-cluster=${identity.name}`),
    dropping?.annotations.dashboard_url,
  );
  assert.is(of("OtelCollectorRefusingSpans")[0]?.labels.tier, "front");
  const sdk = of("TracingSdkDroppingSpans")[0];
  assert.is(sdk?.labels.job, "orders");
  assert.is(sdk?.labels.reason, "export_failed");
  assert.is(sdk?.labels.k8s_cluster_name, identity.name);
  // Nothing else: a fault must not page for another stage (the store-down fault is the gateway's).
  const expected = new Set(EXPECTED_AFTER_FAULTS.map((k) => k.split(" ")[0]));
  assert.equal(
    [...new Set(active.map((a) => a.labels.alertname))].filter((n) => n && !expected.has(n)),
    [],
  );
});

live(
  "every Collector and SDK name the alerts and dashboards use has a series, with the labels the TSV lists",
  async () => {
    const known = knownMetrics();
    const missing: string[] = [];
    const unlisted: string[] = [];
    for (const name of [...Object.values(OTELCOL), ...Object.values(SDK)]) {
      const series = await prometheus.query(`${name}{}`);
      if (series.length === 0) missing.push(name);
      const listed = (known.get(name) as KnownMetric).labels;
      for (const s of series) {
        for (const label of Object.keys(s.metric)) {
          if (label !== "__name__" && !listed.has(label) && !EXTRA_SCRAPE_LABELS.has(label))
            unlisted.push(`${name}: ${label}`);
        }
      }
    }
    assert.equal(missing, [], "names without a series");
    assert.equal([...new Set(unlisted)], [], "labels the running binary has that the TSV does not list");
  },
);

/** Labels Prometheus itself adds to OTLP series (service.namespace, otel scope), not used by any query. */
const EXTRA_SCRAPE_LABELS = new Set(["otel_scope_name", "otel_scope_version", "otel_scope_schema_url"]);

live("negative controls: the community charts' names return nothing here", async () => {
  for (const name of [
    "otelcol_exporter_sent_spans_total",
    "otelcol_receiver_accepted_spans_total",
    "otelcol_processor_dropped_spans",
    "otelcol_processor_refused_spans",
    "otelcol_process_uptime_seconds_total",
    "gl_span_duration_bucket",
  ]) {
    assert.equal(await prometheus.query(name), [], name);
  }
});

live("the SDK's latency exemplars carry trace ids Grafana can follow (trace_id)", async () => {
  const exemplars = await prometheus.exemplars(`${SDK.durationBucket}{job="storefront"}`, 600);
  assert.ok(exemplars.length > 0, "no exemplars stored");
  for (const e of exemplars) assert.match(e.labels.trace_id ?? "", /^[0-9a-f]{32}$/);
});

live.run();
