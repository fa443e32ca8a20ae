{{/*
The Collector configuration of each tier. Component type names are those of the pinned release
(v0.160.0): otlp_grpc, load_balancing, k8s_attributes, file_storage, health_check. Every rendered
config is checked by `otelcol validate` in apps/otel-collector/tests/otelcol-validate.test.ts.

Every server listens on ${env:MY_POD_IP} (the Downward API pod IP), never localhost.
*/}}

{{- define "otelcol.tlsDir" -}}/etc/otelcol/tls{{- end -}}
{{- define "otelcol.queueDir" -}}/var/lib/otelcol/queue{{- end -}}

{{/* OTLP receivers of the tier services send to (collector or front). */}}
{{- define "otelcol.config.clientReceivers" -}}
{{- $v := .Values -}}
otlp:
  protocols:
    grpc:
      endpoint: ${env:MY_POD_IP}:4317
      max_recv_msg_size_mib: {{ $v.receivers.grpcMaxRecvMsgSizeMiB }}
      keepalive:
        server_parameters:
          max_connection_age: {{ $v.receivers.grpcMaxConnectionAge }}
      {{- if $v.tls.enabled }}
      tls:
        {{- include "otelcol.config.serverTLS" . | nindent 8 }}
      {{- end }}
    http:
      endpoint: ${env:MY_POD_IP}:4318
      max_request_body_size: {{ mul $v.receivers.httpMaxRequestBodySizeMiB 1048576 }}
      {{- if $v.tls.enabled }}
      tls:
        {{- include "otelcol.config.serverTLS" . | nindent 8 }}
      {{- end }}
{{- end -}}

{{- define "otelcol.config.serverTLS" -}}
cert_file: {{ include "otelcol.tlsDir" . }}/tls.crt
key_file: {{ include "otelcol.tlsDir" . }}/tls.key
min_version: {{ .Values.tls.minVersion | quote }}
# Pick up certificates renewed in the mounted Secret without a restart.
reload_interval: 1h
{{- if .Values.tls.requireClientCert }}
client_ca_file: {{ include "otelcol.tlsDir" . }}/ca.crt
{{- end }}
{{- end -}}

{{- define "otelcol.config.memoryLimiter" -}}
memory_limiter:
  check_interval: {{ .Values.memoryLimiter.checkInterval }}
  limit_percentage: {{ .Values.memoryLimiter.limitPercentage }}
  spike_limit_percentage: {{ .Values.memoryLimiter.spikeLimitPercentage }}
{{- end -}}

{{/*
Enrichment and redaction, run on the receiving tier: k8s_attributes needs the sender's connection
(pod IP) and must run before anything that re-batches spans.
*/}}
{{- define "otelcol.config.enrichProcessors" -}}
{{- $v := .Values -}}
k8s_attributes:
  auth_type: serviceAccount
  extract:
    metadata:
      - k8s.namespace.name
      - k8s.pod.name
      - k8s.pod.uid
      - k8s.pod.start_time
      - k8s.deployment.name
      - k8s.node.name
  pod_association:
    - sources: [{from: resource_attribute, name: k8s.pod.ip}]
    - sources: [{from: resource_attribute, name: k8s.pod.uid}]
    - sources: [{from: connection}]
resource:
  attributes:
    - {key: k8s.cluster.name, value: {{ $v.cluster.name | quote }}, action: upsert}
    - {key: deployment.environment.name, value: {{ $v.cluster.environment | quote }}, action: upsert}
{{- if or $v.redaction.deleteAttributes $v.redaction.hashAttributes }}
attributes/redact:
  actions:
    {{- range $v.redaction.deleteAttributes }}
    - {key: {{ . | quote }}, action: delete}
    {{- end }}
    {{- range $v.redaction.hashAttributes }}
    - {key: {{ . | quote }}, action: hash}
    {{- end }}
{{- end }}
{{- if $v.redaction.blockedValues }}
redaction:
  # Keep every key; only mask values matching blocked_values.
  allow_all_keys: true
  blocked_values:
    {{- range $v.redaction.blockedValues }}
    - {{ . | quote }}
    {{- end }}
  summary: silent
{{- end }}
{{- end -}}

