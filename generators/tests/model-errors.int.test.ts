// Bad models through the real CLI: the exact `file: field.path: expected (got value)` line, a
// non-zero exit, and not one byte written anywhere.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import prodInput from "../../clusters/prod/cluster.ts";
import type { Cluster } from "../model/types.ts";
import { resolveCluster } from "../model/validate.ts";
import { literalModel, removeScratch, runGenerate, scratchRepo, snapshot } from "./scratch.ts";

const prod = resolveCluster(prodInput, "clusters/prod/cluster.ts", "prod");

/** The complete prod model (itself a valid input), changed by `mutate`. Wrong types go in through Object.assign. */
function changed(mutate: (model: Cluster) => void): Cluster {
  const copy = structuredClone(prod);
  mutate(copy);
  return copy;
}

const F = "clusters/prod/cluster.ts";
const cases: [string, Cluster, string][] = [
  ["unknown key", changed((m) => Object.assign(m.tempo, { ingestMBPS: 20 })), `${F}: tempo.ingestMBPS: no such field`],
  [
    "wrong type",
    changed((m) => Object.assign(m.tempo, { retentionHours: "336h" })),
    `${F}: tempo.retentionHours: an integer from 1 to 8760 hours (got "336h")`,
  ],
  [
    "negative replicas",
    changed((m) => {
      m.tempo.compactor.replicas = -2;
    }),
    `${F}: tempo.compactor.replicas: an integer from 1 to 50 (got -2)`,
  ],
  [
    "bad account id",
    changed((m) => {
      m.identity.accountId = "12345";
    }),
    `${F}: identity.accountId: a 12-digit AWS account id, as a string (got "12345")`,
  ],
  [
    "bad region",
    changed((m) => {
      m.identity.region = "europe";
    }),
    `${F}: identity.region: an AWS region such as "eu-west-1" (got "europe")`,
  ],
  [
    "RF above ingesters",
    changed((m) => {
      m.tempo.ingester.replicas = 2;
    }),
    `${F}: tempo.replicationFactor: at most tempo.ingester.replicas (2) (got 3)`,
  ],
  [
    "zone-aware ingesters not a multiple of the zones",
    changed((m) => {
      m.tempo.ingester.replicas = 7;
    }),
    `${F}: tempo.ingester.replicas: a multiple of the 3 zones in scheduling.zones with tempo.ingester.zoneAware (the same number of ingesters in every zone) (got 7)`,
  ],
  [
    "prod monolithic",
    changed((m) => {
      m.tempo.mode = "monolithic";
    }),
    `${F}: tempo.mode: "distributed" in prod (got "monolithic")`,
  ],
  [
    "prod without TLS",
    changed((m) => {
      m.collector.tls.enabled = false;
    }),
    `${F}: collector.tls.enabled: true in prod (got false)`,
  ],
  [
    "short retention",
    changed((m) => {
      m.tempo.retentionHours = 6;
    }),
    `${F}: tempo.retentionHours: at least 24 hours`,
  ],
  [
    "bad percentage",
    changed((m) => Object.assign(m.collector.sampling.policies[4] as object, { percent: 101 })),
    `${F}: collector.sampling.policies[4].percent: a number from 0 to 100 percent (got 101)`,
  ],
  [
    "bad policy type",
    changed((m) => Object.assign(m.collector.sampling.policies[0] as object, { type: "head" })),
    `${F}: collector.sampling.policies[0].type: one of "errors", "latency", "services", "drop-paths", "probabilistic" (got "head")`,
  ],
  [
    "limit below request",
    changed((m) => {
      m.collector.gateway.resources.limits.memory = "1Gi";
    }),
    `${F}: collector.gateway.resources.limits.memory: at least the request (2Gi) (got "1Gi")`,
  ],
];

let root = "";
let before = new Map<string, string>();

test.before(async () => {
  root = await scratchRepo({ withTree: true });
  before = await snapshot(root);
});
test.after(async () => {
  await removeScratch(root);
});

for (const [title, input, expected] of cases) {
  test(`bad model (${title}): exit 1, names file and field, writes nothing`, async () => {
    const model = literalModel(input);
    await writeFile(join(root, F), model);
    const run = runGenerate(root);
    assert.is(run.status, 1, run.stdout + run.stderr);
    assert.ok(run.stderr.includes(expected), `expected "${expected}" in:\n${run.stderr}`);
    assert.ok(run.stderr.includes("generate: nothing written"));
    const after = await snapshot(root);
    after.set(F, before.get(F) as string);
    assert.equal(after, before);
  });
}

test("a model that does not load is reported against its file", async () => {
  await writeFile(join(root, F), "export default {{;\n");
  const run = runGenerate(root);
  assert.is(run.status, 1);
  assert.match(run.stderr, /^clusters\/prod\/cluster\.ts: default export: a module that loads \(got "/m);
});

test("--check with a bad model fails the same way and writes nothing", async () => {
  const model = changed((m) => {
    m.tempo.replicationFactor = 2;
  });
  await writeFile(join(root, F), literalModel(model));
  const run = runGenerate(root, "--check");
  assert.is(run.status, 1);
  assert.ok(run.stderr.includes(`${F}: tempo.replicationFactor: 3 in prod (got 2)`), run.stderr);
});

test("wrong usage exits 2", () => {
  assert.is(runGenerate(root, "--env", "qa").status, 2);
  assert.is(runGenerate(root, "--frobnicate").status, 2);
});

test.run();
