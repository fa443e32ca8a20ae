// The configuration keys Grafana Tempo 2.7 (2.7.0-2.7.2) accepts, as a tree. `build.ts` turns it into
// tempo-2.7.schema.json. Tempo parses its config with yaml.UnmarshalStrict, so a key outside this
// tree either stops Tempo at start or (for a key we left out on purpose) is one we do not allow.
//
// Sources (see README.md in this folder for the method): the v2.7.2 configuration manifest and
// module configs as recorded in the shared planning notes (research/tempo.md) section 1; for the dskit blocks
// (server, memberlist, kvstore, gRPC clients) only keys present both in Tempo's 2.0 manifest
// (2022-12) and in its current manifest, so they certainly existed in 2.7.
//
// Deliberately absent, so that they fail:
// - removed in or before 2.7: query_frontend.querier_forget_delay, use_otel_tracer, search_enabled,
//   metrics_generator_enabled, query_frontend.trace_by_id.hedge_requests_*, autocomplete_filtering_enabled,
//   storage.trace.wal.completedfilepath / blocksfilepath, s3 insecure_skip_verify (now tls_insecure_skip_verify),
//   distributor.log_received_traces, the flat pre-2.3 `overrides` keys (ingestion_rate_limit_bytes, …);
// - added only after 2.7: storage.trace.s3.sse (2.8), the 2.8+ Kafka/"rhythm" blocks (ingest, block_builder,
//   backend_scheduler, backend_worker, live_store, …), query_frontend.mcp_server;
// - deprecated in 2.7 (they still load, with a warning; we do not want them): auth_enabled,
//   storage.trace.cache / memcached / redis / background_cache (use the top-level `cache`),
//   compactor.compaction.max_compaction_objects, querier.search external (serverless) endpoints.
import {
  bool,
  dur,
  int,
  list,
  map,
  num,
  obj,
  oneOf,
  port,
  type Schema,
  str,
  strings,
  uint,
} from "./schema-builders.ts";

const tlsClientFlat: Record<string, Schema> = {
  tls_enabled: bool,
  tls_cert_path: str,
  tls_key_path: str,
  tls_ca_path: str,
  tls_server_name: str,
  tls_insecure_skip_verify: bool,
  tls_cipher_suites: str,
  tls_min_version: str,
};

const serverTls = obj({ cert_file: str, key_file: str, client_auth_type: str, client_ca_file: str });

/** dskit server.Config (server: and internal_server:). */
const serverKeys: Record<string, Schema> = {
  http_listen_network: str,
  http_listen_address: str,
  http_listen_port: port,
  http_listen_conn_limit: uint,
  grpc_listen_network: str,
  grpc_listen_address: str,
  grpc_listen_port: port,
  grpc_listen_conn_limit: uint,
  tls_cipher_suites: str,
  tls_min_version: str,
  http_tls_config: serverTls,
  grpc_tls_config: serverTls,
  register_instrumentation: bool,
  graceful_shutdown_timeout: dur,
  http_server_read_timeout: dur,
  http_server_write_timeout: dur,
  http_server_idle_timeout: dur,
  grpc_server_max_recv_msg_size: uint,
  grpc_server_max_send_msg_size: uint,
  grpc_server_max_concurrent_streams: uint,
  grpc_server_max_connection_idle: dur,
  grpc_server_max_connection_age: dur,
  grpc_server_max_connection_age_grace: dur,
  grpc_server_keepalive_time: dur,
  grpc_server_keepalive_timeout: dur,
  grpc_server_min_time_between_pings: dur,
  grpc_server_ping_without_stream_allowed: bool,
  log_format: oneOf("logfmt", "json"),
  log_level: oneOf("debug", "info", "warn", "error"),
  log_source_ips_enabled: bool,
  log_source_ips_header: str,
  log_source_ips_regex: str,
  log_request_at_info_level_enabled: bool,
  http_path_prefix: str,
};

/** dskit kv.Config: where a ring keeps its state. */
const kvstore = obj({
  store: oneOf("memberlist", "consul", "etcd", "inmemory", "multi"),
  prefix: str,
  consul: obj({
    host: str,
    acl_token: str,
    http_client_timeout: dur,
    consistent_reads: bool,
    watch_rate_limit: num,
    watch_burst_size: int,
    cas_retry_delay: dur,
  }),
  etcd: obj({
    endpoints: strings,
    dial_timeout: dur,
    max_retries: int,
    ...tlsClientFlat,
    username: str,
    password: str,
  }),
  multi: obj({ primary: str, secondary: str, mirror_enabled: bool, mirror_timeout: dur }),
});

