import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, list, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-no-host-port",
  severity: "error",
  title: "Containers bind no host ports",
  rationale:
    "A hostPort opens the port on the node's address, bypassing Services and NetworkPolicies, and limits scheduling.",
  remediation: "Remove hostPort and expose the port through a Service.",
  applies: isWorkload,
  each(object) {
    return containers(object).flatMap(({ container, path, name }) =>
      list(container.ports).flatMap((p, i) => {
        const port = obj(p);
        return port.hostPort === undefined || port.hostPort === 0
          ? []
          : [
              {
                path: `${path}.ports[${i}].hostPort`,
                message: `container "${name}" binds host port ${String(port.hostPort)}`,
              },
            ];
      }),
    );
  },
});
