// Turns upstream schemas (Kubernetes OpenAPI definitions, CRD structural schemas) into the strict
// JSON Schemas the gate validates against. Upstream leaves every object open to unknown fields;
// the API server then silently drops a misspelled key. Here every object node that lists its
// `properties` gets `additionalProperties: false`, the root included. Nodes that are open on
// purpose stay open: true maps (they carry an `additionalProperties` schema, e.g. labels, data),
// objects without `properties` (RawExtension, FieldsV1) and `x-kubernetes-preserve-unknown-fields`.

export type JsonSchema = { [key: string]: unknown };

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions"] as const;
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf"] as const;
const SCHEMA_VALUES = ["items", "additionalProperties", "not"] as const;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Walks only schema-valued locations, so literal `enum`/`default` data is never rewritten. */
export function strictify(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const key of SCHEMA_MAPS) {
    const map = out[key];
    if (isSchema(map)) {
      out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, isSchema(v) ? strictify(v) : v]));
    }
  }
  for (const key of SCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((v) => (isSchema(v) ? strictify(v) : v));
  }
  for (const key of SCHEMA_VALUES) {
    const value = out[key];
    if (isSchema(value)) out[key] = strictify(value);
  }
  const open = out["x-kubernetes-preserve-unknown-fields"] === true;
  if (isSchema(out.properties) && !("additionalProperties" in out) && !open) out.additionalProperties = false;
  return out;
}

/**
 * CRD patterns are Go (RE2) regular expressions; JSON Schema patterns are ECMAScript. The one RE2
 * construct the upstream CRDs use that ECMAScript lacks is a leading case-insensitive flag
 * `(?i)`: it is rewritten by spelling each ASCII letter in both cases (`[aA]`). A pattern that
 * still does not compile stops the build (schemas/build.ts) rather than the gate.
 */
export function goPatternToJs(pattern: string): string {
  const match = /^(\^?)\(\?i\)/.exec(pattern);
  if (!match) return pattern;
  const rest = pattern.slice(match[0].length);
  let out = match[1] ?? "";
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const char = rest[i] as string;
    if (char === "\\") {
      out += char + (rest[i + 1] ?? "");
      i++;
    } else if (char === "[" && !inClass) {
      inClass = true;
      out += char;
    } else if (char === "]" && inClass) {
      inClass = false;
      out += char;
    } else if (inClass && /[a-z]/i.test(char) && rest[i + 1] === "-" && /[a-z]/i.test(rest[i + 2] ?? "")) {
      // a letter range inside a class: the range in both cases (a-c → a-cA-C)
      const end = rest[i + 2] as string;
      out += `${char.toLowerCase()}-${end.toLowerCase()}${char.toUpperCase()}-${end.toUpperCase()}`;
      i += 2;
    } else if (/[a-z]/i.test(char)) {
      const both = `${char.toLowerCase()}${char.toUpperCase()}`;
      out += inClass ? both : `[${both}]`;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * CRD structural schemas are OpenAPI v3, not JSON Schema: `nullable` widens the type, and
 * `x-kubernetes-int-or-string` means "integer or string" whatever `anyOf` says. Descriptions and
 * the x-kubernetes-* annotations Ajv does not understand are dropped to keep the files small.
 */
export function openApiToJsonSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "description" || key === "nullable" || key === "example" || key === "externalDocs") continue;
    if (key.startsWith("x-kubernetes-") && key !== "x-kubernetes-preserve-unknown-fields") continue;
    if ((SCHEMA_MAPS as readonly string[]).includes(key) && isSchema(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, isSchema(v) ? openApiToJsonSchema(v) : v]),
      );
    } else if ((SCHEMA_LISTS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => (isSchema(v) ? openApiToJsonSchema(v) : v));
    } else if ((SCHEMA_VALUES as readonly string[]).includes(key) && isSchema(value)) {
      out[key] = openApiToJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (typeof out.pattern === "string") out.pattern = goPatternToJs(out.pattern);
  if (schema["x-kubernetes-int-or-string"] === true) {
    delete out.anyOf;
    delete out.type;
    out.type = ["integer", "string"];
  }
  if (schema.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}

/** Drops prose and vendor annotations from Kubernetes OpenAPI definitions (about 4x smaller). */
export function stripDefinition(schema: JsonSchema): JsonSchema {
  return openApiToJsonSchema(schema);
}
