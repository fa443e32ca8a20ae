// Shared by the unit tests: tracing started through the real initTracing() path, exporting to an
// in-memory exporter instead of OTLP. One per test file (tracing is process-wide, as in a service).
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import type { TracingOptions } from "../src/config.ts";
import { initTracing, type TracingHandle } from "../src/setup.ts";

export interface InMemoryTracing {
  handle: TracingHandle;
  exporter: InMemorySpanExporter;
  /** Flushes the batch processor, then returns and forgets every span exported so far. */
  takeSpans(): Promise<ReadableSpan[]>;
}

export function startInMemoryTracing(options: TracingOptions = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const handle = initTracing(
    { serviceName: "unit-test", metricsExporter: "none", handleSignals: false, instrumentations: [], ...options },
    { exporter },
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
