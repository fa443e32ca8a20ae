// Runs the pinned helm (`.tools/bin/helm`, via PATH from tools/node.sh) to render one chart.
// Values go through a file in a private temporary folder; the output is helm's YAML stream.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $ } from "zx";

export interface HelmTemplateRequest {
  release: string;
  /** The chart folder, e.g. `<root>/apps/tempo`. */
  chartDir: string;
  namespace: string;
  kubeVersion: string;
  values: unknown;
}

/** The pinned helm that tools/bootstrap.sh builds; `helm` from PATH only where it was not built. */
export const HELM = ((pinned) => (existsSync(pinned) ? pinned : "helm"))(
  join(import.meta.dirname, "..", "..", ".tools", "bin", "helm"),
);

export class HelmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HelmError";
  }
}

/** The command as shown in headers and errors (the values file is a temporary detail). */
/**
 * The helm command behind a rendered file, for its header. The Kubernetes version is named by the
 * model field it comes from, not by value: a version bump then changes only the files whose
 * content changes, not every file's first line.
 */
export function helmCommandLine(request: HelmTemplateRequest, chartPath: string): string {
  return `helm template ${request.release} ${chartPath} --namespace ${request.namespace} --kube-version <identity.kubernetesVersion>`;
}

/**
 * At most this many helm processes at once. Helm renders on one core; two overlap our own YAML
 * work with helm's without crowding a shared two-core machine.
 */
export const HELM_CONCURRENCY = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function withHelmSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HELM_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export function helmTemplate(request: HelmTemplateRequest): Promise<string> {
  return withHelmSlot(() => runHelmTemplate(request));
}

async function runHelmTemplate(request: HelmTemplateRequest): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "generate-values-"));
  try {
    const valuesFile = join(dir, "values.json");
    // JSON is YAML: no second serializer to disagree with helm about quoting.
    await writeFile(valuesFile, `${JSON.stringify(request.values, null, 2)}\n`);
    const result = await $({
      quiet: true,
      nothrow: true,
    })`${HELM} template ${request.release} ${request.chartDir} --namespace ${request.namespace} --kube-version ${request.kubeVersion} -f ${valuesFile}`;
    if (result.exitCode !== 0) throw new HelmError(result.stderr.trim() || `helm exited ${result.exitCode}`);
    return result.stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
