// The dev cluster: one monolithic Tempo (-target=all) with its blocks on a PVC.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertHardenedPod, assertLabelled, selectsAWorkload, targetOf } from "./pods.ts";
import { at, ciValuesOf, find, maybeFind, ofKind, renderMode, tempoConfig, workloads } from "./render.ts";

const objects = renderMode("dev");
const cluster = { name: "greenlang-dev-euw1", environment: "dev" };

test("exactly one Tempo workload: the StatefulSet tempo running -target=all", () => {
  const all = workloads(objects);
  assert.equal(
    all.map((w) => `${w.kind}/${w.metadata.name}`),
    ["StatefulSet/tempo"],
  );
  const tempo = find(objects, "StatefulSet", "tempo");
  assert.is(targetOf(tempo), "all");
  assert.is(tempo.spec.replicas, 1);
});

test("no distributed component is rendered", () => {
  const components = new Set(workloads(objects).map((w) => w.metadata.labels?.["app.kubernetes.io/component"]));
  for (const c of ["distributor", "ingester", "querier", "query-frontend", "compactor", "metrics-generator"]) {
    assert.not.ok(components.has(c), `dev renders ${c}`);
  }
  assert.is(maybeFind(objects, "Service", "tempo-gossip-ring"), undefined, "monolithic needs no memberlist");
  assert.is(ofKind(objects, "HorizontalPodAutoscaler").length, 0);
  // A single pod gets no PDB: one that can never be met would block node drains.
  assert.is(ofKind(objects, "PodDisruptionBudget").length, 0);
});

test("blocks live on a PVC mounted at /var/tempo, with the local backend", () => {
  const tempo = find(objects, "StatefulSet", "tempo");
  const [claim] = tempo.spec.volumeClaimTemplates;
  assert.is(claim.metadata.name, "data");
  const { persistence } = ciValuesOf("dev").monolithic;
  assert.is(claim.spec.resources.requests.storage, persistence.size);
  assert.is(claim.spec.storageClassName, persistence.storageClass);
  const mount = tempo.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === "data");
  assert.is(mount.mountPath, "/var/tempo");
  const config = tempoConfig(objects);
  assert.is(at(config, "storage.trace.backend"), "local");
  assert.is(at(config, "storage.trace.local.path"), "/var/tempo/blocks");
  assert.is(at(config, "storage.trace.wal.path"), "/var/tempo/wal");
  assert.is(at(config, "storage.trace.s3"), undefined);
  assert.is(at(config, "memberlist"), undefined);
});

test("the tempo Service serves OTLP (4317/4318) and the query API (3200) and selects the pod", () => {
  const service = find(objects, "Service", "tempo");
  const ports = Object.fromEntries(service.spec.ports.map((p: { name: string; port: number }) => [p.name, p.port]));
  assert.equal(ports, { "http-metrics": 3200, grpc: 9095, "otlp-grpc": 4317, "otlp-http": 4318 });
  for (const s of ofKind(objects, "Service"))
    assert.ok(selectsAWorkload(s, workloads(objects)), `${s.metadata.name} selects nothing`);
});

test("the pod is hardened and every object carries the recommended and cluster labels", () => {
  assertHardenedPod(find(objects, "StatefulSet", "tempo"));
  for (const o of objects) assertLabelled(o, cluster);
});

test("the service account carries no IRSA role (local disk needs none)", () => {
  const sa = find(objects, "ServiceAccount", "tempo");
  assert.is(sa.metadata.annotations?.["eks.amazonaws.com/role-arn"], undefined);
  assert.is(sa.automountServiceAccountToken, false);
});

test("no S3 egress is opened for the local backend; DNS, OTLP and query flows are", () => {
  const names = ofKind(objects, "NetworkPolicy").map((p) => p.metadata.name);
  assert.not.ok(names.includes("tempo-object-storage-egress"));
  for (const n of ["tempo-default-deny", "tempo-dns-egress", "tempo-otlp-ingress", "tempo-query-ingress"]) {
    assert.ok(names.includes(n), `missing NetworkPolicy ${n}`);
  }
  const otlp = find(objects, "NetworkPolicy", "tempo-otlp-ingress");
  assert.is(otlp.spec.podSelector.matchLabels["app.kubernetes.io/component"], "tempo");
});

test("the ServiceMonitor labels series job=tempo/tempo and cluster=<cluster name>", () => {
  const monitor = find(objects, "ServiceMonitor", "tempo");
  const relabel = monitor.spec.endpoints[0].relabelings;
  assert.equal(
    relabel.map((r: { targetLabel: string; replacement: string }) => [r.targetLabel, r.replacement]),
    [
      ["job", "tempo/tempo"],
      ["cluster", cluster.name],
    ],
  );
});

test.run();
