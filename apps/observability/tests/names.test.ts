// Every metric and label in every alert and dashboard query exists on the component it comes from.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { OTELCOL, SDK, TEMPO } from "../src/metrics.ts";
import { knownMetrics } from "./catalog.ts";
import { shippedExpressions } from "./expressions.ts";
import { problemsOf } from "./names.ts";
import { references } from "./promql.ts";
import { TEST_SETTINGS } from "./settings.ts";

const test = suite("metric names and labels");
const known = knownMetrics();

test("every name in metrics.ts is exposed by the component it is filed under", () => {
  for (const [group, names, source] of [
    ["OTELCOL", OTELCOL, "otelcol"],
    ["SDK", SDK, "sdk"],
    ["TEMPO", TEMPO, "tempo"],
  ] as const) {
    for (const [key, name] of Object.entries(names)) {
      assert.is(known.get(name)?.source, source, `${group}.${key} = ${name}`);
    }
  }
});

test("every alert, panel and variable query names only real metrics and labels", () => {
  const expressions = shippedExpressions(TEST_SETTINGS);
  assert.ok(expressions.length > 80, `${expressions.length} expressions`);
  const problems = expressions.flatMap((e) => problemsOf(e.expr, known, e.label).map((p) => `${e.where}: ${p}`));
  assert.equal(problems, []);
});

test("every expression reads at least one metric (a query of constants shows nothing)", () => {
  for (const e of shippedExpressions(TEST_SETTINGS)) {
    assert.ok(references(e.expr).selectors.length > 0, e.where);
  }
});

test("bad fixture: a community-chart name with _total is caught", () => {
  assert.equal(problemsOf('sum(rate(otelcol_exporter_sent_spans_total{job="otel-collector-metrics"}[5m]))', known), [
    "metric otelcol_exporter_sent_spans_total is not exposed by the Collector, Tempo or the SDK",
  ]);
});

test("bad fixture: grouping by `status` (the label is `result`) is caught", () => {
  assert.equal(problemsOf("sum by (status) (rate(tempo_query_frontend_queries_total[5m]))", known), [
    "no metric of the expression has the label status",
  ]);
});

test("bad fixture: a matcher on a label the metric does not carry is caught", () => {
  const problems = problemsOf('rate(otelcol_exporter_enqueue_failed_spans{data_type="traces"}[5m])', known);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? "", /^otelcol_exporter_enqueue_failed_spans has no label data_type/);
});

test("bad fixture: a pre-2.1 cortex_ name and a syntax error are caught", () => {
  assert.equal(problemsOf('max(cortex_ring_members{state="Unhealthy"})', known), [
    "metric cortex_ring_members is not exposed by the Collector, Tempo or the SDK",
  ]);
  assert.match(problemsOf("sum(rate(otelcol_process_uptime[5m])", known)[0] ?? "", /syntax error/);
});

test.run();
