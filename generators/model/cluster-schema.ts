// The runtime shape of `Cluster` (types.ts): field by field, what is accepted. Cross-field rules
// (replication factor vs ingesters, prod requirements, …) live in rules.ts.
import { arrayOf, boolean, type Check, integer, number, object, oneOf, record, string, tagged } from "./schema.ts";
import { ENVIRONMENTS } from "./types.ts";

const dnsLabel = string({
  pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  expected: "a DNS label (lower-case letters, digits and '-', at most 63 characters)",
});
const cpu = string({
  pattern: /^([1-9][0-9]*m|[0-9]+(\.[0-9]{1,3})?)$/,
  expected: 'a CPU quantity such as "500m" or "2"',
});
const memory = string({ pattern: /^[1-9][0-9]*(Mi|Gi)$/, expected: 'a memory quantity in Mi or Gi such as "512Mi"' });
const volumeSize = string({ pattern: /^[1-9][0-9]*Gi$/, expected: 'a volume size in Gi such as "20Gi"' });

const resources = object({
  requests: object({ cpu, memory }),
  limits: object({ cpu, memory }),
});

const workload = (maxReplicas: number) => ({ replicas: integer(1, maxReplicas), resources });
const autoscaling = object({
  enabled: boolean(),
  maxReplicas: integer(1, 100),
  targetCPUPercent: integer(10, 100, "percent"),
});

export const identitySchema = object({
  name: string({
    pattern: /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/,
    expected: "an EKS cluster name (3–40 lower-case letters, digits and '-', starting with a letter)",
  }),
  environment: oneOf(...ENVIRONMENTS),
  region: string({ pattern: /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, expected: 'an AWS region such as "eu-west-1"' }),
  accountId: string({ pattern: /^[0-9]{12}$/, expected: "a 12-digit AWS account id, as a string" }),
  kubernetesVersion: string({
    pattern: /^1\.(2[89]|3[0-9])\.(0|[1-9][0-9]*)$/,
    expected: 'a Kubernetes version "1.<minor>.<patch>" from 1.28.0 to 1.39.x',
  }),
});

const samplingName = string({ pattern: /^[a-z][a-z0-9-]{0,62}$/, expected: "a policy name (lower-case, digits, '-')" });
const percent = number(0, 100, "percent");

const samplingPolicy = tagged("type", {
  errors: object({ name: samplingName, type: oneOf("errors") }),
  latency: object({ name: samplingName, type: oneOf("latency"), thresholdMs: integer(1, 600_000, "milliseconds") }),
  services: object({
    name: samplingName,
    type: oneOf("services"),
    services: arrayOf(string({ expected: "a service.name" }), { minItems: 1, unique: true }),
    percent,
  }),
  "drop-paths": object({
    name: samplingName,
    type: oneOf("drop-paths"),
    paths: arrayOf(string({ pattern: /^\//, expected: 'a URL path starting with "/"' }), {
      minItems: 1,
      unique: true,
    }),
  }),
  probabilistic: object({ name: samplingName, type: oneOf("probabilistic"), percent }),
});

const httpUrl = string({ pattern: /^https?:\/\/[^\s/]+(\/\S*)?$/, expected: "an http(s) URL" });
const attributeKey = string({
  pattern: /^[A-Za-z0-9_.-]+$/,
  expected: "an attribute key (letters, digits, '_', '.', '-')",
});

const tempo = object({
  mode: oneOf("monolithic", "distributed"),
  ingestMBps: number(0.1, 1000, "MB/s"),
  bytesPerSpan: integer(50, 100_000, "bytes"),
  retentionHours: integer(1, 8760, "hours"),
  replicationFactor: integer(1, 5),
  storage: object({
    backend: oneOf("local", "s3"),
    bucket: string({
      pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
      expected: "an S3 bucket name (3–63 lower-case letters, digits and '-')",
    }),
    region: string({ pattern: /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, expected: 'an AWS region such as "eu-west-1"' }),
  }),
  irsaRoleName: string({ pattern: /^[A-Za-z0-9+=,.@_-]{1,64}$/, expected: "an IAM role name (at most 64 characters)" }),
  tenantLimits: object({
    ingestionRateMB: number(0.1, 1000, "MB/s"),
    ingestionBurstMB: number(0.1, 2000, "MB"),
    maxTraceSizeMB: number(0.1, 100, "MB"),
    maxTracesPerUser: integer(100, 10_000_000),
  }),
  metricsGenerator: object({
    enabled: boolean(),
    processors: arrayOf(oneOf("service-graphs", "span-metrics", "local-blocks"), { unique: true }),
    walSizeLimit: string({ pattern: /^[1-9][0-9]*(Mi|Gi)$/, expected: 'a size in Mi or Gi such as "2Gi"' }),
    localBlocks: object({ flushToStorage: boolean(), filterServerSpans: boolean() }),
    ...workload(20),
  }),
  monolithic: object({ resources, volumeSize }),
  distributor: object({ ...workload(100), autoscaling }),
  ingester: object({ ...workload(100), volumeSize, zoneAware: boolean() }),
  querier: object({ ...workload(100), autoscaling }),
  queryFrontend: object(workload(10)),
  compactor: object(workload(50)),
});

const collector = object({
  mode: oneOf("single", "two-tier"),
  front: object({ ...workload(100), autoscaling }),
  gateway: object(workload(50)),
  queueVolumeSize: volumeSize,
  exportQueueSize: integer(100, 1_000_000, "batches"),
  sampling: object({
    decisionWaitSeconds: integer(1, 300, "seconds"),
    numTraces: integer(1000, 10_000_000),
    expectedNewTracesPerSec: integer(1, 1_000_000),
    policies: arrayOf(samplingPolicy),
  }),
  redaction: object({
    deleteAttributes: arrayOf(attributeKey, { unique: true }),
    hashAttributes: arrayOf(attributeKey, { unique: true }),
    blockedValuePatterns: arrayOf(string({ expected: "an RE2 regular expression" }), { unique: true }),
  }),
  tls: object({
    enabled: boolean(),
    secretName: dnsLabel,
    requireClientCert: boolean(),
    minVersion: oneOf("1.2", "1.3"),
    certManager: boolean(),
    issuer: object({
      kind: oneOf("ClusterIssuer", "Issuer"),
      name: string({
        pattern: /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)?$/,
        expected: 'a cert-manager issuer name (a DNS subdomain), or "" for none',
        minLength: 0,
      }),
    }),
    durationHours: integer(24, 8760, "hours"),
    renewBeforeHours: integer(1, 8759, "hours"),
  }),
});

