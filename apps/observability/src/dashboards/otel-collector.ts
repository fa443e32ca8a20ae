// OpenTelemetry Collector: receivers, memory limiter, tail sampling, load balancing, exporters and
// the process, per tier (front/gateway in two-tier clusters, `collector` in one-tier dev).
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { COLLECTOR, OTELCOL } from "../metrics.ts";
import { DASHBOARDS, PANELS } from "./ids.ts";
import { Grid, newDashboard, prom, queryVariable, timeseries } from "./kit.ts";

const P = PANELS.collector;
/** Every Collector query: this dashboard's cluster and tier. */
const C = `${COLLECTOR}, cluster=~"$cluster", tier=~"$tier"`;
const rate = (metric: string) => `rate(${metric}{${C}}[$__rate_interval])`;

export function otelCollectorDashboard(runbookBaseUrl: string): dashboard.Dashboard {
  const g = new Grid();
  return newDashboard({
    ref: DASHBOARDS.collector,
    description: "The OpenTelemetry Collector tiers of the tracing platform: where spans enter, wait and leave.",
    runbookBaseUrl,
    clusterFrom: { metric: OTELCOL.uptime, label: "cluster" },
    variables: [queryVariable("tier", "Tier", `label_values(${OTELCOL.uptime}{cluster=~"$cluster"}, tier)`)],
  })
    .withRow(g.row("Receivers", 100))
    .withPanel(
      timeseries(
        g,
        P.up,
        "Pods up",
        "1 per scraped pod; 0 is a pod Prometheus cannot scrape.",
        "none",
        [prom(`sum by (tier) (up{${C}})`, "{{tier}}")],
        6,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.accepted,
        "Spans accepted",
        "Spans the receivers took in, per tier and receiver.",
        "short",
        [prom(`sum by (tier, receiver) (${rate(OTELCOL.receiverAccepted)})`, "{{tier}} {{receiver}}")],
        9,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.refused,
        "Spans refused and failed",
        "Refused: the memory limiter or back-pressure said no (clients retry). Failed: the receiver could not decode or forward.",
        "short",
        [
          prom(`sum by (tier, receiver) (${rate(OTELCOL.receiverRefused)})`, "refused {{tier}} {{receiver}}"),
          prom(`sum by (tier, receiver) (${rate(OTELCOL.receiverFailed)})`, "failed {{tier}} {{receiver}}"),
        ],
        9,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.memoryLimiter,
        "Memory limiter",
        "Spans the memory limiter let through and refused.",
        "short",
        [
          prom(`sum by (tier) (${rate(OTELCOL.memoryLimiterAccepted)})`, "accepted {{tier}}"),
          prom(`sum by (tier) (${rate(OTELCOL.memoryLimiterRefused)})`, "refused {{tier}}"),
        ],
        24,
      ),
    )
    .withRow(g.row("Exporters", 101))
    .withPanel(
      timeseries(
        g,
        P.sent,
        "Spans sent",
        "Spans each exporter delivered.",
        "short",
        [prom(`sum by (tier, exporter) (${rate(OTELCOL.exporterSent)})`, "{{tier}} {{exporter}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.sendFailed,
        "Spans lost after retries",
        "Counted once a request's retries have given up: these spans are lost.",
        "short",
        [prom(`sum by (tier, exporter) (${rate(OTELCOL.exporterSendFailed)})`, "{{tier}} {{exporter}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.enqueueFailed,
        "Spans dropped: queue full",
        "The sending queue was full: these spans are lost. The series exists only after the first drop.",
        "short",
        [prom(`sum by (tier, exporter) (${rate(OTELCOL.exporterEnqueueFailed)})`, "{{tier}} {{exporter}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.queueFill,
        "Queue fill",
        "Sending queue size over capacity (in batches), per pod.",
        "percentunit",
        [
          prom(
            `max by (pod, exporter) (${OTELCOL.queueSize}{${C}} / ${OTELCOL.queueCapacity}{${C}})`,
            "{{pod}} {{exporter}}",
          ),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.inFlight,
        "Requests in flight",
        "Export requests being sent right now.",
        "short",
        [prom(`sum by (tier, exporter) (${OTELCOL.inFlight}{${C}})`, "{{tier}} {{exporter}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.metricPoints,
        "Metric points forwarded to Prometheus",
        "The metrics pipeline: the OTLP metrics services push (the SDK's span metrics), sent on to Prometheus.",
        "short",
        [
          prom(`sum by (tier) (${rate(OTELCOL.exporterSentMetricPoints)})`, "sent {{tier}}"),
          prom(`sum by (tier) (${rate(OTELCOL.exporterSendFailedMetricPoints)})`, "lost {{tier}}"),
        ],
        8,
      ),
    )
    .withRow(g.row("Tail sampling (gateway)", 102))
    .withPanel(
      timeseries(
        g,
        P.tailDecisions,
        "Decisions by policy",
        "Traces each policy decided on, by decision.",
        "short",
        [prom(`sum by (policy, decision) (${rate(OTELCOL.tailSampled)})`, "{{policy}} {{decision}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.tailKept,
        "Share of traces kept",
        "Traces sampled over traces decided.",
        "percentunit",
        [
          prom(
            `sum(rate(${OTELCOL.tailGlobalSampled}{${C}, sampled="true"}[$__rate_interval])) / sum(${rate(OTELCOL.tailGlobalSampled)})`,
            "kept",
          ),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.tailMemory,
        "Traces held",
        "Traces waiting for a decision (compare with collector.sampling.numTraces) and new trace ids per second.",
        "short",
        [
          prom(`sum by (pod) (${OTELCOL.tailTracesOnMemory}{${C}})`, "held {{pod}}"),
          prom(`sum by (pod) (${rate(OTELCOL.tailNewTraces)})`, "new/s {{pod}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.tailLate,
        "Traces evicted before a decision",
        "Evicted because the sampler held more traces than it may: their spans are sampled without the whole trace.",
        "short",
        [
          prom(`sum by (pod) (${rate(OTELCOL.tailDroppedTooEarly)})`, "dropped too early {{pod}}"),
          prom(`sum by (pod) (${rate(OTELCOL.tailPolicyErrors)})`, "policy errors {{pod}}"),
        ],
        12,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.tailDecisionLatency,
        "Decision latency p99",
        "Time to evaluate the policies of one batch.",
        "ms",
        [prom(`histogram_quantile(0.99, sum by (le) (${rate(OTELCOL.tailDecisionLatencyBucket)}))`, "p99")],
        12,
      ),
    )
    .withRow(g.row("Load balancing (front → gateway)", 103))
    .withPanel(
      timeseries(
        g,
        P.lbBackends,
        "Gateway backends",
        "Gateway pods the front tier resolves.",
        "short",
        [prom(`max by (pod) (${OTELCOL.lbBackends}{${C}})`, "{{pod}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.lbOutcome,
        "Backend outcomes",
        "Exports to each gateway pod by success, and resolutions.",
        "short",
        [
          prom(`sum by (success) (${rate(OTELCOL.lbOutcome)})`, "outcome success={{success}}"),
          prom(`sum by (success) (${rate(OTELCOL.lbResolutions)})`, "resolution success={{success}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.lbLatency,
        "Backend latency p99",
        "Export latency to the gateway pods.",
        "ms",
        [prom(`histogram_quantile(0.99, sum by (le) (${rate(OTELCOL.lbLatencyBucket)}))`, "p99")],
        8,
      ),
    )
    .withRow(g.row("Process", 104))
    .withPanel(
      timeseries(g, P.memory, "Memory", "Resident memory and Go heap per pod.", "bytes", [
        prom(`max by (pod) (${OTELCOL.rss}{${C}})`, "rss {{pod}}"),
        prom(`max by (pod) (${OTELCOL.heap}{${C}})`, "heap {{pod}}"),
      ]),
    )
    .withPanel(
      timeseries(g, P.cpu, "CPU", "CPU seconds per second per pod.", "short", [
        prom(`sum by (pod) (${rate(OTELCOL.cpu)})`, "{{pod}}"),
      ]),
    )
    .build();
}
