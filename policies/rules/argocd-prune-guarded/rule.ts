import { objectRule } from "../../engine/define.ts";
import { obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "argocd-prune-guarded",
  severity: "error",
  title: "Automated prune never syncs an empty application",
  rationale:
    "With prune on and allowEmpty: true, a generator bug that empties a folder deletes everything the Application manages.",
  remediation: "Leave syncPolicy.automated.allowEmpty unset (false) whenever automated.prune is true.",
  applies: (object) => object.kind === "Application" && object.apiVersion.startsWith("argoproj.io/"),
  each(object) {
    const automated = obj(obj(obj(object.body.spec).syncPolicy).automated);
    return automated.prune === true && automated.allowEmpty === true
      ? [
          {
            path: "spec.syncPolicy.automated.allowEmpty",
            message: "automated prune is on and allowEmpty: true lets an empty sync delete everything",
          },
        ]
      : [];
  },
});
