// What the alerts, dashboards and data sources need to know about one cluster. The generators
// derive it from the cluster model (generators/values/observability.ts); tests build their own.

export interface AlertThresholds {
  /** Share of spans lost at one stage (refused, failed export, discarded, SDK drops) that alerts. */
  spanLossRatio: number;
  /** Fill of a Collector exporter queue (size / capacity) that warns. */
  queueFillRatio: number;
  /** p99 of Tempo's search requests, in seconds, that warns. */
  searchP99Seconds: number;
}

export interface ObservabilitySettings {
  /** The cluster's name, as the `cluster` label carries it. */
  cluster: string;
  /** Grafana's external URL, no trailing slash: dashboard_url annotations link there. */
  grafanaUrl: string;
  /**
   * Where the runbooks are read, no trailing slash: the repository's docs/runbooks/ at the revision
   * Argo CD follows (`https://github.com/<org>/<repo>/blob/<revision>/docs/runbooks`).
   */
  runbookBaseUrl: string;
  /** Tempo's query URL inside the cluster (the query-frontend, or the monolithic Tempo). */
  tempoUrl: string;
  /** Prometheus's URL inside the cluster (Grafana's data source). */
  prometheusUrl: string;
  /** uid of the cluster Grafana's Loki data source; "" = none, and trace-to-logs is left out. */
  lokiDatasourceUid: string;
  thresholds: AlertThresholds;
}

/** Data source uids the dashboards and the provisioning share (one home). */
export const DATASOURCE_UIDS = { prometheus: "prometheus", tempo: "tempo" } as const;
