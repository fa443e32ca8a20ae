// What each component really exposes, for the names test: the Collector's names and labels
// (metric-names/otelcol-0.160.0.tsv, held against the running binary by live.int.test.ts), Tempo's
// (metric-names/tempo-2.7.2.tsv, read off the v2.7.2 source) and the SDK's (its own METRIC_*
// constants through Prometheus's OTLP translation).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  METRIC_DURATION,
  METRIC_ERRORS,
  METRIC_REQUESTS,
  METRIC_SPANS_DROPPED,
  METRIC_SPANS_EXPORTED,
} from "../../../sdk/src/metrics-export.ts";
import { RUNTIME_METRICS } from "../../../sdk/src/runtime-metrics.ts";
import { TARGET_LABELS } from "../src/metrics.ts";

export const METRIC_NAMES_DIR = join(import.meta.dirname, "..", "metric-names");

export interface KnownMetric {
  source: "otelcol" | "tempo" | "sdk" | "prometheus";
  labels: Set<string>;
}

/** Label spellings in the Tempo data file that name a Go constant or a note, not the label itself. */
const TEMPO_LABEL_ALIASES: Record<string, string[]> = {
  // modules/overrides/discarded_spans.go: discardReasonLabel = "reason".
  discardReasonLabel: ["reason"],
  // spanmetrics "+ external_labels": the repo's metrics-generator external_labels.
  external_labels: ["cluster", "environment"],
};
const SPANMETRICS_LABELS = ["service", "span_name", "span_kind", "status_code", "status_message"];

function tempoLabels(name: string, column: string): string[] {
  if (name.startsWith("traces_spanmetrics_")) return [...SPANMETRICS_LABELS, "cluster", "environment"];
  const labels: string[] = [];
  for (const raw of column.split(/[\s,[\]+]+/)) {
    const token = raw.replace(/^const:/, "").replace(/[{}:]/g, "");
    if (TEMPO_LABEL_ALIASES[token]) labels.push(...(TEMPO_LABEL_ALIASES[token] as string[]));
    else if (/^[a-z_]+$/.test(token)) labels.push(token);
  }
  // Ring metrics carry the ring's name as a constant label (const:name).
  return labels;
}

function readTsv(file: string): string[][] {
  return readFileSync(join(METRIC_NAMES_DIR, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => line.split("\t"));
}

function expand(
  name: string,
  type: string,
  labels: string[],
  into: Map<string, KnownMetric>,
  source: KnownMetric["source"],
) {
  const targets =
    source === "otelcol"
      ? TARGET_LABELS.otelcol
      : name.startsWith("traces_")
        ? TARGET_LABELS.generator
        : TARGET_LABELS.tempo;
  const set = new Set([...labels, ...targets]);
  if (type === "histogram") {
    into.set(`${name}_bucket`, { source, labels: new Set([...set, "le"]) });
    into.set(`${name}_count`, { source, labels: set });
    into.set(`${name}_sum`, { source, labels: set });
  } else {
    into.set(name, { source, labels: set });
  }
}

/**
 * Prometheus's OTLP translation of an SDK metric name (UnderscoreEscapingWithSuffixes): `.` → `_`,
 * then the unit's suffix (s → _seconds, By → _bytes, 1 → _ratio), then `_total` for counters.
 */
export function otlpToPrometheus(name: string, unit: "s" | "By" | "1" | "", counter: boolean): string {
  const suffix = { s: "_seconds", By: "_bytes", "1": "_ratio", "": "" }[unit];
  return `${name.replace(/[^a-zA-Z0-9_:]/g, "_")}${suffix}${counter ? "_total" : ""}`;
}

export function knownMetrics(): Map<string, KnownMetric> {
  const known = new Map<string, KnownMetric>();
  for (const [name, type, labels] of readTsv("otelcol-0.160.0.tsv")) {
    if (name && type) expand(name, type, (labels ?? "").split(",").filter(Boolean), known, "otelcol");
  }
  for (const [name, type, labels] of readTsv("tempo-2.7.2.tsv")) {
    if (name && type) expand(name, type, tempoLabels(name, labels ?? ""), known, "tempo");
  }
  const sdkLabels = ["span_kind", "span_name", "http_route", "http_request_method", "http_response_status_code"];
  const sdk = (name: string, labels: string[]) =>
    known.set(name, { source: "sdk", labels: new Set([...labels, ...TARGET_LABELS.sdk]) });
  sdk(otlpToPrometheus(METRIC_REQUESTS, "", true), sdkLabels);
  sdk(otlpToPrometheus(METRIC_ERRORS, "", true), sdkLabels);
  sdk(`${otlpToPrometheus(METRIC_DURATION, "s", false)}_bucket`, [...sdkLabels, "le"]);
  sdk(otlpToPrometheus(METRIC_SPANS_DROPPED, "", true), ["reason"]);
  sdk(otlpToPrometheus(METRIC_SPANS_EXPORTED, "", true), []);
  // Runtime metrics, with the units sdk/src/metrics-export.ts gives them.
  const R = RUNTIME_METRICS;
  for (const name of [R.eventLoopDelayP99, R.eventLoopDelayMax]) sdk(otlpToPrometheus(name, "s", false), []);
  sdk(otlpToPrometheus(R.eventLoopUtilization, "1", false), []);
  for (const name of [R.heapUsed, R.heapLimit, R.memoryRss]) sdk(otlpToPrometheus(name, "By", false), []);
  sdk(otlpToPrometheus(R.cpuTime, "s", true), ["cpu_mode"]);
  sdk(otlpToPrometheus(R.gcDuration, "s", true), ["v8js_gc_type"]);
  // Prometheus's own scrape health.
  known.set("up", { source: "prometheus", labels: new Set(TARGET_LABELS.otelcol) });
  return known;
}
