import { objectRule } from "../../engine/define.ts";
import { isWorkload, podSpec } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-no-host-namespaces",
  severity: "error",
  title: "Pods share no host namespace (network, PID, IPC)",
  rationale: "hostNetwork, hostPID and hostIPC let a pod see and reach the node's processes and interfaces directly.",
  remediation: "Remove hostNetwork, hostPID and hostIPC (or set them to false).",
  applies: isWorkload,
  each(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    return (["hostNetwork", "hostPID", "hostIPC"] as const)
      .filter((field) => pod.spec[field] === true)
      .map((field) => ({ path: `${pod.path}.${field}`, message: `the pod sets ${field}: true` }));
  },
});
