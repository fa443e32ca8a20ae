import { objectRule } from "../../engine/define.ts";
import { isWorkload, list, obj, podSpec } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-no-host-path",
  severity: "error",
  title: "Pods mount no hostPath volumes",
  rationale:
    "A hostPath volume exposes the node's filesystem (container runtime socket, kubelet credentials) to the pod.",
  remediation: "Use an emptyDir, a PersistentVolumeClaim, a ConfigMap/Secret or a projected volume instead.",
  applies: isWorkload,
  each(object) {
    const pod = podSpec(object);
    if (!pod) return [];
    return list(pod.spec.volumes).flatMap((v, i) => {
      const volume = obj(v);
      return volume.hostPath === undefined
        ? []
        : [
            {
              path: `${pod.path}.volumes[${i}].hostPath`,
              message: `volume "${String(volume.name)}" mounts host path ${String(obj(volume.hostPath).path)}`,
            },
          ];
    });
  },
});
