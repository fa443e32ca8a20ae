// `npm run impact` and generate's guard on a scratch repository with git history: a risky change
// is refused by `generate` until acknowledged, and by `impact --check` (what CI runs) until a
// commit of the change carries the `Impact-Acknowledged:` trailer.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { COMMENT_MARKER } from "../impact/report.ts";
import { gitIn, REPO, removeScratch, runGenerate, scratchRepo } from "./scratch.ts";

const test = suite("impact CLI and generate's guard");
const CLI = join(REPO, "generators", "impact-cli.ts");
const RISK = "scale-down@staging/StatefulSet/otel-collector-gateway";
let root = "";

const git = (...args: string[]) => gitIn(root, ...args);

function impact(...args: string[]) {
  return spawnSync(process.execPath, [CLI, "--root", root, ...args], { encoding: "utf8", timeout: 60_000 });
}

test.before(async () => {
  root = await scratchRepo({ withTree: true });
  git("init", "--quiet", "--initial-branch=main");
  git("add", "-A");
  git("commit", "--quiet", "-m", "base");
  // One gateway fewer: its persistent queue would no longer be read.
  const model = join(root, "clusters", "staging", "cluster.ts");
  const text = readFileSync(model, "utf8");
  const edited = text.replace(/(gateway: \{\n\s+replicas: )2,/, "$11,");
  assert.ok(edited !== text, "the staging model has a two-pod gateway");
  writeFileSync(model, edited);
});

test.after(async () => {
  if (root) await removeScratch(root);
});

test("generate refuses the scale-down, names it and writes nothing; --acknowledge with a reason lets it through", () => {
  const refused = runGenerate(root, "--env", "staging");
  assert.is(refused.status, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, new RegExp(`RISK ${RISK}`));
  assert.match(refused.stderr, /drain/);
  assert.match(refused.stderr, /nothing written/);
  assert.is(git("status", "--porcelain", "clusters/staging/otel-collector"), "");
  const bad = runGenerate(root, "--env", "staging", "--acknowledge", RISK);
  assert.is(bad.status, 2, "an acknowledgement without a reason is a usage error");
  const run = runGenerate(root, "--env", "staging", "--acknowledge", `${RISK}: queues drained first`);
  assert.is(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`RISK ${RISK} \\(acknowledged: queues drained first\\)`));
  assert.match(run.stdout, /replicas: StatefulSet\/otel-collector-gateway 2 → 1/);
});

test("impact --check fails the change until a commit of it carries the trailer", () => {
  git("add", "-A");
  git("commit", "--quiet", "-m", "staging: one gateway");
  const open = impact("--base", "HEAD~1", "--check");
  assert.is(open.status, 1, open.stdout + open.stderr);
  assert.match(open.stderr, new RegExp(`${RISK} is not acknowledged`));
  git(
    "commit",
    "--quiet",
    "--amend",
    "-m",
    `staging: one gateway\n\nImpact-Acknowledged: ${RISK}: queues drained first`,
  );
  const acknowledged = impact("--base", "HEAD~1", "--check");
  assert.is(acknowledged.status, 0, acknowledged.stdout + acknowledged.stderr);
  assert.match(acknowledged.stdout, /\(acknowledged: queues drained first\)/);
});

test("the markdown for the PR comment carries the marker the workflow updates it by", () => {
  const run = impact("--base", "HEAD~1", "--head", "HEAD", "--format", "markdown");
  assert.is(run.status, 0, run.stderr);
  assert.ok(run.stdout.startsWith(COMMENT_MARKER), run.stdout.slice(0, 80));
  assert.match(
    run.stdout,
    /> \[!NOTE\]\n> \*\*Acknowledged `scale-down@staging\/StatefulSet\/otel-collector-gateway`\*\*/,
  );
  const json = JSON.parse(impact("--base", "HEAD~1", "--format", "json").stdout) as { unacknowledged: string[] };
  assert.equal(json.unacknowledged, []);
});

test("wrong usage exits 2: an unknown format, an unknown revision", () => {
  assert.is(impact("--format", "html").status, 2);
  const missing = impact("--base", "no-such-ref");
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /no such commit/);
});

test.run();
