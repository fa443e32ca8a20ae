// values.schema.json is strict: helm refuses to render bad values and names the field. Each case
// renders the dev or prod ci values plus one bad override through the real helm.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ENVS, type Env, helmTemplate } from "./render.ts";

for (const env of ENVS) {
  test(`${env}: the ci values pass the schema`, async () => {
    const result = await helmTemplate(env);
    assert.ok(result.ok, result.stderr);
  });
}

interface BadCase {
  what: string;
  env: Env;
  values: object;
  /** Fragments helm's message must contain: the field path and what was expected. */
  expect: string[];
}

const policy = (p: object) => ({
  sampling: { policies: [{ name: "keep-errors", type: "status_code", statusCodes: ["ERROR"] }, p] },
});

const CASES: BadCase[] = [
  {
    what: "unknown key at the root",
    env: "dev",
    values: { replicaCount: 3 },
    expect: ["at ''", "'replicaCount' not allowed"],
  },
  {
    what: "unknown key deep in a tier",
    env: "staging",
    values: { tiers: { front: { replica: 3 } } },
    expect: ["/tiers/front", "'replica' not allowed"],
  },
  {
    what: "a sampling percentage above 100",
    env: "staging",
    values: policy({ name: "baseline", type: "probabilistic", samplingPercentage: 120 }),
    expect: ["/sampling/policies/1/samplingPercentage", "maximum"],
  },
  {
    what: "a negative sampling percentage on a string_attribute policy",
    env: "staging",
    values: policy({
      name: "checkout",
      type: "string_attribute",
      key: "service.name",
      values: ["checkout"],
      samplingPercentage: -5,
    }),
    expect: ["/sampling/policies/1/samplingPercentage", "minimum"],
  },
  {
    what: "a policy type that does not exist",
    env: "staging",
    values: policy({ name: "errors-too", type: "errors" }),
    expect: ["/sampling/policies/1/type", "value must be one of", "'status_code'"],
  },
  {
    what: "a latency policy without its threshold",
    env: "staging",
    values: policy({ name: "slow", type: "latency" }),
    expect: ["/sampling/policies/1", "missing property 'thresholdMs'"],
  },
  {
    what: "a key that belongs to another policy type",
    env: "staging",
    values: policy({ name: "slow", type: "latency", thresholdMs: 100, samplingPercentage: 50 }),
    expect: ["/sampling/policies/1", "'samplingPercentage' not allowed"],
  },
  {
    what: "an unknown status code",
    env: "staging",
    values: policy({ name: "fatal", type: "status_code", statusCodes: ["FATAL"] }),
    expect: ["/sampling/policies/1/statusCodes/0", "'ERROR'"],
  },
  { what: "an unknown mode", env: "dev", values: { mode: "three-tier" }, expect: ["/mode", "'single', 'two-tier'"] },
  {
    what: "an unknown environment",
    env: "dev",
    values: { cluster: { name: "greenlang-dev", environment: "qa" } },
    expect: ["/cluster/environment", "'dev', 'staging', 'prod'"],
  },
  {
    what: "TLS on without a Secret name",
    env: "prod",
    values: { tls: { secretName: "" } },
    expect: ["/tls/secretName", "minLength"],
  },
  {
    what: "a Certificate without an issuer",
    env: "prod",
    values: { tls: { certificate: { issuer: { name: "" } } } },
    expect: ["/tls/certificate/issuer/name", "minLength"],
  },
  {
    what: "an issuer kind cert-manager does not have",
    env: "prod",
    values: { tls: { certificate: { issuer: { kind: "CA" } } } },
    expect: ["/tls/certificate/issuer/kind", "'ClusterIssuer', 'Issuer'"],
  },
  {
    what: "a memory limit GOMEMLIMIT cannot be derived from",
    env: "dev",
    values: { tiers: { collector: { resources: { limits: { memory: "1G" } } } } },
    expect: ["/tiers/collector/resources/limits/memory", "does not match pattern"],
  },
  {
    what: "a container without limits",
    env: "dev",
    values: { tiers: { collector: { resources: { limits: null } } } },
    expect: ["/tiers/collector/resources", "missing property 'limits'"],
  },
  {
    what: "the latest image tag",
    env: "dev",
    values: { image: { tag: "latest" } },
    expect: ["/image/tag", "does not match pattern"],
  },
  {
    what: "autoscaling on the gateway (it must keep a fixed pod set)",
    env: "prod",
    values: { tiers: { gateway: { autoscaling: { enabled: true } } } },
    expect: ["/tiers/gateway", "'autoscaling' not allowed"],
  },
  {
    what: "a Tempo endpoint with a scheme",
    env: "dev",
    values: { tempo: { endpoint: "http://tempo.tempo.svc.cluster.local:4317" } },
    expect: ["/tempo/endpoint", "does not match pattern"],
  },
  {
    what: "a namespace name that is not a DNS label",
    env: "dev",
    values: { networkPolicy: { allowedNamespaces: ["Checkout_Team"] } },
    expect: ["/networkPolicy/allowedNamespaces/0", "does not match pattern"],
  },
  {
    what: "a duration without a unit",
    env: "staging",
    values: { sampling: { decisionWait: 10 } },
    expect: ["/sampling/decisionWait", "want string"],
  },
];

for (const c of CASES) {
  test(`rejects ${c.what}`, async () => {
    const result = await helmTemplate(c.env, c.values);
    assert.not.ok(result.ok, `helm rendered values with ${c.what}`);
    assert.ok(result.stderr.includes("values don't meet the specifications of the schema"), result.stderr);
    for (const fragment of c.expect) {
      assert.ok(result.stderr.includes(fragment), `expected "${fragment}" in:\n${result.stderr}`);
    }
  });
}

test.run();
