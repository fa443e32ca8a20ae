// The one test command of the repository (`npm test`). It finds every uvu test file, runs each in
// its own Node process (uvu prints each file's totals), groups the totals by suite, and ends with
// the line CI reads: `N passed, N failed`.
//
//   *.test.ts       unit tests, beside what they test; one per core at a time
//   *.int.test.ts   integration tests (real processes on loopback); after the unit tests, two
//                   at a time: most of their time is spent waiting on the processes they start
//                   (decision windows, drains, outages), about a quarter of one core on average,
//                   so two at once share the machine without slowing each other's waits.
//
// Flags: --unit, --integration (only that kind), --filter <substring of the path>.
import { availableParallelism } from "node:os";
import { sep } from "node:path";
import { declaredTools, ensureTools } from "../policies/live/tools.ts";
import { findRepoFiles, ROOT } from "../scripts/repo-files.ts";
// The per-file runner is the SDK's, which must also run its tests outside this repository.
import { ensureBuilt } from "../sdk/scripts/build.ts";
import { runPool, type TestFileResult } from "../sdk/scripts/test.ts";

const runAll = (files: readonly string[], concurrency: number) => runPool(files, concurrency, ROOT);

const INTEGRATION_JOBS = 2;

/** A suite is the first two path segments for apps/ and the first one elsewhere: apps/tempo, sdk, … */
function suiteOf(file: string): string {
  const parts = file.split(sep);
  return parts[0] === "apps" || parts[0] === "test" ? parts.slice(0, 2).join("/") : (parts[0] ?? file);
}

const args = process.argv.slice(2);
const only = args.includes("--unit") ? "unit" : args.includes("--integration") ? "integration" : "all";
const filterAt = args.indexOf("--filter");
const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;

const all = (await findRepoFiles(".test.ts")).filter((f) => !filter || f.includes(filter));
const unit = all.filter((f) => !f.endsWith(".int.test.ts"));
const integration = all.filter((f) => f.endsWith(".int.test.ts"));

// Tools built on first use (TOOL_ON_DEMAND=1) that the selected integration files declare: built
// here, once and outside the per-file time limit, because a cold build takes minutes.
const tools = only === "unit" ? [] : [...new Set(integration.flatMap((file) => declaredTools(ROOT, file)))].sort();
if (tools.length > 0) ensureTools(ROOT, tools);

// The SDK's package, built once here: many test files start services from its dist/, and
// building it in each of several parallel files would only make them wait on one another.
ensureBuilt();

const results: TestFileResult[] = [];
if (only !== "integration") results.push(...(await runAll(unit, Math.max(1, availableParallelism()))));
if (only !== "unit") {
  // The end-to-end files (test/integration/: Argo CD, the whole platform) are the longest; started
  // first, they run beside the others instead of alone at the end.
  const endToEnd = integration.filter((f) => f.startsWith(`test${sep}integration${sep}`));
  const others = integration.filter((f) => !endToEnd.includes(f));
  results.push(...(await runAll([...endToEnd, ...others], INTEGRATION_JOBS)));
}

const bySuite = new Map<string, { passed: number; failed: number; skipped: number; files: number }>();
for (const r of results) {
  const suite = suiteOf(r.file);
  const s = bySuite.get(suite) ?? { passed: 0, failed: 0, skipped: 0, files: 0 };
  s.passed += r.passed;
  s.failed += r.failed;
  s.skipped += r.skipped;
  s.files += 1;
  bySuite.set(suite, s);
}
console.log("\nSuites:");
for (const [suite, s] of [...bySuite].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(
    `  ${suite.padEnd(24)} ${String(s.files).padStart(3)} files  ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ""}`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
if (results.length === 0) {
  console.log("no test files found");
  process.exitCode = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (failed > 0) process.exitCode = 1;
