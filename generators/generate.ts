// `npm run generate`: load every model, render every cluster in memory, then either compare with
// the working tree (--check) or swap each changed cluster in. Nothing is written unless every
// selected cluster loaded and rendered, and no guard (folder removal) objected.
import { performance } from "node:perf_hooks";
import { computeImpact } from "./impact/model.ts";
import { type Acknowledged, formatText, type ImpactReport, unacknowledged } from "./impact/report.ts";
import { discoverClusters, loadCluster } from "./load.ts";
import type { Cluster } from "./model/types.ts";
import { ModelError } from "./model/validate.ts";
import { shortDiff } from "./output/diff.ts";
import { removeCluster, swapCluster } from "./output/swap.ts";
import { compareTrees, foldersOf, readGenerated, type TreeDifference } from "./output/tree.ts";
import { type ClusterOutput, clusterDir, renderCluster } from "./render/cluster.ts";
import { isGenerated } from "./render/header.ts";
import { RenderError } from "./render/render-app.ts";

export interface GenerateOptions {
  root: string;
  check: boolean;
  /** Only this cluster; all when undefined. */
  environment?: string;
  /** Allow removing a whole app folder or a cluster whose model is gone. */
  allowRemove: boolean;
  /** Risky changes (data loss, a refused sync) the author accepts, each with a reason. */
  acknowledged?: Acknowledged[];
  /** Progress, summaries and --check reports (stdout in the CLI). */
  log: (line: string) => void;
  /** What stopped the run (stderr in the CLI). */
  error: (line: string) => void;
}

