// Tracing overview: spans by stage from the SDK to Tempo, and what each stage lost. The first
// dashboard on-call opens; every loss panel points to the dashboard of its stage.
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { COLLECTOR, OTELCOL, SDK, TEMPO } from "../metrics.ts";
import { DASHBOARDS, PANELS } from "./ids.ts";
import { Grid, newDashboard, prom, queryVariable, rawPanel, stat, timeseries } from "./kit.ts";

const P = PANELS.overview;
/** SDK series arrive over OTLP: the cluster and namespace are promoted resource attributes. */
const S = `k8s_cluster_name=~"$cluster", k8s_namespace_name=~"$namespace"`;
const C = `${COLLECTOR}, cluster=~"$cluster"`;
const T = `cluster=~"$cluster"`;
const r = (metric: string, selector: string) => `rate(${metric}{${selector}}[$__rate_interval])`;

export function tracingOverviewDashboard(runbookBaseUrl: string): dashboard.Dashboard {
  const g = new Grid();
  return newDashboard({
    ref: DASHBOARDS.overview,
    description:
      "Spans by stage, from the services' SDK through the Collector tiers to Tempo, and what each stage lost.",
    runbookBaseUrl,
    clusterFrom: { metric: OTELCOL.uptime, label: "cluster" },
    variables: [
      queryVariable(
        "namespace",
        "Service namespace",
        `label_values(${SDK.exported}{k8s_cluster_name=~"$cluster"}, k8s_namespace_name)`,
      ),
    ],
  })
    .withRow(g.row("Spans per second, by stage", 100))
    .withPanel(
      stat(
        g,
        P.sdkExported,
        "SDK exported",
        "Spans the services' SDK handed to the Collector.",
        "short",
        prom(`sum(${r(SDK.exported, S)})`, "SDK"),
      ),
    )
    .withPanel(
      stat(
        g,
        P.edgeAccepted,
        "Collector accepted",
        "Spans the receiving tier (front, or the single tier) accepted.",
        "short",
        prom(`sum(${r(OTELCOL.receiverAccepted, `${C}, tier=~"front|collector"`)})`, "Collector"),
      ),
    )
    .withPanel(
      stat(
        g,
        P.sentToTempo,
        "Sent to Tempo",
        "Spans the Collector delivered to Tempo (after tail sampling in two-tier clusters).",
        "short",
        prom(`sum(${r(OTELCOL.exporterSent, `${C}, exporter="otlp_grpc/tempo"`)})`, "to Tempo"),
      ),
    )
    .withPanel(
      stat(
        g,
        P.tempoReceived,
        "Tempo received",
        "Spans Tempo's distributors received.",
        "short",
        prom(`sum(${r(TEMPO.spansReceived, T)})`, "Tempo"),
      ),
    )
    .withRow(g.row("Losses by stage", 101))
    .withPanel(
      timeseries(
        g,
        P.sdkDrops,
        "SDK drops",
        "Spans services lost before the Collector, by service and reason.",
        "short",
        [prom(`sum by (job, reason) (${r(SDK.dropped, S)}) > 0`, "{{job}} {{reason}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.collectorLosses,
        "Collector losses",
        "Refused (clients retry), lost after retries, and dropped on a full queue.",
        "short",
        [
          prom(`sum by (tier) (${r(OTELCOL.receiverRefused, C)})`, "refused {{tier}}"),
          prom(
            `sum by (tier, exporter) (${r(OTELCOL.exporterSendFailed, C)})`,
            "lost after retries {{tier}} {{exporter}}",
          ),
          prom(`sum by (tier, exporter) (${r(OTELCOL.exporterEnqueueFailed, C)})`, "queue full {{tier}} {{exporter}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.tempoDiscarded,
        "Tempo discarded",
        "Spans Tempo discarded, by reason.",
        "short",
        [prom(`sum by (reason) (${r(TEMPO.discarded, T)})`, "{{reason}}")],
        8,
      ),
    )
    .withPanel(
      rawPanel({
        id: P.alerts,
        type: "alertlist",
        title: "Tracing alerts",
        description: "Alerts of the tracing platform firing or pending now.",
        gridPos: g.place(24, 8),
        transparent: false,
        repeatDirection: "h",
        options: {
          alertInstanceLabelFilter: '{component=~"otel-collector|tempo|sdk"}',
          stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true },
          groupMode: "default",
          maxItems: 20,
          sortOrder: 1,
          showInstances: true,
          viewMode: "list",
        },
      }),
    )
    .build();
}
