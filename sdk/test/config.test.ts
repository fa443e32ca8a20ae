// Configuration: precedence (options > environment > defaults), the standard OTEL_* variables and
// the GL_* extras, and errors that name the setting, the value and what is allowed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, parseSamplingRules, resolveConfig } from "../src/config.ts";

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.instance(error, ConfigError);
    return error as ConfigError;
  }
  assert.unreachable("no ConfigError was thrown");
  throw new Error("unreachable");
}

test("defaults: http/protobuf to localhost:4318 with gzip, tuned batch, keep-all sampling, redaction on", () => {
  const c = resolveConfig({}, {});
  assert.is(c.protocol, "http/protobuf");
  assert.is(c.tracesEndpoint, "http://localhost:4318/v1/traces");
  assert.is(c.metricsEndpoint, "http://localhost:4318/v1/metrics");
  assert.is(c.compression, "gzip");
  assert.is(c.compressionLevel, 1);
  assert.equal(c.batch, {
    maxQueueSize: 8192,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 1000,
    exportTimeoutMillis: 10000,
  });
  assert.is(c.samplingRatio, 1);
  assert.is(c.redaction.enabled, true);
  assert.is(c.disabled, false);
  assert.ok(c.serviceName.startsWith("unknown_service:"));
  assert.ok(c.ignorePaths.includes("/healthz"));
  assert.equal(c.propagators, ["tracecontext", "baggage"]);
  assert.is(c.tracesExporter, "otlp");
});

test("GL_EXPORTER_OTLP_COMPRESSION_LEVEL sets the gzip level", () => {
  assert.is(resolveConfig({}, { GL_EXPORTER_OTLP_COMPRESSION_LEVEL: "6" }).compressionLevel, 6);
});

test("standard OTEL_* variables are honoured", () => {
  const c = resolveConfig(
    {},
    {
      OTEL_SERVICE_NAME: "checkout",
      OTEL_RESOURCE_ATTRIBUTES: "service.version=1.2.3,deployment.environment.name=prod,team=payments",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=a,authorization=Bearer%20t",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-tenant=b",
      OTEL_EXPORTER_OTLP_TIMEOUT: "2500",
      OTEL_BSP_MAX_QUEUE_SIZE: "100",
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "50",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: "kafkajs,grpc",
      OTEL_TRACES_EXPORTER: "console",
    },
  );
  assert.is(c.tracesExporter, "console");
  assert.is(c.serviceName, "checkout");
  assert.is(c.serviceVersion, "1.2.3");
  assert.is(c.environment, "prod");
  assert.is(c.resourceAttributes.team, "payments");
  assert.is(c.tracesEndpoint, "http://collector:4318/v1/traces");
  assert.is(c.protocol, "http/json");
  assert.equal(c.headers, { "x-tenant": "b", authorization: "Bearer t" });
  assert.is(c.timeoutMillis, 2500);
  assert.is(c.batch.maxQueueSize, 100);
  assert.is(c.batch.maxExportBatchSize, 50);
  assert.is(c.samplingRatio, 0.25);
  assert.not.ok(c.instrumentations.includes("kafkajs"));
  assert.ok(c.instrumentations.includes("http"));
});

