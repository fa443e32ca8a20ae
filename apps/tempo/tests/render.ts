// Test helper: renders the chart with the real helm binary and hands back the parsed objects.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";

export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
export const CHART_DIR = join(REPO_ROOT, "apps", "tempo");
export const KUBE_VERSION = "1.33.0";
export const NAMESPACE = "tempo";
export const RELEASE = "tempo";
export type Mode = "dev" | "staging" | "prod";

export function ciValues(mode: Mode): string {
  return join(CHART_DIR, "ci", `${mode}-values.yaml`);
}

/** The values a cluster renders with (ci/<mode>-values.yaml, written by `npm run generate`). */
// biome-ignore lint/suspicious/noExplicitAny: the chart's values, as YAML gives them.
export function ciValuesOf(mode: Mode): any {
  return parse(readFileSync(ciValues(mode), "utf8"));
}

/** The pinned helm from the bootstrap, else whatever helm is on PATH (tools/node.sh puts .tools/bin first). */
export function helmBinary(): string {
  const pinned = join(REPO_ROOT, ".tools", "bin", "helm");
  return existsSync(pinned) ? pinned : "helm";
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const run = spawnSync(helmBinary(), args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field in tests.
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** helm template with the given values files and --set pairs; throws with helm's stderr on failure. */
export function render(valuesFiles: string[], set: string[] = []): K8sObject[] {
  const result = helmTemplate(valuesFiles, set);
  if (result.status !== 0) throw new Error(`helm template failed (${result.status}):\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function renderMode(mode: Mode, set: string[] = []): K8sObject[] {
  return render([ciValues(mode)], set);
}

export function helmTemplate(valuesFiles: string[], set: string[] = []): HelmResult {
  const args = ["template", RELEASE, CHART_DIR, "--namespace", NAMESPACE, "--kube-version", KUBE_VERSION];
  for (const file of valuesFiles) args.push("-f", file);
  for (const pair of set) args.push("--set", pair);
  return helm(args);
}

/** Parses helm's multi-document output; YAML errors (duplicate keys included) fail loudly. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    if (doc.errors.length > 0)
      throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const present = ofKind(objects, kind).map((o) => o.metadata.name);
    throw new Error(`no ${kind} named ${name}; rendered ${kind}s: ${present.join(", ") || "none"}`);
  }
  return found;
}

export function maybeFind(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** Deployments and StatefulSets. */
export function workloads(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
}

/** The parsed tempo.yaml of the rendered ConfigMap. */
export function tempoConfig(objects: K8sObject[]): Record<string, unknown> {
  const configMap = find(objects, "ConfigMap", `${RELEASE}-config`);
  const text = configMap.data?.["tempo.yaml"];
  if (!text) throw new Error("ConfigMap tempo-config has no tempo.yaml");
  const docs = parseManifests(text);
  return docs[0] as unknown as Record<string, unknown>;
}

/** Reads a nested field by dotted path; undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
