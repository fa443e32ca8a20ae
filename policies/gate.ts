// The gate: loads the given paths (default: clusters/ and terraform/, plus every chart under apps/),
// runs the strict schema pass, every policy rule, the config checks and the waivers, and returns
// the findings. policies/cli.ts prints them; tests and the benchmark call runGate directly.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SchemaRegistry, SUPPORTED_KUBERNETES_VERSIONS, validateObjects } from "../schemas/validate.ts";
import { resolveRef } from "../scripts/git.ts";
import { checkTempo, helmLintTasks, limited, listCharts, otelcolTasks } from "./config/checks.ts";
import { BUILTIN_CHECKS } from "./engine/checks.ts";
import { clusterKubernetesVersion } from "./engine/cluster-version.ts";
import { findingOn } from "./engine/finding.ts";
import { embeddedYamlProblems, isKustomization, listFiles, loadTerraform, loadYaml } from "./engine/load.ts";
import type { Finding, K8sObject, KubernetesRule, Rule, TerraformRule } from "./engine/types.ts";
import { applyWaivers, checkAnnotationWaivers, readWaivers } from "./engine/waivers.ts";
import { baseObjects } from "./live/base.ts";
import { runLivePhase } from "./live/phase.ts";
import { RULES } from "./rules/index.ts";

/** Schemas used for objects outside clusters/<env>/ (fixtures) and when a model names none. */
export const DEFAULT_KUBERNETES_VERSION = "1.33";
const DEFAULT_TARGETS = ["clusters", "terraform"];
/** Test fixtures are deliberately broken: they are checked by their own tests, not by the default run. */
const DEFAULT_SKIP = /(^|\/)(fixtures|tests)\//;

export interface GateOptions {
  root: string;
  /** Files or folders, repository-relative; empty = the whole repository's default targets. */
  paths: readonly string[];
  /** Forces one Kubernetes minor version ("1.33") for every object. */
  kubeVersion?: string;
  /** YYYY-MM-DD used for waiver expiry; defaults to today (UTC). */
  today?: string;
  /** Run helm lint, the Tempo key schema and otelcol validate (default true). */
  configChecks?: boolean;
  rules?: readonly Rule[];
  /** Apply every requested cluster to a throw-away kube-apiserver of its version (policies/live/). */
  live?: boolean;
  /** With `live`: a git revision whose tree is applied first, as the running cluster. */
  base?: string;
}

export interface GateResult {
  findings: Finding[];
  objects: number;
  files: number;
  terraformModules: number;
  /** Kubernetes minor version per scope ("clusters/dev" → "1.33"). */
  versions: Record<string, string>;
  notes: string[];
  /** Milliseconds per phase (load, schema, rules, terraform, config-wait and live-wait: what still ran after those, waivers; live:*: the live phase's own steps). */
  timings: Record<string, number>;
}

export const ALL_CHECK_IDS = (rules: readonly Rule[] = RULES): Set<string> =>
  new Set([...rules.map((r) => r.id), ...BUILTIN_CHECKS.map((c) => c.id)]);

function chartOf(path: string): string | null {
  const match = /^apps\/([^/]+)/.exec(path);
  return match ? `apps/${match[1]}` : null;
}

function objectFinding(object: K8sObject, rule: KubernetesRule, path: string, message: string): Finding {
  return findingOn(object, { rule: rule.id, severity: rule.severity, path, message, remediation: rule.remediation });
}

