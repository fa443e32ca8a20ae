// The retry wrapper on a scripted exporter: which failures it retries, for how long, what it
// reports, and that shutdown stops the waiting.
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { OTLPExporterError } from "@opentelemetry/otlp-exporter-base";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { errorClass, isRetryable, RetryingSpanExporter } from "../src/retry.ts";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4318"), { code: "ECONNREFUSED" });

/** Fails with the scripted errors, then succeeds; counts attempts. */
function scripted(errors: unknown[]): SpanExporter & { attempts: number } {
  const exporter = {
    attempts: 0,
    export(_spans: ReadableSpan[], done: (r: ExportResult) => void) {
      const error = errors[exporter.attempts++];
      setImmediate(() =>
        done(
          error === undefined
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: error as Error },
        ),
      );
    },
    shutdown: () => Promise.resolve(),
  };
  return exporter;
}

// The wrapper's backoff timers are unref'd (a retry must never keep a service alive): something
// has to keep this test process running while they wait.
const keepAlive = setInterval(() => {}, 1_000);
test.after(() => clearInterval(keepAlive));

const run = (exporter: SpanExporter) => new Promise<ExportResult>((resolve) => exporter.export([], resolve));

test("error classes: Node codes, HTTP statuses, gRPC codes, timeouts", () => {
  assert.is(errorClass(refused), "ECONNREFUSED");
  assert.is(errorClass(new OTLPExporterError("Service Unavailable", 503)), "HTTP 503");
  assert.is(errorClass(Object.assign(new Error("unavailable"), { code: 14 })), "gRPC 14");
  assert.is(errorClass(new Error("Request timed out")), "Timeout");
  assert.is(errorClass(new Error("x", { cause: refused })), "ECONNREFUSED");
  assert.ok(
    isRetryable(refused) && isRetryable(new OTLPExporterError("", 503)) && isRetryable(new Error("Request timed out")),
  );
  assert.not.ok(isRetryable(new OTLPExporterError("Bad Request", 400)));
  assert.not.ok(isRetryable(new Error("serializer broke")));
});

test("a transient failure is retried until it heals; the batch is then exported", async () => {
  const inner = scripted([refused, new OTLPExporterError("", 503), refused]);
  const result = await run(new RetryingSpanExporter(inner, { maxElapsedMillis: 5_000, initialIntervalMillis: 5 }));
  assert.is(result.code, ExportResultCode.SUCCESS);
  assert.is(inner.attempts, 4);
});

test("a failure that will not heal fails at once, named after its class", async () => {
  const inner = scripted([new OTLPExporterError("Bad Request", 400)]);
  const result = await run(new RetryingSpanExporter(inner, { maxElapsedMillis: 5_000, initialIntervalMillis: 5 }));
  assert.is(result.code, ExportResultCode.FAILED);
  assert.is(inner.attempts, 1);
  assert.is(result.error?.name, "HTTP 400");
});

test("retries stop after maxElapsedMillis; 0 means the exporter's own retries only", async () => {
  const forever = Array.from({ length: 1000 }, () => refused);
  const bounded = scripted(forever);
  const started = Date.now();
  const result = await run(
    new RetryingSpanExporter(bounded, { maxElapsedMillis: 200, initialIntervalMillis: 20, maxIntervalMillis: 40 }),
  );
  assert.is(result.code, ExportResultCode.FAILED);
  assert.is(result.error?.name, "ECONNREFUSED");
  assert.ok(Date.now() - started < 1_000, "bounded");
  assert.ok(bounded.attempts > 2, `${bounded.attempts} attempts`);
  const once = scripted(forever);
  await run(new RetryingSpanExporter(once, { maxElapsedMillis: 0 }));
  assert.is(once.attempts, 1);
});

test("stopRetrying (shutdown) wakes a waiting batch: one more attempt, then it fails without waiting", async () => {
  const inner = scripted(Array.from({ length: 10 }, () => refused));
  const exporter = new RetryingSpanExporter(inner, { maxElapsedMillis: 60_000, initialIntervalMillis: 30_000 });
  const pending = run(exporter);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = Date.now();
  await exporter.shutdown();
  const result = await pending;
  assert.is(result.code, ExportResultCode.FAILED);
  assert.is(inner.attempts, 2);
  assert.ok(Date.now() - started < 1_000);
});

test.run();
