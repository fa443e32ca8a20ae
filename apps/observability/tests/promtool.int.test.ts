// needs tools: promtool
// The tracing alerts under promtool (tools/promtool, Prometheus 3.16.0). What it proves:
// - the rules rendered from TEST_SETTINGS, and the rules committed for every cluster
//   (clusters/*/observability/prometheusrule-tracing-alerts.yaml), pass `promtool check rules
//   --lint=all --lint-fatal`;
// - tests/rules.test.yaml passes `promtool test rules`: every alert fires on realistic synthetic
//   series with its exact labels and expanded annotations, honours its `for`, and stays quiet on
//   healthy or below-threshold data (including a Collector counter born at its first failure);
// - a meta-test holds rules.test.yaml to that: every alert of alertDefinitions() has a firing case
//   and a silent case, and no case names an alert that does not exist;
// - why the firing case matters: a tempo-mixin v2.7.2 style rule that can never fire
//   (fixtures/mixin-blocklist-rule.yaml) passes the meta-test's shape yet fails its positive case,
//   which passes once the rule's matchers are corrected.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, parseAllDocuments, stringify } from "yaml";
import { binDir, declaredTools, ensureTools } from "../../../policies/live/tools.ts";
import { alertDefinitions } from "../src/alerts.ts";
import { writeRuleFile } from "./rule-file.ts";
import { TEST_SETTINGS } from "./settings.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const TESTS = import.meta.dirname;
const FIXTURES = join(TESTS, "fixtures");
const PROMTOOL = join(binDir(ROOT), "promtool");
const TIMEOUT_MS = 60_000;
const ENVIRONMENTS = ["dev", "staging", "prod"];

ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));

const run = promisify(execFile);

interface Result {
  code: number;
  output: string;
}

/** Runs promtool in `cwd`; resolves its exit code and output, rejects if it could not run or timed out. */
async function promtool(args: string[], cwd: string): Promise<Result> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd, timeout: TIMEOUT_MS });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** Fails with promtool's whole output, so a failing case reads as promtool reported it. */
function assertExit(result: Result, code: number, what: string): void {
  if (result.code !== code)
    assert.unreachable(`${what}: promtool exited ${result.code}, expected ${code}:\n${result.output}`);
}

interface AlertRuleTest {
  alertname?: string;
  eval_time?: string;
  exp_alerts?: unknown[] | null;
}

/**
 * The meta-test: what a promtool test file lacks for the given alerts. Every alert needs one case
 * with a non-empty exp_alerts (it can fire) and one with an empty exp_alerts (it can stay quiet);
 * a case naming an alert that is not among them tests nothing.
 */
function coverageProblems(testFileText: string, alerts: readonly string[]): string[] {
  const doc = parse(testFileText) as { tests?: { name?: string; alert_rule_test?: AlertRuleTest[] }[] };
  const cases = (doc.tests ?? []).flatMap((group) => group.alert_rule_test ?? []);
  const problems: string[] = [];
  for (const alert of alerts) {
    const own = cases.filter((c) => c.alertname === alert);
    if (!own.some((c) => (c.exp_alerts ?? []).length > 0)) problems.push(`${alert}: no case where it fires`);
    if (!own.some((c) => (c.exp_alerts ?? []).length === 0)) problems.push(`${alert}: no case where it stays quiet`);
  }
  for (const c of cases) {
    if (!alerts.includes(c.alertname ?? ""))
      problems.push(`a case at ${c.eval_time} names an unknown alert "${c.alertname}"`);
  }
  return problems;
}

const ALERTS = alertDefinitions(TEST_SETTINGS).map((a) => a.alert);

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "observability-promtool-"));
  await writeRuleFile(join(dir, "tracing-alerts.yaml"), TEST_SETTINGS);
  await copyFile(join(TESTS, "rules.test.yaml"), join(dir, "rules.test.yaml"));
});
test.after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("the rules rendered from TEST_SETTINGS pass promtool check rules --lint=all --lint-fatal", async () => {
  const result = await promtool(["check", "rules", "--lint=all", "--lint-fatal", "tracing-alerts.yaml"], dir);
  assertExit(result, 0, "check rules");
  assert.match(result.output, `SUCCESS: ${ALERTS.length} rules found`);
});

test("every alert fires with its exact labels and annotations, and stays quiet, under promtool test rules", async () => {
  const result = await promtool(["test", "rules", "rules.test.yaml"], dir);
  assertExit(result, 0, "test rules");
  assert.match(result.output, "SUCCESS");
});

