// Sampling: health checks dropped, first matching rule wins (per route, per service), parent's
// decision honoured both ways, ratio recorded on kept roots, decisions deterministic per trace.
import { randomBytes } from "node:crypto";
import { context, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ATTR_SAMPLING_RATIO, createSampler } from "../src/sampler.ts";

const settings = {
  serviceName: "search",
  ratio: 1,
  ignorePaths: ["/healthz", "/internal/*"],
  rules: [
    { route: "/api/search*", ratio: 0 },
    { service: "other-service", ratio: 0 },
    { spanName: "cron *", ratio: 0 },
  ],
};

const sampler = createSampler(settings);
const traceIds = Array.from({ length: 200 }, () => randomBytes(16).toString("hex"));

function decide(name: string, attributes: Record<string, string>, ctx = ROOT_CONTEXT, traceId = traceIds[0] as string) {
  return sampler.shouldSample(ctx, traceId, name, SpanKind.SERVER, attributes, []);
}

test("health and ignored paths are dropped", () => {
  assert.is(decide("GET", { "url.path": "/healthz" }).decision, SamplingDecision.NOT_RECORD);
  assert.is(decide("GET", { "url.path": "/internal/ping" }).decision, SamplingDecision.NOT_RECORD);
  assert.is(decide("GET", { "url.path": "/api/orders" }).decision, SamplingDecision.RECORD_AND_SAMPLED);
});

test("route and span-name rules apply; rules for another service do not", () => {
  assert.is(decide("GET", { "url.path": "/api/search/v2" }).decision, SamplingDecision.NOT_RECORD);
  assert.is(decide("cron nightly", {}).decision, SamplingDecision.NOT_RECORD);
  // The `service: other-service` rule would drop everything if it leaked into this service.
  assert.is(decide("GET", { "url.path": "/api/orders" }).decision, SamplingDecision.RECORD_AND_SAMPLED);
  const other = createSampler({ ...settings, serviceName: "other-service" });
  assert.is(
    other.shouldSample(ROOT_CONTEXT, traceIds[0] as string, "GET", SpanKind.SERVER, {}, []).decision,
    SamplingDecision.NOT_RECORD,
  );
});

test("a ratio keeps about that share, deterministically per trace id, and records the ratio", () => {
  const half = createSampler({ serviceName: "s", ratio: 0.5, ignorePaths: [], rules: [] });
  const decisions = traceIds.map((id) => half.shouldSample(ROOT_CONTEXT, id, "op", SpanKind.INTERNAL, {}, []));
  const kept = decisions.filter((d) => d.decision === SamplingDecision.RECORD_AND_SAMPLED);
  assert.ok(kept.length > 0 && kept.length < traceIds.length, `kept ${kept.length} of ${traceIds.length}`);
  assert.equal(kept[0]?.attributes, { [ATTR_SAMPLING_RATIO]: 0.5 });
  const again = traceIds.map((id) => half.shouldSample(ROOT_CONTEXT, id, "op", SpanKind.INTERNAL, {}, []).decision);
  assert.equal(
    again,
    decisions.map((d) => d.decision),
  );
});

test("the parent's decision is honoured even where a rule would decide otherwise", () => {
  const parent = (flags: number) =>
    trace.setSpanContext(context.active(), {
      traceId: traceIds[1] as string,
      spanId: "b".repeat(16),
      traceFlags: flags,
      isRemote: true,
    });
  assert.is(
    decide("GET", { "url.path": "/api/search" }, parent(TraceFlags.SAMPLED)).decision,
    SamplingDecision.RECORD_AND_SAMPLED,
  );
  assert.is(
    decide("GET", { "url.path": "/api/orders" }, parent(TraceFlags.NONE)).decision,
    SamplingDecision.NOT_RECORD,
  );
});

test("a local parent's decision is followed too; an invalid parent counts as none", () => {
  const local = (flags: number) =>
    trace.setSpanContext(ROOT_CONTEXT, { traceId: traceIds[3] as string, spanId: "c".repeat(16), traceFlags: flags });
  assert.is(
    decide("GET", { "url.path": "/healthz" }, local(TraceFlags.SAMPLED)).decision,
    SamplingDecision.RECORD_AND_SAMPLED,
  );
  assert.is(decide("GET", { "url.path": "/api/orders" }, local(TraceFlags.NONE)).decision, SamplingDecision.NOT_RECORD);
  const invalid = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: "0".repeat(32),
    spanId: "0".repeat(16),
    traceFlags: TraceFlags.SAMPLED,
  });
  assert.is(decide("GET", { "url.path": "/healthz" }, invalid).decision, SamplingDecision.NOT_RECORD);
  assert.is(decide("GET", { "url.path": "/api/orders" }, invalid).decision, SamplingDecision.RECORD_AND_SAMPLED);
});

test("a span kept at a ratio below 1 records the ratio; kept at 1, nothing is added", () => {
  const stamped = createSampler({ ...settings, rules: [{ route: "/half*", ratio: 0.5 }] });
  assert.is(
    stamped.shouldSample(ROOT_CONTEXT, traceIds[0] as string, "op", SpanKind.INTERNAL, {}, []).attributes,
    undefined,
  );
  assert.is(
    stamped.shouldSample(ROOT_CONTEXT, traceIds[0] as string, "GET", SpanKind.SERVER, { "url.path": "/healthz" }, [])
      .decision,
    SamplingDecision.NOT_RECORD,
  );
  const kept = traceIds
    .map((id) => stamped.shouldSample(ROOT_CONTEXT, id, "GET", SpanKind.SERVER, { "url.path": "/half/x" }, []))
    .find((r) => r.decision === SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(kept?.attributes, { [ATTR_SAMPLING_RATIO]: 0.5 });
});

test.run();
