// The strict schema pass: each object is validated against the schema of its apiVersion/kind at
// the cluster's Kubernetes version (built-ins) or against the CRD schema (ServiceMonitor,
// PrometheusRule, PodMonitor, Probe, Application, AppProject, ApplicationSet, Certificate).
//
// One Ajv instance per Kubernetes version holds the whole definition set (built-ins + CRDs) once;
// a validator is compiled the first time a kind is seen and cached in memory, so a corpus of
// thousands of objects compiles each kind exactly once. Compiled validators are also kept on disk
// (Ajv standalone code under .cache/gate-validators/, keyed by a hash of the schema files and the
// Ajv version and options), so later runs load them instead of compiling again.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ajv, ErrorObject, Options, ValidateFunction } from "ajv";
import { findingOn } from "../policies/engine/finding.ts";
import type { Finding, K8sObject } from "../policies/engine/types.ts";

const GENERATED = join(import.meta.dirname, "generated");
const CACHE = join(import.meta.dirname, "..", ".cache", "gate-validators");
const requireCjs = createRequire(import.meta.url);
const AJV_VERSION = (requireCjs("ajv/package.json") as { version: string }).version;
/** Ajv's standalone code generator (a CommonJS function export). */
const standaloneCode = requireCjs("ajv/dist/standalone") as (ajv: Ajv, validate: ValidateFunction) => string;

export const SUPPORTED_KUBERNETES_VERSIONS = ["1.32", "1.33", "1.34", "1.35", "1.36"];

interface SchemaSet {
  source: string;
  kinds: Record<string, string>;
  $defs: Record<string, unknown>;
}

/**
 * Formats (int32, int64, byte, date-time…) are not asserted, as kubeconform does not: the API
 * server is their judge, and standalone validators could not carry custom format code.
 * Ajv's code optimiser and ref inlining cost more compile time than they save here.
 */
const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  validateSchema: false,
  validateFormats: false,
  inlineRefs: false,
  messages: false,
  code: { optimize: false, source: true },
};

export class SchemaRegistry {
  readonly version: string;
  readonly sources: string[];
  private ajvInstance: Ajv | null = null;
  private readonly kinds: Record<string, string>;
  private readonly defs: Record<string, unknown>;
  private readonly cache = new Map<string, ValidateFunction | null>();
  private readonly diskCache: string | null;

  constructor(version: string) {
    if (!SUPPORTED_KUBERNETES_VERSIONS.includes(version)) {
      throw new Error(
        `no schemas for Kubernetes ${version}: supported ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} (schemas/build.ts)`,
      );
    }
    this.version = version;
    const builtinsText = readFileSync(join(GENERATED, `kubernetes-v${version}.json`), "utf8");
    const crdsText = readFileSync(join(GENERATED, "crds.json"), "utf8");
    const builtins = JSON.parse(builtinsText) as SchemaSet;
    const crds = JSON.parse(crdsText) as SchemaSet;
    this.sources = [builtins.source, crds.source];
    this.kinds = { ...builtins.kinds, ...crds.kinds };
    this.defs = { ...builtins.$defs, ...crds.$defs };
    const key = createHash("sha256")
      .update(builtinsText)
      .update(crdsText)
      .update(AJV_VERSION)
      .update(JSON.stringify(AJV_OPTIONS))
      .digest("hex")
      .slice(0, 16);
    this.diskCache = process.env.GATE_NO_CACHE ? null : join(CACHE, `v${version}-${key}`);
  }

  /** Ajv with the whole definition set, built only when some validator is not cached on disk yet. */
  private get ajv(): Ajv {
    if (!this.ajvInstance) {
      // Loaded here, not at import: a run whose validators are all cached never needs Ajv itself.
      const { Ajv: AjvClass } = requireCjs("ajv") as typeof import("ajv");
      this.ajvInstance = new AjvClass(AJV_OPTIONS);
      this.ajvInstance.addSchema({ $id: "k8s", $defs: this.defs });
    }
    return this.ajvInstance;
  }

