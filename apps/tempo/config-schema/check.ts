// checkTempoConfig: validates a parsed Tempo config (the `tempo.yaml` of the rendered ConfigMap)
// against the strict Tempo 2.7 key schema. Used by the chart's tests and by the gate.
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import { dur, promDur } from "./schema-builders.ts";
import schema from "./tempo-2.7.schema.json" with { type: "json" };

export interface TempoConfigFinding {
  /** Dotted path of the offending key or value, e.g. "storage.trace.s3.sse" ("" = the root). */
  path: string;
  message: string;
}

// ajv ships CommonJS whose default export TypeScript's nodenext resolution types awkwardly.
const require = createRequire(import.meta.url);
const Ajv = require("ajv") as typeof import("ajv").default;
// verbose: errors carry the offending value, so messages can say what was found.
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(schema);
/** What each grammar is called in a message (the patterns come from schema-builders.ts). */
const PATTERNS: Record<string, string> = {
  [dur.pattern as string]: "a Go duration such as 30s, 1.5h or 500ms",
  [promDur.pattern as string]:
    "a Prometheus duration: whole numbers of y, w, d, h, m, s, ms in that order, such as 7d or 1h30m (no fractions, no us)",
};

/** Returns one finding per problem; an empty list means the config is valid for Tempo 2.7.2. */
export function checkTempoConfig(config: unknown): TempoConfigFinding[] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    return [{ path: "", message: `expected a mapping of Tempo settings, found ${describe(config)}` }];
  }
  if (validate(config)) return [];
  const findings = (validate.errors ?? []).map(toFinding);
  // ajv can report one problem twice (e.g. through two branches); keep each once, in order.
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toFinding(error: ErrorObject): TempoConfigFinding {
  const at = pointerToPath(error.instancePath);
  const found = ` (found ${JSON.stringify(error.data)})`;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      return {
        path: at ? `${at}.${key}` : key,
        message: `unknown key "${key}": Tempo 2.7 does not know it (removed, renamed, added in a later release, or misspelled) and would refuse to start`,
      };
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { path: at, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}${found}` };
    }
    case "type":
      return { path: at, message: `must be ${(error.params as { type: string }).type}${found}` };
    case "pattern": {
      const pattern = (error.params as { pattern: string }).pattern;
      const expected = PATTERNS[pattern] ?? `a value matching ${pattern}`;
      return { path: at, message: `must be ${expected}${found}` };
    }
    default:
      return { path: at, message: `${error.message ?? error.keyword}${found}` };
  }
}

function pointerToPath(pointer: string): string {
  if (!pointer) return "";
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : part))
    .join(".")
    .replace(/\.\[/g, "[");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value;
}
