// End to end with real processes: the built `otelcol` runs the chart's rendered config, a span goes
// in over real OTLP/HTTP, and a second `otelcol` (OTLP in, `file` exporter out) stands in for Tempo.
//
// The rendered configs run as rendered except for the loopback rewrite in loopback.ts (endpoints,
// queue directory, k8s_attributes passthrough) and, for two-tier, the load_balancing resolver
// (DNS → static on the gateway's loopback port) and a 1s decision_wait.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  freePort,
  type StoredSpan,
  startCollector,
  startStore,
  stopAll,
  storedSpans,
  waitFor,
} from "./collector-process.ts";
import { forLoopback, type Loopback, loopbackPorts, metric } from "./loopback.ts";
import { sendSpans } from "./otlp-client.ts";
import { type CollectorConfig, ciValues, render } from "./render.ts";

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "otelcol-smoke-"));
});
test.after(async () => {
  await stopAll();
  await rm(dir, { recursive: true, force: true });
});

const SENSITIVE = {
  "http.route": "/cart/{id}",
  "url.path": "/cart/42",
  "http.request.header.authorization": "Bearer do-not-store",
  "user.email": "jane@example.com",
  "payment.card": "4111111111111111",
};

function spanOf(spans: StoredSpan[], traceId: string): StoredSpan | undefined {
  return spans.find((s) => s.span.traceId === traceId);
}

