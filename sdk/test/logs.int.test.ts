// The logs signal end to end: a service logging with pino, winston and bunyan, preloaded with
// OTEL_LOGS_EXPORTER=otlp, sends its records to a real Collector as OTLP log records: each
// written in a request carries that request's trace and span ids, every one carries the service's
// resource and its logger's level as severity, and a password field and a card number come out
// redacted as span attributes do. With the default (none) nothing is sent.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { freePort } from "../../scripts/ports.ts";
import { startProcess, untracedEnv, waitFor } from "../../scripts/process.ts";
import { terminate } from "../../test/support/platform.ts";
import { ensureBuilt } from "../scripts/build.ts";
import { type Collector, startCollector } from "./otelcol.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
let collector: Collector | undefined;

test.before(async () => {
  ensureBuilt();
  collector = await startCollector();
});
test.after(async () => {
  await collector?.stop();
});

async function runService(logsExporter: string | undefined) {
  const port = await freePort();
  const proc = startProcess(
    process.execPath,
    ["--import", "@greenlang/tracing/register", join(FIXTURES, "logging.mjs")],
    {
      cwd: FIXTURES,
      env: {
        ...untracedEnv(),
        PORT: String(port),
        OTEL_SERVICE_NAME: "orders",
        OTEL_EXPORTER_OTLP_ENDPOINT: (collector as Collector).httpEndpoint,
        OTEL_METRICS_EXPORTER: "none",
        OTEL_LOG_LEVEL: "error",
        ...(logsExporter ? { OTEL_LOGS_EXPORTER: logsExporter } : {}),
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor("logging service", async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
    process: proc,
  });
  assert.is(await (await fetch(`${url}/order/42`)).text(), "logged");
  // SIGTERM: the SDK flushes spans and log records before the process ends.
  await terminate(proc);
}

test("OTEL_LOGS_EXPORTER=otlp: every logger's records reach the Collector, correlated and redacted", async () => {
  await runService("otlp");
  const c = collector as Collector;
  const logs = await waitFor(
    "six log records",
    async () => {
      const received = (await c.logs()).filter((l) => l.resource["service.name"] === "orders");
      return received.length >= 6 ? received : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  const serverSpan = (await c.spans()).find((s) => s.resource["service.name"] === "orders" && s.kind === 2);
  assert.ok(serverSpan, "the request's server span was exported");
  for (const logger of ["pino", "winston", "bunyan"]) {
    const started = logs.find((l) => l.attrs.logger === logger && l.body?.stringValue === "started");
    assert.ok(started, `${logger}: the start-up record`);
    assert.ok(!started?.traceId, `${logger}: no trace outside a request`);
    const order = logs.find((l) => l.attrs.logger === logger && l.body?.stringValue?.startsWith("order"));
    assert.ok(order, `${logger}: the request's record in ${JSON.stringify(logs.map((l) => l.body))}`);
    assert.is(order?.traceId, serverSpan?.traceId, `${logger}: the request's trace`);
    assert.is(order?.severityNumber, 9, `${logger}: info is severity INFO (9)`);
    assert.not.ok(
      "trace_id" in (order?.attrs ?? {}),
      `${logger}: the trace travels in the record, not as an attribute`,
    );
    assert.is(order?.attrs.password, "[REDACTED]", `${logger}: a denied key`);
    assert.not.match(String(order?.body?.stringValue), /4111 1111 1111 1111/, `${logger}: the card number`);
    assert.is(order?.resource["telemetry.distro.name"], "@greenlang/tracing", `${logger}: the service's resource`);
  }
});

test("default (none): nothing is sent", async () => {
  const before = (await (collector as Collector).logs()).length;
  await runService(undefined);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.is((await (collector as Collector).logs()).length, before);
});

test.run();
