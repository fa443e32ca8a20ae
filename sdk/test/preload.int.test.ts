// End to end with the built package and the real Collector: an ESM service started with
// `--import @greenlang/tracing/register` calls a CommonJS Express service started with
// `--require` (and `--import` too, as an operator injection would) over HTTP; both export OTLP
// (gRPC and http/protobuf) to otelcol, which writes what it receives to files. Checked: the
// resource of each service, one trace across both, route names, baggage crossing services,
// redaction, health checks untraced, span metrics with exemplars, and that SIGTERM flushes
// everything (the batch delay is set to a minute, so only the shutdown flush can deliver).
// Then with the endpoint down: the service keeps serving, nothing throws, drops are exact.
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { freePorts } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, untracedEnv, waitFor } from "../../scripts/process.ts";
import { attributesOf } from "../../test/support/otlp.ts";
import { ensureBuilt } from "../scripts/build.ts";
import { type Collector, type OtlpKeyValue, type ReceivedSpan, startCollector } from "./otelcol.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const CHECKOUTS = 5;
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

/** The environment of a fixture service: ours minus any OTEL_* / GL_* of the test runner. */
function serviceEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = untracedEnv();
  return { ...base, OTEL_LOG_LEVEL: "warn", ...extra };
}

async function waitForHttp(url: string, proc: RunningProcess): Promise<void> {
  await waitFor("service", async () => ((await fetch(url)).ok ? true : undefined), {
    process: proc,
    timeoutMs: 20_000,
  });
}

/** Sends SIGTERM and waits (bounded) for the process to end by itself; returns how it ended. */
async function terminate(proc: RunningProcess): Promise<{ code: number | null; signal: string | null }> {
  const child = proc.child;
  const ended = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  child.kill("SIGTERM");
  const deadline = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000).unref());
  if ((await Promise.race([ended, deadline])) === "timeout") {
    await proc.stop(100);
    throw new Error(`process did not exit within 15 s of SIGTERM:\n${proc.output()}`);
  }
  return { code: child.exitCode, signal: child.signalCode };
}

const e2e = suite("preload end to end");
let collector: Collector | undefined;
const running: RunningProcess[] = [];

e2e.before(async () => {
  ensureBuilt();
  collector = await startCollector();
});

e2e.after(async () => {
  for (const proc of running) await proc.stop(1_000);
  await collector?.stop();
});