export const clusterSchema: Check = object({
  identity: identitySchema,
  scheduling: object({
    zoneSpread: oneOf("required", "preferred"),
    storageClass: string({
      pattern: /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)?$/,
      expected: 'a StorageClass name, or "" for the cluster default',
      minLength: 0,
    }),
    // Also a label value and part of StatefulSet names (tempo-ingester-<zone>): a DNS label.
    zones: arrayOf(
      string({
        pattern: /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/,
        expected: "an availability zone name such as \"eu-west-1a\" (lower-case letters, digits, '-'; at most 32)",
      }),
      { minItems: 1, unique: true },
    ),
  }),
  monitoring: object({
    prometheusOperator: boolean(),
    serviceMonitorLabels: record(
      string({ pattern: /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, expected: "a label key" }),
      string({
        pattern: /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/,
        expected: "a label value",
        minLength: 0,
      }),
    ),
    remoteWriteUrl: httpUrl,
    otlpMetricsUrl: httpUrl,
    otlpLogsUrl: string({
      pattern: /^(https?:\/\/[^\s/]+(\/\S*)?)?$/,
      expected: 'an http(s) URL, or "" for no logs pipeline',
      minLength: 0,
    }),
  }),
  tempo,
  collector,
  network: object({
    otlpClientNamespaces: arrayOf(dnsLabel, { minItems: 1, unique: true }),
    grafanaNamespace: dnsLabel,
    monitoringNamespace: dnsLabel,
  }),
  observability: object({
    grafanaUrl: string({
      pattern: /^https?:\/\/[^\s/]+(\/\S*[^\s/])?$/,
      expected: "Grafana's external http(s) URL, without a trailing slash",
    }),
    lokiDatasourceUid: string({
      pattern: /^([A-Za-z0-9_-]{1,40})?$/,
      expected: 'a Grafana data source uid (letters, digits, "_", "-"; at most 40), or "" for none',
      minLength: 0,
    }),
    alerts: object({
      spanLossRatio: number(0.0001, 0.5, "(share of spans)"),
      queueFillRatio: number(0.1, 0.99, "(share of the queue)"),
      searchP99Seconds: number(0.5, 300, "seconds"),
    }),
  }),
  argocd: object({
    repoURL: string({
      // file:// serves a local clone: the Argo CD end-to-end test syncs from one.
      pattern: /^(https:\/\/|file:\/\/\/)\S+\.git$/,
      expected: "an https Git URL ending in .git (or file:///…/x.git, a local clone)",
    }),
    revision: string({
      // A branch name git accepts (git check-ref-format --branch), in the characters Argo CD URLs keep.
      pattern: /^(?!.*\.\.)(?!.*\/\/)(?!.*\.lock(\/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*(?<![./])$/,
      expected: 'a branch name such as "main" or "env/prod"',
    }),
    project: dnsLabel,
    syncWindows: arrayOf(
      object({
        kind: oneOf("allow", "deny"),
        schedule: string({
          pattern: /^[0-9*,/-]+( [0-9*,/-]+){4}$/,
          expected: 'a five-field cron schedule such as "0 9 * * 1-4"',
        }),
        duration: string({ pattern: /^[1-9][0-9]*[hm]$/, expected: 'a duration in hours or minutes such as "7h"' }),
        timeZone: string({
          pattern: /^(UTC|[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z0-9_+-]+){1,2})$/,
          expected: 'an IANA time zone such as "Europe/Dublin", or "UTC"',
        }),
        manualSync: boolean(),
      }),
      { unique: true },
    ),
  }),
});
