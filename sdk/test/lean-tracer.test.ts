// useLeanTracers (src/lean-tracer.ts) starts the same spans as the SDK's Tracer: every case
// starts one span through a provider left as the SDK made it and one through a provider made
// lean, both with the same deterministic ids, limits and scripted sampler, and compares what the
// sampler was given and the spans themselves, field by field. Plain attributes must take the lean
// path; everything else must reach the SDK's own startSpan.
import {
  type Attributes,
  type Context,
  context,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { suppressTracing, TraceState } from "@opentelemetry/core";
import {
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { useLeanTracers } from "../src/lean-tracer.ts";

class CountingIds implements IdGenerator {
  #n = 0;
  generateTraceId(): string {
    return (++this.#n).toString(16).padStart(32, "0");
  }
  generateSpanId(): string {
    return (++this.#n).toString(16).padStart(16, "0");
  }
}

/** Returns the next scripted result, and records what it was given (the attributes as they were then). */
class ScriptedSampler implements Sampler {
  result: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
  calls: unknown[] = [];
  shouldSample(
    _context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    this.calls.push(structuredClone({ traceId, name, kind, attributes, links }));
    return this.result;
  }
  toString(): string {
    return "ScriptedSampler";
  }
}

interface Side {
  provider: TracerProvider;
  sampler: ScriptedSampler;
  exporter: InMemorySpanExporter;
}
function side(limits: { attributeCountLimit?: number; attributeValueLengthLimit?: number }): Side {
  const sampler = new ScriptedSampler();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler,
    idGenerator: new CountingIds(),
    spanLimits: limits,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  return { provider, sampler, exporter };
}

/** What a finished span holds, its start time only when the case gave one (else it is the clock's). */
function finished(span: ReadableSpan, withStartTime = false) {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    attributes: span.attributes,
    droppedAttributesCount: span.droppedAttributesCount,
    links: span.links,
    droppedLinksCount: span.droppedLinksCount,
    status: span.status,
    scope: span.instrumentationScope,
    startTime: withStartTime ? span.startTime : "now",
  };
}

// Counts calls to the SDK's own startSpan (the lean tracer calls it when it hands a span over).
const sdkTracerPrototype = Object.getPrototypeOf(new TracerProvider().getTracer("probe"));
const sdkStartSpan = sdkTracerPrototype.startSpan;
let sdkCalls = 0;
sdkTracerPrototype.startSpan = function (...args: unknown[]) {
  sdkCalls++;
  return sdkStartSpan.apply(this, args);
};

const REMOTE: SpanContext = {
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState("vendor=value"),
};
const remoteParent = trace.setSpanContext(ROOT_CONTEXT, REMOTE);
const invalidParent = trace.setSpanContext(ROOT_CONTEXT, { ...REMOTE, traceId: "not-hex" });
const plain = { "http.request.method": "GET", "url.path": "/api/orders/1", "server.port": 8080, ok: true };

interface Case {
  name: string;
  options?: SpanOptions;
  context?: Context;
  sampling?: SamplingResult;
  limits?: { attributeCountLimit?: number; attributeValueLengthLimit?: number };
  /** Whether the lean path takes it (otherwise the SDK's startSpan must). */
  lean: boolean;
}
const cases: Case[] = [
  { name: "no options", lean: true },
  { name: "no attributes", options: { kind: SpanKind.SERVER }, lean: true },
  { name: "plain attributes", options: { kind: SpanKind.SERVER, attributes: plain }, lean: true },
  {
    name: "numbers of every kind",
    options: { attributes: { a: 0, b: -1.5, c: Number.NaN, d: Number.POSITIVE_INFINITY } },
    lean: true,
  },
  { name: "undefined values left out", options: { attributes: { ...plain, gone: undefined } }, lean: true },
  { name: "a remote parent", options: { attributes: plain }, context: remoteParent, lean: true },
  { name: "an invalid parent", options: { attributes: plain }, context: invalidParent, lean: true },
  { name: "root despite a parent", options: { root: true, attributes: plain }, context: remoteParent, lean: true },
  { name: "a start time", options: { attributes: plain, startTime: [1_700_000_000, 5] }, lean: true },
  { name: "tracing suppressed", options: { attributes: plain }, context: suppressTracing(ROOT_CONTEXT), lean: true },
  {
    name: "sampler drops",
    options: { attributes: plain },
    sampling: { decision: SamplingDecision.NOT_RECORD },
    lean: true,
  },
  {
    name: "sampler records, not sampled",
    options: { attributes: plain },
    sampling: { decision: SamplingDecision.RECORD },
    lean: true,
  },
  {
    name: "sampler adds attributes and a trace state",
    options: { attributes: plain },
    context: remoteParent,
    sampling: {
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { "gl.sampling.ratio": 0.25, "url.path": "/overridden" },
      traceState: new TraceState("mine=1"),
    },
    lean: true,
  },
  {
    name: "sampler adds an undefined and a null value",
    options: { attributes: plain },
    sampling: { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { a: undefined, b: null } as never },
    lean: true,
  },
  {
    name: "sampler goes over the count limit",
    options: { attributes: { a: 1, b: 2, c: 3 } },
    limits: { attributeCountLimit: 3 },
    sampling: { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { d: 4 } },
    lean: true,
  },
  {
    name: "sampler's string over the length limit",
    options: { attributes: { a: "short" } },
    limits: { attributeValueLengthLimit: 8 },
    sampling: { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { b: "much too long" } },
    lean: true,
  },
  {
    name: "strings at the length limit",
    options: { attributes: { a: "12345678" } },
    limits: { attributeValueLengthLimit: 8 },
    lean: true,
  },
  {
    name: "a string over the length limit",
    options: { attributes: { a: "123456789" } },
    limits: { attributeValueLengthLimit: 8 },
    lean: false,
  },
  {
    name: "more attributes than the limit",
    options: { attributes: { a: 1, b: 2, c: 3 } },
    limits: { attributeCountLimit: 2 },
    lean: false,
  },
  { name: "a null value", options: { attributes: { ...plain, n: null } as never }, lean: false },
  { name: "an array value", options: { attributes: { ...plain, list: ["a", "b"] } }, lean: false },
  { name: "an object value", options: { attributes: { ...plain, map: { k: "v" } } as never }, lean: false },
  { name: "bytes", options: { attributes: { ...plain, raw: new Uint8Array([1, 2]) } as never }, lean: false },
  { name: "an empty key", options: { attributes: { ...plain, "": "x" } }, lean: false },
  { name: "a bigint", options: { attributes: { ...plain, big: 1n } as never }, lean: false },
  { name: "attributes that are not an object", options: { attributes: "nope" as never }, lean: false },
  {
    name: "links",
    options: { attributes: plain, links: [{ context: REMOTE, attributes: { why: "batch" } }] },
    lean: false,
  },
];

for (const c of cases) {
  test(`same span: ${c.name}`, () => {
    const sdk = side(c.limits ?? {});
    const lean = side(c.limits ?? {});
    useLeanTracers(lean.provider);
    // Warm up: the lean path needs to have seen one span of the SDK's first.
    for (const s of [sdk, lean]) s.provider.getTracer("warm-up").startSpan("warm-up").end();
    for (const s of [sdk, lean]) {
      s.sampler.calls = [];
      s.exporter.reset();
      if (c.sampling) s.sampler.result = c.sampling;
    }
    const ctx = c.context ?? ROOT_CONTEXT;
    const before = sdkCalls;
    const ours = context.with(ctx, () => lean.provider.getTracer("scope", "1.0.0").startSpan("span", c.options));
    assert.is(sdkCalls - before, c.lean ? 0 : 1, c.lean ? "the lean path" : "the SDK's path");
    const theirs = context.with(ctx, () => sdk.provider.getTracer("scope", "1.0.0").startSpan("span", c.options));
    assert.equal(ours.isRecording(), theirs.isRecording(), "recording");
    assert.equal(ours.spanContext(), theirs.spanContext(), "span context");
    assert.equal(lean.sampler.calls, sdk.sampler.calls, "what the sampler was given");
    ours.setAttribute("after.start", "x");
    theirs.setAttribute("after.start", "x");
    ours.end();
    theirs.end();
    const explicit = c.options?.startTime !== undefined;
    assert.equal(
      lean.exporter.getFinishedSpans().map((span) => finished(span, explicit)),
      sdk.exporter.getFinishedSpans().map((span) => finished(span, explicit)),
    );
  });
}

test("the cases cover recording and non-recording spans, dropped attributes and truncation", () => {
  const names = cases.map((c) => c.name);
  assert.ok(names.includes("sampler drops") && names.includes("tracing suppressed"));
  const s = side({ attributeValueLengthLimit: 8 });
  const span = s.provider.getTracer("t").startSpan("x", { attributes: { a: "123456789" } }) as unknown as ReadableSpan;
  assert.is(span.attributes.a, "12345678", "the SDK truncates, so the comparison above sees truncation");
});

test("tracers made before and after are both lean; startActiveSpan goes through it", () => {
  const s = side({});
  const early = s.provider.getTracer("early");
  useLeanTracers(s.provider);
  const late = s.provider.getTracer("late");
  early.startSpan("warm").end();
  const before = sdkCalls;
  early.startSpan("a", { attributes: plain }).end();
  late.startSpan("b", { attributes: plain }).end();
  late.startActiveSpan("c", { attributes: plain }, (span) => span.end());
  assert.is(sdkCalls, before);
  assert.equal(
    s.exporter.getFinishedSpans().map((span) => span.name),
    ["warm", "a", "b", "c"],
  );
});

test("the comparison notices a difference", () => {
  const a = side({});
  const b = side({});
  const one = a.provider.getTracer("t").startSpan("x", { attributes: plain });
  const other = b.provider.getTracer("t").startSpan("x", { attributes: { ...plain, "url.path": "/other" } });
  one.end();
  other.end();
  assert.not.equal(
    a.exporter.getFinishedSpans().map((span) => finished(span)),
    b.exporter.getFinishedSpans().map((span) => finished(span)),
  );
});

test.run();
