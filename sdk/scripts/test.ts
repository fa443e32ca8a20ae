// The SDK's own test command (`npm test` in sdk/), which works outside this repository too: runs
// every unit test file of test/ in its own Node process (each starts tracing of its own, so files
// cannot share one), one per core at a time, and ends with `N passed, N failed`. The integration
// files (*.int.test.ts) run a real Collector, MariaDB, RabbitMQ, FerretDB and gofakes3 that
// this repository's bootstrap provides, so they run from the repository root (`npm test`),
// which uses the same per-file runner (runTestFile, runPool below).
//
//   node scripts/test.ts [--filter <substring of the path>]
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { stripVTControlCharacters } from "node:util";

// Generous: the slowest integration file starts several real processes; a hung file must still end.
const FILE_TIMEOUT_MS = 10 * 60_000;

export interface TestFileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
  /** Why the file ended without uvu's totals (killed, crashed), else null. */
  crashed: string | null;
  /** Wall-clock seconds, printed so the slowest files are easy to find. */
  seconds: number;
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

/** Runs one uvu test file (a path relative to `cwd`) in its own Node process. */
export function runTestFile(file: string, cwd: string): Promise<TestFileResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd,
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
      const seconds = (performance.now() - started) / 1000;
      const totals = parseTotals(output);
      if (!totals) {
        const why = signal ? `killed by ${signal}` : `exited ${code} without uvu totals`;
        resolve({ file, passed: 0, failed: 1, skipped: 0, output, crashed: why, seconds });
        return;
      }
      // A file can report all tests passed yet exit non-zero (an error after the run): count it.
      const failed = totals.total - totals.passed + (code !== 0 && totals.total === totals.passed ? 1 : 0);
      resolve({ file, passed: totals.passed, failed, skipped: totals.skipped, output, crashed: null, seconds });
    });
  });
}

/** Prints one file's line, and its whole output when it failed. */
export function reportTestFile(result: TestFileResult): void {
  const mark = result.failed === 0 ? "ok  " : "FAIL";
  const skipped = result.skipped ? `, ${result.skipped} skipped` : "";
  console.log(
    `${mark} ${result.file}  (${result.passed} passed, ${result.failed} failed${skipped})  ${result.seconds.toFixed(1)} s`,
  );
  if (result.failed > 0) {
    if (result.crashed) console.log(`     ${result.crashed}`);
    console.log(result.output.replace(/^/gm, "     | "));
  }
}

/** Runs the files, `concurrency` at a time, reporting each as it ends; results in completion order. */
export async function runPool(files: readonly string[], concurrency: number, cwd: string): Promise<TestFileResult[]> {
  const results: TestFileResult[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const result = await runTestFile(files[next++] as string, cwd);
      reportTestFile(result);
      results.push(result);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return results;
}

if (import.meta.main) {
  const sdk = join(import.meta.dirname, "..");
  const filterAt = process.argv.indexOf("--filter");
  const filter = filterAt >= 0 ? process.argv[filterAt + 1] : undefined;
  const files = readdirSync(join(sdk, "test"))
    .filter((name) => name.endsWith(".test.ts") && !name.endsWith(".int.test.ts"))
    .map((name) => relative(sdk, join(sdk, "test", name)))
    .filter((file) => !filter || file.includes(filter))
    .sort();
  const results = await runPool(files, Math.max(1, availableParallelism()), sdk);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  if (results.length === 0) console.log("no test files found");
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0 || results.length === 0) process.exitCode = 1;
}
