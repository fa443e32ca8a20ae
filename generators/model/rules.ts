// Cross-field rules: what no single field can say on its own. They run only on a model whose
// fields are each valid (validate.ts), so they may trust the types.
import { cpuCores, memoryMiB } from "./quantities.ts";
import type { Issue } from "./schema.ts";
import type { Cluster, Resources, Workload } from "./types.ts";

/** Tempo's sizing rules (Grafana's Tempo sizing guidance): replicas per MB/s of ingest, per component. */
export const SIZING_MB_PER_REPLICA = { distributor: 10, ingester: 5, querier: 2, compactor: 5 } as const;
export const MIN_QUERY_FRONTENDS = 2;
/** Beyond this a single `-target=all` pod is the bottleneck; run distributed. */
export const MONOLITHIC_MAX_INGEST_MBPS = 5;
export const MIN_RETENTION_HOURS = 24;

function checkResources(resources: Resources, path: string, issues: Issue[]): void {
  const { requests, limits } = resources;
  if (cpuCores(limits.cpu) < cpuCores(requests.cpu)) {
    issues.push({ path: `${path}.limits.cpu`, expected: `at least the request (${requests.cpu})`, got: limits.cpu });
  }
  if (memoryMiB(limits.memory) < memoryMiB(requests.memory)) {
    issues.push({
      path: `${path}.limits.memory`,
      expected: `at least the request (${requests.memory})`,
      got: limits.memory,
    });
  }
}

function workloads(
  cluster: Cluster,
): [string, Workload & { autoscaling?: { enabled: boolean; maxReplicas: number } }][] {
  const { tempo, collector } = cluster;
  return [
    ["tempo.distributor", tempo.distributor],
    ["tempo.ingester", tempo.ingester],
    ["tempo.querier", tempo.querier],
    ["tempo.queryFrontend", tempo.queryFrontend],
    ["tempo.compactor", tempo.compactor],
    ["tempo.metricsGenerator", tempo.metricsGenerator],
    ["collector.front", collector.front],
    ["collector.gateway", collector.gateway],
  ];
}

function tempoRules(cluster: Cluster, issues: Issue[]): void {
  const { tempo, identity } = cluster;
  if (tempo.retentionHours < MIN_RETENTION_HOURS) {
    issues.push({
      path: "tempo.retentionHours",
      expected: `at least ${MIN_RETENTION_HOURS} hours (less loses traces before anyone looks at an incident)`,
      got: tempo.retentionHours,
    });
  }
  if (tempo.storage.region !== identity.region) {
    issues.push({
      path: "tempo.storage.region",
      expected: `the cluster's region "${identity.region}" (cross-region reads are slow and billed)`,
      got: tempo.storage.region,
    });
  }
  if (tempo.tenantLimits.ingestionBurstMB < tempo.tenantLimits.ingestionRateMB) {
    issues.push({
      path: "tempo.tenantLimits.ingestionBurstMB",
      expected: `at least tempo.tenantLimits.ingestionRateMB (${tempo.tenantLimits.ingestionRateMB})`,
      got: tempo.tenantLimits.ingestionBurstMB,
    });
  }
  if (tempo.metricsGenerator.enabled && tempo.metricsGenerator.processors.length === 0) {
    issues.push({
      path: "tempo.metricsGenerator.processors",
      expected: "at least one processor while the metrics-generator is enabled",
      got: tempo.metricsGenerator.processors,
    });
  }
  if (tempo.mode === "monolithic") {
    if (tempo.ingester.zoneAware) {
      issues.push({
        path: "tempo.ingester.zoneAware",
        expected: "false in monolithic mode (one pod, no ingester ring to spread)",
        got: tempo.ingester.zoneAware,
      });
    }
    if (tempo.replicationFactor !== 1) {
      issues.push({
        path: "tempo.replicationFactor",
        expected: "1 in monolithic mode (one ingester)",
        got: tempo.replicationFactor,
      });
    }
    if (tempo.ingestMBps > MONOLITHIC_MAX_INGEST_MBPS) {
      issues.push({
        path: "tempo.ingestMBps",
        expected: `at most ${MONOLITHIC_MAX_INGEST_MBPS} MB/s in monolithic mode (run distributed above that)`,
        got: tempo.ingestMBps,
      });
    }
    return;
  }
  if (tempo.storage.backend !== "s3") {
    issues.push({
      path: "tempo.storage.backend",
      expected: '"s3" in distributed mode (the local backend works only with -target=all)',
      got: tempo.storage.backend,
    });
  }
  if (tempo.replicationFactor > tempo.ingester.replicas) {
    issues.push({
      path: "tempo.replicationFactor",
      expected: `at most tempo.ingester.replicas (${tempo.ingester.replicas})`,
      got: tempo.replicationFactor,
    });
  }
  if (cluster.scheduling.zoneSpread === "required" && tempo.ingester.replicas < 3) {
    issues.push({
      path: "tempo.ingester.replicas",
      expected: 'at least 3 with scheduling.zoneSpread "required" (one ingester per availability zone)',
      got: tempo.ingester.replicas,
    });
  }
  if (tempo.ingester.zoneAware) zoneRules(cluster, issues);
  for (const [component, mbPerReplica] of Object.entries(SIZING_MB_PER_REPLICA)) {
    const floor = Math.ceil(tempo.ingestMBps / mbPerReplica);
    const replicas = tempo[component as keyof typeof SIZING_MB_PER_REPLICA].replicas;
    if (replicas < floor) {
      issues.push({
        path: `tempo.${component}.replicas`,
        expected: `at least ${floor} for ${tempo.ingestMBps} MB/s of ingest (1 per ${mbPerReplica} MB/s)`,
        got: replicas,
      });
    }
  }
  if (tempo.queryFrontend.replicas < MIN_QUERY_FRONTENDS) {
    issues.push({
      path: "tempo.queryFrontend.replicas",
      expected: `at least ${MIN_QUERY_FRONTENDS} (search and TraceQL go through the query-frontend)`,
      got: tempo.queryFrontend.replicas,
    });
  }
}

