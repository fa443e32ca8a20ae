import { objectRule } from "../../engine/define.ts";
import type { K8sObject } from "../../engine/types.ts";
import { isWorkload, list, obj, podSpec } from "../../engine/workloads.ts";

/** A service account needs its API token when a RoleBinding or ClusterRoleBinding grants it something. */
function hasRbac(serviceAccount: string, namespace: string, all: readonly K8sObject[]): boolean {
  return all.some(
    (o) =>
      (o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding") &&
      list(o.body.subjects).some((s) => {
        const subject = obj(s);
        return (
          subject.kind === "ServiceAccount" &&
          subject.name === serviceAccount &&
          (subject.namespace ?? o.namespace) === namespace
        );
      }),
  );
}

export default objectRule({
  id: "k8s-service-account-token",
  severity: "error",
  title: "The service-account token is mounted only where the pod uses the API",
  rationale: "A mounted token is a credential for the Kubernetes API; pods that never call it should not carry one.",
  remediation:
    "Set automountServiceAccountToken: false on the pod (or its ServiceAccount). Pods whose ServiceAccount is bound to a Role may keep it.",
  applies: isWorkload,
  each(object, all) {
    const pod = podSpec(object);
    if (!pod) return [];
    const serviceAccount = String(pod.spec.serviceAccountName ?? "default");
    const account = all.find(
      (o) => o.kind === "ServiceAccount" && o.name === serviceAccount && o.namespace === object.namespace,
    );
    const mounted = pod.spec.automountServiceAccountToken ?? account?.body.automountServiceAccountToken ?? true;
    if (mounted === false || hasRbac(serviceAccount, object.namespace, all)) return [];
    return [
      {
        path: `${pod.path}.automountServiceAccountToken`,
        message: `the pod mounts the token of service account "${serviceAccount}", which no RoleBinding uses`,
      },
    ];
  },
});
