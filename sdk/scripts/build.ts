// Builds the published package: `tsc` twice from the same sources, ESM into dist/esm and CommonJS
// into dist/cjs (marked as such by its own package.json), both with type declarations. It records
// a hash of its inputs in dist/.source-hash, so tests that need the built package can rebuild only
// when the sources changed (`ensureBuilt()`), and `npm test` works on a fresh clone.
//
//   node sdk/scripts/build.ts          build (always)
//   node sdk/scripts/build.ts --check  exit 1 when dist/ is missing or stale
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";

const SDK = join(import.meta.dirname, "..");
const DIST = join(SDK, "dist");
const HASH_FILE = join(DIST, ".source-hash");
// Held while building: test files run in parallel and each makes sure the package is built.
const LOCK = join(SDK, ".build-lock");
const LOCK_WAIT_MS = 180_000;
// Resolved like any dependency: hoisted to the repository's node_modules here, the package's own
// when sdk/ is built on its own.
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const INPUTS = ["src", "package.json", "tsconfig.build.json", "tsconfig.build.cjs.json", "tsconfig.base.json"];

function filesUnder(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [path];
  }
}

export function sourceHash(): string {
  const hash = createHash("sha256");
  const files = INPUTS.flatMap((input) => filesUnder(join(SDK, input))).sort();
  for (const file of files) {
    hash.update(relative(SDK, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

function isFresh(): boolean {
  try {
    return readFileSync(HASH_FILE, "utf8").trim() === sourceHash();
  } catch {
    return false;
  }
}

function tsc(project: string, outDir: string): void {
  const result = spawnSync(process.execPath, [TSC, "-p", join(SDK, project), "--outDir", outDir], { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`sdk build: tsc -p ${project} failed:\n${result.stdout}${result.stderr}`);
  }
}

export function build(): void {
  // Build beside dist/ and swap at the end: a failed build never leaves a half-written package.
  const staging = join(SDK, ".dist-staging");
  rmSync(staging, { recursive: true, force: true });
  try {
    const hash = sourceHash();
    tsc("tsconfig.build.json", join(staging, "esm"));
    tsc("tsconfig.build.cjs.json", join(staging, "cjs"));
    writeFileSync(join(staging, "cjs", "package.json"), '{ "type": "commonjs" }\n');
    writeFileSync(join(staging, ".source-hash"), `${hash}\n`);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(staging, DIST);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `work` holding sdk/.build-lock (a file holding the builder's pid, created exclusively), so
 * that two processes never build into the same staging folder or swap dist/ under each other. A
 * lock left by a process that no longer runs is taken over; a live one is waited for (bounded).
 */
function withBuildLock(work: () => void): void {
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(LOCK, "wx"));
      writeFileSync(LOCK, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(LOCK, "utf8"), 10);
      // An empty file is a lock being written this instant; a dead holder's lock is stale.
      if (Number.isInteger(holder) && !processAlive(holder)) rmSync(LOCK, { force: true });
      else if (Date.now() > until)
        throw new Error(`sdk build: ${LOCK} still held by process ${holder} after ${LOCK_WAIT_MS / 1000} s`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    work();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

/** Builds unless dist/ already matches the sources; safe to call from parallel processes. */
export function ensureBuilt(): void {
  if (isFresh()) return;
  withBuildLock(() => {
    // Another process may have built it while this one waited.
    if (!isFresh()) build();
  });
}

if (import.meta.main) {
  if (process.argv.includes("--check")) {
    if (!isFresh()) {
      console.error("sdk/dist is missing or older than sdk/src: run npm run build (in sdk/)");
      process.exitCode = 1;
    }
  } else {
    withBuildLock(build);
    console.log(`built ${relative(process.cwd(), DIST)} (esm + cjs + types)`);
  }
}
