// Faults under steady traffic, through staging's committed Collector configs (front →
// load_balancing → tail-sampling gateway with its persistent queue → store), each ending with a
// ledger of traces sent, stored and counted as lost:
//   - the trace store down for 30 s (a real Jaeger v2 behind a TCP door that refuses every
//     connection during the outage): everything queued is delivered afterwards;
//   - a gateway killed (SIGKILL) and restarted: what was queued or retried arrives; the traces in
//     its tail-sampling decision window are lost and counted nowhere (the test measures them);
//   - the front refusing everything (memory limiter): an SDK service retries, then counts each
//     span it gives up on, under its error class.
//
// Every span carries an error status, which staging's keep-errors policy always samples, so
// "stored" is exactly "sent" unless something is lost. What the loopback copy changes is what
// loopback.ts says, plus a 1 s tail-sampling decision wait.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { freePort } from "../../../scripts/ports.ts";
import { waitFor } from "../../../scripts/process.ts";
import { TcpDoor } from "../../../scripts/tcp-door.ts";
import { ensureBuilt } from "../../../sdk/scripts/build.ts";
import { startFrontend } from "../../../sdk/test/fixture-service.ts";
import { type Jaeger, startJaeger } from "../../../test/support/jaeger.ts";
import { committedCollectorConfigs, committedTwoTierConfigs } from "../../../test/support/platform.ts";
import { startCollector, stopAll } from "./collector-process.ts";
import { forLoopback, loopbackPorts, metric } from "./loopback.ts";
import { sendSpans } from "./otlp-client.ts";

const test = suite("Collector faults under steady traffic (staging configs)");
const SERVICE = "ledger";
const OUTAGE_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir = "";
let store: Jaeger | undefined;
let door: TcpDoor | undefined;

test.before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "otelcol-faults-"));
  store = await startJaeger();
});

