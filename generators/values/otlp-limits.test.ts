// The arithmetic between the gateways' request cap and Tempo's gRPC receive limit, on every
// committed cluster and on the cases that move it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import devInput from "../../clusters/dev/cluster.ts";
import prodInput from "../../clusters/prod/cluster.ts";
import stagingInput from "../../clusters/staging/cluster.ts";
import type { Cluster, ClusterInput } from "../model/types.ts";
import { resolveCluster } from "../model/validate.ts";
import { collectorValues } from "./otel-collector.ts";
import { COLLECTOR_MAX_REQUEST_BYTES, distributorMaxRecvMiB, ENVELOPE_MIB } from "./otlp-limits.ts";
import { tempoValues } from "./tempo.ts";

const MIB = 1024 * 1024;
const inputs: Record<string, ClusterInput> = { dev: devInput, staging: stagingInput, prod: prodInput };
const cluster = (env: string, maxTraceSizeMB?: number): Cluster => {
  const input = structuredClone(inputs[env]) as ClusterInput;
  if (maxTraceSizeMB !== undefined)
    input.tempo = { ...input.tempo, tenantLimits: { ...input.tempo?.tenantLimits, maxTraceSizeMB } };
  return resolveCluster(input, `clusters/${env}/cluster.ts`, env, { checkCapacity: false });
};

test("every cluster: the Collector's largest request and Tempo's largest trace fit under the distributor's limit", () => {
  for (const env of Object.keys(inputs)) {
    const c = cluster(env);
    const limitBytes = distributorMaxRecvMiB(c) * MIB;
    const cap = (collectorValues(c).tempo as { maxRequestBytes: number }).maxRequestBytes;
    const rendered = (tempoValues(c).distributor as { grpcMaxRecvMsgSizeMiB: number }).grpcMaxRecvMsgSizeMiB;
    assert.is(rendered, distributorMaxRecvMiB(c), `${env}: the Tempo values carry the limit`);
    assert.is(cap, COLLECTOR_MAX_REQUEST_BYTES, `${env}: the Collector values carry the cap`);
    // A full batch (8192 spans) of 1 KiB spans is exactly the cap; bigger spans make more requests.
    assert.is(8192 * 1024, cap);
    assert.ok(cap + ENVELOPE_MIB * MIB <= limitBytes, `${env}: cap ${cap} + envelope under ${limitBytes}`);
    const largestTrace = c.tempo.tenantLimits.maxTraceSizeMB * 1_000_000;
    assert.ok(largestTrace + ENVELOPE_MIB * MIB <= limitBytes, `${env}: a ${largestTrace}-byte span fits`);
    assert.ok(limitBytes > 4 * MIB, `${env}: above gRPC's 4 MiB default`);
  }
});

test("a tenant allowed bigger traces raises the limit with them; the cap alone sets the floor", () => {
  assert.is(distributorMaxRecvMiB(cluster("prod")), 9, "5 MB traces: the 8 MiB cap + 1");
  assert.is(distributorMaxRecvMiB(cluster("prod", 50)), 49, "50 MB traces: ceil(50e6 / 2^20) = 48, + 1");
  assert.is(distributorMaxRecvMiB(cluster("prod", 0.5)), 9);
});

test.run();