/** dskit BasicLifecyclerConfig-style ring used by distributors, compactors and generators. */
const basicRing = (extra: Record<string, Schema> = {}): Schema =>
  obj({
    kvstore,
    heartbeat_period: dur,
    heartbeat_timeout: dur,
    instance_id: str,
    instance_interface_names: strings,
    instance_addr: str,
    ...extra,
  });

const grpcClientConfig = obj({
  max_recv_msg_size: uint,
  max_send_msg_size: uint,
  grpc_compression: oneOf("", "gzip", "snappy"),
  rate_limit: num,
  rate_limit_burst: int,
  backoff_on_ratelimits: bool,
  backoff_config: obj({ min_period: dur, max_period: dur, max_retries: int }),
  ...tlsClientFlat,
});

const clientConfig = obj({
  pool_config: obj({
    checkinterval: dur,
    healthcheckenabled: bool,
    healthchecktimeout: dur,
    maxconcurrenthealthchecks: uint,
  }),
  remote_timeout: dur,
  grpc_client_config: grpcClientConfig,
});

// The embedded OpenTelemetry receivers (distributor.receivers). Their settings belong to the
// Collector's receiver packages; this lists the ones a Tempo operator sets.
const receiverTls = obj({ cert_file: str, key_file: str, ca_file: str, client_ca_file: str, min_version: str });
const grpcServerSettings = obj({
  endpoint: str,
  transport: str,
  max_recv_msg_size_mib: uint,
  max_concurrent_streams: uint,
  read_buffer_size: uint,
  write_buffer_size: uint,
  include_metadata: bool,
  tls: receiverTls,
});
const httpServerSettings = obj({
  endpoint: str,
  include_metadata: bool,
  tls: receiverTls,
  cors: obj({ allowed_origins: strings, allowed_headers: strings, max_age: int }),
});
const endpointOnly = obj({ endpoint: str });
const receivers = obj(
  {
    otlp: obj({ protocols: obj({ grpc: grpcServerSettings, http: httpServerSettings }) }),
    jaeger: obj({
      protocols: obj({
        grpc: grpcServerSettings,
        thrift_http: httpServerSettings,
        thrift_compact: endpointOnly,
        thrift_binary: endpointOnly,
      }),
    }),
    zipkin: endpointOnly,
    opencensus: endpointOnly,
  },
  "OpenTelemetry Collector receivers embedded in the distributor. Set endpoint 0.0.0.0:<port>: since 2.7 they bind localhost by default.",
);

const spanLogging = obj({ enabled: bool, include_all_attributes: bool, filter_by_status_error: bool });

const distributor = obj({
  ring: basicRing({ instance_port: port }),
  receivers,
  override_ring_key: str,
  log_received_spans: spanLogging,
  log_discarded_spans: spanLogging,
  metric_received_spans: obj({ enabled: bool, root_only: bool }),
  extend_writes: bool,
  retry_after_on_resource_exhausted: dur,
  max_span_attr_byte: uint,
  usage: obj({ cost_attribution: obj({ enabled: bool, max_cardinality: uint, stale_duration: dur }) }),
});

const ingester = obj({
  lifecycler: obj({
    ring: obj({
      kvstore,
      heartbeat_timeout: dur,
      replication_factor: { type: "integer", minimum: 1 },
      zone_awareness_enabled: bool,
      excluded_zones: str,
    }),
    num_tokens: uint,
    heartbeat_period: dur,
    heartbeat_timeout: dur,
    observe_period: dur,
    join_after: dur,
    min_ready_duration: dur,
    interface_names: strings,
    final_sleep: dur,
    tokens_file_path: str,
    availability_zone: str,
    unregister_on_shutdown: bool,
    readiness_check_ring_health: bool,
    address: str,
    port: port,
    id: str,
  }),
  concurrent_flushes: uint,
  flush_check_period: dur,
  flush_op_timeout: dur,
  trace_idle_period: dur,
  max_block_duration: dur,
  max_block_bytes: uint,
  complete_block_timeout: dur,
  override_ring_key: str,
  flush_all_on_shutdown: bool,
});

