// A batch bigger than Tempo's gRPC message limit, through staging's committed front and gateway
// configs, into a store whose gRPC receiver has the limit staging's rendered Tempo config gives the
// distributor. The gateway's exporter splits requests at the rendered byte cap, so every span
// arrives; the same gateway without the cap sends the batch whole, and the store refuses it
// (what Tempo would do), which is why the cap is there.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { waitFor } from "../../../scripts/process.ts";
import { committedCollectorConfigs, committedTwoTierConfigs } from "../../../test/support/platform.ts";
import { startCollector, startStore, stopAll, storedSpans } from "./collector-process.ts";
import { forLoopback, loopbackPorts, metric } from "./loopback.ts";
import { newTraceId, sendSpans } from "./otlp-client.ts";
import { type CollectorConfig, ROOT } from "./render.ts";

const test = suite("requests to Tempo stay under its gRPC message limit");
// One request of 1,800 spans with 6 KiB of attribute each, ≈ 11 MiB: its traces reach the gateway
// together, are decided in the same tick and leave in one batch (up to 8192 spans), over
// staging's limit. (The front takes 20 MiB over HTTP; the gateway 16 MiB over gRPC.)
const REQUESTS = 1;
const SPANS_PER_REQUEST = 1800;
const PAYLOAD = "x".repeat(6 * 1024);

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "otelcol-msgsize-"));
});
test.after(async () => {
  await stopAll();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The distributor's OTLP gRPC receive limit in staging's rendered Tempo config, in MiB. */
async function tempoLimitMiB(): Promise<number> {
  const file = join(ROOT, "clusters/staging/tempo/configmap-tempo-config.yaml");
  const configMap = parse(await readFile(file, "utf8"));
  const tempo = parse(configMap.data["tempo.yaml"]);
  const limit = tempo.distributor?.receivers?.otlp?.protocols?.grpc?.max_recv_msg_size_mib;
  if (typeof limit !== "number") throw new Error(`${file}: no max_recv_msg_size_mib on the OTLP gRPC receiver`);
  return limit;
}

async function run(name: string, gatewayChange: (config: CollectorConfig) => void) {
  const limit = await tempoLimitMiB();
  const store = await startStore(dir, undefined, { maxRecvMsgSizeMiB: limit });
  const { front, gateway } = await committedTwoTierConfigs("staging");
  const gatewayPorts = await loopbackPorts();
  const gatewayConfig = forLoopback(gateway, gatewayPorts, {
    tempo: store.endpoint,
    queueDir: join(dir, `${name}-queue`),
  });
  gatewayConfig.processors.tail_sampling.decision_wait = "1s";
  gatewayChange(gatewayConfig);
  await startCollector(`${name}-gateway`, gatewayConfig, dir);
  const frontPorts = await loopbackPorts();
  const frontConfig = forLoopback(front, frontPorts, {});
  frontConfig.exporters.load_balancing.resolver = { static: { hostnames: [`127.0.0.1:${gatewayPorts.grpc}`] } };
  await startCollector(`${name}-front`, frontConfig, dir);

  // Error traces (kept by keep-errors) of 10 spans each.
  for (let r = 0; r < REQUESTS; r++) {
    const spans = Array.from({ length: SPANS_PER_REQUEST / 10 }, () => newTraceId()).flatMap((traceId) =>
      Array.from({ length: 10 }, (_, i) => ({
        service: "big-spans",
        name: `step ${i}`,
        error: true,
        traceId,
        attributes: { "app.payload": PAYLOAD },
      })),
    );
    await sendSpans(`http://127.0.0.1:${frontPorts.http}`, spans);
  }
  const sent = REQUESTS * SPANS_PER_REQUEST;
  const done = await waitFor(
    "every span stored or counted as failed",
    async () => {
      const stored = (await storedSpans(store.spansFile)).length;
      const failed = await metric(gatewayPorts.metrics, "otelcol_exporter_send_failed_spans");
      return stored + failed >= sent ? { stored, failed } : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  ).catch(async () => ({
    stored: (await storedSpans(store.spansFile)).length,
    failed: await metric(gatewayPorts.metrics, "otelcol_exporter_send_failed_spans"),
  }));
  // The file exporter writes one line per request it received.
  const requests = (await readFile(store.spansFile, "utf8").catch(() => "")).split("\n").filter(Boolean).length;
  await stopAll();
  return { limit, sent, ...done, requests };
}

test("split at the rendered cap: a batch over the limit arrives whole, in several requests", async () => {
  const cap = (await committedCollectorConfigs("staging")).get("gateway")?.exporters["otlp_grpc/tempo"].sending_queue
    .batch.max_size;
  const result = await run("capped", () => {});
  console.log(
    `message size: ${result.sent} spans of 6 KiB (≈${((result.sent * 6.2) / 1024).toFixed(0)} MiB) through the gateway; Tempo's limit ${result.limit} MiB, exporter cap ${(cap / 1048576).toFixed(0)} MiB: ${result.stored} stored in ${result.requests} requests, ${result.failed} failed`,
  );
  assert.ok(cap < result.limit * 1024 * 1024, "the cap is under the limit");
  assert.is(result.stored, result.sent, "every span stored");
  assert.is(result.failed, 0);
  assert.ok(result.requests >= 2, `the batch was split (${result.requests} requests)`);
});

test("without the cap the same batch is one request over the limit, and the receiver refuses it", async () => {
  const result = await run("uncapped", (config) => {
    delete config.exporters["otlp_grpc/tempo"].sending_queue.batch;
    // Refused requests are retried for minutes by default; here the first refusal is the answer.
    config.exporters["otlp_grpc/tempo"].retry_on_failure = { enabled: false };
  });
  console.log(`without the cap: ${result.stored} stored, ${result.failed} failed of ${result.sent}`);
  assert.ok(result.failed > 0, "the oversized request was refused");
  assert.ok(result.stored < result.sent);
});

test.run();
