import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, obj, podSpec } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-run-as-non-root",
  severity: "error",
  title: "Containers run as a non-root user",
  rationale: "A process running as UID 0 turns any container escape or writable host mount into root on the node.",
  remediation: "Set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser.",
  applies: isWorkload,
  each(object) {
    const pod = podSpec(object);
    const podContext = obj(pod?.spec.securityContext);
    return containers(object).flatMap(({ container, path, name }) => {
      const own = obj(container.securityContext);
      const nonRoot = own.runAsNonRoot ?? podContext.runAsNonRoot;
      const user = own.runAsUser ?? podContext.runAsUser;
      if (user === 0)
        return [{ path: `${path}.securityContext.runAsUser`, message: `container "${name}" runs as UID 0` }];
      if (nonRoot !== true) {
        return [
          {
            path: `${path}.securityContext.runAsNonRoot`,
            message: `container "${name}" does not set runAsNonRoot: true (pod or container)`,
          },
        ];
      }
      return [];
    });
  },
});
