// Config checks with the real tools: otelcol validate rejects a Collector config the pinned build
// cannot run, helm lint --strict rejects a broken chart, and the Tempo key schema (when the Tempo
// part's checker is there) rejects an unknown key. Each also stays quiet on a good input.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import { parseYamlFile } from "../engine/load.ts";
import { checkTempo, helmLintTasks, otelcolTasks } from "./checks.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "gate-config-"));

function collectorConfigMap(config: unknown): string {
  return stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "otel", namespace: "otel-collector" },
    data: { "relay.yaml": stringify(config) },
  });
}

const goodCollector = {
  receivers: { otlp: { protocols: { grpc: { endpoint: `\${env:MY_POD_IP}:4317` } } } },
  processors: { memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 }, batch: {} },
  exporters: { otlp_grpc: { endpoint: "tempo.tempo.svc.cluster.local:4317", tls: { insecure: true } } },
  service: {
    pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp_grpc"] } },
  },
};

async function otelcol(config: unknown) {
  const { objects } = parseYamlFile("clusters/dev/otel-collector/configmap.yaml", collectorConfigMap(config));
  return (await Promise.all(otelcolTasks(objects).map((t) => t()))).flat();
}

test("otelcol validate accepts a config of the pinned components", async () => {
  assert.equal(await otelcol(goodCollector), []);
});

test("otelcol validate rejects a component the build does not have", async () => {
  const bad = structuredClone(goodCollector);
  const processors: Record<string, unknown> = { ...bad.processors, groupbytrace: {} };
  bad.service.pipelines.traces.processors = ["memory_limiter", "groupbytrace", "batch"];
  const [finding, ...rest] = await otelcol({ ...bad, processors });
  assert.equal(rest, []);
  assert.is(finding?.rule, "otelcol-validate");
  assert.is(finding?.path, 'data["relay.yaml"]');
  assert.match(finding?.message ?? "", /groupbytrace/);
});

function chart(name: string, template: string): string {
  const dir = join(work, "apps", name);
  mkdirSync(join(dir, "templates"), { recursive: true });
  mkdirSync(join(dir, "ci"), { recursive: true });
  writeFileSync(
    join(dir, "Chart.yaml"),
    `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0.0"\nicon: https://example.invalid/icon.png\n`,
  );
  writeFileSync(join(dir, "values.yaml"), "replicas: 1\n");
  writeFileSync(join(dir, "ci", "dev-values.yaml"), "replicas: 2\n");
  writeFileSync(join(dir, "templates", "configmap.yaml"), template);
  return `apps/${name}`;
}

test("helm lint --strict passes a sound chart and fails a broken template, naming the values file", async () => {
  const good = chart(
    "good",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
  );
  const bad = chart("bad", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }\n");
  const run = async (c: string) =>
    (await Promise.all((await helmLintTasks(work, [c], () => "1.33.0")).map((t) => t()))).flat();
  assert.equal(await run(good), []);
  const [finding, ...rest] = await run(bad);
  assert.equal(rest, []);
  assert.is(finding?.rule, "helm-lint");
  assert.is(finding?.file, "apps/bad/ci/dev-values.yaml");
  assert.match(finding?.message ?? "", /\[ERROR\]/);
});

const tempoChecker = existsSync(join(ROOT, "apps", "tempo", "config-schema", "check.ts"));

test("the rendered Tempo config is checked against Tempo 2.7's keys", async () => {
  const configMap = (config: unknown) =>
    parseYamlFile(
      "clusters/dev/tempo/configmap.yaml",
      stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "tempo", namespace: "tempo" },
        data: { "tempo.yaml": stringify(config) },
      }),
    ).objects;
  const good = {
    server: { http_listen_port: 3200 },
    storage: { trace: { backend: "local", local: { path: "/var/tempo/traces" }, wal: { path: "/var/tempo/wal" } } },
  };
  const result = await checkTempo(ROOT, configMap(good));
  if (!tempoChecker) {
    assert.is(result, null, "without the Tempo part's checker the check reports itself skipped");
    return;
  }
  assert.equal(result, []);
  const bad = { ...good, querier: { querier_forget_delay: "1m" } };
  const findings = (await checkTempo(ROOT, configMap(bad))) ?? [];
  assert.ok(findings.length > 0, "a removed key passed");
  assert.ok(
    findings.every((f) => f.rule === "tempo-config" && f.path.startsWith('data["tempo.yaml"]')),
    JSON.stringify(findings),
  );
});

test.after(() => rmSync(work, { recursive: true, force: true }));
test.run();
