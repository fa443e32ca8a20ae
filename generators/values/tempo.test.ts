import { test } from "uvu";
import * as assert from "uvu/assert";
import devInput from "../../clusters/dev/cluster.ts";
import prodInput from "../../clusters/prod/cluster.ts";
import stagingInput from "../../clusters/staging/cluster.ts";
import { resolveCluster } from "../model/validate.ts";
import { tempoValues } from "./tempo.ts";

const dev = resolveCluster(devInput, "clusters/dev/cluster.ts", "dev");
const prod = resolveCluster(prodInput, "clusters/prod/cluster.ts", "prod");
// biome-ignore lint/suspicious/noExplicitAny: the tests read nested chart values whose shape the chart, not TypeScript, defines
type Values = Record<string, any>;

test("prod: distributed on S3 with IRSA, replication factor 3, strict zone spread", () => {
  const v = tempoValues(prod) as Values;
  assert.is(v.mode, "distributed");
  assert.equal(v.storage, {
    backend: "s3",
    retention: "336h",
    s3: { bucket: "greenlang-prod-euw1-tempo-traces", region: "eu-west-1" },
  });
  assert.is(v.serviceAccount.roleArn, "arn:aws:iam::628374950112:role/greenlang-prod-euw1-tempo");
  assert.is(v.ingester.replicationFactor, 3);
  assert.is(v.ingester.replicas, 6);
  assert.is(v.ingester.persistence.storageClass, "gp3");
  assert.is(v.topologySpread.zoneWhenUnsatisfiable, "DoNotSchedule");
  assert.not.ok("monolithic" in v);
});

test("zone-aware ingesters get the model's zones; zone-blind ones none", () => {
  assert.equal((tempoValues(prod) as Values).ingester.zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  const staging = resolveCluster(stagingInput, "clusters/staging/cluster.ts", "staging");
  assert.equal((tempoValues(staging) as Values).ingester.zones, []);
});

test("tenant limits go to Tempo in bytes", () => {
  const v = tempoValues(prod) as Values;
  assert.is(v.limits.rateLimitBytes, 25_000_000);
  assert.is(v.limits.burstSizeBytes, 40_000_000);
  assert.is(v.limits.maxBytesPerTrace, 5_000_000);
});

test("the model's replicas become the HPA floor", () => {
  const v = tempoValues(prod) as Values;
  assert.equal(v.querier.autoscaling, {
    enabled: true,
    minReplicas: 10,
    maxReplicas: 20,
    targetCPUUtilizationPercentage: 70,
  });
});

test("dev: monolithic on a local volume, no role, no distributed components but the receivers' limit", () => {
  const v = tempoValues(dev) as Values;
  assert.is(v.mode, "monolithic");
  assert.equal(v.storage, { backend: "local", retention: "72h" });
  assert.is(v.serviceAccount.roleArn, "");
  assert.equal(v.monolithic.persistence, { size: "10Gi", storageClass: "gp3" });
  for (const key of ["ingester", "querier", "queryFrontend", "compactor"]) assert.not.ok(key in v, key);
  // The one pod runs the distributor's receivers: only their message limit is set.
  assert.equal(v.distributor, { grpcMaxRecvMsgSizeMiB: 9 });
});

test.run();
