import { test } from "uvu";
import * as assert from "uvu/assert";
import devInput from "../../clusters/dev/cluster.ts";
import prodInput from "../../clusters/prod/cluster.ts";
import { resolveCluster } from "../model/validate.ts";
import { chartPolicy, collectorValues } from "./otel-collector.ts";

const dev = resolveCluster(devInput, "clusters/dev/cluster.ts", "dev");
const prod = resolveCluster(prodInput, "clusters/prod/cluster.ts", "prod");
// biome-ignore lint/suspicious/noExplicitAny: the tests read nested chart values whose shape the chart, not TypeScript, defines
type Values = Record<string, any>;

test("each model policy maps to the chart's policy type", () => {
  assert.equal(chartPolicy({ name: "e", type: "errors" }), { name: "e", type: "status_code", statusCodes: ["ERROR"] });
  assert.equal(chartPolicy({ name: "l", type: "latency", thresholdMs: 500 }), {
    name: "l",
    type: "latency",
    thresholdMs: 500,
  });
  assert.equal(chartPolicy({ name: "p", type: "probabilistic", percent: 5 }), {
    name: "p",
    type: "probabilistic",
    samplingPercentage: 5,
  });
  assert.equal(chartPolicy({ name: "s", type: "services", services: ["checkout-api"], percent: 50 }), {
    name: "s",
    type: "string_attribute",
    key: "service.name",
    values: ["checkout-api"],
    samplingPercentage: 50,
  });
  assert.equal(chartPolicy({ name: "d", type: "drop-paths", paths: ["/healthz"] }), {
    name: "d",
    type: "drop",
    key: "url.path",
    values: ["/healthz"],
  });
});

test("prod: two tiers to the distributor, mutual TLS issued by a cert-manager Certificate, the sampling policies in order", () => {
  const v = collectorValues(prod) as Values;
  assert.is(v.mode, "two-tier");
  assert.is(v.tempo.endpoint, "tempo-distributor.tempo.svc.cluster.local:4317");
  assert.equal(v.tls, {
    enabled: true,
    secretName: "otel-collector-tls",
    requireClientCert: true,
    minVersion: "1.3",
    certificate: {
      enabled: true,
      issuer: { kind: "ClusterIssuer", name: "greenlang-platform-ca" },
      duration: "2160h",
      renewBefore: "720h",
    },
  });
  assert.equal(
    v.sampling.policies.map((p: { name: string }) => p.name),
    ["drop-health-checks", "keep-errors", "keep-slow", "baseline", "checkout-half"],
  );
  assert.equal(Object.keys(v.tiers), ["front", "gateway"]);
  assert.not.ok("persistence" in v.tiers.front);
  assert.equal(v.tiers.gateway.persistence, { size: "20Gi", storageClassName: "gp3" });
  assert.is(v.topologySpread.zone, "DoNotSchedule");
});

test("dev: one tier to the monolithic Tempo, holding the queue itself, no sampling", () => {
  const v = collectorValues(dev) as Values;
  assert.is(v.mode, "single");
  assert.is(v.tempo.endpoint, "tempo.tempo.svc.cluster.local:4317");
  assert.equal(Object.keys(v.tiers), ["collector"]);
  assert.equal(v.tiers.collector.persistence, { size: "2Gi", storageClassName: "gp3" });
  assert.not.ok("sampling" in v);
  assert.equal(v.tls.enabled, false);
  assert.is(v.tls.secretName, "");
  // No TLS, no Certificate, whatever the cert-manager switch says.
  assert.is(v.tls.certificate.enabled, false);
});

test("the OTLP allow list is the model's client namespaces", () => {
  assert.equal((collectorValues(prod) as Values).networkPolicy.allowedNamespaces, prod.network.otlpClientNamespaces);
});

test.run();
