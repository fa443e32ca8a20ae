// Every pin has one home (tools/<tool>/tool.sh, tools/node/pin.env, generators/platform.ts); the
// copies that must exist elsewhere — the charts' appVersion and default image tags, the Collector
// builder's release, the README's table — are held to it here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { IMAGES } from "../../generators/platform.ts";
import { nodePin, ROOT, toolPin } from "./toolchain.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const yaml = (path: string) => parse(read(path)) as Record<string, unknown>;

test("the charts deploy the images generators/platform.ts pins (appVersion and default tag)", () => {
  for (const [chart, image] of [
    ["tempo", IMAGES.tempo],
    ["otel-collector", IMAGES.collector],
  ] as const) {
    assert.is(yaml(`apps/${chart}/Chart.yaml`).appVersion, image.tag, `apps/${chart}/Chart.yaml appVersion`);
    const values = yaml(`apps/${chart}/values.yaml`).image as { repository: string; tag: string };
    assert.equal([values.repository, values.tag], [image.repository, image.tag], `apps/${chart}/values.yaml image`);
  }
});

test("the Collector the tests build is the release of the image the clusters run", () => {
  const builder = yaml("tools/otelcol/builder-config.yaml") as { dist: { version: string } };
  assert.is(builder.dist.version, IMAGES.collector.tag);
  assert.is(toolPin("otelcol").version, `v${IMAGES.collector.tag}`);
});

test("the README's table states every pin as its home does", () => {
  const readme = read("README.md");
  const table = readme.slice(readme.indexOf("## Pinned versions"));
  const row = (home: string) => table.split("\n").find((line) => line.includes(`\`${home}`)) ?? "";
  assert.ok(row("tools/node/pin.env").includes(nodePin().version), "Node.js");
  for (const tool of readdirSync(join(ROOT, "tools"))) {
    let version: string;
    try {
      version = toolPin(tool).version;
    } catch {
      continue; // not a Go tool (node, tests, the kube-apiserver writer)
    }
    const line = row(
      tool === "otelcol"
        ? "tools/otelcol/builder-config.yaml"
        : /^kube-apiserver-1\.\d+$/.test(tool)
          ? "tools/kube-apiserver-1.<minor>/"
          : `tools/${tool}/`,
    );
    // Prometheus is pinned as a Go module version (v0.316.0) and named by its release (3.16.0).
    assert.ok(
      line.includes(version) || line.includes(version.replace(/^v/, "")),
      `README row of ${tool} (${version}): ${line}`,
    );
  }
  for (const image of Object.values(IMAGES)) {
    assert.ok(table.includes(`${image.repository}:${image.tag}`), `README names ${image.repository}:${image.tag}`);
  }
});

test.run();