  /** Loads a validator compiled by an earlier run, or compiles it and stores it for the next. */
  private load(name: string): ValidateFunction {
    const file = this.diskCache ? join(this.diskCache, `${name}.cjs`) : null;
    if (file && existsSync(file)) {
      try {
        return requireCjs(file) as ValidateFunction;
      } catch {
        // a torn or stale file: compile again below and overwrite it
      }
    }
    const validate = this.ajv.compile({ $ref: `k8s#/$defs/${name}` });
    if (file && this.diskCache) {
      try {
        mkdirSync(this.diskCache, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, standaloneCode(this.ajv, validate));
        renameSync(temporary, file);
      } catch {
        // the cache is an optimisation only: a read-only checkout still validates
      }
    }
    return validate;
  }

  /** Whether a schema exists for this apiVersion/kind. */
  has(apiVersion: string, kind: string): boolean {
    return `${apiVersion}/${kind}` in this.kinds;
  }

  /** The (cached) compiled validator, or null when there is no schema for this kind. */
  validator(apiVersion: string, kind: string): ValidateFunction | null {
    const key = `${apiVersion}/${kind}`;
    let fn = this.cache.get(key);
    if (fn === undefined) {
      const name = this.kinds[key];
      fn = name ? this.load(name) : null;
      this.cache.set(key, fn);
    }
    return fn;
  }

  /** The definition of a kind, for tools (kubeconform's schema folder) that need the raw schema. */
  definition(apiVersion: string, kind: string): { name: string; defs: Record<string, unknown> } | null {
    const name = this.kinds[`${apiVersion}/${kind}`];
    return name ? { name, defs: this.defs } : null;
  }

  /**
   * The schema node that applies at a JSON pointer inside an object of this kind (following $ref,
   * properties, items and map values). Error messages use it to list the fields a mapping allows;
   * resolving it here keeps the compiled validators free of embedded schemas (verbose mode).
   */
  schemaAt(apiVersion: string, kind: string, pointer: string): Record<string, unknown> | null {
    const name = this.kinds[`${apiVersion}/${kind}`];
    let node = name ? this.resolve(this.defs[name]) : null;
    for (const raw of pointer.split("/").slice(1)) {
      if (!node) return null;
      const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      const properties = node.properties as Record<string, unknown> | undefined;
      if (properties && part in properties) node = this.resolve(properties[part]);
      else if (/^\d+$/.test(part) && node.items) node = this.resolve(node.items);
      else if (typeof node.additionalProperties === "object") node = this.resolve(node.additionalProperties);
      else return null;
    }
    return node;
  }

  private resolve(schema: unknown): Record<string, unknown> | null {
    let node = schema as Record<string, unknown> | undefined;
    for (let hops = 0; node && typeof node.$ref === "string" && hops < 10; hops++) {
      node = this.defs[node.$ref.replace("#/$defs/", "")] as Record<string, unknown> | undefined;
    }
    return node ?? null;
  }

  kindList(): string[] {
    return Object.keys(this.kinds).sort();
  }
}

/** JSON pointer (/spec/template/0) → the gate's field path (spec.template[0]). */
export function pointerToPath(pointer: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) path += path ? `.${part}` : part;
    else path += `["${part}"]`;
  }
  return path;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}…` : text}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

function closest(word: string, options: string[]): string | undefined {
  let best: { option: string; d: number } | undefined;
  for (const option of options) {
    const d = distance(word.toLowerCase(), option.toLowerCase());
    if (!best || d < best.d) best = { option, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.option : undefined;
}

function typesOf(schema: unknown): string {
  const type = (schema as { type?: unknown })?.type;
  const list = (Array.isArray(type) ? type : [type]).filter((t) => typeof t === "string" && t !== "null");
  return list.length > 0 ? list.join(" or ") : "another type";
}

/** Words for the remaining keywords (Ajv runs with messages off: smaller, faster validators). */
function constraint(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "pattern":
      return `expected to match ${String(p.pattern)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `expected ${String(p.comparison)} ${String(p.limit)}`;
    case "minLength":
    case "maxLength":
      return `expected ${error.keyword === "minLength" ? "at least" : "at most"} ${String(p.limit)} characters`;
    case "minItems":
    case "maxItems":
      return `expected ${error.keyword === "minItems" ? "at least" : "at most"} ${String(p.limit)} items`;
    case "minProperties":
    case "maxProperties":
      return `expected ${error.keyword === "minProperties" ? "at least" : "at most"} ${String(p.limit)} fields`;
    case "const":
      return `expected ${JSON.stringify(p.allowedValue)}`;
    case "uniqueItems":
      return `expected unique items (items ${String(p.j)} and ${String(p.i)} are equal)`;
    default:
      return `fails ${error.keyword} ${JSON.stringify(p)}`;
  }
}

