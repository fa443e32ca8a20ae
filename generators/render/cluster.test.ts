// renderCluster with the fixture chart standing in for the real ones: the folder layout, the
// kustomizations, the Argo CD objects derived from what was rendered, and the namespace guard.
import { test } from "uvu";
import * as assert from "uvu/assert";
import stagingInput from "../../clusters/staging/cluster.ts";
import type { ChartApp } from "../apps.ts";
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

test("an app's foreign namespaces (the monitoring stack's) are admitted as destinations, never created", async () => {
  const output = await renderCluster(REPO, staging, [
    { ...probe({ configMapNamespace: "monitoring" }), foreignNamespaces: () => ["monitoring"] },
  ]);
  const project = parseDocuments(
    output.files.get("clusters/staging/argocd/appproject-tracing-platform.yaml") ?? "",
    "p",
  )[0];
  const spec = project?.spec as { destinations?: { namespace: string }[] } | undefined;
  const destinations = (spec?.destinations ?? []).map((d) => d.namespace);
  assert.ok(destinations.includes("monitoring"), destinations.join(", "));
  assert.not.ok([...output.files.keys()].some((p) => p.endsWith("namespace-monitoring.yaml")));
  try {
    await renderCluster(REPO, staging, [probe({ configMapNamespace: "monitoring" })]);
    assert.unreachable("another app rendered into monitoring");
  } catch (error) {
    assert.instance(error, RenderError);
  }
});

test.run();
