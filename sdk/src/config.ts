// Resolves the distribution's settings from options given in code and the process environment.
// Precedence, highest first: options passed to initTracing() > environment (OTEL_* standard
// variables, GL_* extras) > documented defaults. The one exception is OTEL_SDK_DISABLED=true,
// which always wins so operators can switch tracing off without a redeploy of code.
//
// Fail open: an invalid or unsupported value in the environment (a shared ConfigMap with
// OTEL_PROPAGATORS=tracecontext,xray, say) is warned about once — the setting, the value,
// what is supported, what is used instead — and ignored; tracing stays on. An invalid option given
// in code throws a ConfigError naming the option: that is a programming error, caught in tests.

import { randomUUID } from "node:crypto";

export type OtlpProtocol = "http/protobuf" | "http/json" | "grpc";
export type OtlpCompression = "gzip" | "none";
export type MetricsExporterKind = "otlp" | "prometheus" | "none";
/** `none` keeps context propagation, sampling and span metrics but exports no span. */
export type TracesExporterKind = "otlp" | "console" | "none";
export type LogsExporterKind = "otlp" | "console" | "none";
export type TraceResponseHeader = "traceparent" | "x-trace-id" | "none";
export type PropagatorName = "tracecontext" | "baggage" | "b3" | "b3multi" | "jaeger" | "xray";
/** `env` is always on (OTEL_RESOURCE_ATTRIBUTES is part of the configuration); `aws` calls out. */
export type ResourceDetectorName = "env" | "host" | "os" | "process" | "container" | "aws";
export type LogLevel = "none" | "error" | "warn" | "info" | "debug" | "verbose" | "all";

