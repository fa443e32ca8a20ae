// Navigation over @cdktf/hcl2json output: every block is an array, expressions stay "${…}" strings.
import type { TerraformModule } from "./types.ts";
import { type Json, list, obj } from "./workloads.ts";

export interface Block {
  file: string;
  type: string;
  name: string;
  body: Json;
  /** resource address (aws_s3_bucket.traces) or data.<type>.<name>. */
  address: string;
}

function blocks(module: TerraformModule, kind: "resource" | "data"): Block[] {
  const out: Block[] = [];
  for (const { file, hcl } of module.files) {
    for (const [type, byName] of Object.entries(obj(hcl[kind]))) {
      for (const [name, bodies] of Object.entries(obj(byName))) {
        for (const body of list(bodies)) {
          out.push({ file, type, name, body: obj(body), address: `${kind === "data" ? "data." : ""}${type}.${name}` });
        }
      }
    }
  }
  return out;
}

export function resources(module: TerraformModule, type?: string): Block[] {
  return blocks(module, "resource").filter((b) => !type || b.type === type);
}

export function dataSources(module: TerraformModule, type?: string): Block[] {
  return blocks(module, "data").filter((b) => !type || b.type === type);
}

/** The module's locals merged across files. */
export function locals(module: TerraformModule): Json {
  const out: Json = {};
  for (const { hcl } of module.files) for (const block of list(hcl.locals)) Object.assign(out, obj(block));
  return out;
}

/** Nested block list: hcl2json keeps every nested block as an array. */
export function nested(body: Json, key: string): Json[] {
  return list(body[key]).map(obj);
}

/** Whether an attribute expression refers to a resource, e.g. "${aws_s3_bucket.traces.id}". */
export function refersTo(value: unknown, address: string): boolean {
  return typeof value === "string" && new RegExp(`\\$\\{[^}]*\\b${address.replace(/\./g, "\\.")}\\b`).test(value);
}

/**
 * Replaces `${local.x}` with the local's literal value where it is a plain string, so a subject
 * built in locals ("system:serviceaccount:${var.ns}:${var.sa}") can be checked.
 */
export function resolveLocals(value: string, values: Json, depth = 0): string {
  if (depth > 5) return value;
  const whole = /^\$\{local\.([\w-]+)\}$/.exec(value);
  if (whole?.[1] && typeof values[whole[1]] === "string")
    return resolveLocals(values[whole[1]] as string, values, depth + 1);
  return value.replace(/\$\{local\.([\w-]+)\}/g, (match, name: string) =>
    typeof values[name] === "string" && !(values[name] as string).startsWith("${") ? (values[name] as string) : match,
  );
}

/** A literal `true`, or the string HCL gives for it. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** Statements of aws_iam_policy_document data sources, with their location. */
export function policyStatements(module: TerraformModule): { document: Block; statement: Json; index: number }[] {
  return dataSources(module, "aws_iam_policy_document").flatMap((document) =>
    nested(document.body, "statement").map((statement, index) => ({ document, statement, index })),
  );
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
}
