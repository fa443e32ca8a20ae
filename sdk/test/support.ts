// Shared by the unit tests: tracing started through the real initTracing() path, exporting to an
// in-memory exporter instead of OTLP. One per test file (tracing is process-wide, as in a service).
// Also ended spans made without any export path, for exporter tests and benchmarks.
import type { Attributes, Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { LogRecordExporter } from "@opentelemetry/sdk-logs";
import { InMemorySpanExporter, type ReadableSpan, type SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { TracingOptions } from "../src/config.ts";
import { initTracing, type TracingHandle } from "../src/setup.ts";

export interface InMemoryTracing {
  handle: TracingHandle;
  exporter: InMemorySpanExporter;
  /** Flushes the batch processor, then returns and forgets every span exported so far. */
  takeSpans(): Promise<ReadableSpan[]>;
}

export function startInMemoryTracing(
  options: TracingOptions = {},
  hooks: { logRecordExporter?: LogRecordExporter } = {},
): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const handle = initTracing(
    { serviceName: "unit-test", metricsExporter: "none", handleSignals: false, instrumentations: [], ...options },
    { exporter, ...hooks },
  );
  return {
    handle,
    exporter,
    async takeSpans() {
      await handle.forceFlush();
      const spans = exporter.getFinishedSpans();
      exporter.reset();
      return spans;
    },
  };
}

/**
 * The spans that `write` ends on a tracer named like the http instrumentation's, under a resource
 * with `resourceAttributes`, collected as they end (no sampler, batching or export involved).
 */
export function spansEndedBy(resourceAttributes: Attributes, write: (tracer: Tracer) => void): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart() {},
    onEnd: (span) => ended.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [collect],
  });
  write(provider.getTracer("@opentelemetry/instrumentation-http", "0.300.0"));
  return ended;
}

/** The spans exported once at least `expected` have ended (a server span ends just after its response; bounded). */
export async function spansAfter(tracing: InMemoryTracing, expected: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 50; i++) {
    await tracing.handle.forceFlush();
    if (tracing.exporter.getFinishedSpans().length >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return tracing.takeSpans();
}
