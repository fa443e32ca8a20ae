// `npm run bench -- live`: the live phase of the gate (`validate --live`) over the committed
// clusters, against a baseline measured in the same run: the bare control plane the phase cannot
// do without (one etcd and one kube-apiserver per cluster, started until ready, then stopped).
// The ratio says what the phase adds on top of starting the servers (CRDs, namespaces, three
// applies of every object). Target: the whole phase for the three clusters in at most 15 s warm
// (the binaries built; nothing else is cached between runs).
import { join } from "node:path";
import { median } from "../../scripts/stats.ts";
import { clusterKubernetesVersion } from "../engine/cluster-version.ts";
import { listFiles, loadYaml } from "../engine/load.ts";
import { liveWorkDir, makeCredentials, startApiServer, startEtcd } from "../live/controlplane.ts";
import { type LiveCluster, runLivePhase } from "../live/phase.ts";
import { apiServerTool, binDir, ETCD_TOOL, ensureTools, liveTools } from "../live/tools.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const RUNS = 3;
const TARGET_MS = 15_000;

ensureTools(ROOT, liveTools(ROOT));
const environments = ["dev", "staging", "prod"];
const files = await listFiles(
  ROOT,
  environments.map((e) => `clusters/${e}`),
);
const { objects } = await loadYaml(ROOT, files);
const clusters: LiveCluster[] = environments.map((environment) => ({
  environment,
  minor: clusterKubernetesVersion(ROOT, environment) ?? "1.33",
  objects: objects.filter((o) => o.scope === `clusters/${environment}`),
}));

async function bareControlPlane(): Promise<number> {
  const start = performance.now();
  const work = liveWorkDir();
  const bin = binDir(ROOT);
  const etcd = await startEtcd(join(bin, ETCD_TOOL), work);
  const credentials = makeCredentials(work);
  const servers = await Promise.all(
    clusters.map((c) =>
      startApiServer(join(bin, apiServerTool(c.minor)), { etcd, credentials, prefix: c.environment, workDir: work }),
    ),
  );
  await Promise.all(servers.map((s) => s.stop()));
  await etcd.stop();
  return performance.now() - start;
}

async function livePhase(): Promise<number> {
  const start = performance.now();
  const { findings } = await runLivePhase({ root: ROOT, clusters });
  if (findings.length > 0)
    throw new Error(`the committed clusters have live findings: ${findings.map((f) => f.message).join("; ")}`);
  return performance.now() - start;
}

const baseline: number[] = [];
const live: number[] = [];
// Interleaved, so a slow moment of the machine hits both alike.
for (let run = 0; run < RUNS; run++) {
  baseline.push(await bareControlPlane());
  live.push(await livePhase());
}
const objectCount = clusters.reduce((n, c) => n + c.objects.length, 0);
const b = median(baseline);
const l = median(live);
console.log(`clusters: ${clusters.map((c) => `${c.environment} (${c.minor})`).join(", ")}; ${objectCount} documents`);
console.log(
  `bare control plane (etcd + ${clusters.length} kube-apiservers, start to ready to stopped): median ${b.toFixed(0)} ms of ${RUNS}`,
);
console.log(
  `live phase (the same + CRDs, namespaces, dry run, apply, re-apply):             median ${l.toFixed(0)} ms of ${RUNS}`,
);
console.log(`ratio live/bare: ${(l / b).toFixed(2)}; the checks themselves: ${(l - b).toFixed(0)} ms`);
console.log(`target: the whole live phase ≤ ${TARGET_MS / 1000} s warm: ${l <= TARGET_MS ? "met" : "NOT met"}`);
