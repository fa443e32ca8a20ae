// Tests generated from the rule folders: for every policies/rules/<id>/, the bad fixture trips
// exactly that rule, with the findings listed in expected.yaml (and nothing else, schema included),
// and the good fixture trips nothing. Also checks every folder is registered and described.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
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
// Their bad stacks are that same stack with a few edits (rules/<id>/bad.edits.yaml), so each bad
// fixture differs from the accepted stack in exactly what its rule is about.
const SHARED_TERRAFORM_GOOD = "policies/fixtures/terraform-good.tf";
const BAD_EDITS = "bad.edits.yaml";

interface Fixture {
  root: string;
  path: string;
}

/** The shared good stack with a folder's edits applied; each edit must match exactly once. */
function editedTerraformStack(folder: string): string {
  const editsFile = `${HERE}/${folder}/${BAD_EDITS}`;
  const edits = parse(readFileSync(join(ROOT, editsFile), "utf8")) as { replace: string; with: string }[];
  let stack = readFileSync(join(ROOT, SHARED_TERRAFORM_GOOD), "utf8");
  for (const [i, edit] of edits.entries()) {
    const occurrences = stack.split(edit.replace).length - 1;
    if (occurrences !== 1)
      throw new Error(
        `${editsFile}: [${i}].replace: expected exactly one occurrence in ${SHARED_TERRAFORM_GOOD} (got ${occurrences})`,
      );
    stack = stack.replace(edit.replace, () => edit.with);
  }
  return stack;
}

async function fixture(folder: string, which: "bad" | "good"): Promise<Fixture> {
  for (const extension of ["yaml", "tf"]) {
    const path = `${HERE}/${folder}/${which}.${extension}`;
    if (existsSync(join(ROOT, path))) return { root: ROOT, path };
  }
  if (which === "good" && folder.startsWith("tf-")) return { root: ROOT, path: SHARED_TERRAFORM_GOOD };
  if (which === "bad" && existsSync(join(ROOT, HERE, folder, BAD_EDITS))) {
    // The gate reads repository-relative paths: the edited stack gets a root of its own.
    const root = await mkdtemp(join(tmpdir(), `greenlang-${folder}-`));
    await writeFile(join(root, "bad.tf"), editedTerraformStack(folder));
    return { root, path: "bad.tf" };
  }
  throw new Error(`${HERE}/${folder} has no ${which} fixture`);
}

/** How expected.yaml names a finding: "<Kind> <ns>/<name> <path>" or "<terraform address> <path>". */
function label(f: Finding): string {
  if (f.kind === "terraform") return `${f.name} ${f.path}`;
  return `${f.kind} ${f.namespace}/${f.name} ${f.path}`;
}

async function check({ root, path }: Fixture): Promise<Finding[]> {
  try {
    // Fixtures are judged by the policy rules and the schema; config tools have their own tests.
    return (await runGate({ root, paths: [path], configChecks: false, today: "2026-01-01" })).findings;
  } finally {
    if (root !== ROOT) await rm(root, { recursive: true, force: true });
  }
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
    const findings = await check(await fixture(folder, "bad"));
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
    const findings = await check(await fixture(folder, "good"));
    assert.equal(
      findings.map((f) => `${f.rule}: ${label(f)}: ${f.message}`),
      [],
    );
  });
}

test.run();
