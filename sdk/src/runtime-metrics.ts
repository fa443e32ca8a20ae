// Node.js runtime metrics, pushed and scraped with the span metrics: event-loop delay and
// utilisation, heap and resident memory, CPU time and garbage-collection time. Names follow the
// OpenTelemetry semantic conventions for Node.js and V8 (nodejs.eventloop.*, v8js.*, process.*);
// GC time is a cumulative counter per GC type rather than the conventions' histogram, which is all
// a dashboard needs (rate = share of time spent collecting) at a fraction of the series.
//
// Everything is read from the runtime on collect, except two things that need an observer: the
// event-loop delay histogram (perf_hooks, 20 ms resolution, reset at every collect) and GC pauses.
import { constants, monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";

export const RUNTIME_METRICS = {
  eventLoopDelayP99: "nodejs.eventloop.delay.p99",
  eventLoopDelayMax: "nodejs.eventloop.delay.max",
  eventLoopUtilization: "nodejs.eventloop.utilization",
  heapUsed: "v8js.memory.heap.used",
  heapLimit: "v8js.memory.heap.limit",
  memoryRss: "process.memory.usage",
  cpuTime: "process.cpu.time",
  gcDuration: "v8js.gc.duration",
} as const;

export interface RuntimeSnapshot {
  /** Seconds, over the interval since the previous collect. */
  eventLoopDelayP99: number;
  eventLoopDelayMax: number;
  /** 0..1, over the interval since the previous collect. */
  eventLoopUtilization: number;
  heapUsedBytes: number;
  heapLimitBytes: number;
  rssBytes: number;
  /** Cumulative seconds since the process started. */
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  /** Cumulative seconds of GC pauses since tracing started, by GC type. */
  gcSeconds: Record<string, number>;
}

const GC_TYPES: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

export class RuntimeMetrics {
  readonly #delay: ReturnType<typeof monitorEventLoopDelay>;
  readonly #gc: PerformanceObserver;
  readonly #gcSeconds: Record<string, number> = { minor: 0, major: 0, incremental: 0, weakcb: 0 };
  #elu = performance.eventLoopUtilization();

  constructor() {
    this.#delay = monitorEventLoopDelay({ resolution: 20 });
    this.#delay.enable();
    this.#gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as unknown as { detail?: { kind?: number } }).detail;
        const kind = GC_TYPES[detail?.kind ?? -1] ?? "other";
        this.#gcSeconds[kind] = (this.#gcSeconds[kind] ?? 0) + entry.duration / 1000;
      }
    });
    this.#gc.observe({ entryTypes: ["gc"] });
  }

  collect(): RuntimeSnapshot {
    const elu = performance.eventLoopUtilization(this.#elu);
    this.#elu = performance.eventLoopUtilization();
    // Before the first sample the histogram reports NaN/huge values: read 0 then.
    const sampled = this.#delay.count > 0;
    const snapshot: RuntimeSnapshot = {
      eventLoopDelayP99: sampled ? this.#delay.percentile(99) / 1e9 : 0,
      eventLoopDelayMax: sampled ? this.#delay.max / 1e9 : 0,
      eventLoopUtilization: elu.utilization,
      heapUsedBytes: process.memoryUsage().heapUsed,
      heapLimitBytes: getHeapStatistics().heap_size_limit,
      rssBytes: process.memoryUsage.rss(),
      cpuUserSeconds: process.cpuUsage().user / 1e6,
      cpuSystemSeconds: process.cpuUsage().system / 1e6,
      gcSeconds: { ...this.#gcSeconds },
    };
    this.#delay.reset();
    return snapshot;
  }

  shutdown(): void {
    this.#delay.disable();
    this.#gc.disconnect();
  }
}
