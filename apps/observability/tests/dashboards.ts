// Structural lint of a Grafana dashboard model, for what Grafana would only show as a broken panel:
// ids, refIds, the grid, data sources and variables.
export interface DashboardModel {
  uid?: string;
  panels?: PanelModel[];
  templating?: { list?: { name: string }[] };
}

export interface PanelModel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { uid?: string };
  targets?: { refId?: string; expr?: string; exemplar?: boolean; datasource?: { uid?: string } }[];
}

const GRAFANA_VARIABLES = new Set(["__rate_interval", "__interval", "__range", "__tags"]);

export function dashboardProblems(board: DashboardModel, datasourceUids: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const ids = new Set<number>();
  const variables = new Set((board.templating?.list ?? []).map((v) => v.name));
  const cells = new Map<string, string>();
  for (const panel of board.panels ?? []) {
    const at = `panel ${panel.id} (${panel.title})`;
    if (typeof panel.id !== "number") problems.push(`${panel.title}: no id (alerts and runbooks link panels by id)`);
    else if (ids.has(panel.id)) problems.push(`${at}: id used twice`);
    else ids.add(panel.id);
    const pos = panel.gridPos;
    if (!pos) problems.push(`${at}: no gridPos`);
    else {
      if (pos.x < 0 || pos.w < 1 || pos.x + pos.w > 24) problems.push(`${at}: gridPos outside the 24 columns`);
      for (let x = pos.x; x < pos.x + pos.w; x++) {
        for (let y = pos.y; y < pos.y + pos.h; y++) {
          const other = cells.get(`${x},${y}`);
          if (other) {
            problems.push(`${at}: overlaps ${other}`);
            x = pos.x + pos.w;
            break;
          }
          cells.set(`${x},${y}`, at);
        }
      }
    }
    const refIds = new Set<string>();
    for (const target of panel.targets ?? []) {
      if (!target.refId) problems.push(`${at}: a query without refId`);
      else if (refIds.has(target.refId)) problems.push(`${at}: refId ${target.refId} used twice`);
      else refIds.add(target.refId);
      if (target.exemplar && !/_bucket\{/.test(target.expr ?? ""))
        problems.push(`${at}: exemplars on a query that reads no histogram`);
    }
    for (const ref of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]) {
      const uid = ref?.uid;
      if (uid === undefined) continue;
      const variable = /^\$\{(\w+)\}$/.exec(uid)?.[1];
      if (variable ? !variables.has(variable) : !datasourceUids.has(uid))
        problems.push(`${at}: data source ${uid} is not provisioned`);
    }
    for (const target of panel.targets ?? []) {
      for (const match of (target.expr ?? "").matchAll(/\$\{?(\w+)\}?/g)) {
        const name = match[1] ?? "";
        if (!GRAFANA_VARIABLES.has(name) && !variables.has(name))
          problems.push(`${at}: variable $${name} is not defined`);
      }
    }
  }
  return problems;
}