/**
 * Zone-aware ingesters: a trace's replicationFactor copies go to as many distinct zones, so there
 * must be that many zones; each zone runs the same number of ingesters, so every zone carries an
 * equal share of the ring.
 */
function zoneRules(cluster: Cluster, issues: Issue[]): void {
  const { tempo, scheduling } = cluster;
  const zones = scheduling.zones.length;
  if (zones < tempo.replicationFactor) {
    issues.push({
      path: "scheduling.zones",
      expected: `at least tempo.replicationFactor (${tempo.replicationFactor}) zones with tempo.ingester.zoneAware (each copy of a trace in another zone)`,
      got: scheduling.zones,
    });
  }
  if (tempo.ingester.replicas % zones !== 0) {
    issues.push({
      path: "tempo.ingester.replicas",
      expected: `a multiple of the ${zones} zones in scheduling.zones with tempo.ingester.zoneAware (the same number of ingesters in every zone)`,
      got: tempo.ingester.replicas,
    });
  }
}

/** Zones are named after their region (eu-west-1a in eu-west-1); any other is a typo or another region. */
function zoneNameRules(cluster: Cluster, issues: Issue[]): void {
  const { region } = cluster.identity;
  cluster.scheduling.zones.forEach((zone, i) => {
    if (!zone.startsWith(region)) {
      issues.push({
        path: `scheduling.zones[${i}]`,
        expected: `a zone of the cluster's region "${region}" (such as "${region}a")`,
        got: zone,
      });
    }
  });
}

function tlsRules(collector: Cluster["collector"], issues: Issue[]): void {
  const { tls } = collector;
  if (!tls.enabled || !tls.certManager) return;
  if (tls.issuer.name === "") {
    issues.push({
      path: "collector.tls.issuer.name",
      expected:
        "the cert-manager issuer that signs the Collector's serving certificate (TLS is on and certManager is true)",
      got: tls.issuer.name,
    });
  }
  if (tls.renewBeforeHours >= tls.durationHours) {
    issues.push({
      path: "collector.tls.renewBeforeHours",
      expected: `less than collector.tls.durationHours (${tls.durationHours})`,
      got: tls.renewBeforeHours,
    });
  }
}

function collectorRules(cluster: Cluster, issues: Issue[]): void {
  const { collector } = cluster;
  const { policies } = collector.sampling;
  if (collector.mode === "single" && policies.length > 0) {
    issues.push({
      path: "collector.sampling.policies",
      expected: 'no policies in mode "single" (tail sampling needs the two-tier mode)',
      got: policies.map((p) => p.name),
    });
  }
  if (collector.mode === "two-tier" && !policies.some((p) => p.type !== "drop-paths")) {
    issues.push({
      path: "collector.sampling.policies",
      expected: "at least one policy that keeps traces (errors, latency, services or probabilistic)",
      got: policies.map((p) => p.name),
    });
  }
  tlsRules(collector, issues);
  const seen = new Set<string>();
  policies.forEach((policy, i) => {
    if (seen.has(policy.name)) {
      issues.push({
        path: `collector.sampling.policies[${i}].name`,
        expected: "a name no other policy uses",
        got: policy.name,
      });
    }
    seen.add(policy.name);
  });
}

