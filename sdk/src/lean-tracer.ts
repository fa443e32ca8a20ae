// Span start without checking and copying the attributes twice. The SDK's Tracer.startSpan runs
// cleanAttributes over the attributes an instrumentation passes (a check of every value that
// allocates a WeakSet per value, and a copy), hands the copy to the sampler, merges the
// sampler's attributes into it and runs cleanAttributes over the result again with the span
// limits (a second check and copy). For a 10-attribute HTTP server span the two cost about 2 µs,
// more than the rest of the span's start. Here, when every attribute value is a string within
// the length limit, a number or a boolean (what instrumentations pass), and there are no links,
// one pass makes the copy the sampler sees, and the merged result goes to the span without a
// second copy when it is still within the limits; anything else (arrays, objects, null, an empty
// key, a string over the limit, more attributes than the limit, links) takes the SDK's own
// startSpan. The rest of the start (suppression, parent, ids, sampler, the SDK's span metrics,
// the span itself) is the SDK's code, in the SDK's order.
//
// This reads private fields of Tracer in @opentelemetry/sdk-trace 3.0.0 (named in SdkTracer) and
// builds its SpanImpl, found on the first span the SDK's own startSpan returns (it is not
// exported). test/lean-tracer.test.ts starts the same spans through both, for every kind of
// input, and compares them field by field, so an upgrade that changes them fails there first.
import {
  type Attributes,
  type Context,
  context as contextApi,
  diag,
  INVALID_SPAN_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { cleanAttributes, isTracingSuppressed } from "@opentelemetry/core";
import { type IdGenerator, type Sampler, SamplingDecision, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { isValidSpanContext } from "./valid-span-context.ts";

/** The fields of the SDK's Tracer its startSpan reads (private in its type declarations). */
interface SdkTracer extends Tracer {
  _sampler: Sampler;
  _spanLimits: { attributeCountLimit?: number; attributeValueLengthLimit?: number };
  _idGenerator: IdGenerator;
  _resource: unknown;
  _spanProcessor: SpanProcessor;
  _tracerMetrics: { startSpan(parent: SpanContext | undefined, decision: SamplingDecision): () => void };
  instrumentationScope: unknown;
}
type SpanImplConstructor = new (options: Record<string, unknown>) => Span;

const LEAN = Symbol("greenlang-lean-tracer");
let SpanImpl: SpanImplConstructor | undefined;

/**
 * An empty plain object, made without an object literal. V8 keeps allocation feedback per object
 * literal and, once nearly every object a literal made has outlived a scavenge, allocates all its
 * later objects straight in the old generation, for good (`--trace-pretenuring-statistics`). A
 * span's context and attributes wait in the batch processor's queue, so in a busy start-up their
 * literals could be so marked, and from then on every span's context and attributes went to the
 * old generation and kept the young strings they point to (ids, paths) alive through every
 * scavenge until the next full collection. On the bench's Fastify route (in-process, with
 * `--trace-gc`) this took the old generation's growth from 0.74 to 0.44 MB per scavenge.
 */
function plainObject<T extends object>(): T {
  return new Object() as T;
}

/** How many attributes the last plainCopy copied (a span start runs to the end without yielding). */
let copied = 0;

/**
 * The copy of `input` the SDK's first cleanAttributes would make (no limits: undefined values
 * left out, everything else as it is), provided every value is a string of at most
 * `lengthLimit` characters, a number or a boolean and every key is non-empty; otherwise
 * undefined, and the SDK's path decides. Sets `copied`.
 */
function plainCopy(input: Attributes | undefined, lengthLimit: number): Attributes | undefined {
  const out = plainObject<Attributes>();
  let n = 0;
  if (input !== undefined && input !== null) {
    if (typeof input !== "object") return undefined;
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (value === undefined) continue;
      if (key.length === 0) return undefined;
      const type = typeof value;
      if (type === "string") {
        if ((value as string).length > lengthLimit) return undefined;
      } else if (type !== "number" && type !== "boolean") return undefined;
      out[key] = value;
      n++;
    }
  }
  copied = n;
  return out;
}

/** Whether the sampler's attributes can join the span's as they are: plain values within the limits. */
function plainWithin(extra: Attributes, into: Attributes, count: number, countLimit: number, lengthLimit: number) {
  let n = count;
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    if (value === undefined || key.length === 0) return false;
    const type = typeof value;
    if (type === "string") {
      if ((value as string).length > lengthLimit) return false;
    } else if (type !== "number" && type !== "boolean") return false;
    if (!Object.hasOwn(into, key)) n++;
  }
  return n <= countLimit;
}

