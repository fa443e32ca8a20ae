import { test } from "uvu";
import * as assert from "uvu/assert";
import prodInput from "../../clusters/prod/cluster.ts";
import { resolveCluster } from "../model/validate.ts";
import { type AppFolder, ARGOCD_FOLDER, argocdObjects, ROOT_APPLICATION } from "./argocd.ts";
import type { KubeObject } from "./objects.ts";

const prod = resolveCluster(prodInput, "clusters/prod/cluster.ts", "prod");
const folders: AppFolder[] = [
  { name: "namespaces", namespace: "tempo", wave: -1, autoscaled: [] },
  {
    name: "tempo",
    namespace: "tempo",
    wave: 0,
    autoscaled: [{ group: "apps", kind: "Deployment", name: "tempo-querier", namespace: "tempo" }],
  },
  { name: "otel-collector", namespace: "otel-collector", wave: 1, autoscaled: [] },
];
const clusterScoped = [
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  { group: "", kind: "Namespace" },
];
const objects = argocdObjects(prod, folders, ["tempo", "otel-collector"], clusterScoped);
// biome-ignore lint/suspicious/noExplicitAny: Argo CD specs are read as untyped YAML in these assertions
const spec = (object: KubeObject) => object.spec as Record<string, any>;
const byName = (name: string) => objects.find((o) => o.metadata.name === name) as KubeObject;
const applications = objects.filter((o) => o.kind === "Application");

test("two AppProjects, one root Application and one Application per folder", () => {
  assert.equal(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      "AppProject/tracing-platform",
      "AppProject/tracing-platform-bootstrap",
      `Application/${ROOT_APPLICATION}`,
      "Application/namespaces",
      "Application/tempo",
      "Application/otel-collector",
    ],
  );
  assert.is(spec(byName(ROOT_APPLICATION)).source.path, `clusters/prod/${ARGOCD_FOLDER}`);
  assert.is(spec(byName("tempo")).source.path, "clusters/prod/tempo");
});

test("the project: our repository only, platform namespaces only, the minimal cluster-scoped whitelist", () => {
  const project = spec(byName("tracing-platform"));
  assert.equal(project.sourceRepos, ["https://github.com/greenlang/obs-003-tracing-platform.git"]);
  assert.equal(
    project.destinations.map((d: { namespace: string }) => d.namespace),
    ["otel-collector", "tempo"],
  );
  assert.equal(project.clusterResourceWhitelist, [
    { group: "", kind: "Namespace" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  ]);
  // An empty list would deny every namespaced kind; the key must be absent.
  assert.not.ok("namespaceResourceWhitelist" in project);
});

test("the root alone may write into argocd, and only Argo CD objects", () => {
  assert.is(spec(byName(ROOT_APPLICATION)).project, "tracing-platform-bootstrap");
  const bootstrap = spec(byName("tracing-platform-bootstrap"));
  assert.equal(bootstrap.destinations, [{ server: "https://kubernetes.default.svc", namespace: "argocd" }]);
  assert.equal(bootstrap.namespaceResourceWhitelist, [
    { group: "argoproj.io", kind: "AppProject" },
    { group: "argoproj.io", kind: "Application" },
  ]);
  assert.not.ok("clusterResourceWhitelist" in bootstrap);
  for (const app of applications.filter((a) => a.metadata.name !== ROOT_APPLICATION)) {
    assert.is(spec(app).project, "tracing-platform");
    assert.is.not(spec(app).destination.namespace, "argocd");
  }
});

test("the root leaves an app's automated sync alone, so on-call can pause one app", () => {
  const root = spec(byName(ROOT_APPLICATION));
  assert.equal(root.ignoreDifferences, [
    { group: "argoproj.io", kind: "Application", jsonPointers: ["/spec/syncPolicy/automated"] },
  ]);
  // Ignoring the difference only hides it; respecting it keeps a sync from writing it back.
  assert.ok(root.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"));
});

test("Applications: automated prune and self-heal, no cascade-deleting finalizer, server only", () => {
  for (const app of applications) {
    const s = spec(app);
    assert.equal(s.syncPolicy.automated, { prune: true, selfHeal: true, allowEmpty: false }, app.metadata.name);
    assert.not.ok("finalizers" in app.metadata, app.metadata.name);
    assert.is(s.destination.server, "https://kubernetes.default.svc");
    assert.not.ok("name" in s.destination, app.metadata.name);
    assert.is(s.source.targetRevision, "env/prod");
  }
});

test("prod: every Application, root included, follows the promoted branch; only promotion changes what prod runs", () => {
  assert.equal([...new Set(applications.map((app) => spec(app).source.targetRevision))], ["env/prod"]);
});

test("prod: the sync window holds the child apps of each project by name, never the root", () => {
  const windows = spec(byName("tracing-platform")).syncWindows;
  assert.equal(windows, [
    {
      kind: "allow",
      schedule: "0 9 * * 1-4",
      duration: "7h",
      timeZone: "Europe/Dublin",
      manualSync: true,
      applications: ["namespaces", "otel-collector", "tempo"],
    },
  ]);
  assert.not.ok("syncWindows" in spec(byName("tracing-platform-bootstrap")));
});

test("no sync window in the model: no syncWindows key (Argo CD stores none, and would diff an empty list)", () => {
  const open = { ...prod, argocd: { ...prod.argocd, syncWindows: [] } };
  for (const object of argocdObjects(open, folders, ["tempo", "otel-collector"], clusterScoped))
    if (object.kind === "AppProject") assert.not.ok("syncWindows" in spec(object), object.metadata.name);
});

test("sync waves: project, then namespaces, then Tempo, then the Collector", () => {
  const wave = (name: string) =>
    Number((byName(name).metadata.annotations as Record<string, string>)["argocd.argoproj.io/sync-wave"]);
  assert.ok(wave("tracing-platform") < wave("namespaces"));
  assert.ok(wave("namespaces") < wave("tempo"));
  assert.ok(wave("tempo") < wave("otel-collector"));
});

test("HPA-scaled workloads: Argo CD ignores their replicas, and only theirs", () => {
  const tempo = spec(byName("tempo"));
  assert.equal(tempo.ignoreDifferences, [
    { group: "apps", kind: "Deployment", name: "tempo-querier", namespace: "tempo", jsonPointers: ["/spec/replicas"] },
  ]);
  assert.ok(tempo.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"));
  const collector = spec(byName("otel-collector"));
  assert.not.ok("ignoreDifferences" in collector);
  assert.not.ok(collector.syncPolicy.syncOptions.includes("RespectIgnoreDifferences=true"));
});

test.run();
