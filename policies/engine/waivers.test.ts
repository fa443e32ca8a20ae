// Waivers: an annotation with a reason or a waivers.yaml entry marks the finding waived (it stays
// in the report); a waiver without a reason, expired, or naming an unknown rule is an error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runGate } from "../gate.ts";

const root = mkdtempSync(join(tmpdir(), "gate-waivers-"));
mkdirSync(join(root, "policies"), { recursive: true });
mkdirSync(join(root, "work"), { recursive: true });

/** A ConfigMap in `default`: trips k8s-no-default-namespace and nothing else. */
function configMap(annotations: Record<string, string> = {}): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\n${lines.length ? `  annotations:\n${lines.join("\n")}\n` : ""}data: {level: info}\n`;
}

async function gate(file: string, yaml: string, waivers = "waivers: []\n") {
  writeFileSync(join(root, "work", file), yaml);
  writeFileSync(join(root, "policies", "waivers.yaml"), waivers);
  const { findings } = await runGate({ root, paths: [`work/${file}`], configChecks: false, today: "2026-06-01" });
  return findings.map((f) => `${f.rule} ${f.waived ? "waived" : "open"}${f.waiver ? ` (${f.waiver})` : ""} ${f.path}`);
}

test("without a waiver the finding is open", async () => {
  assert.equal(await gate("a.yaml", configMap()), ["k8s-no-default-namespace open metadata.namespace"]);
});

test("an annotation with a reason waives it; the finding stays in the report", async () => {
  const yaml = configMap({
    "policy.greenlang.io/waive.k8s-no-default-namespace": "legacy consumer reads it from default",
  });
  assert.equal(await gate("b.yaml", yaml), [
    "k8s-no-default-namespace waived (legacy consumer reads it from default) metadata.namespace",
  ]);
});

test("an annotation without a reason is an error and waives nothing", async () => {
  const yaml = configMap({ "policy.greenlang.io/waive.k8s-no-default-namespace": " " });
  assert.equal((await gate("c.yaml", yaml)).sort(), [
    "k8s-no-default-namespace open metadata.namespace",
    'waiver-invalid open metadata.annotations["policy.greenlang.io/waive.k8s-no-default-namespace"]',
  ]);
});

test("an annotation naming an unknown rule is an error", async () => {
  const yaml = configMap({ "policy.greenlang.io/waive.k8s-no-defualt-namespace": "typo in the id" });
  const found = await gate("d.yaml", yaml);
  assert.ok(
    found.includes('waiver-invalid open metadata.annotations["policy.greenlang.io/waive.k8s-no-defualt-namespace"]'),
    found.join("\n"),
  );
  assert.ok(found.includes("k8s-no-default-namespace open metadata.namespace"));
});

test("a waivers.yaml entry waives findings under its target, with reason and expiry", async () => {
  const waivers =
    "waivers:\n  - rule: k8s-no-default-namespace\n    target: work/e.yaml#ConfigMap/default/settings\n    reason: migrated next quarter\n    expires: 2026-09-30\n";
  assert.equal(await gate("e.yaml", configMap(), waivers), [
    "k8s-no-default-namespace waived (migrated next quarter (waivers.yaml, expires 2026-09-30)) metadata.namespace",
  ]);
});

test("an entry for another object does not apply", async () => {
  const waivers =
    "waivers:\n  - rule: k8s-no-default-namespace\n    target: work/f.yaml#ConfigMap/default/other\n    reason: not this one\n    expires: 2026-09-30\n";
  assert.equal(await gate("f.yaml", configMap(), waivers), ["k8s-no-default-namespace open metadata.namespace"]);
});

test("an expired entry is an error and waives nothing", async () => {
  const waivers =
    "waivers:\n  - rule: k8s-no-default-namespace\n    target: work/\n    reason: temporary\n    expires: 2026-05-31\n";
  assert.equal((await gate("g.yaml", configMap(), waivers)).sort(), [
    "k8s-no-default-namespace open metadata.namespace",
    "waiver-invalid open waivers[0].expires",
  ]);
});

test("an entry without a reason, or with an unknown rule or field, is an error", async () => {
  const waivers =
    "waivers:\n  - rule: k8s-no-default-namespace\n    target: work/\n    expires: 2026-09-30\n  - rule: no-such-rule\n    target: work/\n    reason: x\n    expires: 2026-09-30\n    owner: someone\n";
  assert.equal((await gate("h.yaml", configMap(), waivers)).sort(), [
    "k8s-no-default-namespace open metadata.namespace",
    "waiver-invalid open waivers[0].reason",
    "waiver-invalid open waivers[1].owner",
    "waiver-invalid open waivers[1].rule",
  ]);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
