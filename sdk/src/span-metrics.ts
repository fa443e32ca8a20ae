// The metrics bridge: RED metrics (requests, errors, duration) derived from server and consumer
// spans as they end, so every service gets the same dashboards without instrumenting twice. Each
// series keeps an exemplar (the trace and span id of a recent request, preferring errors and the
// slowest) so a spike on a graph links straight to a trace in Tempo. The JS metrics SDK has no
// exemplar support, which is why aggregation lives here and export is done by metrics-export.ts.
import { type Attributes, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace";

export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** Beyond this many distinct series new label sets fold into one `overflow` series. */
export const MAX_SERIES = 2000;

export interface Exemplar {
  traceId: string;
  spanId: string;
  value: number;
  timeUnixNano: bigint;
}

export interface SeriesPoint {
  attributes: Record<string, string | number>;
  requests: number;
  errors: number;
  durationSum: number;
  /** Counts per bucket of DURATION_BUCKETS_SECONDS, plus one for +Inf. */
  bucketCounts: number[];
  exemplar: Exemplar | undefined;
  exemplarIsError: boolean;
}

export interface MetricsSnapshot {
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  series: SeriesPoint[];
}

function hrTimeToSeconds(hr: readonly [number, number]): number {
  return hr[0] + hr[1] / 1e9;
}

function hrTimeToNanos(hr: readonly [number, number]): bigint {
  return BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1]);
}

function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function seriesAttributes(span: ReadableSpan): Record<string, string | number> {
  const a: Attributes = span.attributes;
  const out: Record<string, string | number> = {
    "span.kind": span.kind === SpanKind.SERVER ? "server" : "consumer",
    "span.name": span.name,
  };
  const route = a["http.route"];
  const method = a["http.request.method"];
  const status = a["http.response.status_code"];
  if (typeof route === "string") out["http.route"] = route;
  if (typeof method === "string") out["http.request.method"] = method;
  if (typeof status === "number") out["http.response.status_code"] = status;
  return out;
}

function isError(span: ReadableSpan): boolean {
  if (span.status.code === SpanStatusCode.ERROR) return true;
  const status = span.attributes["http.response.status_code"];
  return typeof status === "number" && status >= 500;
}

/** Aggregates cumulative RED metrics from ended SERVER and CONSUMER spans. */
export class SpanMetrics implements SpanProcessor {
  readonly #series = new Map<string, SeriesPoint>();
  readonly #startTimeUnixNano = nowNanos();

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (span.kind !== SpanKind.SERVER && span.kind !== SpanKind.CONSUMER) return;
    const a = span.attributes;
    // The series key is built from the label values directly: this runs for every request, so no
    // object is created unless the series is new.
    const key = `${span.kind}\u0000${span.name}\u0000${a["http.route"]}\u0000${a["http.request.method"]}\u0000${a["http.response.status_code"]}`;
    let point = this.#series.get(key);
    if (!point) {
      const overflow = this.#series.size >= MAX_SERIES;
      const overflowKey = `${span.kind}\u0000overflow`;
      point = overflow ? this.#series.get(overflowKey) : undefined;
      if (!point) {
        const attributes = overflow
          ? { "span.kind": span.kind === SpanKind.SERVER ? "server" : "consumer", "span.name": "overflow" }
          : seriesAttributes(span);
        point = {
          attributes,
          requests: 0,
          errors: 0,
          durationSum: 0,
          bucketCounts: new Array(DURATION_BUCKETS_SECONDS.length + 1).fill(0),
          exemplar: undefined,
          exemplarIsError: false,
        };
        this.#series.set(overflow ? overflowKey : key, point);
      }
    }
    const seconds = hrTimeToSeconds(span.duration);
    const error = isError(span);
    point.requests++;
    if (error) point.errors++;
    point.durationSum += seconds;
    let bucket = DURATION_BUCKETS_SECONDS.findIndex((bound) => seconds <= bound);
    if (bucket < 0) bucket = DURATION_BUCKETS_SECONDS.length;
    point.bucketCounts[bucket] = (point.bucketCounts[bucket] ?? 0) + 1;
    // An error beats a success as the exemplar, and within the same kind the slower request wins,
    // so the exemplar shown next to a latency or error spike is the one worth opening.
    const current = point.exemplar;
    if (
      !current ||
      (error && !point.exemplarIsError) ||
      (error === point.exemplarIsError && seconds >= current.value)
    ) {
      const ctx = span.spanContext();
      point.exemplar = {
        traceId: ctx.traceId,
        spanId: ctx.spanId,
        value: seconds,
        timeUnixNano: hrTimeToNanos(span.endTime),
      };
      point.exemplarIsError = error;
    }
  }

  /** A copy of the current totals; exemplars are reset so each export carries fresh ones. */
  collect(): MetricsSnapshot {
    const series = [...this.#series.values()].map((p) => ({ ...p, bucketCounts: [...p.bucketCounts] }));
    for (const p of this.#series.values()) {
      p.exemplar = undefined;
      p.exemplarIsError = false;
    }
    return { startTimeUnixNano: this.#startTimeUnixNano, timeUnixNano: nowNanos(), series };
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
