// Context helpers: ids of the active span, inject/extract through message headers of every shape
// (string, Buffer, array), baggage helpers, running code in a given context, and span links for
// fan-in consumers; plus the log-correlation fields that use them.
import { Writable } from "node:stream";
import { context, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import pino from "pino";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  currentSpanId,
  currentTraceId,
  currentTraceparent,
  extractContext,
  getBaggageValue,
  injectContext,
  linksFromCarriers,
  runInContext,
  runWithBaggage,
} from "../src/context.ts";
import { logFields, pinoMixin } from "../src/log-correlation.ts";
import { startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing();
const tracer = trace.getTracer("context-test");

test("outside a span there are no ids; inside, they match the active span", () => {
  assert.is(currentTraceId(), undefined);
  assert.is(currentTraceparent(), undefined);
  tracer.startActiveSpan("op", (span) => {
    assert.is(currentTraceId(), span.spanContext().traceId);
    assert.is(currentSpanId(), span.spanContext().spanId);
    assert.is(currentTraceparent(), `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    span.end();
  });
});

test("inject then extract carries trace and baggage across a queue, with Buffer headers too", async () => {
  const headers: Record<string, unknown> = {};
  let producer = { traceId: "", spanId: "" };
  runWithBaggage({ "tenant.id": "acme" }, () =>
    tracer.startActiveSpan("send", { kind: SpanKind.PRODUCER }, (span) => {
      producer = span.spanContext();
      injectContext(headers);
      span.end();
    }),
  );
  assert.match(String(headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  assert.is(headers.baggage, "tenant.id=acme");
  // Kafka delivers header values as Buffers.
  const kafkaHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]));
  const received = extractContext(kafkaHeaders);
  assert.is(getBaggageValue("tenant.id", received), "acme");
  runInContext(received, () => {
    tracer.startActiveSpan("process", { kind: SpanKind.CONSUMER }, (span) => {
      assert.is(span.spanContext().traceId, producer.traceId);
      span.end();
    });
  });
  const spans = await tracing.takeSpans();
  const consumer = spans.find((s) => s.name === "process");
  assert.is(consumer?.parentSpanContext?.spanId, producer.spanId);
  assert.is(consumer?.attributes["tenant.id"], "acme");
});

test("extract of headers without a trace gives a context with no span", () => {
  assert.is(trace.getSpanContext(extractContext({ "content-type": "json" })), undefined);
  assert.is(trace.getSpanContext(extractContext({ traceparent: ["garbage"] })), undefined);
});

test("fan-in: one consumer span links to every producer", async () => {
  const carriers = [0, 1, 2].map((i) => {
    const carrier: Record<string, unknown> = {};
    const span = tracer.startSpan(`produce-${i}`, {}, ROOT_CONTEXT);
    injectContext(carrier, trace.setSpan(ROOT_CONTEXT, span));
    span.end();
    return carrier;
  });
  const links = linksFromCarriers([...carriers, { unrelated: "header" }]);
  assert.is(links.length, 3);
  tracer.startSpan("batch", { links }, ROOT_CONTEXT).end();
  const spans = await tracing.takeSpans();
  const batch = spans.find((s) => s.name === "batch");
  const producers = spans.filter((s) => s.name.startsWith("produce-")).map((s) => s.spanContext().spanId);
  assert.equal(batch?.links.map((l) => l.context.spanId).sort(), producers.sort());
});

test("log correlation: pino mixin adds trace_id, span_id, trace_flags inside a span only", () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ mixin: pinoMixin }, sink);
  logger.info("outside");
  let ids = { traceId: "", spanId: "" };
  tracer.startActiveSpan("logged", (span) => {
    ids = span.spanContext();
    logger.info("inside");
    assert.equal(logFields(), { trace_id: ids.traceId, span_id: ids.spanId, trace_flags: "01" });
    span.end();
  });
  assert.is(lines[0]?.trace_id, undefined);
  assert.is(lines[1]?.trace_id, ids.traceId);
  assert.is(lines[1]?.span_id, ids.spanId);
  assert.is(lines[1]?.trace_flags, "01");
  assert.equal(context.active(), ROOT_CONTEXT);
});

test.after(() => tracing.handle.shutdown());
test.run();
