// Reads the files the gate checks: every YAML document becomes a K8sObject (or a finding when it
// cannot be one), every folder of `.tf` files becomes a TerraformModule.
//
// Two parsers: js-yaml (YAML 1.2 core schema, duplicate keys rejected) reads every file first,
// being several times faster on large trees; a file it rejects is read again with the `yaml`
// package, whose AST lets the finding name the field path of a duplicate key, not only a line.
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { CORE_SCHEMA, loadAll } from "js-yaml";
import type { LineCounter, Node } from "yaml";
import { holdsObjects } from "../../scripts/cluster-files.ts";
import { cached } from "./cache.ts";
import type { Finding, K8sObject, TerraformModule } from "./types.ts";

const HCL2JSON_VERSION = (createRequire(import.meta.url)("@cdktf/hcl2json/package.json") as { version: string })
  .version;

const SKIP_DIRS = new Set(["node_modules", ".git", ".tools", ".cache", ".terraform", "dist"]);
const ENV_DIRECTIVE = /^#\s*gate:\s*environment=([a-z0-9-]+)\s*$/m;

export interface Loaded {
  objects: K8sObject[];
  terraform: TerraformModule[];
  /** Problems found while reading (YAML syntax, duplicate keys, documents that are not objects). */
  findings: Finding[];
  yamlFiles: string[];
}

async function walk(path: string, found: string[]): Promise<void> {
  const info = await stat(path);
  if (info.isFile()) {
    found.push(path);
    return;
  }
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIP_DIRS.has(entry.name)) continue;
    await walk(join(path, entry.name), found);
  }
}

/** Lists the files under the given paths (files or folders), repository-relative, sorted. */
/** Every YAML document of a rendered cluster folder (kustomizations included, values fragments not). */
export function clusterTreeObjects(root: string, environment: string): K8sObject[] {
  const dir = join(root, "clusters", environment);
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => `clusters/${environment}/${f.split(sep).join("/")}`)
    .filter(holdsObjects)
    .sort()
    .flatMap((f) => parseYamlFile(f, readFileSync(join(root, f), "utf8")).objects);
}

/** Kustomize's own files are build input for kustomize, not objects applied to the cluster. */
export function isKustomization(object: K8sObject): boolean {
  return object.apiVersion.startsWith("kustomize.config.k8s.io/");
}

export async function listFiles(root: string, targets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const target of targets) await walk(join(root, target), found);
  return [...new Set(found.map((f) => relative(root, f).split(sep).join("/")))].sort();
}

/** clusters/<env>/… files share one scope and environment; anything else is its own scope. */
export function scopeOf(file: string, text: string): { scope: string; environment: string | null } {
  const match = /^clusters\/([^/]+)\//.exec(file);
  if (match?.[1]) return { scope: `clusters/${match[1]}`, environment: match[1] };
  return { scope: file, environment: ENV_DIRECTIVE.exec(text)?.[1] ?? null };
}

