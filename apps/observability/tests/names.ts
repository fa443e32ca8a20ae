// Holds one expression to what its components expose: each metric must exist, each matched label
// must be one the metric carries, each grouping label one that some metric of the expression carries.
import type { KnownMetric } from "./catalog.ts";
import { PromqlSyntaxError, references } from "./promql.ts";

export function problemsOf(expr: string, known: Map<string, KnownMetric>, extraLabel?: string): string[] {
  let refs: ReturnType<typeof references>;
  try {
    refs = references(expr);
  } catch (error) {
    if (error instanceof PromqlSyntaxError) return [error.message];
    throw error;
  }
  const problems: string[] = [];
  const available = new Set<string>();
  for (const selector of refs.selectors) {
    const metric = known.get(selector.metric);
    if (!metric) {
      problems.push(`metric ${selector.metric} is not exposed by the Collector, Tempo or the SDK`);
      continue;
    }
    for (const label of metric.labels) available.add(label);
    for (const label of selector.labels) {
      if (!metric.labels.has(label))
        problems.push(`${selector.metric} has no label ${label} (it has ${[...metric.labels].sort().join(", ")})`);
    }
  }
  for (const label of [...refs.grouping, ...(extraLabel ? [extraLabel] : [])]) {
    if (available.size > 0 && !available.has(label))
      problems.push(`no metric of the expression has the label ${label}`);
  }
  return problems;
}
