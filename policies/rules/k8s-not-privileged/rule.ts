import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-not-privileged",
  severity: "error",
  title: "Containers are not privileged",
  rationale: "A privileged container has every capability and all host devices: it is root on the node.",
  remediation:
    "Remove securityContext.privileged (or set it to false); grant a single capability if one is really needed.",
  applies: isWorkload,
  each(object) {
    return containers(object)
      .filter(({ container }) => obj(container.securityContext).privileged === true)
      .map(({ path, name }) => ({
        path: `${path}.securityContext.privileged`,
        message: `container "${name}" is privileged`,
      }));
  },
});
