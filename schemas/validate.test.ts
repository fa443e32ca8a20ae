// The strict schema pass: unknown fields at the root and nested (built-ins and CRDs), duplicate
// keys, wrong types and missing required fields each fail with the file, the object and the field
// path; true maps and preserve-unknown-fields nodes stay open.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { embeddedYamlProblems, parseYamlFile } from "../policies/engine/load.ts";
import type { Finding } from "../policies/engine/types.ts";
import { goPatternToJs, strictify } from "./strict.ts";
import { SchemaRegistry, validateObjects } from "./validate.ts";

const registry = new SchemaRegistry("1.33");

function check(yaml: string, file = "clusters/dev/demo/object.yaml"): Finding[] {
  const { objects, findings } = parseYamlFile(file, yaml);
  return [...findings, ...validateObjects(objects, registry)];
}

const configMap = (extra = "", data = "  level: info") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: demo
  labels:
    any-label/at-all: "yes"
  annotations:
    free.form/annotation: anything
${extra}data:
${data}
`;

const deployment = (container = "", spec = "  replicas: 2\n") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: demo
spec:
${spec}  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/greenlang/api:1.0.0
${container}`;

test("a valid object passes, with free-form labels, annotations and data", () => {
  assert.equal(check(configMap()), []);
  assert.equal(check(deployment()), []);
});

test("an unknown field at the root fails with file, object and path", () => {
  const [finding, ...rest] = check(configMap("spec: {}\n"));
  assert.equal(rest, []);
  assert.is(finding?.rule, "schema-unknown-field");
  assert.is(finding?.file, "clusters/dev/demo/object.yaml");
  assert.is(`${finding?.kind} ${finding?.namespace}/${finding?.name}`, "ConfigMap demo/settings");
  assert.is(finding?.path, "spec");
  assert.match(
    finding?.message ?? "",
    /unknown field "spec"; expected one of: apiVersion, binaryData, data, immutable, kind, metadata/,
  );
});

test("a typo nested deep in a pod template fails with its full path and a suggestion", () => {
  const [finding, ...rest] = check(deployment("          imagePullPolcy: Always\n"));
  assert.equal(rest, []);
  assert.is(finding?.rule, "schema-unknown-field");
  assert.is(finding?.path, "spec.template.spec.containers[0].imagePullPolcy");
  assert.match(finding?.message ?? "", /did you mean "imagePullPolicy"\?/);
});

test("a duplicate key fails with its path (and the document is still checked)", () => {
  const findings = check(deployment("", "  replicas: 2\n  replicas: 3\n"));
  assert.equal(
    findings.map((f) => `${f.rule} ${f.path} line ${f.line}`),
    ["yaml-duplicate-key spec.replicas line 8"],
  );
});

test("a duplicate key inside an embedded config (ConfigMap data) fails with its inner path", () => {
  const yaml = configMap(
    "",
    "  tempo.yaml: |\n    server:\n      http_listen_port: 3200\n      http_listen_port: 3100\n",
  );
  const { objects } = parseYamlFile("clusters/dev/tempo/configmap.yaml", yaml);
  assert.equal(
    embeddedYamlProblems(objects).map((f) => `${f.rule} ${f.kind} ${f.namespace}/${f.name} ${f.path}`),
    ['yaml-duplicate-key ConfigMap demo/settings data["tempo.yaml"].server.http_listen_port'],
  );
  assert.equal(
    embeddedYamlProblems(parseYamlFile("x.yaml", configMap("", "  tempo.yaml: |\n    server: {a: 1}\n")).objects),
    [],
  );
});

test("a wrong type fails with expected and found", () => {
  const [finding, ...rest] = check(deployment("", '  replicas: "2"\n'));
  assert.equal(rest, []);
  assert.is(finding?.rule, "schema-type");
  assert.is(finding?.path, "spec.replicas");
  assert.is(finding?.message, 'expected integer, found string "2"');
});

test("int-or-string fields accept both and reject anything else", () => {
  const ports = (port: string) =>
    `          ports: [{containerPort: 8080, name: http}]\n          readinessProbe:\n            httpGet: {path: /ready, port: ${port}}\n`;
  assert.equal(check(deployment(ports("http"))), []);
  assert.equal(check(deployment(ports("8080"))), []);
  const [finding] = check(deployment(ports("[8080]")));
  assert.is(finding?.path, "spec.template.spec.containers[0].readinessProbe.httpGet.port");
  assert.match(finding?.message ?? "", /expected string or integer, found a list/);
});

test("a missing required field fails with the path it belongs at", () => {
  const findings = check(deployment().replace("  selector:\n    matchLabels: {app: api}\n", ""));
  assert.equal(
    findings.map((f) => `${f.rule} ${f.path}: ${f.message}`),
    ['schema-required spec.selector: missing required field "selector"'],
  );
});

