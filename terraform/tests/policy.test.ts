// The gate's Terraform rules (`npm run validate`) over this part's code: the module and the stacks
// must pass, and the deliberately broken copy must trip exactly the nine Terraform rule ids of the
// contract — one per defect listed in fixtures/broken-tempo-storage/README.md.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoPath } from "./lib/hcl.ts";
import { BROKEN_MODULE_DIR, ENVIRONMENTS, environmentDir, MODULE_DIR, REPO_ROOT } from "./lib/paths.ts";

const TERRAFORM_RULES = [
  "tf-iam-no-wildcard",
  "tf-irsa-exact-subject",
  "tf-kms-rotation",
  "tf-providers-pinned",
  "tf-required-tags",
  "tf-s3-abort-multipart",
  "tf-s3-public-access-block",
  "tf-s3-sse-kms",
  "tf-s3-tls-only",
];

interface Finding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  waived: boolean;
}

/** npm from the same Node installation as this process, so the pinned Node runs the gate. */
function npmBinary(): string {
  const beside = join(dirname(process.execPath), "npm");
  return existsSync(beside) ? beside : "npm";
}

function validate(paths: string[]): { status: number | null; findings: Finding[]; raw: string } {
  const result = spawnSync(npmBinary(), ["run", "--silent", "validate", "--", ...paths, "--format", "json"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 120_000,
  });
  const raw = `exit ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  let findings: Finding[];
  try {
    findings = JSON.parse(result.stdout) as Finding[];
  } catch {
    throw new Error(`the gate's --format json output is not JSON:\n${raw}`);
  }
  assert.ok(Array.isArray(findings), `the gate's JSON output is not an array:\n${raw}`);
  return { status: result.status, findings, raw };
}

test("the module and the three stacks pass the gate's Terraform rules", () => {
  const paths = [MODULE_DIR, ...ENVIRONMENTS.map(environmentDir)].map(repoPath);
  const { status, findings, raw } = validate(paths);
  const terraformFindings = findings.filter((f) => f.rule.startsWith("tf-"));
  assert.equal(
    terraformFindings.map((f) => `${f.file}: ${f.rule}: ${f.message}`),
    [],
    "Terraform findings on the module or a stack",
  );
  assert.is(status, 0, `the gate failed on the module or a stack:\n${raw}`);
});

test("the broken copy trips exactly the nine Terraform rule ids, none waived", () => {
  const { status, findings, raw } = validate([repoPath(BROKEN_MODULE_DIR)]);
  assert.is(status, 1, `expected exit 1 (unwaived errors):\n${raw}`);
  const rules = [...new Set(findings.map((f) => f.rule))].sort();
  assert.equal(rules, TERRAFORM_RULES, `rule ids found:\n${raw}`);
  for (const rule of TERRAFORM_RULES) {
    const hits = findings.filter((f) => f.rule === rule);
    assert.ok(
      hits.some((f) => !f.waived),
      `${rule} is only reported waived:\n${JSON.stringify(hits, null, 2)}`,
    );
    for (const hit of hits) {
      assert.ok(hit.file.startsWith(repoPath(BROKEN_MODULE_DIR)), `${rule} points outside the fixture: ${hit.file}`);
    }
  }
});

test.run();
