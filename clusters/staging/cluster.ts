// The staging cluster: prod's shape at a fraction of its size, so upgrades and sampling changes
// are proven here first. Sized for 4 MB/s of spans (Grafana's Tempo sizing guidance: 1 distributor per
// 10 MB/s, 1 ingester and 1 compactor per 5 MB/s, 1 querier per 2 MB/s, 2 query-frontends):
// floors 1/1/2/1/2; ingesters are 3 because replication factor 3 mirrors prod (zones preferred, not required;
// the ring stays zone-blind: a zone outage here may lose traces whose copies shared that zone).
// Retention 7 days (preset). Collector: two tiers with the default tail-sampling policies.
import { defineCluster } from "../../generators/model/index.ts";

export default defineCluster({
  identity: {
    name: "greenlang-staging-euw1",
    environment: "staging",
    region: "eu-west-1",
    accountId: "517293846021",
    kubernetesVersion: "1.33.0",
  },
  tempo: {
    ingestMBps: 4,
    distributor: {
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
      autoscaling: { enabled: true, maxReplicas: 4, targetCPUPercent: 70 },
    },
    ingester: {
      replicas: 3,
      resources: { requests: { cpu: "1", memory: "3Gi" }, limits: { cpu: "2", memory: "3Gi" } },
      volumeSize: "20Gi",
    },
    querier: {
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
      autoscaling: { enabled: true, maxReplicas: 4, targetCPUPercent: 70 },
    },
    compactor: {
      replicas: 1,
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    },
  },
  collector: {
    // 500m per front pod: one pod alone carries the 4 MB/s while the other is down (`npm run capacity`).
    front: {
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
      autoscaling: { enabled: true, maxReplicas: 4, targetCPUPercent: 70 },
    },
    gateway: {
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
    },
    queueVolumeSize: "5Gi",
  },
  network: {
    otlpClientNamespaces: ["greenlang-api", "greenlang-workers", "greenlang-web"],
  },
  observability: {
    grafanaUrl: "https://grafana.staging.greenlang.io",
  },
});
