// Every pin lives in versions.json; the copies other formats need are held to it here, each
// failure naming the copy and the value versions.json has: each tool's tool.sh, the Collector
// builder's release, .nvmrc and tools/node/pin.env, the charts' appVersion and default image tag,
// the CRD sources' go.mod, the README's table, the SDK's own copies of the development tools.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { IMAGES } from "../../generators/platform.ts";
import { VERSIONS } from "../../scripts/versions.ts";
import { nodePin, ROOT, toolPin } from "./toolchain.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const yaml = (path: string) => parse(read(path)) as Record<string, unknown>;
const bump = "versions.json says";

/** tools/<name>/ folders whose tool.sh pins a version of their own (promtool builds Prometheus's). */
function pinnedTools(): string[] {
  return readdirSync(join(ROOT, "tools")).filter(
    (tool) => existsSync(join(ROOT, "tools", tool, "tool.sh")) && /^TOOL_VERSION=/m.test(read(`tools/${tool}/tool.sh`)),
  );
}

test("every Go tool's tool.sh builds the version versions.json pins, and every pin has its tool", () => {
  const tools = pinnedTools();
  assert.equal([...tools].sort(), Object.keys(VERSIONS.tools).sort(), "tools/ and versions.json name the same tools");
  for (const tool of tools)
    assert.is(toolPin(tool).version, VERSIONS.tools[tool], `tools/${tool}/tool.sh TOOL_VERSION (${bump})`);
});

test("the generators deploy the images of versions.json; the charts' appVersion and default tag agree", () => {
  assert.equal(IMAGES, VERSIONS.images);
  for (const [chart, image] of [
    ["tempo", VERSIONS.images.tempo],
    ["otel-collector", VERSIONS.images.collector],
  ] as const) {
    assert.is(yaml(`apps/${chart}/Chart.yaml`).appVersion, image.tag, `apps/${chart}/Chart.yaml appVersion (${bump})`);
    const values = yaml(`apps/${chart}/values.yaml`).image as { repository: string; tag: string };
    assert.equal([values.repository, values.tag], [image.repository, image.tag], `apps/${chart}/values.yaml image`);
  }
});

test("the Collector the tests build is the release of the image the clusters run", () => {
  const builder = yaml("tools/otelcol/builder-config.yaml") as { dist: { version: string } };
  assert.is(builder.dist.version, VERSIONS.images.collector.tag, `tools/otelcol/builder-config.yaml (${bump})`);
  assert.is(VERSIONS.tools.otelcol, `v${VERSIONS.images.collector.tag}`, "versions.json: otelcol tool = image");
});

test("Node.js: .nvmrc and tools/node/pin.env pin the version of versions.json", () => {
  assert.is(read(".nvmrc").trim(), VERSIONS.node, `.nvmrc (${bump})`);
  assert.is(nodePin().version, VERSIONS.node, `tools/node/pin.env NODE_VERSION (${bump})`);
});

test("the CRD schemas are generated from the module versions of versions.json", () => {
  const required = new Map<string, string>();
  for (const source of readdirSync(join(ROOT, "schemas", "crdgen"))) {
    for (const line of read(`schemas/crdgen/${source}/go.mod`).split("\n")) {
      const match = /^\s*(?:require\s+)?(\S+)\s+(v\S+)/.exec(line);
      if (match?.[1] && match[2] && match[1] in VERSIONS.crdSources) {
        const seen = required.get(match[1]);
        assert.ok(seen === undefined || seen === match[2], `${match[1]}: one version across schemas/crdgen`);
        required.set(match[1], match[2]);
      }
    }
  }
  for (const [module, version] of Object.entries(VERSIONS.crdSources))
    assert.is(required.get(module), version, `schemas/crdgen go.mod: ${module} (${bump})`);
});

test("the README's table states every pin of versions.json", () => {
  const readme = read("README.md");
  const table = readme.slice(readme.indexOf("## Pinned versions"));
  const row = (home: string) =>
    table.split("\n").find((line) => line.startsWith("|") && line.includes(`\`${home}`)) ?? "";
  assert.ok(row("tools/node/").includes(VERSIONS.node), "Node.js row");
  for (const [tool, version] of Object.entries(VERSIONS.tools)) {
    const line = row(
      tool === "otelcol"
        ? "tools/otelcol/"
        : /^kube-apiserver-1\.\d+$/.test(tool)
          ? "tools/kube-apiserver-1.<minor>/"
          : `tools/${tool}/`,
    );
    assert.ok(
      line.includes(version) || line.includes(version.replace(/^v/, "")),
      `README row of ${tool} (${version}): ${line}`,
    );
  }
  for (const image of Object.values(VERSIONS.images))
    assert.ok(table.includes(`${image.repository}:${image.tag}`), `README names ${image.repository}:${image.tag}`);
});

test("the SDK's own development tools are the repository's versions (sdk/ builds and tests on its own too)", () => {
  const root = JSON.parse(read("package.json")) as { devDependencies: Record<string, string> };
  const sdk = JSON.parse(read("sdk/package.json")) as { devDependencies: Record<string, string> };
  for (const name of ["typescript", "uvu", "@types/node"])
    assert.is(sdk.devDependencies[name], root.devDependencies[name], `sdk/package.json devDependencies ${name}`);
});

test.run();
