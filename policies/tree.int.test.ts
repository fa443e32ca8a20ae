// The committed tree passes the gate: every rendered cluster, the Terraform stacks and modules,
// and every chart (helm lint), with no unwaived error. This is what CI's gate step runs. And prod's
// Collector TLS Secret: without the Certificate that issues it, the gate says so.
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { removeScratch, runGenerate, scratchRepo } from "../generators/tests/scratch.ts";
import { runGate } from "./gate.ts";

const ROOT = join(import.meta.dirname, "..");

test("the committed clusters/, terraform/ and charts pass with no unwaived error", async () => {
  const result = await runGate({ root: ROOT, paths: [] });
  const open = result.findings.filter((f) => !f.waived && f.severity === "error");
  assert.equal(
    open.map((f) => `${f.file} ${f.kind} ${f.namespace}/${f.name} ${f.path}: ${f.message} [${f.rule}]`),
    [],
  );
  assert.ok(result.objects > 0, "no rendered object was checked");
});

test("prod without collector.tls.certManager renders no Certificate, and k8s-secret-volume-issued names the Secret the front tier mounts", async () => {
  const root = await scratchRepo();
  try {
    const model = join(root, "clusters", "prod", "cluster.ts");
    const text = readFileSync(model, "utf8");
    const edited = text.replace(
      'tls: { secretName: "otel-collector-tls",',
      'tls: { certManager: false, secretName: "otel-collector-tls",',
    );
    assert.is.not(edited, text, "the prod model no longer states tls as this test expects");
    writeFileSync(model, edited);
    const run = runGenerate(root, "--env", "prod");
    assert.is(run.status, 0, run.stdout + run.stderr);
    for (const shared of ["schemas", "policies"]) symlinkSync(join(ROOT, shared), join(root, shared));
    const result = await runGate({ root, paths: ["clusters/prod"], configChecks: false });
    assert.equal(
      result.findings.filter((f) => !f.waived).map((f) => `${f.rule} ${f.kind} ${f.namespace}/${f.name} ${f.path}`),
      [
        "k8s-secret-volume-issued Deployment otel-collector/otel-collector-front spec.template.spec.volumes[1].secret.secretName",
      ],
    );
  } finally {
    await removeScratch(root);
  }
});

test.run();
