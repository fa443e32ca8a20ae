import { scopeRule } from "../../engine/define.ts";
import type { K8sObject } from "../../engine/types.ts";
import { isWorkload, list, obj } from "../../engine/workloads.ts";

/** podSelector {} with Ingress in policyTypes and no ingress rule: nothing may connect unless allowed. */
export function isDefaultDeny(policy: K8sObject): boolean {
  const spec = obj(policy.body.spec);
  const selector = obj(spec.podSelector);
  const everyPod = Object.keys(obj(selector.matchLabels)).length === 0 && list(selector.matchExpressions).length === 0;
  return everyPod && list(spec.policyTypes).includes("Ingress") && list(spec.ingress).length === 0;
}

export default scopeRule({
  id: "k8s-default-deny-network-policy",
  severity: "error",
  title: "Every namespace with workloads has a default-deny NetworkPolicy",
  rationale:
    "Pods accept traffic from anywhere in the cluster until a policy selects them; allow-lists only mean something on top of a deny-all.",
  remediation:
    "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] and no rules in each namespace, then allow what is needed.",
  check(objects) {
    const out = [];
    const namespaces = new Map<string, K8sObject>();
    for (const object of objects)
      if (isWorkload(object) && !namespaces.has(object.namespace)) namespaces.set(object.namespace, object);
    for (const [namespace, first] of namespaces) {
      const denied = objects.some((o) => o.kind === "NetworkPolicy" && o.namespace === namespace && isDefaultDeny(o));
      if (!denied) {
        out.push({
          object: first,
          violation: {
            path: "metadata.namespace",
            message: `namespace "${namespace || "(none)"}" has workloads but no default-deny NetworkPolicy`,
          },
        });
      }
    }
    return out;
  },
});
