// The live phase of the gate (`npm run validate -- --live [--base <ref>]`): every cluster is
// applied to a real kube-apiserver of its Kubernetes minor, started for this run on loopback.
//
// Per cluster: the CRDs the tree uses (schemas/generated/crd-manifests.json, the same controller-gen run
// as the strict schemas), the namespaces with their Pod Security labels (and the ones the tree
// only points into, such as argocd, as bare prerequisites), then every other object by
// server-side apply — a strict dry run (any refusal or admission warning is a finding), the real
// apply, and a second apply that must change nothing. With a base revision, the base tree is
// applied for real first, so the dry run of the new tree meets the running cluster it will meet
// after the merge: an immutable field that changed fails there, as it will fail every sync.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CRD_MANIFESTS } from "../../schemas/build.ts";
import { waitFor } from "../../scripts/process.ts";
import { limited } from "../config/checks.ts";
import { isKustomization } from "../engine/load.ts";
import type { Finding, K8sObject } from "../engine/types.ts";
import { type ApiServer, type Etcd, liveWorkDir, makeCredentials, startApiServer, startEtcd } from "./controlplane.ts";
import {
  changedPaths,
  LIVE_RULES,
  notIdempotentFinding,
  refusalFindings,
  upgradeFindings,
  warningFindings,
} from "./findings.ts";
import type { KubeClient } from "./kube.ts";
import { apiServerTool, binDir, ETCD_TOOL, ensureTools, hasApiServer } from "./tools.ts";

/** Requests in flight per API server: enough to keep it busy, few enough for a 2-core machine. */
const CONCURRENCY = 8;
const CRD_TIMEOUT_MS = 30_000;

export interface LiveCluster {
  environment: string;
  /** Kubernetes minor of the cluster model ("1.33"). */
  minor: string;
  /** Every object of the cluster's tree (the live phase applies the whole cluster). */
  objects: readonly K8sObject[];
  /** The running cluster: a base revision's tree (label names the revision), applied first. */
  base?: LiveBase;
}

export interface LiveBase {
  label: string;
  objects: readonly K8sObject[];
}

export interface LiveOptions {
  /** The repository: its tools/ build the binaries, schemas/generated/ holds the CRDs. */
  root: string;
  clusters: readonly LiveCluster[];
}

export interface LiveResult {
  findings: Finding[];
  notes: string[];
  /** Milliseconds: tools, etcd, then per cluster start, crds, apply. */
  timings: Record<string, number>;
}

export interface CrdManifest {
  metadata: { name: string };
  spec: { group: string; names: { kind: string }; versions: { name: string }[] };
}

export function readCrds(root: string): CrdManifest[] {
  return (
    JSON.parse(readFileSync(join(root, "schemas", "generated", CRD_MANIFESTS), "utf8")) as { items: CrdManifest[] }
  ).items;
}

const keyOf = (o: { apiVersion: string; kind: string; namespace: string; name: string }): string =>
  `${o.apiVersion.split("/")[0]}/${o.kind}/${o.namespace}/${o.name}`;

export async function installCrds(
  client: KubeClient,
  crds: readonly CrdManifest[],
  objects: readonly K8sObject[],
): Promise<void> {
  const used = new Set(objects.map((o) => `${o.apiVersion.split("/")[0]}/${o.kind}`));
  const needed = crds.filter((crd) => used.has(`${crd.spec.group}/${crd.spec.names.kind}`));
  for (const crd of needed) {
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    const response = await client.apply(path, crd, { dryRun: false });
    if (response.status >= 300)
      throw new Error(
        `installing CRD ${crd.metadata.name} failed: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 400)}`,
      );
  }
  for (const crd of needed) {
    const version = crd.spec.versions[0]?.name ?? "v1";
    await waitFor(
      `CRD ${crd.metadata.name} established and served`,
      async () => {
        client.forgetDiscovery();
        return (await client.resource(`${crd.spec.group}/${version}`, crd.spec.names.kind)) ? true : undefined;
      },
      { timeoutMs: CRD_TIMEOUT_MS, intervalMs: 100 },
    );
  }
}

interface Applied {
  object: K8sObject;
  status: number;
  body: unknown;
  warnings: string[];
}

