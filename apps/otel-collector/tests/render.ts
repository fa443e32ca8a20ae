// Shared by the chart's tests: render the chart with the pinned helm exactly as the generators do
// (`helm template otel-collector apps/otel-collector --namespace otel-collector --kube-version …`),
// parse every object, and pull out each tier's Collector config.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, parseAllDocuments, stringify } from "yaml";

const run = promisify(execFile);

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const CHART_DIR = join(ROOT, "apps", "otel-collector");
export const HELM = join(ROOT, ".tools", "bin", "helm");
export const OTELCOL = join(ROOT, ".tools", "bin", "otelcol");
export const RELEASE = "otel-collector";
export const NAMESPACE = "otel-collector";
export const KUBE_VERSION = "1.31.0";

export type Env = "dev" | "staging" | "prod";
export const ENVS: readonly Env[] = ["dev", "staging", "prod"];

export function ciValuesFile(env: Env): string {
  return join(CHART_DIR, "ci", `${env}-values.yaml`);
}

/** The values a cluster renders with (ci/<env>-values.yaml, written by `npm run generate`). */
// biome-ignore lint/suspicious/noExplicitAny: the chart's values, as YAML gives them.
export async function ciValues(env: Env): Promise<any> {
  return parse(await readFile(ciValuesFile(env), "utf8"));
}

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is free-form; the tests walk it and assert on its shape.
export type Loose = any;
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [k: string]: Loose };
  [k: string]: Loose;
};
export type CollectorConfig = Record<string, Loose>;

export interface RenderResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a command, never throwing on a non-zero exit: tests assert on both outcomes. */
export async function runTool(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RenderResult> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr || e.message };
  }
}

/** Writes values (an object, later files win) to a temporary file for `-f`; returns a cleanup. */
async function withValuesFiles<T>(overrides: object[], use: (files: string[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "otelcol-values-"));
  try {
    const files: string[] = [];
    for (const [i, values] of overrides.entries()) {
      const file = join(dir, `override-${i}.yaml`);
      await writeFile(file, stringify(values));
      files.push(file);
    }
    return await use(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `helm template` with a ci values file and optional overrides; returns helm's raw result. */
export async function helmTemplate(env: Env, ...overrides: object[]): Promise<RenderResult> {
  return withValuesFiles(overrides, (files) =>
    runTool(HELM, [
      "template",
      RELEASE,
      CHART_DIR,
      "--namespace",
      NAMESPACE,
      "--kube-version",
      KUBE_VERSION,
      "-f",
      ciValuesFile(env),
      ...files.flatMap((f) => ["-f", f]),
    ]),
  );
}

/** `helm lint --strict` with a ci values file and optional overrides. */
export async function helmLint(env: Env, ...overrides: object[]): Promise<RenderResult> {
  return withValuesFiles(overrides, (files) =>
    runTool(HELM, [
      "lint",
      CHART_DIR,
      "--strict",
      "--namespace",
      NAMESPACE,
      "--kube-version",
      KUBE_VERSION,
      "-f",
      ciValuesFile(env),
      ...files.flatMap((f) => ["-f", f]),
    ]),
  );
}

/** Parses helm's multi-document output; duplicate keys are errors (yaml's uniqueKeys default). */
export function parseObjects(manifest: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

export interface Rendered {
  objects: K8sObject[];
  /** Collector config per tier (collector, front, gateway), parsed from the tier's ConfigMap. */
  configs: Map<string, CollectorConfig>;
  /** The raw text of each tier's config.yaml, as the pod reads it. */
  configTexts: Map<string, string>;
  manifest: string;
}

/** Renders and parses; throws with helm's message when rendering fails. */
export async function render(env: Env, ...overrides: object[]): Promise<Rendered> {
  const result = await helmTemplate(env, ...overrides);
  if (!result.ok) throw new Error(`helm template failed for ${env}: ${result.stderr}`);
  const objects = parseObjects(result.stdout);
  const configs = new Map<string, CollectorConfig>();
  const configTexts = new Map<string, string>();
  for (const cm of objects.filter((o) => o.kind === "ConfigMap")) {
    const tier = cm.metadata.labels?.["app.kubernetes.io/component"] as string;
    const text = cm.data["config.yaml"] as string;
    configTexts.set(tier, text);
    configs.set(tier, parse(text) as CollectorConfig);
  }
  return { objects, configs, configTexts, manifest: result.stdout };
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ");
    throw new Error(`no ${kind}/${name} in the rendered chart (have: ${have})`);
  }
  return found;
}

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** Workloads (Deployment, StatefulSet) of the render. */
export function workloads(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
}

/** Does a label selector (matchLabels only, which is all this chart uses) match these labels? */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
