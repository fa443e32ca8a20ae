// The Jaeger propagator: uber-trace-id read in every form Jaeger clients send (short ids, URL
// encoding, the debug flag), garbage ignored, written in the canonical form; uberctx-* baggage.
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { W3CBaggagePropagator } from "@opentelemetry/core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { JaegerPropagator, parseUberTraceId } from "../src/jaeger-propagator.ts";

const jaeger = new JaegerPropagator();

test("parses full, short, encoded and debug-flagged values; refuses what is not one", () => {
  assert.equal(parseUberTraceId("80f198ee56343ba864fe8b2a57d3eff7:e457b5a2e4d86bd1:0:1"), {
    traceId: "80f198ee56343ba864fe8b2a57d3eff7",
    spanId: "e457b5a2e4d86bd1",
    traceFlags: TraceFlags.SAMPLED,
  });
  assert.equal(parseUberTraceId("abc:1f:0:0"), {
    traceId: "00000000000000000000000000000abc",
    spanId: "000000000000001f",
    traceFlags: TraceFlags.NONE,
  });
  assert.is(parseUberTraceId("ABC:1F:0:2")?.traceFlags, TraceFlags.SAMPLED, "debug means sampled");
  for (const bad of ["", "abc:1f:0", "xyz:1f:0:1", "abc:1f:0:1:9", "0:1f:0:1", "abc:0:0:1", `${"a".repeat(33)}:1:0:1`])
    assert.is(parseUberTraceId(bad), undefined, bad);
});

test("extract: the span context (remote) and uberctx-* baggage, URL-decoded", () => {
  const carrier = {
    "uber-trace-id": "80f198ee56343ba8%3Ae457b5a2e4d86bd1%3A0%3A1",
    "uberctx-tenant": "acme%20corp",
    "x-other": "left alone",
  };
  const context = jaeger.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  const span = trace.getSpanContext(context);
  assert.equal(span, {
    traceId: "000000000000000080f198ee56343ba8",
    spanId: "e457b5a2e4d86bd1",
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  assert.is(propagation.getBaggage(context)?.getEntry("tenant")?.value, "acme corp");
  assert.is(propagation.getBaggage(context)?.getAllEntries().length, 1);
  assert.is(
    trace.getSpanContext(jaeger.extract(ROOT_CONTEXT, { "uber-trace-id": "junk" }, defaultTextMapGetter)),
    undefined,
  );
});

test("inject: canonical uber-trace-id and one uberctx- header per baggage entry", () => {
  const spanContext = {
    traceId: "80f198ee56343ba864fe8b2a57d3eff7",
    spanId: "e457b5a2e4d86bd1",
    traceFlags: TraceFlags.NONE,
  };
  let context = trace.setSpanContext(ROOT_CONTEXT, spanContext);
  context = propagation.setBaggage(context, propagation.createBaggage({ tenant: { value: "acme corp" } }));
  const carrier: Record<string, string> = {};
  jaeger.inject(context, carrier, defaultTextMapSetter);
  assert.equal(carrier, {
    "uber-trace-id": "80f198ee56343ba864fe8b2a57d3eff7:e457b5a2e4d86bd1:0:00",
    "uberctx-tenant": "acme%20corp",
  });
  // Baggage already in the context from W3C is kept when Jaeger's arrives too.
  const both = new W3CBaggagePropagator().extract(ROOT_CONTEXT, { baggage: "team=pay" }, defaultTextMapGetter);
  const merged = jaeger.extract(both, { "uberctx-tenant": "acme" }, defaultTextMapGetter);
  assert.equal(
    propagation
      .getBaggage(merged)
      ?.getAllEntries()
      .map(([k, v]) => `${k}=${v.value}`)
      .sort(),
    ["team=pay", "tenant=acme"],
  );
});

test.run();