async function applyAll(client: KubeClient, objects: readonly K8sObject[], dryRun: boolean): Promise<Applied[]> {
  return limited(
    objects.map((object) => async (): Promise<Applied> => {
      const path = await client.path(object);
      if (!path)
        return {
          object,
          status: 404,
          body: {
            message: `the server does not serve ${object.apiVersion} ${object.kind} (no CRD or built-in kind of that name)`,
          },
          warnings: [],
        };
      // The manifest as it is in the file: the parsed document, nothing added.
      const response = await client.apply(path, object.body, { dryRun });
      return { object, ...response };
    }),
    CONCURRENCY,
  );
}

/** Namespaces the tree puts objects into without creating them (Argo CD's, for one). */
function prerequisiteNamespaces(objects: readonly K8sObject[]): string[] {
  const created = new Set(objects.filter((o) => o.kind === "Namespace").map((o) => o.name));
  return [...new Set(objects.map((o) => o.namespace).filter((ns) => ns && !created.has(ns)))].sort();
}

export async function createNamespaces(client: KubeClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const response = await client.apply(
      `/api/v1/namespaces/${name}`,
      { apiVersion: "v1", kind: "Namespace", metadata: { name } },
      { dryRun: false },
    );
    if (response.status >= 300) throw new Error(`creating namespace ${name} failed: HTTP ${response.status}`);
  }
}

