import { objectRule } from "../../engine/define.ts";
import { list, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "argocd-destination-name-or-server",
  severity: "error",
  title: "Argo CD destinations name a cluster by name or by server, never both",
  rationale:
    'Argo CD refuses an Application whose destination has both name and server ("can\'t have both name and server defined").',
  remediation: "Keep exactly one of destination.server (https://kubernetes.default.svc) or destination.name.",
  applies: (object) =>
    (object.kind === "Application" || object.kind === "AppProject") && object.apiVersion.startsWith("argoproj.io/"),
  each(object) {
    const spec = obj(object.body.spec);
    const destinations =
      object.kind === "Application"
        ? [{ value: obj(spec.destination), path: "spec.destination" }]
        : list(spec.destinations).map((d, i) => ({ value: obj(d), path: `spec.destinations[${i}]` }));
    return destinations.flatMap(({ value, path }) => {
      if (value.name !== undefined && value.server !== undefined)
        return [{ path, message: "destination sets both name and server" }];
      if (object.kind === "Application" && value.name === undefined && value.server === undefined) {
        return [{ path, message: "destination sets neither name nor server" }];
      }
      return [];
    });
  },
});
