// One canonical YAML form for every file the generators write, so output is byte-for-byte the
// same on every run and machine whatever order helm or our own code produced the keys in:
// identifying keys first (apiVersion, kind, metadata; name, namespace), the rest sorted by code
// point (never locale); block literals for multi-line strings; no anchors; no line folding.
import jsYaml from "js-yaml";
import { stringify } from "yaml";

// Which keys lead, by where the map sits: a document, its metadata, or anywhere else (where a
// `name` first makes lists of containers, ports and env vars easy to scan).
const LEADING_KEYS = {
  document: ["apiVersion", "kind", "metadata"],
  metadata: ["name", "namespace"],
  nested: ["name"],
} as const;
type Place = keyof typeof LEADING_KEYS;

function compareKeys(leading: readonly string[], a: string, b: string): number {
  const ia = leading.indexOf(a);
  const ib = leading.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? leading.length : ia) - (ib === -1 ? leading.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy whose object keys are in canonical order (arrays keep their order: it is meaningful). */
export function canonicalize(value: unknown, place: Place = "document"): unknown {
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, "nested"));
  if (typeof value === "object" && value !== null) {
    const leading = LEADING_KEYS[place];
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareKeys(leading, a, b));
    return Object.fromEntries(
      entries.map(([key, inner]) => [
        key,
        canonicalize(inner, place === "document" && key === "metadata" ? "metadata" : "nested"),
      ]),
    );
  }
  return value;
}

export function toYaml(value: unknown): string {
  return stringify(canonicalize(value), {
    // Kubernetes reads manifests with YAML 1.1 rules, where a bare yes/no/on/off is a boolean:
    // writing as 1.1 quotes such strings, so a string stays a string on the cluster.
    version: "1.1",
    aliasDuplicateObjects: false,
    blockQuote: "literal",
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: true,
  });
}

/**
 * Parses a multi-document YAML stream (helm's output) into plain objects, skipping empty
 * documents. Duplicate keys and syntax errors throw, naming the source. js-yaml rather than
 * `yaml` here: on helm's output it parses about ten times faster (generators/bench), with the
 * same YAML 1.2 core schema `yaml` uses by default (no timestamps turned into Dates).
 */
export function parseDocuments(text: string, source: string): Record<string, unknown>[] {
  let documents: unknown[];
  try {
    documents = jsYaml.loadAll(text, null, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message.split("\n")[0]}`);
  }
  const objects: Record<string, unknown>[] = [];
  for (const [index, value] of documents.entries()) {
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`${source}: YAML document ${index + 1} is not an object`);
    }
    objects.push(value as Record<string, unknown>);
  }
  return objects;
}
