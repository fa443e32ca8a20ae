// The metrics bridge: RED metrics from server/consumer spans (internal and client spans ignored),
// exemplars preferring errors then the slowest, and both encodings: OTLP/JSON with hex ids and
// OpenMetrics text with exemplars and `# EOF`.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { TracerProvider } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SpanCounts } from "../src/drop-counter.ts";
import {
  METRIC_DURATION,
  METRIC_REQUESTS,
  METRIC_SPANS_DROPPED,
  PrometheusEndpoint,
  toOpenMetrics,
  toOtlpJson,
} from "../src/metrics-export.ts";
import { MAX_SERIES, SpanMetrics } from "../src/span-metrics.ts";

const counts: SpanCounts = {
  exported: 7,
  droppedQueueFull: 3,
  droppedExportFailed: 2,
  exportFailuresByError: {},
  queued: 0,
  queueCapacity: 10,
};

function record() {
  const metrics = new SpanMetrics();
  const tracer = new TracerProvider({ spanProcessors: [metrics] }).getTracer("t");
  const start = Date.now();
  const serve = (ms: number, status: number, error = false) => {
    const span = tracer.startSpan(
      "GET /items/:id",
      {
        kind: SpanKind.SERVER,
        startTime: start,
        attributes: { "http.route": "/items/:id", "http.request.method": "GET" },
      },
      ROOT_CONTEXT,
    );
    span.setAttribute("http.response.status_code", status);
    if (error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(start + ms);
    return span.spanContext();
  };
  serve(3, 200);
  const slow = serve(700, 200);
  serve(20, 200);
  const failed = serve(40, 500);
  tracer.startSpan("internal work", { kind: SpanKind.INTERNAL }, ROOT_CONTEXT).end();
  tracer.startSpan("GET", { kind: SpanKind.CLIENT }, ROOT_CONTEXT).end();
  return { metrics, slow, failed };
}

test("counts requests and errors per route and status; only server and consumer spans", () => {
  const { metrics } = record();
  const { series } = metrics.collect();
  assert.is(series.length, 2);
  const ok = series.find((s) => s.attributes["http.response.status_code"] === 200);
  const failed = series.find((s) => s.attributes["http.response.status_code"] === 500);
  assert.is(ok?.requests, 3);
  assert.is(ok?.errors, 0);
  assert.is(failed?.requests, 1);
  assert.is(failed?.errors, 1);
  // 3 ms → ≤5 ms bucket, 20 ms → ≤25 ms, 700 ms → ≤1 s.
  assert.equal(ok?.bucketCounts, [1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.ok(Math.abs((ok?.durationSum ?? 0) - 0.723) < 1e-6);
});

test("exemplar is the slowest request of a series (an error when there is one) and is reset after export", () => {
  const { metrics, slow, failed } = record();
  const first = metrics.collect().series;
  assert.is(first.find((s) => s.attributes["http.response.status_code"] === 200)?.exemplar?.traceId, slow.traceId);
  assert.is(first.find((s) => s.attributes["http.response.status_code"] === 500)?.exemplar?.spanId, failed.spanId);
  assert.is(metrics.collect().series[0]?.exemplar, undefined);
});

interface OtlpPoint {
  attributes: { key: string; value: { stringValue?: string; intValue?: string } }[];
  asInt?: string;
  count?: string;
  bucketCounts?: string[];
  explicitBounds?: number[];
  exemplars?: { traceId: string; spanId: string }[];
}
interface OtlpMetric {
  name: string;
  sum?: { aggregationTemporality: number; isMonotonic: boolean; dataPoints: OtlpPoint[] };
  histogram?: { dataPoints: OtlpPoint[] };
}
interface OtlpBody {
  resourceMetrics: { resource: { attributes: unknown[] }; scopeMetrics: { metrics: OtlpMetric[] }[] }[];
}

test("OTLP/JSON: cumulative sums and histogram with exemplars and drop counters", () => {
  const { metrics, slow } = record();
  const body = toOtlpJson(metrics.collect(), counts, { "service.name": "shop" }) as OtlpBody;
  const resource = body.resourceMetrics[0];
  assert.equal(resource?.resource.attributes, [{ key: "service.name", value: { stringValue: "shop" } }]);
  const byName = new Map((resource?.scopeMetrics[0]?.metrics ?? []).map((m) => [m.name, m]));
  assert.is(byName.get(METRIC_REQUESTS)?.sum?.aggregationTemporality, 2);
  assert.is(byName.get(METRIC_REQUESTS)?.sum?.isMonotonic, true);
  const okPoint = byName
    .get(METRIC_DURATION)
    ?.histogram?.dataPoints.find((p) =>
      p.attributes.some((a) => a.key === "http.response.status_code" && a.value.intValue === "200"),
    );
  assert.is(okPoint?.count, "3");
  assert.is(okPoint?.exemplars?.[0]?.traceId, slow.traceId);
  assert.is(okPoint?.exemplars?.[0]?.spanId, slow.spanId);
  assert.is(okPoint?.bucketCounts?.length, (okPoint?.explicitBounds?.length ?? 0) + 1);
  const dropped = byName
    .get(METRIC_SPANS_DROPPED)
    ?.sum?.dataPoints.map((p) => [p.attributes[0]?.value.stringValue, p.asInt]);
  assert.equal(dropped, [
    ["queue_full", "3"],
    ["export_failed", "2"],
  ]);
});

test("OpenMetrics: counters with _total, cumulative buckets, one exemplar, terminated by # EOF", () => {
  const { metrics, slow } = record();
  const text = toOpenMetrics(metrics.collect(), counts);
  const lines = text.trimEnd().split("\n");
  assert.is(lines.at(-1), "# EOF");
  assert.ok(
    lines.includes(
      'gl_span_requests_total{span_kind="server",span_name="GET /items/:id",http_route="/items/:id",http_request_method="GET",http_response_status_code="200"} 3',
    ),
  );
  const withExemplar = lines.filter((l) => l.includes("# {trace_id="));
  assert.is(withExemplar.length, 2);
  const okExemplar = withExemplar.find((l) => l.includes(slow.traceId)) ?? "";
  assert.match(okExemplar, /le="1"\} 3 # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} 0\.7 /);
  assert.ok(lines.includes('gl_tracing_spans_dropped_total{reason="queue_full"} 3'));
  assert.ok(
    lines.includes(
      'gl_span_duration_seconds_bucket{span_kind="server",span_name="GET /items/:id",http_route="/items/:id",http_request_method="GET",http_response_status_code="200",le="+Inf"} 3',
    ),
  );
});

test("series beyond the cap fold into one overflow series instead of growing without bound", () => {
  const metrics = new SpanMetrics();
  const tracer = new TracerProvider({ spanProcessors: [metrics] }).getTracer("t");
  for (let i = 0; i < MAX_SERIES + 50; i++)
    tracer.startSpan(`GET /raw/${i}`, { kind: SpanKind.SERVER }, ROOT_CONTEXT).end();
  const { series } = metrics.collect();
  assert.is(series.length, MAX_SERIES + 1);
  assert.is(series.find((s) => s.attributes["span.name"] === "overflow")?.requests, 50);
});

test("Prometheus endpoint serves OpenMetrics on /metrics and 404 elsewhere", async () => {
  const { metrics } = record();
  const endpoint = new PrometheusEndpoint({
    collect: () => metrics.collect(),
    counts: () => counts,
    resource: () => ({}),
  });
  const port = await endpoint.listen(0, "127.0.0.1");
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.is(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(await response.text(), /gl_span_requests_total\{.*\} 3\n[\s\S]*# EOF\n$/);
    assert.is((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
  } finally {
    await endpoint.shutdown();
  }
});

test.run();
