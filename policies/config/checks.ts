// Config checks with the real tools: `helm lint --strict` per chart and CI values file, the
// rendered Tempo config against Tempo 2.7's key schema (apps/tempo/config-schema/check.ts), and
// each rendered Collector config through `otelcol validate` (the ocb-built binary of the pinned
// release). Tools run concurrently, two at a time (the machine has two cores).
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { dump } from "js-yaml";
import { cached, toolIdentity } from "../engine/cache.ts";
import { collectorConfigs, type EmbeddedConfig, tempoConfigs } from "../engine/configs.ts";
import type { Finding, K8sObject } from "../engine/types.ts";

/** Namespace each chart is rendered into (the contract); other charts use their own name. */
const CHART_NAMESPACES: Record<string, string> = { tempo: "tempo", "otel-collector": "otel-collector" };

interface ToolResult {
  code: number;
  output: string;
}

const REPO = join(import.meta.dirname, "..", "..");

/** A missing tool is the machine's problem, not the checked files': it ends the run (exit 2). */
function run(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const options = { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 };
    execFile(command, args, options, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new Error(
            `${command} not found: run \`bash tools/bootstrap.sh\` (it builds the pinned helm and otelcol into .tools/bin)`,
          ),
        );
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() || (error?.message ?? "") });
    });
  });
}

/** Runs tasks with bounded concurrency, keeping their order. */
export async function limited<T>(tasks: (() => Promise<T>)[], concurrency = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/** The pinned build in .tools/bin of this repository, else whatever PATH has. */
function tool(name: string): string {
  const local = join(REPO, ".tools", "bin", name);
  return existsSync(local) ? local : name;
}

function base(file: string, rule: string, message: string, remediation: string): Finding {
  return {
    file,
    apiVersion: "",
    kind: "",
    namespace: "",
    name: "",
    path: "",
    rule,
    severity: "error",
    message,
    remediation,
    waived: false,
  };
}

function onObject(config: EmbeddedConfig, rule: string, path: string, message: string, remediation: string): Finding {
  const { object } = config;
  return {
    ...base(object.file, rule, message, remediation),
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.namespace,
    name: object.name,
    path,
    line: object.line,
  };
}

/** Every file of a chart (templates, values, ci/, Chart.yaml…), sorted: the helm lint cache key. */
async function listChartFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Charts under apps/ (folders with a Chart.yaml), restricted to the given chart folders if any. */
export async function listCharts(root: string, only?: readonly string[]): Promise<string[]> {
  const apps = join(root, "apps");
  if (!existsSync(apps)) return [];
  const charts = (await readdir(apps, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && existsSync(join(apps, e.name, "Chart.yaml")))
    .map((e) => `apps/${e.name}`);
  return only ? charts.filter((c) => only.includes(c)) : charts;
}

/** helm lint --strict once per ci/*-values.yaml (or once with the chart's defaults when none). */
export async function helmLintTasks(
  root: string,
  charts: readonly string[],
  /** Kubernetes version ("1.33.0") to lint a values file at: ci/<env>-values.yaml → that cluster's. */
  kubeVersionFor: (valuesFile: string | null) => string,
): Promise<(() => Promise<Finding[]>)[]> {
  const tasks: (() => Promise<Finding[]>)[] = [];
  for (const chart of charts) {
    const ciDir = join(root, chart, "ci");
    const values = existsSync(ciDir) ? (await readdir(ciDir)).filter((f) => /-values\.ya?ml$/.test(f)).sort() : [];
    const name = chart.split("/")[1] ?? chart;
    const namespace = CHART_NAMESPACES[name] ?? name;
    for (const valuesFile of values.length > 0 ? values.map((v) => `${chart}/ci/${v}`) : [null]) {
      tasks.push(async () => {
        const kubeVersion = kubeVersionFor(valuesFile);
        const args = ["lint", "--strict", join(root, chart), "--namespace", namespace, "--kube-version", kubeVersion];
        if (valuesFile) args.push("-f", join(root, valuesFile));
        const chartFiles = await listChartFiles(join(root, chart));
        const key = [toolIdentity(tool("helm")), args.join(" "), ...chartFiles.flatMap((f) => [f, readFileSync(f)])];
        const result = await cached("helm-lint", key, () => run(tool("helm"), args));
        if (result.code === 0) return [];
        const problems = result.output
          .split("\n")
          .filter((l) => /\[(ERROR|WARNING)\]/.test(l))
          .map((l) => l.replace(root, "").trim());
        const detail = problems.length > 0 ? problems.join("; ") : result.output.split("\n").slice(-3).join(" ");
        return [
          base(
            valuesFile ?? `${chart}/Chart.yaml`,
            "helm-lint",
            `helm lint --strict ${chart}${valuesFile ? ` -f ${valuesFile}` : ""} --kube-version ${kubeVersion}: ${detail}`,
            "Fix what helm lint reports (run the same command to see it).",
          ),
        ];
      });
    }
  }
  return tasks;
}

type TempoChecker = (config: unknown) => { path: string; message: string }[];

async function tempoChecker(root: string): Promise<TempoChecker | null> {
  const file = join(root, "apps", "tempo", "config-schema", "check.ts");
  if (!existsSync(file)) return null;
  const module = (await import(pathToFileURL(file).href)) as { checkTempoConfig?: TempoChecker };
  return module.checkTempoConfig ?? null;
}

/** The rendered Tempo configs against Tempo 2.7's key schema; null when the checker is not there yet. */
export async function checkTempo(root: string, objects: readonly K8sObject[]): Promise<Finding[] | null> {
  const configs = tempoConfigs(objects);
  if (configs.length === 0) return [];
  const check = await tempoChecker(root);
  if (!check) return null;
  return configs.flatMap((config) =>
    check(config.config).map((problem) => {
      const inner = problem.path.replace(/^\//, "").replace(/\//g, ".");
      return onObject(
        config,
        "tempo-config",
        inner ? `${config.path}.${inner}` : config.path,
        problem.message,
        "Use only keys Tempo 2.7 knows (apps/tempo/config-schema/tempo-2.7.schema.json).",
      );
    }),
  );
}

/** Every ${env:NAME} the config reads gets a harmless value, as the pod's environment would. */
function placeholderEnv(text: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const match of text.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = match[1] as string;
    env[name] = /IP|HOST|ADDR/i.test(name) ? "127.0.0.1" : /PORT/i.test(name) ? "4317" : "placeholder";
  }
  return env;
}

export function otelcolTasks(objects: readonly K8sObject[]): (() => Promise<Finding[]>)[] {
  return collectorConfigs(objects).map((config) => async () => {
    const dir = await mkdtemp(join(tmpdir(), "gate-otelcol-"));
    try {
      const text = dump(config.config, { lineWidth: -1, noRefs: true });
      const file = join(dir, "config.yaml");
      await writeFile(file, text);
      const env = placeholderEnv(text);
      const key = [toolIdentity(tool("otelcol")), text, JSON.stringify(env)];
      const result = await cached("otelcol-validate", key, () =>
        run(tool("otelcol"), ["validate", `--config=file:${file}`], env),
      );
      if (result.code === 0) return [];
      const lines = result.output.split("\n").filter((l) => l.trim() !== "" && !/^\d{4}-\d{2}-\d{2}T/.test(l));
      return [
        onObject(
          config,
          "otelcol-validate",
          config.path,
          `otelcol validate: ${lines.slice(-4).join(" ").slice(0, 600)}`,
          "Fix the Collector config so the pinned otelcol accepts it.",
        ),
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
