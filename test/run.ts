// The one test command of the repository (`npm test`). It finds every uvu test file, runs each in
// its own Node process (uvu prints each file's totals), groups the totals by suite, and ends with
// the line CI reads: `N passed, N failed`.
//
//   *.test.ts       unit tests, beside what they test; one per core at a time
//   *.int.test.ts   integration tests (real processes on loopback); after the unit tests, two
//                   at a time: most of their time is spent waiting on the processes they start
//                   (decision windows, drains, outages), about a quarter of one core on average,
//                   so two at once share the machine without slowing each other's waits. A file
//                   whose timing must not share the machine says so in a `// runs alone: <why>`
//                   line and runs by itself after the others.
//
// Flags: --unit, --integration (only that kind), --filter <substring of the path>.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { sep } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { declaredTools, ensureTools } from "../policies/live/tools.ts";
import { findRepoFiles, ROOT } from "../scripts/repo-files.ts";

// Generous: the slowest integration file starts several real processes; a hung file must still end.
const FILE_TIMEOUT_MS = 10 * 60_000;
const INTEGRATION_JOBS = 2;

/** Whether an integration file asks to run by itself (`// runs alone: <why>`). */
function runsAlone(file: string): boolean {
  return /^\/\/ runs alone: \S/m.test(readFileSync(file, "utf8"));
}

interface FileResult {
  file: string;
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
  crashed: string | null;
  /** Wall-clock seconds, printed so the slowest files are easy to find when CI nears its budget. */
  seconds: number;
}

/** A suite is the first two path segments for apps/ and the first one elsewhere: apps/tempo, sdk, … */
function suiteOf(file: string): string {
  const parts = file.split(sep);
  return parts[0] === "apps" || parts[0] === "test" ? parts.slice(0, 2).join("/") : (parts[0] ?? file);
}

/** uvu ends each run with "Total: N / Passed: N / Skipped: N"; a file that never prints it crashed. */
function parseTotals(output: string): { total: number; passed: number; skipped: number } | null {
  const clean = stripVTControlCharacters(output);
  const total = /Total:\s+(\d+)/.exec(clean);
  const passed = /Passed:\s+(\d+)/.exec(clean);
  const skipped = /Skipped:\s+(\d+)/.exec(clean);
  if (!total || !passed) return null;
  return { total: Number(total[1]), passed: Number(passed[1]), skipped: Number(skipped?.[1] ?? 0) };
}

function runFile(file: string): Promise<FileResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), FILE_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const totals = parseTotals(output);
      const suite = suiteOf(file);
      const seconds = (performance.now() - started) / 1000;
      if (!totals) {
        const why = signal ? `killed by ${signal}` : `exited ${code} without uvu totals`;
        resolve({ file, suite, passed: 0, failed: 1, skipped: 0, output, crashed: why, seconds });
        return;
      }
      // A file can report all tests passed yet exit non-zero (an error after the run): count it.
      const failed = totals.total - totals.passed + (code !== 0 && totals.total === totals.passed ? 1 : 0);
      resolve({ file, suite, passed: totals.passed, failed, skipped: totals.skipped, output, crashed: null, seconds });
    });
  });
}

async function runAll(files: string[], concurrency: number): Promise<FileResult[]> {
  const results: FileResult[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++] as string;
      const result = await runFile(file);
      report(result);
      results.push(result);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return results;
}

function report(result: FileResult): void {
  const mark = result.failed === 0 ? "ok  " : "FAIL";
  console.log(
    `${mark} ${result.file}  (${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ""})  ${result.seconds.toFixed(1)} s`,
  );
  if (result.failed > 0) {
    if (result.crashed) console.log(`     ${result.crashed}`);
    console.log(result.output.replace(/^/gm, "     | "));
  }
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

const results: FileResult[] = [];
if (only !== "integration") results.push(...(await runAll(unit, Math.max(1, availableParallelism()))));
if (only !== "unit") {
  const alone = integration.filter(runsAlone);
  // The end-to-end files (test/integration/: Argo CD, the whole platform) are the longest; started
  // first, they run beside the others instead of alone at the end.
  const pooled = integration.filter((f) => !alone.includes(f));
  const endToEnd = pooled.filter((f) => f.startsWith(`test${sep}integration${sep}`));
  results.push(...(await runAll([...endToEnd, ...pooled.filter((f) => !endToEnd.includes(f))], INTEGRATION_JOBS)));
  results.push(...(await runAll(alone, 1)));
}

const bySuite = new Map<string, { passed: number; failed: number; skipped: number; files: number }>();
for (const r of results) {
  const s = bySuite.get(r.suite) ?? { passed: 0, failed: 0, skipped: 0, files: 0 };
  s.passed += r.passed;
  s.failed += r.failed;
  s.skipped += r.skipped;
  s.files += 1;
  bySuite.set(r.suite, s);
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
