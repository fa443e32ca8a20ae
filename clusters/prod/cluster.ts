// The prod cluster. Sized for 20 MB/s of spans (peak of the week, with headroom), by Tempo's
// sizing guidance (Grafana's): distributors ≥ 2 (1 per 10 MB/s; 3, one per zone), ingesters ≥ 4
// (1 per 5 MB/s; 6, two per zone, replication factor 3), queriers ≥ 10 (1 per 2 MB/s; HPA up to
// 20), compactors ≥ 4 (1 per 5 MB/s), 2 query-frontends. Ingester memory 8 Gi within the
// 4–20 GB guidance; 50 Gi WAL volumes. Retention 14 days (preset). The preset enforces HA
// (replication factor 3 over zone-aware ingesters: one StatefulSet per zone of eu-west-1a/b/c,
// the default zones of the region; zone spread required) and mutual TLS (TLS 1.3, client
// certificates from the platform CA) on the Collector's OTLP receivers.
// Bucket (greenlang-prod-euw1-tempo-traces) and IRSA role (greenlang-prod-euw1-tempo) derive from the name.
import { DEFAULT_SAMPLING_POLICIES } from "../../generators/model/defaults.ts";
import { defineCluster } from "../../generators/model/index.ts";

export default defineCluster({
  identity: {
    name: "greenlang-prod-euw1",
    environment: "prod",
    region: "eu-west-1",
    accountId: "628374950112",
    kubernetesVersion: "1.33.0",
  },
  tempo: {
    ingestMBps: 20,
    // Two teams' batch jobs send large traces; raise the per-tenant rate above the 15 MB/s default.
    tenantLimits: { ingestionRateMB: 25, ingestionBurstMB: 40 },
    distributor: {
      replicas: 3,
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } },
      autoscaling: { enabled: true, maxReplicas: 6, targetCPUPercent: 70 },
    },
    ingester: {
      replicas: 6,
      resources: { requests: { cpu: "2500m", memory: "8Gi" }, limits: { cpu: "3", memory: "8Gi" } },
      volumeSize: "50Gi",
    },
    querier: {
      replicas: 10,
      resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      autoscaling: { enabled: true, maxReplicas: 20, targetCPUPercent: 70 },
    },
    queryFrontend: {
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    },
    compactor: {
      replicas: 4,
      resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1500m", memory: "4Gi" } },
    },
    metricsGenerator: {
      // local-blocks serves TraceQL metrics queries (rate, quantiles) from Grafana.
      processors: ["service-graphs", "span-metrics", "local-blocks"],
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
      walSizeLimit: "5Gi",
    },
  },
  collector: {
    // One CPU per front pod: with one of the four down, the other three carry the 20 MB/s at the
    // throughput measured for the front's config (`npm run capacity` shows the headroom).
    front: {
      replicas: 4,
      resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } },
      autoscaling: { enabled: true, maxReplicas: 12, targetCPUPercent: 70 },
    },
    gateway: {
      replicas: 4,
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } },
    },
    // Sending queue to Tempo, per gateway. Assuming ~500 B per span and ~15 % of traces kept, the
    // four gateways export ~1,500 spans/s each, cut into ~5 batches/s (200 ms batch timeout):
    // 20,000 batches ride out roughly an hour of Tempo outage and fill ~3 Gi of the 20 Gi volume.
    queueVolumeSize: "20Gi",
    exportQueueSize: 20_000,
    sampling: {
      numTraces: 100_000,
      // Checkout is the revenue path: keep half of its traces, not just the baseline.
      policies: [
        ...DEFAULT_SAMPLING_POLICIES,
        { name: "checkout-half", type: "services", services: ["checkout-api", "payments-worker"], percent: 50 },
      ],
    },
    // cert-manager issues this Secret from the platform CA (the CA services trust through
    // NODE_EXTRA_CA_CERTS): the rendered Certificate asks greenlang-platform-ca for it.
    tls: { secretName: "otel-collector-tls", issuer: { kind: "ClusterIssuer", name: "greenlang-platform-ca" } },
  },
  network: {
    otlpClientNamespaces: ["greenlang-api", "greenlang-workers", "greenlang-web"],
  },
  observability: {
    grafanaUrl: "https://grafana.greenlang.io",
  },
});
