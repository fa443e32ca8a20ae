// The four report formats over the same findings: JSON has exactly the contract's fields, SARIF
// is 2.1.0 with waived results suppressed, GitHub annotations are escaped, text groups by file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Finding } from "../engine/types.ts";
import { RULES } from "../rules/index.ts";
import { formatGithub } from "./github.ts";
import { formatJson } from "./json.ts";
import { formatSarif } from "./sarif.ts";
import { formatText, summarize } from "./text.ts";

const open: Finding = {
  file: "clusters/prod/tempo/statefulset-tempo-ingester.yaml",
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  namespace: "tempo",
  name: "tempo-ingester",
  path: "spec.template.spec.containers[0].image",
  rule: "k8s-image-pinned",
  severity: "error",
  message: 'image "grafana/tempo:latest" uses the latest tag',
  remediation: "Use an explicit version tag.",
  waived: false,
  line: 2,
};
const waived: Finding = {
  ...open,
  rule: "k8s-probes",
  message: "no livenessProbe, 100%, a,b:c",
  waived: true,
  waiver: "probes come with 2.8",
};
const other: Finding = {
  ...open,
  file: "terraform/modules/x/main.tf",
  kind: "terraform",
  apiVersion: "",
  namespace: "",
  name: "aws_kms_key.k",
  path: "enable_key_rotation",
  rule: "tf-kms-rotation",
  line: undefined as unknown as number,
  severity: "warning",
};
const findings = [open, waived, other];

test("json: an array of findings with exactly the contract's fields", () => {
  const rows = JSON.parse(formatJson(findings)) as Record<string, unknown>[];
  assert.is(rows.length, 3);
  assert.equal(Object.keys(rows[0] ?? {}), [
    "file",
    "apiVersion",
    "kind",
    "namespace",
    "name",
    "path",
    "rule",
    "severity",
    "message",
    "remediation",
    "waived",
  ]);
  assert.is(rows[1]?.waived, true);
});

test("sarif: 2.1.0, rules described, locations with lines, waived results suppressed", () => {
  const log = JSON.parse(formatSarif(findings, RULES));
  assert.is(log.version, "2.1.0");
  const run = log.runs[0];
  assert.equal(run.tool.driver.rules.map((r: { id: string }) => r.id).sort(), [
    "k8s-image-pinned",
    "k8s-probes",
    "tf-kms-rotation",
  ]);
  assert.is(run.results[0].locations[0].physicalLocation.region.startLine, 2);
  assert.is(run.results[0].level, "error");
  assert.is(run.results[2].level, "warning");
  assert.is(run.results[1].suppressions[0].justification, "probes come with 2.8");
  assert.is(run.results[0].suppressions, undefined);
});

test("github: one escaped workflow command per finding; waived ones are notices", () => {
  const lines = formatGithub(findings).trimEnd().split("\n");
  assert.is(lines.length, 3);
  assert.match(
    lines[0] ?? "",
    /^::error file=clusters\/prod\/tempo\/statefulset-tempo-ingester\.yaml,line=2,title=k8s-image-pinned::StatefulSet tempo\/tempo-ingester spec/,
  );
  assert.match(lines[1] ?? "", /^::notice .*no livenessProbe, 100%25, a,b:c \(waived: probes come with 2\.8\)$/);
  assert.match(lines[2] ?? "", /^::warning file=terraform\/modules\/x\/main\.tf,title=tf-kms-rotation::/);
});

test("text: grouped by file with object, field path, rule, remediation and a summary", () => {
  const text = formatText(findings, { files: 2, objects: 1 });
  assert.match(
    text,
    /^clusters\/prod\/tempo\/statefulset-tempo-ingester\.yaml\n {2}error {3}:2 StatefulSet tempo\/tempo-ingester spec\.template\.spec\.containers\[0\]\.image: image "grafana\/tempo:latest" uses the latest tag \[k8s-image-pinned\]\n {10}fix: Use an explicit version tag\./,
  );
  assert.match(text, /waived {2}:2 StatefulSet .*\[k8s-probes\]\n {10}waiver: probes come with 2\.8/);
  assert.match(text, /\nterraform\/modules\/x\/main\.tf\n {2}warning aws_kms_key\.k enable_key_rotation/);
  assert.match(text, /1 error\(s\), 1 warning\(s\), 1 waived — 2 file\(s\), 1 object\(s\) checked\n$/);
  assert.equal(summarize(findings), { errors: 1, warnings: 1, waived: 1 });
});

test.run();
