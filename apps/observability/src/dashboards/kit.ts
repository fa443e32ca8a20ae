// The shared shape of the platform's dashboards, on @grafana/grafana-foundation-sdk (pinned
// exactly: its 0.0.x releases change builders; it emits schemaVersion 42, so Grafana ≥ 12.2).
// Every dashboard starts with the `datasource` (Prometheus) and `cluster` variables, links its
// siblings (tag `tracing`) and the runbooks, and sets every panel id by hand (ids.ts), because the
// SDK assigns none and alerts link panels by id.
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { DATASOURCE_UIDS } from "../settings.ts";
import type { DashboardRef } from "./ids.ts";

export const DASHBOARD_TAG = "tracing";
/** Grafana variable holding the Prometheus data source; every Prometheus query uses it. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, expanded by Grafana.
export const PROMETHEUS = { type: "prometheus", uid: "${datasource}" };
export const TEMPO_DS = { type: "tempo", uid: DATASOURCE_UIDS.tempo };

export interface PromTarget {
  expr: string;
  legend: string;
  /** Only on histogram bucket queries: exemplars link a latency point to its trace. */
  exemplar?: boolean;
}

export function prom(expr: string, legend: string, exemplar = false): PromTarget {
  return { expr, legend, exemplar };
}

function queries(targets: PromTarget[]): PromQuery[] {
  return targets.map((t, i) =>
    new PromQuery()
      .datasource(PROMETHEUS)
      .refId(String.fromCharCode(65 + i))
      .expr(t.expr)
      .legendFormat(t.legend)
      .exemplar(t.exemplar ?? false)
      .range(),
  );
}

/** A grid cursor that places panels left to right in rows of 24 columns. */
export class Grid {
  #x = 0;
  #y = 0;
  #rowHeight = 0;
  place(w: number, h: number): dashboard.GridPos {
    if (this.#x + w > 24) {
      this.#x = 0;
      this.#y += this.#rowHeight;
      this.#rowHeight = 0;
    }
    const pos = { x: this.#x, y: this.#y, w, h };
    this.#x += w;
    this.#rowHeight = Math.max(this.#rowHeight, h);
    return pos;
  }
  /** A full-width row header. */
  row(title: string, id: number): cog.Builder<dashboard.RowPanel> {
    if (this.#x > 0) {
      this.#x = 0;
      this.#y += this.#rowHeight;
    }
    const pos = { x: 0, y: this.#y, w: 24, h: 1 };
    this.#y += 1;
    this.#rowHeight = 0;
    return new dashboard.RowBuilder(title).id(id).gridPos(pos);
  }
}

export function timeseries(
  grid: Grid,
  id: number,
  title: string,
  description: string,
  unit: string,
  targets: PromTarget[],
  w = 12,
): TimeseriesPanel {
  return new TimeseriesPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .gridPos(grid.place(w, 8))
    .targets(queries(targets));
}

export function stat(
  grid: Grid,
  id: number,
  title: string,
  description: string,
  unit: string,
  target: PromTarget,
  w = 6,
): StatPanel {
  return new StatPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .gridPos(grid.place(w, 4))
    .targets(queries([target]));
}

/** A panel the SDK has no builder for (alert list), as plain JSON. */
export function rawPanel(panel: dashboard.Panel): cog.Builder<dashboard.Panel> {
  return { build: () => panel };
}

export interface DashboardOptions {
  ref: DashboardRef;
  description: string;
  runbookBaseUrl: string;
  /** Variables after `datasource` and `cluster`. */
  variables?: cog.Builder<dashboard.VariableModel>[];
  /** The metric and label whose values fill the cluster variable. */
  clusterFrom: { metric: string; label: string };
}

export function clusterVariable(metric: string, label: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder("cluster")
    .label("Cluster")
    .datasource(PROMETHEUS)
    .query(`label_values(${metric}, ${label})`)
    .definition(`label_values(${metric}, ${label})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue(".*");
}

export function queryVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .multi(true)
    .allValue(".*");
}

export function newDashboard(o: DashboardOptions): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(o.ref.title)
    .uid(o.ref.uid)
    .description(o.description)
    .tags([DASHBOARD_TAG])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: "now-3h", to: "now" })
    .refresh("1m")
    .variables([
      new dashboard.DatasourceVariableBuilder("datasource")
        .label("Prometheus")
        .type("prometheus")
        .current({ text: DATASOURCE_UIDS.prometheus, value: DATASOURCE_UIDS.prometheus }),
      clusterVariable(o.clusterFrom.metric, o.clusterFrom.label),
      ...(o.variables ?? []),
    ])
    .links([
      new dashboard.DashboardLinkBuilder("Tracing dashboards")
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
      new dashboard.DashboardLinkBuilder("Runbooks")
        .type(dashboard.DashboardLinkType.Link)
        .url(`${o.runbookBaseUrl}/README.md`)
        .icon("doc")
        .targetBlank(true),
    ]);
}
