// Grafana's data sources for the platform, as provisioning (apiVersion 1): Tempo with trace-to-logs,
// trace-to-metrics, the service map, the node graph and streaming; Prometheus with exemplar links
// into Tempo. Field names are those of Grafana's Tempo data source (tracesToLogsV2 tags are
// {key, value} objects; with customQuery the filterBy* switches are off and the query carries the
// trace id).
//
// Grafana expands $VAR and ${VAR} in provisioning files, so every Grafana template variable in a
// query is written with `$$` (provisioningText below), or it reaches Grafana empty.
import { TEMPO } from "./metrics.ts";
import { DATASOURCE_UIDS, type ObservabilitySettings } from "./settings.ts";

export interface Datasource {
  name: string;
  uid: string;
  type: "prometheus" | "tempo";
  access: "proxy";
  url: string;
  isDefault: boolean;
  editable: boolean;
  jsonData: Record<string, unknown>;
}

export interface Provisioning {
  apiVersion: 1;
  datasources: Datasource[];
}

/** The labels SDK exemplars (`trace_id`) and Tempo's metrics-generator exemplars (`traceID`) carry. */
export const EXEMPLAR_TRACE_ID_LABELS = ["trace_id", "traceID"] as const;

/** Loki query of a span's logs: the SDK's log correlation writes `trace_id` into each JSON line. */
const LOGS_QUERY =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's span and trace variables, expanded by Grafana.
  '{namespace="${__span.tags["k8s.namespace.name"]}", pod="${__span.tags["k8s.pod.name"]}"} | json | trace_id="${__trace.traceId}"';

export function datasources(s: ObservabilitySettings): Datasource[] {
  const tracesToLogs =
    s.lokiDatasourceUid === ""
      ? {}
      : {
          tracesToLogsV2: {
            datasourceUid: s.lokiDatasourceUid,
            tags: [
              { key: "k8s.namespace.name", value: "namespace" },
              { key: "k8s.pod.name", value: "pod" },
            ],
            spanStartTimeShift: "-5m",
            spanEndTimeShift: "5m",
            filterByTraceID: false,
            filterBySpanID: false,
            customQuery: true,
            query: LOGS_QUERY,
          },
        };
  return [
    {
      name: "Prometheus",
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      access: "proxy",
      url: s.prometheusUrl,
      isDefault: true,
      editable: false,
      jsonData: {
        httpMethod: "POST",
        exemplarTraceIdDestinations: EXEMPLAR_TRACE_ID_LABELS.map((name) => ({
          name,
          datasourceUid: DATASOURCE_UIDS.tempo,
          urlDisplayLabel: "Open trace",
        })),
      },
    },
    {
      name: "Tempo",
      uid: DATASOURCE_UIDS.tempo,
      type: "tempo",
      access: "proxy",
      url: s.tempoUrl,
      isDefault: false,
      editable: false,
      jsonData: {
        streamingEnabled: { search: true, metrics: true },
        ...tracesToLogs,
        tracesToMetrics: {
          datasourceUid: DATASOURCE_UIDS.prometheus,
          tags: [{ key: "service.name", value: "service" }],
          spanStartTimeShift: "-5m",
          spanEndTimeShift: "5m",
          queries: [
            { name: "Request rate", query: `sum(rate(${TEMPO.spanmetricsCalls}{$__tags}[5m]))` },
            {
              name: "Duration p95",
              query: `histogram_quantile(0.95, sum by (le) (rate(${TEMPO.spanmetricsLatencyBucket}{$__tags}[5m])))`,
            },
          ],
        },
        serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        nodeGraph: { enabled: true },
        search: { hide: false },
        traceQuery: { timeShiftEnabled: true, spanStartTimeShift: "-30m", spanEndTimeShift: "30m" },
        spanBar: { type: "Tag", tag: "http.route" },
      },
    },
  ];
}

/** Every `$` doubled: Grafana's provisioning reads `$$` as a literal `$`. */
export function escapeProvisioning<T>(value: T): T {
  // A function replacement: in a replacement string, "$$" itself means one "$".
  if (typeof value === "string") return value.replaceAll("$", () => "$$") as T;
  if (Array.isArray(value)) return value.map(escapeProvisioning) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeProvisioning(v)])) as T;
  }
  return value;
}

export function provisioning(s: ObservabilitySettings): Provisioning {
  return { apiVersion: 1, datasources: escapeProvisioning(datasources(s)) };
}