const querier = obj({
  search: obj({ query_timeout: dur }),
  trace_by_id: obj({ query_timeout: dur }),
  max_concurrent_queries: uint,
  frontend_worker: obj({
    frontend_address: str,
    dns_lookup_duration: dur,
    parallelism: uint,
    match_max_concurrent: bool,
    id: str,
    grpc_client_config: grpcClientConfig,
  }),
  shuffle_sharding_ingesters_enabled: bool,
  query_relevant_ingesters: bool,
});

const queryFrontend = obj({
  max_outstanding_per_tenant: uint,
  max_retries: uint,
  max_batch_size: uint,
  multi_tenant_queries_enabled: bool,
  api_timeout: dur,
  max_query_expression_size_bytes: uint,
  search: obj({
    concurrent_jobs: uint,
    target_bytes_per_job: uint,
    default_result_limit: uint,
    max_result_limit: uint,
    max_duration: dur,
    query_backend_after: dur,
    query_ingesters_until: dur,
    ingester_shards: uint,
    max_spans_per_span_set: uint,
    duration_slo: dur,
    throughput_bytes_slo: num,
    metadata_slo: obj({ duration_slo: dur, throughput_bytes_slo: num }),
  }),
  trace_by_id: obj({ query_shards: uint, concurrent_shards: uint, duration_slo: dur }),
  metrics: obj({
    concurrent_jobs: uint,
    target_bytes_per_job: uint,
    max_duration: dur,
    max_exemplars: uint,
    query_backend_after: dur,
    interval: dur,
  }),
});

const compactor = obj({
  disabled: bool,
  ring: basicRing({
    instance_port: port,
    wait_stability_min_duration: dur,
    wait_stability_max_duration: dur,
    wait_active_instance_timeout: dur,
  }),
  compaction: obj({
    block_retention: dur,
    compacted_block_retention: dur,
    compaction_window: dur,
    max_block_bytes: uint,
    retention_concurrency: uint,
    max_time_per_tenant: dur,
    compaction_cycle: dur,
    v2_in_buffer_bytes: uint,
    v2_out_buffer_bytes: uint,
    v2_prefetch_traces_count: uint,
  }),
  override_ring_key: str,
});

const buckets = list(num);
const generatorProcessorName = oneOf("service-graphs", "span-metrics", "local-blocks");

/** A Prometheus remote_write entry (metrics_generator.storage.remote_write); the common fields. */
const remoteWrite = obj({
  url: { type: "string", pattern: "^https?://" },
  name: str,
  remote_timeout: dur,
  headers: map(str),
  send_exemplars: bool,
  send_native_histograms: bool,
  proxy_url: str,
  follow_redirects: bool,
  enable_http2: bool,
  basic_auth: obj({ username: str, password: str, password_file: str }),
  tls_config: obj({ ca_file: str, cert_file: str, key_file: str, server_name: str, insecure_skip_verify: bool }),
  queue_config: obj({
    capacity: uint,
    max_shards: uint,
    min_shards: uint,
    max_samples_per_send: uint,
    batch_send_deadline: dur,
    min_backoff: dur,
    max_backoff: dur,
  }),
  sigv4: obj({ region: str, access_key: str, secret_key: str, profile: str, role_arn: str }),
});

const metricsGenerator = obj({
  ring: basicRing(),
  processor: obj({
    service_graphs: obj({
      wait: dur,
      max_items: uint,
      workers: uint,
      histogram_buckets: buckets,
      dimensions: strings,
      peer_attributes: strings,
      enable_client_server_prefix: bool,
      enable_messaging_system_latency_histogram: bool,
      enable_virtual_node_label: bool,
    }),
    span_metrics: obj({
      histogram_buckets: buckets,
      intrinsic_dimensions: obj({
        service: bool,
        span_name: bool,
        span_kind: bool,
        status_code: bool,
        status_message: bool,
      }),
      dimensions: strings,
      dimension_mappings: list(obj({ name: str, source_labels: strings, join: str })),
      enable_target_info: bool,
      span_multiplier_key: str,
    }),
    local_blocks: obj({
      max_live_traces: uint,
      max_block_duration: dur,
      max_block_bytes: uint,
      complete_block_timeout: dur,
      filter_server_spans: bool,
      flush_to_storage: bool,
      concurrent_blocks: uint,
    }),
  }),
  registry: obj({
    collection_interval: dur,
    stale_duration: dur,
    external_labels: map(str),
    inject_tenant_id_as: str,
    max_label_name_length: uint,
    max_label_value_length: uint,
  }),
  storage: obj({
    path: str,
    wal: obj({
      wal_segment_size: uint,
      // A bool in older releases, a codec name ("none", "snappy") in newer ones.
      wal_compression: { type: ["boolean", "string"] },
      stripe_size: uint,
      truncate_frequency: dur,
      min_wal_time: uint,
      max_wal_time: uint,
      no_lockfile: bool,
    }),
    remote_write_flush_deadline: dur,
    remote_write_add_org_id_header: bool,
    remote_write: list(remoteWrite),
  }),
  traces_storage: obj({ path: str }),
  metrics_ingestion_time_range_slack: dur,
  query_timeout: dur,
});

