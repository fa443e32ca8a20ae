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

export interface IngesterModel extends StatefulWorkload {
  /**
   * Zone-aware replication (distributed mode only). `true`: the ingester ring knows zones
   * (`zone_awareness_enabled`), so the replicationFactor copies of every trace land in as many
   * different zones, and losing a whole zone loses no trace. The ingesters run as one StatefulSet
   * per zone of `scheduling.zones` (`tempo-ingester-<zone>`, pinned there by node affinity,
   * `replicas` ÷ zones pods each, a PodDisruptionBudget each), rolled out one zone after the
   * other (one Argo CD sync wave per zone). Needs at least `replicationFactor` zones and
   * `replicas` a multiple of their number. `false`: one StatefulSet `tempo-ingester` and a
   * zone-blind ring: zone spread keeps pods apart, but a zone may hold two or all of a trace's
   * copies, so losing a zone can lose traces. @default false; prod: true (required). Staging stays
   * zone-blind: it holds no trace anyone must keep, and a zone outage there may lose some.
   */
  zoneAware: boolean;
}

export type TempoMode = "monolithic" | "distributed";

export type MetricsGeneratorProcessor = "service-graphs" | "span-metrics" | "local-blocks";

export interface SchedulingModel {
  /**
   * How replicated pods spread over availability zones: `required` keeps a pod pending rather
   * than stacking a zone (prod: losing a zone must not lose a trace's replicas); `preferred`
   * spreads when it can. @default "preferred"
   */
  zoneSpread: "required" | "preferred";
  /** StorageClass of every PersistentVolumeClaim (Tempo WAL and blocks, the Collector's queue); "" = the cluster default. @default "gp3" */
  storageClass: string;
  /**
   * The availability zones the cluster's nodes run in: their `topology.kubernetes.io/zone`
   * labels, each in the cluster's region. Zone-aware ingesters (`tempo.ingester.zoneAware`) run
   * one StatefulSet pinned to each. @default the region's first three zones
   * (`["<region>a", "<region>b", "<region>c"]`, e.g. eu-west-1a, eu-west-1b, eu-west-1c)
   */
  zones: string[];
}

export interface MonitoringModel {
  /**
   * The cluster runs the prometheus-operator (its `monitoring.coreos.com` CRDs): the Tempo and
   * Collector apps include ServiceMonitors. `false` renders none, so the apps sync on a cluster
   * without those CRDs; its Prometheus must then find the metrics Services by itself. @default true
   */
  prometheusOperator: boolean;
  /** Labels the cluster's Prometheus `serviceMonitorSelector` matches, put on every ServiceMonitor. */
  serviceMonitorLabels: Record<string, string>;
  /**
   * Prometheus remote_write endpoint receiving the metrics-generator's span metrics and service
   * graphs. @default "http://prometheus-operated.<monitoring namespace>.svc.cluster.local:9090/api/v1/write"
   */
  remoteWriteUrl: string;
  /**
   * Prometheus's OTLP receiver (Prometheus ≥ 3 started with `--web.enable-otlp-receiver`): the
   * Collector's receiving tier forwards the OTLP metrics services push (the SDK's span and runtime
   * metrics) there; the exporter appends `/v1/metrics`.
   * @default "http://prometheus-operated.<monitoring namespace>.svc.cluster.local:9090/api/v1/otlp"
   */
  otlpMetricsUrl: string;
  /**
   * The platform's logs backend, an OTLP/HTTP receiver inside the cluster
   * (`http://<service>.<namespace>.svc…`, e.g. Loki's `/otlp` endpoint; the exporter appends
   * /v1/logs). The receiving Collector tier then gets a logs pipeline, and services may set
   * OTEL_LOGS_EXPORTER=otlp. "" = no logs pipeline (/v1/logs answers 404). @default ""
   */
  otlpLogsUrl: string;
}