/** The namespace of an in-cluster Service URL (`http://<svc>.<ns>.svc[.cluster.local]:…`), else undefined. */
export function serviceNamespace(url: string): string | undefined {
  const host = new URL(url).hostname;
  const match = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  return match?.[1];
}

function monitoringRules(cluster: Cluster, issues: Issue[]): void {
  const { monitoring, network } = cluster;
  // The Collector's NetworkPolicy opens egress to the logs backend's namespace: it must name one.
  if (monitoring.otlpLogsUrl !== "" && serviceNamespace(monitoring.otlpLogsUrl) === undefined) {
    issues.push({
      path: "monitoring.otlpLogsUrl",
      expected:
        'a Service inside the cluster (http://<service>.<namespace>.svc[.cluster.local][:port]/…), or "" for no logs pipeline',
      got: monitoring.otlpLogsUrl,
    });
  }
  const urls = [
    ["remoteWriteUrl", "Tempo's"],
    ["otlpMetricsUrl", "the Collector's"],
  ] as const;
  for (const [field, who] of urls) {
    const namespace = serviceNamespace(monitoring[field]);
    if (namespace !== undefined && namespace !== network.monitoringNamespace) {
      issues.push({
        path: `monitoring.${field}`,
        expected: `a Service in network.monitoringNamespace ("${network.monitoringNamespace}"), the only one ${who} NetworkPolicy lets it reach`,
        got: monitoring[field],
      });
    }
  }
}

/** What prod must have, whatever its cluster.ts says. */
function prodRules(cluster: Cluster, issues: Issue[]): void {
  if (cluster.identity.environment !== "prod") return;
  const { tempo, collector } = cluster;
  const require = (path: string, ok: boolean, expected: string, got: unknown) => {
    if (!ok) issues.push({ path, expected: `${expected} in prod`, got });
  };
  require("tempo.mode", tempo.mode === "distributed", '"distributed"', tempo.mode);
  require("tempo.storage.backend", tempo.storage.backend === "s3", '"s3"', tempo.storage.backend);
  require("tempo.replicationFactor", tempo.replicationFactor === 3, "3", tempo.replicationFactor);
  require("scheduling.zoneSpread", cluster.scheduling.zoneSpread === "required", '"required"', cluster.scheduling
    .zoneSpread);
  require("tempo.ingester.zoneAware", tempo.ingester
    .zoneAware, "true (losing a zone must lose no trace: a zone-blind ring may keep two of its three copies in one zone)", tempo
    .ingester.zoneAware);
  require("collector.mode", collector.mode === "two-tier", '"two-tier"', collector.mode);
  require("collector.tls.enabled", collector.tls.enabled, "true", collector.tls.enabled);
  require("argocd.syncWindows", cluster.argocd.syncWindows.length >
    0, "at least one sync window (changes reach prod when people are there to watch them)", cluster.argocd.syncWindows);
}

/** The branch every merge lands on: only dev may follow it. */
export const MERGE_BRANCH = "main";

/** staging and prod change only by promotion, so they must not follow the branch merges land on. */
function promotionRules(cluster: Cluster, issues: Issue[]): void {
  const { environment } = cluster.identity;
  if (environment === "dev" || cluster.argocd.revision !== MERGE_BRANCH) return;
  issues.push({
    path: "argocd.revision",
    expected: `a promoted branch in ${environment} (such as "env/${environment}"), not "${MERGE_BRANCH}": every merge would reach ${environment} at once`,
    got: cluster.argocd.revision,
  });
}

export function crossFieldIssues(cluster: Cluster): Issue[] {
  const issues: Issue[] = [];
  checkResources(cluster.tempo.monolithic.resources, "tempo.monolithic.resources", issues);
  for (const [path, workload] of workloads(cluster)) {
    checkResources(workload.resources, `${path}.resources`, issues);
    if (workload.autoscaling?.enabled && workload.autoscaling.maxReplicas < workload.replicas) {
      issues.push({
        path: `${path}.autoscaling.maxReplicas`,
        expected: `at least ${path}.replicas (${workload.replicas})`,
        got: workload.autoscaling.maxReplicas,
      });
    }
  }
  tempoRules(cluster, issues);
  zoneNameRules(cluster, issues);
  collectorRules(cluster, issues);
  monitoringRules(cluster, issues);
  prodRules(cluster, issues);
  promotionRules(cluster, issues);
  return issues;
}
