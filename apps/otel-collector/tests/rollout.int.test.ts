// Changes of the Collector's pod set under steady traffic, through staging's committed configs,
// with the front's load_balancing exporter resolving the gateways by DNS as rendered (the headless
// Service's name, every 5 s). Each front runs with a hosts file of its own (a private mount
// namespace) that plays the headless Service: one address per ready gateway pod, 127.0.0.2 and
// 127.0.0.3, each gateway listening on the same port. A gateway leaves as Kubernetes takes it
// away: its address leaves the Service, its preStop sleep runs (the rendered drain time, see
// otelcol.gatewayDrainSeconds), then it gets SIGTERM.
//   - one gateway removed from the backends (a scale-down): traces re-route to the other; the
//     traces in flight are split between the two gateways' decisions, and none is lost;
//   - a rolling restart of both tiers while two services with the SDK keep sending (the front
//     Deployment surge-first behind a Service, then the gateway StatefulSet one pod at a time):
//     every span is stored, or counted lost by the SDK by reason or by a Collector.
// The gateways wait DECISION_WAIT for a trace's spans instead of the rendered 10 s, and drain for
// the rendered time less that difference (what else the loopback copy changes is what
// loopback.ts says). Every span carries an error status, which staging's keep-errors policy
// always keeps, so a span not stored is a span lost.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { freePort } from "../../../scripts/ports.ts";
import { type RunningProcess, waitFor } from "../../../scripts/process.ts";
import { TcpBalancer } from "../../../scripts/tcp-balancer.ts";
import { ensureBuilt } from "../../../sdk/scripts/build.ts";
import { startFrontend } from "../../../sdk/test/fixture-service.ts";
import { type Jaeger, spansOf, startJaeger } from "../../../test/support/jaeger.ts";
import { committedTwoTierConfigs } from "../../../test/support/platform.ts";
import { type RunningCollector, startCollector, stopAll } from "./collector-process.ts";
import { forLoopback, loopbackPorts, metric } from "./loopback.ts";
import { newTraceId, sendSpans } from "./otlp-client.ts";
import { type CollectorConfig, ROOT } from "./render.ts";

const test = suite("Collector pod-set changes under steady traffic (staging configs)");
const DECISION_WAIT_S = 2;
const GATEWAY_ADDRESSES = ["127.0.0.2", "127.0.0.3"] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir = "";
const stores: Jaeger[] = [];
let balancer: TcpBalancer | undefined;
const services: RunningProcess[] = [];

test.before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "otelcol-rollout-"));
});