test("CRDs are strict at the root too (kubeconform -strict misses this one)", () => {
  const application = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: tempo, namespace: argocd}
spce: {}
spec:
  project: tracing
  source:
    repoURL: https://example.invalid/repo.git
    path: clusters/dev/tempo
    helm:
      valuesObject: {any: {nested: [values]}}
  destination: {server: https://kubernetes.default.svc, namespace: tempo, namspace: typo}
`;
  assert.equal(
    check(application).map((f) => `${f.rule} ${f.path}`),
    ["schema-unknown-field spce", "schema-unknown-field spec.destination.namspace"],
  );
});

test("CRD metadata is checked as ObjectMeta", () => {
  const monitor = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: tempo, namespace: tempo, lables: {a: b}}
spec:
  selector: {matchLabels: {app: tempo}}
  endpoints: [{port: http-metrics, interval: 30s}]
`;
  assert.equal(
    check(monitor).map((f) => `${f.rule} ${f.path}`),
    ["schema-unknown-field metadata.lables"],
  );
});

test("CRD patterns written for Go (a (?i) flag) work: case-insensitive values pass, others fail", () => {
  const rule = (strategy: string) => `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: tempo, namespace: tempo}
spec:
  groups:
    - name: tempo
      partial_response_strategy: ${strategy}
      rules: [{alert: TempoDown, expr: up == 0, for: 5m}]
`;
  assert.equal(check(rule("Warn")), []);
  assert.equal(check(rule("ABORT")), []);
  const [finding] = check(rule("maybe"));
  assert.is(finding?.path, "spec.groups[0].partial_response_strategy");
  assert.match(finding?.message ?? "", /expected to match .*found string "maybe"/);
});

test("an unknown apiVersion/kind is an error, not a skip", () => {
  const [finding] = check("apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: x, namespace: demo}\n");
  assert.is(finding?.rule, "schema-unknown-kind");
  assert.match(finding?.message ?? "", /no schema for apps\/v1 Deploymnt at Kubernetes 1\.33/);
});

test("a document without apiVersion or kind is reported", () => {
  const [finding] = check("metadata: {name: x}\n");
  assert.is(finding?.rule, "schema-required");
  assert.match(finding?.message ?? "", /missing apiVersion and kind/);
});

test("YAML syntax errors name the file and line", () => {
  const [finding] = check("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
  assert.is(finding?.rule, "yaml-syntax");
  assert.is(finding?.file, "clusters/dev/demo/object.yaml");
  assert.ok((finding?.line ?? 0) >= 1);
});

test("strictify closes objects with properties, keeps maps and preserve-unknown-fields open", () => {
  const schema = strictify({
    type: "object",
    properties: {
      labels: { type: "object", additionalProperties: { type: "string" } },
      free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { a: {} } },
      raw: { type: "object" },
      nested: { type: "array", items: { type: "object", properties: { b: { type: "string" } } } },
      literal: { enum: [{ properties: { untouched: true } }] },
    },
  });
  const at = (...keys: string[]): unknown =>
    keys.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], schema);
  assert.is(at("additionalProperties"), false);
  assert.equal(at("properties", "labels", "additionalProperties"), { type: "string" });
  assert.is(at("properties", "free", "additionalProperties"), undefined);
  assert.is(at("properties", "raw", "additionalProperties"), undefined);
  assert.is(at("properties", "nested", "items", "additionalProperties"), false);
  assert.equal(at("properties", "literal", "enum"), [{ properties: { untouched: true } }]);
});

test("Go's (?i) flag becomes both-case letters; other patterns are untouched", () => {
  assert.is(goPatternToJs("^(?i)(abort|warn)?$"), "^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$");
  assert.is(goPatternToJs("(?i)^x[a-c]\\d$"), "^[xX][a-cA-C]\\d$");
  assert.is(goPatternToJs("^[a-z0-9]+$"), "^[a-z0-9]+$");
});

test("every supported version loads and knows the kinds the tree renders", () => {
  for (const version of ["1.32", "1.33", "1.34", "1.35", "1.36"]) {
    const r = version === "1.33" ? registry : new SchemaRegistry(version);
    for (const kind of [
      "apps/v1/StatefulSet",
      "v1/Service",
      "networking.k8s.io/v1/NetworkPolicy",
      "argoproj.io/v1alpha1/AppProject",
      "monitoring.coreos.com/v1/PrometheusRule",
      "monitoring.coreos.com/v1/PodMonitor",
    ]) {
      const at = kind.lastIndexOf("/");
      assert.ok(r.has(kind.slice(0, at), kind.slice(at + 1)), `${version}: ${kind}`);
    }
  }
  assert.throws(() => new SchemaRegistry("1.20"), /no schemas for Kubernetes 1\.20/);
});

test.run();
