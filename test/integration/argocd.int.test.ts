// needs tools: kube-apiserver argocd kustomize redis-server
// A real Argo CD syncs a rendered cluster into a real kube-apiserver, from a file:// clone.
//
// The dev model, with argocd.repoURL pointing at a local bare repository, is rendered by the real
// generators and pushed there. The root Application and its AppProject are applied as the
// documented bootstrap does (clusters/README.md); then the test proves what production needs of Argo
// CD: the app-of-apps converges with its sync waves in order, stays converged through a minute of
// self-heal (no object the API server rewrites behind Argo CD's back), follows a committed model
// change, prunes a removed object, and fails an immutable change exactly as `validate --live
// --base` predicts.
//
// Health: there are no nodes and no controllers, so test/support/controllers.ts reports each
// Deployment and StatefulSet rolled out at its current generation, as the controllers would once
// the pods ran, and finishes foreground deletions as the garbage collector would. Every other
// object is judged by Argo CD's own health checks. The test accepts only Healthy: Progressing
// would mean a wave that never ends, Degraded or Missing a broken tree.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NAMESPACES } from "../../generators/platform.ts";
import { removeScratch, runGenerate, scratchRepo } from "../../generators/tests/scratch.ts";
import { clusterKubernetesVersion } from "../../policies/engine/cluster-version.ts";
import { clusterTreeObjects, isKustomization } from "../../policies/engine/load.ts";
import type { K8sObject } from "../../policies/engine/types.ts";
import {
  type ApiServer,
  type Etcd,
  liveWorkDir,
  makeCredentials,
  startApiServer,
  startEtcd,
} from "../../policies/live/controlplane.ts";
import { LIVE_RULES } from "../../policies/live/findings.ts";
import type { KubeClient } from "../../policies/live/kube.ts";
import { createNamespaces, installCrds, readCrds, runLivePhase } from "../../policies/live/phase.ts";
import { apiServerTool, binDir, declaredTools, ETCD_TOOL, ensureTools } from "../../policies/live/tools.ts";
import { waitFor } from "../../scripts/process.ts";
import {
  APPLICATION_HEALTH_LUA,
  ARGOCD_NAMESPACE,
  type ArgoCd,
  requestRefresh,
  startArgoCd,
} from "../support/argocd.ts";
import { keepClusterControllers } from "../support/controllers.ts";
import { runInPrivateNetwork } from "../support/netns.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const ENV = "dev";
const APPS = ["namespaces", "observability", "otel-collector", "tempo", "tracing-platform-root"];
const RESYNC_SECONDS = 10;
const CONVERGE_MS = 240_000;
const SETTLED_MS = 60_000;
const FOLLOW_MS = 120_000;
const BOOTSTRAP = [
  `clusters/${ENV}/argocd/appproject-tracing-platform-bootstrap.yaml`,
  `clusters/${ENV}/argocd/application-tracing-platform-root.yaml`,
];

// Built before entering the namespace: the Go module proxy is not reachable from inside it.
if (process.env.GREENLANG_PRIVATE_NETWORK !== "1") ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
runInPrivateNetwork(import.meta.filename);

interface App {
  metadata: { name: string; creationTimestamp: string };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { resources?: { kind: string; name: string; status?: string; message?: string }[] };
    };
    history?: { id: number; deployedAt?: string }[];
  };
}

const state: {
  work: string;
  scratch: string;
  etcd?: Etcd;
  server?: ApiServer;
  argocd?: ArgoCd;
  controllers?: { stop(): Promise<void> };
} = { work: "", scratch: "" };

const client = (): KubeClient => (state.server as ApiServer).client;
const git = (cwd: string, ...args: string[]): string => {
  const r = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], {
    cwd,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
};
const model = (): string => join(state.scratch, "clusters", ENV, "cluster.ts");
const source = (): string => join(state.work, "src");

/** The rendered tree of the scratch repository, as objects. */
function renderedObjects(): K8sObject[] {
  return clusterTreeObjects(state.scratch, ENV).filter((o) => !isKustomization(o));
}

/**
 * Edits the model, re-renders it with the real generators, pushes the tree to the clone Argo CD
 * follows and, once Argo CD runs, tells it as a Git host's webhook would.
 */
