// initTracing(): the one call a service makes. It resolves the configuration, builds the resource,
// sampler, processors and exporter, starts the OpenTelemetry NodeSDK with the chosen
// instrumentations, starts the metrics bridge, and installs the shutdown path: on SIGTERM/SIGINT
// (and when the event loop empties) spans are flushed within a deadline and then the process is
// let go. It never throws at runtime once started, and a second call returns the first handle.
import {
  DiagConsoleLogger,
  DiagLogLevel,
  diag,
  ProxyTracerProvider,
  type TextMapPropagator,
  trace,
} from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { AWSXRayPropagator } from "@opentelemetry/propagator-aws-xray";
import { B3InjectEncoding, B3Propagator } from "@opentelemetry/propagator-b3";
import type { Resource } from "@opentelemetry/resources";
import type { LogRecordExporter } from "@opentelemetry/sdk-logs";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { type SpanExporter, TracerProvider } from "@opentelemetry/sdk-trace";
import { type LogLevel, resolveConfig, type TracingConfig, type TracingOptions } from "./config.ts";
import { LeanContextManager } from "./context-manager.ts";
import { EMPTY_COUNTS, type SpanCounts } from "./drop-counter.ts";
import { createSpanExporter } from "./exporter.ts";
import { createInstrumentations } from "./instrumentations.ts";
import { JaegerPropagator } from "./jaeger-propagator.ts";
import { useLeanTracers } from "./lean-tracer.ts";
import { createLogRecordProcessors } from "./logs.ts";
import { OtlpJsonMetricsPusher, PrometheusEndpoint } from "./metrics-export.ts";
import { createSpanPipeline } from "./pipeline.ts";
import { buildResource } from "./resource.ts";
import { RuntimeMetrics } from "./runtime-metrics.ts";
import type { SpanMetrics } from "./span-metrics.ts";

export interface TracingStats extends SpanCounts {
  /** False when tracing is off (OTEL_SDK_DISABLED, `disabled: true`, or another SDK owned the process). */
  enabled: boolean;
  /** Spans lost for any reason: droppedQueueFull + droppedExportFailed. */
  dropped: number;
  metricsExportFailures: number;
}

export interface TracingHandle {
  readonly config: TracingConfig | undefined;
  /** Flushes and stops everything; resolves within `shutdownTimeoutMillis`, never rejects. */
  shutdown(): Promise<void>;
  /** Exports what is queued now; resolves within `shutdownTimeoutMillis`, never rejects. */
  forceFlush(): Promise<void>;
  stats(): TracingStats;
}

/** Test seams: replace the exporter, or read the processors' view. Not part of the public API. */
export interface InternalSetupHooks {
  exporter?: SpanExporter;
  /** Where log records (the GenAI events among them) go instead of OTEL_LOGS_EXPORTER's choice. */
  logRecordExporter?: LogRecordExporter;
}

// One handle per process, shared by the ESM and CJS copies of this package (a preload in one
// format and an import in the other must not start two SDKs).
const HANDLE_KEY = Symbol.for("@greenlang/tracing.handle");
type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: TracingHandle };

const LOG_LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

function disabledHandle(config: TracingConfig | undefined): TracingHandle {
  return {
    config,
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
    stats: () => ({ ...EMPTY_COUNTS, enabled: false, dropped: 0, metricsExportFailures: 0 }),
  };
}

/** True when some other code already registered a global tracer provider. */
function tracerProviderAlreadyRegistered(): boolean {
  const noop = new ProxyTracerProvider().getDelegate();
  const global = trace.getTracerProvider();
  return global instanceof ProxyTracerProvider ? global.getDelegate() !== noop : true;
}

function createPropagator(config: TracingConfig): TextMapPropagator | null {
  const propagators: TextMapPropagator[] = [];
  if (config.propagators.includes("tracecontext")) propagators.push(new W3CTraceContextPropagator());
  if (config.propagators.includes("baggage")) propagators.push(new W3CBaggagePropagator());
  if (config.propagators.includes("b3"))
    propagators.push(new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }));
  if (config.propagators.includes("b3multi"))
    propagators.push(new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }));
  if (config.propagators.includes("jaeger")) propagators.push(new JaegerPropagator());
  if (config.propagators.includes("xray")) propagators.push(new AWSXRayPropagator());
  return propagators.length === 0 ? null : new CompositePropagator({ propagators });
}

