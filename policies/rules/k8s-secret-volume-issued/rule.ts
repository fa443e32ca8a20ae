import { objectRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { isWorkload, list, obj, podSpec } from "../../engine/workloads.ts";

/** Secret names the scope creates in a namespace: Secrets themselves and cert-manager Certificates' `spec.secretName`. */
function issued(all: readonly K8sObject[], namespace: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const o of all) {
    if (o.namespace !== namespace) continue;
    if (o.kind === "Secret" && o.apiVersion === "v1") names.add(o.name);
    if (o.kind === "Certificate" && o.apiVersion.startsWith("cert-manager.io/")) {
      const secretName = obj(o.body.spec).secretName;
      if (typeof secretName === "string") names.add(secretName);
    }
  }
  return names;
}

/** Every Secret the pod needs to start: non-optional secret volumes and projected secret sources. */
function mountedSecrets(volumes: unknown[], path: string): { name: string; path: string }[] {
  return volumes.flatMap((v, i) => {
    const volume = obj(v);
    const secret = obj(volume.secret);
    const direct =
      typeof secret.secretName === "string" && secret.optional !== true
        ? [{ name: secret.secretName, path: `${path}[${i}].secret.secretName` }]
        : [];
    const projected = list(obj(volume.projected).sources).flatMap((s, j) => {
      const source = obj(obj(s).secret);
      return typeof source.name === "string" && source.optional !== true
        ? [{ name: source.name, path: `${path}[${i}].projected.sources[${j}].secret.name` }]
        : [];
    });
    return [...direct, ...projected];
  });
}

export default objectRule({
  id: "k8s-secret-volume-issued",
  severity: "error",
  title: "Every Secret a pod mounts is rendered or issued by a rendered Certificate",
  rationale:
    "A pod that mounts a Secret nothing creates never starts (ContainerCreating, FailedMount) and Git shows no error: the TLS Secret of prod's Collector was such a Secret until a Certificate issued it.",
  remediation:
    "Render what creates the Secret in the same namespace: a cert-manager Certificate whose spec.secretName is the volume's Secret (collector.tls.certManager in the model), or the Secret itself. A Secret made outside Git (an operator, a sealed or external secret) is waived on the workload, naming what creates it.",
  applies: isWorkload,
  each(object, all) {
    const pod = podSpec(object);
    if (!pod) return [];
    const known = issued(all, object.namespace);
    const out: Violation[] = [];
    for (const secret of mountedSecrets(list(pod.spec.volumes), `${pod.path}.volumes`)) {
      if (known.has(secret.name)) continue;
      out.push({
        path: secret.path,
        message: `Secret "${secret.name}" is neither rendered nor the secretName of a Certificate in namespace ${object.namespace}`,
      });
    }
    return out;
  },
});
