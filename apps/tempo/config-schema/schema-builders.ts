// Small builders for a strict JSON Schema: every object closes itself (additionalProperties: false),
// and the two duration grammars Tempo's keys use.

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

/**
 * A Go time.Duration as Tempo's YAML parser reads it: "30s", "1h30m", "0s", or a bare integer of
 * nanoseconds (0 is common).
 */
export const dur: Schema = {
  type: ["string", "integer"],
  pattern: "^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$",
};

/**
 * A prometheus/common model.Duration (11 keys of Tempo 2.7.2, e.g. overrides.defaults.read.
 * max_search_duration): whole numbers of y, w, d, h, m, s, ms in that order ("7d", "1h30m", "0").
 * No fractions and no µs/ns: "1.5h" or "500us" stop Tempo at start.
 */
export const promDur: Schema = {
  type: "string",
  // minLength keeps out the empty string, which every group being optional would let in (RE2, as
  // helm reads the chart's copy of this pattern, has no lookahead to say it in the pattern).
  minLength: 1,
  pattern: "^(0|([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$",
};
