// Everything the observability chart is given for one cluster: the alert rule groups, the
// dashboards (JSON text, one ConfigMap each) and the data source provisioning (YAML text).
import { stringify } from "yaml";
import { alertGroups, type RuleGroup } from "./alerts.ts";
import { otelCollectorDashboard } from "./dashboards/otel-collector.ts";
import { tempoOperationsDashboard } from "./dashboards/tempo-operations.ts";
import { traceAnalyticsDashboard } from "./dashboards/trace-analytics.ts";
import { tracingOverviewDashboard } from "./dashboards/tracing-overview.ts";
import { type Provisioning, provisioning } from "./datasources.ts";
import type { ObservabilitySettings } from "./settings.ts";

export type { ObservabilitySettings } from "./settings.ts";

export interface DashboardFile {
  uid: string;
  title: string;
  /** The dashboard model as Grafana's sidecar reads it: JSON, keys in a stable order. */
  json: string;
}

export function dashboards(s: ObservabilitySettings): Record<string, unknown>[] {
  return [
    tracingOverviewDashboard(s.runbookBaseUrl),
    tempoOperationsDashboard(s.runbookBaseUrl),
    otelCollectorDashboard(s.runbookBaseUrl),
    traceAnalyticsDashboard(s.runbookBaseUrl),
  ] as unknown as Record<string, unknown>[];
}

export function dashboardFiles(s: ObservabilitySettings): DashboardFile[] {
  return dashboards(s).map((d) => ({
    uid: String(d.uid),
    title: String(d.title),
    json: `${JSON.stringify(d, null, 2)}\n`,
  }));
}

export interface ObservabilityValues {
  rules: { groups: RuleGroup[] };
  dashboards: DashboardFile[];
  datasources: string;
}

export function observabilityValues(s: ObservabilitySettings): ObservabilityValues {
  return {
    rules: { groups: alertGroups(s) },
    dashboards: dashboardFiles(s),
    datasources: stringify(provisioning(s), { lineWidth: 0 }),
  };
}

/** The provisioning file's name, in the ConfigMap and in the Grafana chart's `datasources` value. */
export const DATASOURCES_FILE = "tracing-datasources.yaml";

/**
 * The same data sources as a values fragment for the Grafana Helm chart (its `datasources` key), for
 * a Grafana that does not run the data source sidecar. The `$$` escaping holds there too: the chart
 * writes the value into a provisioning file.
 */
export function grafanaValuesFragment(s: ObservabilitySettings): { datasources: Record<string, Provisioning> } {
  return { datasources: { [DATASOURCES_FILE]: provisioning(s) } };
}
