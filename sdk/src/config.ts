// Resolves the distribution's settings from options given in code and the process environment.
// Precedence, highest first: options passed to initTracing() > environment (OTEL_* standard
// variables, GL_* extras) > documented defaults. The one exception is OTEL_SDK_DISABLED=true,
// which always wins so operators can switch tracing off without a redeploy of code.
// Every invalid value throws a ConfigError naming the setting, the value and what is allowed.

export type OtlpProtocol = "http/protobuf" | "http/json" | "grpc";
export type OtlpCompression = "gzip" | "none";
export type MetricsExporterKind = "otlp" | "prometheus" | "none";
/** `none` keeps context propagation, sampling and span metrics but exports no span. */
export type TracesExporterKind = "otlp" | "console" | "none";
export type TraceResponseHeader = "traceparent" | "x-trace-id" | "none";
export type PropagatorName = "tracecontext" | "baggage";
export type LogLevel = "none" | "error" | "warn" | "info" | "debug" | "verbose" | "all";

export const INSTRUMENTATION_NAMES = [
  "http",
  "undici",
  "express",
  "fastify",
  "pg",
  "redis",
  "ioredis",
  "grpc",
  "kafkajs",
] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/** A head-sampling rule. The first rule whose every given field matches a root span decides its ratio. */
export interface SamplingRule {
  /** Applies only in the service with this `service.name`: one rule list can be shared by all services. */
  service?: string;
  /** Glob on the request path (`url.path`) of a server span; `*` matches any run of characters. */
  route?: string;
  /** Glob on the span name. */
  spanName?: string;
  /** Fraction of matching new traces to keep, 0..1. */
  ratio: number;
}