test("signal-specific endpoint is used verbatim; gRPC uses the base URL and metrics go to :4318", () => {
  const verbatim = resolveConfig({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://otlp.example:443/custom/traces" });
  assert.is(verbatim.tracesEndpoint, "https://otlp.example:443/custom/traces");
  const grpc = resolveConfig(
    {},
    { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4317" },
  );
  assert.is(grpc.tracesEndpoint, "http://collector:4317");
  assert.is(grpc.metricsEndpoint, "http://collector:4318/v1/metrics");
});

test("options in code win over the environment; GL_* extras fill the rest", () => {
  const c = resolveConfig(
    { serviceName: "from-code", protocol: "grpc", samplingRatio: 0.5, environment: "staging", compressionLevel: 9 },
    {
      GL_EXPORTER_OTLP_COMPRESSION_LEVEL: "6",
      OTEL_SERVICE_NAME: "from-env",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_TRACES_SAMPLER: "always_off",
      GL_ENVIRONMENT: "prod",
      GL_CLUSTER: "eu-1",
      GL_GIT_COMMIT: "abc123",
      GL_TRACE_RESPONSE_HEADER: "x-trace-id",
      GL_SAMPLING_RULES: "route=/api/search*,ratio=0.1;service=batch,ratio=0.05",
      GL_REDACTION_ALLOW_KEYS: "user.email",
    },
  );
  assert.is(c.serviceName, "from-code");
  assert.is(c.protocol, "grpc");
  assert.is(c.samplingRatio, 0.5);
  assert.is(c.environment, "staging");
  assert.is(c.compressionLevel, 9);
  assert.is(c.cluster, "eu-1");
  assert.is(c.gitCommit, "abc123");
  assert.is(c.responseHeader, "x-trace-id");
  assert.equal(c.samplingRules, [
    { ratio: 0.1, route: "/api/search*" },
    { ratio: 0.05, service: "batch" },
  ]);
  assert.equal(c.redaction.allowKeys, ["user.email"]);
});

test("OTEL_SDK_DISABLED=true always wins; false and unset leave tracing on", () => {
  assert.is(resolveConfig({ disabled: false }, { OTEL_SDK_DISABLED: "true" }).disabled, true);
  assert.is(resolveConfig({}, { OTEL_SDK_DISABLED: "false" }).disabled, false);
  assert.is(resolveConfig({ disabled: true }, {}).disabled, true);
});

test("an invalid option given in code throws, naming the option, the value and what is allowed", () => {
  const cases: [() => unknown, string, RegExp][] = [
    [() => resolveConfig({ protocol: "thrift" as never }, {}), "protocol", /one of http\/protobuf, http\/json, grpc/],
    [() => resolveConfig({ compressionLevel: 0 }, {}), "compressionLevel", /an integer from 1 to 9/],
    [() => resolveConfig({ endpoint: "collector:4318" }, {}), "endpoint", /absolute http/],
    [
      () => resolveConfig({ instrumentations: ["http", "cassandra-driver" as never] }, {}),
      "instrumentations",
      /one of http, undici/,
    ],
    [
      () => resolveConfig({ batch: { maxQueueSize: 10, maxExportBatchSize: 20 } }, {}),
      "batch.maxExportBatchSize / OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      /at most the queue size \(10\)/,
    ],
    [
      () => resolveConfig({ samplingRules: [{ route: "/x", ratio: 1.5 }] }, {}),
      "samplingRules[0].ratio",
      /from 0 to 1/,
    ],
    [
      () => resolveConfig({ responseHeader: "server-timing" as never }, {}),
      "responseHeader",
      /traceparent, x-trace-id, none/,
    ],
  ];
  for (const [fn, setting, expected] of cases) {
    const error = errorOf(fn);
    assert.is(error.setting, setting);
    assert.match(error.message, expected);
    assert.match(error.message, /is invalid: expected/);
  }
});

// Fail open: values that are normal for the other distributions, or simply wrong, in a shared
// ConfigMap must not switch tracing off for every service. Each is warned about once and ignored.
test("an invalid or unsupported environment value warns once, names what is used instead, and tracing stays on", () => {
  const cases: [Record<string, string>, RegExp, (c: ReturnType<typeof resolveConfig>) => void][] = [
    [
      { OTEL_NODE_DISABLED_INSTRUMENTATIONS: "fs,pg" },
      /OTEL_NODE_DISABLED_INSTRUMENTATIONS="fs,pg": fs is not supported \(supported: http, undici,.*\); ignored/,
      (c) => assert.ok(!c.instrumentations.includes("pg") && c.instrumentations.includes("http")),
    ],
    [
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: "http,cassandra-driver" },
      /cassandra-driver is not supported/,
      (c) => assert.equal(c.instrumentations, ["http"]),
    ],
    [
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: "mysql2,knex,amqplib,nestjs-core,mongoose" },
      /mongoose is not supported/,
      (c) => assert.equal(c.instrumentations, ["mysql2", "knex", "amqplib", "nestjs-core"]),
    ],
    [
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: "mongodb,pg,mongoose", OTEL_NODE_DISABLED_INSTRUMENTATIONS: "pg" },
      /mongoose is not supported/,
      (c) => assert.equal(c.instrumentations, ["mongodb"]),
    ],
    [
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: "aws-sdk,openai,sequelize", OTEL_NODE_DISABLED_INSTRUMENTATIONS: "openai" },
      /sequelize is not supported/,
      (c) => assert.equal(c.instrumentations, ["aws-sdk"]),
    ],
    [
      { OTEL_PROPAGATORS: "tracecontext,baggage,ottrace" },
      /OTEL_PROPAGATORS="tracecontext,baggage,ottrace": ottrace is not supported \(supported: tracecontext, baggage, b3, b3multi, jaeger, xray\)/,
      (c) => assert.equal(c.propagators, ["tracecontext", "baggage"]),
    ],
    [
      { OTEL_TRACES_EXPORTER: "otlp,console" },
      /OTEL_TRACES_EXPORTER="otlp,console": one exporter per signal; using otlp/,
      (c) => assert.is(c.tracesExporter, "otlp"),
    ],
    [
      { OTEL_TRACES_EXPORTER: "zipkin" },
      /OTEL_TRACES_EXPORTER="zipkin": not supported \(supported: otlp, console, none\); using otlp/,
      (c) => assert.is(c.tracesExporter, "otlp"),
    ],
    [
      { OTEL_METRICS_EXPORTER: "console" },
      /OTEL_METRICS_EXPORTER="console": not supported \(supported: otlp, prometheus, none\); using otlp/,
      (c) => assert.is(c.metricsExporter, "otlp"),
    ],
    [
      { OTEL_EXPORTER_OTLP_PROTOCOL: "thrift" },
      /OTEL_EXPORTER_OTLP_PROTOCOL="thrift" is invalid: expected one of http\/protobuf, http\/json, grpc; ignored, using http\/protobuf/,
      (c) => assert.is(c.protocol, "http/protobuf"),
    ],
    [
      { OTEL_BSP_MAX_QUEUE_SIZE: "lots" },
      /OTEL_BSP_MAX_QUEUE_SIZE="lots" is invalid: expected an integer from 1.*; ignored, using 8192/,
      (c) => assert.is(c.batch.maxQueueSize, 8192),
    ],
    [
      { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" },
      /OTEL_TRACES_SAMPLER_ARG="2" is invalid: expected a number from 0 to 1; ignored, using 1/,
      (c) => assert.is(c.samplingRatio, 1),
    ],
    [{ OTEL_TRACES_SAMPLER: "sometimes" }, /OTEL_TRACES_SAMPLER="sometimes"/, (c) => assert.is(c.samplingRatio, 1)],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" },
      /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is invalid: expected an absolute http:\/\/ or https:\/\/ URL; ignored, using http:\/\/localhost:4318/,
      (c) => assert.is(c.tracesEndpoint, "http://localhost:4318/v1/traces"),
    ],
    [
      { OTEL_SDK_DISABLED: "yes" },
      /OTEL_SDK_DISABLED="yes" is invalid: expected true or false; ignored, using false/,
      (c) => assert.is(c.disabled, false),
    ],
    [
      { GL_EXPORTER_OTLP_COMPRESSION_LEVEL: "11" },
      /GL_EXPORTER_OTLP_COMPRESSION_LEVEL="11"/,
      (c) => assert.is(c.compressionLevel, 1),
    ],
    [
      { OTEL_RESOURCE_ATTRIBUTES: "novalue" },
      /OTEL_RESOURCE_ATTRIBUTES="novalue"/,
      (c) => assert.equal(c.resourceAttributes, {}),
    ],
    [
      { GL_REDACTION_ENABLED: "maybe" },
      /GL_REDACTION_ENABLED="maybe".*using true/,
      (c) => assert.is(c.redaction.enabled, true),
    ],
    [
      { OTEL_BSP_MAX_QUEUE_SIZE: "10", OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "20" },
      /at most the queue size \(10\); ignored, using 10/,
      (c) => assert.is(c.batch.maxExportBatchSize, 10),
    ],
    [{ OTEL_LOG_LEVEL: "loud" }, /OTEL_LOG_LEVEL="loud"/, (c) => assert.is(c.logLevel, "warn")],
  ];
  for (const [env, warning, check] of cases) {
    const config = resolveConfig({}, env);
    assert.is(config.disabled, false, JSON.stringify(env));
    assert.is(config.warnings.length, 1, `${JSON.stringify(env)}: ${config.warnings.join(" | ")}`);
    assert.match(config.warnings[0] ?? "", warning);
    check(config);
  }
  assert.equal(resolveConfig({}, {}).warnings, [], "valid or unset values warn about nothing");
  assert.equal(resolveConfig({}, { OTEL_PROPAGATORS: "none" }).propagators, []);
});

