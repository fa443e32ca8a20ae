// initTracing(): starting twice is harmless, an SDK registered by someone else is respected,
// OTEL_SDK_DISABLED=true turns everything off, a bad setting in the preload leaves the service
// running untraced with an error naming the setting, and stats() reports export failures exactly.
// Cases that need a fresh process run in a child `node`, which strips the TypeScript itself.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { trace } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveConfig } from "../src/config.ts";
import { getTracingHandle, initTracing } from "../src/setup.ts";
import { untracedEnv } from "./env.ts";

const SRC = join(import.meta.dirname, "..", "src");
const setupUrl = pathToFileURL(join(SRC, "setup.ts")).href;

/** Runs an ES module snippet in a fresh Node process; `env` replaces OTEL_* / GL_* of ours. */
function runNode(args: string[], env: Record<string, string> = {}) {
  const clean = untracedEnv();
  const result = spawnSync(process.execPath, args, { env: { ...clean, ...env }, encoding: "utf8", timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

class FailingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.FAILED, error: new Error("connect ECONNREFUSED 127.0.0.1:4318") });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const failing = new FailingExporter();
const handle = initTracing(
  { serviceName: "setup-test", metricsExporter: "none", handleSignals: false, instrumentations: [] },
  { exporter: failing },
);

test("a second initTracing() returns the first handle and starts nothing new", () => {
  const again = initTracing({ serviceName: "other" });
  assert.is(again, handle);
  assert.is(getTracingHandle(), handle);
  assert.is(again.config?.serviceName, "setup-test");
});

test("export failures are counted exactly in stats(); nothing is thrown to the application", async () => {
  const tracer = trace.getTracer("t");
  for (let i = 0; i < 37; i++) tracer.startSpan(`s${i}`).end();
  await handle.forceFlush();
  const stats = handle.stats();
  assert.is(stats.enabled, true);
  assert.is(failing.exported, 37);
  assert.is(stats.droppedExportFailed, 37);
  assert.is(stats.dropped, 37);
  assert.is(stats.exported, 0);
  assert.equal(stats.exportFailuresByError, { Error: 37 });
});

test("OTEL_SDK_DISABLED=true: no provider registered, stats say disabled", () => {
  const script = `
    import { trace } from "@opentelemetry/api";
    import { initTracing } from ${JSON.stringify(setupUrl)};
    const handle = initTracing({ serviceName: "off" });
    const span = trace.getTracer("t").startSpan("x");
    console.log(JSON.stringify({ enabled: handle.stats().enabled, recording: span.isRecording() }));
  `;
  const off = runNode(["--input-type=module", "-e", script], { OTEL_SDK_DISABLED: "true" });
  assert.is(off.status, 0, off.stderr);
  assert.equal(JSON.parse(off.stdout), { enabled: false, recording: false });
  const on = runNode(["--input-type=module", "-e", script], {
    OTEL_SDK_DISABLED: "false",
    OTEL_METRICS_EXPORTER: "none",
  });
  assert.equal(JSON.parse(on.stdout), { enabled: true, recording: true });
});

test("OTEL_TRACES_EXPORTER=none: spans are recorded and propagated, nothing is exported or counted as lost", () => {
  const script = `
    import { trace } from "@opentelemetry/api";
    import { initTracing } from ${JSON.stringify(setupUrl)};
    const handle = initTracing({ serviceName: "quiet", metricsExporter: "none", handleSignals: false });
    const span = trace.getTracer("t").startSpan("x");
    span.end();
    await handle.forceFlush();
    const { enabled, exported, dropped } = handle.stats();
    console.log(JSON.stringify({ recording: span.spanContext().traceFlags === 1, enabled, exported, dropped }));
  `;
  const result = runNode(["--input-type=module", "-e", script], { OTEL_TRACES_EXPORTER: "none" });
  assert.is(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout), { recording: true, enabled: true, exported: 0, dropped: 0 });
});

test("another SDK already registered: ours steps aside instead of registering twice", () => {
  const script = `
    import { trace } from "@opentelemetry/api";
    import { TracerProvider } from "@opentelemetry/sdk-trace";
    import { initTracing } from ${JSON.stringify(setupUrl)};
    const theirs = new TracerProvider();
    trace.setGlobalTracerProvider(theirs);
    const handle = initTracing({ serviceName: "second", metricsExporter: "none" });
    console.log(JSON.stringify({ enabled: handle.stats().enabled, kept: trace.getTracerProvider().getDelegate() === theirs }));
  `;
  const result = runNode(["--input-type=module", "-e", script]);
  assert.is(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout), { enabled: false, kept: true });
  assert.match(result.stderr, /another OpenTelemetry SDK is already registered/);
});

test("preload with a bad setting: the warning names it once, tracing stays on, the application runs", () => {
  const script = `
    import { getTracingHandle } from ${JSON.stringify(setupUrl)};
    console.log(JSON.stringify({ enabled: getTracingHandle()?.stats().enabled }));
    await getTracingHandle()?.shutdown();
  `;
  const result = runNode(["--import", join(SRC, "register.ts"), "--input-type=module", "-e", script], {
    OTEL_BSP_MAX_QUEUE_SIZE: "lots",
    OTEL_PROPAGATORS: "tracecontext,baggage,ottrace",
    OTEL_METRICS_EXPORTER: "none",
  });
  assert.is(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout.trim()), { enabled: true });
  const warnings = result.stderr.split("\n").filter((line) => line.includes("@greenlang/tracing:"));
  assert.is(warnings.length, 2, result.stderr);
  assert.match(
    result.stderr,
    /OTEL_BSP_MAX_QUEUE_SIZE="lots" is invalid: expected an integer from 1 .*; ignored, using 8192/,
  );
  assert.match(result.stderr, /OTEL_PROPAGATORS="tracecontext,baggage,ottrace": ottrace is not supported/);
  assert.not.match(result.stderr, /tracing is off/);
});

