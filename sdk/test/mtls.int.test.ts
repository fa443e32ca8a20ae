// mTLS for every signal: a real Collector whose OTLP/HTTP receiver requires client certificates
// from its CA (as prod's front tier can), and the preload configured only by the standard
// variables (OTEL_EXPORTER_OTLP_CERTIFICATE, _CLIENT_CERTIFICATE, _CLIENT_KEY). A service that
// presents a certificate gets its spans, its span metrics and its log records in; one without is
// refused, counts every loss, and keeps serving. Certificates are made here by openssl and thrown
// away.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { freePort } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, untracedEnv, waitFor } from "../../scripts/process.ts";
import { CLIENT_EXTENSIONS, newCa, newCert, SERVER_EXTENSIONS } from "../../scripts/tls.ts";
import { terminate } from "../../test/support/platform.ts";
import { ensureBuilt } from "../scripts/build.ts";
import { startFrontend } from "./fixture-service.ts";
import { type Collector, startCollector } from "./otelcol.ts";

const test = suite("mTLS: traces, metrics and logs with a client certificate");

let dir = "";
let collector: Collector | undefined;
const running: RunningProcess[] = [];

interface Stats {
  exported: number;
  droppedExportFailed: number;
  metricsExportFailures: number;
  exportFailuresByError?: Record<string, number>;
}

test.before(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "gl-mtls-"));
  await newCa(dir, "ca");
  await newCert(dir, "server", "ca", SERVER_EXTENSIONS);
  await newCert(dir, "client", "ca", CLIENT_EXTENSIONS);
  const [ca, cert, key] = await Promise.all(["ca.crt", "client.crt", "client.key"].map((f) => readFile(join(dir, f))));
  collector = await startCollector({
    tls: {
      certFile: join(dir, "server.crt"),
      keyFile: join(dir, "server.key"),
      clientCaFile: join(dir, "ca.crt"),
      probe: { ca: ca as Buffer, cert, key },
    },
  });
});

test.after(async () => {
  for (const proc of running) await proc.stop(1_000);
  await collector?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startService(name: string, extra: Record<string, string>): Promise<string> {
  const { url, proc } = await startFrontend(name, {
    OTEL_EXPORTER_OTLP_ENDPOINT: (collector as Collector).httpEndpoint,
    OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, "ca.crt"),
    OTEL_EXPORTER_OTLP_TIMEOUT: "2000",
    OTEL_METRIC_EXPORT_INTERVAL: "300",
    ...extra,
  });
  running.push(proc);
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/work/${i}`)).arrayBuffer();
  return url;
}

const stats = async (url: string) => (await (await fetch(`${url}/stats`)).json()) as Stats;

test("with a client certificate: spans and span metrics are accepted", async () => {
  const url = await startService("payments", {
    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, "client.crt"),
    OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, "client.key"),
  });
  const otel = collector as Collector;
  await waitFor(
    "the service's spans and metrics in the Collector",
    async () => {
      const spans = (await otel.spans()).filter((s) => s.resource["service.name"] === "payments");
      const metrics = JSON.stringify(await otel.metricRequests());
      return spans.length >= 5 && metrics.includes('"payments"') ? true : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  const s = await stats(url);
  assert.ok(s.exported >= 5, `exported ${s.exported}`);
  assert.is(s.droppedExportFailed, 0);
  assert.is(s.metricsExportFailures, 0);
});

test("without one: refused at the handshake, every loss counted, the service keeps serving", async () => {
  const url = await startService("intruder", {});
  const refused = await waitFor(
    "span and metric exports refused and counted",
    async () => {
      const s = await stats(url);
      return s.droppedExportFailed >= 5 && s.metricsExportFailures > 0 ? s : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  assert.is(refused.exported, 0);
  assert.is((await fetch(`${url}/work/after`)).status, 200, "still serving");
  const spans = (await (collector as Collector).spans()).filter((s) => s.resource["service.name"] === "intruder");
  assert.equal(spans, [], "nothing got in");
  assert.not.match(JSON.stringify(await (collector as Collector).metricRequests()), /"intruder"/);
});

test("with a client certificate: log records are accepted too", async () => {
  const port = await freePort();
  const fixtures = join(import.meta.dirname, "fixtures");
  const proc = startProcess(
    process.execPath,
    ["--import", "@greenlang/tracing/register", join(fixtures, "logging.mjs")],
    {
      cwd: fixtures,
      env: {
        ...untracedEnv(),
        PORT: String(port),
        OTEL_SERVICE_NAME: "ledger-logs",
        OTEL_EXPORTER_OTLP_ENDPOINT: (collector as Collector).httpEndpoint,
        OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, "ca.crt"),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, "client.crt"),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, "client.key"),
        OTEL_METRICS_EXPORTER: "none",
        OTEL_LOGS_EXPORTER: "otlp",
        OTEL_LOG_LEVEL: "error",
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor("logging service", async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
    process: proc,
  });
  await (await fetch(`${url}/order/7`)).arrayBuffer();
  await terminate(proc);
  const logs = await waitFor(
    "log records over mTLS",
    async () => {
      const received = (await (collector as Collector).logs()).filter(
        (l) => l.resource["service.name"] === "ledger-logs",
      );
      return received.length >= 4 ? received : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  assert.ok(logs.some((l) => l.body?.stringValue?.startsWith("order /order/7")));
});

test.run();