export interface TempoModel {
  /** `monolithic` = one `-target=all` pod on local disk (dev); `distributed` = one workload per component on S3. */
  mode: TempoMode;
  /**
   * The span ingest this cluster is sized for, in MB/s: what its services send. The Collector
   * tiers carry all of it; Tempo's distributors receive what tail sampling keeps, at most this
   * (`tempo_distributor_bytes_received_total`), so sizing Tempo on it errs on the safe side.
   * Tempo's replica floors are checked against it with Tempo's sizing rules (Grafana's Tempo
   * sizing guidance): 1 distributor per 10 MB/s, 1 ingester and 1 compactor per 5 MB/s, 1 querier
   * per 2 MB/s, 2 query-frontends; the Collector's replicas × CPU with the throughput measured
   * here (generators/capacity/).
   */
  ingestMBps: number;
  /**
   * Average size of one span of that ingest, in bytes as Tempo counts them
   * (`tempo_distributor_bytes_received_total` ÷ `tempo_distributor_spans_received_total`, i.e.
   * uncompressed protobuf). Turns `ingestMBps` into spans per second for the Collector capacity
   * check. @default 500
   */
  bytesPerSpan: number;
  /** Block retention (`compactor.compaction.block_retention`), in hours; at least 24. @default 336 (14 days) */
  retentionHours: number;
  /** Ingester ring replication factor; ≤ ingester replicas; 3 in prod. Monolithic forces 1. */
  replicationFactor: number;
  storage: {
    /** `local` only in monolithic mode (a PVC); `s3` otherwise. */
    backend: "local" | "s3";
    /** The S3 bucket Terraform creates for this cluster (`bucket_name` in the tfvars). @default "<cluster name>-tempo-traces" */
    bucket: string;
    /** Region of the bucket; must equal the cluster's region. @default the cluster's region */
    region: string;
  };
  /** Name of the IAM role the `tempo` service account assumes through IRSA (`tempo_role_name`). @default "<cluster name>-tempo" */
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
  metricsGenerator: Workload & {
    /** Service graphs and span metrics for Grafana's service map and APM tables. @default true */
    enabled: boolean;
    /** @default ["service-graphs", "span-metrics"] */
    processors: MetricsGeneratorProcessor[];
    /** Size limit of the generator's WAL (an emptyDir: metrics can be regenerated). @default "2Gi" */
    walSizeLimit: string;
    /** The `local-blocks` processor (TraceQL metrics); used only when `processors` lists it. */
    localBlocks: {
      /**
       * Flush the generator's blocks to the trace storage. TraceQL metrics over a window older than
       * the query-frontend's `query_backend_after` (30 min) read those flushed blocks: without them
       * such queries come back empty, with no error. Costs blocks in the bucket, compacted and
       * retained like traces. @default true
       */
      flushToStorage: boolean;
      /**
       * Keep only server spans (Tempo's default). `false` counts every span kind, so
       * `{ kind = client }` or consumer-side TraceQL metrics are not empty, at the cost of more
       * generator memory and blocks. @default false
       */
      filterServerSpans: boolean;
    };
  };
  /** The dev pod (`-target=all`); used only in monolithic mode. One pod: the local backend cannot be shared. */
  monolithic: { resources: Resources; volumeSize: string };
  distributor: ScalableWorkload;
  ingester: IngesterModel;
  querier: ScalableWorkload;
  queryFrontend: Workload;
  compactor: Workload;
}

export type CollectorMode = "single" | "two-tier";

/** One rule of the gateway's tail sampler. A trace is kept when any policy keeps it, unless a `drop-paths` policy matches it. */
export type SamplingPolicy =
  | { name: string; type: "errors" }
  | { name: string; type: "latency"; thresholdMs: number }
  | { name: string; type: "services"; services: string[]; percent: number }
  | { name: string; type: "drop-paths"; paths: string[] }
  | { name: string; type: "probabilistic"; percent: number };

/** A cert-manager issuer: a namespaced `Issuer` (in the Collector's namespace) or a `ClusterIssuer`. */
export interface TlsIssuer {
  /** @default "ClusterIssuer" */
  kind: "ClusterIssuer" | "Issuer";
  /** The issuer's name; "" (the default) is accepted only where no Certificate is rendered. */
  name: string;
}

export interface CollectorModel {
  /** `single` = one tier exporting straight to Tempo (dev); `two-tier` = front → load_balancing → gateway with tail sampling. */
  mode: CollectorMode;
  /** The tier services send OTLP to (in single mode also the one exporting to Tempo). */
  front: ScalableWorkload;
  /**
   * The tail-sampling tier; used only in two-tier mode. No autoscaling on purpose: every change of
   * the pod set re-maps trace ids and splits in-flight traces between two sampling decisions.
   */
  gateway: Workload;
  /** Per-pod volume of the exporting tier (gateway, or front in single mode) holding the persistent sending queue. */
  queueVolumeSize: string;
  /**
   * Capacity of that sending queue to Tempo, in batches: how long a Tempo outage the exporting
   * tier rides out before refusing spans. @default 5000
   */
  exportQueueSize: number;
  sampling: {
    /** Seconds the gateway waits after a trace's first span before deciding. @default 10 */
    decisionWaitSeconds: number;
    /** Traces held in memory per gateway pod while waiting. @default 100000 */
    numTraces: number;
    /** Expected new traces per second (sizes the sampler's maps up front). @default 1000 */
    expectedNewTracesPerSec: number;
    /** Empty in single mode (no tail sampling there). */
    policies: SamplingPolicy[];
  };
  /** What the receiving tier strips from spans before anything leaves it. */
  redaction: {
    /** Span attribute keys removed outright. */
    deleteAttributes: string[];
    /** Span attribute keys whose values are replaced by their SHA-256 (joinable, not readable). */
    hashAttributes: string[];
    /** RE2 patterns; any attribute value matching one is masked. */
    blockedValuePatterns: string[];
  };
  tls: {
    /** TLS on the OTLP receivers; required in prod. */
    enabled: boolean;
    /** The kubernetes.io/tls Secret in the collector namespace holding the serving certificate. */
    secretName: string;
    /**
     * Require client certificates signed by the Secret's ca.crt (mTLS); prod's preset turns it on,
     * and every sending service then needs one (docs/prerequisites.md). @default false
     */
    requireClientCert: boolean;
    /** Oldest TLS version accepted. @default "1.2" */
    minVersion: "1.2" | "1.3";
    /**
     * The cluster runs cert-manager (its `cert-manager.io` CRDs): a `Certificate` issues
     * `secretName` from `issuer`, renewed before it expires, and the Collector reloads it. `false`
     * renders none: the Secret must then come from elsewhere, and the gate's rule
     * `k8s-secret-volume-issued` fails until a waiver says what creates it. Used only when TLS is
     * enabled. @default true
     */
    certManager: boolean;
    /**
     * The cert-manager issuer that signs the serving certificate: services must trust its CA
     * (`NODE_EXTRA_CA_CERTS`). Required (no default name) when TLS and cert-manager are on.
     */
    issuer: TlsIssuer;
    /** Lifetime of the serving certificate, in hours. @default 2160 (90 days) */
    durationHours: number;
    /** Renew this many hours before expiry; less than `durationHours`. @default 720 (30 days) */
    renewBeforeHours: number;
  };
}