test.after(async () => {
  await stopAll();
  await door?.down();
  await store?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Traces of SERVICE the store holds. */
async function storedTraces(): Promise<number> {
  const url = `${(store as Jaeger).queryUrl}/api/traces?service=${SERVICE}&lookback=1h&limit=10000`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (response.status === 404) return 0;
  const body = (await response.json()) as { data?: unknown[] };
  return body.data?.length ?? 0;
}

/** `count` one-span error traces, one request every `everyMs`. */
async function send(front: string, count: number, everyMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await sendSpans(front, [{ service: SERVICE, name: `GET /order/${i}`, error: true }]);
    await sleep(everyMs);
  }
}

test("everything queued during the outage is delivered once the store is back; the ledger balances", async () => {
  const { front, gateway } = await committedTwoTierConfigs("staging");
  const storePort = Number((store as Jaeger).otlpGrpcEndpoint.split(":").pop());
  door = new TcpDoor(await freePort(), storePort);
  await door.up();

  const gatewayPorts = await loopbackPorts();
  const gatewayConfig = forLoopback(gateway, gatewayPorts, {
    tempo: `127.0.0.1:${door.port}`,
    queueDir: join(dir, "queue"),
  });
  gatewayConfig.processors.tail_sampling.decision_wait = "1s";
  await startCollector("gateway", gatewayConfig, dir);
  const frontPorts = await loopbackPorts();
  const frontConfig = forLoopback(front, frontPorts, {});
  frontConfig.exporters.load_balancing.resolver = { static: { hostnames: [`127.0.0.1:${gatewayPorts.grpc}`] } };
  await startCollector("front", frontConfig, dir);
  const frontUrl = `http://127.0.0.1:${frontPorts.http}`;

  await send(frontUrl, 10, 50);
  await waitFor("the first traces stored", async () => ((await storedTraces()) === 10 ? true : undefined), {
    timeoutMs: 20_000,
    intervalMs: 250,
  });

  await door.down();
  const outageStarted = Date.now();
  await send(frontUrl, 40, 250); // ten seconds of traffic into the outage
  assert.is(await storedTraces(), 10, "nothing reaches the store while it is down");
  const queued = await metric(gatewayPorts.metrics, "otelcol_exporter_queue_size");
  assert.ok(queued > 0, "the gateway holds what it could not send in its queue");
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
  await door.up();
  await send(frontUrl, 10, 50);

  const sent = 60;
  const stored = await waitFor(
    "every trace delivered after the outage",
    async () => {
      const n = await storedTraces();
      return n === sent ? n : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 1_000 },
  );
  // The ledger, by stage: nothing refused at the front, nothing lost between the tiers or to the store.
  const losses = {
    frontRefused: await metric(frontPorts.metrics, "otelcol_receiver_refused_spans"),
    frontSendFailed: await metric(frontPorts.metrics, "otelcol_exporter_send_failed_spans"),
    gatewayRefused: await metric(gatewayPorts.metrics, "otelcol_receiver_refused_spans"),
    gatewayEnqueueFailed: await metric(gatewayPorts.metrics, "otelcol_exporter_enqueue_failed_spans"),
    gatewaySendFailed: await metric(gatewayPorts.metrics, "otelcol_exporter_send_failed_spans"),
    droppedTooEarly: await metric(
      gatewayPorts.metrics,
      "otelcol_processor_tail_sampling_sampling_trace_dropped_too_early",
    ),
  };
  assert.equal(losses, {
    frontRefused: 0,
    frontSendFailed: 0,
    gatewayRefused: 0,
    gatewayEnqueueFailed: 0,
    gatewaySendFailed: 0,
    droppedTooEarly: 0,
  });
  assert.is(stored + Object.values(losses).reduce((a, b) => a + b, 0), sent, "sent = stored + counted losses");
});

test("a gateway killed mid-stream and restarted: queued and retried traces arrive; only its tail-sampling window is lost, uncounted", async () => {
  await stopAll();
  await door?.down();
  door = undefined;
  const service = "crash";
  const { front, gateway } = await committedTwoTierConfigs("staging");
  const gatewayPorts = await loopbackPorts();
  const gatewayConfig = forLoopback(gateway, gatewayPorts, {
    tempo: (store as Jaeger).otlpGrpcEndpoint,
    queueDir: join(dir, "crash-queue"),
  });
  gatewayConfig.processors.tail_sampling.decision_wait = "1s";
  let pod = await startCollector("gateway-crash", gatewayConfig, dir);
  const frontPorts = await loopbackPorts();
  const frontConfig = forLoopback(front, frontPorts, {});
  frontConfig.exporters.load_balancing.resolver = { static: { hostnames: [`127.0.0.1:${gatewayPorts.grpc}`] } };
  await startCollector("front-crash", frontConfig, dir);
  const frontUrl = `http://127.0.0.1:${frontPorts.http}`;
  const sendBatch = async (count: number, everyMs: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(...(await sendSpans(frontUrl, [{ service, name: `GET /pay/${i}`, error: true }])));
      await sleep(everyMs);
    }
    return ids;
  };
  const isStored = async (id: string) => ((await (store as Jaeger).getTrace(id)) ?? []).length > 0;

  const settled = await sendBatch(20, 50); // decided and exported before the crash
  await sleep(3_000);
  const inWindow = await sendBatch(10, 20); // still in the 1 s decision window when the pod dies
  await pod.kill();
  const whileDown = await sendBatch(20, 100); // the front retries them until a gateway is back
  pod = await startCollector("gateway-crash", gatewayConfig, dir);
  const after = await sendBatch(10, 50);

  const mustArrive = [...settled, ...whileDown, ...after];
  await waitFor(
    "every trace sent outside the crash window stored",
    async () => ((await Promise.all(mustArrive.map(isStored))).every(Boolean) ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
  const lostInWindow = (await Promise.all(inWindow.map(isStored))).filter((stored) => !stored).length;
  console.log(
    `gateway crash: ${mustArrive.length}/${mustArrive.length} traces sent outside the crash window stored; ` +
      `${lostInWindow}/${inWindow.length} traces in the 1 s tail-sampling window of the killed pod lost, counted nowhere`,
  );
  // The loss the runbook states: a killed gateway takes undecided traces with it. A Collector that
  // kept them (or counted them) would make this fail, and the runbook would need to change with it.
  assert.ok(lostInWindow > 0, "traces in the killed pod's decision window were expected to be lost");
  const counted =
    (await metric(frontPorts.metrics, "otelcol_exporter_send_failed_spans")) +
    (await metric(gatewayPorts.metrics, "otelcol_exporter_send_failed_spans")) +
    (await metric(gatewayPorts.metrics, "otelcol_exporter_enqueue_failed_spans"));
  assert.is(counted, 0, "no loss the Collectors counted: the front's retries carried the crash");
});

test("the front refusing (memory limiter): the SDK retries what is retryable, then counts every span it gives up on", async () => {
  await stopAll();
  const configs = await committedCollectorConfigs("staging");
  const front = configs.get("front");
  if (!front) throw new Error("clusters/staging/otel-collector has no front tier");
  const ports = await loopbackPorts();
  const config = forLoopback(front, ports, {});
  // A front pod out of memory: the limiter allows 1 MiB, so it refuses everything it receives.
  config.processors.memory_limiter = { check_interval: "100ms", limit_mib: 1, spike_limit_mib: 0 };
  await startCollector("front-refusing", config, dir);
  const { url, proc } = await startFrontend("overloaded", {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.http}`,
    OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    OTEL_METRICS_EXPORTER: "none",
    GL_EXPORT_RETRY_MAX_MS: "3000",
  });
  try {
    const sent = 30;
    for (let i = 0; i < sent; i++) await (await fetch(`${url}/work/${i}`)).arrayBuffer();
    const stats = await waitFor(
      "every span counted by the SDK",
      async () => {
        const s = (await (await fetch(`${url}/stats`)).json()) as {
          exported: number;
          droppedQueueFull: number;
          droppedExportFailed: number;
          exportFailuresByError: Record<string, number>;
        };
        return s.exported + s.droppedQueueFull + s.droppedExportFailed === sent ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const refused = await metric(ports.metrics, "otelcol_receiver_refused_spans");
    console.log(
      `memory limiter: ${sent} spans sent, ${refused} refusals counted by the front (retries included), SDK losses by class ${JSON.stringify(stats.exportFailuresByError)}`,
    );
    assert.is(stats.exported, 0, "nothing got through a front that refuses everything");
    assert.is(stats.droppedExportFailed, sent, "ledger: every span the SDK gave up on is counted");
    assert.ok(refused >= sent, "the front counted each refusal (once per attempt)");
    // The upstream exporter reports a refusal it retried without its status code: "Retryable status".
    assert.equal(Object.keys(stats.exportFailuresByError), ["Retryable status"], "losses named by their class");
  } finally {
    await proc.stop(1_000);
  }
});

test.run();
