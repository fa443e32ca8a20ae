// Tempo operations: the write path (distributor → ingester → flush), the read path
// (query-frontend, backend), storage (blocklist, compaction) and the metrics-generator.
// Tempo 2.7.2 names only (metric-names/tempo-2.7.2.tsv): no `cortex_*`, `result` not `status`.
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { SEARCH_ROUTES, TEMPO, tempoJob } from "../metrics.ts";
import { DASHBOARDS, PANELS } from "./ids.ts";
import { Grid, newDashboard, prom, timeseries } from "./kit.ts";

const P = PANELS.tempo;
const CL = `cluster=~"$cluster"`;
const rate = (metric: string, selector = "") =>
  `rate(${metric}{${CL}${selector ? `, ${selector}` : ""}}[$__rate_interval])`;
const p99 = (metric: string, selector: string, by: string) =>
  `histogram_quantile(0.99, sum by (${by}le) (${rate(metric, selector)}))`;

export function tempoOperationsDashboard(runbookBaseUrl: string): dashboard.Dashboard {
  const g = new Grid();
  return newDashboard({
    ref: DASHBOARDS.tempo,
    description: "Grafana Tempo 2.7.2: spans in, blocks out, searches answered.",
    runbookBaseUrl,
    clusterFrom: { metric: TEMPO.spansReceived, label: "cluster" },
  })
    .withRow(g.row("Write path", 100))
    .withPanel(
      timeseries(
        g,
        P.spansReceived,
        "Spans and bytes received",
        "What the distributors took in, per tenant.",
        "short",
        [
          prom(`sum by (tenant) (${rate(TEMPO.spansReceived)})`, "spans/s {{tenant}}"),
          prom(`sum by (tenant) (${rate(TEMPO.bytesReceived)})`, "bytes/s {{tenant}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.discarded,
        "Spans discarded",
        "Spans Tempo refused to keep, by reason (limits in tempo.tenantLimits). The series exists only after the first discard.",
        "short",
        [prom(`sum by (reason) (${rate(TEMPO.discarded)})`, "{{reason}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.appends,
        "Pushes to ingesters",
        "Distributor appends and failed appends, per ingester.",
        "short",
        [
          prom(`sum by (ingester) (${rate(TEMPO.appends, tempoJob("distributor"))})`, "appends {{ingester}}"),
          prom(`sum by (ingester) (${rate(TEMPO.appendFailures, tempoJob("distributor"))})`, "failures {{ingester}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.pushLatency,
        "Push latency p99",
        "Distributor push to ingesters, p99.",
        "s",
        [prom(p99(TEMPO.pushDurationBucket, tempoJob("distributor"), ""), "p99")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.ring,
        "Ingester ring",
        "Ring members by state, as the distributors see them.",
        "short",
        [
          prom(
            `max by (state) (${TEMPO.ringMembers}{${CL}, name="ingester", ${tempoJob("distributor")}})`,
            "{{state}}",
          ),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.liveTraces,
        "Live traces",
        "Traces held in memory per ingester pod.",
        "short",
        [prom(`sum by (pod) (${TEMPO.liveTraces}{${CL}})`, "{{pod}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.flushes,
        "Flushes",
        "Blocks flushed to object storage, failed flush attempts, retries and retries that gave up.",
        "short",
        [
          prom(`sum by (pod) (${rate(TEMPO.blocksFlushed, tempoJob("ingester"))})`, "flushed {{pod}}"),
          prom(`sum by (pod) (${rate(TEMPO.failedFlushes, tempoJob("ingester"))})`, "failed {{pod}}"),
          prom(`sum by (pod) (${rate(TEMPO.flushRetries, tempoJob("ingester"))})`, "retries {{pod}}"),
          prom(`sum by (pod) (${rate(TEMPO.flushFailedRetries, tempoJob("ingester"))})`, "retries exhausted {{pod}}"),
        ],
        12,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.flushQueue,
        "Flush queue",
        "Blocks waiting to be flushed, per ingester pod.",
        "short",
        [prom(`max by (pod) (${TEMPO.flushQueueLength}{${CL}, ${tempoJob("ingester")}})`, "{{pod}}")],
        12,
      ),
    )
    .withRow(g.row("Read path", 101))
    .withPanel(
      timeseries(
        g,
        P.searchLatency,
        "Query latency p99 by route",
        "Query-frontend p99 per route; search arrives as api_search* over HTTP or /tempopb.StreamingQuerier/Search* when Grafana streams.",
        "s",
        [
          prom(
            p99(
              TEMPO.requestDurationBucket,
              `${tempoJob("query-frontend")}, route=~"api_.*|/tempopb.StreamingQuerier/.*"`,
              "route, ",
            ),
            "{{route}}",
          ),
          prom(
            p99(TEMPO.requestDurationBucket, `${tempoJob("query-frontend")}, route=~"${SEARCH_ROUTES}"`, ""),
            "all search",
          ),
        ],
        12,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.queryErrors,
        "Query errors",
        "Share of query-frontend requests answered 5xx.",
        "percentunit",
        [
          prom(
            `sum(${rate(TEMPO.requestDurationCount, `${tempoJob("query-frontend")}, route=~"api_.*", status_code=~"5.."`)}) / sum(${rate(TEMPO.requestDurationCount, `${tempoJob("query-frontend")}, route=~"api_.*"`)})`,
            "5xx share",
          ),
        ],
        12,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.queries,
        "Queries",
        "Queries by operation and result (completed or canceled).",
        "short",
        [prom(`sum by (op, result) (${rate(TEMPO.frontendQueries)})`, "{{op}} {{result}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.frontendQueue,
        "Query queue",
        "Jobs waiting for a querier, per tenant.",
        "short",
        [prom(`sum by (user) (${TEMPO.frontendQueueLength}{${CL}})`, "{{user}}")],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.backendLatency,
        "Object storage latency p99",
        "Backend requests by operation, p99.",
        "s",
        [prom(p99(TEMPO.backendDurationBucket, "", "operation, "), "{{operation}}")],
        8,
      ),
    )
    .withRow(g.row("Storage", 102))
    .withPanel(
      timeseries(
        g,
        P.blocklist,
        "Blocklist and compaction backlog",
        "Blocks per tenant, and blocks waiting for compaction.",
        "short",
        [
          prom(`max by (tenant) (${TEMPO.blocklistLength}{${CL}})`, "blocks {{tenant}}"),
          prom(`max by (tenant) (${TEMPO.outstandingBlocks}{${CL}})`, "outstanding {{tenant}}"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.storageErrors,
        "Storage errors",
        "Compaction, blocklist poll and retention errors.",
        "short",
        [
          prom(`sum(${rate(TEMPO.compactionErrors)})`, "compaction"),
          prom(`sum(${rate(TEMPO.pollErrors)})`, "poll"),
          prom(`sum(${rate(TEMPO.retentionErrors)})`, "retention"),
        ],
        8,
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.tenantIndexAge,
        "Tenant index age",
        "Age of the tenant index the queriers read.",
        "s",
        [prom(`max by (tenant) (${TEMPO.tenantIndexAge}{${CL}})`, "{{tenant}}")],
        8,
      ),
    )
    .withRow(g.row("Metrics-generator", 103))
    .withPanel(
      timeseries(
        g,
        P.generatorSpans,
        "Spans received and discarded",
        "Spans the generator turned into metrics.",
        "short",
        [
          prom(`sum(${rate(TEMPO.generatorSpansReceived)})`, "received"),
          prom(`sum by (reason) (${rate(TEMPO.generatorSpansDiscarded)})`, "discarded {{reason}}"),
        ],
      ),
    )
    .withPanel(
      timeseries(
        g,
        P.generatorSeries,
        "Active series",
        "Series the generator writes, and series refused by its limit.",
        "short",
        [
          prom(`sum(${TEMPO.generatorActiveSeries}{${CL}})`, "active"),
          prom(`sum(${rate(TEMPO.generatorSeriesLimited)})`, "limited/s"),
        ],
      ),
    )
    .build();
}
