// The rendered Tempo config of each mode, checked against the strict Tempo 2.7 key schema and for
// the settings 2.7 gets wrong by default.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { renderSchema, SCHEMA_PATH } from "../config-schema/build.ts";
import { checkTempoConfig } from "../config-schema/check.ts";
import { at, type Mode, renderMode, tempoConfig } from "./render.ts";

const rendered = suite("rendered config");

const RETENTION: Record<Mode, string> = { dev: "72h", staging: "168h", prod: "720h" };

for (const mode of ["dev", "staging", "prod"] as Mode[]) {
  const config = tempoConfig(renderMode(mode));

  rendered(`${mode}: every key is one Tempo 2.7 knows`, () => {
    assert.equal(checkTempoConfig(config), []);
  });

  rendered(`${mode}: the 2.7 defaults that break a cluster are overridden`, () => {
    assert.is(at(config, "server.http_listen_port"), 3200, "2.7 defaults to port 80");
    assert.is(at(config, "distributor.receivers.otlp.protocols.grpc.endpoint"), "0.0.0.0:4317", "2.7 binds localhost");
    assert.is(at(config, "distributor.receivers.otlp.protocols.http.endpoint"), "0.0.0.0:4318", "2.7 binds localhost");
    assert.is(at(config, "stream_over_http_enabled"), true);
    assert.is(at(config, "usage_report.reporting_enabled"), false);
  });

  rendered(`${mode}: retention, limits and generator processors come from values`, () => {
    assert.is(at(config, "compactor.compaction.block_retention"), RETENTION[mode]);
    assert.ok(Number(at(config, "overrides.defaults.ingestion.rate_limit_bytes")) > 0);
    assert.ok(Number(at(config, "overrides.defaults.global.max_bytes_per_trace")) > 0);
    const processors = at(config, "overrides.defaults.metrics_generator.processors") as string[];
    assert.ok(processors.includes("service-graphs") && processors.includes("span-metrics"));
    assert.ok(String(at(config, "metrics_generator.storage.path")).startsWith("/var/tempo/"));
    const remoteWrite = at(config, "metrics_generator.storage.remote_write") as { url: string }[];
    assert.match(remoteWrite[0]?.url ?? "", /^http:\/\/prometheus-operated\.monitoring\.svc/);
    assert.is(at(config, "metrics_generator.registry.external_labels.cluster"), `greenlang-${mode}-euw1`);
  });
}

rendered("prod limits: the ci values reach the overrides", () => {
  const config = tempoConfig(renderMode("prod"));
  assert.equal(at(config, "overrides.defaults.ingestion"), {
    rate_strategy: "local",
    rate_limit_bytes: 20000000,
    burst_size_bytes: 30000000,
    max_traces_per_user: 20000,
  });
  assert.is(at(config, "overrides.defaults.read.max_search_duration"), "168h");
});

rendered("distributed modes use memberlist rings; monolithic does not", () => {
  const prod = tempoConfig(renderMode("prod"));
  for (const ring of ["distributor.ring", "compactor.ring", "metrics_generator.ring", "ingester.lifecycler.ring"]) {
    assert.is(at(prod, `${ring}.kvstore.store`), "memberlist", ring);
  }
  assert.is(at(prod, "memberlist.cluster_label"), "tempo.tempo");
  assert.is(at(tempoConfig(renderMode("dev")), "ingester"), undefined);
});

rendered.run();

const check = suite("checkTempoConfig");

const paths = (config: unknown) => checkTempoConfig(config).map((f) => f.path);

check("flags keys 2.7 removed", () => {
  assert.equal(paths({ query_frontend: { querier_forget_delay: "1m" } }), ["query_frontend.querier_forget_delay"]);
  assert.equal(paths({ use_otel_tracer: true }), ["use_otel_tracer"]);
  assert.equal(paths({ search_enabled: true }), ["search_enabled"]);
  assert.equal(paths({ storage: { trace: { wal: { completedfilepath: "/x" } } } }), [
    "storage.trace.wal.completedfilepath",
  ]);
  assert.equal(paths({ overrides: { ingestion_rate_limit_bytes: 1 } }), ["overrides.ingestion_rate_limit_bytes"]);
});

check("flags keys that only later releases know (S3 sse arrived in 2.8)", () => {
  const findings = checkTempoConfig({
    storage: { trace: { backend: "s3", s3: { bucket: "b", sse: { type: "SSE-KMS" } } } },
  });
  assert.is(findings.length, 1);
  assert.is(findings[0]?.path, "storage.trace.s3.sse");
  assert.match(findings[0]?.message ?? "", /unknown key "sse"/);
});

check("flags a misspelled key at any depth, root included", () => {
  assert.equal(paths({ sever: {} }), ["sever"]);
  assert.equal(paths({ ingester: { lifecycler: { ring: { replication_factr: 3 } } } }), [
    "ingester.lifecycler.ring.replication_factr",
  ]);
  assert.equal(
    paths({ metrics_generator: { storage: { remote_write: [{ url: "http://p:9090", send_exemplar: true }] } } }),
    ["metrics_generator.storage.remote_write[0].send_exemplar"],
  );
});

check("flags wrong types, enums and durations with the value found", () => {
  const findings = checkTempoConfig({
    server: { http_listen_port: "3200" },
    storage: { trace: { backend: "minio" } },
    compactor: { compaction: { block_retention: "14d" } },
    overrides: { defaults: { metrics_generator: { processors: ["service-graph"] } } },
  });
  const byPath = Object.fromEntries(findings.map((f) => [f.path, f.message]));
  assert.match(byPath["server.http_listen_port"] ?? "", /must be integer \(found "3200"\)/);
  assert.match(byPath["storage.trace.backend"] ?? "", /must be one of .*"s3".* \(found "minio"\)/);
  assert.match(byPath["compactor.compaction.block_retention"] ?? "", /Go duration .*found "14d"/);
  assert.match(byPath["overrides.defaults.metrics_generator.processors[0]"] ?? "", /must be one of/);
});

check("accepts durations as Tempo does, and rejects a config that is not a mapping", () => {
  assert.equal(checkTempoConfig({ compactor: { compaction: { block_retention: "1h30m", compaction_window: 0 } } }), []);
  assert.equal(paths("target: all"), [""]);
  assert.equal(paths(["x"]), [""]);
  assert.equal(paths(null), [""]);
});

check.run();

const schema = suite("key schema");

schema("tempo-2.7.schema.json is what build.ts produces (not edited by hand)", () => {
  assert.fixture(readFileSync(SCHEMA_PATH, "utf8"), renderSchema());
});

schema("every object in the schema is closed (additionalProperties false) unless it is a free map", () => {
  const open: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.type === "object" && n.properties && n.additionalProperties !== false) open.push(path || "(root)");
    if (
      n.type === "object" &&
      !n.properties &&
      (n.additionalProperties === undefined || n.additionalProperties === true)
    ) {
      open.push(path || "(root)");
    }
    for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, path ? `${path}.${k}` : k);
    if (n.items) walk(n.items, `${path}[]`);
    if (n.additionalProperties && typeof n.additionalProperties === "object") walk(n.additionalProperties, `${path}.*`);
  };
  walk(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")), "");
  assert.equal(open, []);
});

schema.run();
