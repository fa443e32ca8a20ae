// One canonical YAML form for every file the generators write, so output is byte-for-byte the
// same on every run and machine whatever order helm or our own code produced the keys in:
// identifying keys first (apiVersion, kind, metadata, name, namespace), the rest sorted by code
// point (never locale); block literals for multi-line strings; no anchors; no line folding.
import { parseAllDocuments, stringify } from "yaml";

const LEADING_KEYS = ["apiVersion", "kind", "metadata", "name", "namespace"];

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? LEADING_KEYS.length : ia) - (ib === -1 ? LEADING_KEYS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy whose object keys are in canonical order (arrays keep their order: it is meaningful). */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareKeys(a, b));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonicalize(inner)]));
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
