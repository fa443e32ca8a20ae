// The key list of Tempo 2.7.2 (tempo-2.7.2-config-keys.tsv beside this file, read off the v2.7.2
// source; its header says how) as a tree, and the JSON Schema of each leaf type. build.ts turns the
// tree into tempo-2.7.schema.json.
//
// The list is the ground truth for which keys exist. What it cannot say — the values an enum-like
// string takes — comes from ENUMS below, each from the same release's source; a value outside one
// stops Tempo at start (or, for `target`, selects no module).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bool, dur, int, list, num, obj, oneOf, promDur, type Schema, str, uint } from "./schema-builders.ts";

export const KEY_LIST = "tempo-2.7.2-config-keys.tsv";

export interface KeyEntry {
  /** Dotted path; a segment ending in "[]" is a list, "<key>" a free map key. */
  path: string;
  type: string;
  customUnmarshal: boolean;
  /** 1-based line in the TSV, for error messages. */
  line: number;
}

export function readKeyList(file = join(import.meta.dirname, KEY_LIST)): KeyEntry[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim() !== "" && !text.startsWith("#"))
    .map(({ text, line }) => {
      const [path, type, custom] = text.split("\t");
      if (!path || !type) throw new Error(`${KEY_LIST}:${line}: expected "<path>\\t<type>[\\tcustom-unmarshal]"`);
      return { path, type, customUnmarshal: custom === "custom-unmarshal", line };
    });
}

/** Values of enum-like strings, by key path (Tempo v2.7.2 source: where each is parsed). */
export const ENUMS: Record<string, readonly string[]> = {
  // cmd/tempo/app/modules.go: the module names -target selects.
  target: [
    "all",
    "scalable-single-binary",
    "distributor",
    "ingester",
    "querier",
    "query-frontend",
    "compactor",
    "metrics-generator",
  ],
  // tempodb/backend: the backends storage.trace can use.
  "storage.trace.backend": ["local", "s3", "gcs", "azure"],
  // tempodb/encoding: the block formats 2.7 writes and reads.
  "storage.trace.block.version": ["vParquet2", "vParquet3", "vParquet4"],
  // modules/generator: the processors a tenant can turn on.
  "overrides.defaults.metrics_generator.processors": ["service-graphs", "span-metrics", "local-blocks"],
  "overrides.defaults.ingestion.rate_strategy": ["local", "global"],
  "server.log_format": ["logfmt", "json"],
  "server.log_level": ["debug", "info", "warn", "error"],
};
/** Every ring's kvstore.store (dskit kv.Config). */
const KVSTORES = ["memberlist", "consul", "etcd", "inmemory", "multi"];

/** The JSON Schema of one leaf type of the key list; an unknown type stops the build. */
export function leafSchema(entry: KeyEntry): Schema {
  const { type, path } = entry;
  const values = ENUMS[path] ?? (path.endsWith(".kvstore.store") ? KVSTORES : undefined);
  // listtomap.ListToMap: a list of names, or a map of name → {}.
  if (type.includes("listtomap.ListToMap"))
    return { type: ["array", "object"], items: values ? oneOf(...values) : str };
  if (values) return oneOf(...values);
  if (type === "duration(time)") return dur;
  if (type.startsWith("duration(model")) return promDur;
  if (/flagext\.Secret|config\.Secret/.test(type)) return str;
  // dskit flagext.Bytes: an integer or a size with a unit ("1MB", "512KiB").
  if (type.includes("flagext.Bytes"))
    return { type: ["integer", "string"], minimum: 0, pattern: "^[0-9]+(\\.[0-9]+)?\\s*([KMGTPE]i?B|B)?$" };
  // tempodb/backend.Encoding, prometheus config.TLSVersion, go-kit level.Option, dskit log.Level,
  // relabel.Regexp, config.URL: each reads a string of its own.
  if (/backend\.Encoding|TLSVersion|level\.Option|log\.Level|Regexp|config\.URL/.test(type)) return str;
  // flagext.StringSliceCSV: "a,b" or a list.
  if (type.includes("StringSliceCSV")) return { type: ["string", "array"], items: str };
  switch (type.replace(/ \(.*\)$/, "")) {
    case "bool":
      return bool;
    case "int":
      return int;
    case "uint":
      return uint;
    case "float":
      return num;
    case "string":
    case "url":
      return str;
    case "any":
      return {};
  }
  // A struct with its own UnmarshalYAML that the list does not expand: accepted as it comes.
  if (type.startsWith("struct ") && entry.customUnmarshal) return {};
  throw new Error(`${KEY_LIST}:${entry.line}: ${path}: no schema for the type "${type}"`);
}

interface Node {
  children: Map<string, Node>;
  /** A free map: any key, each value this node. */
  mapValue?: Node;
  /** This node is a list of what the rest describes. */
  list: boolean;
  leaf?: KeyEntry;
}

const newNode = (): Node => ({ children: new Map(), list: false });

/**
 * Structs that unmarshal themselves from one YAML string: the list also records their Go fields
 * (log_level.option, url.url), which are not keys a config file can set.
 */
const SCALAR_STRUCT = /dskit\/log\.Level|common\/config\.URL|relabel\.Regexp|grafana\/regexp\.Regexp|flagext\.Secret/;

/** The key list as a closed JSON Schema: every object lists its keys, nothing else is allowed. */
export function keySchema(entries: readonly KeyEntry[]): Schema {
  const root = newNode();
  for (const entry of entries) {
    let node = root;
    for (const raw of entry.path.split(".")) {
      const isList = raw.endsWith("[]");
      const name = isList ? raw.slice(0, -2) : raw;
      let next: Node;
      if (name === "<key>") {
        node.mapValue ??= newNode();
        next = node.mapValue;
      } else {
        next = node.children.get(name) ?? newNode();
        node.children.set(name, next);
      }
      if (isList) next.list = true;
      node = next;
    }
    node.leaf = entry;
  }
  return toSchema(root, "");
}

function toSchema(node: Node, path: string): Schema {
  let schema: Schema;
  if (node.leaf && SCALAR_STRUCT.test(node.leaf.type)) {
    schema = str;
  } else if (node.children.size > 0) {
    // A struct with its own unmarshaller that the list also expands: its keys are the fields.
    const properties = Object.fromEntries(
      [...node.children]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, toSchema(v, path ? `${path}.${k}` : k)]),
    );
    schema = obj(properties);
    if (node.mapValue) schema.additionalProperties = toSchema(node.mapValue, `${path}.<key>`);
  } else if (node.mapValue) {
    schema = { type: "object", additionalProperties: toSchema(node.mapValue, `${path}.<key>`) };
  } else if (node.leaf) {
    schema = leafSchema(node.leaf);
  } else {
    throw new Error(`${KEY_LIST}: ${path} has neither a type nor keys`);
  }
  return node.list ? list(schema) : schema;
}
