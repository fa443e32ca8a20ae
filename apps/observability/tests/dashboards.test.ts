// The dashboards: stable uids and panel ids, a sound grid, resolvable data sources and variables,
// and the generated ConfigMaps equal to what the TypeScript builds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { DASHBOARDS, PANELS } from "../src/dashboards/ids.ts";
import { dashboards } from "../src/index.ts";
import { DATASOURCE_UIDS } from "../src/settings.ts";
import { type DashboardModel, dashboardProblems } from "./dashboards.ts";
import { TEST_SETTINGS } from "./settings.ts";

const test = suite("dashboards");
const ROOT = join(import.meta.dirname, "..", "..", "..");
const UIDS = new Set(Object.values(DATASOURCE_UIDS));
const boards = dashboards(TEST_SETTINGS) as DashboardModel[];

test("four dashboards with the uids ids.ts declares, tagged and on schemaVersion 42 (Grafana ≥ 12.2)", () => {
  assert.equal(
    boards.map((b) => b.uid),
    Object.values(DASHBOARDS).map((d) => d.uid),
  );
  for (const board of boards as (DashboardModel & { tags: string[]; schemaVersion: number })[]) {
    assert.equal(board.tags, ["tracing"]);
    assert.is(board.schemaVersion, 42);
  }
});

test("every panel id in ids.ts is a panel of its dashboard, and every panel is in ids.ts", () => {
  for (const [key, ref] of Object.entries(DASHBOARDS)) {
    const board = boards.find((b) => b.uid === ref.uid);
    const declared = Object.values(PANELS[key as keyof typeof PANELS]).sort((a, b) => a - b);
    const actual = (board?.panels ?? [])
      .filter((p) => p.type !== "row")
      .map((p) => p.id ?? -1)
      .sort((a, b) => a - b);
    assert.equal(actual, declared, ref.uid);
  }
});

test("no structural problem on any dashboard", () => {
  for (const board of boards) assert.equal(dashboardProblems(board, UIDS), [], board.uid);
});

test("bad fixtures: a duplicate id, an overlap, a missing refId, an unknown data source and variable are caught", () => {
  const bad: DashboardModel = {
    uid: "bad",
    templating: { list: [{ name: "cluster" }] },
    panels: [
      {
        id: 1,
        title: "a",
        gridPos: { x: 0, y: 0, w: 12, h: 8 },
        datasource: { uid: "loki" },
        targets: [{ refId: "A", expr: "up" }],
      },
      {
        id: 1,
        title: "b",
        gridPos: { x: 6, y: 4, w: 12, h: 8 },
        targets: [{ expr: 'up{cluster="$cluster", pod="$pod"}' }],
      },
      {
        id: 3,
        title: "c",
        gridPos: { x: 20, y: 20, w: 6, h: 2 },
        targets: [{ refId: "A", expr: "rate(x[5m])", exemplar: true }],
      },
    ],
  };
  assert.equal(dashboardProblems(bad, UIDS), [
    "panel 1 (a): data source loki is not provisioned",
    "panel 1 (b): id used twice",
    "panel 1 (b): overlaps panel 1 (a)",
    "panel 1 (b): a query without refId",
    "panel 1 (b): variable $pod is not defined",
    "panel 3 (c): gridPos outside the 24 columns",
    "panel 3 (c): exemplars on a query that reads no histogram",
  ]);
});

// Equality with what the TypeScript builds for each cluster is the drift check's (generate --check).
test("each cluster's committed dashboard ConfigMaps hold the four dashboards, and they pass the same lint", () => {
  for (const env of ["dev", "staging", "prod"]) {
    for (const ref of Object.values(DASHBOARDS)) {
      const file = join(ROOT, "clusters", env, "observability", `configmap-dashboard-${ref.uid}.yaml`);
      const object = parse(readFileSync(file, "utf8")) as { data: Record<string, string> };
      const json = JSON.parse(object.data[`${ref.uid}.json`] ?? "{}") as DashboardModel;
      assert.is(json.uid, ref.uid, file);
      assert.equal(dashboardProblems(json, UIDS), [], file);
    }
  }
});

test.run();
