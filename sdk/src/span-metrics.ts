// The metrics bridge: RED metrics (requests, errors, duration) derived from server and consumer
// spans as they end, so every service gets the same dashboards without instrumenting twice. Each
// series keeps an exemplar (the trace and span id of a recent request, preferring errors and the
// slowest) so a spike on a graph links straight to a trace in Tempo. The JS metrics SDK has no
// exemplar support, which is why aggregation lives here and export is done by metrics-export.ts.
import { type Attributes, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace";

export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** Beyond this many distinct series new label sets fold into one `overflow` series per kind. */
export const MAX_SERIES = 2000;
const OVERFLOW = "overflow";

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

function newPoint(attributes: Record<string, string | number>): SeriesPoint {
  return {
    attributes,
    requests: 0,
    errors: 0,
    durationSum: 0,
    bucketCounts: new Array(DURATION_BUCKETS_SECONDS.length + 1).fill(0),
    exemplar: undefined,
    exemplarIsError: false,
  };
}

/** Aggregates cumulative RED metrics from ended SERVER and CONSUMER spans. */
export class SpanMetrics implements SpanProcessor {
  // Series by span kind, then span name, then status code: this runs for every request, so the
  // lookup allocates nothing. For HTTP server spans the name is `METHOD /route`, so method and
  // route need no key of their own; the series keeps the first span's labels.
  readonly #series = new Map<SpanKind, Map<string, Map<unknown, SeriesPoint>>>();
  readonly #overflow = new Map<SpanKind, SeriesPoint>();
  #count = 0;
  readonly #startTimeUnixNano = nowNanos();

  onStart(): void {}

  #pointFor(span: ReadableSpan): SeriesPoint {
    let byName = this.#series.get(span.kind);
    if (byName === undefined) {
      byName = new Map();
      this.#series.set(span.kind, byName);
    }
    let byStatus = byName.get(span.name);
    const status = span.attributes["http.response.status_code"];
    const existing = byStatus?.get(status);
    if (existing !== undefined) return existing;
    if (this.#count >= MAX_SERIES) return this.#overflowPoint(span.kind);
    if (byStatus === undefined) {
      byStatus = new Map();
      byName.set(span.name, byStatus);
    }
    const point = newPoint(seriesAttributes(span));
    byStatus.set(status, point);
    this.#count++;
    return point;
  }

  #overflowPoint(kind: SpanKind): SeriesPoint {
    let point = this.#overflow.get(kind);
    if (point === undefined) {
      point = newPoint({ "span.kind": kind === SpanKind.SERVER ? "server" : "consumer", "span.name": OVERFLOW });
      this.#overflow.set(kind, point);
    }
    return point;
  }

  onEnd(span: ReadableSpan): void {
    if (span.kind !== SpanKind.SERVER && span.kind !== SpanKind.CONSUMER) return;
    const point = this.#pointFor(span);
    const seconds = hrTimeToSeconds(span.duration);
    const error = isError(span);
    point.requests++;
    if (error) point.errors++;
    point.durationSum += seconds;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS_SECONDS.length && seconds > (DURATION_BUCKETS_SECONDS[bucket] as number)) bucket++;
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

  #points(): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    for (const byName of this.#series.values())
      for (const byStatus of byName.values()) for (const p of byStatus.values()) out.push(p);
    out.push(...this.#overflow.values());
    return out;
  }

  /** A copy of the current totals; exemplars are reset so each export carries fresh ones. */
  collect(): MetricsSnapshot {
    const points = this.#points();
    const series = points.map((p) => ({ ...p, bucketCounts: [...p.bucketCounts] }));
    for (const p of points) {
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
