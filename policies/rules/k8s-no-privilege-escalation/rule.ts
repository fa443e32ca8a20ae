import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-no-privilege-escalation",
  severity: "error",
  title: "Containers forbid privilege escalation",
  rationale:
    "Unless disabled, setuid binaries inside the image can gain more privileges than the process started with.",
  remediation: "Set securityContext.allowPrivilegeEscalation: false on every container.",
  applies: isWorkload,
  each(object) {
    return containers(object)
      .filter(({ container }) => obj(container.securityContext).allowPrivilegeEscalation !== false)
      .map(({ path, name }) => ({
        path: `${path}.securityContext.allowPrivilegeEscalation`,
        message: `container "${name}" does not set allowPrivilegeEscalation: false`,
      }));
  },
});
