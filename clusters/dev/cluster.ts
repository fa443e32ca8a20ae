// The dev cluster: where service teams try their instrumentation. Sized for 0.5 MB/s of spans
// (about 40 services at low traffic). Preset: a monolithic Tempo (-target=all) on a 10 Gi local
// volume (the metrics-generator runs inside it, so the service map works in dev too), and a one-tier Collector that keeps every span (no tail sampling), so a developer
// always finds their trace. Retention 72 h: dev traces are looked at the same day.
// Change a value, run `npm run generate -- --env dev`, commit both this file and the diff.
import { defineCluster } from "../../generators/model/index.ts";

export default defineCluster({
  identity: {
    name: "greenlang-dev-euw1",
    environment: "dev",
    region: "eu-west-1",
    accountId: "402518736190",
    // dev runs one Kubernetes minor ahead of staging and prod: upgrades land here first.
    kubernetesVersion: "1.34.0",
  },
  tempo: {
    ingestMBps: 0.5,
    retentionHours: 72,
    monolithic: {
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
      volumeSize: "10Gi",
    },
  },
  collector: {
    front: {
      replicas: 1,
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    },
  },
  network: {
    otlpClientNamespaces: ["greenlang-api", "greenlang-workers", "greenlang-web", "sandbox"],
  },
  observability: {
    grafanaUrl: "https://grafana.dev.greenlang.io",
  },
});
