// Each risk rule on the smallest trees that show it, with the change that must stay quiet.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { toYaml } from "../render/yaml.ts";
import { computeImpact, type Tree } from "./model.ts";
import { bytes } from "./risks.ts";

const ENV = "prod";

function statefulSet(name: string, spec: Record<string, unknown>): string {
  return toYaml({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name, namespace: "tempo" }, spec });
}

function tree(files: Record<string, string>): Tree {
  return new Map(Object.entries(files));
}

const claim = (size: string) => [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } }];
const risks = (before: Tree, after: Tree) => computeImpact(before, after, ENV).risks.map((r) => r.id);
const file = "clusters/prod/tempo/statefulset-tempo-ingester.yaml";
const gateway = "clusters/prod/otel-collector/statefulset-otel-collector-gateway.yaml";

function collectorConfig(tls: Record<string, unknown> | undefined): string {
  const grpc = { endpoint: "0.0.0.0:4317", ...(tls ? { tls } : {}) };
  const http = { endpoint: "0.0.0.0:4318", ...(tls ? { tls } : {}) };
  return toYaml({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "otel-collector-front", namespace: "otel-collector" },
    data: { "config.yaml": toYaml({ receivers: { otlp: { protocols: { grpc, http } } } }) },
  });
}
const front = "clusters/prod/otel-collector/configmap-otel-collector-front.yaml";

test("clients-refused: TLS turned on, client certificates required, a higher TLS floor; not the reverse", () => {
  const server = { cert_file: "/t/tls.crt", key_file: "/t/tls.key", min_version: "1.2" };
  const id = "clients-refused@prod/ConfigMap/otel-collector-front";
  const change = (from: Record<string, unknown> | undefined, to: Record<string, unknown> | undefined) =>
    risks(tree({ [front]: collectorConfig(from) }), tree({ [front]: collectorConfig(to) }));
  assert.equal(change(undefined, server), [id], "plaintext clients refused");
  assert.equal(change(server, { ...server, client_ca_file: "/t/ca.crt" }), [id], "clients without a certificate");
  assert.equal(change(server, { ...server, min_version: "1.3" }), [id], "TLS 1.2 clients");
  assert.equal(change({ ...server, client_ca_file: "/t/ca.crt" }, server), [], "asking less refuses nobody");
  assert.equal(change(server, { ...server, reload_interval: "1h" }), []);
  const report = computeImpact(
    tree({ [front]: collectorConfig(server) }),
    tree({ [front]: collectorConfig({ ...server, client_ca_file: "/t/ca.crt" }) }),
    ENV,
  ).risks[0];
  assert.match(report?.summary ?? "", /no client certificate from the platform CA/);
  assert.match(report?.procedure ?? "", /docs\/prerequisites\.md/);
});

test("quantities compare across units", () => {
  assert.ok(bytes("100Gi") > bytes("50Gi"));
  assert.is(bytes("1Gi"), bytes("1024Mi"));
  assert.ok(bytes("1G") < bytes("1Gi"));
  assert.ok(Number.isNaN(bytes("lots")));
});

test("immutable-field: a StatefulSet's volumeClaimTemplates, serviceName or selector; not its replicas or template", () => {
  const before = tree({
    [file]: statefulSet("tempo-ingester", { replicas: 3, serviceName: "a", volumeClaimTemplates: claim("10Gi") }),
  });
  assert.equal(
    risks(
      before,
      tree({
        [file]: statefulSet("tempo-ingester", { replicas: 3, serviceName: "b", volumeClaimTemplates: claim("10Gi") }),
      }),
    ),
    ["immutable-field@prod/StatefulSet/tempo-ingester"],
  );
  assert.equal(
    risks(
      before,
      tree({
        [file]: statefulSet("tempo-ingester", {
          replicas: 4,
          serviceName: "a",
          volumeClaimTemplates: claim("10Gi"),
          template: { x: 1 },
        }),
      }),
    ),
    [],
  );
});

test("storage-shrink comes with the immutable change; growing is only the immutable change", () => {
  const before = tree({ [file]: statefulSet("tempo-ingester", { replicas: 3, volumeClaimTemplates: claim("10Gi") }) });
  assert.equal(
    risks(before, tree({ [file]: statefulSet("tempo-ingester", { replicas: 3, volumeClaimTemplates: claim("5Gi") }) })),
    ["immutable-field@prod/StatefulSet/tempo-ingester", "storage-shrink@prod/StatefulSet/tempo-ingester"],
  );
  assert.equal(
    risks(
      before,
      tree({ [file]: statefulSet("tempo-ingester", { replicas: 3, volumeClaimTemplates: claim("20Gi") }) }),
    ),
    ["immutable-field@prod/StatefulSet/tempo-ingester"],
  );
});

