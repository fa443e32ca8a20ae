// The span pipeline of the distribution, in processing order: enrichment and redaction, the
// metrics bridge, then the batch processor whose drops the DropCounter accounts for; plus the
// sampler, which also stamps the cluster and service version on every span. Built apart from the SDK start so benchmarks can run exactly this pipeline on a bare
// TracerProvider next to the upstream defaults.
import type { Sampler, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import type { TracingConfig } from "./config.ts";
import { DropCounter } from "./drop-counter.ts";
import { constantSpanAttributes, EnrichmentSpanProcessor } from "./enrichment.ts";
import { Redactor } from "./redaction.ts";
import { createSampler } from "./sampler.ts";
import { SpanMetrics } from "./span-metrics.ts";

export interface SpanPipeline {
  sampler: Sampler;
  spanProcessors: SpanProcessor[];
  /** Undefined when no span is exported (OTEL_TRACES_EXPORTER=none). */
  batch: BatchSpanProcessor | undefined;
  dropCounter: DropCounter;
  spanMetrics: SpanMetrics | undefined;
}

export function createSpanPipeline(config: TracingConfig, exporter: SpanExporter | undefined): SpanPipeline {
  const dropCounter = new DropCounter();
  const batch = exporter && new BatchSpanProcessor({ exporter, ...config.batch, selfObsMeterProvider: dropCounter });
  const spanMetrics = config.metricsExporter === "none" ? undefined : new SpanMetrics();
  const enrichment = new EnrichmentSpanProcessor({
    tenantBaggageKey: config.tenantBaggageKey,
    userBaggageKey: config.userBaggageKey,
    redactor: config.redaction.enabled ? new Redactor(config.redaction) : undefined,
  });
  const sampler = createSampler(
    {
      serviceName: config.serviceName,
      ratio: config.samplingRatio,
      rules: config.samplingRules,
      ignorePaths: config.ignorePaths,
    },
    constantSpanAttributes(config.cluster, config.serviceVersion),
  );
  return {
    sampler,
    spanProcessors: [enrichment, ...(spanMetrics ? [spanMetrics] : []), ...(batch ? [batch] : [])],
    batch,
    dropCounter,
    spanMetrics,
  };
}
