// Jaeger's own propagation format, for services that still run Jaeger clients:
//   uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}
//   uberctx-{key}: {value}   (one header per baggage entry)
// Trace ids may be 64-bit (16 hex) or shorter (Jaeger clients drop leading zeros): they are
// left-padded to the 128-bit form. Flag bit 0x1 is "sampled", 0x2 "debug" (kept as sampled).
// Header values may arrive URL-encoded (`%3A` for `:`), as some Jaeger clients send them.
// Upstream's propagator-jaeger is not used: its releases pin an older core and an API range
// (< 1.10) this SDK is past.
import {
  type Context,
  isSpanContextValid,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";

export const UBER_TRACE_ID_HEADER = "uber-trace-id";
export const UBER_BAGGAGE_PREFIX = "uberctx-";

const HEX = /^[0-9a-f]{1,32}$/;

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export class JaegerPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext && isSpanContextValid(spanContext) && !isTracingSuppressed(context)) {
      const flags = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? "01" : "00";
      setter.set(carrier, UBER_TRACE_ID_HEADER, `${spanContext.traceId}:${spanContext.spanId}:0:${flags}`);
    }
    const baggage = propagation.getBaggage(context);
    for (const [key, entry] of baggage?.getAllEntries() ?? []) {
      setter.set(carrier, `${UBER_BAGGAGE_PREFIX}${key}`, encodeURIComponent(entry.value));
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    const header = one(getter.get(carrier, UBER_TRACE_ID_HEADER));
    const parsed = header ? parseUberTraceId(decode(header)) : undefined;
    if (parsed) result = trace.setSpanContext(result, { ...parsed, isRemote: true });

    const entries: Record<string, { value: string }> = {};
    for (const key of getter.keys(carrier)) {
      if (!key.toLowerCase().startsWith(UBER_BAGGAGE_PREFIX)) continue;
      const value = one(getter.get(carrier, key));
      if (value !== undefined) entries[key.slice(UBER_BAGGAGE_PREFIX.length)] = { value: decode(value) };
    }
    if (Object.keys(entries).length === 0) return result;
    const existing = propagation.getBaggage(result)?.getAllEntries() ?? [];
    return propagation.setBaggage(result, propagation.createBaggage({ ...Object.fromEntries(existing), ...entries }));
  }

  fields(): string[] {
    return [UBER_TRACE_ID_HEADER];
  }
}

/** The trace id, span id and sampled flag of an `uber-trace-id` value, or undefined if it is not one. */
export function parseUberTraceId(
  value: string,
): { traceId: string; spanId: string; traceFlags: TraceFlags } | undefined {
  const parts = value.trim().toLowerCase().split(":");
  if (parts.length !== 4) return undefined;
  const [traceId, spanId, , flags] = parts as [string, string, string, string];
  if (!HEX.test(traceId) || !/^[0-9a-f]{1,16}$/.test(spanId) || !/^[0-9a-f]{1,2}$/.test(flags)) return undefined;
  const context = {
    traceId: traceId.padStart(32, "0"),
    spanId: spanId.padStart(16, "0"),
    traceFlags: Number.parseInt(flags, 16) & 0x3 ? TraceFlags.SAMPLED : TraceFlags.NONE,
  };
  return isSpanContextValid({ ...context }) ? context : undefined;
}