async function publish(message: string, edit?: (text: string) => string): Promise<void> {
  if (edit) {
    const before = readFileSync(model(), "utf8");
    const after = edit(before);
    assert.is.not(after, before, `the edit for "${message}" changed nothing`);
    writeFileSync(model(), after);
  }
  const run = runGenerate(state.scratch, "--env", ENV);
  assert.is(run.status, 0, run.stdout + run.stderr);
  rmSync(join(source(), "clusters"), { recursive: true, force: true });
  cpSync(join(state.scratch, "clusters", ENV), join(source(), "clusters", ENV), { recursive: true });
  git(source(), "add", "-A");
  git(source(), "commit", "--quiet", "-m", message);
  git(source(), "push", "--quiet", "origin", "HEAD:main");
  if (state.argocd) await requestRefresh(client(), APPS);
}

async function apps(): Promise<App[]> {
  const list = (await client().get(`/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NAMESPACE}/applications`)) as {
    items: App[];
  };
  return list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

const summary = (list: App[]): string =>
  list
    .map(
      (a) =>
        `${a.metadata.name}: ${a.status?.sync?.status}/${a.status?.health?.status} ${a.status?.operationState?.phase ?? ""} ${a.status?.operationState?.message ?? ""}`,
    )
    .join("\n");

/** Polls until `probe` holds; on a time-out says what the apps looked like and what the controller said last. */
async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  try {
    return await waitFor(what, probe, { timeoutMs, intervalMs: 1_000 });
  } catch (error) {
    const log = state.argocd?.controllerOutput().split("\n").slice(-40).join("\n") ?? "";
    throw new Error(
      `${(error as Error).message}\n--- applications ---\n${summary(await apps())}\n--- controller (last lines) ---\n${log}`,
    );
  }
}

const converged = (list: App[]): boolean =>
  APPS.every((name) => {
    const app = list.find((a) => a.metadata.name === name);
    return app?.status?.sync?.status === "Synced" && app.status.health?.status === "Healthy";
  });

test.before(async () => {
  // uvu reports a failed hook only as failed tests: say why.
  await setUp().catch((error: unknown) => {
    console.error(error);
    throw error;
  });
});