const blockVersion = oneOf("vParquet2", "vParquet3", "vParquet4");
const dedicatedColumns = list(
  obj({ scope: oneOf("resource", "span"), name: str, type: oneOf("string") }),
  "parquet_dedicated_columns: attributes stored in their own Parquet columns",
);

const s3 = obj({
  bucket: str,
  prefix: str,
  endpoint: str,
  region: str,
  access_key: str,
  secret_key: str,
  session_token: str,
  insecure: bool,
  tls_cert_path: str,
  tls_key_path: str,
  tls_ca_path: str,
  tls_server_name: str,
  tls_insecure_skip_verify: bool,
  tls_min_version: str,
  part_size: uint,
  hedge_requests_at: dur,
  hedge_requests_up_to: uint,
  signature_v2: bool,
  forcepathstyle: bool,
  bucket_lookup_type: { type: "integer", enum: [0, 1, 2] },
  enable_dual_stack: bool,
  list_blocks_concurrency: uint,
  tags: map(str),
  storage_class: str,
  metadata: map(str),
});

const gcs = obj({
  bucket_name: str,
  prefix: str,
  chunk_buffer_size: uint,
  endpoint: str,
  hedge_requests_at: dur,
  hedge_requests_up_to: uint,
  insecure: bool,
  object_cache_control: str,
  object_metadata: map(str),
});

const azure = obj({
  storage_account_name: str,
  storage_account_key: str,
  use_managed_identity: bool,
  use_federated_token: bool,
  user_assigned_id: str,
  container_name: str,
  prefix: str,
  endpoint_suffix: str,
  max_buffers: uint,
  buffer_size: uint,
  hedge_requests_at: dur,
  hedge_requests_up_to: uint,
});

const storage = obj({
  trace: obj({
    backend: oneOf("local", "s3", "gcs", "azure"),
    local: obj({ path: str }),
    wal: obj({ path: str, v2_encoding: str, ingestion_time_range_slack: dur }),
    block: obj({
      version: blockVersion,
      bloom_filter_false_positive: num,
      bloom_filter_shard_size_bytes: uint,
      parquet_row_group_size_bytes: uint,
      parquet_dedicated_columns: dedicatedColumns,
    }),
    pool: obj({ max_workers: uint, queue_depth: uint }),
    search: obj({
      chunk_size_bytes: uint,
      prefetch_trace_count: uint,
      read_buffer_count: uint,
      read_buffer_size_bytes: uint,
      cache_control: obj({ footer: bool, column_index: bool, offset_index: bool }),
    }),
    blocklist_poll: dur,
    blocklist_poll_concurrency: uint,
    blocklist_poll_fallback: bool,
    blocklist_poll_tenant_index_builders: uint,
    blocklist_poll_stale_tenant_index: dur,
    blocklist_poll_jitter_ms: uint,
    s3,
    gcs,
    azure,
  }),
});

const memberlist = obj({
  node_name: str,
  randomize_node_name: bool,
  stream_timeout: dur,
  retransmit_factor: uint,
  pull_push_interval: dur,
  gossip_interval: dur,
  gossip_nodes: uint,
  gossip_to_dead_nodes_time: dur,
  dead_node_reclaim_time: dur,
  compression_enabled: bool,
  advertise_addr: str,
  advertise_port: port,
  cluster_label: str,
  cluster_label_verification_disabled: bool,
  join_members: strings,
  min_join_backoff: dur,
  max_join_backoff: dur,
  max_join_retries: uint,
  abort_if_cluster_join_fails: bool,
  rejoin_interval: dur,
  left_ingesters_timeout: dur,
  leave_timeout: dur,
  message_history_buffer_bytes: uint,
  bind_addr: strings,
  bind_port: port,
  packet_dial_timeout: dur,
  packet_write_timeout: dur,
  ...tlsClientFlat,
});

