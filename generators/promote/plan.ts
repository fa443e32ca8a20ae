// Promotion: what `npm run promote -- <env>` does, on local git refs only (no remote is read or
// written; the command prints what to push). An environment's model names the branch its Argo CD
// follows (`argocd.revision`); promoting it moves that branch to the commit the environment before
// it (in ENVIRONMENTS order: dev, staging, prod) runs. A merge to main therefore reaches dev alone,
// and prod only through staging.
import { spawnSync } from "node:child_process";
import { loadCluster } from "../load.ts";
import { ENVIRONMENTS, type Environment } from "../model/types.ts";

export class PromotionError extends Error {}

export interface PromotionPlan {
  /** The environment promoted, and the branch its Argo CD follows. */
  environment: Environment;
  branch: string;
  /** The environment it is promoted from, the branch that one follows, and that branch's commit. */
  from: { environment: Environment; branch: string; commit: string };
  /** Where the branch is now; null when it does not exist yet (the first promotion creates it). */
  current: string | null;
  /** Commits the promotion brings, newest first (`<short id> <subject>`). */
  commits: string[];
}

function git(root: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const result = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  // Only the trailing newline goes: `--stat` lines start with a space of their own.
  return { ok: result.status === 0, out: result.stdout.trimEnd(), err: result.stderr.trim() };
}

/** The commit of a local branch, or null when there is no such branch. */
export function branchCommit(root: string, branch: string): string | null {
  const result = git(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`]);
  return result.ok ? result.out : null;
}

function previousOf(environment: Environment): Environment | undefined {
  return ENVIRONMENTS[ENVIRONMENTS.indexOf(environment) - 1];
}

export async function planPromotion(root: string, target: string): Promise<PromotionPlan> {
  if (!(ENVIRONMENTS as readonly string[]).includes(target))
    throw new PromotionError(`unknown environment "${target}" (expected one of ${ENVIRONMENTS.join(", ")})`);
  const environment = target as Environment;
  const before = previousOf(environment);
  const cluster = await loadCluster(root, environment);
  const branch = cluster.argocd.revision;
  if (before === undefined)
    throw new PromotionError(
      `${environment} follows ${branch}, where merges land: it is changed by merging, not by promotion`,
    );
  const source = await loadCluster(root, before);
  const fromBranch = source.argocd.revision;
  if (branch === fromBranch)
    throw new PromotionError(
      `clusters/${environment}/cluster.ts: argocd.revision: ${environment} follows ${branch}, the branch ${before} follows: there is nothing to promote between them`,
    );
  const fromCommit = branchCommit(root, fromBranch);
  if (fromCommit === null)
    throw new PromotionError(
      `${before} follows ${fromBranch} (clusters/${before}/cluster.ts: argocd.revision), which is no local branch: fetch it first (git fetch origin ${fromBranch}:${fromBranch})`,
    );
  const current = branchCommit(root, branch);
  if (current !== null && current !== fromCommit && !git(root, ["merge-base", "--is-ancestor", current, fromCommit]).ok)
    throw new PromotionError(
      `${branch} (${current.slice(0, 12)}) is not an ancestor of ${fromBranch} (${fromCommit.slice(0, 12)}): a promotion only moves ${environment} forward to what ${before} runs. Roll back by reverting on main and promoting the revert.`,
    );
  const range = current === null ? [fromCommit, "-n", "20"] : [`${current}..${fromCommit}`];
  const log = git(root, ["log", "--format=%h %<(100,trunc)%s", ...range]);
  return {
    environment,
    branch,
    from: { environment: before, branch: fromBranch, commit: fromCommit },
    current,
    commits: log.out === "" ? [] : log.out.split("\n").map((line) => line.trimEnd()),
  };
}

/** Whether the branch already points at what the environment before it runs. */
export function upToDate(plan: PromotionPlan): boolean {
  return plan.current === plan.from.commit;
}

/** The paths whose changes a promotion of `environment` brings to that cluster. */
export function clusterPaths(environment: string): string[] {
  return [`clusters/${environment}/`, `terraform/environments/${environment}/`];
}

/** `git diff --stat` of the environment's rendered tree and Terraform inputs, current → promoted. */
export function diffStat(root: string, plan: PromotionPlan): string {
  const base = plan.current ?? git(root, ["hash-object", "-t", "tree", "/dev/null"]).out;
  return git(root, ["diff", "--stat=120", base, plan.from.commit, "--", ...clusterPaths(plan.environment)]).out;
}

/**
 * Moves the local branch, refusing if it moved since it was planned (the old value is checked by
 * git itself). Nothing is pushed.
 */
export function applyPromotion(root: string, plan: PromotionPlan): void {
  // An empty old value makes git check that the branch does not exist yet.
  const old = plan.current ?? "";
  const message = `promote ${plan.environment}: ${plan.branch} to ${plan.from.branch} (${plan.from.commit.slice(0, 12)})`;
  const result = git(root, ["update-ref", "-m", message, `refs/heads/${plan.branch}`, plan.from.commit, old]);
  if (!result.ok) throw new PromotionError(`moving ${plan.branch} failed: ${result.err}`);
}
