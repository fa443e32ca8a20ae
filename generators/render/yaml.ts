// One canonical YAML form for every file the generators write, so output is byte-for-byte the
// same on every run and machine whatever order helm or our own code produced the keys in:
// identifying keys first (apiVersion, kind, metadata; name, namespace), the rest sorted by code
// point (never locale); block literals for multi-line strings; no anchors; no line folding.
import { parseAllDocuments, stringify } from "yaml";

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
    aliasDuplicateObjects: false,
    blockQuote: "literal",
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: true,
  });
}

/**
 * Parses a multi-document YAML stream (helm's output) into plain objects, skipping empty
 * documents. Duplicate keys and syntax errors throw with the document's position.
 */
export function parseDocuments(text: string, source: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const [index, document] of parseAllDocuments(text, { uniqueKeys: true }).entries()) {
    const problem = document.errors[0];
    if (problem) throw new Error(`${source}: YAML document ${index + 1}: ${problem.message}`);
    const value: unknown = document.toJS({ maxAliasCount: -1 });
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`${source}: YAML document ${index + 1} is not an object`);
    }
    objects.push(value as Record<string, unknown>);
  }
  return objects;
}
