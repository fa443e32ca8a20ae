// The only place the alerts and dashboards write a metric name or a scrape-job selector. Each name
// is exact: the Collector v0.160.0 exposes raw names (no `_total`, no unit suffix); the SDK's names
// are its OTLP names after Prometheus's OTLP translation (`.`→`_`, `_total` on counters, `_seconds`
// for unit s); Tempo's are read off the v2.7.2 source (metric-names/tempo-2.7.2.tsv).
// tests/names.test.ts holds every name here to its component, and every expression to these names.

/** OpenTelemetry Collector v0.160.0 internal telemetry (metric-names/otelcol-0.160.0.tsv, captured live). */
export const OTELCOL = {
  receiverAccepted: "otelcol_receiver_accepted_spans",
  receiverRefused: "otelcol_receiver_refused_spans",
  receiverFailed: "otelcol_receiver_failed_spans",
  exporterSent: "otelcol_exporter_sent_spans",
  exporterSendFailed: "otelcol_exporter_send_failed_spans",
  exporterEnqueueFailed: "otelcol_exporter_enqueue_failed_spans",
  exporterSentMetricPoints: "otelcol_exporter_sent_metric_points",
  exporterSendFailedMetricPoints: "otelcol_exporter_send_failed_metric_points",
  queueSize: "otelcol_exporter_queue_size",
  queueCapacity: "otelcol_exporter_queue_capacity",
  inFlight: "otelcol_exporter_in_flight_requests",
  memoryLimiterAccepted: "otelcol_processor_memory_limiter_accepted_spans",
  memoryLimiterRefused: "otelcol_processor_memory_limiter_refused_spans",
  tailSampled: "otelcol_processor_tail_sampling_count_traces_sampled",
  tailGlobalSampled: "otelcol_processor_tail_sampling_global_count_traces_sampled",
  tailNewTraces: "otelcol_processor_tail_sampling_new_trace_id_received",
  tailDroppedTooEarly: "otelcol_processor_tail_sampling_sampling_trace_dropped_too_early",
  tailTracesOnMemory: "otelcol_processor_tail_sampling_sampling_traces_on_memory",
  tailPolicyErrors: "otelcol_processor_tail_sampling_sampling_policy_evaluation_error",
  tailDecisionLatencyBucket: "otelcol_processor_tail_sampling_sampling_decision_timer_latency_bucket",
  lbBackends: "otelcol_loadbalancer_num_backends",
  lbOutcome: "otelcol_loadbalancer_backend_outcome",
  lbResolutions: "otelcol_loadbalancer_num_resolutions",
  lbLatencyBucket: "otelcol_loadbalancer_backend_latency_bucket",
  uptime: "otelcol_process_uptime",
  cpu: "otelcol_process_cpu_seconds",
  rss: "otelcol_process_memory_rss",
  heap: "otelcol_process_runtime_heap_alloc_bytes",
} as const;

/**
 * @greenlang/tracing (sdk/src/metrics-export.ts METRIC_*), as Prometheus stores them after its OTLP
 * receiver's translation (or as the SDK's own Prometheus exporter serves them).
 */
export const SDK = {
  requests: "gl_span_requests_total",
  errors: "gl_span_errors_total",
  durationBucket: "gl_span_duration_seconds_bucket",
  dropped: "gl_tracing_spans_dropped_total",
  exported: "gl_tracing_spans_exported_total",
  // Runtime metrics (sdk/src/runtime-metrics.ts RUNTIME_METRICS).
  eventLoopDelayP99: "nodejs_eventloop_delay_p99_seconds",
  eventLoopUtilization: "nodejs_eventloop_utilization_ratio",
  heapUsed: "v8js_memory_heap_used_bytes",
  cpuTime: "process_cpu_time_seconds_total",
  gcDuration: "v8js_gc_duration_seconds_total",
} as const;

