// The rendered Tempo config of each mode, checked against the strict Tempo 2.7 key schema and for
// the settings 2.7 gets wrong by default.
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { renderSchema, SCHEMA_PATH } from "../config-schema/build.ts";
import { checkTempoConfig } from "../config-schema/check.ts";
import { leafSchema } from "../config-schema/keys.ts";
import { at, ciValuesOf, type Mode, renderMode, tempoConfig, workloads } from "./render.ts";

const rendered = suite("rendered config");

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

  rendered(
    `${mode}: the OTLP gRPC receiver closes connections after a while, so clients spread over new distributors`,
    () => {
      assert.is(
        at(config, "distributor.receivers.otlp.protocols.grpc.keepalive.server_parameters.max_connection_age"),
        "60s",
      );
    },
  );

  rendered(`${mode}: retention, limits and generator processors come from values`, () => {
    assert.is(at(config, "compactor.compaction.block_retention"), ciValuesOf(mode).storage.retention);
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
  const { limits } = ciValuesOf("prod");
  assert.equal(at(config, "overrides.defaults.ingestion"), {
    rate_strategy: "local",
    rate_limit_bytes: limits.rateLimitBytes,
    burst_size_bytes: limits.burstSizeBytes,
    max_traces_per_user: limits.maxTracesPerUser,
  });
  const bounded = tempoConfig(renderMode("prod", ["limits.maxSearchDuration=168h"]));
  assert.is(at(bounded, "overrides.defaults.read.max_search_duration"), "168h");
});

rendered("the pod running the metrics-generator outlasts its remote-write flush deadline when it stops", () => {
  for (const mode of ["dev", "staging", "prod"] as Mode[]) {
    const objects = renderMode(mode);
    const deadline = String(at(tempoConfig(objects), "metrics_generator.storage.remote_write_flush_deadline"));
    assert.match(deadline, /^\d+s$/, mode);
    const generator = workloads(objects).find((w) =>
      JSON.stringify(w.spec).match(/"-target=(all|metrics-generator)"/),
    ) as { spec: { template: { spec: { terminationGracePeriodSeconds: number } } } };
    assert.ok(
      generator.spec.template.spec.terminationGracePeriodSeconds > Number.parseInt(deadline, 10),
      `${mode}: grace ${generator.spec.template.spec.terminationGracePeriodSeconds}s, flush deadline ${deadline}`,
    );
  }
});

rendered(
  "local-blocks flushes to the trace storage (TraceQL metrics past 30 min are not empty) and counts every span kind",
  () => {
    const withLocalBlocks = tempoConfig(
      renderMode("prod", ["metricsGenerator.processors={service-graphs,span-metrics,local-blocks}"]),
    );
    assert.equal(at(withLocalBlocks, "metrics_generator.processor.local_blocks"), {
      filter_server_spans: false,
      flush_to_storage: true,
    });
    const without = tempoConfig(renderMode("prod", ["metricsGenerator.processors={service-graphs,span-metrics}"]));
    assert.is(at(without, "metrics_generator.processor"), undefined);
  },
);

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