test("GL_SAMPLING_RULES rejects unknown fields and rules without a ratio", () => {
  assert.match(
    errorOf(() => parseSamplingRules("GL_SAMPLING_RULES", "path=/x,ratio=1")).message,
    /fields service, route, span and ratio/,
  );
  assert.match(
    errorOf(() => parseSamplingRules("GL_SAMPLING_RULES", "route=/x")).message,
    /every rule to have a ratio/,
  );
  assert.equal(parseSamplingRules("GL_SAMPLING_RULES", " span=GET *,ratio=0 ; "), [{ ratio: 0, spanName: "GET *" }]);
});

test("OTEL_NODE_RESOURCE_DETECTORS: local detectors by default, names, all, none; the unknown warned about", () => {
  assert.equal(resolveConfig({}, {}).resourceDetectors, ["env", "host", "os", "process", "container"]);
  assert.equal(resolveConfig({}, { OTEL_NODE_RESOURCE_DETECTORS: "all" }).resourceDetectors, [
    "env",
    "host",
    "os",
    "process",
    "container",
    "aws",
  ]);
  assert.equal(resolveConfig({}, { OTEL_NODE_RESOURCE_DETECTORS: "none" }).resourceDetectors, []);
  const c = resolveConfig({}, { OTEL_NODE_RESOURCE_DETECTORS: "env,host,gcp,aws" });
  assert.equal(c.resourceDetectors, ["env", "host", "aws"]);
  assert.equal(c.warnings, [
    '@greenlang/tracing: OTEL_NODE_RESOURCE_DETECTORS="env,host,gcp,aws": gcp is not supported (supported: env, host, os, process, container, aws, all); ignored',
  ]);
  assert.equal(
    resolveConfig({ resourceDetectors: ["process"] }, { OTEL_NODE_RESOURCE_DETECTORS: "all" }).resourceDetectors,
    ["process"],
  );
});

test.run();
