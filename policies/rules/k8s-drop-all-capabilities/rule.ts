import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, list, obj } from "../../engine/workloads.ts";

/** The only capability a non-root server may need back: binding a port below 1024. */
const ALLOWED_ADD = new Set(["NET_BIND_SERVICE"]);

export default objectRule({
  id: "k8s-drop-all-capabilities",
  severity: "error",
  title: "Containers drop ALL capabilities",
  rationale:
    "The runtime's default capability set (NET_RAW, CHOWN, SETUID…) is more than a server needs and helps an attacker.",
  remediation:
    "Set securityContext.capabilities.drop: [ALL]; add back only NET_BIND_SERVICE if the process binds a low port.",
  applies: isWorkload,
  each(object) {
    return containers(object).flatMap(({ container, path, name }) => {
      const capabilities = obj(obj(container.securityContext).capabilities);
      const out = [];
      if (!list(capabilities.drop).includes("ALL")) {
        out.push({
          path: `${path}.securityContext.capabilities.drop`,
          message: `container "${name}" does not drop ALL capabilities`,
        });
      }
      const extra = list(capabilities.add).filter((c) => !ALLOWED_ADD.has(String(c)));
      if (extra.length > 0) {
        out.push({
          path: `${path}.securityContext.capabilities.add`,
          message: `container "${name}" adds ${extra.join(", ")}`,
        });
      }
      return out;
    });
  },
});
