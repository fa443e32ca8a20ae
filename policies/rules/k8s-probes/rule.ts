import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, SERVING_KINDS } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-probes",
  severity: "error",
  title: "Serving containers have readiness and liveness probes",
  rationale:
    "Without readiness, traffic reaches pods that cannot serve; without liveness, a hung process is never restarted.",
  remediation:
    "Add readinessProbe and livenessProbe (httpGet on the health endpoint, or tcpSocket/grpc) to every container.",
  applies: (object) => isWorkload(object) && SERVING_KINDS.has(object.kind),
  each(object) {
    return containers(object)
      .filter(({ init }) => !init)
      .flatMap(({ container, path, name }) =>
        (["readinessProbe", "livenessProbe"] as const)
          .filter((probe) => container[probe] === undefined)
          .map((probe) => ({ path: `${path}.${probe}`, message: `container "${name}" has no ${probe}` })),
      );
  },
});
