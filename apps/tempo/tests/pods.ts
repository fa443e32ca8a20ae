// Assertions every rendered Tempo pod must satisfy, shared by the dev and distributed render tests.
import * as assert from "uvu/assert";
import type { K8sObject } from "./render.ts";

const RECOMMENDED_LABELS = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/component",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/managed-by",
];

export function assertLabelled(object: K8sObject, cluster: { name: string; environment: string }): void {
  const labels = object.metadata.labels ?? {};
  const where = `${object.kind}/${object.metadata.name}`;
  for (const key of RECOMMENDED_LABELS) assert.ok(labels[key], `${where} lacks label ${key}`);
  assert.is(labels["app.kubernetes.io/version"], "2.7.2", `${where} version label`);
  assert.is(labels["greenlang.io/cluster"], cluster.name, `${where} cluster label`);
  assert.is(labels["greenlang.io/environment"], cluster.environment, `${where} environment label`);
  assert.is(object.metadata.namespace, "tempo", `${where} namespace`);
}

/** The pod hardening the gate enforces, checked on the rendered pod template of a workload. */
export function assertHardenedPod(workload: K8sObject): void {
  const where = `${workload.kind}/${workload.metadata.name}`;
  const pod = workload.spec.template.spec;
  assert.is(pod.automountServiceAccountToken, false, `${where} mounts the API token`);
  assert.is(pod.serviceAccountName, "tempo", `${where} service account`);
  assert.is(pod.securityContext.runAsNonRoot, true, `${where} runAsNonRoot`);
  assert.is(pod.securityContext.runAsUser, 10001, `${where} runAsUser`);
  assert.is(pod.securityContext.fsGroup, 10001, `${where} fsGroup`);
  assert.is(pod.securityContext.seccompProfile?.type, "RuntimeDefault", `${where} pod seccomp`);
  for (const key of ["hostNetwork", "hostPID", "hostIPC"]) assert.not.ok(pod[key], `${where} sets ${key}`);
  assert.ok(
    (pod.volumes ?? []).every((v: Record<string, unknown>) => !("hostPath" in v)),
    `${where} uses hostPath`,
  );
  assert.is(pod.containers.length, 1, `${where} containers`);
  for (const container of pod.containers) {
    const sc = container.securityContext;
    const c = `${where} container ${container.name}`;
    assert.match(container.image, /^grafana\/tempo:2\.7\.2$/, `${c} image`);
    assert.is(sc.readOnlyRootFilesystem, true, `${c} readOnlyRootFilesystem`);
    assert.is(sc.allowPrivilegeEscalation, false, `${c} allowPrivilegeEscalation`);
    assert.is(sc.privileged, false, `${c} privileged`);
    assert.equal(sc.capabilities.drop, ["ALL"], `${c} capabilities`);
    assert.is(sc.seccompProfile?.type, "RuntimeDefault", `${c} seccomp`);
    assert.ok(container.resources?.requests?.cpu && container.resources?.requests?.memory, `${c} requests`);
    assert.ok(container.resources?.limits?.cpu && container.resources?.limits?.memory, `${c} limits`);
    assert.is(container.readinessProbe?.httpGet?.path, "/ready", `${c} readiness probe`);
    assert.ok(container.livenessProbe, `${c} liveness probe`);
    assert.ok(
      (container.ports ?? []).every((p: Record<string, unknown>) => !("hostPort" in p)),
      `${c} uses a hostPort`,
    );
    // Tempo writes only below /var/tempo; the root filesystem is read-only.
    const dataMount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/var/tempo");
    assert.ok(dataMount, `${c} has no writable /var/tempo`);
    assert.ok(container.args.includes("-config.file=/conf/tempo.yaml"), `${c} config file argument`);
  }
}

export function targetOf(workload: K8sObject): string | undefined {
  const args: string[] = workload.spec.template.spec.containers[0].args;
  return args.find((a) => a.startsWith("-target="))?.slice("-target=".length);
}

/** True when the Service's selector matches the pod template labels of some workload. */
export function selectsAWorkload(service: K8sObject, workloads: K8sObject[]): boolean {
  const selector: Record<string, string> = service.spec.selector ?? {};
  if (Object.keys(selector).length === 0) return false;
  return workloads.some((w) => {
    const labels: Record<string, string> = w.spec.template.metadata.labels ?? {};
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}
