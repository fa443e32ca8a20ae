// The alert rules' shape and links: every alert is named, labelled and annotated by the
// conventions, its runbook section exists, and its dashboard panel exists. The runbooks'
// own panel links resolve too.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { alertDefinitions, alertGroups, githubSlug, RUNBOOKS } from "../src/alerts.ts";
import { anchorsOf, panelProblem, RUNBOOK_DIR, runbookProblem } from "./links.ts";
import { TEST_SETTINGS } from "./settings.ts";

const test = suite("alert rules");
const rules = alertGroups(TEST_SETTINGS).flatMap((g) => g.rules);

test("the twelve alerts the platform needs, uniquely named in CamelCase", () => {
  const names = rules.map((r) => r.alert);
  assert.ok(names.length >= 12, `${names.length} alerts`);
  assert.is(new Set(names).size, names.length);
  for (const name of names) assert.match(name, /^(OtelCollector|Tempo|TracingSdk)[A-Z][A-Za-z]+$/);
  for (const needed of [
    "OtelCollectorDown",
    "OtelCollectorRefusingSpans",
    "OtelCollectorExportFailing",
    "OtelCollectorQueueNearlyFull",
    "OtelCollectorDroppingSpans",
    "OtelCollectorTailSamplingLateSpans",
    "TempoIngesterFlushesFailing",
    "TempoIngesterUnhealthy",
    "TempoDistributorPushFailing",
    "TempoDiscardingSpans",
    "TempoTraceSearchSlow",
    "TracingSdkDroppingSpans",
  ]) {
    assert.ok(names.includes(needed), needed);
  }
});

test("each alert has for, severity, component and the four annotations", () => {
  for (const rule of rules) {
    assert.match(rule.for, /^\d+[smh]$/, rule.alert);
    assert.ok(["critical", "warning"].includes(rule.labels.severity ?? ""), rule.alert);
    assert.ok(["otel-collector", "tempo", "sdk"].includes(rule.labels.component ?? ""), rule.alert);
    assert.equal(
      Object.keys(rule.annotations).sort(),
      ["dashboard_url", "description", "runbook_url", "summary"],
      rule.alert,
    );
  }
});

test("thresholds come from the settings (the model's observability.alerts)", () => {
  const tight = alertGroups({
    ...TEST_SETTINGS,
    thresholds: { spanLossRatio: 0.002, queueFillRatio: 0.5, searchP99Seconds: 2 },
  }).flatMap((g) => g.rules);
  const expr = (name: string) => tight.find((r) => r.alert === name)?.expr ?? "";
  assert.match(expr("OtelCollectorExportFailing"), /> 0\.002$/);
  assert.match(expr("OtelCollectorQueueNearlyFull"), /> 0\.5$/);
  assert.match(expr("TempoTraceSearchSlow"), /> 2$/);
  assert.match(tight.find((r) => r.alert === "TempoDiscardingSpans")?.annotations.description ?? "", /threshold 0\.2%/);
});

test("every runbook_url resolves to a file and a heading of docs/runbooks/", () => {
  const problems = rules
    .map((r) => runbookProblem(TEST_SETTINGS.runbookBaseUrl, r.annotations.runbook_url ?? ""))
    .filter(Boolean);
  assert.equal(problems, []);
});

test("every dashboard_url opens an existing dashboard and panel of the alert's cluster", () => {
  for (const rule of rules) {
    const url = rule.annotations.dashboard_url ?? "";
    assert.ok(url.startsWith(`${TEST_SETTINGS.grafanaUrl}/d/`), url);
    assert.is(panelProblem(url), undefined, rule.alert);
    assert.match(url, /&var-cluster=\{\{ \$labels\.(cluster|k8s_cluster_name) \}\}$/);
  }
});

test("each runbook section names its alert, and every panel path in the runbooks resolves", () => {
  for (const definition of alertDefinitions(TEST_SETTINGS)) {
    const text = readFileSync(join(RUNBOOK_DIR, definition.runbook), "utf8");
    const start = text.indexOf(`## ${definition.alert}\n`);
    assert.ok(start >= 0, `${definition.runbook} has a section ## ${definition.alert}`);
    const end = text.indexOf("\n## ", start + 1);
    const section = text.slice(start, end === -1 ? undefined : end);
    assert.ok(
      section.includes(`/d/${definition.dashboard.uid}?viewPanel=${definition.panel}`),
      `${definition.alert}: links its own panel`,
    );
  }
  const problems: string[] = [];
  for (const file of readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith(".md"))) {
    for (const match of readFileSync(join(RUNBOOK_DIR, file), "utf8").matchAll(/\/d\/[A-Za-z0-9_-]+\?viewPanel=\d+/g)) {
      const problem = panelProblem(match[0]);
      if (problem) problems.push(`${file}: ${problem}`);
    }
  }
  assert.equal(problems, []);
});

test("every runbook file the alerts name exists", () => {
  const files = new Set(readdirSync(RUNBOOK_DIR));
  for (const file of Object.values(RUNBOOKS)) assert.ok(files.has(file), file);
});

test("bad fixtures: a missing anchor, a missing file, a wrong uid and a wrong panel are caught", () => {
  const base = TEST_SETTINGS.runbookBaseUrl;
  assert.match(
    runbookProblem(base, `${base}/${RUNBOOKS.collector}#otelcollectordwn`) ?? "",
    /has no heading #otelcollectordwn/,
  );
  assert.match(runbookProblem(base, `${base}/no-such.md#x`) ?? "", /no file docs\/runbooks\/no-such\.md/);
  assert.is(
    panelProblem("https://g/d/gl-tempo-ops?viewPanel=1"),
    "https://g/d/gl-tempo-ops?viewPanel=1: no dashboard gl-tempo-ops",
  );
  assert.is(
    panelProblem("/d/gl-otel-collector?viewPanel=99"),
    "/d/gl-otel-collector?viewPanel=99: gl-otel-collector has no panel 99",
  );
});

test("GitHub heading slugs: case, punctuation and repeats", () => {
  assert.is(githubSlug("OtelCollectorDown"), "otelcollectordown");
  assert.is(githubSlug("What fired (and why)"), "what-fired-and-why");
  assert.equal([...anchorsOf("# A\n## Fix\n```\n## not a heading\n```\n## Fix\n")], ["a", "fix", "fix-1"]);
});

test.run();
