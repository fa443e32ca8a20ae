// Context helpers for what auto-instrumentation cannot see: message queues (inject the current
// trace into message headers, extract it on the consumer side), baggage (tenant and user travel
// with the request to every service), running code inside a given context, and span links for
// fan-in, where one span consumes many messages from many traces.
import {
  type Baggage,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
  TraceFlags,
  trace,
} from "@opentelemetry/api";

export interface TraceIds {
  traceId: string;
  spanId: string;
  traceFlags: string;
}

function idsOf(spanContext: SpanContext | undefined): TraceIds | undefined {
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    traceFlags: `0${(spanContext.traceFlags & 0xff).toString(16)}`.slice(-2),
  };
}

/** Ids of the active span (or of the span in `ctx`); undefined outside any trace. */
export function currentTraceIds(ctx: Context = context.active()): TraceIds | undefined {
  return idsOf(trace.getSpanContext(ctx));
}

export function currentTraceId(ctx: Context = context.active()): string | undefined {
  return currentTraceIds(ctx)?.traceId;
}

export function currentSpanId(ctx: Context = context.active()): string | undefined {
  return currentTraceIds(ctx)?.spanId;
}

/** The W3C `traceparent` value of the active span, e.g. for a response header. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const ids = currentTraceIds(ctx);
  return ids && `00-${ids.traceId}-${ids.spanId}-${ids.traceFlags}`;
}

/** A header value as Kafka (Buffer), AMQP (string) or multi-value maps (array) carry it. */
export type CarrierValue = string | Buffer | Uint8Array | readonly (string | Buffer)[] | undefined | null;
export type MessageCarrier = Record<string, CarrierValue | unknown>;

/** Reads headers whatever their representation; the W3C propagators need plain strings. */
export const messageHeaderGetter: TextMapGetter<MessageCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const raw = carrier[key] ?? carrier[key.toLowerCase()];
    const one = Array.isArray(raw) ? raw[0] : raw;
    if (one === undefined || one === null) return undefined;
    if (typeof one === "string") return one;
    if (one instanceof Uint8Array) return Buffer.from(one).toString("utf8");
    return undefined;
  },
};

export const messageHeaderSetter: TextMapSetter<MessageCarrier> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/** Writes the trace context and baggage of `ctx` into message headers; returns the carrier. */
export function injectContext<C extends MessageCarrier>(carrier: C, ctx: Context = context.active()): C {
  propagation.inject(ctx, carrier, messageHeaderSetter);
  return carrier;
}

/** The context a message was sent in, from its headers; `ROOT_CONTEXT` + nothing when absent. */
export function extractContext(carrier: MessageCarrier, base: Context = ROOT_CONTEXT): Context {
  return propagation.extract(base, carrier, messageHeaderGetter);
}

/** Runs `fn` with `ctx` active (also across its awaits), returning what `fn` returns. */
export function runInContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** Links pointing at the producers of a batch of messages, for a span that consumes them all. */
export function linksFromCarriers(carriers: readonly MessageCarrier[]): Link[] {
  const links: Link[] = [];
  for (const carrier of carriers) {
    const spanContext = trace.getSpanContext(extractContext(carrier));
    if (spanContext && trace.isSpanContextValid(spanContext)) links.push({ context: spanContext });
  }
  return links;
}

/** A link to the span active in `ctx` (e.g. the request that scheduled a background job). */
export function linkTo(ctx: Context = context.active()): Link | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && trace.isSpanContextValid(spanContext) ? { context: spanContext } : undefined;
}

/** The value of one baggage entry in `ctx`. */
export function getBaggageValue(key: string, ctx: Context = context.active()): string | undefined {
  return propagation.getBaggage(ctx)?.getEntry(key)?.value;
}

/** A context with `entries` added to (or replacing keys of) the baggage of `ctx`. */
export function withBaggageEntries(entries: Record<string, string>, ctx: Context = context.active()): Context {
  let baggage: Baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  for (const [key, value] of Object.entries(entries)) baggage = baggage.setEntry(key, { value });
  return propagation.setBaggage(ctx, baggage);
}

/** Runs `fn` with baggage entries set, so they reach every downstream service. */
export function runWithBaggage<T>(entries: Record<string, string>, fn: () => T): T {
  return context.with(withBaggageEntries(entries), fn);
}

export function isSampled(ctx: Context = context.active()): boolean {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}