/** The 2.3+ scoped overrides (overrides.defaults and each tenant in the runtime file). */
const tenantLimits = obj({
  ingestion: obj({
    rate_strategy: oneOf("local", "global"),
    rate_limit_bytes: uint,
    burst_size_bytes: uint,
    max_traces_per_user: uint,
    max_global_traces_per_user: uint,
    tenant_shard_size: uint,
    max_attribute_bytes: uint,
  }),
  read: obj({
    max_bytes_per_tag_values_query: uint,
    max_blocks_per_tag_values_query: uint,
    max_search_duration: dur,
    max_metrics_duration: dur,
  }),
  compaction: obj({ block_retention: dur, compaction_window: dur, compaction_disabled: bool }),
  metrics_generator: obj({
    processors: { ...list(generatorProcessorName), uniqueItems: true },
    max_active_series: uint,
    ring_size: uint,
    collection_interval: dur,
    disable_collection: bool,
    generate_native_histograms: oneOf("classic", "native", "both"),
    forwarder: obj({ queue_size: uint, workers: uint }),
    processor: obj({
      service_graphs: obj({
        histogram_buckets: buckets,
        dimensions: strings,
        peer_attributes: strings,
        enable_client_server_prefix: bool,
        enable_messaging_system_latency_histogram: bool,
        enable_virtual_node_label: bool,
      }),
      span_metrics: obj({
        histogram_buckets: buckets,
        dimensions: strings,
        intrinsic_dimensions: map(bool),
        dimension_mappings: list(obj({ name: str, source_labels: strings, join: str })),
        enable_target_info: bool,
      }),
    }),
  }),
  forwarders: strings,
  global: obj({ max_bytes_per_trace: uint }),
  storage: obj({ parquet_dedicated_columns: dedicatedColumns }),
  cost_attribution: obj({ dimensions: map(str) }),
});

const overrides = obj({
  defaults: tenantLimits,
  per_tenant_override_config: str,
  per_tenant_override_period: dur,
  user_configurable_overrides: obj({ enabled: bool, poll_interval: dur }),
});

const memcached = obj({
  host: str,
  service: str,
  addresses: str,
  timeout: dur,
  max_idle_conns: uint,
  update_interval: dur,
  consistent_hash: bool,
  circuit_breaker_consecutive_failures: uint,
  circuit_breaker_timeout: dur,
  circuit_breaker_interval: dur,
});

const redis = obj({
  endpoint: str,
  master_name: str,
  timeout: dur,
  expiration: dur,
  db: uint,
  pool_size: uint,
  password: str,
  idle_timeout: dur,
  max_connection_age: dur,
  tls_enabled: bool,
  tls_insecure_skip_verify: bool,
});

const cache = obj({
  background: obj({ writeback_goroutines: uint, writeback_buffer: uint }),
  caches: list(
    obj({
      roles: list(oneOf("bloom", "parquet-footer", "parquet-page", "frontend-search")),
      memcached,
      redis,
    }),
  ),
});

/** The root of tempo.yaml. */
export const tempoConfig: Schema = obj(
  {
    target: oneOf(
      "all",
      "scalable-single-binary",
      "distributor",
      "ingester",
      "querier",
      "query-frontend",
      "compactor",
      "metrics-generator",
    ),
    multitenancy_enabled: bool,
    shutdown_delay: dur,
    stream_over_http_enabled: bool,
    http_api_prefix: str,
    enable_go_runtime_metrics: bool,
    server: obj(serverKeys),
    internal_server: obj({ ...serverKeys, enable: bool }),
    distributor,
    ingester_client: clientConfig,
    metrics_generator_client: clientConfig,
    querier,
    query_frontend: queryFrontend,
    compactor,
    ingester,
    metrics_generator: metricsGenerator,
    storage,
    overrides,
    memberlist,
    usage_report: obj({ reporting_enabled: bool }),
    cache,
  },
  "Grafana Tempo 2.7 configuration file (tempo.yaml)",
);
