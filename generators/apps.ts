// The charts every cluster runs, and how each is rendered. Adding a chart = one entry here, one
// value mapper under values/, and a sync wave in render/labels.ts.
import type { Cluster } from "./model/types.ts";
import { NAMESPACES } from "./platform.ts";
import { WAVES } from "./render/labels.ts";
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
];

/** Folders the generators write under clusters/<env>/ besides the chart apps. */
export const NAMESPACES_FOLDER = "namespaces";