function withDeadline(work: Promise<unknown>, millis: number, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      diag.warn(`@greenlang/tracing: ${what} did not finish within ${millis} ms; giving up`);
      resolve();
    }, millis);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        diag.warn(`@greenlang/tracing: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
        resolve();
      },
    );
  });
}

function installSignalHandlers(handle: TracingHandle, config: TracingConfig): void {
  const onSignal = (signal: NodeJS.Signals) => {
    process.removeListener("SIGTERM", onSignal);
    process.removeListener("SIGINT", onSignal);
    void handle.shutdown().then(() => {
      // If the application has its own handler for this signal, it decides when to exit.
      // Otherwise re-raise the signal: with our handler gone, Node's default applies and the
      // process ends the way it would have without tracing (status 128 + signal number).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  // A process that ends because its event loop is empty gets one flush too.
  process.once("beforeExit", () => void handle.shutdown());
  diag.debug(`@greenlang/tracing: SIGTERM/SIGINT flush within ${config.shutdownTimeoutMillis} ms`);
}

export function initTracing(options: TracingOptions = {}, hooks: InternalSetupHooks = {}): TracingHandle {
  const g = globalThis as GlobalWithHandle;
  const existing = g[HANDLE_KEY];
  if (existing) {
    diag.warn("@greenlang/tracing: initTracing() called again; keeping the tracing already started");
    return existing;
  }
  const config = resolveConfig(options);
  if (config.logLevel !== "none")
    diag.setLogger(new DiagConsoleLogger(), { logLevel: LOG_LEVELS[config.logLevel], suppressOverrideMessage: true });
  // Environment values that were invalid or unsupported were ignored (fail open): say so, once.
  for (const warning of config.warnings) diag.warn(warning);
  if (config.disabled) {
    g[HANDLE_KEY] = disabledHandle(config);
    return g[HANDLE_KEY];
  }
  if (tracerProviderAlreadyRegistered()) {
    diag.warn(
      "@greenlang/tracing: another OpenTelemetry SDK is already registered in this process; not starting a second one",
    );
    g[HANDLE_KEY] = disabledHandle(config);
    return g[HANDLE_KEY];
  }

  const resource: Resource = buildResource(config);
  const { sampler, idGenerator, spanProcessors, batch, dropCounter, spanMetrics, retrying, redactor } =
    createSpanPipeline(config, hooks.exporter ?? createSpanExporter(config));

  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    sampler,
    spanProcessors,
    idGenerator,
    instrumentations: createInstrumentations(config.instrumentations, config.ignorePaths, {
      sendLogs: config.logsExporter !== "none",
    }),
    textMapPropagator: createPropagator(config),
    contextManager: new LeanContextManager(),
    // The span-derived metrics have their own exporter (they need exemplars); logs go where
    // OTEL_LOGS_EXPORTER says, redacted as span attributes are. Given explicitly, so NodeSDK never
    // starts exporters of its own from the environment.
    metricReaders: [],
    logRecordProcessors: createLogRecordProcessors(config, redactor, hooks.logRecordExporter),
  });
  sdk.start();
  // The provider NodeSDK made and registered (no other was registered: checked above). Its
  // tracers start spans without the SDK's double attribute check (lean-tracer.ts).
  const registered = trace.getTracerProvider();
  const provider = registered instanceof ProxyTracerProvider ? registered.getDelegate() : registered;
  if (provider instanceof TracerProvider) useLeanTracers(provider);

  // Runtime metrics travel with the span metrics (on whenever those are, unless GL_RUNTIME_METRICS=false).
  const runtimeMetrics = spanMetrics && config.runtimeMetrics ? new RuntimeMetrics() : undefined;
  const metricsSource = {
    collect: () => (spanMetrics as SpanMetrics).collect(),
    counts: () => dropCounter.counts(),
    resource: () => resource.attributes,
    ...(runtimeMetrics ? { runtime: () => runtimeMetrics.collect() } : {}),
  };
  let pusher: OtlpJsonMetricsPusher | undefined;
  let prometheus: PrometheusEndpoint | undefined;
  if (spanMetrics && config.metricsExporter === "otlp") {
    pusher = new OtlpJsonMetricsPusher({
      endpoint: config.metricsEndpoint,
      headers: config.headers,
      timeoutMillis: config.timeoutMillis,
      intervalMillis: config.metricsIntervalMillis,
      source: metricsSource,
      tls: config.metricsTls,
    });
  } else if (spanMetrics && config.metricsExporter === "prometheus") {
    prometheus = new PrometheusEndpoint(metricsSource);
    prometheus.listen(config.prometheusPort, config.prometheusHost).catch((error: Error) => {
      diag.error(
        `@greenlang/tracing: cannot serve Prometheus metrics on ${config.prometheusHost}:${config.prometheusPort}: ${error.message}`,
      );
    });
  }

  let shutdownPromise: Promise<void> | undefined;
  const handle: TracingHandle = {
    config,
    shutdown() {
      // No more waiting for the Collector: what is pending gets one last attempt.
      retrying?.stopRetrying();
      shutdownPromise ??= withDeadline(
        // Spans first: the metrics pushed last then include the final drop counts.
        sdk
          .shutdown()
          .then(() => Promise.all([pusher?.shutdown(), prometheus?.shutdown()]))
          .then(() => runtimeMetrics?.shutdown()),
        config.shutdownTimeoutMillis,
        "tracing shutdown",
      );
      return shutdownPromise;
    },
    forceFlush() {
      return batch ? withDeadline(batch.forceFlush(), config.shutdownTimeoutMillis, "span flush") : Promise.resolve();
    },
    stats() {
      const counts = dropCounter.counts();
      return {
        ...counts,
        enabled: true,
        dropped: counts.droppedQueueFull + counts.droppedExportFailed,
        metricsExportFailures: pusher?.failures ?? 0,
      };
    },
  };
  g[HANDLE_KEY] = handle;
  if (config.handleSignals) installSignalHandlers(handle, config);
  return handle;
}

/** The handle of the tracing started in this process, if any (e.g. by the preload). */
export function getTracingHandle(): TracingHandle | undefined {
  return (globalThis as GlobalWithHandle)[HANDLE_KEY];
}

/**
 * Starts tracing from the environment alone, for the preload: a configuration error is printed
 * with the setting at fault and the service runs untraced, rather than not at all.
 */
export function startFromEnvironment(): TracingHandle {
  try {
    return initTracing();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}; tracing is off\n`);
    const handle = disabledHandle(undefined);
    (globalThis as GlobalWithHandle)[HANDLE_KEY] = handle;
    return handle;
  }
}