test("B3 propagation by name, as service meshes send it: single header and X-B3-* both ways", () => {
  const script = (propagators: string) => `
    import { context, propagation, trace } from "@opentelemetry/api";
    import { initTracing } from ${JSON.stringify(setupUrl)};
    initTracing({ serviceName: "mesh", metricsExporter: "none", tracesExporter: "none", handleSignals: false });
    const out = {};
    trace.getTracer("t").startActiveSpan("op", (span) => {
      propagation.inject(context.active(), out);
      out.traceId = span.spanContext().traceId;
      span.end();
    });
    const incoming = ${JSON.stringify(propagators)} === "b3"
      ? { b3: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1" }
      : { "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7", "x-b3-spanid": "e457b5a2e4d86bd1", "x-b3-sampled": "1" };
    out.extracted = trace.getSpanContext(propagation.extract(context.active(), incoming))?.traceId;
    console.log(JSON.stringify(out));
  `;
  const single = runNode(["--input-type=module", "-e", script("b3")], { OTEL_PROPAGATORS: "tracecontext,b3" });
  assert.is(single.status, 0, single.stderr);
  const a = JSON.parse(single.stdout) as Record<string, string>;
  assert.match(a.b3 ?? "", new RegExp(`^${a.traceId}-[0-9a-f]{16}-1$`));
  assert.match(a.traceparent ?? "", new RegExp(`^00-${a.traceId}-`));
  assert.is(a.extracted, "80f198ee56343ba864fe8b2a57d3eff7");
  const multi = runNode(["--input-type=module", "-e", script("b3multi")], { OTEL_PROPAGATORS: "b3multi" });
  assert.is(multi.status, 0, multi.stderr);
  const b = JSON.parse(multi.stdout) as Record<string, string>;
  assert.is(b["x-b3-traceid"], b.traceId);
  assert.is(b.traceparent, undefined, "only the propagators named");
  assert.is(b.extracted, "80f198ee56343ba864fe8b2a57d3eff7");
});

test("Jaeger (uber-trace-id) and X-Ray (X-Amzn-Trace-Id) propagation by name, both ways", () => {
  const script = (incoming: Record<string, string>) => `
    import { context, propagation, trace } from "@opentelemetry/api";
    import { initTracing } from ${JSON.stringify(setupUrl)};
    initTracing({ serviceName: "legacy", metricsExporter: "none", tracesExporter: "none", handleSignals: false });
    const out = {};
    trace.getTracer("t").startActiveSpan("op", (span) => {
      propagation.inject(context.active(), out);
      out.traceId = span.spanContext().traceId;
      out.spanId = span.spanContext().spanId;
      span.end();
    });
    const extracted = propagation.extract(context.active(), ${JSON.stringify(incoming)});
    out.extracted = trace.getSpanContext(extracted)?.traceId;
    out.sampled = trace.getSpanContext(extracted)?.traceFlags;
    out.baggage = propagation.getBaggage(extracted)?.getEntry("tenant")?.value;
    console.log(JSON.stringify(out));
  `;
  const jaeger = runNode(
    [
      "--input-type=module",
      "-e",
      script({ "uber-trace-id": "80f198ee56343ba8:e457b5a2e4d86bd1:0:1", "uberctx-tenant": "acme" }),
    ],
    { OTEL_PROPAGATORS: "jaeger" },
  );
  assert.is(jaeger.status, 0, jaeger.stderr);
  const j = JSON.parse(jaeger.stdout) as Record<string, string | number>;
  assert.is(j["uber-trace-id"], `${j.traceId}:${j.spanId}:0:01`);
  assert.is(j.extracted, "000000000000000080f198ee56343ba8", "a 64-bit Jaeger id, left-padded");
  assert.is(j.sampled, 1);
  assert.is(j.baggage, "acme");
  const xray = runNode(
    [
      "--input-type=module",
      "-e",
      script({ "x-amzn-trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1" }),
    ],
    { OTEL_PROPAGATORS: "tracecontext,xray" },
  );
  assert.is(xray.status, 0, xray.stderr);
  const x = JSON.parse(xray.stdout) as Record<string, string | number>;
  const id = String(x.traceId);
  assert.is(x["x-amzn-trace-id"], `Root=1-${id.slice(0, 8)}-${id.slice(8)};Parent=${x.spanId};Sampled=1`);
  assert.match(String(x.traceparent), new RegExp(`^00-${id}-`));
  assert.is(x.extracted, "5759e988bd862e3fe1be46a994272793");
});

test("service.instance.id: the pod's uid when the downward API gives it, else one id per process", () => {
  assert.is(resolveConfig({}, { K8S_POD_UID: "0b9c-uid" }).serviceInstanceId, "0b9c-uid");
  assert.is(
    resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: "service.instance.id=given", K8S_POD_UID: "x" }).serviceInstanceId,
    "given",
  );
  const a = resolveConfig({}, {}).serviceInstanceId;
  assert.match(a, /^[0-9a-f-]{36}$/);
  assert.is.not(a, resolveConfig({}, {}).serviceInstanceId);
});

test.after(() => handle.shutdown());
test.run();
