// Rides out a Collector outage. The upstream OTLP exporters retry a batch a few times within one
// export timeout, then the batch is lost: a Collector rolling restart or a minute-long outage
// dropped every span in flight. This wrapper keeps retrying a batch that failed for a transient
// reason (the connection, a timeout, HTTP 429/502/503/504, gRPC UNAVAILABLE…) with exponential
// backoff for up to `maxElapsedMillis`. Meanwhile the batch processor does not export the next
// batch, so new spans wait in its bounded queue; only what overflows that queue is dropped (and
// counted as queue_full). A failure that will not heal (HTTP 400, 401, 413…) fails at once.
//
// A failed batch's error is renamed after its class (ECONNREFUSED, HTTP 503, Timeout, gRPC 14…):
// the drop counter keys export failures by error name, and "Error" says nothing.
//
// At shutdown retrying stops: what is still pending gets one more attempt, so a shutdown with the
// Collector down ends as soon as that attempt fails instead of always spending its deadline.
import { diag } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

export interface RetryOptions {
  /** How long one batch is retried, from its first attempt; 0 = no retry beyond the exporter's own. */
  maxElapsedMillis: number;
  initialIntervalMillis?: number;
  maxIntervalMillis?: number;
}

const RETRYABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const RETRYABLE_HTTP = new Set([408, 429, 502, 503, 504]);
// gRPC status codes: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE.
const RETRYABLE_GRPC = new Set([4, 8, 10, 14]);

interface ErrorShape {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
}

function shape(error: unknown): ErrorShape {
  return error && typeof error === "object" ? (error as ErrorShape) : {};
}

/** The error's class as people search for it: a Node error code, an HTTP status, a gRPC code. */
export function errorClass(error: unknown): string {
  const e = shape(error);
  const cause = shape(e.cause);
  if (typeof e.code === "string") return e.code;
  if (typeof cause.code === "string") return cause.code;
  if (typeof e.code === "number")
    return e.name === "OTLPExporterError" && e.code >= 100 ? `HTTP ${e.code}` : `gRPC ${e.code}`;
  if (/timed? ?out/i.test(e.message ?? "")) return "Timeout";
  if (/retryable status/i.test(e.message ?? "")) return "Retryable status";
  return e.name && e.name !== "Error" ? e.name : "Error";
}

export function isRetryable(error: unknown): boolean {
  const cls = errorClass(error);
  if (RETRYABLE_CODES.has(cls) || cls === "Timeout" || cls === "Retryable status") return true;
  const http = /^HTTP (\d+)$/.exec(cls)?.[1];
  if (http) return RETRYABLE_HTTP.has(Number(http));
  const grpc = /^gRPC (\d+)$/.exec(cls)?.[1];
  if (grpc) return RETRYABLE_GRPC.has(Number(grpc));
  // Anything else (a serializer error, an unknown failure) would fail the same way again.
  return false;
}

function named(error: unknown, cls: string): Error {
  const renamed = new Error(`${cls}: ${shape(error).message ?? String(error)}`, { cause: error });
  renamed.name = cls;
  return renamed;
}

export class RetryingSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #maxElapsed: number;
  readonly #initial: number;
  readonly #maxInterval: number;
  #stopping = false;
  readonly #wake = new Set<() => void>();

  constructor(inner: SpanExporter, options: RetryOptions) {
    this.#inner = inner;
    this.#maxElapsed = options.maxElapsedMillis;
    this.#initial = options.initialIntervalMillis ?? 1_000;
    this.#maxInterval = options.maxIntervalMillis ?? 30_000;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    void this.#run(spans).then(resultCallback);
  }

  async #run(spans: ReadableSpan[]): Promise<ExportResult> {
    const started = Date.now();
    let interval = this.#initial;
    for (let attempt = 1; ; attempt++) {
      const result = await new Promise<ExportResult>((resolve) => this.#inner.export(spans, resolve));
      if (result.code === ExportResultCode.SUCCESS) {
        if (attempt > 1) diag.info(`@greenlang/tracing: ${spans.length} spans exported after ${attempt} attempts`);
        return result;
      }
      const cls = errorClass(result.error);
      // Full jitter: services restarted together must not retry in step.
      const wait = Math.round(interval * (0.5 + Math.random() / 2));
      if (this.#stopping || !isRetryable(result.error) || Date.now() - started + wait > this.#maxElapsed) {
        return { code: ExportResultCode.FAILED, error: named(result.error, cls) };
      }
      diag.debug(`@greenlang/tracing: span export failed (${cls}); retry ${attempt} in ${wait} ms`);
      await this.#sleep(wait);
      interval = Math.min(interval * 2, this.#maxInterval);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#wake.add(done);
    });
  }

  /** Stops retrying: a batch waiting for its next attempt makes it now, and fails if it fails. */
  stopRetrying(): void {
    this.#stopping = true;
    for (const wake of [...this.#wake]) wake();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopRetrying();
    return this.#inner.shutdown();
  }
}
