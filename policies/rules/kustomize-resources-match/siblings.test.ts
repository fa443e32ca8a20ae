// The part of kustomize-resources-match the fixtures cannot show (it needs a folder whose
// kustomization.yaml sits beside the object files): a rendered file left out of resources fires.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runGate } from "../../gate.ts";

const root = mkdtempSync(join(tmpdir(), "gate-kustomize-"));
const folder = join(root, "work", "app");
mkdirSync(folder, { recursive: true });
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: demo}\ndata: {a: "1"}\n`;
writeFileSync(join(folder, "configmap-a.yaml"), configMap("a"));
writeFileSync(join(folder, "configmap-b.yaml"), configMap("b"));

async function findings(resources: string[]): Promise<string[]> {
  const list = resources.map((r) => `  - ${r}`).join("\n");
  writeFileSync(
    join(folder, "kustomization.yaml"),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${list}\n`,
  );
  const result = await runGate({ root, paths: ["work/app"], configChecks: false });
  return result.findings.map((f) => `${f.rule} ${f.path}: ${f.message}`);
}

test("a folder whose kustomization lists every file passes", async () => {
  assert.equal(await findings(["configmap-a.yaml", "configmap-b.yaml"]), []);
});

test("a file beside the kustomization but not listed fires", async () => {
  assert.equal(await findings(["configmap-a.yaml"]), [
    "kustomize-resources-match resources: configmap-b.yaml is in the folder but not in resources: it would never be deployed",
  ]);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
