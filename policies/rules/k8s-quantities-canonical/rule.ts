import { objectRule } from "../../engine/define.ts";
import type { Violation } from "../../engine/types.ts";
import { containers, isWorkload, list, obj } from "../../engine/workloads.ts";

const BINARY = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const DECIMAL = ["m", "", "k", "M", "G", "T", "P", "E"];

/**
 * The form the API server stores a quantity in (apimachinery resource.Quantity): the largest
 * suffix of the quantity's own family that keeps the number whole. Covers the suffixed forms the
 * charts write; exponents ("1e3") and values below a milli are left to the schema and the server.
 */
export function canonicalQuantity(text: string): string | null {
  const match = /^([0-9]+)(?:\.([0-9]+))?(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|)$/.exec(text);
  if (!match) return null;
  const [, whole = "", fraction = "", suffix = ""] = match;
  const binary = suffix.endsWith("i");
  const steps = binary ? BINARY : DECIMAL;
  const base = binary ? 1024n : 1000n;
  let exponent = steps.indexOf(suffix);
  // The value as an integer count of the smallest unit (bytes, or milli-units).
  let units = BigInt(whole + fraction);
  const scale = 10n ** BigInt(fraction.length);
  while (scale > 1n && exponent > 0 && units % scale !== 0n) {
    units *= base;
    exponent--;
  }
  if (units % scale !== 0n) return null;
  units /= scale;
  if (units === 0n) return "0";
  // Binary values too small for Ki are plain bytes; the server then writes them in decimal form.
  while (exponent < steps.length - 1 && units !== 0n && units % base === 0n) {
    units /= base;
    exponent++;
  }
  return `${units}${steps[exponent]}`;
}

function check(value: unknown, path: string, out: Violation[]): void {
  if (typeof value !== "string") return;
  const canonical = canonicalQuantity(value);
  if (canonical !== null && canonical !== value)
    out.push({ path, message: `${JSON.stringify(value)} is stored as ${JSON.stringify(canonical)}` });
}

export default objectRule({
  id: "k8s-quantities-canonical",
  severity: "error",
  title: "Resource quantities are written in the form the API server stores",
  rationale:
    "The API server rewrites 1000m as 1 and 1024Mi as 1Gi; a manifest in another form differs from the live object on every comparison, which diff tools and reviewers read as drift.",
  remediation: "Write the quantity as the finding says the server stores it.",
  applies: (object) => isWorkload(object) || object.kind === "PersistentVolumeClaim",
  each(object) {
    const out: Violation[] = [];
    for (const { container, path } of containers(object)) {
      const resources = obj(container.resources);
      for (const kind of ["requests", "limits"]) {
        for (const [name, value] of Object.entries(obj(resources[kind])))
          check(value, `${path}.resources.${kind}.${name}`, out);
      }
    }
    const claims =
      object.kind === "PersistentVolumeClaim" ? [object.body] : list(obj(object.body.spec).volumeClaimTemplates);
    claims.forEach((claim, i) => {
      const requests = obj(obj(obj(claim).spec).resources).requests;
      const prefix = object.kind === "PersistentVolumeClaim" ? "spec" : `spec.volumeClaimTemplates[${i}].spec`;
      for (const [name, value] of Object.entries(obj(requests)))
        check(value, `${prefix}.resources.requests.${name}`, out);
    });
    return out;
  },
});
