// `npm run bench -- generate`: what `npm run generate` costs on top of the helm calls it cannot
// avoid. Both are measured here, in the same run, interleaved, on the same machine:
//   baseline  the bare `helm template` calls of a full generation (same charts, values,
//             namespaces and Kubernetes versions), one after another, values files prepared;
//             also the same calls two at a time, as generate itself runs them
//   in-process the `generate()` function on a fresh scratch copy of the repository (load and
//             validate the models, render, canonicalise, compare, write and swap the trees)
//   CLI       `node generators/cli.ts` as a user runs it, Node start-up included
// Prints median wall times and the overhead ratios against the baseline (target ≤ 1.3).
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "../../scripts/stats.ts";
import { CHART_APPS } from "../apps.ts";
import { generate } from "../generate.ts";
import { loadCluster } from "../load.ts";
import { HELM, HELM_CONCURRENCY } from "../render/helm.ts";
import { ENVIRONMENTS, REPO, removeScratch, scratchRepo } from "../tests/scratch.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 1.3;

interface HelmCall {
  args: string[];
}

async function prepareHelmCalls(dir: string): Promise<HelmCall[]> {
  const calls: HelmCall[] = [];
  for (const environment of ENVIRONMENTS) {
    const cluster = await loadCluster(REPO, environment);
    for (const app of CHART_APPS) {
      const valuesFile = join(dir, `${environment}-${app.name}.json`);
      await writeFile(valuesFile, JSON.stringify(app.values(cluster)));
      calls.push({
        args: [
          "template",
          app.release,
          join(REPO, app.chart),
          "--namespace",
          app.namespace,
          "--kube-version",
          cluster.identity.kubernetesVersion,
          "-f",
          valuesFile,
        ],
      });
    }
  }
  return calls;
}

function bareHelm(calls: HelmCall[]): number {
  const started = performance.now();
  for (const call of calls) {
    const result = spawnSync(HELM, call.args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`helm ${call.args.join(" ")}: ${result.stderr}`);
  }
  return performance.now() - started;
}

/** The same calls, as many at a time as generate runs them (HELM_CONCURRENCY): the fair floor for our concurrency. */
async function bareHelmConcurrent(calls: HelmCall[]): Promise<number> {
  const started = performance.now();
  const queue = [...calls];
  const worker = async () => {
    for (let call = queue.shift(); call; call = queue.shift()) {
      const args = call.args;
      await new Promise<void>((resolve, reject) => {
        const child = spawn(HELM, args, { stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.resume();
        child.stderr.resume();
        child.on("error", reject);
        child.on("close", (code) =>
          code === 0 ? resolve() : reject(new Error(`helm ${args.join(" ")} exited ${code}`)),
        );
      });
    }
  };
  await Promise.all(Array.from({ length: HELM_CONCURRENCY }, worker));
  return performance.now() - started;
}

async function inProcess(): Promise<number> {
  const root = await scratchRepo();
  try {
    const started = performance.now();
    const result = await generate({
      root,
      check: false,
      allowRemove: false,
      log: () => {},
      error: (line) => console.error(line),
    });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`generate exited ${result.exitCode}`);
    return elapsed;
  } finally {
    await removeScratch(root);
  }
}

async function viaCli(): Promise<number> {
  const root = await scratchRepo();
  try {
    const started = performance.now();
    const result = spawnSync(process.execPath, [join(REPO, "generators", "cli.ts"), "--root", root], {
      encoding: "utf8",
    });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`generate exited ${result.status}: ${result.stdout}${result.stderr}`);
    return elapsed;
  } finally {
    await removeScratch(root);
  }
}

const dir = await mkdtemp(join(tmpdir(), "generate-bench-"));
try {
  const calls = await prepareHelmCalls(dir);
  // Warm-up: file caches, helm's first start, Node's module cache for the in-process runs.
  bareHelm(calls);
  await inProcess();
  const samples = {
    helm: [] as number[],
    helmConcurrent: [] as number[],
    inProcess: [] as number[],
    cli: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    samples.helm.push(bareHelm(calls));
    samples.helmConcurrent.push(await bareHelmConcurrent(calls));
    samples.inProcess.push(await inProcess());
    samples.cli.push(await viaCli());
  }
  const helm = median(samples.helm);
  const helmConcurrent = median(samples.helmConcurrent);
  const ours = median(samples.inProcess);
  const cli = median(samples.cli);
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  console.log(
    `full generation of ${ENVIRONMENTS.length} clusters (${calls.length} helm template calls), median of ${ROUNDS} rounds`,
  );
  console.log(`  bare helm template calls      ${ms(helm)}   (baseline)`);
  console.log(
    `  bare helm, ${HELM_CONCURRENCY} at a time         ${ms(helmConcurrent)}   (what our helm concurrency alone gives)`,
  );
  console.log(`  generate() in-process         ${ms(ours)}   ratio ${(ours / helm).toFixed(2)}  (target ≤ ${TARGET})`);
  console.log(
    `  node generators/cli.ts        ${ms(cli)}   ratio ${(cli / helm).toFixed(2)}  (includes Node start-up)`,
  );
  console.log(
    `  in-process vs concurrent helm ${" ".repeat(9)}   ratio ${(ours / helmConcurrent).toFixed(2)}  (our own work, not hidden by concurrency)`,
  );
  if (ours / helm > TARGET) console.log(`  over target: ${(ours / helm).toFixed(2)} > ${TARGET}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
