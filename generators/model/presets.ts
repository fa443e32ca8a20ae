// Per-environment presets, applied over defaults.ts and under each cluster.ts. They encode the
// platform's contract per environment: dev is a monolithic Tempo on local disk behind a one-tier
// Collector; staging and prod run distributed Tempo on S3 behind two Collector tiers (tail
// sampling); prod adds HA (replication factor 3 over zone-aware ingesters, zone spread required)
// and TLS on the receivers. Staging keeps prod's replication factor but a zone-blind ring: it
// tolerates losing some traces when a zone goes down.
// staging and prod follow promoted branches (dev follows main); prod syncs only inside a window.
import type { Cluster, DeepPartial, Environment } from "./types.ts";

type Preset = DeepPartial<Omit<Cluster, "identity">>;

export const PRESETS: Record<Environment, Preset> = {
  dev: {
    tempo: { mode: "monolithic", retentionHours: 72, storage: { backend: "local" } },
    // One tier, no tail sampling: dev keeps every span so developers always find their trace.
    collector: { mode: "single", front: { replicas: 1 }, queueVolumeSize: "2Gi", sampling: { policies: [] } },
  },
  staging: {
    tempo: { mode: "distributed", retentionHours: 168, replicationFactor: 3 },
    collector: { mode: "two-tier" },
    // Promoted from what dev runs (`npm run promote -- staging`), never straight from a merge.
    argocd: { revision: "env/staging" },
  },
  prod: {
    scheduling: { zoneSpread: "required" },
    // Zone-aware ingesters: each of a trace's three copies in another zone, so losing a zone loses
    // no trace (one StatefulSet per zone, rolled out zone after zone).
    tempo: { mode: "distributed", retentionHours: 336, replicationFactor: 3, ingester: { zoneAware: true } },
    // Mutual TLS: services verify the Collector and present a client certificate from the platform
    // CA (docs/prerequisites.md, "Client certificates for prod's services"), on top of the
    // NetworkPolicy's namespace list: a pod in an allowed namespace still needs the CA's signature.
    collector: { mode: "two-tier", tls: { enabled: true, requireClientCert: true, minVersion: "1.3" } },
    argocd: {
      // Promoted from what staging runs (`npm run promote -- prod`).
      revision: "env/prod",
      // Automated syncs (self-heal too) only while the platform team is at work, Monday to
      // Thursday 09:00–16:00 Dublin time; on-call can still sync by hand at any hour.
      syncWindows: [
        { kind: "allow", schedule: "0 9 * * 1-4", duration: "7h", timeZone: "Europe/Dublin", manualSync: true },
      ],
    },
  },
};
