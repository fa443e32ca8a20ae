import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, obj, podSpec } from "../../engine/workloads.ts";

const CONFINED = new Set(["RuntimeDefault", "Localhost"]);

export default objectRule({
  id: "k8s-seccomp-runtime-default",
  severity: "error",
  title: "Pods run under the RuntimeDefault seccomp profile",
  rationale:
    "Without a seccomp profile every syscall is open to the container, including the ones most kernel exploits use.",
  remediation: "Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (or on each container).",
  applies: isWorkload,
  each(object) {
    const pod = podSpec(object);
    const podType = obj(obj(pod?.spec.securityContext).seccompProfile).type;
    return containers(object).flatMap(({ container, path, name }) => {
      const type = obj(obj(container.securityContext).seccompProfile).type ?? podType;
      if (CONFINED.has(String(type))) return [];
      return [
        {
          path:
            type === undefined
              ? `${pod?.path}.securityContext.seccompProfile`
              : `${path}.securityContext.seccompProfile.type`,
          message:
            type === undefined
              ? `container "${name}" has no seccomp profile`
              : `container "${name}" uses seccomp profile ${String(type)}`,
        },
      ];
    });
  },
});
