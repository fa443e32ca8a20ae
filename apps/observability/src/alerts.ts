// The platform's alerting rules, one typed entry per alert. alertGroups() turns them into the
// Prometheus rule groups the PrometheusRule carries (and promtool tests). Conventions: CamelCase
// names prefixed by component; `severity` critical pages, warning opens a ticket; every alert
// links its runbook section and the dashboard panel to open first.
//
// Two traps shape the expressions:
// - the Collector's failure counters (enqueue_failed, send_failed) and Tempo's CounterVecs are born
//   at the first failure, so rate() misses that first increment: the span-loss alert has a
//   "born recently" arm;
// - a ratio's denominator must count both outcomes (sent + failed), or a total outage reads 0/0.
import { DASHBOARDS, type DashboardRef, PANELS } from "./dashboards/ids.ts";
import { COLLECTOR, OTELCOL, SDK, SEARCH_ROUTES, TEMPO, tempoJob } from "./metrics.ts";
import type { ObservabilitySettings } from "./settings.ts";

export type Component = "otel-collector" | "tempo" | "sdk";

export const RUNBOOKS = {
  collector: "otel-collector-dropped-spans.md",
  ingester: "tempo-ingester-failures.md",
  search: "trace-search-slow.md",
} as const;

export interface AlertDefinition {
  alert: string;
  expr: string;
  for: string;
  severity: "critical" | "warning";
  component: Component;
  summary: string;
  description: string;
  runbook: (typeof RUNBOOKS)[keyof typeof RUNBOOKS];
  dashboard: DashboardRef;
  panel: number;
  /** The label the dashboard's cluster variable is filled from (SDK series carry k8s_cluster_name). */
  clusterLabel?: string;
}

export interface PrometheusRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: PrometheusRule[];
}

const pct = "{{ $value | humanizePercentage }}";

/**
 * The share of `lost` among all outcomes per `by` group, over 5 minutes: lost / (kept + lost), so a
 * total outage reads 100% rather than 0/0.
 */
function lossShare(lost: string, kept: string, by: string): string {
  const r = (metric: string) => `sum by (${by}) (rate(${metric}[5m]))`;
  return `${r(lost)}
  / (${r(kept)}
   + ${r(lost)})`;
}