{{/* Processor ids of the enrichment stage, in pipeline order. */}}
{{- define "otelcol.config.enrichIds" -}}
{{- $ids := list "k8s_attributes" "resource" -}}
{{- if or .Values.redaction.deleteAttributes .Values.redaction.hashAttributes -}}{{- $ids = append $ids "attributes/redact" -}}{{- end -}}
{{- if .Values.redaction.blockedValues -}}{{- $ids = append $ids "redaction" -}}{{- end -}}
{{- join ", " $ids -}}
{{- end -}}

{{- define "otelcol.config.batch" -}}
batch:
  send_batch_size: {{ .Values.batch.sendBatchSize }}
  send_batch_max_size: {{ .Values.batch.sendBatchMaxSize }}
  timeout: {{ .Values.batch.timeout }}
{{- end -}}

{{/* One tail_sampling policy from its typed values form (see values.yaml, sampling.policies). */}}
{{- define "otelcol.config.samplingPolicy" -}}
{{- $p := . -}}
{{- if eq $p.type "status_code" -}}
name: {{ $p.name }}
type: status_code
status_code: {status_codes: {{ toJson $p.statusCodes }}}
{{- else if eq $p.type "latency" -}}
name: {{ $p.name }}
type: latency
latency: {threshold_ms: {{ int $p.thresholdMs }}}
{{- else if eq $p.type "probabilistic" -}}
name: {{ $p.name }}
type: probabilistic
probabilistic: {sampling_percentage: {{ $p.samplingPercentage }}}
{{- else if eq $p.type "string_attribute" -}}
{{- $match := dict "key" $p.key "values" $p.values "enabled_regex_matching" (default false $p.regex) -}}
{{- if and (hasKey $p "samplingPercentage") (lt (float64 $p.samplingPercentage) 100.0) -}}
name: {{ $p.name }}
type: and
and:
  and_sub_policy:
    - {name: {{ printf "%s-match" $p.name }}, type: string_attribute, string_attribute: {{ toJson $match }}}
    - {name: {{ printf "%s-rate" $p.name }}, type: probabilistic, probabilistic: {sampling_percentage: {{ $p.samplingPercentage }}}}
{{- else -}}
name: {{ $p.name }}
type: string_attribute
string_attribute: {{ toJson $match }}
{{- end -}}
{{- else if eq $p.type "drop" -}}
name: {{ $p.name }}
type: drop
drop:
  drop_sub_policy:
    - {name: {{ printf "%s-match" $p.name }}, type: string_attribute, string_attribute: {{ toJson (dict "key" $p.key "values" $p.values "enabled_regex_matching" (default false $p.regex)) }}}
{{- else -}}
{{- fail (printf "sampling.policies %q: unknown type %q" $p.name $p.type) -}}
{{- end -}}
{{- end -}}

{{- define "otelcol.config.tempoExporter" -}}
{{- $v := .Values -}}
otlp_grpc/tempo:
  endpoint: {{ $v.tempo.endpoint }}
  tls:
    insecure: {{ $v.tempo.insecure }}
  timeout: {{ $v.tempo.timeout }}
  sending_queue:
    enabled: true
    num_consumers: {{ $v.tempo.sendingQueue.numConsumers }}
    queue_size: {{ $v.tempo.sendingQueue.queueSize }}
    # Persistent: the queue lives in file_storage/queue on the tier's volume.
    storage: file_storage/queue
    # A request never exceeds maxRequestBytes (encoded OTLP, what gRPC counts against the
    # receiver's message limit): a bigger batch is split. min_size 0 sends what is there at once;
    # the batch processor before the exporter already gathers the spans.
    batch:
      sizer: bytes
      min_size: 0
      max_size: {{ $v.tempo.maxRequestBytes | int64 }}
      flush_timeout: 200ms
  retry_on_failure:
    enabled: true
    initial_interval: {{ $v.tempo.retryOnFailure.initialInterval }}
    max_interval: {{ $v.tempo.retryOnFailure.maxInterval }}
    max_elapsed_time: {{ $v.tempo.retryOnFailure.maxElapsedTime }}
{{- end -}}

