// The real CLI as CI and people run it: exit codes 0/1/2, the formats, path selection.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const ROOT = join(import.meta.dirname, "..");

function validate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["policies/cli.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const BAD = "policies/rules/k8s-image-pinned/bad.yaml";
const GOOD = "policies/rules/k8s-image-pinned/good.yaml";

test("exit 0 and a clean summary when nothing is wrong", () => {
  const { status, stdout } = validate(GOOD, "--no-config-checks");
  assert.is(status, 0, stdout);
  assert.match(stdout, /^0 error\(s\), 0 warning\(s\), 0 waived — 1 file\(s\), 3 object\(s\) checked/m);
});

test("exit 1 with findings grouped under the file", () => {
  const { status, stdout } = validate(BAD, "--no-config-checks");
  assert.is(status, 1);
  assert.match(stdout, new RegExp(`^${BAD.replace(/\./g, "\\.")}$`, "m"));
  assert.match(
    stdout,
    /Deployment demo\/demo-api spec\.template\.spec\.containers\[0\]\.image: image "ghcr\.io\/greenlang\/demo-api:latest" uses the latest tag \[k8s-image-pinned\]/,
  );
});

test("--format json prints an array of findings", () => {
  const { status, stdout } = validate(BAD, "--no-config-checks", "--format", "json");
  assert.is(status, 1);
  const findings = JSON.parse(stdout) as { rule: string; file: string; waived: boolean }[];
  assert.equal([...new Set(findings.map((f) => f.rule))], ["k8s-image-pinned"]);
  assert.ok(findings.every((f) => f.file === BAD && f.waived === false));
});

test("--format sarif and github", () => {
  const sarif = validate(BAD, "--no-config-checks", "--format=sarif");
  assert.is(JSON.parse(sarif.stdout).runs[0].results.length, 2);
  const github = validate(BAD, "--no-config-checks", "--format", "github");
  assert.is(
    github.stdout
      .trimEnd()
      .split("\n")
      .filter((l) => l.startsWith("::error ")).length,
    2,
  );
});

test("one file of a cluster is checked with its whole cluster as context", () => {
  // The Service's workload, the namespace's deny-all policy and the tail-sampling gateway's
  // front tier all live in other files: checked alone, they would look missing.
  const files = [
    "clusters/prod/tempo/service-tempo-distributor.yaml",
    "clusters/prod/otel-collector/configmap-otel-collector-gateway.yaml",
  ];
  const { status, stdout } = validate(...files, "--no-config-checks");
  assert.is(status, 0, stdout);
  assert.match(stdout, /— 2 file\(s\), 2 object\(s\) checked/);
});

test("--kube-version picks the schema set; an unsupported one is one finding, not one per object", () => {
  assert.is(validate(GOOD, "--no-config-checks", "--kube-version", "1.36").status, 0);
  const { status, stdout } = validate(GOOD, "--no-config-checks", "--kube-version", "1.20", "--format", "json");
  assert.is(status, 1);
  const findings = JSON.parse(stdout) as { rule: string; message: string }[];
  assert.equal(
    findings.map((f) => `${f.rule}: ${f.message}`),
    ["schema-kubernetes-version: Kubernetes 1.20 has no schemas (supported: 1.32, 1.33, 1.34, 1.35, 1.36)"],
  );
});

test("exit 2 on usage errors, with the usage text", () => {
  for (const args of [["--format", "xml"], ["--bogus"], ["no/such/path.yaml"], ["--kube-version", "latest"]]) {
    const { status, stderr } = validate(...args);
    assert.is(status, 2, args.join(" "));
    assert.match(stderr, /usage: npm run validate/);
  }
});

test("--list-rules names every rule", () => {
  const { status, stdout } = validate("--list-rules");
  assert.is(status, 0);
  for (const id of [
    "k8s-requests-limits",
    "argocd-path-exists",
    "otel-memory-limiter-first",
    "tf-providers-pinned",
    "schema-unknown-field",
  ]) {
    assert.match(stdout, new RegExp(`^${id} `, "m"));
  }
});

test.run();