/** Grafana Tempo 2.7.2 (metric-names/tempo-2.7.2.tsv), metrics-generator output included. */
export const TEMPO = {
  spansReceived: "tempo_distributor_spans_received_total",
  bytesReceived: "tempo_distributor_bytes_received_total",
  appends: "tempo_distributor_ingester_appends_total",
  appendFailures: "tempo_distributor_ingester_append_failures_total",
  pushDurationBucket: "tempo_distributor_push_duration_seconds_bucket",
  discarded: "tempo_discarded_spans_total",
  liveTraces: "tempo_ingester_live_traces",
  blocksFlushed: "tempo_ingester_blocks_flushed_total",
  failedFlushes: "tempo_ingester_failed_flushes_total",
  flushRetries: "tempo_ingester_flush_retries_total",
  flushFailedRetries: "tempo_ingester_flush_failed_retries_total",
  flushQueueLength: "tempo_ingester_flush_queue_length",
  ringMembers: "tempo_ring_members",
  requestDurationBucket: "tempo_request_duration_seconds_bucket",
  requestDurationCount: "tempo_request_duration_seconds_count",
  frontendQueries: "tempo_query_frontend_queries_total",
  frontendQueueLength: "tempo_query_frontend_queue_length",
  backendDurationBucket: "tempodb_backend_request_duration_seconds_bucket",
  blocklistLength: "tempodb_blocklist_length",
  outstandingBlocks: "tempodb_compaction_outstanding_blocks",
  compactionErrors: "tempodb_compaction_errors_total",
  pollErrors: "tempodb_blocklist_poll_errors_total",
  retentionErrors: "tempodb_retention_errors_total",
  tenantIndexAge: "tempodb_blocklist_tenant_index_age_seconds",
  generatorSpansReceived: "tempo_metrics_generator_spans_received_total",
  generatorSpansDiscarded: "tempo_metrics_generator_spans_discarded_total",
  generatorActiveSeries: "tempo_metrics_generator_registry_active_series",
  generatorSeriesLimited: "tempo_metrics_generator_registry_series_limited_total",
  spanmetricsCalls: "traces_spanmetrics_calls_total",
  spanmetricsLatencyBucket: "traces_spanmetrics_latency_bucket",
} as const;

/**
 * Scrape jobs. The Collector's ServiceMonitor sets no jobLabel, so its job is the metrics Service's
 * name (apps/otel-collector: `<release>-metrics`); Tempo's ServiceMonitors set `tempo/<component>`,
 * and a monolithic Tempo (dev) is `tempo/tempo`, so each Tempo selector also matches that.
 */
export const COLLECTOR_JOB = "otel-collector-metrics";
export const COLLECTOR = `job="${COLLECTOR_JOB}"`;
export function tempoJob(...components: string[]): string {
  return `job=~"tempo/(${[...components, "tempo"].join("|")})"`;
}

/**
 * Search routes of Tempo 2.7.2's query-frontend: HTTP `route` values are dskit's
 * MakeLabelValue(path template); with Grafana's streaming on, search arrives as gRPC.
 */
export const SEARCH_ROUTES =
  "api_search|api_search_tags|api_search_tag_tagname_values|api_v2_search_tags|api_v2_search_tag_tagname_values|/tempopb.StreamingQuerier/Search.*";

/**
 * Labels every series gets from its scrape or its path into Prometheus, besides the component's own.
 * Collector and Tempo: the ServiceMonitor's target labels plus `cluster` (and `tier`). SDK series
 * arrive over OTLP: `job`/`instance` from service.name/service.instance.id and the promoted
 * resource attributes (docs/prerequisites.md). Metrics-generator series: Tempo's external_labels.
 */
export const TARGET_LABELS = {
  otelcol: ["job", "instance", "namespace", "pod", "service", "endpoint", "container", "cluster", "tier"],
  tempo: ["job", "instance", "namespace", "pod", "service", "endpoint", "container", "cluster"],
  sdk: ["job", "instance", "k8s_cluster_name", "k8s_namespace_name", "deployment_environment_name"],
  generator: ["cluster", "environment"],
} as const;
