// Small builders for a strict JSON Schema: every object closes itself (additionalProperties: false),
// so the key tree in tempo-2.7.keys.ts reads like Tempo's configuration reference and stays strict
// without repeating that flag hundreds of times.

export type Schema = Record<string, unknown>;

/** A closed object: only the listed keys are allowed, none is required (Tempo fills in defaults). */
export function obj(properties: Record<string, Schema>, description?: string): Schema {
  return {
    type: "object",
    ...(description ? { description } : {}),
    additionalProperties: false,
    properties,
  };
}

/** A map with free keys (labels, tags, headers) whose values share one schema. */
export function map(values: Schema, description?: string): Schema {
  return { type: "object", ...(description ? { description } : {}), additionalProperties: values };
}

export function list(items: Schema, description?: string): Schema {
  return { type: "array", ...(description ? { description } : {}), items };
}

export function oneOf<T extends string>(...values: T[]): Schema {
  return { type: "string", enum: values };
}

export const str: Schema = { type: "string" };
export const bool: Schema = { type: "boolean" };
export const int: Schema = { type: "integer" };
export const uint: Schema = { type: "integer", minimum: 0 };
export const num: Schema = { type: "number" };
export const port: Schema = { type: "integer", minimum: 0, maximum: 65535 };
export const strings: Schema = list(str);

/**
 * A Go time.Duration as Tempo's YAML parser reads it: "30s", "1h30m", "0s", or a bare integer of
 * nanoseconds (0 is common).
 */
export const dur: Schema = {
  type: ["string", "integer"],
  pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$",
};