export function alertDefinitions(s: ObservabilitySettings): AlertDefinition[] {
  const loss = s.thresholds.spanLossRatio;
  const lossText = `${+(loss * 100).toFixed(3)}%`;
  const byTier = "cluster, tier";
  return [
    {
      alert: "OtelCollectorDown",
      expr: `up{${COLLECTOR}} == 0`,
      for: "5m",
      severity: "critical",
      component: "otel-collector",
      summary: "An OpenTelemetry Collector pod cannot be scraped.",
      description:
        "Prometheus has not scraped {{ $labels.pod }} ({{ $labels.tier }} tier) on {{ $labels.cluster }} for 5 minutes: the pod is down, crash-looping or unreachable, and the spans its clients send are refused or lost.",
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.collector,
      panel: PANELS.collector.up,
    },
    {
      alert: "OtelCollectorRefusingSpans",
      expr: `${lossShare(`${OTELCOL.receiverRefused}{${COLLECTOR}}`, `${OTELCOL.receiverAccepted}{${COLLECTOR}}`, `${byTier}, receiver`)}
  > ${loss}`,
      for: "5m",
      severity: "warning",
      component: "otel-collector",
      summary: "The Collector refuses spans (memory limiter or back-pressure).",
      description: `The {{ $labels.tier }} tier on {{ $labels.cluster }} refuses ${pct} of the spans arriving on {{ $labels.receiver }} (threshold ${lossText}). Clients retry refused spans; those that give up lose them.`,
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.collector,
      panel: PANELS.collector.refused,
    },
    {
      alert: "OtelCollectorExportFailing",
      expr: `${lossShare(`${OTELCOL.exporterSendFailed}{${COLLECTOR}}`, `${OTELCOL.exporterSent}{${COLLECTOR}}`, `${byTier}, exporter`)}
  > ${loss}`,
      for: "10m",
      severity: "critical",
      component: "otel-collector",
      summary: "The Collector loses spans it could not export after every retry.",
      description: `{{ $labels.exporter }} on the {{ $labels.tier }} tier of {{ $labels.cluster }} gave up on ${pct} of its spans after retrying (threshold ${lossText}): those spans are lost.`,
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.collector,
      panel: PANELS.collector.sendFailed,
    },
    {
      alert: "OtelCollectorQueueNearlyFull",
      expr: `max by (${byTier}, pod, exporter) (${OTELCOL.queueSize}{${COLLECTOR}} / ${OTELCOL.queueCapacity}{${COLLECTOR}})
  > ${s.thresholds.queueFillRatio}`,
      for: "10m",
      severity: "warning",
      component: "otel-collector",
      summary: "A Collector export queue is nearly full.",
      description: `The sending queue of {{ $labels.exporter }} on {{ $labels.pod }} ({{ $labels.cluster }}) is ${pct} full (threshold ${+(s.thresholds.queueFillRatio * 100).toFixed(1)}%): its backend is slow or down. When it is full, new spans are dropped.`,
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.collector,
      panel: PANELS.collector.queueFill,
    },
    {
      alert: "OtelCollectorDroppingSpans",
      // The counter is born at the first drop: the second arm catches a series that did not exist
      // 10 minutes ago, which rate() alone never sees increase.
      expr: `(sum by (${byTier}, exporter) (rate(${OTELCOL.exporterEnqueueFailed}{${COLLECTOR}}[5m])) > 0)
or
(sum by (${byTier}, exporter) (${OTELCOL.exporterEnqueueFailed}{${COLLECTOR}} unless ${OTELCOL.exporterEnqueueFailed}{${COLLECTOR}} offset 10m) > 0)`,
      for: "0m",
      severity: "critical",
      component: "otel-collector",
      summary: "The Collector drops spans: an export queue is full.",
      description:
        "{{ $labels.exporter }} on the {{ $labels.tier }} tier of {{ $labels.cluster }} could not queue spans and dropped them. Spans are being lost now.",
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.collector,
      panel: PANELS.collector.enqueueFailed,
    },
    {
      alert: "OtelCollectorTailSamplingLateSpans",
      expr: `sum by (cluster, pod) (rate(${OTELCOL.tailDroppedTooEarly}{${COLLECTOR}}[5m])) > 0`,
      for: "15m",
      severity: "warning",
      component: "otel-collector",
      summary: "Tail sampling evicts traces before their decision.",
      description:
        '{{ $labels.pod }} on {{ $labels.cluster }} drops {{ printf "%.2f" $value }} traces/s before deciding on them: the sampler holds more traces than collector.sampling.numTraces allows for the decision wait.',
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.collector,
      panel: PANELS.collector.tailLate,
    },
    {
      alert: "TempoIngesterFlushesFailing",
      // The 5-minute arm comes first: `and` keeps the left side's value, which the description reads.
      expr: `sum by (cluster, pod) (increase(${TEMPO.failedFlushes}{${tempoJob("ingester")}}[5m])) > 0
and
sum by (cluster, pod) (increase(${TEMPO.failedFlushes}{${tempoJob("ingester")}}[1h])) > 2`,
      for: "5m",
      severity: "critical",
      component: "tempo",
      summary: "A Tempo ingester keeps failing to flush blocks to object storage.",
      description:
        "{{ $labels.pod }} on {{ $labels.cluster }} failed {{ $value | humanize }} flushes in the last 5 minutes and more than 2 in the last hour. Unflushed traces live only on its WAL volume.",
      runbook: RUNBOOKS.ingester,
      dashboard: DASHBOARDS.tempo,
      panel: PANELS.tempo.flushes,
    },
    {
      alert: "TempoIngesterUnhealthy",
      // The ingester ring is exported by the distributor's and the querier's ring clients: read one.
      expr: `max by (cluster) (${TEMPO.ringMembers}{name="ingester", state="Unhealthy", ${tempoJob("distributor")}}) > 0`,
      for: "15m",
      severity: "critical",
      component: "tempo",
      summary: "The ingester ring has unhealthy members.",
      description:
        "{{ $value }} ingester(s) in the ring of {{ $labels.cluster }} have missed their heartbeats for 15 minutes. Writes to their token ranges fail once fewer than a quorum of replicas is healthy.",
      runbook: RUNBOOKS.ingester,
      dashboard: DASHBOARDS.tempo,
      panel: PANELS.tempo.ring,
    },
    {
      alert: "TempoDistributorPushFailing",
      // Failures over appends: were appends_total to count successes only, the ratio would
      // overstate the loss, never hide it.
      expr: `sum by (cluster) (rate(${TEMPO.appendFailures}{${tempoJob("distributor")}}[5m]))
  / sum by (cluster) (rate(${TEMPO.appends}{${tempoJob("distributor")}}[5m]))
  > ${loss}`,
      for: "10m",
      severity: "critical",
      component: "tempo",
      summary: "Distributors fail to push spans to ingesters.",
      description: `${pct} of the distributors' pushes to ingesters on {{ $labels.cluster }} fail (threshold ${lossText}). With replication, a span is lost when a quorum of its pushes fails.`,
      runbook: RUNBOOKS.ingester,
      dashboard: DASHBOARDS.tempo,
      panel: PANELS.tempo.appends,
    },
    {
      alert: "TempoDiscardingSpans",
      // The distributor counts every discard, also those an ingester reports back
      // (modules/distributor/distributor.go in the metric-names list).
      expr: `sum by (cluster, reason) (rate(${TEMPO.discarded}{${tempoJob("distributor")}}[5m]))
  / ignoring (reason) group_left ()
  sum by (cluster) (rate(${TEMPO.spansReceived}{${tempoJob("distributor")}}[5m]))
  > ${loss}`,
      for: "15m",
      severity: "warning",
      component: "tempo",
      summary: "Tempo discards spans (limits).",
      description: `Tempo on {{ $labels.cluster }} discards ${pct} of the spans it receives for {{ $labels.reason }} (threshold ${lossText}). Discarded spans are lost.`,
      runbook: RUNBOOKS.ingester,
      dashboard: DASHBOARDS.tempo,
      panel: PANELS.tempo.discarded,
    },
    {
      alert: "TempoTraceSearchSlow",
      expr: `histogram_quantile(0.99, sum by (cluster, le) (rate(${TEMPO.requestDurationBucket}{${tempoJob("query-frontend")}, route=~"${SEARCH_ROUTES}"}[5m])))
  > ${s.thresholds.searchP99Seconds}`,
      for: "15m",
      severity: "warning",
      component: "tempo",
      summary: "Trace search is slow.",
      description: `The p99 of trace search on {{ $labels.cluster }} is {{ $value | humanizeDuration }} (threshold ${s.thresholds.searchP99Seconds}s).`,
      runbook: RUNBOOKS.search,
      dashboard: DASHBOARDS.tempo,
      panel: PANELS.tempo.searchLatency,
    },
    {
      alert: "TracingSdkDroppingSpans",
      expr: `sum by (k8s_cluster_name, k8s_namespace_name, job, reason) (rate(${SDK.dropped}[5m]))
  / ignoring (reason) group_left ()
  (sum by (k8s_cluster_name, k8s_namespace_name, job) (rate(${SDK.exported}[5m]))
   + sum by (k8s_cluster_name, k8s_namespace_name, job) (rate(${SDK.dropped}[5m])))
  > ${loss}`,
      for: "10m",
      severity: "warning",
      component: "sdk",
      summary: "A service drops spans before they reach the Collector.",
      description: `{{ $labels.job }} in {{ $labels.k8s_namespace_name }} on {{ $labels.k8s_cluster_name }} drops ${pct} of its spans ({{ $labels.reason }}; threshold ${lossText}).`,
      runbook: RUNBOOKS.collector,
      dashboard: DASHBOARDS.overview,
      panel: PANELS.overview.sdkDrops,
      clusterLabel: "k8s_cluster_name",
    },
  ];
}

/** GitHub's heading id: lower case, punctuation except '-' and '_' removed, spaces to '-'. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The runbook section of an alert is the heading named after it. */
export function runbookUrl(s: ObservabilitySettings, a: AlertDefinition): string {
  return `${s.runbookBaseUrl}/${a.runbook}#${githubSlug(a.alert)}`;
}

export function dashboardUrl(s: ObservabilitySettings, a: AlertDefinition): string {
  return `${s.grafanaUrl}/d/${a.dashboard.uid}?viewPanel=${a.panel}&var-cluster={{ $labels.${a.clusterLabel ?? "cluster"} }}`;
}

export const ALERT_GROUP = "greenlang-tracing";

export function alertGroups(s: ObservabilitySettings): RuleGroup[] {
  return [
    {
      name: ALERT_GROUP,
      rules: alertDefinitions(s).map((a) => ({
        alert: a.alert,
        expr: a.expr,
        for: a.for,
        labels: { severity: a.severity, component: a.component },
        annotations: {
          summary: a.summary,
          description: a.description,
          runbook_url: runbookUrl(s, a),
          dashboard_url: dashboardUrl(s, a),
        },
      })),
    },
  ];
}
