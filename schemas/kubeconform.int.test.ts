// Second opinion: the pinned kubeconform, run with -strict on our schema set (written in its local
// layout), agrees with our schema pass on valid objects and on the errors both can see. kubeconform
// is never the gate's only check; this only proves our schemas and our validator say the same.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseYamlFile } from "../policies/engine/load.ts";
import { kubeconformFileName, writeKubeconformSchemas } from "./kubeconform.ts";
import { SchemaRegistry, validateObjects } from "./validate.ts";

const ROOT = join(import.meta.dirname, "..");
const KUBECONFORM = join(ROOT, ".tools", "bin", "kubeconform");
const work = mkdtempSync(join(tmpdir(), "kubeconform-test-"));
const schemas = writeKubeconformSchemas(join(work, "schemas"), "1.33");
const registry = new SchemaRegistry("1.33");

function kubeconform(file: string): { valid: boolean; output: string } {
  const result = spawnSync(
    KUBECONFORM,
    ["-strict", "-kubernetes-version", "1.33.0", "-schema-location", schemas, "-output", "json", file],
    {
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { valid: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function ours(file: string, text: string): boolean {
  const { objects, findings } = parseYamlFile(file, text);
  return findings.length === 0 && validateObjects(objects, registry).length === 0;
}

const cases: Record<string, { yaml: string; valid: boolean }> = {
  "valid-deployment": {
    valid: true,
    yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: demo}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: a, image: 'x:1'}]}\n",
  },
  "nested-typo": {
    valid: false,
    yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: demo}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: a, image: 'x:1', imagePullPolcy: Always}]}\n",
  },
  "root-typo-crd": {
    valid: false,
    yaml: "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\nspce: {}\nspec:\n  project: p\n  destination: {server: https://kubernetes.default.svc, namespace: x}\n",
  },
  "duplicate-key": {
    valid: false,
    yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: demo}\ndata:\n  a: '1'\n  a: '2'\n",
  },
  "wrong-type": {
    valid: false,
    yaml: "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: demo}\nspec:\n  ports: [{port: '80'}]\n",
  },
  "valid-servicemonitor": {
    valid: true,
    yaml: "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a, namespace: demo}\nspec:\n  selector: {matchLabels: {app: a}}\n  endpoints: [{port: http, interval: 30s}]\n",
  },
};

test("the layout uses kubeconform's file names", () => {
  assert.is(kubeconformFileName("apps/v1", "Deployment"), "deployment-apps-v1.json");
  assert.is(kubeconformFileName("v1", "Service"), "service-v1.json");
  assert.is(kubeconformFileName("monitoring.coreos.com/v1", "ServiceMonitor"), "servicemonitor-monitoring-v1.json");
});

for (const [name, { yaml, valid }] of Object.entries(cases)) {
  test(`${name}: ours and kubeconform -strict both say ${valid ? "valid" : "invalid"}`, () => {
    const file = join(work, `${name}.yaml`);
    writeFileSync(file, yaml);
    assert.is(ours(file, yaml), valid, "our schema pass");
    const second = kubeconform(file);
    assert.is(second.valid, valid, `kubeconform: ${second.output}`);
  });
}

test.after(() => rmSync(work, { recursive: true, force: true }));
test.run();
