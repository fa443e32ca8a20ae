// The Collector's tail sampling and the SDK's head sampling agree: every url.path the chart's
// drop policies throw away is never sampled by a service's default settings, or a service would
// pay for spans the gateway discards. Lives here, not in sdk/, because it reads the chart (the
// SDK's own tests run outside this repository too).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { DEFAULT_IGNORE_PATHS } from "../../../sdk/src/config.ts";
import { createSampler } from "../../../sdk/src/sampler.ts";

test("every path the Collector's tail sampling drops is never sampled by the SDK's defaults", () => {
  const valuesFile = join(import.meta.dirname, "..", "values.yaml");
  const values = parse(readFileSync(valuesFile, "utf8")) as {
    sampling?: { policies?: { name: string; type: string; key?: string; values?: string[] }[] };
  };
  const dropped = (values.sampling?.policies ?? [])
    .filter((p) => p.type === "drop" && p.key === "url.path")
    .flatMap((p) => p.values ?? []);
  assert.ok(dropped.length > 0, `${valuesFile}: no tail-sampling drop policy on url.path found (sampling.policies)`);
  const sampler = createSampler({ serviceName: "any", ratio: 1, rules: [], ignorePaths: DEFAULT_IGNORE_PATHS });
  for (const path of dropped) {
    const traceId = randomBytes(16).toString("hex");
    const { decision } = sampler.shouldSample(ROOT_CONTEXT, traceId, "GET", SpanKind.SERVER, { "url.path": path }, []);
    assert.is(
      decision,
      SamplingDecision.NOT_RECORD,
      `${path} is dropped by the Collector (${valuesFile}) but sampled by default here`,
    );
  }
});

test.run();
