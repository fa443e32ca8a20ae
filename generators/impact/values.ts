// Reading parsed manifests (plain JSON data) without a schema: a value at a path, and equality.

/** The value at `path` (object keys), or undefined where any step is missing. */
export function get(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

/** Deep equality of parsed YAML/JSON data (key order is the renderer's, so it is stable). */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