/** The value at a JSON pointer (compiled validators run without verbose mode, so errors carry no data). */
export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node;
}

/** Turns Ajv errors into one readable problem per field; `oneOf` noise is folded into its parent. */
export function explain(
  errors: readonly ErrorObject[],
  schemaAt: (pointer: string) => Record<string, unknown> | null = () => null,
  root: unknown = undefined,
): { path: string; message: string; rule: string }[] {
  const out: { path: string; message: string; rule: string }[] = [];
  const oneOfPaths = new Set(
    errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").map((e) => e.instancePath),
  );
  const seen = new Set<string>();
  for (const error of errors) {
    let path = pointerToPath(error.instancePath);
    let message: string;
    let rule = "schema";
    switch (error.keyword) {
      case "additionalProperties": {
        const field = (error.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((schemaAt(error.instancePath)?.properties as object | undefined) ?? {});
        const guess = closest(field, allowed);
        path = path ? `${path}.${field}` : field;
        rule = "schema-unknown-field";
        message = `unknown field "${field}"${guess ? ` (did you mean "${guess}"?)` : ""}; expected one of: ${allowed.join(", ")}`;
        break;
      }
      case "required": {
        const field = (error.params as { missingProperty: string }).missingProperty;
        path = path ? `${path}.${field}` : field;
        rule = "schema-required";
        message = `missing required field "${field}"`;
        break;
      }
      case "type":
        if (oneOfPaths.has(error.instancePath)) continue;
        rule = "schema-type";
        message = `expected ${typesOf({ type: (error.params as { type: unknown }).type })}, found ${describe(valueAt(root, error.instancePath))}`;
        break;
      case "oneOf":
      case "anyOf": {
        const options = (schemaAt(error.instancePath)?.[error.keyword] as unknown[] | undefined) ?? [];
        const types = options.map(typesOf).join(" or ") || "another shape";
        rule = "schema-type";
        message = `expected ${types}, found ${describe(valueAt(root, error.instancePath))}`;
        break;
      }
      case "enum":
        rule = "schema-enum";
        message = `expected one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}, found ${describe(valueAt(root, error.instancePath))}`;
        break;
      default:
        message = `${constraint(error)}, found ${describe(valueAt(root, error.instancePath))}`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message, rule });
  }
  return out;
}

const REMEDIATION: Record<string, string> = {
  "schema-unknown-field": "Remove the field or fix its spelling; the API server would silently drop it.",
  "schema-required": "Add the required field.",
  "schema-type": "Use the type the API expects (quote numbers meant as strings, unquote integers).",
  "schema-enum": "Use one of the allowed values.",
  schema: "Make the field match the Kubernetes/CRD schema.",
  "schema-unknown-kind": "Use an apiVersion/kind the cluster serves, or add the CRD's schema in schemas/build.ts.",
};

function finding(object: K8sObject, rule: string, path: string, message: string): Finding {
  return findingOn(object, { rule, path, message, remediation: REMEDIATION[rule] ?? REMEDIATION.schema ?? "" });
}

/** Validates objects strictly; an object whose kind has no schema is itself an error. */
export function validateObjects(objects: readonly K8sObject[], registry: SchemaRegistry): Finding[] {
  const findings: Finding[] = [];
  for (const object of objects) {
    if (!object.apiVersion || !object.kind) {
      const missing = [!object.apiVersion && "apiVersion", !object.kind && "kind"].filter(Boolean).join(" and ");
      findings.push(
        finding(
          object,
          "schema-required",
          !object.apiVersion ? "apiVersion" : "kind",
          `missing ${missing}: not a Kubernetes object`,
        ),
      );
      continue;
    }
    const validate = registry.validator(object.apiVersion, object.kind);
    if (!validate) {
      findings.push(
        finding(
          object,
          "schema-unknown-kind",
          "",
          `no schema for ${object.apiVersion} ${object.kind} at Kubernetes ${registry.version}`,
        ),
      );
      continue;
    }
    if (validate(object.body)) continue;
    const schemaAt = (pointer: string) => registry.schemaAt(object.apiVersion, object.kind, pointer);
    for (const problem of explain(validate.errors ?? [], schemaAt, object.body)) {
      findings.push(finding(object, problem.rule, problem.path, problem.message));
    }
  }
  return findings;
}