export const INSTRUMENTATION_NAMES = [
  "http",
  "undici",
  "express",
  "fastify",
  "pg",
  "mysql2",
  "knex",
  "mongodb",
  "redis",
  "ioredis",
  "grpc",
  "kafkajs",
  "amqplib",
  "aws-sdk",
  "koa",
  "graphql",
  "hapi",
  "nestjs-core",
  "socket.io",
  "dataloader",
  "generic-pool",
  "openai",
  "winston",
  "bunyan",
  "pino",
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
  /** Where log records from pino, winston and bunyan go (OTEL_LOGS_EXPORTER). Default none. */
  logsExporter?: LogsExporterKind;
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
  /** Resource detectors to run (OTEL_NODE_RESOURCE_DETECTORS). Default env, host, os, process, container. */
  resourceDetectors?: ResourceDetectorName[];
  /** How long shutdown (and the SIGTERM/SIGINT flush) may take before the process is let go. */
  shutdownTimeoutMillis?: number;
  /** Install SIGTERM/SIGINT handlers that flush and then exit. Default true. */
  handleSignals?: boolean;
  logLevel?: LogLevel;
  disabled?: boolean;
  /**
   * How long a batch that failed for a transient reason (Collector unreachable, 503, timeout) is
   * retried, with backoff, while new spans wait in the queue; 0 = only the exporter's own retries.
   * Env GL_EXPORT_RETRY_MAX_MS. @default 120000
   */
  exportRetryMaxMillis?: number;
  /** Node.js runtime metrics (event loop, heap, CPU, GC) with the span metrics. Env GL_RUNTIME_METRICS. @default true */
  runtimeMetrics?: boolean;
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
  /**
   * `service.instance.id`: OTEL_RESOURCE_ATTRIBUTES' if given, else the pod's uid (K8S_POD_UID from
   * the downward API), else a random id per process. Prometheus makes it the `instance` label of
   * every pushed series: without it, two pods of one service would write the same series.
   */
  serviceInstanceId: string;
  protocol: OtlpProtocol;
  tracesExporter: TracesExporterKind;
  logsExporter: LogsExporterKind;
  logsEndpoint: string;
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
  resourceDetectors: ResourceDetectorName[];
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
  logLevel: LogLevel;
  /** One line per environment value that was invalid or unsupported and was ignored. */
  warnings: string[];
  /**
   * TLS files of the metrics push (the OTLP exporter of traces reads the same variables itself):
   * the CA to trust, and the client certificate and key for mTLS.
   */
  metricsTls: { caFile?: string; certFile?: string; keyFile?: string };
  exportRetryMaxMillis: number;
  runtimeMetrics: boolean;
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
const TRACES_EXPORTERS: readonly TracesExporterKind[] = ["otlp", "console", "none"];
// Off unless asked for: the platform's Collector takes logs only where the cluster's model names a
// logs backend (monitoring.otlpLogsUrl); elsewhere /v1/logs answers 404 and every batch would fail.
const LOGS_EXPORTERS: readonly LogsExporterKind[] = ["otlp", "console", "none"];
const METRICS_EXPORTERS: readonly MetricsExporterKind[] = ["otlp", "prometheus", "none"];
const RESPONSE_HEADERS: readonly TraceResponseHeader[] = ["traceparent", "x-trace-id", "none"];
const LOG_LEVELS: readonly LogLevel[] = ["none", "error", "warn", "info", "debug", "verbose", "all"];
// b3 (one `b3` header) and b3multi (X-B3-*) are what service meshes (Istio, Linkerd, Envoy) pass on;
// jaeger (uber-trace-id) what Jaeger clients send; xray (X-Amzn-Trace-Id) what AWS load balancers
// and Lambda add.
const PROPAGATORS: readonly PropagatorName[] = ["tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray"];
// Read locally by default (files and the process); `aws` asks EC2/ECS metadata and the EKS API
// server, which off AWS waits for timeouts before the first export, so it is asked for by name
// (or by `all`).
const RESOURCE_DETECTORS: readonly ResourceDetectorName[] = ["env", "host", "os", "process", "container", "aws"];
const DEFAULT_RESOURCE_DETECTORS: readonly ResourceDetectorName[] = ["env", "host", "os", "process", "container"];
// Every choice stays parent-based: a service must honour its caller's decision, or the Collector's
// tail sampling would see broken traces.
const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

type Env = Record<string, string | undefined>;

/**
 * Reads the environment failing open: a value that does not parse is recorded as a warning and
 * the fallback used instead.
 */
/** OTEL_NODE_RESOURCE_DETECTORS as the peers read it: names, `all` or `none`; the unknown warned about. */
function resourceDetectorsFromEnv(env: EnvReader): ResourceDetectorName[] {
  const named = env.list(
    "OTEL_NODE_RESOURCE_DETECTORS",
    [...RESOURCE_DETECTORS, "all"] as const,
    DEFAULT_RESOURCE_DETECTORS,
    ["none"],
  );
  return named.includes("all") ? [...RESOURCE_DETECTORS] : named.filter((d): d is ResourceDetectorName => d !== "all");
}

class EnvReader {
  readonly warnings: string[] = [];
  readonly #env: Env;
  constructor(env: Env) {
    this.#env = env;
  }
  raw(name: string): string | undefined {
    return envValue(this.#env, name);
  }
  /** The first of `names` that is set, parsed; `fallback` when none is set or the value is invalid. */
  read<T>(names: string | readonly string[], parse: (value: string, setting: string) => T, fallback: T): T {
    for (const name of typeof names === "string" ? [names] : names) {
      const value = this.raw(name);
      if (value === undefined) continue;
      try {
        return parse(value, name);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        this.warn(`${error.message}; ignored, using ${describe(fallback)}`);
        return fallback;
      }
    }
    return fallback;
  }
  /** A list setting: unsupported items are warned about and dropped, the rest kept. */
  list<T extends string>(
    name: string,
    allowed: readonly T[],
    fallback: readonly T[],
    ignore: readonly string[] = [],
  ): T[] {
    const value = this.raw(name);
    if (value === undefined) return [...fallback];
    const items = list(value).filter((item) => !ignore.includes(item));
    const unsupported = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (unsupported.length > 0) {
      this.warn(
        `@greenlang/tracing: ${name}=${JSON.stringify(value)}: ${unsupported.join(", ")} ${unsupported.length === 1 ? "is" : "are"} not supported (supported: ${allowed.join(", ")}); ignored`,
      );
    }
    return items.filter((item): item is T => (allowed as readonly string[]).includes(item));
  }
  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.join(",");
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

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

function resolveInstrumentations(options: TracingOptions, env: EnvReader): InstrumentationName[] {
  if (options.instrumentations) return instrumentationList("instrumentations", options.instrumentations);
  // Names this distribution has no instrumentation for are ignored with a warning: disabling one
  // it does not have is a no-op, and enabling one cannot turn the others off.
  const names = env.list("OTEL_NODE_ENABLED_INSTRUMENTATIONS", INSTRUMENTATION_NAMES, INSTRUMENTATION_NAMES);
  const off = new Set(env.list("OTEL_NODE_DISABLED_INSTRUMENTATIONS", INSTRUMENTATION_NAMES, []));
  return names.filter((n) => !off.has(n));
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

function resolveEndpoints(options: TracingOptions, env: EnvReader, protocol: OtlpProtocol) {
  const grpc = protocol === "grpc";
  const defaultBase = grpc ? "http://localhost:4317" : "http://localhost:4318";
  const base = trimSlash(
    options.endpoint !== undefined
      ? checkUrl("endpoint", options.endpoint)
      : env.read("OTEL_EXPORTER_OTLP_ENDPOINT", (v, s) => checkUrl(s, v), defaultBase),
  );
  const defaultTraces = grpc ? base : `${base}/v1/traces`;
  const tracesEndpoint =
    options.endpoint === undefined
      ? env.read("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", (v, s) => checkUrl(s, v), defaultTraces)
      : defaultTraces;
  // Span metrics go out as OTLP/HTTP JSON (it carries exemplars); beside a gRPC traces endpoint
  // that means the same host on the OTLP/HTTP port.
  const signalMetrics = env.read("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", (v, s) => checkUrl(s, v), "");
  let metricsEndpoint: string;
  if (signalMetrics) metricsEndpoint = signalMetrics;
  else if (grpc) {
    const url = new URL(base);
    url.port = "4318";
    metricsEndpoint = `${trimSlash(url.toString())}/v1/metrics`;
  } else metricsEndpoint = `${base}/v1/metrics`;
  const defaultLogs = grpc ? base : `${base}/v1/logs`;
  const logsEndpoint =
    options.endpoint === undefined
      ? env.read("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", (v, s) => checkUrl(s, v), defaultLogs)
      : defaultLogs;
  return { tracesEndpoint, metricsEndpoint, logsEndpoint };
}

function resolveRedaction(options: TracingOptions, env: EnvReader): Required<RedactionOptions> {
  const given = options.redaction ?? {};
  const allowEnv = env.raw("GL_REDACTION_ALLOW_KEYS");
  const denyEnv = env.raw("GL_REDACTION_DENY_KEYS");
  return {
    // An unreadable value keeps redaction on: failing open never means leaking secrets.
    enabled: given.enabled ?? env.read("GL_REDACTION_ENABLED", (v, s) => bool(s, v), true),
    allowKeys: given.allowKeys ?? (allowEnv ? list(allowEnv) : []),
    denyKeys: given.denyKeys ?? (denyEnv ? list(denyEnv) : []),
  };
}

function resolveBatch(options: TracingOptions, env: EnvReader): Required<BatchOptions> {
  const b = options.batch ?? {};
  const pick = (key: keyof BatchOptions, envName: string, fallback: number, min: number): number => {
    if (b[key] !== undefined) return integer(`batch.${key}`, b[key], min);
    return env.read(envName, (v, s) => integer(s, v, min), fallback);
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
    const error = new ConfigError(
      "batch.maxExportBatchSize / OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      batch.maxExportBatchSize,
      `at most the queue size (${batch.maxQueueSize})`,
    );
    if (b.maxExportBatchSize !== undefined && b.maxQueueSize !== undefined) throw error;
    env.warn(`${error.message}; ignored, using ${batch.maxQueueSize}`);
    batch.maxExportBatchSize = batch.maxQueueSize;
  }
  return batch;
}

function resolveSampling(
  options: TracingOptions,
  env: EnvReader,
): { samplingRatio: number; samplingRules: SamplingRule[] } {
  let samplingRatio = 1;
  if (options.samplingRatio !== undefined) samplingRatio = ratio("samplingRatio", options.samplingRatio);
  else {
    const sampler = env.read("OTEL_TRACES_SAMPLER", (v, s) => oneOf(s, v, SAMPLERS), undefined);
    if (sampler !== undefined) {
      if (sampler.endsWith("always_off")) samplingRatio = 0;
      else if (sampler.endsWith("traceidratio"))
        samplingRatio = env.read("OTEL_TRACES_SAMPLER_ARG", (v, s) => ratio(s, v), 1);
    }
  }
  const samplingRules = options.samplingRules
    ? validateRules(options.samplingRules)
    : env.read("GL_SAMPLING_RULES", (v, s) => parseSamplingRules(s, v), []);
  return { samplingRatio, samplingRules };
}

export function resolveConfig(options: TracingOptions = {}, environment: Env = process.env): TracingConfig {
  const env = new EnvReader(environment);
  // Read first, so that OTEL_SDK_DISABLED=true always wins.
  const disabled = env.read("OTEL_SDK_DISABLED", (v, s) => bool(s, v), false) || options.disabled === true;

  const fromEnvResource = env.read("OTEL_RESOURCE_ATTRIBUTES", (v, s) => parseKeyValueList(s, v), {});
  const resourceAttributes = { ...fromEnvResource, ...options.resourceAttributes };

  const serviceName =
    options.serviceName ??
    env.raw("OTEL_SERVICE_NAME") ??
    fromEnvResource["service.name"] ??
    `unknown_service:${process.argv0}`;

  const protocol =
    options.protocol !== undefined
      ? oneOf("protocol", options.protocol, PROTOCOLS)
      : env.read(
          ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"],
          (v, s) => oneOf(s, v, PROTOCOLS),
          "http/protobuf" as OtlpProtocol,
        );

  const headers = options.headers ?? {
    ...env.read("OTEL_EXPORTER_OTLP_HEADERS", (v, s) => parseKeyValueList(s, v), {}),
    ...env.read("OTEL_EXPORTER_OTLP_TRACES_HEADERS", (v, s) => parseKeyValueList(s, v), {}),
  };

  const timeoutMillis =
    options.timeoutMillis !== undefined
      ? integer("timeoutMillis", options.timeoutMillis, 1)
      : env.read(
          ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"],
          (v, s) => integer(s, v, 1),
          10000,
        );

  const compression =
    options.compression !== undefined
      ? oneOf<OtlpCompression>("compression", options.compression, ["gzip", "none"])
      : env.read(
          ["OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION"],
          (v, s) => oneOf<OtlpCompression>(s, v, ["gzip", "none"]),
          "gzip" as OtlpCompression,
        );
  const compressionLevel =
    options.compressionLevel !== undefined
      ? integer("compressionLevel", options.compressionLevel, 1, 9)
      : env.read("GL_EXPORTER_OTLP_COMPRESSION_LEVEL", (v, s) => integer(s, v, 1, 9), 1);

  const ignoreEnv = env.raw("GL_IGNORE_PATHS");

  // One exporter per signal: of a list (`otlp,console`) the first supported one is used.
  const firstSupported = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env.raw(name);
    if (raw === undefined) return fallback;
    const items = list(raw);
    const chosen = items.find((item): item is T => (allowed as readonly string[]).includes(item));
    if (chosen === undefined) {
      env.warn(
        `@greenlang/tracing: ${name}=${JSON.stringify(raw)}: not supported (supported: ${allowed.join(", ")}); using ${fallback}`,
      );
      return fallback;
    }
    if (items.length > 1) {
      env.warn(`@greenlang/tracing: ${name}=${JSON.stringify(raw)}: one exporter per signal; using ${chosen}`);
    }
    return chosen;
  };
  // One exporter per signal: the option if given (strict), else the variable (fail open).
  const exporterOf = <T extends string>(
    setting: string,
    given: T | undefined,
    variable: string,
    allowed: readonly T[],
    fallback: T,
  ): T => (given !== undefined ? oneOf<T>(setting, given, allowed) : firstSupported(variable, allowed, fallback));

  const config: TracingConfig = {
    disabled,
    serviceName,
    serviceVersion: options.serviceVersion ?? env.raw("GL_SERVICE_VERSION") ?? fromEnvResource["service.version"],
    serviceNamespace:
      options.serviceNamespace ?? env.raw("GL_SERVICE_NAMESPACE") ?? fromEnvResource["service.namespace"],
    environment: options.environment ?? env.raw("GL_ENVIRONMENT") ?? fromEnvResource["deployment.environment.name"],
    cluster: options.cluster ?? env.raw("GL_CLUSTER") ?? fromEnvResource["k8s.cluster.name"],
    gitCommit: env.raw("GL_GIT_COMMIT"),
    resourceAttributes,
    serviceInstanceId: resourceAttributes["service.instance.id"] ?? env.raw("K8S_POD_UID") ?? randomUUID(),
    protocol,
    tracesExporter: exporterOf(
      "tracesExporter",
      options.tracesExporter,
      "OTEL_TRACES_EXPORTER",
      TRACES_EXPORTERS,
      "otlp",
    ),
    logsExporter: exporterOf("logsExporter", options.logsExporter, "OTEL_LOGS_EXPORTER", LOGS_EXPORTERS, "none"),
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
    tenantBaggageKey: options.tenantBaggageKey ?? env.raw("GL_TENANT_BAGGAGE_KEY") ?? "tenant.id",
    userBaggageKey: options.userBaggageKey ?? env.raw("GL_USER_BAGGAGE_KEY") ?? "enduser.id",
    responseHeader:
      options.responseHeader !== undefined
        ? oneOf<TraceResponseHeader>("responseHeader", options.responseHeader, RESPONSE_HEADERS)
        : env.read(
            "GL_TRACE_RESPONSE_HEADER",
            (v, s) => oneOf(s, v, RESPONSE_HEADERS),
            "traceparent" as TraceResponseHeader,
          ),
    metricsExporter: exporterOf(
      "metricsExporter",
      options.metricsExporter,
      "OTEL_METRICS_EXPORTER",
      METRICS_EXPORTERS,
      "otlp",
    ),
    metricsIntervalMillis:
      options.metricsIntervalMillis !== undefined
        ? integer("metricsIntervalMillis", options.metricsIntervalMillis, 100)
        : env.read("OTEL_METRIC_EXPORT_INTERVAL", (v, s) => integer(s, v, 100), 60000),
    prometheusHost: options.prometheusHost ?? env.raw("OTEL_EXPORTER_PROMETHEUS_HOST") ?? "0.0.0.0",
    prometheusPort:
      options.prometheusPort !== undefined
        ? integer("prometheusPort", options.prometheusPort, 0, 65535)
        : env.read("OTEL_EXPORTER_PROMETHEUS_PORT", (v, s) => integer(s, v, 0, 65535), 9464),
    propagators: options.propagators
      ? options.propagators.map((p) => oneOf("propagators", p, PROPAGATORS))
      : env.list("OTEL_PROPAGATORS", PROPAGATORS, ["tracecontext", "baggage"], ["none"]),
    resourceDetectors: options.resourceDetectors
      ? options.resourceDetectors.map((d) => oneOf("resourceDetectors", d, RESOURCE_DETECTORS))
      : resourceDetectorsFromEnv(env),
    shutdownTimeoutMillis:
      options.shutdownTimeoutMillis !== undefined
        ? integer("shutdownTimeoutMillis", options.shutdownTimeoutMillis, 1)
        : env.read("GL_SHUTDOWN_TIMEOUT_MS", (v, s) => integer(s, v, 1), 5000),
    handleSignals: options.handleSignals ?? true,
    logLevel:
      options.logLevel !== undefined
        ? oneOf<LogLevel>("logLevel", options.logLevel.toLowerCase() as LogLevel, LOG_LEVELS)
        : env.read(
            "OTEL_LOG_LEVEL",
            (v, s) => oneOf<LogLevel>(s, v.toLowerCase() as LogLevel, LOG_LEVELS),
            "warn" as LogLevel,
          ),
    exportRetryMaxMillis:
      options.exportRetryMaxMillis !== undefined
        ? integer("exportRetryMaxMillis", options.exportRetryMaxMillis, 0)
        : env.read("GL_EXPORT_RETRY_MAX_MS", (v, s) => integer(s, v, 0), 120_000),
    runtimeMetrics: options.runtimeMetrics ?? env.read("GL_RUNTIME_METRICS", (v, s) => bool(s, v), true),
    warnings: env.warnings,
    metricsTls: {
      caFile: env.raw("OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE") ?? env.raw("OTEL_EXPORTER_OTLP_CERTIFICATE"),
      certFile:
        env.raw("OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE") ?? env.raw("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"),
      keyFile: env.raw("OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY") ?? env.raw("OTEL_EXPORTER_OTLP_CLIENT_KEY"),
    },
  };
  return config;
}
