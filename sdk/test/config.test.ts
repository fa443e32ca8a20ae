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

test("invalid values name the setting, the value and what is allowed", () => {
  const cases: [() => unknown, string, RegExp][] = [
    [
      () => resolveConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: "thrift" }),
      "OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL",
      /one of http\/protobuf, http\/json, grpc/,
    ],
    [() => resolveConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: "lots" }), "OTEL_BSP_MAX_QUEUE_SIZE", /an integer from 1/],
    [
      () => resolveConfig({}, { OTEL_TRACES_SAMPLER_ARG: "2", OTEL_TRACES_SAMPLER: "traceidratio" }),
      "OTEL_TRACES_SAMPLER_ARG",
      /from 0 to 1/,
    ],
    [() => resolveConfig({}, { OTEL_TRACES_SAMPLER: "sometimes" }), "OTEL_TRACES_SAMPLER", /parentbased_traceidratio/],
    [
      () => resolveConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }),
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      /absolute http/,
    ],
    [() => resolveConfig({}, { OTEL_SDK_DISABLED: "yes" }), "OTEL_SDK_DISABLED", /true or false/],
    [
      () => resolveConfig({}, { GL_EXPORTER_OTLP_COMPRESSION_LEVEL: "11" }),
      "GL_EXPORTER_OTLP_COMPRESSION_LEVEL",
      /an integer from 1 to 9/,
    ],
    [() => resolveConfig({ compressionLevel: 0 }, {}), "compressionLevel", /an integer from 1 to 9/],
    [() => resolveConfig({}, { OTEL_TRACES_EXPORTER: "zipkin" }), "OTEL_TRACES_EXPORTER", /one of otlp, console, none/],
    [() => resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: "novalue" }), "OTEL_RESOURCE_ATTRIBUTES", /key=value/],
    [
      () => resolveConfig({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: "http,mongodb" }),
      "OTEL_NODE_ENABLED_INSTRUMENTATIONS",
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

test.run();
