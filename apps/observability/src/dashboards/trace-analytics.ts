// Trace analytics: rate, errors and duration per service from Tempo's span metrics (with
// exemplars into traces), the service map, slow traces by TraceQL, and the SDK's own per-route RED.
// Tempo's span metrics use SPAN_KIND_SERVER / STATUS_CODE_ERROR; the SDK's use server / 5xx codes:
// never mix the two vocabularies in one selector.
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as NodeGraphPanel } from "@grafana/grafana-foundation-sdk/nodegraph";
import { PanelBuilder as TablePanel } from "@grafana/grafana-foundation-sdk/table";
import { DataqueryBuilder as TempoQuery } from "@grafana/grafana-foundation-sdk/tempo";
import { SDK, TEMPO } from "../metrics.ts";
import { DASHBOARDS, PANELS } from "./ids.ts";
import { Grid, newDashboard, prom, queryVariable, TEMPO_DS, timeseries } from "./kit.ts";

const P = PANELS.analytics;
const M = `cluster=~"$cluster", service=~"$service", span_kind="SPAN_KIND_SERVER"`;
const S = `k8s_cluster_name=~"$cluster", job=~".*$service"`;
const r = (metric: string, selector: string) => `rate(${metric}{${selector}}[$__rate_interval])`;

export const SLOW_TRACES_TRACEQL = "{ kind = server && duration > 2s }";

export function traceAnalyticsDashboard(runbookBaseUrl: string): dashboard.Dashboard {
  const g = new Grid();
  return newDashboard({
    ref: DASHBOARDS.analytics,
    description: "What the traces say about the services: RED per service, the service map and the slowest traces.",
    runbookBaseUrl,
    clusterFrom: { metric: TEMPO.spanmetricsCalls, label: "cluster" },
    variables: [
      queryVariable("service", "Service", `label_values(${TEMPO.spanmetricsCalls}{cluster=~"$cluster"}, service)`),
    ],
  })
    .withRow(g.row("From Tempo's span metrics", 100))
    .withPanel(
      timeseries(
        g,
        P.calls,
        "Requests",
        "Server spans per second, per service.",
        "reqps",
        [prom(`sum by (service) (${r(TEMPO.spanmetricsCalls, M)})`, "{{service}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.errorShare,
        "Error share",
        "Server spans with status error, over all server spans.",
        "percentunit",
        [
          prom(
            `sum by (service) (${r(TEMPO.spanmetricsCalls, `${M}, status_code="STATUS_CODE_ERROR"`)}) / sum by (service) (${r(TEMPO.spanmetricsCalls, M)})`,
            "{{service}}",
          ),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.latency,
        "Duration p95",
        "Server span duration p95; exemplars open the trace.",
        "s",
        [
          prom(
            `histogram_quantile(0.95, sum by (service, le) (${r(TEMPO.spanmetricsLatencyBucket, M)}))`,
            "{{service}}",
            true,
          ),
        ],
        8,
      ),
    )
    .withPanel(
      new NodeGraphPanel()
        .id(P.serviceMap)
        .title("Service map")
        .description("Calls between services, from Tempo's service graphs.")
        .datasource(TEMPO_DS)
        .gridPos(g.place(12, 12))
        .targets([new TempoQuery().datasource(TEMPO_DS).refId("A").queryType("serviceMap")]),
    )
    .withPanel(
      new TablePanel()
        .id(P.slowTraces)
        .title("Slow traces")
        .description(`The 20 latest traces matching ${SLOW_TRACES_TRACEQL}.`)
        .datasource(TEMPO_DS)
        .gridPos(g.place(12, 12))
        .targets([
          new TempoQuery().datasource(TEMPO_DS).refId("A").queryType("traceql").query(SLOW_TRACES_TRACEQL).limit(20),
        ]),
    )
    .withRow(g.row("From the SDK (per route)", 101))
    .withPanel(
      timeseries(
        g,
        P.sdkRequests,
        "Requests and errors per route",
        "From @greenlang/tracing's span metrics.",
        "reqps",
        [
          prom(`sum by (job, http_route) (${r(SDK.requests, S)})`, "{{job}} {{http_route}}"),
          prom(`sum by (job, http_route) (${r(SDK.errors, S)})`, "errors {{job}} {{http_route}}"),
        ],
      ),
    )
    .withPanel(
      timeseries(g, P.sdkLatency, "Duration p95 per route", "SDK span duration p95; exemplars open the trace.", "s", [
        prom(
          `histogram_quantile(0.95, sum by (job, http_route, le) (${r(SDK.durationBucket, S)}))`,
          "{{job}} {{http_route}}",
          true,
        ),
      ]),
    )
    .withRow(g.row("Service runtime (from the SDK)", 102))
    .withPanel(
      timeseries(
        g,
        P.eventLoop,
        "Event loop",
        "Event-loop delay p99 per pod, and how busy the loop is: a blocked loop delays every request of the pod.",
        "s",
        [
          prom(`max by (job, instance) (${SDK.eventLoopDelayP99}{${S}})`, "delay p99 {{job}} {{instance}}"),
          prom(`max by (job, instance) (${SDK.eventLoopUtilization}{${S}})`, "busy share {{job}} {{instance}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.cpu,
        "CPU and GC",
        "CPU seconds per second, and the share of time in GC pauses.",
        "short",
        [
          prom(`sum by (job) (${r(SDK.cpuTime, S)})`, "cpu {{job}}"),
          prom(`sum by (job) (${r(SDK.gcDuration, S)})`, "gc {{job}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.memory,
        "Heap in use",
        "V8 heap per pod.",
        "bytes",
        [prom(`max by (job, instance) (${SDK.heapUsed}{${S}})`, "{{job}} {{instance}}")],
        8,
      ),
    )
    .build();
}