test("scale-down of any StatefulSet (ingesters, the Collector gateway's queue); scale-up is safe", () => {
  const gw = (replicas: number) => tree({ [gateway]: statefulSet("otel-collector-gateway", { replicas }) });
  assert.equal(risks(gw(3), gw(2)), ["scale-down@prod/StatefulSet/otel-collector-gateway"]);
  assert.match(computeImpact(gw(3), gw(2), ENV).risks[0]?.summary ?? "", /export queue/);
  assert.equal(risks(gw(2), gw(3)), []);
});

test("prune: a StatefulSet that leaves the tree (a rename too) stops its pods; a new one is safe", () => {
  const before = tree({ [file]: statefulSet("tempo-ingester", { replicas: 6 }) });
  const zoned = tree({
    "clusters/prod/tempo/statefulset-tempo-ingester-eu-west-1a.yaml": statefulSet("tempo-ingester-eu-west-1a", {
      replicas: 2,
    }),
  });
  assert.equal(risks(before, zoned), ["prune@prod/StatefulSet/tempo-ingester"]);
  const [risk] = computeImpact(before, zoned, ENV).risks;
  assert.match(risk?.summary ?? "", /tempo-ingester \(6 pods\) leaves the tree .* without flushing/);
  assert.match(risk?.procedure ?? "", /Prune=false.*\/shutdown.*delete statefulset tempo-ingester/);
  assert.equal(risks(tree({}), zoned), []);
  const gw = tree({ [gateway]: statefulSet("otel-collector-gateway", { replicas: 2 }) });
  assert.equal(risks(gw, tree({})), ["prune@prod/StatefulSet/otel-collector-gateway"]);
  assert.match(computeImpact(gw, tree({}), ENV).risks[0]?.procedure ?? "", /queues drain/);
});

test("immutable-field: a Deployment's selector", () => {
  const deployment = (app: string) =>
    tree({
      "clusters/prod/tempo/deployment-tempo-querier.yaml": toYaml({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "tempo-querier", namespace: "tempo" },
        spec: { selector: { matchLabels: { app } } },
      }),
    });
  assert.equal(risks(deployment("a"), deployment("b")), ["immutable-field@prod/Deployment/tempo-querier"]);
});

test("retention-shortened, read from Tempo's config; lengthening is safe", () => {
  const config = (retention: string) =>
    tree({
      "clusters/prod/tempo/configmap-tempo-config.yaml": toYaml({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "tempo-config", namespace: "tempo" },
        data: { "tempo.yaml": `compactor:\n  compaction:\n    block_retention: ${retention}\n` },
      }),
    });
  assert.equal(risks(config("336h"), config("168h")), ["retention-shortened@prod/tempo"]);
  assert.equal(risks(config("336h"), config("720h")), []);
  assert.equal(computeImpact(config("336h"), config("168h"), ENV).retention?.to, "168h");
});

test("terraform-replace: a bucket or role rename; a retention change is in place", () => {
  const tfvars = (vars: Record<string, unknown>) =>
    tree({ "terraform/environments/prod/cluster.auto.tfvars.json": JSON.stringify({ "//": "generated", ...vars }) });
  assert.equal(
    risks(tfvars({ bucket_name: "a", retention_hours: 1 }), tfvars({ bucket_name: "b", retention_hours: 2 })),
    ["terraform-replace@prod/bucket_name"],
  );
  const impact = computeImpact(tfvars({ retention_hours: 1 }), tfvars({ retention_hours: 2 }), ENV);
  assert.equal(impact.terraform, [{ key: "retention_hours", from: 1, to: 2, replaces: false }]);
});

test("created and pruned objects; kustomizations and values fragments are not objects", () => {
  const before = tree({
    "clusters/prod/tempo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
    "clusters/prod/grafana/datasources.values.yaml": "datasources: {}\n",
    [file]: statefulSet("tempo-ingester", { replicas: 3 }),
  });
  const after = tree({ [gateway]: statefulSet("otel-collector-gateway", { replicas: 2 }) });
  const impact = computeImpact(before, after, ENV);
  assert.equal(
    impact.created.map((r) => r.name),
    ["otel-collector-gateway"],
  );
  assert.equal(
    impact.pruned.map((r) => r.name),
    ["tempo-ingester"],
  );
});

test.run();