export async function runGate(options: GateOptions): Promise<GateResult> {
  const { root } = options;
  const rules = options.rules ?? RULES;
  const notes: string[] = [];
  const findings: Finding[] = [];
  const defaultRun = options.paths.length === 0;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (phase: string): void => {
    const now = performance.now();
    timings[phase] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };

  const targets = defaultRun ? DEFAULT_TARGETS.filter((t) => existsSync(join(root, t))) : [...options.paths];
  for (const target of targets) {
    if (!existsSync(join(root, target))) throw new UsageError(`no such file or folder: ${target}`);
  }
  let baseCommit: string | null = null;
  if (options.base !== undefined) {
    try {
      baseCommit = resolveRef(root, options.base);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const charts = defaultRun
    ? await listCharts(root)
    : await listCharts(root, [...new Set(targets.map(chartOf).filter((c): c is string => c !== null))]);
  let requested = (
    await listFiles(
      root,
      targets.filter((t) => !chartOf(t)),
    )
  ).filter((f) => !defaultRun || !DEFAULT_SKIP.test(f));
  requested = requested.filter((f) => !chartOf(f));
  const requestedSet = new Set(requested);

  // Cross-object rules need the whole cluster even when one file of it is asked for.
  const clusterDirs = [
    ...new Set(requested.map((f) => /^clusters\/[^/]+/.exec(f)?.[0]).filter((d): d is string => !!d)),
  ];
  const context = [...new Set([...requested, ...(await listFiles(root, clusterDirs))])].sort();
  const loaded = await loadYaml(root, context);
  findings.push(...loaded.findings.filter((f) => requestedSet.has(f.file)));
  const objects = loaded.objects;
  const reported = objects.filter((o) => requestedSet.has(o.file));
  findings.push(...embeddedYamlProblems(reported));
  lap("load");

  // Config checks with the real tools run as child processes: start them now, so they use the
  // other core while this process does the schema, policy and Terraform passes.
  const configRun = (async (): Promise<Finding[]> => {
    if (options.configChecks === false) return [];
    // Each CI values file is linted at the Kubernetes version of the cluster it stands for.
    const kubeVersionFor = (valuesFile: string | null): string => {
      const environment = valuesFile ? /([a-z0-9]+)-values\.ya?ml$/.exec(valuesFile)?.[1] : undefined;
      const fromModel = environment ? clusterKubernetesVersion(root, environment) : null;
      return `${options.kubeVersion ?? fromModel ?? DEFAULT_KUBERNETES_VERSION}.0`;
    };
    const tasks = [...(await helmLintTasks(root, charts, kubeVersionFor)), ...otelcolTasks(reported)];
    const [tempo, toolResults] = await Promise.all([checkTempo(root, reported), limited(tasks, 2)]);
    if (tempo === null)
      notes.push("apps/tempo/config-schema/check.ts is not there yet: the Tempo key-schema check was skipped");
    return [...(tempo ?? []), ...toolResults.flat()];
  })();
  // Keep an early failure (a missing tool) from surfacing as an unhandled rejection before it is awaited.
  configRun.catch(() => {});

  // The live phase runs in other processes (etcd, kube-apiserver) too: start it beside the rest.
  const liveRun = (async (): Promise<Finding[]> => {
    if (!options.live) return [];
    const environments = [
      ...new Set(
        reported.map((o) => (o.environment && o.scope === `clusters/${o.environment}` ? o.environment : null)),
      ),
    ]
      .filter((e): e is string => e !== null)
      .sort();
    const label = baseCommit ? `${options.base} (${baseCommit.slice(0, 12)})` : "";
    const clusters = environments.map((environment) => {
      const base = baseCommit ? baseObjects(root, baseCommit, environment) : null;
      if (baseCommit && !base)
        notes.push(`--base: clusters/${environment} does not exist at ${label}; checked as a new cluster`);
      return {
        environment,
        minor: clusterKubernetesVersion(root, environment) ?? DEFAULT_KUBERNETES_VERSION,
        objects: objects.filter((o) => o.scope === `clusters/${environment}`),
        ...(base ? { base: { label, objects: base } } : {}),
      };
    });
    if (clusters.length === 0) notes.push("--live: no cluster among the given paths; nothing was applied");
    const live = await runLivePhase({ root, clusters });
    notes.push(...live.notes);
    for (const [phase, ms] of Object.entries(live.timings)) timings[`live:${phase}`] = ms;
    // Findings on objects are reported for the requested files only, like every other check.
    return live.findings.filter((f) => requestedSet.has(f.file) || f.file.endsWith("/cluster.ts"));
  })();
  liveRun.catch(() => {});

  // Schema pass, each scope at its cluster's Kubernetes version.
  const versions: Record<string, string> = {};
  const registries = new Map<string, SchemaRegistry>();
  const registry = (version: string): SchemaRegistry => {
    let r = registries.get(version);
    if (!r) {
      r = new SchemaRegistry(version);
      registries.set(version, r);
    }
    return r;
  };
  const byVersion = new Map<string, K8sObject[]>();
  const unsupported = new Set<string>();
  for (const object of reported.filter((o) => !isKustomization(o))) {
    let version = options.kubeVersion ?? versions[object.scope];
    if (!version) {
      const fromModel =
        object.scope.startsWith("clusters/") && object.environment
          ? clusterKubernetesVersion(root, object.environment)
          : null;
      version = fromModel ?? DEFAULT_KUBERNETES_VERSION;
      versions[object.scope] = version;
    }
    if (!SUPPORTED_KUBERNETES_VERSIONS.includes(version)) {
      // One finding per scope is enough: every object of it has the same problem.
      if (unsupported.has(object.scope)) continue;
      unsupported.add(object.scope);
      findings.push({
        file: object.file,
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.namespace,
        name: object.name,
        path: "",
        rule: "schema-kubernetes-version",
        severity: "error",
        message: `Kubernetes ${version} has no schemas (supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
        remediation: "Use a supported version in the cluster model, or add it to schemas/build.ts.",
        waived: false,
      });
      continue;
    }
    const group = byVersion.get(version);
    if (group) group.push(object);
    else byVersion.set(version, [object]);
  }
  for (const [version, group] of byVersion) findings.push(...validateObjects(group, registry(version)));
  lap("schema");

  // Policy rules, per scope; findings only for the requested files.
  const scopes = new Map<string, K8sObject[]>();
  for (const object of objects) {
    const members = scopes.get(object.scope);
    if (members) members.push(object);
    else scopes.set(object.scope, [object]);
  }
  const kubernetesRules = rules.filter((r): r is KubernetesRule => r.target === "kubernetes");
  for (const members of scopes.values()) {
    if (!members.some((o) => requestedSet.has(o.file))) continue;
    for (const rule of kubernetesRules) {
      for (const { object, violation } of rule.check(members, { root })) {
        if (requestedSet.has(object.file))
          findings.push(objectFinding(object, rule, violation.path, violation.message));
      }
    }
  }
  lap("rules");

  // Terraform.
  const terraform = await loadTerraform(root, requested);
  findings.push(...terraform.findings);
  const terraformRules = rules.filter((r): r is TerraformRule => r.target === "terraform");
  for (const module of terraform.modules) {
    for (const rule of terraformRules) {
      for (const location of rule.check(module)) {
        findings.push({
          file: location.file,
          apiVersion: "",
          kind: "terraform",
          namespace: "",
          name: location.address,
          path: location.path,
          rule: rule.id,
          severity: rule.severity,
          message: location.message,
          remediation: rule.remediation,
          waived: false,
        });
      }
    }
  }

  lap("terraform");

  // Config checks: started right after loading (above), awaited here.
  const configFindings = await configRun;
  findings.push(...configFindings);

  lap("config-wait");

  findings.push(...(await liveRun));
  lap("live-wait");

  // Waivers.
  const ids = ALL_CHECK_IDS(rules);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const waivers = await readWaivers(root, ids, today);
  findings.push(...waivers.findings, ...checkAnnotationWaivers(reported, ids));
  applyWaivers(findings, objects, waivers.entries);

  lap("waivers");
  findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule) ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
  return {
    findings,
    objects: reported.length,
    files: requested.length + charts.length,
    terraformModules: terraform.modules.length,
    versions,
    notes,
    timings,
  };
}

/** Bad command-line input: the CLI exits 2. */
export class UsageError extends Error {}