async function setUp(): Promise<void> {
  state.work = mkdtempSync(join(tmpdir(), "argocd-e2e-"));
  state.scratch = await scratchRepo();
  const repo = join(state.work, "repo.git");
  git(state.work, "init", "--quiet", "--bare", "--initial-branch=main", repo);
  mkdirSync(source());
  git(source(), "init", "--quiet", "--initial-branch=main");
  git(source(), "remote", "add", "origin", repo);
  // The model names the clone as its repository, as a cluster's model names the real one.
  await publish("render dev from a file:// clone", (text) =>
    text.replace(/^ {2}tempo: \{$/m, `  argocd: { repoURL: "file://${repo}" },\n  tempo: {`),
  );

  const minor = clusterKubernetesVersion(state.scratch, ENV) as string;
  const bin = binDir(ROOT);
  const live = liveWorkDir();
  state.etcd = await startEtcd(join(bin, ETCD_TOOL), live);
  state.server = await startApiServer(join(bin, apiServerTool(minor)), {
    etcd: state.etcd,
    credentials: makeCredentials(live),
    prefix: ENV,
    workDir: live,
  });
  await installCrds(client(), readCrds(ROOT), renderedObjects());
  // What the cluster brings before the platform (docs/prerequisites.md): Argo CD's namespace, and
  // the monitoring stack's, where the observability app puts its rules and Grafana ConfigMaps.
  await createNamespaces(client(), [ARGOCD_NAMESPACE, NAMESPACES.monitoring, NAMESPACES.grafana]);
  state.argocd = await startArgoCd({
    binary: join(bin, "argocd"),
    toolsPath: bin,
    server: state.server,
    workDir: state.work,
    resyncSeconds: RESYNC_SECONDS,
  });
  // Every collection the tree has objects in, for the garbage collector's stand-in.
  const collections = new Set<string>();
  for (const object of renderedObjects()) {
    const path = (await client().path({ ...object, namespace: "", name: "" })) as string;
    collections.add(path.replace(/\/namespaces\/default\//, "/"));
  }
  state.controllers = keepClusterControllers(client(), [...collections]);
  // The documented bootstrap: the root Application and its AppProject, once; the root creates
  // everything else, wave by wave.
  for (const object of renderedObjects().filter((o) => BOOTSTRAP.includes(o.file))) {
    const path = (await client().path(object)) as string;
    const response = await client().apply(path, object.body, { dryRun: false });
    assert.ok(response.status < 300, `bootstrap ${object.kind}/${object.name}: HTTP ${response.status}`);
  }
}

test.after(async () => {
  await state.controllers?.stop();
  if (state.argocd) {
    // Kept after the run (test/.output/ is ignored): the first place to look when this test fails in CI.
    const logs = join(ROOT, "test", ".output", "argocd");
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, "application-controller.log"), state.argocd.controllerOutput());
    writeFileSync(join(logs, "repo-server.log"), state.argocd.repoServerOutput());
  }
  await state.argocd?.stop();
  await state.server?.stop();
  await state.etcd?.stop();
  if (state.scratch) await removeScratch(state.scratch);
  if (state.work) rmSync(state.work, { recursive: true, force: true });
});

test("Argo CD runs with the Application health check docs/prerequisites.md asks every cluster for", () => {
  const docs = readFileSync(join(ROOT, "docs", "prerequisites.md"), "utf8");
  const lua = APPLICATION_HEALTH_LUA.trimEnd()
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
  assert.ok(docs.includes(lua), "the Lua in docs/prerequisites.md differs from the one the test configures");
});

test("the app-of-apps converges: every Application Synced and Healthy", async () => {
  await eventually("every Application Synced and Healthy", CONVERGE_MS, async () =>
    converged(await apps()) ? true : undefined,
  );
});

test("sync waves are honoured: each child app is created after the wave before it was first deployed", async () => {
  const list = await apps();
  const byName = (name: string): App => list.find((a) => a.metadata.name === name) as App;
  // namespaces (wave -1) → tempo (0) → otel-collector (1) → observability (2). history[0] is an
  // app's first sync; timestamps have one-second resolution.
  const order = [byName("namespaces"), byName("tempo"), byName("otel-collector"), byName("observability")];
  for (let i = 1; i < order.length; i++) {
    const before = order[i - 1] as App;
    const after = order[i] as App;
    const deployed = before.status?.history?.[0]?.deployedAt;
    assert.ok(deployed, `${before.metadata.name} has no sync history`);
    assert.ok(
      Date.parse(deployed as string) <= Date.parse(after.metadata.creationTimestamp),
      `${after.metadata.name} was created at ${after.metadata.creationTimestamp}, before ${before.metadata.name} was first deployed at ${deployed}`,
    );
  }
});

test("every rendered object exists on the cluster with its labels, tracked by Argo CD", async () => {
  const missing: string[] = [];
  for (const object of renderedObjects()) {
    const response = await client().request("GET", (await client().path(object)) as string);
    if (response.status !== 200) {
      missing.push(`${object.kind}/${object.name}: HTTP ${response.status}`);
      continue;
    }
    const live = response.body as {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
    };
    const wanted = ((object.body.metadata as { labels?: Record<string, string> }).labels ?? {}) as Record<
      string,
      string
    >;
    for (const [key, value] of Object.entries(wanted))
      if (live.metadata.labels?.[key] !== value) missing.push(`${object.kind}/${object.name}: label ${key}=${value}`);
    if (!live.metadata.annotations?.["argocd.argoproj.io/tracking-id"] && object.name !== "tracing-platform-root")
      missing.push(`${object.kind}/${object.name}: no Argo CD tracking annotation`);
  }
  assert.equal(missing, []);
});

test("it stays converged through a minute of self-heal: no app is synced again", async () => {
  const before = new Map((await apps()).map((a) => [a.metadata.name, a.status?.operationState?.startedAt]));
  const deadline = Date.now() + SETTLED_MS;
  const drifted = new Set<string>();
  while (Date.now() < deadline) {
    for (const app of await apps()) {
      if (app.status?.sync?.status !== "Synced") drifted.add(`${app.metadata.name} went ${app.status?.sync?.status}`);
      if (app.status?.operationState?.startedAt !== before.get(app.metadata.name))
        drifted.add(`${app.metadata.name} was synced again at ${app.status?.operationState?.startedAt}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  assert.equal([...drifted].sort(), []);
});

test("on-call can pause one app: with the tempo app's automated sync removed, the root leaves it paused", async () => {
  const path = `/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NAMESPACE}/applications/tempo`;
  const patch = async (automated: unknown) => {
    const response = await client().request("PATCH", path, {
      body: { spec: { syncPolicy: { automated } } },
      contentType: "application/merge-patch+json",
    });
    assert.is(response.status, 200);
  };
  const automatedOf = async () =>
    ((await client().get(path)) as { spec: { syncPolicy: { automated?: unknown } } }).spec.syncPolicy.automated;
  await patch(null);
  await requestRefresh(client(), ["tracing-platform-root"]);
  // Two of the root's refresh periods: self-heal would have put it back by then.
  await new Promise((resolve) => setTimeout(resolve, 2 * RESYNC_SECONDS * 1000 + 2_000));
  assert.is(await automatedOf(), undefined, "the root turned the tempo app's automated sync back on");
  const root = (await apps()).find((a) => a.metadata.name === "tracing-platform-root");
  assert.is(root?.status?.sync?.status, "Synced", "the paused app made the root OutOfSync");
  // Resuming is the same edit back, as the runbook says.
  await patch({ prune: true, selfHeal: true, allowEmpty: false });
  assert.ok(await automatedOf());
});

test("a committed model change is synced (dev retention 72h → 96h)", async () => {
  await publish("dev: keep traces 96 h", (text) => text.replace("retentionHours: 72", "retentionHours: 96"));
  await eventually("the Tempo config on the cluster says 96h", FOLLOW_MS, async () => {
    const config = (await client().get("/api/v1/namespaces/tempo/configmaps/tempo-config")) as {
      data: Record<string, string>;
    };
    return Object.values(config.data).some((v) => /block_retention: 96h/.test(v)) ? true : undefined;
  });
  await eventually("every Application Synced and Healthy again", FOLLOW_MS, async () =>
    converged(await apps()) ? true : undefined,
  );
});

test("an object the model no longer renders is pruned (metrics-generator off → its egress policy goes)", async () => {
  const policy = "/apis/networking.k8s.io/v1/namespaces/tempo/networkpolicies/tempo-remote-write-egress";
  assert.is((await client().request("GET", policy)).status, 200);
  await publish("dev: metrics-generator off", (text) =>
    text.replace(/^ {2}tempo: \{$/m, "  tempo: {\n    metricsGenerator: { enabled: false },"),
  );
  await eventually("the NetworkPolicy is pruned", FOLLOW_MS, async () =>
    (await client().request("GET", policy)).status === 404 ? true : undefined,
  );
});

test("an immutable change fails the sync exactly as the live upgrade check predicts", async () => {
  const running = renderedObjects();
  const edit = (text: string) => text.replace('volumeSize: "10Gi"', 'volumeSize: "20Gi"');
  writeFileSync(model(), edit(readFileSync(model(), "utf8")));
  // generate names the risk and refuses it unacknowledged (generators/impact).
  const refused = runGenerate(state.scratch, "--env", ENV);
  assert.is(refused.status, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /immutable-field@dev\/StatefulSet\/tempo needs an acknowledgement/);
  const run = runGenerate(
    state.scratch,
    "--env",
    ENV,
    "--acknowledge",
    "immutable-field@dev/StatefulSet/tempo: the test wants the refused sync",
  );
  assert.is(run.status, 0, run.stdout + run.stderr);
  const minor = clusterKubernetesVersion(state.scratch, ENV) as string;
  const prediction = await runLivePhase({
    root: ROOT,
    clusters: [
      { environment: ENV, minor, objects: renderedObjects(), base: { label: "the synced revision", objects: running } },
    ],
  });
  const predicted = prediction.findings.filter((f) => f.rule === LIVE_RULES.upgradeRefused);
  assert.equal(
    predicted.map((f) => `${f.kind}/${f.name} ${f.path}`),
    ["StatefulSet/tempo spec.volumeClaimTemplates"],
  );
  await publish("dev: grow Tempo's volume to 20Gi");
  const failure = await eventually("Argo CD's sync of tempo fails on the StatefulSet", FOLLOW_MS, async () => {
    const tempo = (await apps()).find((a) => a.metadata.name === "tempo");
    const resource = tempo?.status?.operationState?.syncResult?.resources?.find(
      (r) => r.kind === "StatefulSet" && r.name === "tempo",
    );
    const text = `${tempo?.status?.operationState?.message ?? ""} ${resource?.message ?? ""}`;
    return /updates to statefulset spec for fields other than/.test(text) ? text : undefined;
  });
  // The same refusal, in the API server's own words, in both places.
  const words = "updates to statefulset spec for fields other than 'replicas'";
  assert.ok(failure.includes(words), failure);
  assert.ok(predicted[0]?.message.includes(words), predicted[0]?.message);
});

test.run();
