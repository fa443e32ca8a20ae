// The span pipeline of the distribution, in processing order: enrichment (cluster, service
// version, tenant, user) and redaction, the metrics bridge, then the batch processor whose drops
// the DropCounter accounts for; plus the sampler and the id generator. Built apart from the SDK start so benchmarks can run exactly this pipeline on a bare
// TracerProvider next to the upstream defaults.
import type { Context } from "@opentelemetry/api";
import type { IdGenerator, ReadableSpan, Sampler, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import type { TracingConfig } from "./config.ts";
import { DropCounter } from "./drop-counter.ts";
import { constantSpanAttributes, EnrichmentSpanProcessor } from "./enrichment.ts";
import { CryptoIdGenerator } from "./id-generator.ts";
import { Redactor } from "./redaction.ts";
import { RetryingSpanExporter } from "./retry.ts";
import { createSampler } from "./sampler.ts";
import { SpanMetrics } from "./span-metrics.ts";

export interface SpanPipeline {
  sampler: Sampler;
  idGenerator: IdGenerator;
  /** What the tracer provider is given: one processor running the whole pipeline. */
  spanProcessors: SpanProcessor[];
  /** Undefined when no span is exported (OTEL_TRACES_EXPORTER=none). */
  batch: BatchSpanProcessor | undefined;
  dropCounter: DropCounter;
  spanMetrics: SpanMetrics | undefined;
  /** The exporter's retry wrapper, stopped first at shutdown; undefined without an exporter. */
  retrying: RetryingSpanExporter | undefined;
  /** The redaction spans go through; log records (logs.ts) use the same one. Undefined when off. */
  redactor: Redactor | undefined;
}

/**
 * Runs enrichment, the metrics bridge and the batch processor as one span processor. The SDK
 * calls every registered processor through one shared call site per hook; registering a single
 * processor keeps that dispatch exactly as cheap as in a bare setup, and fixes the order in code:
 * spans are redacted before the metrics bridge or the exporter sees them.
 */
export class PipelineSpanProcessor implements SpanProcessor {
  readonly #enrichment: EnrichmentSpanProcessor;
  readonly #metrics: SpanMetrics | undefined;
  readonly #batch: BatchSpanProcessor | undefined;

  constructor(
    enrichment: EnrichmentSpanProcessor,
    metrics: SpanMetrics | undefined,
    batch: BatchSpanProcessor | undefined,
  ) {
    this.#enrichment = enrichment;
    this.#metrics = metrics;
    this.#batch = batch;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#enrichment.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    this.#enrichment.onEnding(span);
  }

  onEnd(span: ReadableSpan): void {
    this.#metrics?.onEnd(span);
    this.#batch?.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await this.#batch?.forceFlush();
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.#enrichment.shutdown(), this.#metrics?.shutdown(), this.#batch?.shutdown()]);
  }
}

export function createSpanPipeline(config: TracingConfig, exporter: SpanExporter | undefined): SpanPipeline {
  const dropCounter = new DropCounter();
  // Also with retries off: the wrapper names each failure after its class (ECONNREFUSED, HTTP 503).
  const retrying = exporter && new RetryingSpanExporter(exporter, { maxElapsedMillis: config.exportRetryMaxMillis });
  // The batch processor gives up on an export after exportTimeoutMillis and starts the next one:
  // it must wait out the retries, so that new spans queue instead of piling up in parallel retries.
  const batch =
    exporter &&
    new BatchSpanProcessor({
      exporter: retrying ?? exporter,
      ...config.batch,
      exportTimeoutMillis: config.batch.exportTimeoutMillis + config.exportRetryMaxMillis,
      selfObsMeterProvider: dropCounter,
    });
  const spanMetrics = config.metricsExporter === "none" ? undefined : new SpanMetrics();
  // One redactor for the process: log records (logs.ts) go through the same rules and key cache.
  const redactor = config.redaction.enabled ? new Redactor(config.redaction) : undefined;
  const enrichment = new EnrichmentSpanProcessor({
    constantAttributes: constantSpanAttributes(config.cluster, config.serviceVersion),
    tenantBaggageKey: config.tenantBaggageKey,
    userBaggageKey: config.userBaggageKey,
    redactor,
  });
  const sampler = createSampler({
    serviceName: config.serviceName,
    ratio: config.samplingRatio,
    rules: config.samplingRules,
    ignorePaths: config.ignorePaths,
  });
  return {
    sampler,
    idGenerator: new CryptoIdGenerator(),
    spanProcessors: [new PipelineSpanProcessor(enrichment, spanMetrics, batch)],
    batch,
    dropCounter,
    spanMetrics,
    retrying,
    redactor,
  };
}