e2e("ESM + CJS services: one trace, resource, redaction, baggage, metrics, SIGTERM flush", async () => {
  const otel = collector as Collector;
  const [frontendPort, backendPort] = await freePorts(2);
  const backend = startProcess(
    process.execPath,
    [
      "--require",
      "@greenlang/tracing/register",
      "--import",
      "@greenlang/tracing/register",
      join(FIXTURES, "backend.cjs"),
    ],
    {
      cwd: FIXTURES,
      env: serviceEnv({
        PORT: String(backendPort),
        OTEL_SERVICE_NAME: "inventory",
        OTEL_EXPORTER_OTLP_ENDPOINT: otel.httpEndpoint,
        OTEL_BSP_SCHEDULE_DELAY: "60000",
        OTEL_METRIC_EXPORT_INTERVAL: "60000",
        OTEL_RESOURCE_ATTRIBUTES: "service.namespace=shop,team=stock",
        GL_SERVICE_VERSION: "1.4.2",
        GL_ENVIRONMENT: "dev",
        GL_CLUSTER: "dev",
        GL_GIT_COMMIT: "0123456789abcdef",
        K8S_POD_NAME: "inventory-7d9f8-abcde",
        K8S_NAMESPACE_NAME: "shop",
        K8S_NODE_NAME: "node-a",
      }),
    },
  );
  running.push(backend);
  const frontend = startProcess(
    process.execPath,
    ["--import", "@greenlang/tracing/register", join(FIXTURES, "frontend.mjs")],
    {
      cwd: FIXTURES,
      env: serviceEnv({
        PORT: String(frontendPort),
        BACKEND_URL: `http://127.0.0.1:${backendPort}`,
        OTEL_SERVICE_NAME: "storefront",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_EXPORTER_OTLP_ENDPOINT: otel.grpcEndpoint,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${otel.httpEndpoint}/v1/metrics`,
        OTEL_BSP_SCHEDULE_DELAY: "60000",
        OTEL_METRIC_EXPORT_INTERVAL: "60000",
        GL_ENVIRONMENT: "dev",
        K8S_POD_NAME: "storefront-5c6b7-fghij",
        K8S_NAMESPACE_NAME: "shop",
        K8S_NODE_NAME: "node-b",
      }),
    },
  );
  running.push(frontend);
  await waitForHttp(`http://127.0.0.1:${backendPort}/healthz`, backend);
  await waitForHttp(`http://127.0.0.1:${frontendPort}/healthz`, frontend);

  const traceparents: string[] = [];
  for (let i = 0; i < CHECKOUTS; i++) {
    const response = await fetch(`http://127.0.0.1:${frontendPort}/checkout/cart-${i}`, {
      headers: { "x-tenant": "acme", "x-user": "u-1" },
    });
    assert.is(response.status, 200);
    assert.equal(await response.json(), { status: 200, item: { id: `cart-${i}`, stock: 3 } });
    traceparents.push(response.headers.get("traceparent") ?? "");
  }

  // Nothing can have been exported yet (a one-minute batch delay): SIGTERM must flush it all.
  for (const proc of [frontend, backend]) {
    const ended = await terminate(proc);
    assert.is(ended.signal, "SIGTERM", `exits the way it would untraced; output:\n${proc.output()}`);
    assert.not.match(proc.output(), /Uncaught|Unhandled|TypeError|duplicate registration/i);
  }

  const expectedTraceIds = traceparents.map((tp) => tp.split("-")[1] as string);
  const spans = await waitFor(
    "spans of every checkout from both services",
    async () => {
      const all = await otel.spans();
      const complete = expectedTraceIds.every((id) => {
        const names = new Set(
          all.filter((s) => s.traceId === id).map((s) => `${s.resource["service.name"]}:${s.name}`),
        );
        return (
          names.has("storefront:GET /checkout/:cartId") &&
          names.has("inventory:GET /api/items/:id") &&
          names.has("inventory:inventory.lookup")
        );
      });
      return complete ? all : undefined;
    },
    { timeoutMs: 15_000 },
  );

  // Resource of each service.
  const byService = (name: string) => spans.filter((s) => s.resource["service.name"] === name);
  const inventory = byService("inventory")[0] as ReceivedSpan;
  for (const [key, value] of Object.entries({
    "service.version": "1.4.2",
    "service.namespace": "shop",
    team: "stock",
    "deployment.environment.name": "dev",
    "k8s.cluster.name": "dev",
    "k8s.pod.name": "inventory-7d9f8-abcde",
    "k8s.namespace.name": "shop",
    "k8s.node.name": "node-a",
    "vcs.ref.head.revision": "0123456789abcdef",
    "telemetry.distro.name": "@greenlang/tracing",
    "telemetry.sdk.language": "nodejs",
    "process.pid": backend.child.pid as number,
  })) {
    assert.is(inventory.resource[key], value, `inventory resource ${key}`);
  }
  assert.type(inventory.resource["host.name"], "string");
  const storefront = byService("storefront")[0] as ReceivedSpan;
  assert.is(storefront.resource["k8s.pod.name"], "storefront-5c6b7-fghij");
  assert.is(storefront.resource["process.pid"], frontend.child.pid as number);

  for (const [i, traceId] of expectedTraceIds.entries()) {
    const trace = spans.filter((s) => s.traceId === traceId);
    const server = trace.find((s) => s.resource["service.name"] === "storefront" && s.kind === SPAN_KIND_SERVER);
    const client = trace.find((s) => s.resource["service.name"] === "storefront" && s.kind === SPAN_KIND_CLIENT);
    const remote = trace.find((s) => s.resource["service.name"] === "inventory" && s.kind === SPAN_KIND_SERVER);
    const lookup = trace.find((s) => s.name === "inventory.lookup");
    assert.is(server?.name, "GET /checkout/:cartId");
    assert.is(
      traceparents[i],
      `00-${traceId}-${server?.spanId}-01`,
      "traceparent response header names the server span",
    );
    assert.is(client?.parentSpanId, server?.spanId);
    assert.is(remote?.parentSpanId, client?.spanId, "the inventory request continues the storefront trace");
    assert.is(remote?.attrs["http.route"], "/api/items/:id");
    // Identity set by the storefront middleware travels as baggage to the other service.
    assert.is(server?.attrs["tenant.id"], "acme");
    assert.is(remote?.attrs["tenant.id"], "acme");
    assert.is(lookup?.attrs["enduser.id"], "u-1");
    // Redaction, in the other service, on values set by application code and by instrumentation.
    assert.is(lookup?.attrs["customer.email"], "[REDACTED:email]");
    assert.is(lookup?.attrs["payment.card"], "[REDACTED:card]");
    assert.is(lookup?.attrs["inventory.sku"], `sku-cart-${i}`);
    const leaked = trace.filter((s) => JSON.stringify(s.attributes).includes("s3cr3t-value"));
    assert.equal(
      leaked.map((s) => s.name),
      [],
      "the token query parameter never leaves the process",
    );
    assert.match(String(remote?.attrs["url.query"]), /color=red/);
  }
  assert.is(spans.filter((s) => s.attrs["url.path"] === "/healthz").length, 0, "health checks are not traced");

  // Span metrics pushed at shutdown, with exemplars pointing at exported traces.
  const metricRequests = (await waitFor(
    "span metrics of both services",
    async () => {
      const requests = (await otel.metricRequests()) as MetricsRequest[];
      const services = new Set(
        requests.flatMap((r) => r.resourceMetrics.map((rm) => attributesOf(rm.resource.attributes)["service.name"])),
      );
      return services.has("inventory") && services.has("storefront") ? requests : undefined;
    },
    { timeoutMs: 15_000 },
  )) as MetricsRequest[];
  const inventoryMetrics = metricRequests
    .flatMap((r) => r.resourceMetrics)
    .filter((rm) => attributesOf(rm.resource.attributes)["service.name"] === "inventory")
    .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
  const requests = inventoryMetrics.find((m) => m.name === "gl.span.requests");
  const itemRequests = requests?.sum?.dataPoints.find(
    (p) => attributesOf(p.attributes)["http.route"] === "/api/items/:id",
  );
  assert.is(itemRequests?.asInt, String(CHECKOUTS));
  const duration = inventoryMetrics.find((m) => m.name === "gl.span.duration");
  const exemplarTrace = duration?.histogram?.dataPoints.flatMap((p) => p.exemplars ?? []).map((e) => e.traceId)[0];
  assert.ok(
    exemplarTrace && expectedTraceIds.includes(exemplarTrace),
    `exemplar ${exemplarTrace} is one of the exported traces`,
  );
  const dropped = inventoryMetrics.find((m) => m.name === "gl.tracing.spans.dropped");
  assert.equal(
    dropped?.sum?.dataPoints.map((p) => p.asInt),
    ["0", "0"],
  );
});

interface MetricsRequest {
  resourceMetrics: {
    resource: { attributes: OtlpKeyValue[] };
    scopeMetrics: {
      metrics: {
        name: string;
        sum?: { dataPoints: { attributes: OtlpKeyValue[]; asInt?: string }[] };
        histogram?: { dataPoints: { attributes: OtlpKeyValue[]; exemplars?: { traceId: string }[] }[] };
      }[];
    }[];
  }[];
}

e2e("Collector unreachable: requests keep being served, nothing throws, drops counted exactly", async () => {
  const [port, deadPort] = await freePorts(2);
  const service = startProcess(
    process.execPath,
    ["--import", "@greenlang/tracing/register", join(FIXTURES, "frontend.mjs")],
    {
      cwd: FIXTURES,
      env: serviceEnv({
        PORT: String(port),
        OTEL_SERVICE_NAME: "storefront",
        // Nothing listens there: every export is refused (and retried until the 1 s timeout).
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}`,
        OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        OTEL_METRIC_EXPORT_INTERVAL: "500",
        GL_SHUTDOWN_TIMEOUT_MS: "3000",
        // /stats is polled below; its own spans would still be in flight (being retried) when a
        // later call reads the counters, so the count is exact only when /stats is not traced.
        GL_IGNORE_PATHS: "/healthz,/stats",
        // Batches are lost at the first failure here (outage.int.test.ts covers the retries).
        GL_EXPORT_RETRY_MAX_MS: "0",
      }),
    },
  );
  running.push(service);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, service);
  const REQUESTS = 40;
  for (let i = 0; i < REQUESTS; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/work/${i}`);
    assert.is(response.status, 200);
    assert.is(await response.text(), "done");
  }
  interface Stats {
    exported: number;
    dropped: number;
    droppedExportFailed: number;
    droppedQueueFull: number;
    metricsExportFailures: number;
  }
  const stats = await waitFor(
    "every span of the /work requests accounted for",
    async () => {
      const s = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as Stats;
      return s.droppedExportFailed >= REQUESTS ? s : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250, process: service },
  );
  assert.is(stats.exported, 0);
  assert.is(stats.droppedQueueFull, 0);
  assert.is(stats.droppedExportFailed, REQUESTS);
  assert.is(stats.dropped, stats.droppedExportFailed);
  // Metrics are pushed every 500 ms: their failures are counted too, without any error escaping.
  await waitFor(
    "a failed metrics push to be counted",
    async () =>
      ((await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as Stats).metricsExportFailures > 0
        ? true
        : undefined,
    { timeoutMs: 10_000, intervalMs: 200, process: service },
  );
  assert.is((await fetch(`http://127.0.0.1:${port}/work/after`)).status, 200, "still serving");
  const ended = await terminate(service);
  assert.is(ended.signal, "SIGTERM");
  assert.not.match(service.output(), /Uncaught|Unhandled|TypeError/);
});

e2e.run();