{{- define "otelcol.config.extensions" -}}
health_check:
  endpoint: ${env:MY_POD_IP}:13133
{{- if .persistent }}
file_storage/queue:
  directory: {{ include "otelcol.queueDir" . }}
  # The volume is mounted there; create_directory only matters outside Kubernetes (tests).
  create_directory: true
  timeout: 1s
  compaction:
    on_start: true
    on_rebound: true
    directory: {{ include "otelcol.queueDir" . }}
{{- end }}
{{- end -}}

{{- define "otelcol.config.telemetry" -}}
telemetry:
  metrics:
    level: {{ .Values.telemetry.metricsLevel }}
    readers:
      - pull:
          exporter:
            prometheus:
              host: ${env:MY_POD_IP}
              port: {{ .Values.telemetry.metricsPort }}
              # Raw metric names (otelcol_exporter_sent_spans, no _total/unit suffixes), the same as
              # the Collector's built-in default reader; dashboards and alerts query these.
              without_type_suffix: true
              without_units: true
{{- end -}}

{{/* The exporter of the metrics pipeline: Prometheus's OTLP receiver (values: metrics). */}}
{{- define "otelcol.config.metricsExporter" -}}
otlp_http/prometheus:
  endpoint: {{ .Values.metrics.endpoint }}
  timeout: {{ .Values.metrics.timeout }}
  # In memory: metrics are a stream of fresh values, and a lost interval is filled by the next one.
  sending_queue:
    enabled: true
  retry_on_failure:
    enabled: true
    max_elapsed_time: 60s
{{- end -}}

{{/*
The metrics pipeline of the receiving tier: what services push is limited, stamped with the pod's
Kubernetes attributes and the cluster, batched and forwarded. Span redaction does not apply.
*/}}
{{- define "otelcol.config.metricsPipeline" -}}
metrics:
  receivers: [otlp]
  processors: [memory_limiter, k8s_attributes, resource, batch]
  exporters: [otlp_http/prometheus]
{{- end -}}

{{/* The exporter of the logs pipeline: the platform's logs backend over OTLP/HTTP (values: logs). */}}
{{- define "otelcol.config.logsExporter" -}}
otlp_http/logs:
  endpoint: {{ .Values.logs.endpoint }}
  timeout: {{ .Values.logs.timeout }}
  # In memory, as for metrics: a pod that dies loses what it holds; services' SDKs retry refusals.
  sending_queue:
    enabled: true
  retry_on_failure:
    enabled: true
    max_elapsed_time: 60s
{{- end -}}

{{/*
The logs pipeline of the receiving tier: what services' loggers send is limited, stamped with the
pod's Kubernetes attributes and the cluster, redacted as spans are (the same key and value rules),
batched and forwarded. Only with logs.endpoint set: without a pipeline /v1/logs answers 404.
*/}}
{{- define "otelcol.config.logsPipeline" -}}
logs:
  receivers: [otlp]
  processors: [memory_limiter, {{ include "otelcol.config.enrichIds" . }}, batch]
  exporters: [otlp_http/logs]
{{- end -}}

{{/* The whole config of a tier: (dict "root" $ "tier" "<tier>"). */}}
{{- define "otelcol.config" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- if eq .tier "collector" }}
extensions:
  {{- include "otelcol.config.extensions" (dict "Values" $v "persistent" true) | nindent 2 }}
receivers:
  {{- include "otelcol.config.clientReceivers" $root | nindent 2 }}
processors:
  {{- include "otelcol.config.memoryLimiter" $root | nindent 2 }}
  {{- include "otelcol.config.enrichProcessors" $root | nindent 2 }}
  {{- include "otelcol.config.batch" $root | nindent 2 }}
exporters:
  {{- include "otelcol.config.tempoExporter" $root | nindent 2 }}
  {{- if $v.metrics.endpoint }}
  {{- include "otelcol.config.metricsExporter" $root | nindent 2 }}
  {{- end }}
  {{- if $v.logs.endpoint }}
  {{- include "otelcol.config.logsExporter" $root | nindent 2 }}
  {{- end }}