test("meta-test: rules.test.yaml has a firing and a silent case for every alert, and names no other", async () => {
  assert.is(ALERTS.length, 12);
  const text = await readFile(join(TESTS, "rules.test.yaml"), "utf8");
  assert.equal(coverageProblems(text, ALERTS), []);
  assert.equal((parse(text) as { rule_files?: string[] }).rule_files, ["tracing-alerts.yaml"]);
  // The check itself bites: an alert without cases, and a case for an unknown alert, are reported.
  const bitten = coverageProblems(text, [...ALERTS.filter((a) => a !== "OtelCollectorDown"), "OtelCollectorMissing"]);
  assert.ok(bitten.includes("OtelCollectorMissing: no case where it fires"), bitten.join("\n"));
  assert.ok(bitten.includes("OtelCollectorMissing: no case where it stays quiet"), bitten.join("\n"));
  assert.ok(
    bitten.some((p) => p.endsWith('names an unknown alert "OtelCollectorDown"')),
    bitten.join("\n"),
  );
});

test("the rules committed for dev, staging and prod pass promtool check rules --lint=all --lint-fatal", async () => {
  for (const env of ENVIRONMENTS) {
    const file = join(ROOT, "clusters", env, "observability", "prometheusrule-tracing-alerts.yaml");
    const docs = parseAllDocuments(await readFile(file, "utf8")).map((d) => d.toJS());
    const rule = docs.find((d) => d?.kind === "PrometheusRule") as
      | { spec: { groups: { rules: { alert?: string }[] }[] } }
      | undefined;
    assert.ok(rule, `${file} holds no PrometheusRule`);
    const groups = rule.spec.groups;
    assert.equal(
      groups.flatMap((g) => g.rules.map((r) => r.alert)),
      ALERTS,
      `${env}: the committed alerts differ from alertDefinitions()`,
    );
    const ruleFile = join(dir, `${env}-tracing-alerts.yaml`);
    await writeFile(ruleFile, stringify({ groups }, { lineWidth: 0 }));
    const result = await promtool(["check", "rules", "--lint=all", "--lint-fatal", ruleFile], dir);
    assertExit(result, 0, `check rules (${env})`);
    assert.match(result.output, `SUCCESS: ${ALERTS.length} rules found`);
  }
});

test("bad fixture: a mixin-style rule that can never fire fails its positive case (and passes once corrected)", async () => {
  const mixin = join(dir, "mixin");
  await mkdir(mixin);
  const ruleText = await readFile(join(FIXTURES, "mixin-blocklist-rule.yaml"), "utf8");
  const testText = await readFile(join(FIXTURES, "mixin-blocklist.test.yaml"), "utf8");
  await writeFile(join(mixin, "mixin-blocklist-rule.yaml"), ruleText);
  await writeFile(join(mixin, "mixin-blocklist.test.yaml"), testText);

  // It is well-formed and the meta-test is satisfied: the firing case is what catches it.
  assertExit(await promtool(["check", "rules", "mixin-blocklist-rule.yaml"], mixin), 0, "check rules (mixin)");
  assert.equal(coverageProblems(testText, ["TempoBlockListRisingQuickly"]), []);

  const bad = await promtool(["test", "rules", "mixin-blocklist.test.yaml"], mixin);
  assert.is.not(bad.code, 0, `the never-firing rule passed its positive case:\n${bad.output}`);
  assert.match(bad.output, "alertname: TempoBlockListRisingQuickly");
  assert.match(bad.output, "got:[]");

  // The same case passes once the matchers are what the rule meant: the test data is sound.
  const corrected = ruleText.replaceAll('{namespace=".*", job=~"$namespace/$component"}', '{namespace=~".*"}');
  assert.is.not(corrected, ruleText);
  const expr = (parse(corrected) as { groups: { rules: { expr: string }[] }[] }).groups[0]?.rules[0]?.expr ?? "";
  assert.not.ok(/namespace="|\$namespace|\$component/.test(expr), `the defective matchers are still there: ${expr}`);
  await writeFile(join(mixin, "mixin-blocklist-rule.yaml"), corrected);
  assertExit(await promtool(["test", "rules", "mixin-blocklist.test.yaml"], mixin), 0, "test rules (corrected mixin)");
});

test.run();