function leanStartSpan(this: SdkTracer, name: string, options: SpanOptions = {}, context?: Context): Span {
  const limits = this._spanLimits;
  const countLimit = limits.attributeCountLimit ?? 128;
  const lengthLimit = limits.attributeValueLengthLimit ?? Number.POSITIVE_INFINITY;
  const attributes =
    SpanImpl === undefined || (options.links !== undefined && options.links.length > 0) || lengthLimit <= 0
      ? undefined
      : plainCopy(options.attributes, lengthLimit);
  const count = copied;
  if (attributes === undefined || count > countLimit) {
    const sdkStartSpan = Object.getPrototypeOf(this).startSpan as Tracer["startSpan"];
    const span = sdkStartSpan.call(this, name, options, context);
    SpanImpl ??= spanImplOf(span);
    return span;
  }

  let ctx = context ?? contextApi.active();
  if (options.root) ctx = trace.deleteSpan(ctx);
  const parentSpan = trace.getSpan(ctx);
  if (isTracingSuppressed(ctx)) {
    diag.debug("Instrumentation suppressed, returning Noop Span");
    return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  }
  const parentSpanContext = parentSpan?.spanContext();
  const spanId = this._idGenerator.generateSpanId();
  let validParentSpanContext: SpanContext | undefined;
  let traceId: string;
  let traceState: SpanContext["traceState"];
  if (!parentSpanContext || !isValidSpanContext(parentSpanContext)) traceId = this._idGenerator.generateTraceId();
  else {
    traceId = parentSpanContext.traceId;
    traceState = parentSpanContext.traceState;
    validParentSpanContext = parentSpanContext;
  }
  const kind = options.kind ?? SpanKind.INTERNAL;
  const links: never[] = [];
  const sampling = this._sampler.shouldSample(ctx, traceId, name, kind, attributes, links);
  const recordEndMetrics = this._tracerMetrics.startSpan(parentSpanContext, sampling.decision);
  traceState = sampling.traceState ?? traceState;
  const spanContext = plainObject<SpanContext>();
  spanContext.traceId = traceId;
  spanContext.spanId = spanId;
  spanContext.traceFlags =
    sampling.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
  spanContext.traceState = traceState;
  if (sampling.decision === SamplingDecision.NOT_RECORD) {
    diag.debug("Recording is off, propagating context in a non-recording span");
    return trace.wrapSpanContext(spanContext);
  }
  let spanAttributes: Attributes = attributes;
  let dropped = 0;
  const extra = sampling.attributes;
  if (extra !== undefined && extra !== null) {
    if (plainWithin(extra, attributes, count, countLimit, lengthLimit)) Object.assign(attributes, extra);
    else {
      // What the SDK does with what it cannot take as it is: merge, then check and copy again.
      const cleaned = cleanAttributes(
        Object.assign(attributes, extra),
        limits as Parameters<typeof cleanAttributes>[1],
      );
      spanAttributes = cleaned.attributes ?? {};
      dropped = cleaned.droppedAttributesCount ?? 0;
    }
  }
  return new (SpanImpl as SpanImplConstructor)({
    resource: this._resource,
    scope: this.instrumentationScope,
    context: ctx,
    spanContext,
    name,
    kind,
    links,
    parentSpanContext: validParentSpanContext,
    attributes: spanAttributes,
    droppedAttributesCount: dropped,
    startTime: options.startTime,
    spanProcessor: this._spanProcessor,
    spanLimits: limits,
    recordEndMetrics,
  });
}

/** The SDK's span class, from a span its startSpan made (undefined for a non-recording one). */
function spanImplOf(span: Span): SpanImplConstructor | undefined {
  const made = Object.getPrototypeOf(span)?.constructor as (SpanImplConstructor & { name: string }) | undefined;
  return made?.name === "SpanImpl" ? made : undefined;
}

function makeLean(tracer: Tracer): Tracer {
  const t = tracer as SdkTracer & { [LEAN]?: true };
  if (t[LEAN] || typeof t._sampler?.shouldSample !== "function" || typeof t._tracerMetrics?.startSpan !== "function")
    return tracer;
  t[LEAN] = true;
  // An own property: the SDK's Tracer class, which other providers in the process may use, stays as it is.
  t.startSpan = leanStartSpan;
  return tracer;
}

/**
 * Makes every tracer `provider` hands out (the SDK's TracerProvider) start spans the lean way.
 * The provider's getTracer is wrapped as an own property; tracers it already made are changed too.
 * For a provider whose sampler keeps no reference to the attributes it is given (the
 * distribution's does not): on the lean path the span's attributes are the object the sampler
 * saw, where the SDK gives the span a copy.
 */
export function useLeanTracers<P extends TracerProvider>(provider: P): P {
  const getTracer = provider.getTracer;
  provider.getTracer = function (this: P, ...args: Parameters<TracerProvider["getTracer"]>) {
    return makeLean(getTracer.apply(this, args));
  };
  const existing = (provider as unknown as { _tracers?: Map<string, Tracer> })._tracers;
  if (existing instanceof Map) for (const tracer of existing.values()) makeLean(tracer);
  return provider;
}
