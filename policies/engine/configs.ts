// Finds the application configs embedded in rendered ConfigMaps: Tempo's config file and the
// OpenTelemetry Collector's. Recognised by shape, not by name, so a renamed key still gets checked.
import { CORE_SCHEMA, load } from "js-yaml";
import type { K8sObject } from "./types.ts";
import { configMapData, type Json, obj } from "./workloads.ts";

export interface EmbeddedConfig {
  object: K8sObject;
  key: string;
  /** Field path of the data entry, e.g. data["tempo.yaml"]. */
  path: string;
  config: Json;
}

function embedded(object: K8sObject, recognise: (config: Json) => boolean): EmbeddedConfig[] {
  const out: EmbeddedConfig[] = [];
  for (const [key, text] of configMapData(object)) {
    if (!/\.ya?ml$/.test(key)) continue;
    let config: unknown;
    try {
      config = load(text, { schema: CORE_SCHEMA });
    } catch {
      continue; // not YAML: not a config these rules know
    }
    const record = obj(config);
    if (recognise(record)) out.push({ object, key, path: `data["${key}"]`, config: record });
  }
  return out;
}

/** Tempo: a server block plus trace storage or one of its component blocks. */
export function isTempoConfig(config: Json): boolean {
  return (
    "storage" in config &&
    ("server" in config || "ingester" in config || "distributor" in config) &&
    !("receivers" in config && "exporters" in config)
  );
}

/** Collector: receivers, exporters and service.pipelines. */
export function isCollectorConfig(config: Json): boolean {
  return "receivers" in config && "exporters" in config && "pipelines" in obj(config.service);
}

export function tempoConfigs(objects: readonly K8sObject[]): EmbeddedConfig[] {
  return objects.flatMap((o) => embedded(o, isTempoConfig));
}

export function collectorConfigs(objects: readonly K8sObject[]): EmbeddedConfig[] {
  return objects.flatMap((o) => embedded(o, isCollectorConfig));
}

/** Component type of a Collector component id: `otlp/front` → `otlp`. */
export function componentType(id: string): string {
  return id.split("/")[0] ?? id;
}
