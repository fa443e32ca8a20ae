// The cluster model: everything that differs between the clusters of the tracing platform.
// `clusters/<env>/cluster.ts` states a `ClusterInput` (identity plus whatever departs from the
// environment's preset); the generators merge it over the preset (`presets.ts`), validate the
// result (`validate.ts`) and render every output from the resulting `Cluster` alone.
// Facts that are the same on every cluster (namespaces, release names, images) live in
// `../platform.ts`, not here: the model carries only what a platform engineer may change.

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Who and where the cluster is. Every field is required: there is no sensible default for an identity. */
export interface Identity {
  /** The EKS cluster name, also the `cluster` label on every metric and span (e.g. `greenlang-prod-euw1`). */
  name: string;
  /** Must equal the folder the model lives in (`clusters/<environment>/`). */
  environment: Environment;
  /** AWS region of the cluster and of its trace bucket (e.g. `eu-west-1`). */
  region: string;
  /** The 12-digit AWS account the cluster and its bucket live in (a string: leading zeros matter). */
  accountId: string;
  /** Kubernetes version passed to `helm template --kube-version` (`1.33.0`). */
  kubernetesVersion: string;
}

/** Kubernetes quantities, e.g. `{ cpu: "500m", memory: "1Gi" }`. */
export interface ResourceAmounts {
  cpu: string;
  memory: string;
}

export interface Resources {
  requests: ResourceAmounts;
  /** Must be at least the requests. */
  limits: ResourceAmounts;
}

/** Horizontal autoscaling of a stateless component; the component's `replicas` is the floor. */
export interface Autoscaling {
  /** @default false — the component runs exactly `replicas` pods. */
  enabled: boolean;
  /** Ceiling of the HPA; at least `replicas`. */
  maxReplicas: number;
  /** Average CPU utilisation (percent of requests) the HPA aims for. @default 70 */
  targetCPUPercent: number;
}

export interface Workload {
  /** Pods (or the HPA's minimum when autoscaling is on). */
  replicas: number;
  resources: Resources;
}

export interface ScalableWorkload extends Workload {
  autoscaling: Autoscaling;
}

export interface StatefulWorkload extends Workload {
  /** Size of the persistent volume each pod gets (WAL, local blocks), e.g. `20Gi`. */
  volumeSize: string;
}

export type TempoMode = "monolithic" | "distributed";

export type MetricsGeneratorProcessor = "service-graphs" | "span-metrics" | "local-blocks";

export interface TempoModel {
  /** `monolithic` = one `-target=all` pod on local disk (dev); `distributed` = one workload per component on S3. */
  mode: TempoMode;
  /**
   * The ingest this cluster is sized for, in MB/s of spans received by the distributors
   * (`tempo_distributor_bytes_received_total`). Replica floors are checked against it with
   * Tempo's sizing rules (REFERENCE.md): 1 distributor per 10 MB/s, 1 ingester and 1 compactor per
   * 5 MB/s, 1 querier per 2 MB/s, 2 query-frontends.
   */
  ingestMBps: number;
  /** Block retention (`compactor.compaction.block_retention`), in hours; at least 24. @default 336 (14 days) */
  retentionHours: number;
  /** Ingester ring replication factor; ≤ ingester replicas; 3 in prod. Monolithic forces 1. */
  replicationFactor: number;
  /** Spread ingesters across availability zones (zone-aware replication). Required in prod. */
  zoneAware: boolean;
  storage: {
    /** `local` only in monolithic mode (a PVC); `s3` otherwise. */
    backend: "local" | "s3";
    /** The S3 bucket Terraform creates for this cluster (`bucket_name` in the tfvars). */
    bucket: string;
    /** Region of the bucket; must equal the cluster's region. */
    region: string;
  };
  /** Name of the IAM role the `tempo` service account assumes through IRSA (`tempo_role_name`). */
  irsaRoleName: string;
  /** Per-tenant limits (Tempo `overrides.defaults`). */
  tenantLimits: {
    /** Sustained ingestion per tenant, MB/s. @default 15 */
    ingestionRateMB: number;
    /** Burst allowance per tenant, MB; at least the rate. @default 20 */
    ingestionBurstMB: number;
    /** Largest trace accepted, MB. @default 5 */
    maxTraceSizeMB: number;
    /** Live traces per tenant per ingester. @default 10000 */
    maxTracesPerUser: number;
  };
  metricsGenerator: {
    /** @default true in staging and prod, false in dev */
    enabled: boolean;
    processors: MetricsGeneratorProcessor[];
    /** Prometheus remote_write endpoint receiving span metrics and service graphs. */
    remoteWriteUrl: string;
  };
  /** The dev workload (`-target=all`); used only in monolithic mode. */
  monolithic: StatefulWorkload;
  distributor: ScalableWorkload;
  ingester: StatefulWorkload;
  querier: ScalableWorkload;
  queryFrontend: Workload;
  compactor: Workload;
  metricsGeneratorWorkload: StatefulWorkload;
}

export type CollectorMode = "single" | "two-tier";

/** One rule of the gateway's tail sampler. A trace is kept when any policy keeps it, unless a `drop-routes` policy matches it. */
export type SamplingPolicy =
  | { name: string; type: "errors" }
  | { name: string; type: "latency"; thresholdMs: number }
  | { name: string; type: "services"; services: string[]; percent: number }
  | { name: string; type: "drop-routes"; routes: string[] }
  | { name: string; type: "probabilistic"; percent: number };

export interface CollectorModel {
  /** `single` = one tier exporting straight to Tempo (dev); `two-tier` = front → load_balancing → gateway with tail sampling. */
  mode: CollectorMode;
  /** The tier services send OTLP to. */
  front: ScalableWorkload;
  /** The tail-sampling tier; used only in two-tier mode. */
  gateway: ScalableWorkload & {
    /** Size of the volume holding the persistent sending queue to Tempo. */
    queueVolumeSize: string;
  };
  sampling: {
    /** Seconds the gateway waits for a trace's spans before deciding. @default 30 */
    decisionWaitSeconds: number;
    /** Traces held in memory while waiting. @default 50000 */
    numTraces: number;
    /** Empty in single mode (no tail sampling there). */
    policies: SamplingPolicy[];
  };
  /** Span attribute keys removed by the front tier before anything leaves the cluster. */
  redactedAttributes: string[];
  tls: {
    /** TLS on the OTLP receivers; required in prod. */
    enabled: boolean;
    /** The kubernetes.io/tls Secret in the collector namespace holding the serving certificate. */
    secretName: string;
  };
}

export interface NetworkModel {
  /** Namespaces whose pods may send OTLP to the Collector (the NetworkPolicy's allow list). */
  otlpClientNamespaces: string[];
}

export interface ArgoCDModel {
  /** The Git repository Argo CD syncs this cluster from. */
  repoURL: string;
  /** Branch, tag or commit Argo CD follows. @default "main" */
  revision: string;
  /** The AppProject every Application of the platform belongs to. @default "tracing-platform" */
  project: string;
}

export interface Cluster {
  identity: Identity;
  tempo: TempoModel;
  collector: CollectorModel;
  network: NetworkModel;
  argocd: ArgoCDModel;
}

/** Every field optional, recursively; arrays are replaced, never merged. */
export type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What a `clusters/<env>/cluster.ts` states: its identity, and what departs from the preset. */
export type ClusterInput = { identity: Identity } & DeepPartial<Omit<Cluster, "identity">>;
