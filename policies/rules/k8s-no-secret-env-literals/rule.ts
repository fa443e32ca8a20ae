import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, list, obj } from "../../engine/workloads.ts";

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Values that are clearly credentials whatever the variable is called (AWS access keys, PEM keys). */
const SECRET_VALUE = /(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;

export default objectRule({
  id: "k8s-no-secret-env-literals",
  severity: "error",
  title: "No secrets as literal environment values",
  rationale:
    "A literal in the manifest is a secret committed to Git and readable by anyone who can read the Deployment.",
  remediation:
    "Reference a Secret with env[].valueFrom.secretKeyRef (or mount it as a file); use IRSA instead of static cloud keys.",
  applies: isWorkload,
  each(object) {
    return containers(object).flatMap(({ container, path, name }) =>
      list(container.env).flatMap((e, i) => {
        const env = obj(e);
        const value = env.value;
        if (typeof value !== "string" || value === "") return [];
        if (!SECRET_NAME.test(String(env.name)) && !SECRET_VALUE.test(value)) return [];
        return [
          {
            path: `${path}.env[${i}].value`,
            message: `container "${name}" sets ${String(env.name)} to a literal value`,
          },
        ];
      }),
    );
  },
});
