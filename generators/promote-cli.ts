// `npm run promote -- <staging|prod> [--dry-run] [--patch]`
//
// Moves the local branch the environment's Argo CD follows (its model's argocd.revision) to the
// commit the environment before it runs, and prints what that changes on the cluster: the commits,
// the diff of its rendered tree and Terraform inputs, and the impact report. Local refs only:
// it ends with the `git push` that makes the promotion real (a reviewer reads the same diff).
//
//   --dry-run   print everything, move nothing
//   --patch     print the whole diff, not only its summary
//
// Exit codes: 0 promoted (or already up to date), 1 refused (unknown branch, not a fast-forward,
// a model error), 2 wrong usage.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { parseArgv } from "zx";
import { commitAcknowledgements } from "./impact/acknowledge.ts";
import { computeImpact } from "./impact/model.ts";
import { formatText } from "./impact/report.ts";
import { generatedAt } from "./impact/run.ts";
import { ModelError } from "./model/validate.ts";
import {
  applyPromotion,
  clusterPaths,
  diffStat,
  PromotionError,
  type PromotionPlan,
  planPromotion,
  upToDate,
} from "./promote/plan.ts";

const KNOWN = new Set(["_", "dry-run", "patch", "root", "help"]);
const usage = "usage: npm run promote -- <staging|prod> [--dry-run] [--patch]";
const args = parseArgv(process.argv.slice(2), { boolean: ["dry-run", "patch", "help"], string: ["root"] });
const unknown = Object.keys(args).filter((key) => !KNOWN.has(key));
const short = (commit: string | null) => (commit === null ? "(none)" : commit.slice(0, 12));

function impactText(root: string, plan: PromotionPlan): string {
  const after = generatedAt(root, plan.from.commit);
  const before = plan.current === null ? new Map<string, string>() : generatedAt(root, plan.current);
  return formatText({
    clusters: [computeImpact(before, after, plan.environment)],
    acknowledged: plan.current === null ? [] : commitAcknowledgements(root, plan.current, plan.from.commit),
  });
}

function report(root: string, plan: PromotionPlan, patch: boolean): void {
  const { environment, branch, from, current } = plan;
  console.log(
    `promote ${environment}: ${branch} ${short(current)} → ${short(from.commit)}, what ${from.environment} runs (${from.branch})`,
  );
  console.log(
    current === null
      ? "commits (the branch is new, so everything below is new to it; the last 20):"
      : `commits (${plan.commits.length}):`,
  );
  for (const commit of plan.commits) console.log(`  ${commit}`);
  const stat = diffStat(root, plan);
  console.log(`changes on ${environment} (${clusterPaths(environment).join(", ")}):`);
  console.log(stat === "" ? "  none" : stat.replace(/^/gm, " "));
  process.stdout.write(
    impactText(root, plan).replace(
      /^impact: nothing changes on any cluster/m,
      `impact on ${environment}: nothing changes`,
    ),
  );
  if (patch && current !== null) {
    const diff = spawnSync("git", ["diff", current, from.commit, "--", ...clusterPaths(environment)], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    process.stdout.write(diff.stdout);
  }
}

async function main(): Promise<number> {
  if (args.help) {
    console.log(usage);
    return 0;
  }
  if (unknown.length > 0 || args._.length !== 1) {
    const wrong = [...unknown.map((k) => `--${k}`), ...(args._.length > 1 ? args._.slice(1).map(String) : [])];
    console.error(`promote: ${wrong.length > 0 ? `unexpected ${wrong.join(", ")}` : "name one environment"}\n${usage}`);
    return 2;
  }
  const root = resolve(args.root ?? resolve(import.meta.dirname, ".."));
  try {
    const plan = await planPromotion(root, String(args._[0]));
    if (upToDate(plan)) {
      console.log(
        `promote ${plan.environment}: ${plan.branch} is already at ${short(plan.current)}, what ${plan.from.environment} runs: nothing to do`,
      );
      return 0;
    }
    report(root, plan, args.patch === true);
    const paths = clusterPaths(plan.environment).join(" ");
    const range = `${plan.current ?? `$(git hash-object -t tree /dev/null)`} ${plan.from.commit.slice(0, 12)}`;
    console.log(`the whole diff: git diff ${range} -- ${paths}`);
    if (args["dry-run"]) {
      console.log(`dry run: ${plan.branch} not moved`);
      return 0;
    }
    applyPromotion(root, plan);
    console.log(
      `moved ${plan.branch} to ${short(plan.from.commit)} (local only); make it real: git push origin ${plan.branch}`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof PromotionError) && !(error instanceof ModelError)) throw error;
    console.error(`promote: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
