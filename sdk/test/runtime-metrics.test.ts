// Runtime metrics: sane readings from the running process, and their names in both export forms
// (OTLP as the SDK pushes it; the OpenMetrics names Prometheus's OTLP receiver gives the same data).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EMPTY_COUNTS } from "../src/drop-counter.ts";
import { toOpenMetrics, toOtlpJson } from "../src/metrics-export.ts";
import { RUNTIME_METRICS, RuntimeMetrics } from "../src/runtime-metrics.ts";
import { SpanMetrics } from "../src/span-metrics.ts";

const counts = EMPTY_COUNTS;

test("readings of the running process: busy loop time, memory, CPU", async () => {
  const runtime = new RuntimeMetrics();
  try {
    const until = Date.now() + 60;
    while (Date.now() < until) {
      /* keep the event loop busy */
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    const r = runtime.collect();
    assert.ok(r.eventLoopUtilization > 0 && r.eventLoopUtilization <= 1, `utilization ${r.eventLoopUtilization}`);
    assert.ok(r.eventLoopDelayMax >= r.eventLoopDelayP99 && r.eventLoopDelayP99 >= 0);
    assert.ok(r.heapUsedBytes > 0 && r.heapUsedBytes < r.heapLimitBytes);
    assert.ok(r.rssBytes > r.heapUsedBytes);
    assert.ok(r.cpuUserSeconds > 0);
    assert.equal(Object.keys(r.gcSeconds).sort(), ["incremental", "major", "minor", "weakcb"]);
  } finally {
    runtime.shutdown();
  }
});

test("both export forms carry every runtime metric, named as Prometheus stores them", () => {
  const runtime = new RuntimeMetrics();
  const r = runtime.collect();
  runtime.shutdown();
  const snapshot = new SpanMetrics().collect();
  const otlp = JSON.stringify(toOtlpJson(snapshot, counts, {}, r));
  for (const name of Object.values(RUNTIME_METRICS)) assert.ok(otlp.includes(`"name":"${name}"`), name);
  const text = toOpenMetrics(snapshot, counts, r);
  for (const line of [
    "nodejs_eventloop_delay_p99_seconds ",
    "nodejs_eventloop_utilization_ratio ",
    "v8js_memory_heap_used_bytes ",
    "process_memory_usage_bytes ",
    'process_cpu_time_seconds_total{cpu_mode="user"} ',
    'v8js_gc_duration_seconds_total{v8js_gc_type="major"} ',
  ]) {
    assert.ok(text.includes(`\n${line}`), line);
  }
  assert.ok(text.endsWith("# EOF\n"));
  assert.not.ok(toOpenMetrics(snapshot, counts).includes("nodejs_"), "without runtime readings, none are written");
});

test.run();
