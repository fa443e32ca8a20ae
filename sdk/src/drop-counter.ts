// Exact accounting of what happens to every sampled span after it ends. The SDK's batch processor
// drops spans when its queue is full and loses whole batches when an export fails, and only
// reports either through its experimental self-observability metrics. Rather than reach into its
// private fields, we hand it a tiny MeterProvider of our own (`selfObsMeterProvider`, a public
// option) whose counters just add up: the counts are exact, cost one addition per batch (or per
// dropped span), and need no metrics SDK or exporter.
import {
  type Attributes,
  createNoopMeter,
  type Meter,
  type MeterProvider,
  type ObservableCallback,
  type ObservableResult,
} from "@opentelemetry/api";

const PROCESSED = "otel.sdk.processor.span.processed";
const QUEUE_SIZE = "otel.sdk.processor.span.queue.size";
const QUEUE_CAPACITY = "otel.sdk.processor.span.queue.capacity";

export interface SpanCounts {
  /** Spans the exporter accepted. */
  exported: number;
  /** Spans dropped because the batch queue was full. */
  droppedQueueFull: number;
  /** Spans lost because the export of their batch failed (after the exporter's own retries). */
  droppedExportFailed: number;
  /** Failed-export span counts by error name (e.g. OTLPExporterError, TimeoutError). */
  exportFailuresByError: Record<string, number>;
  /** Spans waiting in the queue right now. */
  queued: number;
  queueCapacity: number;
}

/** The counts of a process that exports nothing (tracing off). */
export const EMPTY_COUNTS: SpanCounts = {
  exported: 0,
  droppedQueueFull: 0,
  droppedExportFailed: 0,
  exportFailuresByError: {},
  queued: 0,
  queueCapacity: 0,
};

export class DropCounter implements MeterProvider {
  #exported = 0;
  #droppedQueueFull = 0;
  #droppedExportFailed = 0;
  #byError: Record<string, number> = {};
  #queueCapacity = 0;
  readonly #queueCallbacks = new Set<ObservableCallback>();

  getMeter(): Meter {
    // The noop meter's instruments are process-wide singletons: never modify them, return our own
    // objects for the three instruments we read and the noop ones for everything else.
    const noop = createNoopMeter();
    const meter: Meter = Object.create(noop);
    meter.createCounter = (name, options) => {
      if (name !== PROCESSED) return noop.createCounter(name, options);
      return { add: (value, attributes) => this.#recordProcessed(value, attributes) };
    };
    meter.createUpDownCounter = (name, options) => {
      if (name !== QUEUE_CAPACITY) return noop.createUpDownCounter(name, options);
      return {
        add: (value) => {
          this.#queueCapacity += value;
        },
      };
    };
    meter.createObservableUpDownCounter = (name, options) => {
      if (name !== QUEUE_SIZE) return noop.createObservableUpDownCounter(name, options);
      return {
        addCallback: (cb) => {
          this.#queueCallbacks.add(cb);
        },
        removeCallback: (cb) => {
          this.#queueCallbacks.delete(cb);
        },
      };
    };
    return meter;
  }

  #recordProcessed(value: number, attributes: Attributes | undefined): void {
    const errorType = attributes?.["error.type"];
    if (errorType === undefined) this.#exported += value;
    else if (errorType === "queue_full") this.#droppedQueueFull += value;
    else {
      this.#droppedExportFailed += value;
      const key = String(errorType);
      this.#byError[key] = (this.#byError[key] ?? 0) + value;
    }
  }

  counts(): SpanCounts {
    let queued = 0;
    const result: ObservableResult = {
      observe: (value) => {
        queued += value;
      },
    };
    for (const cb of this.#queueCallbacks) void cb(result);
    return {
      exported: this.#exported,
      droppedQueueFull: this.#droppedQueueFull,
      droppedExportFailed: this.#droppedExportFailed,
      exportFailuresByError: { ...this.#byError },
      queued,
      queueCapacity: this.#queueCapacity,
    };
  }
}
