// renderCluster with the fixture chart standing in for the real ones: the folder layout, the
// kustomizations, the Argo CD objects derived from what was rendered, and the namespace guard.
import { test } from "uvu";
import * as assert from "uvu/assert";
import stagingInput from "../../clusters/staging/cluster.ts";
import { CHART_APPS, type ChartApp } from "../apps.ts";
import { resolveCluster } from "../model/validate.ts";
import { REPO } from "../tests/scratch.ts";
import { GRAFANA_FOLDER, renderCluster } from "./cluster.ts";
import { RenderError } from "./render-app.ts";
import { parseDocuments } from "./yaml.ts";

const staging = resolveCluster(stagingInput, "clusters/staging/cluster.ts", "staging");
const probe = (values: Record<string, unknown>): ChartApp => ({
  name: "probe",
  release: "probe",
  chart: "generators/tests/fixtures/charts/probe",
  namespace: "tempo",
  wave: 0,
  values: () => values,
});

test("lays out namespaces/, the app folder and argocd/, each with a kustomization listing its files, the tfvars and the Grafana values", async () => {
  const output = await renderCluster(REPO, staging, [probe({})]);
  assert.equal(output.folders, ["namespaces", "probe", "argocd", GRAFANA_FOLDER]);
  const paths = [...output.files.keys()];
  assert.ok(paths.includes("terraform/environments/staging/cluster.auto.tfvars.json"));
  // grafana/ is no Argo CD app: only the values fragment, no kustomization.
  assert.equal(
    paths.filter((p) => p.startsWith(`clusters/staging/${GRAFANA_FOLDER}/`)),
    ["clusters/staging/grafana/datasources.values.yaml"],
  );
  for (const folder of output.folders.filter((f) => f !== GRAFANA_FOLDER)) {
    const kustomization = parseDocuments(
      output.files.get(`clusters/staging/${folder}/kustomization.yaml`) ?? "",
      folder,
    )[0];
    const listed = (kustomization?.resources as string[]) ?? [];
    const present = paths
      .filter((p) => p.startsWith(`clusters/staging/${folder}/`) && !p.endsWith("/kustomization.yaml"))
      .map((p) => p.slice(`clusters/staging/${folder}/`.length));
    assert.equal(listed, present.sort(), folder);
  }
});

test("the AppProject whitelists exactly the cluster-scoped kinds rendered", async () => {
  const output = await renderCluster(REPO, staging, [probe({})]);
  const project = parseDocuments(
    output.files.get("clusters/staging/argocd/appproject-tracing-platform.yaml") ?? "",
    "p",
  )[0];
  assert.equal((project?.spec as Record<string, unknown> | undefined)?.clusterResourceWhitelist, [
    { group: "", kind: "Namespace" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  ]);
});

test("refuses an object outside the platform's namespaces", async () => {
  try {
    await renderCluster(REPO, staging, [probe({ configMapNamespace: "default" })]);
    assert.unreachable("rendered into default");
  } catch (error) {
    assert.instance(error, RenderError);
    assert.is(
      (error as Error).message,
      'cluster staging, chart generators/tests/fixtures/charts/probe: ConfigMap probe is in namespace "default"; the platform deploys only into tempo, otel-collector',
    );
  }
});

test("the observability app gets a project of its own: the monitoring stack's namespaces, its kinds, nothing else", async () => {
  const observability = CHART_APPS.find((app) => app.name === "observability") as ChartApp;
  const output = await renderCluster(REPO, staging, [observability]);
  const read = (file: string) =>
    parseDocuments(output.files.get(`clusters/staging/argocd/${file}`) ?? "", file)[0] as {
      spec: Record<string, unknown>;
    };
  const own = read("appproject-tracing-platform-observability.yaml").spec;
  assert.equal(
    (own.destinations as { namespace: string }[]).map((d) => d.namespace),
    ["grafana", "monitoring"],
  );
  assert.equal(own.namespaceResourceWhitelist, [
    { group: "", kind: "ConfigMap" },
    { group: "monitoring.coreos.com", kind: "PrometheusRule" },
  ]);
  assert.is(own.clusterResourceWhitelist, undefined, "no cluster-scoped kind");
  assert.is(own.orphanedResources, undefined, "the monitoring stack's own objects are not reported as orphans");
  const platform = read("appproject-tracing-platform.yaml").spec;
  const platformNamespaces = (platform.destinations as { namespace: string }[]).map((d) => d.namespace);
  assert.not.ok(
    platformNamespaces.includes("monitoring") || platformNamespaces.includes("grafana"),
    platformNamespaces.join(),
  );
  assert.is(read("application-observability.yaml").spec.project, "tracing-platform-observability");
  assert.not.ok(
    [...output.files.keys()].some((p) => /namespace-(monitoring|grafana)\.yaml$/.test(p)),
    "never created",
  );
});

test("an app with foreign namespaces that renders anything else there is refused", async () => {
  try {
    await renderCluster(REPO, staging, [
      { ...probe({ configMapNamespace: "monitoring" }), foreignNamespaces: () => ["monitoring"] },
    ]);
    assert.unreachable("rendered a cluster-scoped object in a foreign-namespace app");
  } catch (error) {
    assert.instance(error, RenderError);
    assert.match(
      (error as Error).message,
      /must be namespaced in monitoring \(the app's project admits nothing else\)/,
    );
  }
});

test.run();