test.after(async () => {
  await Promise.all(services.map((s) => s.stop(1_000)));
  await stopAll();
  await balancer?.stop();
  await Promise.all(stores.map((s) => s.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function newStore(): Promise<Jaeger> {
  const s = await startJaeger();
  stores.push(s);
  return s;
}

/** The rendered gateway's drain (preStop sleep), less the decision wait the test shortens. */
async function testDrainMs(renderedDecisionWait: string): Promise<number> {
  const file = join(ROOT, "clusters/staging/otel-collector/statefulset-otel-collector-gateway.yaml");
  const sts = parse(await readFile(file, "utf8"));
  const seconds = sts.spec.template.spec.containers[0]?.lifecycle?.preStop?.sleep?.seconds;
  if (typeof seconds !== "number") throw new Error(`${file}: the gateway has no preStop sleep`);
  const rendered = /^(\d+)s$/.exec(renderedDecisionWait)?.[1];
  if (!rendered) throw new Error(`staging's decision_wait is ${renderedDecisionWait}, expected whole seconds`);
  return (seconds - Number(rendered) + DECISION_WAIT_S) * 1000;
}

/** The headless Service as the fronts' resolvers see it: the ready gateways' addresses. */
class HeadlessService {
  readonly file: string;
  readonly hostname: string;
  #ready: string[] = [];
  constructor(file: string, hostname: string) {
    this.file = file;
    this.hostname = hostname;
  }
  async publish(addresses: readonly string[]): Promise<void> {
    this.#ready = [...addresses];
    // writeFile truncates and rewrites the same inode: the bind mounts show the new content.
    await writeFile(
      this.file,
      ["127.0.0.1 localhost", ...this.#ready.map((a) => `${a} ${this.hostname}`), ""].join("\n"),
    );
  }
  add(address: string): Promise<void> {
    return this.publish([...this.#ready.filter((a) => a !== address), address]);
  }
  remove(address: string): Promise<void> {
    return this.publish(this.#ready.filter((a) => a !== address));
  }
}

interface Gateway {
  name: string;
  address: string;
  metricsPort: number;
  config: CollectorConfig;
  proc: RunningCollector;
}

interface Front {
  proc: RunningCollector;
  http: number;
  metrics: number;
}

/** Staging's two tiers on loopback: gateways on 127.0.0.2/.3, fronts started on demand. */
class Platform {
  readonly service: HeadlessService;
  readonly gateways: Gateway[] = [];
  readonly drainMs: number;
  readonly #front: CollectorConfig;
  readonly #gatewayPort: number;
  private constructor(service: HeadlessService, front: CollectorConfig, gatewayPort: number, drainMs: number) {
    this.service = service;
    this.#front = front;
    this.#gatewayPort = gatewayPort;
    this.drainMs = drainMs;
  }

  /** Gateway i exports to `stores[i]` (or all to `stores[0]`). */
  static async start(name: string, stores: Jaeger[]): Promise<Platform> {
    const { front, gateway } = await committedTwoTierConfigs("staging");
    const hostname = front.exporters.load_balancing.resolver?.dns?.hostname;
    if (!hostname) throw new Error("staging's front does not resolve its gateways by DNS");
    const platform = new Platform(
      new HeadlessService(join(dir, `${name}-hosts`), hostname),
      front,
      await freePort(),
      await testDrainMs(gateway.processors.tail_sampling.decision_wait),
    );
    for (const [i, address] of GATEWAY_ADDRESSES.entries()) {
      const ports = await loopbackPorts();
      const config = forLoopback(gateway, ports, {
        tempo: ((stores[i] ?? stores[0]) as Jaeger).otlpGrpcEndpoint,
        queueDir: join(dir, `${name}-queue-${i}`),
      });
      // The pod's own address, on the port every gateway pod listens on.
      config.receivers.otlp.protocols.grpc.endpoint = `${address}:${platform.#gatewayPort}`;
      config.processors.tail_sampling.decision_wait = `${DECISION_WAIT_S}s`;
      const gatewayName = `${name}-gateway-${i}`;
      platform.gateways.push({
        name: gatewayName,
        address,
        metricsPort: ports.metrics,
        config,
        proc: await startCollector(gatewayName, config, dir),
      });
    }
    await platform.service.publish(GATEWAY_ADDRESSES);
    return platform;
  }

  /** A front pod, ready once its resolver has every published gateway in its ring. */
  async startFront(name: string): Promise<Front> {
    const ports = await loopbackPorts();
    const config = forLoopback(this.#front, ports, {});
    config.exporters.load_balancing.resolver.dns.port = String(this.#gatewayPort);
    const proc = await startCollector(name, config, dir, 20_000, { hostsFile: this.service.file });
    await waitFor(
      `${name} resolves the gateways`,
      async () => ((await metric(ports.metrics, "otelcol_loadbalancer_num_backends")) >= 1 ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    return { proc, http: ports.http, metrics: ports.metrics };
  }

  /** Kubernetes taking a gateway pod away: out of the Service, preStop sleep, SIGTERM. */
  async drain(gateway: Gateway): Promise<{ leftServiceAt: number }> {
    await this.service.remove(gateway.address);
    const leftServiceAt = Date.now();
    await sleep(this.drainMs);
    await gateway.proc.stop();
    return { leftServiceAt };
  }

  /** The StatefulSet's replacement: same address and queue volume, back in the Service once ready. */
  async restart(gateway: Gateway): Promise<void> {
    gateway.proc = await startCollector(gateway.name, gateway.config, dir);
    await this.service.add(gateway.address);
  }
}

/** Span ids of a trace in a store. */
async function storedSpanIds(store: Jaeger, traceId: string): Promise<string[]> {
  return spansOf((await store.getTrace(traceId)) ?? []).map((span) => span.spanId);
}

/** Polls `count` until it returns the same value twice, DELAY apart (bounded). */
async function settled(what: string, count: () => Promise<number>, timeoutMs = 60_000): Promise<number> {
  let last = -1;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const now = await count();
    if (now === last) return now;
    last = now;
    await sleep(3_000);
  }
  throw new Error(`${what}: still changing after ${timeoutMs} ms`);
}

test("one gateway removed from the backends: traces re-route; the traces in flight are split between two decisions, none lost", async () => {
  const [storeA, storeB] = [await newStore(), await newStore()] as [Jaeger, Jaeger];
  const platform = await Platform.start("remove", [storeA, storeB]);
  const front = await platform.startFront("remove-front");
  const frontUrl = `http://127.0.0.1:${front.http}`;

  // A trace is three spans 600 ms apart (a request with two downstream calls); a new trace starts
  // every 100 ms, until 5 s after the front has re-routed (at most 60 s). Every 100 ms one request
  // carries what a service's SDK would batch: the first span of the newest trace, the second of
  // the one begun 600 ms before, the third of the one begun 1.2 s before — three traces per
  // request, so a request splits across gateways.
  const REMOVE_AT_MS = 5_000;
  const traces: { id: string; first: number; spanIds: string[] }[] = [];
  const started = Date.now();
  let stopAt = started + 60_000;
  const sender = (async () => {
    let lastNew = Number.POSITIVE_INFINITY;
    for (let tick = 0; tick < lastNew + 13; tick++) {
      if (Date.now() < stopAt) traces.push({ id: newTraceId(), first: Date.now(), spanIds: [] });
      else lastNew = Math.min(lastNew, tick - 1);
      const spans = [0, 6, 12].flatMap((back, step) => {
        const trace = tick - back <= lastNew ? traces[tick - back] : undefined;
        if (!trace) return [];
        const spanId = randomBytes(8).toString("hex");
        trace.spanIds.push(spanId);
        return [{ service: "remove", name: `step ${step}`, error: true, traceId: trace.id, spanId }];
      });
      if (spans.length > 0) await sendSpans(frontUrl, spans);
      await sleep(Math.max(0, started + (tick + 1) * 100 - Date.now()));
    }
  })();

  await sleep(REMOVE_AT_MS);
  const removed = platform.gateways[1] as Gateway;
  const draining = platform.drain(removed);
  const reroutedAt = await waitFor(
    "the front drops the removed gateway from its ring",
    async () => ((await metric(front.metrics, "otelcol_loadbalancer_num_backends")) === 1 ? Date.now() : undefined),
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  stopAt = reroutedAt + 5_000;
  const { leftServiceAt } = await draining;
  await sender;

  const sent = traces.reduce((n, t) => n + t.spanIds.length, 0);
  const ledger = async () => {
    const rows = await Promise.all(
      traces.map(async (t) => {
        const inA = await storedSpanIds(storeA, t.id);
        const inB = await storedSpanIds(storeB, t.id);
        return { trace: t, inA, inB, stored: t.spanIds.filter((id) => inA.includes(id) || inB.includes(id)).length };
      }),
    );
    return rows;
  };
  await settled("spans stored", async () => (await ledger()).reduce((n, r) => n + r.stored, 0));
  const rows = await ledger();
  const stored = rows.reduce((n, r) => n + r.stored, 0);
  const duplicates = rows.reduce((n, r) => n + r.inA.length + r.inB.length - r.stored, 0);
  const split = rows.filter((r) => r.inA.length > 0 && r.inB.length > 0);
  const onlyB = rows.filter((r) => r.inA.length === 0 && r.inB.length > 0);
  const inFlight = traces.filter((t) => t.first + 1_300 >= leftServiceAt && t.first <= reroutedAt);
  const counted =
    (await metric(front.metrics, "otelcol_exporter_send_failed_spans")) +
    (await metric(front.metrics, "otelcol_exporter_enqueue_failed_spans")) +
    (await metric(platform.gateways[0]?.metricsPort as number, "otelcol_exporter_send_failed_spans"));
  console.log(
    `gateway removed: ${traces.length} traces (${sent} spans) sent; the front re-routed ${reroutedAt - leftServiceAt} ms after the pod left the Service; ` +
      `${inFlight.length} traces in flight then: ${split.length} split between the two gateways' decisions, the rest whole behind one; ` +
      `${onlyB.length} traces whole behind the removed gateway; ${sent - stored} spans lost, ${counted} counted by the Collectors, ${duplicates} stored twice`,
  );
  // The ledger: everything stored once, nothing to count.
  assert.is(stored, sent, "every span sent is stored");
  assert.is(duplicates, 0, "no span stored twice");
  assert.is(counted, 0, "no loss counted");
  // Splits happen only to traces in flight while the ring changed, and the change re-routed them.
  assert.equal(
    split.filter((r) => !inFlight.includes(r.trace)).map((r) => r.trace.id),
    [],
    "every split trace was in flight",
  );
  assert.ok(split.length > 0, "traces in flight on the removed gateway were split (the ring did change under them)");
  assert.ok(traces.filter((t) => t.first > reroutedAt + 1_000).length > 20, "traffic kept flowing after the re-route");
  for (const r of rows.filter((r) => r.trace.first > reroutedAt + 1_000))
    assert.is(r.inB.length, 0, "nothing reaches the removed gateway once the ring has changed");
});

interface SdkStats {
  exported: number;
  droppedQueueFull: number;
  droppedExportFailed: number;
  exportFailuresByError: Record<string, number>;
}

test("a rolling restart of both tiers while services keep sending: every span stored or counted by reason", async () => {
  await stopAll();
  const store = await newStore();
  const platform = await Platform.start("roll", [store]);
  const fronts: Front[] = [await platform.startFront("roll-front-0"), await platform.startFront("roll-front-1")];
  balancer = new TcpBalancer();
  await balancer.start();
  for (const f of fronts) balancer.add(f.http);

  // Two services with the SDK, sending to the front's Service; each request is one error span
  // whose trace id the test sets (traceparent), so each is found in the store by id.
  const servicesUp = await Promise.all(
    ["checkout", "orders"].map((name) =>
      startFrontend(name, {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(balancer as TcpBalancer).port}`,
        OTEL_METRICS_EXPORTER: "none",
        GL_EXPORT_RETRY_MAX_MS: "30000",
      }),
    ),
  );
  services.push(...servicesUp.map((s) => s.proc));
  const requests: { service: number; traceId: string }[] = [];
  let sending = true;
  const traffic = (async () => {
    for (let n = 0; sending; n++) {
      await Promise.all(
        servicesUp.map(async (s, i) => {
          const traceId = newTraceId();
          const response = await fetch(`${s.url}/fail/${n}`, {
            headers: { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` },
          });
          await response.arrayBuffer();
          requests.push({ service: i, traceId });
        }),
      );
      await sleep(50);
    }
  })();

  await sleep(2_000);
  // The front Deployment (maxSurge 1, maxUnavailable 0): a new pod ready, then an old one out of
  // the Service and stopped; twice.
  for (const [i, old] of [...fronts].entries()) {
    const fresh = await platform.startFront(`roll-front-${i + 2}`);
    balancer.add(fresh.http);
    balancer.remove(old.http);
    await old.proc.stop();
    fronts.push(fresh);
    await sleep(1_000);
  }
  const live = fronts.slice(2);
  // The gateway StatefulSet, highest ordinal first, each replaced before the next goes.
  for (const gateway of [...platform.gateways].reverse()) {
    await platform.drain(gateway);
    await platform.restart(gateway);
    await waitFor(
      `every front routes to ${gateway.name} again`,
      async () => {
        const counts = await Promise.all(live.map((f) => metric(f.metrics, "otelcol_loadbalancer_num_backends")));
        return counts.every((c) => c === 2) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }
  await sleep(2_000);
  sending = false;
  await traffic;

  // The SDK's own ledger, once every span is exported or given up on.
  const stats = await Promise.all(
    servicesUp.map((s, i) =>
      waitFor(
        `service ${i}: every span exported or counted`,
        async () => {
          const st = (await (await fetch(`${s.url}/stats`)).json()) as SdkStats;
          const mine = requests.filter((r) => r.service === i).length;
          return st.exported + st.droppedQueueFull + st.droppedExportFailed === mine ? st : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      ),
    ),
  );
  const storedIds = async () => {
    const found = await Promise.all(requests.map(async (r) => (await storedSpanIds(store, r.traceId)).length));
    return found.filter((n) => n > 0).length;
  };
  const stored = await settled("traces stored", storedIds);
  const sdkExported = stats.reduce((n, s) => n + s.exported, 0);
  const sdkDropped = stats.reduce((n, s) => n + s.droppedQueueFull + s.droppedExportFailed, 0);
  const byReason: Record<string, number> = {};
  for (const s of stats)
    for (const [reason, n] of Object.entries(s.exportFailuresByError)) byReason[reason] = (byReason[reason] ?? 0) + n;
  const frontRefused = (await Promise.all(live.map((f) => metric(f.metrics, "otelcol_receiver_refused_spans")))).reduce(
    (a, b) => a + b,
    0,
  );
  const collectorCounted =
    frontRefused +
    (await Promise.all(live.map((f) => metric(f.metrics, "otelcol_exporter_send_failed_spans")))).reduce(
      (a, b) => a + b,
      0,
    );
  console.log(
    `rolling restart: ${requests.length} spans made by 2 services through 2 front and 2 gateway restarts; ${stored} stored; ` +
      `SDK: ${sdkExported} exported, ${sdkDropped} dropped by reason ${JSON.stringify(byReason)}; ` +
      `${collectorCounted} counted by the running Collectors; ${sdkExported - stored} exported but not stored`,
  );
  assert.ok(requests.length > 200, "services kept sending through the whole rollout");
  // The ledger: every span made is stored or counted by the SDK under its reason.
  assert.is(stored + sdkDropped, requests.length, "spans made = stored + counted by the SDK");
  assert.is(sdkExported, stored, "every span the SDK exported is stored: nothing lost between the tiers");
});

test.run();
