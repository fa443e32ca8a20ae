// Offline HCL reading: @cdktf/hcl2json turns each .tf file into JSON without evaluating anything, so
// expressions stay strings ("${var.x}") and every block is an array. This module hides that shape
// behind a small typed view of one Terraform module (a folder of .tf files).
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { REPO_ROOT } from "./paths.ts";

export type HclBody = Record<string, unknown>;

export interface Block {
  /** Repository-relative path of the file the block is in, for messages. */
  file: string;
  /** Block labels: ["aws_s3_bucket", "traces"] for a resource, ["bucket_name"] for a variable. */
  labels: string[];
  body: HclBody;
}

export interface TerraformModule {
  dir: string;
  files: string[];
  variables: Block[];
  outputs: Block[];
  resources: Block[];
  data: Block[];
  modules: Block[];
  providers: Block[];
  /** `terraform {}` settings blocks. */
  settings: Block[];
  /** Every `locals {}` entry of the module, by name (values as hcl2json keeps them). */
  locals: Record<string, unknown>;
}

export class HclParseError extends Error {
  readonly file: string;
  constructor(file: string, detail: string) {
    super(`${file}: not valid HCL: ${detail}`);
    this.name = "HclParseError";
    this.file = file;
  }
}

export function repoPath(absolute: string): string {
  return relative(REPO_ROOT, absolute);
}

/** Parses one file's text; a syntax error names the file and keeps the parser's position. */
export async function parseHcl(file: string, text: string): Promise<HclBody> {
  try {
    return (await parse(file, text)) as HclBody;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HclParseError(file, detail.replace(/^parse config: /, ""));
  }
}

/** Every .tf file under `dir`, sorted, skipping provider caches. */
export async function findTfFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== ".terraform" && entry.name !== "node_modules") found.push(...(await findTfFiles(path)));
    } else if (entry.name.endsWith(".tf")) {
      found.push(path);
    }
  }
  return found.sort();
}

function asArray(value: unknown): HclBody[] {
  return Array.isArray(value) ? (value as HclBody[]) : [];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Flattens `{ type: { name: [body] } }` (two labels) or `{ name: [body] }` (one label) into blocks. */
function collect(file: string, section: unknown, depth: 1 | 2): Block[] {
  const blocks: Block[] = [];
  for (const [first, inner] of Object.entries(asRecord(section))) {
    if (depth === 1) {
      for (const body of asArray(inner)) blocks.push({ file, labels: [first], body });
    } else {
      for (const [second, bodies] of Object.entries(asRecord(inner))) {
        for (const body of asArray(bodies)) blocks.push({ file, labels: [first, second], body });
      }
    }
  }
  return blocks;
}

/** Reads one folder of .tf files (not its subfolders) as a Terraform module. */
export async function readModule(dir: string): Promise<TerraformModule> {
  const texts: Record<string, string> = {};
  for (const name of (await readdir(dir)).filter((entry) => entry.endsWith(".tf")).sort()) {
    texts[repoPath(join(dir, name))] = await readFile(join(dir, name), "utf8");
  }
  return { ...(await moduleFromText(texts)), dir: repoPath(dir) };
}

/** A module from file texts keyed by file name: also how tests build bad cases without touching the tree. */
export async function moduleFromText(files: Record<string, string>): Promise<TerraformModule> {
  const module: TerraformModule = {
    dir: "(inline)",
    files: [],
    variables: [],
    outputs: [],
    resources: [],
    data: [],
    modules: [],
    providers: [],
    settings: [],
    locals: {},
  };
  for (const [file, text] of Object.entries(files)) {
    const doc = await parseHcl(file, text);
    module.files.push(file);
    module.variables.push(...collect(file, doc.variable, 1));
    module.outputs.push(...collect(file, doc.output, 1));
    module.resources.push(...collect(file, doc.resource, 2));
    module.data.push(...collect(file, doc.data, 2));
    module.modules.push(...collect(file, doc.module, 1));
    module.providers.push(...collect(file, doc.provider, 1));
    for (const body of asArray(doc.terraform)) module.settings.push({ file, labels: [], body });
    for (const body of asArray(doc.locals)) Object.assign(module.locals, body);
  }
  return module;
}

/** Nested blocks of a body (`rule`, `statement`, `condition` …), always as an array. */
export function nested(body: HclBody, name: string): HclBody[] {
  return asArray(body[name]);
}

/** "${var.x}" → "var.x"; a literal string comes back unchanged; anything else → undefined. */
export function expressionText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{(.*)\}$/s.exec(value);
  return match ? (match[1] as string).trim() : value;
}