test("single mode (dev): a span sent over OTLP reaches the store enriched and redacted", async () => {
  const rendered = (await render("dev")).configs.get("collector");
  if (!rendered) throw new Error("dev renders no collector config");
  const store = await startStore(dir);
  const ports = await loopbackPorts();
  const queueDir = join(dir, "collector-queue");
  const collector = await startCollector(
    "collector",
    forLoopback(rendered, ports, { tempo: store.endpoint, queueDir }),
    dir,
  );
  try {
    const [traceId] = await sendSpans(`http://127.0.0.1:${ports.http}`, [
      { service: "cart", name: "GET /cart/{id}", attributes: SENSITIVE },
    ]);
    const stored = await waitFor(`trace ${traceId} in the store`, async () =>
      spanOf(await storedSpans(store.spansFile), traceId as string),
    );

    // Enrichment: the resource processor and k8s_attributes.
    assert.is(stored.resource["k8s.cluster.name"], (await ciValues("dev")).cluster.name);
    assert.is(stored.resource["deployment.environment.name"], "dev");
    assert.is(stored.resource["k8s.pod.ip"], "127.0.0.1");
    assert.is(stored.resource["service.name"], "cart");
    // Redaction: deleted, hashed, masked; ordinary attributes untouched.
    assert.not.ok("http.request.header.authorization" in stored.attributes, "authorization header must be removed");
    assert.match(String(stored.attributes["user.email"]), /^[0-9a-f]{64}$/);
    assert.is.not(stored.attributes["user.email"], SENSITIVE["user.email"]);
    assert.is(stored.attributes["payment.card"], "****");
    assert.is(stored.attributes["http.route"], "/cart/{id}");

    // The persistent queue really lives in the file_storage directory.
    assert.ok((await readdir(queueDir)).length > 0, "file_storage wrote nothing to its directory");
    assert.ok((await metric(ports.metrics, "otelcol_receiver_accepted_spans")) >= 1);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\n--- collector logs ---\n${collector.logs()}\n--- store logs ---\n${store.collector.logs()}`,
    );
  } finally {
    await collector.stop();
    await store.collector.stop();
  }
});

/**
 * Sends a span while Tempo is down, waits for a failed export attempt, restarts the Collector with
 * the same queue directory, then starts Tempo (the store). Returns the span if it arrived in time.
 */
async function restartWhileTempoIsDown(config: CollectorConfig, ports: Loopback, tempoPort: number, waitMs: number) {
  const first = await startCollector("before-restart", config, dir);
  let second: Awaited<ReturnType<typeof startCollector>> | undefined;
  let store: Awaited<ReturnType<typeof startStore>> | undefined;
  try {
    const [traceId] = await sendSpans(`http://127.0.0.1:${ports.http}`, [{ service: "cart", name: "GET /cart" }]);
    // Accepted and tried once against the missing Tempo (send_failed only counts once retries give
    // up, so the log line is the signal).
    await waitFor("a failed export attempt", async () =>
      first.logs().includes("Exporting failed. Will retry the request after interval.") ? true : undefined,
    );
    await first.stop();
    store = await startStore(dir, tempoPort);
    second = await startCollector("after-restart", config, dir);
    const spansFile = store.spansFile;
    return await waitFor(
      `trace ${traceId} after the restart`,
      async () => spanOf(await storedSpans(spansFile), traceId as string),
      waitMs,
    ).catch(() => undefined);
  } finally {
    await first.stop();
    await second?.stop();
    await store?.collector.stop();
  }
}

test("single mode: spans accepted while Tempo is down survive a Collector restart (persistent queue)", async () => {
  const rendered = (await render("dev")).configs.get("collector");
  if (!rendered) throw new Error("dev renders no collector config");
  const [tempoPort, ports] = [await freePort(), await loopbackPorts()];
  const config = forLoopback(rendered, ports, {
    tempo: `127.0.0.1:${tempoPort}`,
    queueDir: join(dir, "restart-queue"),
  });
  const stored = await restartWhileTempoIsDown(config, ports, tempoPort, 30_000);
  assert.ok(stored, "the span queued before the restart never reached Tempo");
  assert.is(stored.resource["k8s.cluster.name"], (await ciValues("dev")).cluster.name);
});

test("the same restart loses the span when the queue is in memory (the check above can fail)", async () => {
  const rendered = (await render("dev")).configs.get("collector");
  if (!rendered) throw new Error("dev renders no collector config");
  const [tempoPort, ports] = [await freePort(), await loopbackPorts()];
  const config = forLoopback(rendered, ports, { tempo: `127.0.0.1:${tempoPort}`, queueDir: join(dir, "memory-queue") });
  delete config.exporters["otlp_grpc/tempo"].sending_queue.storage;
  assert.is(await restartWhileTempoIsDown(config, ports, tempoPort, 4_000), undefined);
});

test("two-tier (staging): front → load_balancing by trace id → tail-sampling gateway → store", async () => {
  const r = await render("staging");
  const [frontRendered, gatewayRendered] = [r.configs.get("front"), r.configs.get("gateway")];
  if (!frontRendered || !gatewayRendered) throw new Error("staging renders no front/gateway config");
  const store = await startStore(dir);
  const [frontPorts, gatewayPorts] = [await loopbackPorts(), await loopbackPorts()];

  const gatewayConfig = forLoopback(gatewayRendered, gatewayPorts, {
    tempo: store.endpoint,
    queueDir: join(dir, "gateway-queue"),
  });
  gatewayConfig.processors.tail_sampling.decision_wait = "1s";
  const frontConfig = forLoopback(frontRendered, frontPorts, {});
  const lb = frontConfig.exporters.load_balancing;
  assert.equal(lb.resolver.dns.port, "4317");
  lb.resolver = { static: { hostnames: [`127.0.0.1:${gatewayPorts.grpc}`] } };

  const gateway = await startCollector("gateway", gatewayConfig, dir);
  const front = await startCollector("front", frontConfig, dir);
  try {
    // Health-check traces first, even failing ones: the drop policy must win over keep-errors.
    const dropped = await sendSpans(`http://127.0.0.1:${frontPorts.http}`, [
      { service: "cart", name: "GET /healthz", attributes: { "url.path": "/healthz" }, error: true },
      { service: "cart", name: "GET /readyz", attributes: { "url.path": "/readyz" } },
    ]);
    const [kept] = await sendSpans(`http://127.0.0.1:${frontPorts.http}`, [
      { service: "cart", name: "POST /cart", attributes: SENSITIVE, error: true },
    ]);
    const stored = await waitFor(
      `error trace ${kept} in the store`,
      async () => spanOf(await storedSpans(store.spansFile), kept as string),
      30_000,
    );

    assert.is(stored.resource["k8s.cluster.name"], (await ciValues("staging")).cluster.name);
    assert.is(stored.resource["deployment.environment.name"], "staging");
    assert.not.ok("http.request.header.authorization" in stored.attributes);
    assert.is(stored.attributes["payment.card"], "****");
    // The health checks were decided before the error trace (sent earlier); give a batch interval more.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const all = await storedSpans(store.spansFile);
    for (const id of dropped) assert.not.ok(spanOf(all, id), `health-check trace ${id} should have been dropped`);
    // Both tiers took part: the front exported through the load balancer, the gateway sampled.
    assert.ok((await metric(frontPorts.metrics, "otelcol_exporter_sent_spans")) >= 3);
    assert.ok((await metric(gatewayPorts.metrics, "otelcol_receiver_accepted_spans")) >= 3);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\n--- front ---\n${front.logs()}\n--- gateway ---\n${gateway.logs()}\n--- store ---\n${store.collector.logs()}`,
    );
  } finally {
    await front.stop();
    await gateway.stop();
    await store.collector.stop();
  }
});

test.run();