const ok = (a: Applied): boolean => a.status >= 200 && a.status < 300;
const resourceVersion = (body: unknown): string | undefined =>
  (body as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;

/**
 * The three applies of one set of objects: a strict dry run (refusals and admission warnings are
 * findings), the real apply of what the dry run accepted, and a second apply that must leave each
 * object's resourceVersion as it was.
 */
async function applyChecked(
  client: KubeClient,
  objects: readonly K8sObject[],
  server: string,
  refused: (a: Applied) => Finding[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const dry = await applyAll(client, objects, true);
  for (const a of dry) {
    if (!ok(a)) findings.push(...refused(a));
    findings.push(...warningFindings(a.object, a.warnings, server));
  }
  const accepted = dry.filter(ok).map((a) => a.object);
  const real = await applyAll(client, accepted, false);
  for (const a of real) if (!ok(a)) findings.push(...refusalFindings(a.object, a.status, a.body, server));
  const stored = real.filter(ok);
  const again = await applyAll(
    client,
    stored.map((a) => a.object),
    false,
  );
  again.forEach((a, i) => {
    const first = stored[i] as Applied;
    if (!ok(a)) findings.push(...refusalFindings(a.object, a.status, a.body, server));
    else if (resourceVersion(a.body) !== resourceVersion(first.body))
      findings.push(notIdempotentFinding(a.object, changedPaths(first.body, a.body), server));
  });
  return findings;
}

const IMMUTABLE = /immutable|Forbidden: updates to|may not (be )?change|cannot be changed|field is immutable/i;

async function checkCluster(
  cluster: LiveCluster,
  apiServer: ApiServer,
  crds: readonly CrdManifest[],
  /** Prerequisite namespace → the clusters it was made for (one note for all of them). */
  made: Map<string, string[]>,
  notes: string[],
  timings: Record<string, number>,
): Promise<Finding[]> {
  const { client, version: server } = apiServer;
  const env = cluster.environment;
  const base = cluster.base;
  const objects = cluster.objects.filter((o) => !isKustomization(o));
  const baseTree = base?.objects.filter((o) => !isKustomization(o)) ?? [];
  let mark = performance.now();
  const lap = (phase: string): void => {
    timings[`${env}:${phase}`] = Math.round(performance.now() - mark);
    mark = performance.now();
  };
  await installCrds(client, crds, [...objects, ...baseTree]);
  const prerequisites = prerequisiteNamespaces([...objects, ...baseTree]);
  await createNamespaces(client, prerequisites);
  for (const name of prerequisites) made.set(name, [...(made.get(name) ?? []), env]);
  lap("crds");

  // The running cluster: the base tree, applied for real. What it cannot apply is its own problem,
  // said in a note; the upgrade check covers what it did apply.
  const running = new Map<string, K8sObject>();
  if (base) {
    const namespaces = baseTree.filter((o) => o.kind === "Namespace");
    const rest = baseTree.filter((o) => o.kind !== "Namespace");
    const applied = [...(await applyAll(client, namespaces, false)), ...(await applyAll(client, rest, false))];
    for (const a of applied) {
      if (ok(a)) running.set(keyOf(a.object), a.object);
      else
        notes.push(
          `live ${env}: ${base.label} ${a.object.kind}/${a.object.name} (${a.object.file}) could not be applied as the running cluster (HTTP ${a.status}); the upgrade check does not cover it`,
        );
    }
    lap("base");
  }

  const refused = (a: Applied): Finding[] => {
    const previous = running.get(keyOf(a.object));
    const message = JSON.stringify(a.body);
    if (base && previous && IMMUTABLE.test(message))
      return upgradeFindings(a.object, previous, a.status, a.body, server, base.label);
    return refusalFindings(a.object, a.status, a.body, server);
  };
  const namespaces = objects.filter((o) => o.kind === "Namespace");
  const findings = await applyChecked(client, namespaces, server, refused);
  findings.push(
    ...(await applyChecked(
      client,
      objects.filter((o) => o.kind !== "Namespace"),
      server,
      refused,
    )),
  );
  lap("apply");
  return findings;
}

/** A finding on the model when its Kubernetes minor has no API server in tools/. */
function versionFinding(cluster: LiveCluster): Finding {
  return {
    file: `clusters/${cluster.environment}/cluster.ts`,
    apiVersion: "",
    kind: "",
    namespace: "",
    name: "",
    path: "identity.kubernetesVersion",
    rule: LIVE_RULES.kubernetesVersion,
    severity: "error",
    message: `Kubernetes ${cluster.minor} has no API server for the live phase: tools/${apiServerTool(cluster.minor)}/ does not exist`,
    remediation: `Pin one: \`bash tools/kube-apiserver/new-minor.sh v${cluster.minor}.<patch>\`, then commit tools/${apiServerTool(cluster.minor)}/.`,
    waived: false,
  };
}

export async function runLivePhase(options: LiveOptions): Promise<LiveResult> {
  const { root } = options;
  const findings: Finding[] = [];
  const notes: string[] = [];
  const timings: Record<string, number> = {};
  const started = performance.now();
  const runnable = options.clusters.filter((cluster) => {
    if (hasApiServer(root, cluster.minor)) return true;
    findings.push(versionFinding(cluster));
    return false;
  });
  if (runnable.length === 0) return { findings, notes, timings };

  let mark = performance.now();
  const minors = [...new Set(runnable.map((c) => c.minor))].sort();
  ensureTools(root, [ETCD_TOOL, ...minors.map(apiServerTool)]);
  timings.tools = Math.round(performance.now() - mark);

  const crds = readCrds(root);
  const bin = binDir(root);
  const workDir = liveWorkDir();
  const made = new Map<string, string[]>();
  let etcd: Etcd | null = null;
  const servers: ApiServer[] = [];
  try {
    mark = performance.now();
    etcd = await startEtcd(join(bin, ETCD_TOOL), workDir);
    timings.etcd = Math.round(performance.now() - mark);
    const credentials = makeCredentials(workDir);
    // Settle every start before the finally below stops the servers: none may outlive the run.
    const perCluster = await Promise.allSettled(
      runnable.map(async (cluster) => {
        const begun = performance.now();
        const server = await startApiServer(join(bin, apiServerTool(cluster.minor)), {
          etcd: etcd as Etcd,
          credentials,
          prefix: cluster.environment,
          workDir,
        });
        servers.push(server);
        timings[`${cluster.environment}:start`] = Math.round(performance.now() - begun);
        return checkCluster(cluster, server, crds, made, notes, timings);
      }),
    );
    for (const outcome of perCluster) if (outcome.status === "rejected") throw outcome.reason;
    for (const outcome of perCluster) if (outcome.status === "fulfilled") findings.push(...outcome.value);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await etcd?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  for (const [name, environments] of made)
    notes.push(
      `live: namespace ${name} is used but not created by the tree (a prerequisite); it was made first for ${environments.sort().join(", ")}`,
    );
  timings.total = Math.round(performance.now() - started);
  return { findings, notes, timings };
}
