// Every tier's rendered Collector config passes `otelcol validate` with the binary built from
// tools/otelcol/ (same release and components as the deployed contrib image). The bad cases prove
// the check fires on a component the build lacks and on a key a component rejects.
// Limit found here: `validate` does not create processors, so a tail_sampling policy of an unknown
// type or an invalid RE2 pattern passes it (they fail only when the Collector starts).
// values.schema.json's enum of policy types stops the first (values-schema.test.ts), and
// starts.int.test.ts starts every rendered config for real to catch the rest.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import { type CollectorConfig, ENVS, OTELCOL, type RenderResult, render, runTool } from "./render.ts";

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "otelcol-validate-"));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
/** Runs `otelcol validate` on a config (text as rendered, or an object to serialise). */
async function validate(config: string | CollectorConfig): Promise<RenderResult> {
  const file = join(dir, `config-${counter++}.yaml`);
  await writeFile(file, typeof config === "string" ? config : stringify(config));
  // The pod gets MY_POD_IP from the Downward API; any address will do for validation.
  const result = await runTool(OTELCOL, ["validate", `--config=${file}`], { ...process.env, MY_POD_IP: "10.1.2.3" });
  // The Collector may log to stderr even on success; failure is the exit code.
  return result;
}

for (const env of ENVS) {
  test(`${env}: every tier's rendered config passes otelcol validate`, async () => {
    const r = await render(env);
    assert.ok(r.configTexts.size > 0);
    for (const [tier, text] of r.configTexts) {
      const result = await validate(text);
      assert.ok(result.ok, `${env} ${tier}: ${result.stderr}`);
    }
  });
}

// No cluster has a logs backend yet: the logs pipeline, rendered for one, on both receiving tiers.
const LOGS = {
  logs: { endpoint: "http://loki-gateway.loki.svc.cluster.local/otlp", namespace: "loki", port: 80, timeout: "10s" },
};

for (const env of ["dev", "staging"] as const) {
  test(`${env} with a logs backend: the receiving tier's logs pipeline passes otelcol validate`, async () => {
    const r = await render(env, LOGS);
    const tier = env === "dev" ? "collector" : "front";
    const config = r.configs.get(tier);
    assert.equal(config?.service.pipelines.logs.exporters, ["otlp_http/logs"]);
    assert.equal(config?.service.pipelines.logs.processors.at(0), "memory_limiter");
    assert.ok(config?.service.pipelines.logs.processors.includes("k8s_attributes"));
    assert.is(config?.exporters["otlp_http/logs"].endpoint, LOGS.logs.endpoint);
    const result = await validate(r.configTexts.get(tier) as string);
    assert.ok(result.ok, result.stderr);
    assert.is(r.configs.get("gateway")?.service.pipelines.logs, undefined, "the gateway has no logs to handle");
  });
}

async function gatewayConfig(): Promise<CollectorConfig> {
  const config = (await render("prod")).configs.get("gateway");
  if (!config) throw new Error("prod renders no gateway config");
  return config;
}

test("fails on a key a component rejects (a typo in tail_sampling)", async () => {
  const config = await gatewayConfig();
  config.processors.tail_sampling.decision_wiat = "5s";
  const result = await validate(config);
  assert.not.ok(result.ok);
  assert.match(result.stderr, "decision_wiat");
});

test("fails on a component the pinned build does not contain", async () => {
  const config = await gatewayConfig();
  config.processors.groupbytrace = { wait_duration: "10s" };
  config.service.pipelines.traces.processors.splice(1, 0, "groupbytrace");
  const result = await validate(config);
  assert.not.ok(result.ok);
  assert.match(result.stderr, 'unknown type: "groupbytrace"');
});

test("fails on a value of the wrong type (the load_balancing DNS resolver port is a string)", async () => {
  const config = (await render("staging")).configs.get("front");
  if (!config) throw new Error("staging renders no front config");
  config.exporters.load_balancing.resolver.dns.port = 4317;
  const result = await validate(config);
  assert.not.ok(result.ok);
  assert.match(result.stderr, "'port' expected type 'string'");
});

test.run();
