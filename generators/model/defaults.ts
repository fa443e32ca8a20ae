// Documented defaults shared by every environment. Presets (presets.ts) override what differs per
// environment, and each cluster.ts overrides what differs for that cluster.
import { NAMESPACES } from "../platform.ts";
import type { Cluster, Identity, Resources, SamplingPolicy } from "./types.ts";

export function resources(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string): Resources {
  return { requests: { cpu: requestCpu, memory: requestMemory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** Health checks and scrapes are noise in a trace store; a matching trace is dropped whatever else matched. */
export const HEALTH_PATHS = ["/healthz", "/livez", "/readyz", "/metrics"];

/** Keep every error, every slow trace, and a baseline sample of the rest; never health checks. */
export const DEFAULT_SAMPLING_POLICIES: SamplingPolicy[] = [
  { name: "drop-health-checks", type: "drop-paths", paths: HEALTH_PATHS },
  { name: "keep-errors", type: "errors" },
  { name: "keep-slow", type: "latency", thresholdMs: 2000 },
  { name: "baseline", type: "probabilistic", percent: 10 },
];

/** Attributes that carry credentials: removed before anything leaves the receiving tier. */
export const DEFAULT_DELETED_ATTRIBUTES = [
  "http.request.header.authorization",
  "http.request.header.cookie",
  "http.response.header.set-cookie",
];

/** Personal identifiers: hashed, so traces of one user still group without revealing who. */
export const DEFAULT_HASHED_ATTRIBUTES = ["enduser.id", "user.email"];

/** Payment card numbers (Visa, Mastercard, Amex) anywhere in an attribute value. */
export const DEFAULT_BLOCKED_VALUE_PATTERNS = [
  "\\b4[0-9]{12}(?:[0-9]{3})?\\b",
  "\\b5[1-5][0-9]{14}\\b",
  "\\b3[47][0-9]{13}\\b",
];

/** Alert thresholds (ObservabilityModel.alerts); the observability tests use the same. */
export const DEFAULT_THRESHOLDS = { spanLossRatio: 0.01, queueFillRatio: 0.8, searchP99Seconds: 5 };

const noAutoscaling = { enabled: false, maxReplicas: 1, targetCPUPercent: 70 };

/**
 * Defaults for everything except identity, before the environment preset is applied. Names that
 * must be unique per cluster (bucket, IAM role) are derived from the cluster name, so a new cluster
 * gets distinct ones without stating them.
 */
export function defaultsFor(identity: Identity): Omit<Cluster, "identity"> {
  return {
    // EKS names zones after the region; a cluster in fewer or other zones lists its own.
    scheduling: {
      zoneSpread: "preferred",
      storageClass: "gp3",
      zones: ["a", "b", "c"].map((letter) => `${identity.region}${letter}`),
    },
    monitoring: {
      prometheusOperator: true,
      serviceMonitorLabels: { release: "kube-prometheus-stack" },
      remoteWriteUrl: `http://prometheus-operated.${NAMESPACES.monitoring}.svc.cluster.local:9090/api/v1/write`,
      otlpMetricsUrl: `http://prometheus-operated.${NAMESPACES.monitoring}.svc.cluster.local:9090/api/v1/otlp`,
      otlpLogsUrl: "",
    },
    tempo: {
      mode: "distributed",
      ingestMBps: 1,
      bytesPerSpan: 500,
      retentionHours: 336,
      replicationFactor: 1,
      storage: { backend: "s3", bucket: `${identity.name}-tempo-traces`, region: identity.region },
      irsaRoleName: `${identity.name}-tempo`,
      tenantLimits: { ingestionRateMB: 15, ingestionBurstMB: 20, maxTraceSizeMB: 5, maxTracesPerUser: 10_000 },
      metricsGenerator: {
        enabled: true,
        processors: ["service-graphs", "span-metrics"],
        walSizeLimit: "2Gi",
        localBlocks: { flushToStorage: true, filterServerSpans: false },
        replicas: 1,
        resources: resources("250m", "1Gi", "500m", "1Gi"),
      },
      monolithic: { resources: resources("500m", "1Gi", "1", "2Gi"), volumeSize: "10Gi" },
      distributor: { replicas: 1, resources: resources("500m", "1Gi", "1", "1Gi"), autoscaling: noAutoscaling },
      ingester: { replicas: 1, resources: resources("1", "2Gi", "2", "2Gi"), volumeSize: "10Gi", zoneAware: false },
      querier: { replicas: 1, resources: resources("500m", "1Gi", "1", "2Gi"), autoscaling: noAutoscaling },
      queryFrontend: { replicas: 2, resources: resources("250m", "512Mi", "500m", "1Gi") },
      compactor: { replicas: 1, resources: resources("500m", "2Gi", "1", "2Gi") },
    },
    collector: {
      mode: "two-tier",
      front: { replicas: 2, resources: resources("250m", "512Mi", "500m", "512Mi"), autoscaling: noAutoscaling },
      gateway: { replicas: 2, resources: resources("500m", "1Gi", "1", "1Gi") },
      queueVolumeSize: "5Gi",
      exportQueueSize: 5000,
      sampling: {
        decisionWaitSeconds: 10,
        numTraces: 100_000,
        expectedNewTracesPerSec: 1000,
        policies: DEFAULT_SAMPLING_POLICIES,
      },
      redaction: {
        deleteAttributes: DEFAULT_DELETED_ATTRIBUTES,
        hashAttributes: DEFAULT_HASHED_ATTRIBUTES,
        blockedValuePatterns: DEFAULT_BLOCKED_VALUE_PATTERNS,
      },
      tls: {
        enabled: false,
        secretName: "otel-collector-tls",
        requireClientCert: false,
        minVersion: "1.2",
        certManager: true,
        issuer: { kind: "ClusterIssuer", name: "" },
        durationHours: 2160,
        renewBeforeHours: 720,
      },
    },
    // No default: each cluster names the namespaces allowed to send OTLP (validation requires one).
    network: {
      otlpClientNamespaces: [],
      grafanaNamespace: NAMESPACES.grafana,
      monitoringNamespace: NAMESPACES.monitoring,
    },
    // No default Grafana URL: validation asks each cluster for its own.
    observability: {
      grafanaUrl: "",
      lokiDatasourceUid: "",
      alerts: { ...DEFAULT_THRESHOLDS },
    },
    argocd: {
      repoURL: "https://github.com/greenlang/obs-003-tracing-platform.git",
      revision: "main",
      project: "tracing-platform",
      syncWindows: [],
    },
  };
}
