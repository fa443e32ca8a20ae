import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { BIN, nodePin, ROOT, toolPin } from "./toolchain.ts";

const run = (bin: string, args: string[]) => execFileSync(join(BIN, bin), args, { encoding: "utf8" });

test("node: the project runs on the pinned Node 24 (or a machine node at least NODE_MIN)", () => {
  const pin = nodePin();
  const pinned = join(ROOT, ".tools", "node", "bin", "node");
  if (existsSync(pinned)) assert.is(process.versions.node, pin.version, "tools/node.sh must prefer .tools/node");
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const [minMajor = 0, minMinor = 0] = pin.min.split(".").map(Number);
  assert.ok(
    major > minMajor || (major === minMajor && minor >= minMinor),
    `node ${process.versions.node} < ${pin.min}`,
  );
  assert.is(readFileSync(join(ROOT, ".nvmrc"), "utf8").trim(), pin.version, ".nvmrc and tools/node/pin.env disagree");
});

test("helm: .tools/bin/helm reports the pinned version", () => {
  const version = run("helm", ["version", "--template", "{{.Version}}"]).trim();
  assert.is(version, toolPin("helm").version);
});

test("kubeconform: .tools/bin/kubeconform reports the pinned version", () => {
  assert.is(run("kubeconform", ["-v"]).trim(), toolPin("kubeconform").version);
});

test("otelcol: `otelcol components` lists exactly the modules of the builder manifest", () => {
  const manifest = parse(readFileSync(join(ROOT, "tools", "otelcol", "builder-config.yaml"), "utf8")) as Record<
    string,
    { gomod: string }[]
  > & { dist: { version: string } };
  const components = parse(run("otelcol", ["components"])) as Record<string, { name: string; module: string }[]> & {
    buildinfo: { version: string };
  };
  assert.is(components.buildinfo.version, manifest.dist.version);
  assert.is(`v${manifest.dist.version}`, toolPin("otelcol").version, "tool.sh and builder-config.yaml disagree");
  for (const kind of ["receivers", "processors", "exporters", "extensions"]) {
    const wanted = (manifest[kind] ?? []).map((c) => c.gomod).sort();
    const built = (components[kind] ?? []).map((c) => c.module).sort();
    assert.equal(built, wanted, `${kind} differ between the manifest and the binary`);
  }
});

test("otelcol: the component type names the platform's configs rely on exist in the build", () => {
  const components = parse(run("otelcol", ["components"])) as Record<string, { name: string }[]>;
  const names = (kind: string) => new Set((components[kind] ?? []).map((c) => c.name));
  for (const name of [
    "memory_limiter",
    "batch",
    "k8s_attributes",
    "resource",
    "attributes",
    "transform",
    "redaction",
    "filter",
    "tail_sampling",
  ]) {
    assert.ok(names("processors").has(name), `processor ${name} missing`);
  }
  for (const name of ["otlp_grpc", "otlp_http", "load_balancing", "debug", "file"]) {
    assert.ok(names("exporters").has(name), `exporter ${name} missing`);
  }
  for (const name of ["health_check", "file_storage", "pprof", "zpages"]) {
    assert.ok(names("extensions").has(name), `extension ${name} missing`);
  }
  assert.ok(names("receivers").has("otlp"));
});

test("otelcol validate: rejects a config naming a component the build lacks", () => {
  const bad =
    "receivers: {otlp: {protocols: {http: {endpoint: 127.0.0.1:0}}}}\nexporters: {kafka: {}}\nservice: {pipelines: {traces: {receivers: [otlp], exporters: [kafka]}}}\n";
  let failed = false;
  try {
    execFileSync(join(BIN, "otelcol"), ["validate", `--config=yaml:${bad}`], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    failed = true;
    assert.match(String((error as { stderr?: string }).stderr), /kafka/);
  }
  assert.ok(failed, "otelcol validate accepted an unknown exporter");
});

test("jaeger: .tools/bin/jaeger reports the pinned version", () => {
  const { gitVersion } = JSON.parse(
    execFileSync(join(BIN, "jaeger"), ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  );
  assert.is(gitVersion, toolPin("jaeger").version);
  assert.ok(existsSync(join(ROOT, "tools", "jaeger", "go.sum")), "tools/jaeger must pin its dependencies");
});

test.run();
