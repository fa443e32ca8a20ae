// `npm run promote` on a scratch repository with git history and no remote: a chart change merged
// to main reaches dev at once, staging only when promoted, and prod only when promoted after
// staging — three steps, each printing the diff and impact it brings, each moving one local branch.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { gitIn, REPO, removeScratch, runGenerate, scratchRepo } from "./scratch.ts";

const test = suite("promote CLI");
const CLI = join(REPO, "generators", "promote-cli.ts");
let root = "";

const git = (...args: string[]) => gitIn(root, ...args).trim();

function promote(...args: string[]) {
  return spawnSync(process.execPath, [CLI, "--root", root, ...args], { encoding: "utf8", timeout: 60_000 });
}

const commitOf = (ref: string) => git("rev-parse", ref);
const FRONT_CONFIG = "otel-collector/configmap-otel-collector-front.yaml";

test.before(async () => {
  root = await scratchRepo({ withTree: true, copyCharts: true });
  git("init", "--quiet", "--initial-branch=main");
  git("add", "-A");
  git("commit", "--quiet", "-m", "base");
});

test.after(async () => {
  await removeScratch(root);
});

test("the first promotions create env/staging and env/prod at what the environment before runs", () => {
  const staging = promote("staging");
  assert.is(staging.status, 0, staging.stderr);
  assert.match(staging.stdout, /promote staging: env\/staging \(none\) → [0-9a-f]{12}, what dev runs \(main\)/);
  assert.match(staging.stdout, /git push origin env\/staging/);
  const prod = promote("prod");
  assert.is(prod.status, 0, prod.stderr);
  assert.match(prod.stdout, /what staging runs \(env\/staging\)/);
  assert.is(commitOf("env/staging"), commitOf("main"));
  assert.is(commitOf("env/prod"), commitOf("main"));
});

test("a chart change on main: dev's tree has it, prod cannot be promoted past staging, staging then prod each bring it", () => {
  const values = join(root, "apps", "otel-collector", "values.yaml");
  const text = readFileSync(values, "utf8");
  const edited = text.replace(/^( {2}checkInterval: )1s$/m, "$12s");
  assert.ok(edited !== text, "the chart's memory limiter checks every 1s");
  writeFileSync(values, edited);
  const run = runGenerate(root);
  assert.is(run.status, 0, run.stdout + run.stderr);
  git("add", "-A");
  git("commit", "--quiet", "-m", "otel-collector chart: memory limiter checks every 2s");
  const merged = commitOf("main");
  const before = commitOf("env/prod");

  // Nothing reaches prod before staging runs it.
  const early = promote("prod");
  assert.is(early.status, 0, early.stderr);
  assert.match(early.stdout, /env\/prod is already at [0-9a-f]{12}, what staging runs: nothing to do/);
  assert.is(commitOf("env/prod"), before);

  // Step 2: staging. A dry run shows the diff and moves nothing.
  const dry = promote("staging", "--dry-run");
  assert.is(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /otel-collector chart: memory limiter checks every 2s/);
  assert.ok(dry.stdout.includes(`clusters/staging/${FRONT_CONFIG}`), dry.stdout);
  assert.not.ok(dry.stdout.includes("clusters/prod/"), "staging's promotion shows only staging's tree");
  assert.match(dry.stdout, /impact on staging:\n[\s\S]*pods that roll/);
  assert.match(dry.stdout, /dry run: env\/staging not moved/);
  assert.is(commitOf("env/staging"), before);

  const staging = promote("staging", "--patch");
  assert.is(staging.status, 0, staging.stderr);
  assert.match(staging.stdout, /^\+\s+check_interval: 2s$/m);
  assert.match(
    staging.stdout,
    /moved env\/staging to [0-9a-f]{12} \(local only\); make it real: git push origin env\/staging/,
  );
  assert.is(commitOf("env/staging"), merged);
  assert.is(commitOf("env/prod"), before);

  // Step 3: prod, from what staging now runs.
  const prod = promote("prod");
  assert.is(prod.status, 0, prod.stderr);
  assert.ok(prod.stdout.includes(`clusters/prod/${FRONT_CONFIG}`), prod.stdout);
  assert.match(prod.stdout, /impact on prod:/);
  assert.is(commitOf("env/prod"), merged);
});

test("refused: a branch that moved off the line of promotion, dev, an unknown environment; wrong usage exits 2", () => {
  // A commit made on env/prod alone (a hot fix pushed around the promotion).
  const tree = git("rev-parse", "env/prod^{tree}");
  const stray = git("commit-tree", tree, "-p", "env/prod", "-m", "hot fix on env/prod");
  git("update-ref", "refs/heads/env/prod", stray);
  git("commit", "--quiet", "--allow-empty", "-m", "later change on main");
  assert.is(promote("staging").status, 0);
  const diverged = promote("prod");
  assert.is(diverged.status, 1);
  assert.match(diverged.stderr, /env\/prod \([0-9a-f]{12}\) is not an ancestor of env\/staging/);
  assert.is(commitOf("env/prod"), stray);

  const dev = promote("dev");
  assert.is(dev.status, 1);
  assert.match(dev.stderr, /dev follows main, where merges land: it is changed by merging, not by promotion/);
  const unknown = promote("qa");
  assert.is(unknown.status, 1);
  assert.match(unknown.stderr, /unknown environment "qa" \(expected one of dev, staging, prod\)/);
  assert.is(promote().status, 2);
  assert.is(promote("prod", "--force").status, 2);
});

test.run();
