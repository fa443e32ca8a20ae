// Every PromQL expression the platform ships, with where it lives: alert rules, dashboard targets
// and dashboard variable queries. The names test and the live test both walk this list.
import { alertDefinitions } from "../src/alerts.ts";
import { dashboards } from "../src/index.ts";
import type { ObservabilitySettings } from "../src/settings.ts";
import { labelValuesQuery } from "./promql.ts";

export interface ShippedExpression {
  where: string;
  expr: string;
  /** Alert, dashboard panel or a variable's label_values() selector. */
  kind: "alert" | "panel" | "variable";
  /** For label_values(): the label whose values are read. */
  label?: string;
}

interface Panel {
  id?: number;
  title?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: Panel[];
}

export function shippedExpressions(settings: ObservabilitySettings): ShippedExpression[] {
  const found: ShippedExpression[] = [];
  for (const alert of alertDefinitions(settings))
    found.push({ where: `alert ${alert.alert}`, expr: alert.expr, kind: "alert" });
  for (const board of dashboards(settings) as {
    uid: string;
    panels?: Panel[];
    templating?: { list?: { name: string; query?: unknown }[] };
  }[]) {
    const walk = (panels: Panel[] | undefined) => {
      for (const panel of panels ?? []) {
        for (const target of panel.targets ?? []) {
          if (target.expr) {
            found.push({
              where: `dashboard ${board.uid} panel ${panel.id} (${panel.title}) ${target.refId}`,
              expr: target.expr,
              kind: "panel",
            });
          }
        }
        walk(panel.panels);
      }
    };
    walk(board.panels);
    for (const variable of board.templating?.list ?? []) {
      const query = typeof variable.query === "string" ? labelValuesQuery(variable.query) : undefined;
      if (query) {
        found.push({
          where: `dashboard ${board.uid} variable ${variable.name}`,
          expr: query.selector,
          kind: "variable",
          label: query.label,
        });
      }
    }
  }
  return found;
}