export interface GenerateResult {
  exitCode: 0 | 1 | 2;
  written: number;
  changed: number;
  removed: number;
  unchanged: number;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(2)} s`;
}

function fail(error: (line: string) => void, lines: string[], exitCode: 1 | 2): GenerateResult {
  for (const line of lines) error(line);
  return { exitCode, written: 0, changed: 0, removed: 0, unchanged: 0 };
}

interface Planned {
  environment: string;
  output: ClusterOutput;
  current: Map<string, string>;
  difference: TreeDifference;
}

function reportDrift(plan: Planned, log: (line: string) => void): void {
  for (const path of plan.difference.missing) log(`  missing  ${path}`);
  for (const path of plan.difference.extra) log(`  extra    ${path}`);
  for (const path of plan.difference.changed) {
    log(`  differs  ${path}`);
    for (const line of shortDiff(plan.current.get(path) ?? "", plan.output.files.get(path) ?? ""))
      log(`           ${line}`);
  }
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { root, log, error } = options;
  const started = performance.now();
  const { models, orphans } = await discoverClusters(root);
  if (options.environment !== undefined && !models.includes(options.environment)) {
    return fail(error, [`generate: no cluster "${options.environment}" (known: ${models.join(", ") || "none"})`], 2);
  }
  const selected = options.environment === undefined ? models : [options.environment];

  // 1. Every model, every problem: a person fixes them all in one go (reported in cluster order).
  const clusters: Cluster[] = [];
  const modelErrors: string[] = [];
  for (const loaded of await Promise.allSettled(selected.map((environment) => loadCluster(root, environment)))) {
    if (loaded.status === "fulfilled") clusters.push(loaded.value);
    else if (loaded.reason instanceof ModelError) modelErrors.push(loaded.reason.message);
    else throw loaded.reason;
  }
  if (modelErrors.length > 0) return fail(error, [...modelErrors, "generate: nothing written"], 1);

  // 2. Render everything in memory before touching the disk.
  // Clusters render concurrently; results and errors are taken in cluster order, so output and
  // messages are the same whatever finishes first.
  const renders = await Promise.allSettled(
    clusters.map(async (cluster) => {
      const clusterStarted = performance.now();
      // What is on disk now is read while helm renders.
      const [output, current] = await Promise.all([
        renderCluster(root, cluster),
        readGenerated(root, cluster.identity.environment),
      ]);
      return { output, current, elapsed: seconds(clusterStarted) };
    }),
  );
  const plans: Planned[] = [];
  for (const [index, render] of renders.entries()) {
    if (render.status === "rejected") {
      if (!(render.reason instanceof RenderError)) throw render.reason;
      return fail(error, [render.reason.message, "generate: nothing written"], 1);
    }
    const { output, current, elapsed } = render.value;
    const environment = (clusters[index] as Cluster).identity.environment;
    const difference = compareTrees(output.files, current);
    plans.push({ environment, output, current, difference });
    log(`${environment.padEnd(8)} ${String(output.files.size).padStart(3)} files rendered in ${elapsed}`);
  }
  const orphanFiles = options.environment === undefined ? orphans : [];

  if (options.check) {
    let drift = false;
    for (const plan of plans) {
      const { missing, extra, changed } = plan.difference;
      if (missing.length + extra.length + changed.length === 0) continue;
      drift = true;
      log(`${plan.environment}: ${missing.length} missing, ${extra.length} extra, ${changed.length} differing`);
      reportDrift(plan, log);
    }
    for (const orphan of orphanFiles) {
      drift = true;
      log(`${orphan}: clusters/${orphan}/ has no cluster.ts; its files are extra:`);
      for (const path of (await readGenerated(root, orphan)).keys()) log(`  extra    ${path}`);
    }
    if (drift) {
      log("generate --check: the committed tree differs from the models; run `npm run generate` and commit the result");
      return { exitCode: 1, written: 0, changed: 0, removed: 0, unchanged: 0 };
    }
    log(`generate --check: ${plans.length} clusters match their models (${seconds(started)})`);
    return {
      exitCode: 0,
      written: 0,
      changed: 0,
      removed: 0,
      unchanged: plans.reduce((n, p) => n + p.difference.unchanged, 0),
    };
  }

  // 3. Guards. A file under clusters/<env>/ that generate did not write (a hand-written NOTES.md)
  // would vanish with the folder's swap: refuse, naming it, rather than delete someone's work.
  const handWritten = plans.flatMap((plan) =>
    plan.difference.extra.filter(
      (path) => path.startsWith(`${clusterDir(plan.environment)}/`) && !isGenerated(plan.current.get(path) ?? ""),
    ),
  );
  if (handWritten.length > 0) {
    return fail(
      error,
      [
        ...handWritten.map(
          (path) => `generate: ${path} was not written by generate; rewriting its folder would delete it`,
        ),
        "generate: clusters/<env>/ is generated whole (only cluster.ts is hand-edited): move the file elsewhere (docs/, the PR description) or delete it; nothing written",
      ],
      1,
    );
  }
  // Losing a whole app folder or cluster takes an explicit flag.
  const removals: string[] = [];
  for (const plan of plans) {
    const before = foldersOf(plan.current.keys(), plan.environment);
    const after = new Set(plan.output.folders);
    for (const folder of before) if (!after.has(folder)) removals.push(`${clusterDir(plan.environment)}/${folder}/`);
  }
  for (const orphan of orphanFiles) removals.push(`${clusterDir(orphan)}/ (no cluster.ts)`);
  if (removals.length > 0 && !options.allowRemove) {
    return fail(
      error,
      [
        ...removals.map((folder) => `generate: would remove ${folder}`),
        "generate: removing a whole app folder or cluster needs --allow-remove (Argo CD would prune everything in it); nothing written",
      ],
      1,
    );
  }

  // What the change will do to each cluster; a risky change needs an acknowledgement.
  const report: ImpactReport = {
    clusters: plans.map((plan) => computeImpact(plan.current, plan.output.files, plan.environment)),
    acknowledged: options.acknowledged ?? [],
  };
  const open = unacknowledged(report);
  if (open.length > 0) {
    for (const line of formatText(report).trimEnd().split("\n")) error(line);
    return fail(
      error,
      [
        ...open.map((risk) => `generate: ${risk.id} needs an acknowledgement`),
        'generate: do what "safely:" says, then re-run with --acknowledge "<id>: <reason>" for each (and put the same in the commit message as "Impact-Acknowledged: <id>: <reason>" for CI); nothing written',
      ],
      1,
    );
  }

  // 4. Swap in each cluster that changed.
  const totals = { written: 0, changed: 0, removed: 0, unchanged: 0 };
  for (const plan of plans) {
    const { missing, extra, changed, unchanged } = plan.difference;
    totals.written += missing.length;
    totals.changed += changed.length;
    totals.removed += extra.length;
    totals.unchanged += unchanged;
    if (missing.length + extra.length + changed.length > 0)
      await swapCluster(root, plan.environment, plan.output.files);
    // Say which files, not only how many: the list is what a reviewer checks against the diff.
    for (const path of missing) log(`  written  ${path}`);
    for (const path of changed) log(`  changed  ${path}`);
    for (const path of extra) log(`  removed  ${path}`);
  }
  for (const orphan of orphanFiles) {
    totals.removed += (await readGenerated(root, orphan)).size;
    await removeCluster(root, orphan);
    log(`removed ${clusterDir(orphan)}/`);
  }
  for (const line of formatText(report).trimEnd().split("\n")) log(line);
  log(
    `generate: ${totals.written} written, ${totals.changed} changed, ${totals.removed} removed, ${totals.unchanged} unchanged (${plans.length} clusters, ${seconds(started)})`,
  );
  return { exitCode: 0, ...totals };
}