service:
  extensions: [health_check, file_storage/queue]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, {{ include "otelcol.config.enrichIds" $root }}, batch]
      exporters: [otlp_grpc/tempo]
    {{- if $v.metrics.endpoint }}
    {{- include "otelcol.config.metricsPipeline" $root | nindent 4 }}
    {{- end }}
    {{- if $v.logs.endpoint }}
    {{- include "otelcol.config.logsPipeline" $root | nindent 4 }}
    {{- end }}
  {{- include "otelcol.config.telemetry" $root | nindent 2 }}
{{- else if eq .tier "front" }}
extensions:
  {{- include "otelcol.config.extensions" (dict "Values" $v "persistent" false) | nindent 2 }}
receivers:
  {{- include "otelcol.config.clientReceivers" $root | nindent 2 }}
processors:
  {{- include "otelcol.config.memoryLimiter" $root | nindent 2 }}
  {{- include "otelcol.config.enrichProcessors" $root | nindent 2 }}
  {{- if or $v.metrics.endpoint $v.logs.endpoint }}
  # Metrics and logs only: spans are batched by the gateway, after tail sampling.
  {{- include "otelcol.config.batch" $root | nindent 2 }}
  {{- end }}
exporters:
  {{- if $v.metrics.endpoint }}
  {{- include "otelcol.config.metricsExporter" $root | nindent 2 }}
  {{- end }}
  {{- if $v.logs.endpoint }}
  {{- include "otelcol.config.logsExporter" $root | nindent 2 }}
  {{- end }}
  # Every span of a trace goes to the same gateway pod, so tail sampling sees whole traces.
  load_balancing:
    routing_key: traceID
    protocol:
      otlp:
        tls:
          insecure: true
        timeout: 10s
        # No queue or retry per gateway: a batch that fails goes back to the queue below, whose
        # retry routes it again through the ring as it is then. A per-gateway queue would keep
        # retrying a removed or restarting pod until the resolver drops it, then discard what it
        # held, uncounted (apps/otel-collector/tests/rollout.int.test.ts measures both ways).
        sending_queue:
          enabled: false
        retry_on_failure:
          enabled: false
    resolver:
      dns:
        hostname: {{ include "otelcol.headlessName" (dict "root" $root "tier" "gateway") }}.{{ $root.Release.Namespace }}.svc.cluster.local
        port: "4317"
        interval: {{ $v.loadBalancing.dnsInterval }}
        timeout: {{ $v.loadBalancing.dnsTimeout }}
    sending_queue:
      enabled: true
      queue_size: {{ $v.loadBalancing.queueSize }}
    retry_on_failure:
      enabled: true
      max_elapsed_time: 60s
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, {{ include "otelcol.config.enrichIds" $root }}]
      exporters: [load_balancing]
    {{- if $v.metrics.endpoint }}
    {{- include "otelcol.config.metricsPipeline" $root | nindent 4 }}
    {{- end }}
    {{- if $v.logs.endpoint }}
    {{- include "otelcol.config.logsPipeline" $root | nindent 4 }}
    {{- end }}
  {{- include "otelcol.config.telemetry" $root | nindent 2 }}
{{- else if eq .tier "gateway" }}
extensions:
  {{- include "otelcol.config.extensions" (dict "Values" $v "persistent" true) | nindent 2 }}
receivers:
  # Only the front tier sends here (NetworkPolicy), over OTLP gRPC from its load_balancing exporter.
  otlp:
    protocols:
      grpc:
        endpoint: ${env:MY_POD_IP}:4317
        max_recv_msg_size_mib: {{ $v.receivers.grpcMaxRecvMsgSizeMiB }}
processors:
  {{- include "otelcol.config.memoryLimiter" $root | nindent 2 }}
  tail_sampling:
    decision_wait: {{ $v.sampling.decisionWait }}
    num_traces: {{ int $v.sampling.numTraces }}
    expected_new_traces_per_sec: {{ int $v.sampling.expectedNewTracesPerSec }}
    policies:
      {{- range $v.sampling.policies }}
      - {{ include "otelcol.config.samplingPolicy" . | nindent 8 | trim }}
      {{- end }}
  {{- include "otelcol.config.batch" $root | nindent 2 }}
exporters:
  {{- include "otelcol.config.tempoExporter" $root | nindent 2 }}
service:
  extensions: [health_check, file_storage/queue]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, tail_sampling, batch]
      exporters: [otlp_grpc/tempo]
  {{- include "otelcol.config.telemetry" $root | nindent 2 }}
{{- end }}
{{- end -}}
