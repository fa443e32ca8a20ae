// Each chart's ci/<env>-values.yaml: the values `generate` renders that cluster's folder with,
// written beside the chart, so `helm lint` and the chart's own tests run on the clusters that
// exist rather than on hand-kept copies that drift from them. The cases a chart must handle that
// no cluster uses live in the chart's tests as named overrides.
import type { ChartApp } from "../apps.ts";
import { CHART_APPS } from "../apps.ts";
import { yamlHeader } from "./header.ts";
import { tfvarsPath } from "./tfvars.ts";
import { toYaml } from "./yaml.ts";

export function ciValuesPath(chart: string, environment: string): string {
  return `${chart}/ci/${environment}-values.yaml`;
}

export function ciValuesText(environment: string, app: ChartApp, values: Record<string, unknown>): string {
  const made = `the values generators/apps.ts gives helm for clusters/${environment}/${app.name}/`;
  return yamlHeader(environment, made) + toYaml(values);
}

/** What `generate` owns for an environment outside clusters/<env>/: Terraform inputs, ci values. */
export function outsideFiles(environment: string, charts: readonly ChartApp[] = CHART_APPS): string[] {
  return [tfvarsPath(environment), ...charts.map((app) => ciValuesPath(app.chart, environment))];
}
