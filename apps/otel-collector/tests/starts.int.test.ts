// Every tier of every mode starts with its rendered config. `otelcol validate` does not instantiate
// processors, so what only fails when components are created (a tail_sampling policy type, an
// invalid RE2 pattern in a sampling or redaction rule) is caught here, before a cluster sees it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startCollector, startStore, stopAll } from "./collector-process.ts";
import { forLoopback, loopbackPorts } from "./loopback.ts";
import { type CollectorConfig, ENVS, render } from "./render.ts";

let dir = "";
let store: Awaited<ReturnType<typeof startStore>> | undefined;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "otelcol-starts-"));
  store = await startStore(dir);
});
test.after(async () => {
  await stopAll();
  await rm(dir, { recursive: true, force: true });
});

/** The loopback copy of a tier's config: servers on free ports, Tempo and gateway → the store, TLS files → none. */
async function runnable(tier: string, rendered: CollectorConfig, name: string): Promise<CollectorConfig> {
  if (!store) throw new Error("store not started");
  const config = forLoopback(rendered, await loopbackPorts(), {
    tempo: rendered.exporters["otlp_grpc/tempo"] ? store.endpoint : undefined,
    queueDir: rendered.extensions["file_storage/queue"] ? join(dir, `${name}-queue`) : undefined,
  });
  // Certificates are exercised in tls.int.test.ts; here the receivers start without them.
  for (const protocol of Object.values(config.receivers.otlp.protocols) as CollectorConfig[]) delete protocol.tls;
  if (tier === "front") config.exporters.load_balancing.resolver = { static: { hostnames: [store.endpoint] } };
  return config;
}

for (const env of ENVS) {
  test(`${env}: every tier starts with its rendered config and reports healthy`, async () => {
    const r = await render(env);
    for (const [tier, rendered] of r.configs) {
      const name = `${env}-${tier}`;
      const collector = await startCollector(name, await runnable(tier, rendered, name), dir);
      await collector.stop();
    }
  });
}

test("a config that passes otelcol validate but cannot start is caught (invalid RE2 in a drop policy)", async () => {
  const r = await render("prod", {
    sampling: {
      policies: [{ name: "drop-broken", type: "drop", key: "url.path", values: ["(unclosed"], regex: true }],
    },
  });
  const rendered = r.configs.get("gateway");
  if (!rendered) throw new Error("prod renders no gateway config");
  const failure = await startCollector("prod-gateway-broken", await runnable("gateway", rendered, "broken"), dir).then(
    async (c) => {
      await c.stop();
      return "";
    },
    (error: Error) => error.message,
  );
  assert.match(failure, "exited with");
  assert.match(failure, "(unclosed");
});

test("an unknown tail_sampling policy type passes otelcol validate but is caught at start", async () => {
  const rendered = (await render("staging")).configs.get("gateway");
  if (!rendered) throw new Error("staging renders no gateway config");
  const config = await runnable("gateway", rendered, "unknown-policy");
  config.processors.tail_sampling.policies.push({ name: "bogus", type: "errors_only" });
  const failure = await startCollector("staging-gateway-unknown-policy", config, dir).then(
    async (c) => {
      await c.stop();
      return "";
    },
    (error: Error) => error.message,
  );
  assert.match(failure, "unknown sampling policy type errors_only");
});

test.run();
