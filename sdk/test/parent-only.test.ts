// parentOnlyTracer, what gives mysql2 the requireParentSpan it lacks: no span without an active
// one (the query still runs, untraced), a child of it otherwise.
import { context, trace } from "@opentelemetry/api";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parentOnlyTracer } from "../src/parent-only.ts";
import { spansEndedBy, startInMemoryTracing } from "./support.ts";

// A context manager, so that context.with carries the parent (the process-wide one tracing sets up).
startInMemoryTracing();

test("outside any span: a non-recording span, nothing ended", () => {
  const ended = spansEndedBy({}, (tracer) => {
    const span = parentOnlyTracer(tracer).startSpan("SELECT");
    assert.is(span.isRecording(), false);
    span.end();
  });
  assert.equal(ended, []);
});

test("inside a span: a real child of it", () => {
  const ended = spansEndedBy({}, (tracer) => {
    const request = tracer.startSpan("GET /orders/:id");
    context.with(trace.setSpan(context.active(), request), () => parentOnlyTracer(tracer).startSpan("SELECT").end());
    request.end();
  });
  const query = ended.find((s) => s.name === "SELECT");
  const request = ended.find((s) => s.name === "GET /orders/:id");
  assert.ok(query && request);
  assert.is(query.parentSpanContext?.spanId, request.spanContext().spanId);
});

test("an invalid parent (a propagated all-zero context) counts as none", () => {
  const ended = spansEndedBy({}, (tracer) => {
    const invalid = trace.wrapSpanContext({ traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 });
    context.with(trace.setSpan(context.active(), invalid), () => parentOnlyTracer(tracer).startSpan("SELECT").end());
  });
  assert.equal(ended, []);
});

test.run();
