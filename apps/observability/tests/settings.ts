// The settings the tests build rules, dashboards and data sources with: a staging-like cluster
// with every link set, so expected annotations are exact strings.
import { DEFAULT_THRESHOLDS } from "../../../generators/model/defaults.ts";
import type { ObservabilitySettings } from "../src/settings.ts";

export const TEST_SETTINGS: ObservabilitySettings = {
  cluster: "greenlang-test-euw1",
  grafanaUrl: "https://grafana.test.example",
  runbookBaseUrl: "https://github.com/greenlang/obs-003-tracing-platform/blob/main/docs/runbooks",
  tempoUrl: "http://tempo-query-frontend.tempo.svc.cluster.local:3200",
  prometheusUrl: "http://prometheus-operated.monitoring.svc.cluster.local:9090",
  lokiDatasourceUid: "loki",
  thresholds: { ...DEFAULT_THRESHOLDS },
};
