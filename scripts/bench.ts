// `npm run bench`: runs every `*.bench.ts` file of the repository, one after another (benchmarks
// must not share the two cores with each other), streaming their output. Each benchmark measures
// its own baseline in the same run and prints ratios against it; none asserts on bare seconds.
// `npm run bench -- <substring>` runs only the files whose path contains it.
import { spawnSync } from "node:child_process";
import { findRepoFiles, ROOT } from "./repo-files.ts";

const filter = process.argv[2];
const files = (await findRepoFiles(".bench.ts")).filter((f) => !filter || f.includes(filter));
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