export interface NetworkModel {
  /** Namespaces whose pods may send OTLP to the Collector (the NetworkPolicy's allow list). No default. */
  otlpClientNamespaces: string[];
  /** Where Grafana runs: the only namespace allowed to query Tempo. @default "grafana" */
  grafanaNamespace: string;
  /** Where Prometheus runs: scrapes Tempo and the Collector, receives the metrics-generator's remote_write. @default "monitoring" */
  monitoringNamespace: string;
}

/** Alert thresholds a cluster may set differently (apps/observability/src/alerts.ts uses them). */
export interface AlertThresholdsModel {
  /**
   * Share of spans lost at one stage (Collector refused or failed exports, Tempo discarded or
   * failed pushes, SDK drops) above which the stage's alert fires. @default 0.01
   */
  spanLossRatio: number;
  /** Fill of a Collector exporter queue (size / capacity) above which it warns. @default 0.8 */
  queueFillRatio: number;
  /** p99 of Tempo's trace search, in seconds, above which it warns. @default 5 */
  searchP99Seconds: number;
}

/** The platform's own alerts, dashboards and Grafana data sources (the observability app). */
export interface ObservabilityModel {
  /**
   * The cluster Grafana's external URL (https://…, no trailing slash): every alert's dashboard_url
   * links there. No default: each cluster states its own.
   */
  grafanaUrl: string;
  /**
   * uid of the cluster Grafana's Loki data source, for trace-to-logs; "" = the cluster has none,
   * and the Tempo data source gets no trace-to-logs link (never a dead one). @default ""
   */
  lokiDatasourceUid: string;
  alerts: AlertThresholdsModel;
}

/** A time window for the child Applications' syncs (an AppProject `syncWindows` entry). */
export interface SyncWindow {
  /** `allow`: automated syncs (self-heal included) run only inside the window; `deny`: none run inside it. */
  kind: "allow" | "deny";
  /** Cron schedule of each start, e.g. `"0 9 * * 1-4"` (09:00, Monday to Thursday). */
  schedule: string;
  /** How long the window lasts from each start, e.g. `"7h"`. */
  duration: string;
  /** IANA time zone the schedule is read in, e.g. `"Europe/Dublin"`. */
  timeZone: string;
  /** On-call may still sync by hand while automated syncs are blocked (an incident fix). */
  manualSync: boolean;
}

export interface ArgoCDModel {
  /** The Git repository Argo CD syncs this cluster from. */
  repoURL: string;
  /**
   * The branch Argo CD follows, root included. dev follows `main`, where every merge lands; staging
   * and prod follow promoted branches (`env/staging`, `env/prod`) that only
   * `npm run promote -- <env>` moves, to the commit the environment before runs. A merge to main
   * therefore changes dev alone. @default "main" (dev); "env/<environment>" (staging, prod)
   */
  revision: string;
  /** The AppProject every Application of the platform belongs to. @default "tracing-platform" */
  project: string;
  /**
   * When the child Applications may sync, in their AppProjects; the root is never held. [] = any
   * time. @default [] (dev, staging); prod: an allow window on working hours, manual sync allowed
   */
  syncWindows: SyncWindow[];
}

export interface Cluster {
  identity: Identity;
  scheduling: SchedulingModel;
  monitoring: MonitoringModel;
  tempo: TempoModel;
  collector: CollectorModel;
  network: NetworkModel;
  observability: ObservabilityModel;
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
