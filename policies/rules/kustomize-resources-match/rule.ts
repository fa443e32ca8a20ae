import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";
import { objectRule } from "../../engine/define.ts";
import { isKustomization } from "../../engine/load.ts";
import type { Violation } from "../../engine/types.ts";
import { list } from "../../engine/workloads.ts";

/** Top-level fields of kustomize.config.k8s.io/v1beta1 Kustomization (kustomize v5). */
const FIELDS = new Set([
  "apiVersion",
  "kind",
  "metadata",
  "resources",
  "components",
  "crds",
  "namespace",
  "namePrefix",
  "nameSuffix",
  "labels",
  "commonLabels",
  "commonAnnotations",
  "patches",
  "patchesStrategicMerge",
  "patchesJson6902",
  "images",
  "replicas",
  "replacements",
  "configMapGenerator",
  "secretGenerator",
  "generatorOptions",
  "generators",
  "transformers",
  "validators",
  "helmCharts",
  "helmGlobals",
  "openapi",
  "buildMetadata",
  "sortOptions",
]);

export default objectRule({
  id: "kustomize-resources-match",
  severity: "error",
  title: "Kustomizations list exactly the files beside them, and nothing missing",
  rationale:
    "Argo CD builds each folder with kustomize: a listed file that is gone fails the sync, a file left out of resources is silently never deployed, and a misspelled field is ignored.",
  remediation:
    "Regenerate with `npm run generate` (which writes kustomization.yaml from the folder), or fix resources by hand in non-generated folders.",
  applies: isKustomization,
  each(object, _all, context) {
    const out: Violation[] = [];
    for (const key of Object.keys(object.body)) {
      if (!FIELDS.has(key)) out.push({ path: key, message: `unknown Kustomization field "${key}"` });
    }
    const dir = dirname(object.file);
    const resources = list(object.body.resources).map(String);
    resources.forEach((resource, i) => {
      if (/^[a-z]+:\/\//.test(resource) || resource.includes("?ref=")) return; // remote bases are kustomize's to fetch
      if (!existsSync(join(context.root, dir, resource))) {
        out.push({ path: `resources[${i}]`, message: `"${resource}" does not exist next to ${object.file}` });
      }
    });
    // kustomize reads only a file named kustomization.yaml: the folder it describes is its own.
    if (basename(object.file) === "kustomization.yaml" || basename(object.file) === "kustomization.yml") {
      const listed = new Set(resources.map((r) => normalize(r)));
      const siblings = readdirSync(join(context.root, dir)).filter(
        (f) => /\.ya?ml$/.test(f) && f !== basename(object.file),
      );
      for (const file of siblings.sort()) {
        if (!listed.has(file))
          out.push({
            path: "resources",
            message: `${file} is in the folder but not in resources: it would never be deployed`,
          });
      }
    }
    return out;
  },
});
