// A Collector outage under steady traffic, with the preload as services run it. The Collector is
// real; a TCP door in front of it stands for its Service: taking the door down refuses every
// connection (and cuts the open ones), as a Collector rollout or crash does, and bringing it back
// restores the same address. Each case ends with a ledger: spans sent = spans stored + spans the
// SDK counted as dropped, by reason.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { freePort } from "../../scripts/ports.ts";
import { type RunningProcess, waitFor } from "../../scripts/process.ts";
import { TcpDoor as CollectorDoor } from "../../scripts/tcp-door.ts";
import { ensureBuilt } from "../scripts/build.ts";
import { startFrontend } from "./fixture-service.ts";
import { type Collector, startCollector } from "./otelcol.ts";

const test = suite("Collector outage under steady traffic");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Stats {
  exported: number;
  droppedQueueFull: number;
  droppedExportFailed: number;
  exportFailuresByError: Record<string, number>;
}

let collector: Collector | undefined;
const doors: CollectorDoor[] = [];
const running: RunningProcess[] = [];

async function startOnce(): Promise<void> {
  ensureBuilt();
  collector = await startCollector();
}

test.after(async () => {
  for (const proc of running) await proc.stop(1_000);
  for (const door of doors) await door.down();
  await collector?.stop();
});

async function service(name: string, proxy: CollectorDoor, extra: Record<string, string>): Promise<string> {
  const { url, proc } = await startFrontend(name, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
    OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    OTEL_METRICS_EXPORTER: "none",
    ...extra,
  });
  running.push(proc);
  return url;
}

/** `count` requests, one every `everyMs`. */
async function traffic(url: string, count: number, everyMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/work/${i}`);
    assert.is(response.status, 200, "the service keeps serving through the outage");
    await response.arrayBuffer();
    await sleep(everyMs);
  }
}

async function stored(name: string): Promise<number> {
  return (await (collector as Collector).spans()).filter((s) => s.resource["service.name"] === name).length;
}

async function outage(
  name: string,
  extra: Record<string, string>,
): Promise<{ sent: number; stats: Stats; stored: number }> {
  const proxy = new CollectorDoor(await freePort(), Number(new URL((collector as Collector).httpEndpoint).port));
  doors.push(proxy);
  await proxy.up();
  const url = await service(name, proxy, extra);
  await traffic(url, 10, 50);
  await sleep(500);
  await proxy.down();
  await traffic(url, 30, 200); // six seconds without a Collector
  await proxy.up();
  await traffic(url, 10, 50);
  const sent = 50;
  // Settled: every span either stored or counted as dropped (retries back off up to a few seconds).
  const stats = await waitFor(
    "every span stored or counted",
    async () => {
      const s = (await (await fetch(`${url}/stats`)).json()) as Stats;
      const n = await stored(name);
      return n === s.exported && n + s.droppedQueueFull + s.droppedExportFailed === sent ? s : undefined;
    },
    { timeoutMs: 40_000, intervalMs: 500 },
  );
  return { sent, stats, stored: await stored(name) };
}

// The three outages run at once (each service has its own door to the one Collector): the test
// waits on the clock, not on the CPU.
type Outcome = Awaited<ReturnType<typeof outage>>;
let outcomes: { steady: Outcome; cramped: Outcome; noRetry: Outcome };

test.before(async () => {
  await startOnce();
  const [steady, cramped, noRetry] = await Promise.all([
    outage("steady", {}),
    outage("cramped", { OTEL_BSP_MAX_QUEUE_SIZE: "8", OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "4" }),
    outage("no-retry", { GL_EXPORT_RETRY_MAX_MS: "0" }),
  ]);
  outcomes = { steady, cramped, noRetry };
});

test("a queue big enough for the outage: nothing is lost, everything arrives once the Collector is back", () => {
  const { sent, stats, stored: n } = outcomes.steady;
  assert.is(n, sent, "all 50 spans stored");
  assert.equal([stats.droppedQueueFull, stats.droppedExportFailed], [0, 0]);
});

test("a queue too small for it: what overflows is dropped and counted exactly, the rest arrives", () => {
  const { sent, stats, stored: n } = outcomes.cramped;
  assert.ok(stats.droppedQueueFull > 0, "the outage overflowed the 8-span queue");
  assert.is(stats.droppedExportFailed, 0, "no batch was given up: it waited for the Collector");
  assert.is(n + stats.droppedQueueFull, sent, "ledger: stored + dropped = sent");
});

test("retries off (GL_EXPORT_RETRY_MAX_MS=0): failed batches are dropped, counted under their error class", () => {
  const { sent, stats, stored: n } = outcomes.noRetry;
  assert.ok(stats.droppedExportFailed > 0, "batches sent during the outage were lost");
  assert.is(n + stats.droppedExportFailed + stats.droppedQueueFull, sent);
  assert.ok(
    Object.keys(stats.exportFailuresByError).every((k) => k === "ECONNREFUSED" || k === "ECONNRESET"),
    JSON.stringify(stats.exportFailuresByError),
  );
});

test("SIGTERM while the Collector is down: retrying stops, the service exits long before its deadline", async () => {
  const proxy = new CollectorDoor(await freePort(), Number(new URL((collector as Collector).httpEndpoint).port));
  doors.push(proxy);
  await proxy.up();
  const url = await service("leaving", proxy, { GL_SHUTDOWN_TIMEOUT_MS: "60000" });
  await proxy.down();
  await traffic(url, 5, 50);
  await sleep(1_500); // the first batch is now waiting for its next attempt
  const proc = running[running.length - 1] as RunningProcess;
  const exited = new Promise<number>((resolve) => proc.child.once("exit", () => resolve(Date.now())));
  const signalled = Date.now();
  proc.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.NaN), 30_000);
  });
  const ended = await Promise.race([exited, limit]);
  clearTimeout(timer);
  assert.ok(Number.isFinite(ended), "the service did not exit within 30 s of SIGTERM (its deadline is 60 s)");
  assert.ok(ended - signalled < 15_000, `exited ${ended - signalled} ms after SIGTERM`);
});

test.run();
