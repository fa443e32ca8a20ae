// The Grafana data sources: uids resolve, Grafana's provisioning expansion is escaped, the Tempo
// data source's links are shaped as Grafana reads them, and trace-to-logs never points nowhere.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { type Datasource, datasources, escapeProvisioning, provisioning } from "../src/datasources.ts";
import { DATASOURCES_FILE, grafanaValuesFragment, observabilityValues } from "../src/index.ts";
import { DATASOURCE_UIDS } from "../src/settings.ts";
import { TEST_SETTINGS } from "./settings.ts";

const test = suite("data sources");
const ROOT = join(import.meta.dirname, "..", "..", "..");

/** Every `datasourceUid` anywhere in a data source's jsonData. */
function referencedUids(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencedUids(v, found);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "datasourceUid" && typeof v === "string") found.push(v);
      else referencedUids(v, found);
    }
  }
  return found;
}

function unresolved(list: Datasource[], external: string[]): string[] {
  const uids = new Set([...list.map((d) => d.uid), ...external]);
  return list.flatMap((d) =>
    referencedUids(d.jsonData)
      .filter((uid) => !uids.has(uid))
      .map((uid) => `${d.name} → ${uid}`),
  );
}

/** A `$` that Grafana's provisioning would expand: not part of a `$$` pair. */
function unescapedDollars(text: string): string[] {
  return [...text.matchAll(/(?<!\$)\$(?!\$)\{?[A-Za-z_]\w*/g)].map((m) => m[0]);
}

test("uids are unique and the ones dashboards use", () => {
  const list = datasources(TEST_SETTINGS);
  assert.equal(list.map((d) => d.uid).sort(), Object.values(DATASOURCE_UIDS).sort());
});

test("every datasourceUid resolves (Loki's is the model's lokiDatasourceUid)", () => {
  assert.equal(unresolved(datasources(TEST_SETTINGS), [TEST_SETTINGS.lokiDatasourceUid]), []);
});

test("bad fixture: a link to a data source nobody provisions is caught", () => {
  const list = datasources({ ...TEST_SETTINGS, lokiDatasourceUid: "elsewhere" });
  assert.equal(unresolved(list, []), ["Tempo → elsewhere"]);
});

test("without a Loki uid the Tempo data source has no trace-to-logs at all", () => {
  const tempo = datasources({ ...TEST_SETTINGS, lokiDatasourceUid: "" }).find((d) => d.uid === "tempo");
  assert.is(tempo?.jsonData.tracesToLogsV2, undefined);
  assert.equal(unresolved(datasources({ ...TEST_SETTINGS, lokiDatasourceUid: "" }), []), []);
});

test("trace-to-logs: V2 tags are {key, value} objects; a custom query turns the filterBy switches off", () => {
  const tempo = datasources(TEST_SETTINGS).find((d) => d.uid === "tempo");
  const logs = tempo?.jsonData.tracesToLogsV2 as Record<string, unknown>;
  for (const tag of logs.tags as unknown[])
    assert.ok(typeof tag === "object" && tag !== null && "key" in tag, JSON.stringify(tag));
  assert.is(logs.customQuery, true);
  assert.is(logs.filterByTraceID, false);
  assert.is(logs.filterBySpanID, false);
  assert.match(String(logs.query), /trace_id="\$\{__trace\.traceId\}"/);
});

test("Prometheus exemplars link both trace id labels (SDK trace_id, metrics-generator traceID) to Tempo", () => {
  const prometheus = datasources(TEST_SETTINGS).find((d) => d.uid === "prometheus");
  assert.equal(
    ((prometheus?.jsonData.exemplarTraceIdDestinations ?? []) as { name: string; datasourceUid: string }[]).map((d) => [
      d.name,
      d.datasourceUid,
    ]),
    [
      ["trace_id", "tempo"],
      ["traceID", "tempo"],
    ],
  );
});

test("the provisioning text escapes every Grafana variable as $$ and reads back to the unescaped model", () => {
  const text = observabilityValues(TEST_SETTINGS).datasources;
  assert.equal(unescapedDollars(text), []);
  assert.ok(text.includes("$${__span.tags"), "span variables escaped");
  assert.ok(text.includes("{$$__tags}"), "trace-to-metrics tags escaped");
  const read = parse(text) as ReturnType<typeof provisioning>;
  assert.equal(read, provisioning(TEST_SETTINGS));
  assert.equal(escapeProvisioning(datasources(TEST_SETTINGS)), read.datasources);
});

test("bad fixture: an unescaped variable is caught", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, on purpose unescaped.
  assert.equal(unescapedDollars('query: sum(rate(x{$__tags}[5m])) and {pod="${__span.tags.pod}"} and $$ok'), [
    "$__tags",
    "${__span",
  ]);
});

test("the committed ConfigMap and the Grafana chart fragment carry the provisioning under one file name", () => {
  for (const env of ["dev", "staging", "prod"]) {
    const configMap = parse(
      readFileSync(join(ROOT, "clusters", env, "observability", "configmap-tracing-datasources.yaml"), "utf8"),
    ) as { data: Record<string, string> };
    assert.equal(Object.keys(configMap.data), [DATASOURCES_FILE], env);
    const fragment = parse(readFileSync(join(ROOT, "clusters", env, "grafana", "datasources.values.yaml"), "utf8")) as {
      datasources: Record<string, unknown>;
    };
    assert.equal(fragment.datasources[DATASOURCES_FILE], parse(configMap.data[DATASOURCES_FILE] ?? ""), env);
  }
  assert.equal(grafanaValuesFragment(TEST_SETTINGS).datasources[DATASOURCES_FILE], provisioning(TEST_SETTINGS));
});

test.run();