function fileFinding(file: string, rule: string, path: string, message: string, line?: number): Finding {
  return {
    file,
    apiVersion: "",
    kind: "",
    namespace: "",
    name: "",
    path,
    rule,
    severity: "error",
    message,
    remediation:
      rule === "yaml-duplicate-key"
        ? "Keep one occurrence of the key; YAML parsers disagree on which duplicate wins."
        : "Fix the YAML so it parses to one Kubernetes object per document.",
    waived: false,
    ...(line !== undefined ? { line } : {}),
  };
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}["${key}"]`;
}

/** The `yaml` package, loaded only when a file needs the precise path (it costs startup time). */
const yamlAst = (): typeof import("yaml") => createRequire(import.meta.url)("yaml") as typeof import("yaml");

function duplicateKeys(
  node: Node | null | undefined,
  path: string,
  lines: LineCounter,
  out: { path: string; line: number }[],
): void {
  const { isMap, isScalar, isSeq } = yamlAst();
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const here = childPath(path, key);
      if (seen.has(key)) {
        const offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        out.push({ path: here, line: lines.linePos(offset).line });
      }
      seen.add(key);
      duplicateKeys(pair.value as Node | null, here, lines, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      duplicateKeys(item as Node | null, childPath(path, i), lines, out);
    });
  }
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function toObject(file: string, index: number, line: number, record: Record<string, unknown>, text: string): K8sObject {
  const { scope, environment } = scopeOf(file, text);
  const metadata = (record.metadata ?? {}) as Record<string, unknown>;
  return {
    file,
    index,
    line,
    apiVersion: str(record.apiVersion),
    kind: str(record.kind),
    namespace: str(metadata.namespace),
    name: str(metadata.name),
    body: record,
    environment,
    scope,
  };
}

/** 1-based first line of each document: after a `---` marker, or where content starts. */
function documentLines(text: string): number[] {
  const lines = text.split("\n");
  const starts: number[] = [];
  let content = false;
  lines.forEach((line, i) => {
    if (/^---(\s|$)/.test(line)) {
      starts.push(i + 1);
      content = true;
    } else if (!content && line.trim() !== "" && !line.startsWith("#") && !line.startsWith("%")) {
      starts.push(i + 1);
      content = true;
    }
  });
  return starts;
}

export function parseYamlFile(file: string, text: string): { objects: K8sObject[]; findings: Finding[] } {
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: file });
  } catch {
    return parseYamlFileWithAst(file, text);
  }
  const starts = documentLines(text);
  const objects: K8sObject[] = [];
  const findings: Finding[] = [];
  documents.forEach((body, index) => {
    const line = starts[index] ?? 1;
    if (body === null || body === undefined) return; // an empty document (e.g. a trailing ---)
    if (typeof body !== "object" || Array.isArray(body)) {
      findings.push(fileFinding(file, "schema-not-an-object", "", `document ${index + 1} is not a mapping`, line));
      return;
    }
    objects.push(toObject(file, index, line, body as Record<string, unknown>, text));
  });
  return { objects, findings };
}

/**
 * YAML files embedded in ConfigMaps (Tempo's and the Collector's configs) must parse strictly too:
 * both programs reject duplicate keys at start, and a config that does not parse would otherwise
 * be invisible to the rules that read it. Findings point inside the entry: data["tempo.yaml"].a.b.
 */
export function embeddedYamlProblems(objects: readonly K8sObject[]): Finding[] {
  const out: Finding[] = [];
  for (const object of objects) {
    if (object.kind !== "ConfigMap" || object.apiVersion !== "v1") continue;
    const data = (object.body.data ?? {}) as Record<string, unknown>;
    for (const [key, text] of Object.entries(data)) {
      if (!/\.ya?ml$/.test(key) || typeof text !== "string") continue;
      try {
        loadAll(text, undefined, { schema: CORE_SCHEMA });
        continue;
      } catch {
        // fall through to the precise parser for the path and line
      }
      const base = `data["${key}"]`;
      const identity = {
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.namespace,
        name: object.name,
        line: object.line,
      };
      const { LineCounter, parseAllDocuments } = yamlAst();
      const lines = new LineCounter();
      for (const doc of parseAllDocuments(text, { uniqueKeys: false, lineCounter: lines, prettyErrors: false })) {
        for (const error of doc.errors) {
          const at = lines.linePos(error.pos[0]).line;
          out.push({
            ...fileFinding(object.file, "yaml-syntax", base, `${key} line ${at}: ${error.message.split("\n")[0]}`),
            ...identity,
          });
        }
        const dups: { path: string; line: number }[] = [];
        duplicateKeys(doc.contents as Node | null, "", lines, dups);
        for (const dup of dups) {
          const path = dup.path.startsWith("[") ? `${base}${dup.path}` : `${base}.${dup.path}`;
          out.push({
            ...fileFinding(
              object.file,
              "yaml-duplicate-key",
              path,
              `duplicate key ${dup.path} in ${key} (line ${dup.line} of the entry)`,
            ),
            ...identity,
          });
        }
      }
    }
  }
  return out;
}

/** The slow, precise path: syntax errors with their line, duplicate keys with their field path. */
export function parseYamlFileWithAst(file: string, text: string): { objects: K8sObject[]; findings: Finding[] } {
  const objects: K8sObject[] = [];
  const findings: Finding[] = [];
  const { LineCounter, parseAllDocuments } = yamlAst();
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    findings.push(fileFinding(file, "yaml-syntax", "", "the file is not a YAML stream"));
  }
  list.forEach((doc, index) => {
    const line = lines.linePos(doc.range[0]).line;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const at = lines.linePos(error.pos[0]).line;
        findings.push(
          fileFinding(file, "yaml-syntax", "", `document ${index + 1}: ${error.message.split("\n")[0]}`, at),
        );
      }
      return;
    }
    const dups: { path: string; line: number }[] = [];
    duplicateKeys(doc.contents as Node | null, "", lines, dups);
    const body = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (body === null || body === undefined) return; // an empty document (e.g. a trailing ---)
    if (typeof body !== "object" || Array.isArray(body)) {
      findings.push(fileFinding(file, "schema-not-an-object", "", `document ${index + 1} is not a mapping`, line));
      return;
    }
    const object = toObject(file, index, line, body as Record<string, unknown>, text);
    for (const dup of dups) {
      findings.push({
        ...fileFinding(
          file,
          "yaml-duplicate-key",
          dup.path,
          `duplicate key ${dup.path}: the key appears twice in the same mapping`,
          dup.line,
        ),
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.namespace,
        name: object.name,
      });
    }
    objects.push(object);
  });
  return { objects, findings };
}

export async function loadYaml(
  root: string,
  files: readonly string[],
): Promise<{ objects: K8sObject[]; findings: Finding[] }> {
  const objects: K8sObject[] = [];
  const findings: Finding[] = [];
  const yamlFiles = files.filter(holdsObjects);
  const texts = await Promise.all(yamlFiles.map((f) => readFile(join(root, f), "utf8")));
  yamlFiles.forEach((file, i) => {
    const parsed = parseYamlFile(file, texts[i] as string);
    objects.push(...parsed.objects);
    findings.push(...parsed.findings);
  });
  return { objects, findings };
}

export async function loadTerraform(
  root: string,
  files: readonly string[],
): Promise<{ modules: TerraformModule[]; findings: Finding[] }> {
  // hcl2json is a WASM module that takes a few hundred milliseconds to start: parsed files are
  // cached by content, and the module is loaded only when one is not.
  let parser: ((file: string, text: string) => Promise<unknown>) | null = null;
  const parse = async (file: string, text: string): Promise<unknown> => {
    parser ??= (await import("@cdktf/hcl2json")).parse as (file: string, text: string) => Promise<unknown>;
    return parser(file, text);
  };
  const byDir = new Map<string, string[]>();
  for (const file of files.filter((f) => f.endsWith(".tf"))) {
    const dir = dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const modules: TerraformModule[] = [];
  const findings: Finding[] = [];
  for (const [dir, tfFiles] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    const module: TerraformModule = { dir, files: [] };
    for (const file of tfFiles) {
      try {
        const text = await readFile(join(root, file), "utf8");
        const hcl = await cached(
          "hcl2json",
          [HCL2JSON_VERSION, file, text],
          () => parse(file, text) as Promise<Record<string, unknown>>,
        );
        module.files.push({ file, hcl });
      } catch (error) {
        findings.push({
          ...fileFinding(file, "hcl-syntax", "", `cannot parse HCL: ${(error as Error).message.split("\n")[0]}`),
          remediation: "Fix the HCL syntax (terraform fmt shows where).",
        });
      }
    }
    modules.push(module);
  }
  return { modules, findings };
}