/** Sets `value` at a dotted path (a segment ending in [] becomes a one-item list). */
function withKey(config: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  let node = config;
  const segments = path.split(".");
  segments.forEach((raw, i) => {
    const isList = raw.endsWith("[]");
    const key = isList ? raw.slice(0, -2) : raw;
    if (i === segments.length - 1) node[key] = value;
    else if (isList) {
      node[key] ??= [{}];
      node = (node[key] as Record<string, unknown>[])[0] as Record<string, unknown>;
    } else {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
  });
  return config;
}

// Real keys of Tempo 2.7.2 (in its key list) that the earlier hand-kept schema refused as unknown.
const PROBES: [string, unknown][] = [
  ["auth_enabled", false],
  ["cache.caches[].memcached.max_item_size", 1048576],
  ["distributor.forwarders[].name", "copy"],
  ["distributor.forwarders[].backend", "otlpgrpc"],
  ["distributor.forwarders[].otlpgrpc.tls.insecure", true],
  ["metrics_generator.processor.local_blocks.flush_check_period", "10s"],
  ["metrics_generator.processor.local_blocks.trace_idle_period", "10s"],
  ["metrics_generator.processor.local_blocks.time_overlap_cutoff", 0.2],
  ["metrics_generator.processor.local_blocks.block.version", "vParquet4"],
  ["metrics_generator.processor.local_blocks.block.search_encoding", "snappy"],
  ["metrics_generator.processor.local_blocks.block.bloom_filter_false_positive", 0.01],
  ["metrics_generator.processor.local_blocks.search.prefetch_trace_count", 1000],
  ["metrics_generator.processor.local_blocks.search.cache_control.footer", true],
  ["metrics_generator.processor.local_blocks.block.parquet_dedicated_columns[].name", "http.route"],
  ["metrics_generator.processor.span_metrics.filter_policies[].include.match_type", "strict"],
  ["metrics_generator.processor.span_metrics.filter_policies[].include.attributes[].key", "kind"],
  ["metrics_generator.processor.span_metrics.filter_policies[].exclude.match_type", "regex"],
  ["metrics_generator.storage.remote_write[].url", "http://prometheus:9090/api/v1/write"],
  ["metrics_generator.storage.remote_write[].bearer_token", "s3cr3t"],
  ["metrics_generator.storage.remote_write[].bearer_token_file", "/var/run/token"],
  ["metrics_generator.storage.remote_write[].write_relabel_configs[].action", "replace"],
  ["metrics_generator.storage.remote_write[].write_relabel_configs[].target_label", "cluster"],
  ["metrics_generator.storage.remote_write[].write_relabel_configs[].replacement", "prod"],
  ["metrics_generator.storage.remote_write[].write_relabel_configs[].regex", "(.*)"],
  ["metrics_generator.storage.remote_write[].write_relabel_configs[].modulus", 2],
  ["overrides.defaults.metrics_generator.processor.local_blocks.flush_check_period", "10s"],
  ["overrides.defaults.metrics_generator.processor.local_blocks.max_block_bytes", 500000000],
  ["overrides.defaults.metrics_generator.processor.local_blocks.complete_block_timeout", "1h"],
  ["overrides.defaults.metrics_generator.remote_write_headers.X-Scope-OrgID", "tenant"],
  ["overrides.user_configurable_overrides.client.backend", "s3"],
  ["overrides.user_configurable_overrides.client.s3.bucket", "overrides"],
  ["distributor.receivers.otlp.protocols.grpc.keepalive.server_parameters.max_connection_age", "60s"],
];

check(`${PROBES.length} real 2.7.2 keys the hand-kept schema refused are accepted`, () => {
  assert.ok(PROBES.length >= 30);
  for (const [path, value] of PROBES) {
    assert.equal(checkTempoConfig(withKey({}, path, value)), [], path);
  }
});

check("a key 2.7.2 does not read is refused, even where 2.7's docs list it (max_attribute_bytes, new in 2.8)", () => {
  const findings = checkTempoConfig(withKey({}, "overrides.defaults.ingestion.max_attribute_bytes", 2048));
  assert.equal(
    findings.map((f) => f.path),
    ["overrides.defaults.ingestion.max_attribute_bytes"],
  );
  assert.match(findings[0]?.message ?? "", /unknown key "max_attribute_bytes"/);
});

check("each duration key is held to its own grammar: Go's, or Prometheus's whole units", () => {
  const go = "compactor.compaction.block_retention";
  const prometheus = "overrides.defaults.read.max_search_duration";
  for (const value of ["1.5h", "500ms", "336h", "1h30m"])
    assert.equal(paths(withKey({}, go, value)), [], `${go}: ${value}`);
  assert.match(checkTempoConfig(withKey({}, go, "7d"))[0]?.message ?? "", /a Go duration .*found "7d"/);
  for (const value of ["7d", "1h30m", "168h", "0", "1w2d"])
    assert.equal(paths(withKey({}, prometheus, value)), [], `${prometheus}: ${value}`);
  for (const value of ["1.5h", "500us", "30m1h", ""]) {
    const [finding] = checkTempoConfig(withKey({}, prometheus, value));
    assert.is(finding?.path, prometheus, value);
  }
  assert.match(
    checkTempoConfig(withKey({}, prometheus, "1.5h"))[0]?.message ?? "",
    /a Prometheus duration: whole numbers .*found "1\.5h"/,
  );
});

check("a type the key list names but the build does not know stops the build, naming the line", () => {
  assert.throws(
    () => leafSchema({ path: "x.y", type: "complex128", customUnmarshal: false, line: 7 }),
    /tempo-2\.7\.2-config-keys\.tsv:7: x\.y: no schema for the type "complex128"/,
  );
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
