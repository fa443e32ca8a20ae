// Merging a cluster's input over its preset. Objects merge key by key; arrays and scalars replace,
// so a cluster that lists sampling policies states the whole list (no surprise concatenation).

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns a new value: `override` merged over `base`; neither argument is modified. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return structuredClone(base);
  if (isPlainObject(base) && isPlainObject(override)) {
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
      merged[key] = deepMerge(base[key], override[key]);
    }
    return merged;
  }
  return structuredClone(override);
}
