// Model validation: every bad input names the file, the field path, what was expected and what
// was found; the three real clusters resolve.

import { test } from "uvu";
import * as assert from "uvu/assert";
import devInput from "../../clusters/dev/cluster.ts";
import prodInput from "../../clusters/prod/cluster.ts";
import stagingInput from "../../clusters/staging/cluster.ts";
import type { ClusterInput } from "./types.ts";
import { ModelError, resolveCluster } from "./validate.ts";

const inputs: Record<string, ClusterInput> = { dev: devInput, staging: stagingInput, prod: prodInput };

/** A deep copy of a real cluster's input with `path` (dotted, `[i]` for items) set to `value`. */
function withValue(environment: string, path: string, value: unknown): unknown {
  const copy = structuredClone(inputs[environment]) as Record<string, unknown>;
  const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

// The model's own rules; the Collector capacity check, which reads measurements, has its tests in
// generators/capacity/ (and one below that it runs here too).
function messagesOf(environment: string, input: unknown, checkCapacity = false): string[] {
  const file = `clusters/${environment}/cluster.ts`;
  try {
    resolveCluster(input, file, environment, { checkCapacity });
  } catch (error) {
    assert.instance(error, ModelError);
    return (error as ModelError).message.split("\n");
  }
  assert.unreachable(`clusters/${environment}/cluster.ts was accepted`);
  return [];
}

for (const environment of ["dev", "staging", "prod"]) {
  test(`the committed ${environment} model resolves`, () => {
    const cluster = resolveCluster(inputs[environment], `clusters/${environment}/cluster.ts`, environment);
    assert.is(cluster.identity.environment, environment);
  });
}

const cases: [string, string, string, unknown, string | string[]][] = [
  // [title, env, path, value, exact message]
  [
    "an unknown key",
    "prod",
    "tempo.ingester.replicaz",
    3,
    "clusters/prod/cluster.ts: tempo.ingester.replicaz: no such field (known: replicas, resources, volumeSize, zoneAware) (got 3)",
  ],
  [
    "an unknown top-level key",
    "staging",
    "tempoo",
    {},
    "clusters/staging/cluster.ts: tempoo: no such field (known: identity, scheduling, monitoring, tempo, collector, network, observability, argocd) (got {})",
  ],
  [
    "a wrong type",
    "staging",
    "tempo.ingester.replicas",
    "3",
    'clusters/staging/cluster.ts: tempo.ingester.replicas: an integer from 1 to 100 (got "3")',
  ],
  [
    "a negative replica count",
    "prod",
    "tempo.querier.replicas",
    -1,
    "clusters/prod/cluster.ts: tempo.querier.replicas: an integer from 1 to 100 (got -1)",
  ],
  [
    "an account id that is a number",
    "dev",
    "identity.accountId",
    402518736190,
    "clusters/dev/cluster.ts: identity.accountId: a 12-digit AWS account id, as a string (got 402518736190)",
  ],
  [
    "a malformed Kubernetes version",
    "dev",
    "identity.kubernetesVersion",
    "v1.33",
    'clusters/dev/cluster.ts: identity.kubernetesVersion: a Kubernetes version "1.<minor>.<patch>" from 1.28.0 to 1.39.x (got "v1.33")',
  ],
  [
    "a missing identity field",
    "prod",
    "identity.region",
    undefined,
    'clusters/prod/cluster.ts: identity.region: an AWS region such as "eu-west-1" (got nothing)',
  ],
  [
    "a model in the wrong folder",
    "staging",
    "identity.environment",
    "prod",
    'clusters/staging/cluster.ts: identity.environment: "staging" (the folder clusters/staging/ the model lives in) (got "prod")',
  ],
  [
    "a memory quantity without unit",
    "prod",
    "tempo.ingester.resources.limits.memory",
    "8",
    'clusters/prod/cluster.ts: tempo.ingester.resources.limits.memory: a memory quantity in Mi or Gi such as "512Mi" (got "8")',
  ],
  [
    "a sampling percentage above 100",
    "prod",
    "collector.sampling.policies[3].percent",
    150,
    "clusters/prod/cluster.ts: collector.sampling.policies[3].percent: a number from 0 to 100 percent (got 150)",
  ],
  [
    "a sampling policy type that does not exist",
    "prod",
    "collector.sampling.policies[1].type",
    "always",
    'clusters/prod/cluster.ts: collector.sampling.policies[1].type: one of "errors", "latency", "services", "drop-paths", "probabilistic" (got "always")',
  ],
  [
    "a retention below 24 hours",
    "dev",
    "tempo.retentionHours",
    12,
    "clusters/dev/cluster.ts: tempo.retentionHours: at least 24 hours (less loses traces before anyone looks at an incident) (got 12)",
  ],
  [
    "a replication factor above the ingester count",
    "staging",
    "tempo.ingester.replicas",
    2,
    "clusters/staging/cluster.ts: tempo.replicationFactor: at most tempo.ingester.replicas (2) (got 3)",
  ],
  [
    "prod without replication factor 3",
    "prod",
    "tempo.replicationFactor",
    2,
    "clusters/prod/cluster.ts: tempo.replicationFactor: 3 in prod (got 2)",
  ],
  [
    "prod without TLS",
    "prod",
    "collector.tls.enabled",
    false,
    "clusters/prod/cluster.ts: collector.tls.enabled: true in prod (got false)",
  ],
  [
    "prod's TLS with cert-manager but no issuer",
    "prod",
    "collector.tls.issuer",
    undefined,
    'clusters/prod/cluster.ts: collector.tls.issuer.name: the cert-manager issuer that signs the Collector\'s serving certificate (TLS is on and certManager is true) (got "")',
  ],
  [
    "a certificate renewed no earlier than it expires",
    "prod",
    "collector.tls.renewBeforeHours",
    2160,
    "clusters/prod/cluster.ts: collector.tls.renewBeforeHours: less than collector.tls.durationHours (2160) (got 2160)",
  ],
  [
    "an issuer kind cert-manager does not have",
    "prod",
    "collector.tls.issuer.kind",
    "CertificateAuthority",
    'clusters/prod/cluster.ts: collector.tls.issuer.kind: one of "ClusterIssuer", "Issuer" (got "CertificateAuthority")',
  ],
  [
    "staging following main (every merge would reach it)",
    "staging",
    "argocd.revision",
    "main",
    'clusters/staging/cluster.ts: argocd.revision: a promoted branch in staging (such as "env/staging"), not "main": every merge would reach staging at once (got "main")',
  ],
  [
    "prod without a sync window",
    "prod",
    "argocd.syncWindows",
    [],
    "clusters/prod/cluster.ts: argocd.syncWindows: at least one sync window (changes reach prod when people are there to watch them) in prod (got [])",
  ],
  [
    "a sync window with a six-field schedule",
    "prod",
    "argocd.syncWindows",
    [{ kind: "allow", schedule: "0 0 9 * * 1-4", duration: "7h", timeZone: "Europe/Dublin", manualSync: true }],
    'clusters/prod/cluster.ts: argocd.syncWindows[0].schedule: a five-field cron schedule such as "0 9 * * 1-4" (got "0 0 9 * * 1-4")',
  ],
  [
    "a revision git would not take as a branch",
    "dev",
    "argocd.revision",
    "env/..prod",
    'clusters/dev/cluster.ts: argocd.revision: a branch name such as "main" or "env/prod" (got "env/..prod")',
  ],
  [
    "a limit below its request",
    "staging",
    "tempo.querier.resources.limits.cpu",
    "250m",
    'clusters/staging/cluster.ts: tempo.querier.resources.limits.cpu: at least the request (500m) (got "250m")',
  ],
  [
    "too few ingesters for the stated ingest",
    "prod",
    "tempo.ingestMBps",
    40,
    [
      "clusters/prod/cluster.ts: tempo.distributor.replicas: at least 4 for 40 MB/s of ingest (1 per 10 MB/s) (got 3)",
      "clusters/prod/cluster.ts: tempo.ingester.replicas: at least 8 for 40 MB/s of ingest (1 per 5 MB/s) (got 6)",
      "clusters/prod/cluster.ts: tempo.querier.replicas: at least 20 for 40 MB/s of ingest (1 per 2 MB/s) (got 10)",
      "clusters/prod/cluster.ts: tempo.compactor.replicas: at least 8 for 40 MB/s of ingest (1 per 5 MB/s) (got 4)",
    ],
  ],
  [
    "the local backend in distributed mode",
    "staging",
    "tempo.storage.backend",
    "local",
    'clusters/staging/cluster.ts: tempo.storage.backend: "s3" in distributed mode (the local backend works only with -target=all) (got "local")',
  ],
  [
    "tail-sampling policies on a one-tier Collector",
    "dev",
    "collector.sampling.policies",
    [{ name: "keep-errors", type: "errors" }],
    'clusters/dev/cluster.ts: collector.sampling.policies: no policies in mode "single" (tail sampling needs the two-tier mode) (got ["keep-errors"])',
  ],
  [
    "a bucket in another region",
    "prod",
    "tempo.storage.region",
    "us-east-1",
    'clusters/prod/cluster.ts: tempo.storage.region: the cluster\'s region "eu-west-1" (cross-region reads are slow and billed) (got "us-east-1")',
  ],
  [
    "an HPA ceiling below its floor",
    "prod",
    "tempo.querier.autoscaling.maxReplicas",
    5,
    "clusters/prod/cluster.ts: tempo.querier.autoscaling.maxReplicas: at least tempo.querier.replicas (10) (got 5)",
  ],
  [
    "Prometheus targets (remote_write, OTLP metrics) outside the monitoring namespace",
    "staging",
    "network.monitoringNamespace",
    "prometheus",
    [
      'clusters/staging/cluster.ts: monitoring.remoteWriteUrl: a Service in network.monitoringNamespace ("prometheus"), the only one Tempo\'s NetworkPolicy lets it reach (got "http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write")',
      'clusters/staging/cluster.ts: monitoring.otlpMetricsUrl: a Service in network.monitoringNamespace ("prometheus"), the only one the Collector\'s NetworkPolicy lets it reach (got "http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/otlp")',
    ],
  ],
  [
    "an OTLP metrics URL that is not http(s)",
    "dev",
    "monitoring.otlpMetricsUrl",
    "prometheus:9090",
    'clusters/dev/cluster.ts: monitoring.otlpMetricsUrl: an http(s) URL (got "prometheus:9090")',
  ],
  [
    "a burst below the rate",
    "prod",
    "tempo.tenantLimits.ingestionBurstMB",
    10,
    "clusters/prod/cluster.ts: tempo.tenantLimits.ingestionBurstMB: at least tempo.tenantLimits.ingestionRateMB (25) (got 10)",
  ],
  [
    "replication in monolithic mode",
    "dev",
    "tempo.replicationFactor",
    3,
    "clusters/dev/cluster.ts: tempo.replicationFactor: 1 in monolithic mode (one ingester) (got 3)",
  ],
  [
    "a monolithic Tempo sized beyond one pod",
    "dev",
    "tempo.ingestMBps",
    8,
    "clusters/dev/cluster.ts: tempo.ingestMBps: at most 5 MB/s in monolithic mode (run distributed above that) (got 8)",
  ],
  [
    "a metrics-generator without processors",
    "staging",
    "tempo.metricsGenerator.processors",
    [],
    "clusters/staging/cluster.ts: tempo.metricsGenerator.processors: at least one processor while the metrics-generator is enabled (got [])",
  ],
  [
    "a two-tier Collector whose policies only drop",
    "staging",
    "collector.sampling.policies",
    [{ name: "drop-health", type: "drop-paths", paths: ["/healthz"] }],
    'clusters/staging/cluster.ts: collector.sampling.policies: at least one policy that keeps traces (errors, latency, services or probabilistic) (got ["drop-health"])',
  ],
  [
    "prod without required zone spread",
    "prod",
    "scheduling.zoneSpread",
    "preferred",
    'clusters/prod/cluster.ts: scheduling.zoneSpread: "required" in prod (got "preferred")',
  ],
  [
    "prod with a zone-blind ingester ring",
    "prod",
    "tempo.ingester.zoneAware",
    false,
    "clusters/prod/cluster.ts: tempo.ingester.zoneAware: true (losing a zone must lose no trace: a zone-blind ring may keep two of its three copies in one zone) in prod (got false)",
  ],
  [
    "zone-aware ingesters that do not divide evenly over the zones",
    "prod",
    "tempo.ingester.replicas",
    7,
    "clusters/prod/cluster.ts: tempo.ingester.replicas: a multiple of the 3 zones in scheduling.zones with tempo.ingester.zoneAware (the same number of ingesters in every zone) (got 7)",
  ],
  [
    "zone-aware ingesters over fewer zones than copies of a trace",
    "prod",
    "scheduling.zones",
    ["eu-west-1a", "eu-west-1b"],
    [
      'clusters/prod/cluster.ts: scheduling.zones: at least tempo.replicationFactor (3) zones with tempo.ingester.zoneAware (each copy of a trace in another zone) (got ["eu-west-1a","eu-west-1b"])',
    ],
  ],
  [
    "a zone of another region",
    "prod",
    "scheduling.zones",
    ["eu-west-1a", "eu-west-1b", "eu-central-1c"],
    'clusters/prod/cluster.ts: scheduling.zones[2]: a zone of the cluster\'s region "eu-west-1" (such as "eu-west-1a") (got "eu-central-1c")',
  ],
  [
    "a zone name that is no DNS label",
    "prod",
    "scheduling.zones",
    ["eu-west-1a", "eu-west-1b", "EU-west-1c"],
    'clusters/prod/cluster.ts: scheduling.zones[2]: an availability zone name such as "eu-west-1a" (lower-case letters, digits, \'-\'; at most 32) (got "EU-west-1c")',
  ],
  [
    "zone-aware ingesters in monolithic mode",
    "dev",
    "tempo.ingester.zoneAware",
    true,
    "clusters/dev/cluster.ts: tempo.ingester.zoneAware: false in monolithic mode (one pod, no ingester ring to spread) (got true)",
  ],
  [
    "prod with a one-tier Collector",
    "prod",
    "collector.mode",
    "single",
    [
      'clusters/prod/cluster.ts: collector.sampling.policies: no policies in mode "single" (tail sampling needs the two-tier mode) (got ["drop-health-checks","keep-errors","keep-slow","baseline","checkout-half"])',
      'clusters/prod/cluster.ts: collector.mode: "two-tier" in prod (got "single")',
    ],
  ],
  [
    "a logs backend outside the cluster (the NetworkPolicy needs its namespace)",
    "staging",
    "monitoring.otlpLogsUrl",
    "https://logs.example.com/otlp",
    'clusters/staging/cluster.ts: monitoring.otlpLogsUrl: a Service inside the cluster (http://<service>.<namespace>.svc[.cluster.local][:port]/…), or "" for no logs pipeline (got "https://logs.example.com/otlp")',
  ],
  [
    "an empty OTLP client list",
    "dev",
    "network.otlpClientNamespaces",
    [],
    "clusters/dev/cluster.ts: network.otlpClientNamespaces: a list of at least 1 of a DNS label (lower-case letters, digits and '-', at most 63 characters), without duplicates (got [])",
  ],
];

for (const [title, environment, path, value, message] of cases) {
  test(`rejects ${title}`, () => {
    const messages = messagesOf(environment, withValue(environment, path, value));
    assert.equal(messages, Array.isArray(message) ? message : [message]);
  });
}

test("refuses a Collector that cannot carry the declared ingest with one pod down, with the rules' other findings", () => {
  const input = withValue("prod", "collector.front.resources.requests.cpu", "250m");
  const messages = messagesOf("prod", input, true);
  assert.is(messages.length, 1, messages.join("\n"));
  assert.match(
    messages[0] as string,
    /^clusters\/prod\/cluster\.ts: collector\.front\.replicas: at least \d+ pods at 250m CPU requested each .* to carry 40,000 spans\/s with one pod down .*generators\/capacity\/measured\.json.* \(got 4\)$/,
  );
  // The committed model, with the check on, resolves.
  resolveCluster(inputs.prod, "clusters/prod/cluster.ts", "prod", { checkCapacity: true });
});

test("reports every problem at once, not only the first", () => {
  const input = withValue("prod", "tempo.querier.replicas", 0) as Record<string, unknown>;
  (input.collector as Record<string, unknown>).mode = "three-tier";
  const messages = messagesOf("prod", input);
  assert.equal(messages, [
    "clusters/prod/cluster.ts: tempo.querier.replicas: an integer from 1 to 100 (got 0)",
    'clusters/prod/cluster.ts: collector.mode: one of "single", "two-tier" (got "three-tier")',
  ]);
});

test("rejects a module whose default export is not a model", () => {
  assert.equal(messagesOf("dev", undefined), [
    "clusters/dev/cluster.ts: default export: a cluster model object (export default defineCluster({...})) (got nothing)",
  ]);
});

test("required zone spread needs an ingester per zone", () => {
  const input = withValue("staging", "scheduling.zoneSpread", "required") as Record<string, Record<string, unknown>>;
  Object.assign(input.tempo as object, {
    replicationFactor: 2,
    ingester: { ...(input.tempo?.ingester as object), replicas: 2 },
  });
  assert.equal(messagesOf("staging", input), [
    'clusters/staging/cluster.ts: tempo.ingester.replicas: at least 3 with scheduling.zoneSpread "required" (one ingester per availability zone) (got 2)',
  ]);
});

test("zones default to the region's a, b and c; prod and staging decide zone awareness", () => {
  const prod = resolveCluster(inputs.prod, "clusters/prod/cluster.ts", "prod");
  assert.equal(prod.scheduling.zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  assert.is(prod.tempo.ingester.zoneAware, true);
  // 6 ingesters, 3 zones: two per zone.
  assert.is(prod.tempo.ingester.replicas % prod.scheduling.zones.length, 0);
  const staging = resolveCluster(inputs.staging, "clusters/staging/cluster.ts", "staging");
  assert.is(staging.tempo.ingester.zoneAware, false);
});

test("duplicate sampling policy names are refused", () => {
  const input = withValue("prod", "collector.sampling.policies[4].name", "keep-errors");
  assert.equal(messagesOf("prod", input), [
    'clusters/prod/cluster.ts: collector.sampling.policies[4].name: a name no other policy uses (got "keep-errors")',
  ]);
});

test.run();
