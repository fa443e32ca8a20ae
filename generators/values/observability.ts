// The cluster model → values for apps/observability: the alert rules, dashboards and data sources
// are built here by apps/observability/src from the cluster's settings, and the chart wraps them
// in a PrometheusRule and ConfigMaps for Grafana's sidecars.
import { type ObservabilitySettings, observabilityValues } from "../../apps/observability/src/index.ts";
import type { Cluster } from "../model/types.ts";
import { TEMPO_QUERY_URLS } from "../platform.ts";
import { RenderError } from "../render/render-app.ts";

/**
 * Where the runbooks are read: the repository's docs/runbooks/ at the revision Argo CD follows, so
 * an alert links the runbook of the code that is running. GitHub and local clones (tests) only.
 */
export function runbookBaseUrl(cluster: Cluster): string {
  const { repoURL, revision } = cluster.argocd;
  const github = /^https:\/\/github\.com\/([^/]+\/[^/]+?)(\.git)?$/.exec(repoURL);
  if (github) return `https://github.com/${github[1]}/blob/${revision}/docs/runbooks`;
  if (repoURL.startsWith("file:///")) return `${repoURL.replace(/\.git$/, "")}/docs/runbooks`;
  throw new RenderError(
    cluster.identity.environment,
    "apps/observability",
    `argocd.repoURL ${repoURL} is not on github.com: runbook links cannot be derived from it`,
  );
}

export function observabilitySettings(cluster: Cluster): ObservabilitySettings {
  return {
    cluster: cluster.identity.name,
    grafanaUrl: cluster.observability.grafanaUrl,
    runbookBaseUrl: runbookBaseUrl(cluster),
    tempoUrl: TEMPO_QUERY_URLS[cluster.tempo.mode],
    prometheusUrl: new URL(cluster.monitoring.remoteWriteUrl).origin,
    lokiDatasourceUid: cluster.observability.lokiDatasourceUid,
    thresholds: { ...cluster.observability.alerts },
  };
}

export function observabilityChartValues(cluster: Cluster): Record<string, unknown> {
  const built = observabilityValues(observabilitySettings(cluster));
  return {
    cluster: { name: cluster.identity.name, environment: cluster.identity.environment },
    prometheusRule: {
      enabled: cluster.monitoring.prometheusOperator,
      namespace: cluster.network.monitoringNamespace,
      labels: { ...cluster.monitoring.serviceMonitorLabels },
      groups: built.rules.groups,
    },
    grafana: {
      namespace: cluster.network.grafanaNamespace,
      dashboardLabel: { grafana_dashboard: "1" },
      datasourceLabel: { grafana_datasource: "1" },
      folder: "Tracing",
    },
    dashboards: built.dashboards,
    datasources: built.datasources,
  };
}
