// The charts every cluster runs, and how each is rendered. Adding a chart = one entry here, one
// value mapper under values/, and a sync wave in render/labels.ts.
import type { Cluster } from "./model/types.ts";
import { NAMESPACES } from "./platform.ts";
import { WAVES } from "./render/labels.ts";
import { observabilityChartValues } from "./values/observability.ts";
import { collectorValues } from "./values/otel-collector.ts";
import { tempoValues } from "./values/tempo.ts";

export interface ChartApp {
  /** Folder under clusters/<env>/ and Argo CD Application name. */
  name: string;
  release: string;
  /** Chart folder relative to the repository root. */
  chart: string;
  namespace: string;
  wave: number;
  values: (cluster: Cluster) => Record<string, unknown>;
  /**
   * Namespaces owned by someone else (the monitoring stack) that this app may put objects in. The
   * AppProject admits them as destinations; the generators never create or prune them.
   */
  foreignNamespaces?: (cluster: Cluster) => string[];
}

export const CHART_APPS: readonly ChartApp[] = [
  {
    name: "tempo",
    release: "tempo",
    chart: "apps/tempo",
    namespace: NAMESPACES.tempo,
    wave: WAVES.tempo,
    values: tempoValues,
  },
  {
    name: "otel-collector",
    release: "otel-collector",
    chart: "apps/otel-collector",
    namespace: NAMESPACES.collector,
    wave: WAVES.collector,
    values: collectorValues,
  },
  {
    name: "observability",
    release: "observability",
    chart: "apps/observability",
    // Objects name their namespaces (rules in monitoring, Grafana ConfigMaps in grafana); the
    // destination only satisfies the project.
    namespace: NAMESPACES.monitoring,
    wave: WAVES.observability,
    values: observabilityChartValues,
    foreignNamespaces: (cluster) => [cluster.network.monitoringNamespace, cluster.network.grafanaNamespace],
  },
];

/** Folders the generators write under clusters/<env>/ besides the chart apps. */
export const NAMESPACES_FOLDER = "namespaces";
