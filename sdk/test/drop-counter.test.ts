// Drop accounting: with a real BatchSpanProcessor, a stalled exporter and a small queue, every
// ended span is accounted for exactly once — exported, dropped because the queue was full, or
// lost with a failed export — and the queue size and capacity read back as configured.
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, TracerProvider } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DropCounter } from "../src/drop-counter.ts";

/** An exporter whose exports stay pending until the test settles them. */
class ControlledExporter implements SpanExporter {
  readonly pending: { spans: ReadableSpan[]; done: (result: ExportResult) => void }[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.pending.push({ spans, done });
  }
  settleNext(ok: boolean): number {
    const next = this.pending.shift();
    if (!next) throw new Error("no export pending");
    const error = Object.assign(new Error("collector unreachable"), { name: "OTLPExporterError" });
    next.done(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error });
    return next.spans.length;
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("every span is counted exactly once: exported, queue_full or export_failed", async () => {
  const counter = new DropCounter();
  const exporter = new ControlledExporter();
  const processor = new BatchSpanProcessor({
    exporter,
    maxQueueSize: 10,
    maxExportBatchSize: 5,
    scheduledDelayMillis: 60_000,
    selfObsMeterProvider: counter,
  });
  const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer("t");
  assert.equal(counter.counts().queueCapacity, 10);

  // The 5th span fills a batch and starts an export that stays pending; 10 more fill the queue;
  // the last 10 find it full.
  for (let i = 0; i < 25; i++) tracer.startSpan(`s${i}`).end();
  let counts = counter.counts();
  assert.is(exporter.pending.length, 1);
  assert.is(counts.droppedQueueFull, 10);
  assert.is(counts.queued, 10);
  assert.is(counts.exported, 0);

  assert.is(exporter.settleNext(false), 5);
  await tick();
  counts = counter.counts();
  assert.is(counts.droppedExportFailed, 5);
  assert.equal(counts.exportFailuresByError, { OTLPExporterError: 5 });

  const flushed = processor.forceFlush();
  await tick();
  while (exporter.pending.length > 0) exporter.settleNext(true);
  await flushed;
  counts = counter.counts();
  assert.is(counts.exported, 10);
  assert.is(counts.queued, 0);
  assert.is(counts.exported + counts.droppedQueueFull + counts.droppedExportFailed, 25);
});

test("nothing is counted as dropped when the exporter keeps up", async () => {
  const counter = new DropCounter();
  const exporter = new ControlledExporter();
  const processor = new BatchSpanProcessor({
    exporter,
    maxQueueSize: 100,
    maxExportBatchSize: 50,
    selfObsMeterProvider: counter,
  });
  const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer("t");
  for (let i = 0; i < 30; i++) tracer.startSpan(`s${i}`).end();
  const flushed = processor.forceFlush();
  await tick();
  while (exporter.pending.length > 0) exporter.settleNext(true);
  await flushed;
  assert.equal(
    { ...counter.counts(), exportFailuresByError: undefined },
    {
      exported: 30,
      droppedQueueFull: 0,
      droppedExportFailed: 0,
      exportFailuresByError: undefined,
      queued: 0,
      queueCapacity: 100,
    },
  );
});

test("the shared no-op instruments of the API are never modified", async () => {
  const { createNoopMeter } = await import("@opentelemetry/api");
  const before = createNoopMeter().createCounter("x").add;
  new DropCounter().getMeter().createCounter("otel.sdk.processor.span.processed").add(1);
  assert.is(createNoopMeter().createCounter("x").add, before);
});

test.run();
