// `npm run bench -- validate`: the gate's speed, as ratios against baselines run here and now.
//  1. Schema pass vs `kubeconform -strict` on the same rendered corpus (clusters/*), each a fresh
//     process per cluster, same strict schemas (ours, written in kubeconform's layout), median of
//     runs. Target: ratio ≤ 1.0. Reported warm (compiled validators cached in .cache/) and cold.
//  2. The whole gate (`npm run validate`: schema, policies, Terraform, helm lint, Tempo keys,
//     otelcol validate) over the committed tree. Target: under 2 s.
//  3. A synthetic corpus of 10,000 objects (the rendered objects cloned under new names):
//     objects per second for the schema pass and for schema + policies, and kubeconform's rate.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { writeKubeconformSchemas } from "../../schemas/kubeconform.ts";
import { median } from "../../scripts/stats.ts";
import { clusterKubernetesVersion } from "../engine/cluster-version.ts";
import { runGate } from "../gate.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const KUBECONFORM = join(ROOT, ".tools", "bin", "kubeconform");
const RUNS = 7;
const work = mkdtempSync(join(tmpdir(), "gate-bench-"));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && e.name !== "kustomization.yaml")
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsed = performance.now() - start;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(
      `${command} ${args.slice(0, 3).join(" ")}… exited ${result.status}: ${result.stderr.slice(0, 500)}`,
    );
  return elapsed;
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

// The rendered corpus, per cluster with the cluster's Kubernetes version.
const clustersDir = join(ROOT, "clusters");
const clusters = readdirSync(clustersDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({
    env: e.name,
    minor: clusterKubernetesVersion(ROOT, e.name) ?? "1.33",
    files: yamlFiles(join(clustersDir, e.name)),
  }))
  .filter((c) => c.files.length > 0);
if (clusters.length === 0) {
  console.log("no rendered clusters/ to measure: run `npm run generate` first");
  process.exit(0);
}
const schemaDir = join(work, "kubeconform-schemas");
for (const minor of new Set(clusters.map((c) => c.minor))) writeKubeconformSchemas(schemaDir, minor);
const objectCount = clusters.reduce(
  (n, c) => n + c.files.reduce((m, f) => m + parseAllDocuments(readFileSync(f, "utf8")).length, 0),
  0,
);

function oursOnce(cold: boolean): number {
  return clusters.reduce(
    (total, c) =>
      total +
      timed(
        process.execPath,
        ["policies/bench/schema-pass.ts", c.minor, ...c.files],
        cold ? { GATE_NO_CACHE: "1" } : {},
      ),
    0,
  );
}

function kubeconformOnce(files: (c: (typeof clusters)[number]) => string[] = (c) => c.files): number {
  return clusters.reduce(
    (total, c) =>
      total +
      timed(KUBECONFORM, [
        "-strict",
        "-summary",
        "-kubernetes-version",
        `${c.minor}.0`,
        "-schema-location",
        schemaDir,
        ...files(c),
      ]),
    0,
  );
}

console.log(
  `corpus: ${objectCount} objects in ${clusters.reduce((n, c) => n + c.files.length, 0)} files (${clusters.map((c) => `${c.env}@${c.minor}`).join(", ")})`,
);

// 1. Schema pass vs kubeconform.
oursOnce(false); // warms the on-disk validator cache, as any earlier run of the gate does
kubeconformOnce();
// Interleaved, so a load spike from elsewhere on the machine hits both sides alike.
const kubeconformRuns: number[] = [];
const warmRuns: number[] = [];
for (let i = 0; i < RUNS; i++) {
  kubeconformRuns.push(kubeconformOnce());
  warmRuns.push(oursOnce(false));
}
const kubeconform = median(kubeconformRuns);
const warm = median(warmRuns);
const cold = median(Array.from({ length: 3 }, () => oursOnce(true)));
console.log(
  `schema pass, warm cache: ${ms(warm)}   kubeconform -strict: ${ms(kubeconform)}   ratio ${(warm / kubeconform).toFixed(2)} (target ≤ 1.0)`,
);
console.log(`schema pass, cold (compiling every validator): ${ms(cold)}   ratio ${(cold / kubeconform).toFixed(2)}`);

// 2. The whole gate over the committed tree, warm (caches filled by an earlier run, as on a
// developer's machine or with CI's cache) and cold (GATE_NO_CACHE=1: every validator compiled,
// every HCL file parsed, every tool run).
const gateArgs = ["policies/cli.ts", "--format", "json"];
timed(process.execPath, gateArgs);
const whole = median(Array.from({ length: RUNS }, () => timed(process.execPath, gateArgs)));
const wholeCold = median(Array.from({ length: 3 }, () => timed(process.execPath, gateArgs, { GATE_NO_CACHE: "1" })));
const phases = (await runGate({ root: ROOT, paths: [] })).timings;
const phaseText = Object.entries(phases)
  .map(([k, v]) => `${k} ${v.toFixed(0)}`)
  .join(", ");
console.log(`whole gate (npm run validate), warm: ${ms(whole)} (target < 2000 ms); cold: ${ms(wholeCold)}`);
console.log(`  in-process phases, warm: ${phaseText} ms`);

// 3. Synthetic 10,000-object corpus.
const TARGET = 10_000;
const templates = clusters.flatMap((c) =>
  c.files.flatMap((f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS() as Record<string, unknown>)),
);
const synthetic = join(work, "clusters", "synthetic");
mkdirSync(synthetic, { recursive: true });
const PER_FILE = 100;
let written = 0;
for (let file = 0; written < TARGET; file++) {
  const docs: string[] = [];
  for (let i = 0; i < PER_FILE && written < TARGET; i++, written++) {
    const copy = structuredClone(templates[written % templates.length]) as { metadata?: { name?: string } };
    if (copy.metadata) copy.metadata.name = `${copy.metadata.name ?? "object"}-${written}`;
    docs.push(stringify(copy));
  }
  writeFileSync(join(synthetic, `objects-${String(file).padStart(3, "0")}.yaml`), docs.join("---\n"));
}
const syntheticFiles = yamlFiles(synthetic);
const minor = clusters[0]?.minor ?? "1.33";
const schemaOnly = median(
  Array.from({ length: 3 }, () => timed(process.execPath, ["policies/bench/schema-pass.ts", minor, ...syntheticFiles])),
);
const kubeconformSynthetic = median(
  Array.from({ length: 3 }, () =>
    timed(KUBECONFORM, [
      "-strict",
      "-summary",
      "-kubernetes-version",
      `${minor}.0`,
      "-schema-location",
      schemaDir,
      ...syntheticFiles,
    ]),
  ),
);
const start = performance.now();
const result = await runGate({
  root: work,
  paths: [relative(work, synthetic)],
  configChecks: false,
  kubeVersion: minor,
});
const gateSynthetic = performance.now() - start;
const rate = (n: number, t: number) => `${Math.round((n / t) * 1000).toLocaleString("en-US")} objects/s`;
console.log(
  `synthetic ${result.objects} objects: schema pass ${ms(schemaOnly)} = ${rate(TARGET, schemaOnly)}; kubeconform -strict ${ms(kubeconformSynthetic)} = ${rate(TARGET, kubeconformSynthetic)}; ratio ${(schemaOnly / kubeconformSynthetic).toFixed(2)}`,
);
console.log(
  `synthetic schema + all policy rules (in process): ${ms(gateSynthetic)} = ${rate(result.objects, gateSynthetic)}`,
);

rmSync(work, { recursive: true, force: true });