export interface BatchOptions {
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

export interface RedactionOptions {
  enabled?: boolean;
  /** Attribute keys never redacted (exact keys or globs such as `http.request.header.x-*`). */
  allowKeys?: string[];
  /** Attribute keys whose whole value is always replaced, whatever it contains. */
  denyKeys?: string[];
}

export interface TracingOptions {
  serviceName?: string;
  serviceVersion?: string;
  serviceNamespace?: string;
  /** `deployment.environment.name`, e.g. dev, staging, prod. */
  environment?: string;
  /** Kubernetes cluster name, added to the resource and to every span as `k8s.cluster.name`. */
  cluster?: string;
  resourceAttributes?: Record<string, string>;
  /** OTLP base endpoint, e.g. `http://otel-collector:4318` (http) or `http://otel-collector:4317` (grpc). */
  endpoint?: string;
  protocol?: OtlpProtocol;
  tracesExporter?: TracesExporterKind;
  headers?: Record<string, string>;
  timeoutMillis?: number;
  compression?: OtlpCompression;
  /** gzip level over OTLP/HTTP, 1 (fastest) to 9 (smallest). Default 1. */
  compressionLevel?: number;
  batch?: BatchOptions;
  /** Instrumentations to turn on; default: all of INSTRUMENTATION_NAMES. */
  instrumentations?: InstrumentationName[];
  /** Request paths never traced (health checks, metrics scrapes). Globs allowed. */
  ignorePaths?: string[];
  /** Ratio for new traces no rule matches, 0..1. Default 1: the Collector's tail sampling decides. */
  samplingRatio?: number;
  samplingRules?: SamplingRule[];
  redaction?: RedactionOptions;
  /** Baggage keys copied onto every span as `enduser.id` / `tenant.id`. */
  tenantBaggageKey?: string;
  userBaggageKey?: string;
  responseHeader?: TraceResponseHeader;
  metricsExporter?: MetricsExporterKind;
  metricsIntervalMillis?: number;
  prometheusHost?: string;
  prometheusPort?: number;
  propagators?: PropagatorName[];
  /** How long shutdown (and the SIGTERM/SIGINT flush) may take before the process is let go. */
  shutdownTimeoutMillis?: number;
  /** Install SIGTERM/SIGINT handlers that flush and then exit. Default true. */
  handleSignals?: boolean;
  logLevel?: LogLevel;
  disabled?: boolean;
}

export interface TracingConfig {
  disabled: boolean;
  serviceName: string;
  serviceVersion: string | undefined;
  serviceNamespace: string | undefined;
  environment: string | undefined;
  cluster: string | undefined;
  gitCommit: string | undefined;
  resourceAttributes: Record<string, string>;
  protocol: OtlpProtocol;
  tracesExporter: TracesExporterKind;
  tracesEndpoint: string;
  metricsEndpoint: string;
  headers: Record<string, string>;
  timeoutMillis: number;
  compression: OtlpCompression;
  compressionLevel: number;
  batch: Required<BatchOptions>;
  instrumentations: InstrumentationName[];
  ignorePaths: string[];
  samplingRatio: number;
  samplingRules: SamplingRule[];
  redaction: Required<RedactionOptions>;
  tenantBaggageKey: string;
  userBaggageKey: string;
  responseHeader: TraceResponseHeader;
  metricsExporter: MetricsExporterKind;
  metricsIntervalMillis: number;
  prometheusHost: string;
  prometheusPort: number;
  propagators: PropagatorName[];
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  readonly setting: string;
  constructor(setting: string, value: unknown, expected: string) {
    super(`@greenlang/tracing: ${setting}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = "ConfigError";
    this.setting = setting;
  }
}

export const DEFAULT_IGNORE_PATHS = ["/healthz", "/livez", "/readyz", "/health", "/ready", "/metrics"];
const PROTOCOLS: readonly OtlpProtocol[] = ["http/protobuf", "http/json", "grpc"];
const LOG_LEVELS: readonly LogLevel[] = ["none", "error", "warn", "info", "debug", "verbose", "all"];
const PROPAGATORS: readonly PropagatorName[] = ["tracecontext", "baggage"];

type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === "" ? undefined : trimmed;
}

function oneOf<T extends string>(setting: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(setting, value, `one of ${allowed.join(", ")}`);
}

function integer(setting: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(setting, value, `an integer from ${min} to ${max}`);
  }
  return n;
}

function ratio(setting: string, value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError(setting, value, "a number from 0 to 1");
  }
  return n;
}

function bool(setting: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new ConfigError(setting, value, "true or false");
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Parses the W3C-baggage-like `k=v,k2=v2` format of OTEL_RESOURCE_ATTRIBUTES and OTLP headers. */
export function parseKeyValueList(setting: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list(value)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new ConfigError(setting, value, "comma-separated key=value pairs");
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(setting, value, "key=value pairs with valid percent-encoding");
    }
  }
  return out;
}

/**
 * Parses GL_SAMPLING_RULES: rules separated by `;`, each a `,`-list of `field=value` with
 * fields service, route, span, ratio — e.g. `route=/api/search*,ratio=0.1;service=batch,ratio=0.05`.
 */
export function parseSamplingRules(setting: string, value: string): SamplingRule[] {
  const rules: SamplingRule[] = [];
  for (const text of value.split(";").map((s) => s.trim())) {
    if (text === "") continue;
    const fields = parseKeyValueList(setting, text);
    const rule: SamplingRule = { ratio: Number.NaN };
    for (const [key, v] of Object.entries(fields)) {
      if (key === "service") rule.service = v;
      else if (key === "route") rule.route = v;
      else if (key === "span") rule.spanName = v;
      else if (key === "ratio") rule.ratio = ratio(`${setting} (rule "${text}") ratio`, v);
      else
        throw new ConfigError(setting, text, "fields service, route, span and ratio (e.g. route=/search*,ratio=0.1)");
    }
    if (Number.isNaN(rule.ratio)) throw new ConfigError(setting, text, "every rule to have a ratio=<0..1>");
    rules.push(rule);
  }
  return rules;
}

function validateRules(rules: SamplingRule[]): SamplingRule[] {
  rules.forEach((rule, i) => {
    ratio(`samplingRules[${i}].ratio`, rule.ratio);
  });
  return rules;
}

function instrumentationList(setting: string, names: readonly string[]): InstrumentationName[] {
  return names.map((n) => oneOf(setting, n, INSTRUMENTATION_NAMES));
}

function resolveInstrumentations(options: TracingOptions, env: Env): InstrumentationName[] {
  if (options.instrumentations) return instrumentationList("instrumentations", options.instrumentations);
  const enabled = envValue(env, "OTEL_NODE_ENABLED_INSTRUMENTATIONS");
  const disabled = envValue(env, "OTEL_NODE_DISABLED_INSTRUMENTATIONS");
  let names: InstrumentationName[] = enabled
    ? instrumentationList("OTEL_NODE_ENABLED_INSTRUMENTATIONS", list(enabled))
    : [...INSTRUMENTATION_NAMES];
  if (disabled) {
    const off = new Set(instrumentationList("OTEL_NODE_DISABLED_INSTRUMENTATIONS", list(disabled)));
    names = names.filter((n) => !off.has(n));
  }
  return names;
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

function checkUrl(setting: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new ConfigError(setting, value, "an absolute http:// or https:// URL");
  }
  return value;
}

function resolveEndpoints(options: TracingOptions, env: Env, protocol: OtlpProtocol) {
  const grpc = protocol === "grpc";
  const defaultBase = grpc ? "http://localhost:4317" : "http://localhost:4318";
  const baseSetting = options.endpoint !== undefined ? "endpoint" : "OTEL_EXPORTER_OTLP_ENDPOINT";
  const base = trimSlash(
    checkUrl(baseSetting, options.endpoint ?? envValue(env, "OTEL_EXPORTER_OTLP_ENDPOINT") ?? defaultBase),
  );
  const signalTraces = options.endpoint === undefined ? envValue(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") : undefined;
  const tracesEndpoint = signalTraces
    ? checkUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", signalTraces)
    : grpc
      ? base
      : `${base}/v1/traces`;
  // Span metrics go out as OTLP/HTTP JSON (it carries exemplars); beside a gRPC traces endpoint
  // that means the same host on the OTLP/HTTP port.
  const signalMetrics = envValue(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
  let metricsEndpoint: string;
  if (signalMetrics) metricsEndpoint = checkUrl("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", signalMetrics);
  else if (grpc) {
    const url = new URL(base);
    url.port = "4318";
    metricsEndpoint = `${trimSlash(url.toString())}/v1/metrics`;
  } else metricsEndpoint = `${base}/v1/metrics`;
  return { tracesEndpoint, metricsEndpoint };
}

function resolveRedaction(options: TracingOptions, env: Env): Required<RedactionOptions> {
  const given = options.redaction ?? {};
  const enabledEnv = envValue(env, "GL_REDACTION_ENABLED");
  const allowEnv = envValue(env, "GL_REDACTION_ALLOW_KEYS");
  const denyEnv = envValue(env, "GL_REDACTION_DENY_KEYS");
  return {
    enabled: given.enabled ?? (enabledEnv ? bool("GL_REDACTION_ENABLED", enabledEnv) : true),
    allowKeys: given.allowKeys ?? (allowEnv ? list(allowEnv) : []),
    denyKeys: given.denyKeys ?? (denyEnv ? list(denyEnv) : []),
  };
}

function resolveBatch(options: TracingOptions, env: Env): Required<BatchOptions> {
  const b = options.batch ?? {};
  const pick = (key: keyof BatchOptions, envName: string, fallback: number, min: number): number => {
    if (b[key] !== undefined) return integer(`batch.${key}`, b[key], min);
    const raw = envValue(env, envName);
    return raw === undefined ? fallback : integer(envName, raw, min);
  };
  // Tuned for services: a larger queue than the SDK's 2048 rides out a Collector restart, a 1 s
  // delay keeps traces visible quickly, and a 10 s export timeout matches the OTLP exporter's.
  const batch = {
    maxQueueSize: pick("maxQueueSize", "OTEL_BSP_MAX_QUEUE_SIZE", 8192, 1),
    maxExportBatchSize: pick("maxExportBatchSize", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, 1),
    scheduledDelayMillis: pick("scheduledDelayMillis", "OTEL_BSP_SCHEDULE_DELAY", 1000, 0),
    exportTimeoutMillis: pick("exportTimeoutMillis", "OTEL_BSP_EXPORT_TIMEOUT", 10000, 1),
  };
  if (batch.maxExportBatchSize > batch.maxQueueSize) {
    throw new ConfigError(
      "batch.maxExportBatchSize / OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      batch.maxExportBatchSize,
      `at most the queue size (${batch.maxQueueSize})`,
    );
  }
  return batch;
}

function resolveSampling(options: TracingOptions, env: Env): { samplingRatio: number; samplingRules: SamplingRule[] } {
  let samplingRatio = 1;
  if (options.samplingRatio !== undefined) samplingRatio = ratio("samplingRatio", options.samplingRatio);
  else {
    const sampler = envValue(env, "OTEL_TRACES_SAMPLER");
    const arg = envValue(env, "OTEL_TRACES_SAMPLER_ARG");
    if (sampler !== undefined) {
      // Every choice stays parent-based: a service must honour its caller's decision, or the
      // Collector's tail sampling would see broken traces.
      const allowed = [
        "always_on",
        "always_off",
        "traceidratio",
        "parentbased_always_on",
        "parentbased_always_off",
        "parentbased_traceidratio",
      ];
      oneOf("OTEL_TRACES_SAMPLER", sampler, allowed);
      if (sampler.endsWith("always_off")) samplingRatio = 0;
      else if (sampler.endsWith("traceidratio"))
        samplingRatio = arg === undefined ? 1 : ratio("OTEL_TRACES_SAMPLER_ARG", arg);
    }
  }
  const rulesEnv = envValue(env, "GL_SAMPLING_RULES");
  const samplingRules = options.samplingRules
    ? validateRules(options.samplingRules)
    : rulesEnv
      ? parseSamplingRules("GL_SAMPLING_RULES", rulesEnv)
      : [];
  return { samplingRatio, samplingRules };
}

export function resolveConfig(options: TracingOptions = {}, env: Env = process.env): TracingConfig {
  const disabledEnv = envValue(env, "OTEL_SDK_DISABLED");
  const disabled = (disabledEnv !== undefined && bool("OTEL_SDK_DISABLED", disabledEnv)) || options.disabled === true;

  const resourceEnv = envValue(env, "OTEL_RESOURCE_ATTRIBUTES");
  const fromEnvResource = resourceEnv ? parseKeyValueList("OTEL_RESOURCE_ATTRIBUTES", resourceEnv) : {};
  const resourceAttributes = { ...fromEnvResource, ...options.resourceAttributes };

  const serviceName =
    options.serviceName ??
    envValue(env, "OTEL_SERVICE_NAME") ??
    fromEnvResource["service.name"] ??
    `unknown_service:${process.argv0}`;

  const protocolSetting = options.protocol !== undefined ? "protocol" : "OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL";
  const protocol = oneOf(
    protocolSetting,
    options.protocol ??
      envValue(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ??
      envValue(env, "OTEL_EXPORTER_OTLP_PROTOCOL") ??
      "http/protobuf",
    PROTOCOLS,
  );

  const headersEnv = envValue(env, "OTEL_EXPORTER_OTLP_HEADERS");
  const tracesHeadersEnv = envValue(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS");
  const headers = options.headers ?? {
    ...(headersEnv ? parseKeyValueList("OTEL_EXPORTER_OTLP_HEADERS", headersEnv) : {}),
    ...(tracesHeadersEnv ? parseKeyValueList("OTEL_EXPORTER_OTLP_TRACES_HEADERS", tracesHeadersEnv) : {}),
  };

  const timeoutEnv = envValue(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") ?? envValue(env, "OTEL_EXPORTER_OTLP_TIMEOUT");
  const timeoutMillis =
    options.timeoutMillis !== undefined
      ? integer("timeoutMillis", options.timeoutMillis, 1)
      : timeoutEnv
        ? integer("OTEL_EXPORTER_OTLP_TIMEOUT", timeoutEnv, 1)
        : 10000;

  const compressionEnv =
    envValue(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION") ?? envValue(env, "OTEL_EXPORTER_OTLP_COMPRESSION");
  const compression = oneOf<OtlpCompression>(
    options.compression !== undefined ? "compression" : "OTEL_EXPORTER_OTLP_COMPRESSION",
    options.compression ?? compressionEnv ?? "gzip",
    ["gzip", "none"],
  );
  const levelEnv = envValue(env, "GL_EXPORTER_OTLP_COMPRESSION_LEVEL");
  const compressionLevel =
    options.compressionLevel !== undefined
      ? integer("compressionLevel", options.compressionLevel, 1, 9)
      : levelEnv
        ? integer("GL_EXPORTER_OTLP_COMPRESSION_LEVEL", levelEnv, 1, 9)
        : 1;

  const ignoreEnv = envValue(env, "GL_IGNORE_PATHS");
  const metricsEnv = envValue(env, "OTEL_METRICS_EXPORTER");
  const intervalEnv = envValue(env, "OTEL_METRIC_EXPORT_INTERVAL");
  const promPortEnv = envValue(env, "OTEL_EXPORTER_PROMETHEUS_PORT");
  const propagatorsEnv = envValue(env, "OTEL_PROPAGATORS");
  const shutdownEnv = envValue(env, "GL_SHUTDOWN_TIMEOUT_MS");
  const headerEnv = envValue(env, "GL_TRACE_RESPONSE_HEADER");
  const logLevelEnv = envValue(env, "OTEL_LOG_LEVEL");

  const propagators =
    options.propagators ??
    (propagatorsEnv ? list(propagatorsEnv).filter((p) => p !== "none") : ["tracecontext", "baggage"]);

  return {
    disabled,
    serviceName,
    serviceVersion: options.serviceVersion ?? envValue(env, "GL_SERVICE_VERSION") ?? fromEnvResource["service.version"],
    serviceNamespace:
      options.serviceNamespace ?? envValue(env, "GL_SERVICE_NAMESPACE") ?? fromEnvResource["service.namespace"],
    environment:
      options.environment ?? envValue(env, "GL_ENVIRONMENT") ?? fromEnvResource["deployment.environment.name"],
    cluster: options.cluster ?? envValue(env, "GL_CLUSTER") ?? fromEnvResource["k8s.cluster.name"],
    gitCommit: envValue(env, "GL_GIT_COMMIT"),
    resourceAttributes,
    protocol,
    tracesExporter: oneOf<TracesExporterKind>(
      options.tracesExporter !== undefined ? "tracesExporter" : "OTEL_TRACES_EXPORTER",
      options.tracesExporter ?? envValue(env, "OTEL_TRACES_EXPORTER") ?? "otlp",
      ["otlp", "console", "none"],
    ),
    ...resolveEndpoints(options, env, protocol),
    headers,
    timeoutMillis,
    compression,
    compressionLevel,
    batch: resolveBatch(options, env),
    instrumentations: resolveInstrumentations(options, env),
    ignorePaths: options.ignorePaths ?? (ignoreEnv ? list(ignoreEnv) : DEFAULT_IGNORE_PATHS),
    ...resolveSampling(options, env),
    redaction: resolveRedaction(options, env),
    tenantBaggageKey: options.tenantBaggageKey ?? envValue(env, "GL_TENANT_BAGGAGE_KEY") ?? "tenant.id",
    userBaggageKey: options.userBaggageKey ?? envValue(env, "GL_USER_BAGGAGE_KEY") ?? "enduser.id",
    responseHeader: oneOf<TraceResponseHeader>(
      options.responseHeader !== undefined ? "responseHeader" : "GL_TRACE_RESPONSE_HEADER",
      options.responseHeader ?? headerEnv ?? "traceparent",
      ["traceparent", "x-trace-id", "none"],
    ),
    metricsExporter: oneOf<MetricsExporterKind>(
      options.metricsExporter !== undefined ? "metricsExporter" : "OTEL_METRICS_EXPORTER",
      options.metricsExporter ?? metricsEnv ?? "otlp",
      ["otlp", "prometheus", "none"],
    ),
    metricsIntervalMillis:
      options.metricsIntervalMillis !== undefined
        ? integer("metricsIntervalMillis", options.metricsIntervalMillis, 100)
        : intervalEnv
          ? integer("OTEL_METRIC_EXPORT_INTERVAL", intervalEnv, 100)
          : 60000,
    prometheusHost: options.prometheusHost ?? envValue(env, "OTEL_EXPORTER_PROMETHEUS_HOST") ?? "0.0.0.0",
    prometheusPort:
      options.prometheusPort !== undefined
        ? integer("prometheusPort", options.prometheusPort, 0, 65535)
        : promPortEnv
          ? integer("OTEL_EXPORTER_PROMETHEUS_PORT", promPortEnv, 0, 65535)
          : 9464,
    propagators: propagators.map((p) =>
      oneOf(options.propagators ? "propagators" : "OTEL_PROPAGATORS", p, PROPAGATORS),
    ),
    shutdownTimeoutMillis:
      options.shutdownTimeoutMillis !== undefined
        ? integer("shutdownTimeoutMillis", options.shutdownTimeoutMillis, 1)
        : shutdownEnv
          ? integer("GL_SHUTDOWN_TIMEOUT_MS", shutdownEnv, 1)
          : 5000,
    handleSignals: options.handleSignals ?? true,
    logLevel: oneOf<LogLevel>(
      options.logLevel !== undefined ? "logLevel" : "OTEL_LOG_LEVEL",
      (options.logLevel ?? logLevelEnv ?? "warn").toLowerCase() as LogLevel,
      LOG_LEVELS,
    ),
  };
}
