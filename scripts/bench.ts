// `npm run bench`: runs every `*.bench.ts` file of the repository, one after another (benchmarks
// must not share the two cores with each other), streaming their output. Each benchmark measures
// its own baseline in the same run and prints ratios against it; none asserts on bare seconds.
// `npm run bench -- <substring>` runs only the files whose path contains it.
import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const SKIP_DIRS = new Set(["node_modules", ".tools", ".git", "dist", "fixtures"]);

async function findBenchFiles(dir: string, found: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await findBenchFiles(join(dir, entry.name), found);
    } else if (entry.name.endsWith(".bench.ts")) {
      found.push(relative(ROOT, join(dir, entry.name)));
    }
  }
  return found.sort();
}

const filter = process.argv[2];
const files = (await findBenchFiles(ROOT)).filter((f) => !filter || f.includes(filter));
if (files.length === 0) console.log("no benchmarks found");
let failures = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const { status } = spawnSync(process.execPath, ["--expose-gc", file], { cwd: ROOT, stdio: "inherit" });
  if (status !== 0) {
    failures += 1;
    console.log(`!!! ${file} exited ${status}`);
  }
}
process.exitCode = failures > 0 ? 1 : 0;
