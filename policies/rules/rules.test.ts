// Tests generated from the rule folders: for every policies/rules/<id>/, the bad fixture trips
// exactly that rule, with the findings listed in expected.yaml (and nothing else, schema included),
// and the good fixture trips nothing. Also checks every folder is registered and described.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { BUILTIN_CHECKS } from "../engine/checks.ts";
import type { Finding } from "../engine/types.ts";
import { runGate } from "../gate.ts";
import { RULES } from "./index.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const HERE = "policies/rules";
const folders = readdirSync(join(ROOT, HERE), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

// The Terraform rules share one good stack: a realistic module that satisfies all nine at once, so
// each rule is proven quiet on the same input its siblings accept (a folder may still bring its own).
const SHARED_TERRAFORM_GOOD = "policies/fixtures/terraform-good.tf";

function fixture(folder: string, which: "bad" | "good"): string {
  for (const extension of ["yaml", "tf"]) {
    const path = `${HERE}/${folder}/${which}.${extension}`;
    if (existsSync(join(ROOT, path))) return path;
  }
  if (which === "good" && folder.startsWith("tf-")) return SHARED_TERRAFORM_GOOD;
  throw new Error(`${HERE}/${folder} has no ${which} fixture`);
}

/** How expected.yaml names a finding: "<Kind> <ns>/<name> <path>" or "<terraform address> <path>". */
function label(f: Finding): string {
  if (f.kind === "terraform") return `${f.name} ${f.path}`;
  return `${f.kind} ${f.namespace}/${f.name} ${f.path}`;
}

async function check(path: string): Promise<Finding[]> {
  // Fixtures are judged by the policy rules and the schema; config tools have their own tests.
  return (await runGate({ root: ROOT, paths: [path], configChecks: false, today: "2026-01-01" })).findings;
}

test("every rule folder is registered in rules/index.ts, and nothing else is", () => {
  assert.equal(RULES.map((r) => r.id).sort(), folders);
});

test("every rule has an id, severity, title, rationale and remediation", () => {
  for (const rule of RULES) {
    assert.ok(/^(k8s|kustomize|argocd|tempo|otel|tf)-[a-z0-9-]+$/.test(rule.id), rule.id);
    assert.ok(rule.severity === "error" || rule.severity === "warning", `${rule.id} severity`);
    for (const field of ["title", "rationale", "remediation"] as const) {
      assert.ok(rule[field].length > 20, `${rule.id} ${field} is too short to help anyone`);
    }
  }
});

test("policies/README.md lists every rule and built-in check with its severity and title", () => {
  const readme = readFileSync(join(ROOT, "policies", "README.md"), "utf8");
  const rows = new Map(
    [...readme.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*(\w+)\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [
      m[1],
      `${m[2]} ${m[3]}`,
    ]),
  );
  for (const rule of [...RULES, ...BUILTIN_CHECKS]) {
    assert.is(rows.get(rule.id), `${rule.severity} ${rule.title}`, `README row of ${rule.id}`);
  }
});

for (const folder of folders) {
  const expected = parse(readFileSync(join(ROOT, HERE, folder, "expected.yaml"), "utf8")) as { bad: string[] };

  test(`${folder}: bad fixture fires exactly this rule`, async () => {
    const findings = await check(fixture(folder, "bad"));
    const others = findings.filter((f) => f.rule !== folder);
    assert.equal(
      others.map((f) => `${f.rule}: ${label(f)}: ${f.message}`),
      [],
      "other rules or schema errors fired",
    );
    assert.equal(findings.map(label).sort(), [...expected.bad].sort());
    for (const f of findings) {
      assert.not.ok(f.waived, `${label(f)} is waived`);
      assert.ok(f.message.length > 0 && f.remediation.length > 0);
    }
  });

  test(`${folder}: good fixture stays quiet`, async () => {
    const findings = await check(fixture(folder, "good"));
    assert.equal(
      findings.map((f) => `${f.rule}: ${label(f)}: ${f.message}`),
      [],
    );
  });
}

test.run();
