// Writes our strict schema set in the layout kubeconform reads from a local -schema-location, so
// kubeconform (which cannot download here) can serve as a second opinion and as the benchmark's
// baseline on exactly the same schemas:
//   <dir>/v<minor>.0-standalone-strict/_definitions.json            every definition (built-ins + CRDs)
//   <dir>/v<minor>.0-standalone-strict/<kind><KindSuffix>.json      {"$ref": "_definitions.json#/$defs/<name>"}
// KindSuffix is kubeconform's: "-<first segment of the group>-<version>", or "-<version>" for core.
// The folder is derived output: put it under .cache/ (ignored), never commit it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const GENERATED = join(import.meta.dirname, "generated");

interface SchemaSet {
  kinds: Record<string, string>;
  $defs: Record<string, unknown>;
}

export function kubeconformFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const suffix = group ? `-${group.split(".")[0]}-${version}` : `-${version}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

/** Writes the layout for one Kubernetes minor version; returns the folder to pass as -schema-location. */
export function writeKubeconformSchemas(dir: string, minor: string): string {
  const builtins = JSON.parse(readFileSync(join(GENERATED, `kubernetes-v${minor}.json`), "utf8")) as SchemaSet;
  const crds = JSON.parse(readFileSync(join(GENERATED, "crds.json"), "utf8")) as SchemaSet;
  const versionDir = join(dir, `v${minor}.0-standalone-strict`);
  mkdirSync(versionDir, { recursive: true });
  writeFileSync(join(versionDir, "_definitions.json"), JSON.stringify({ $defs: { ...builtins.$defs, ...crds.$defs } }));
  for (const [key, name] of Object.entries({ ...builtins.kinds, ...crds.kinds })) {
    const kind = key.slice(key.lastIndexOf("/") + 1);
    const apiVersion = key.slice(0, key.lastIndexOf("/"));
    writeFileSync(
      join(versionDir, kubeconformFileName(apiVersion, kind)),
      JSON.stringify({ $ref: `_definitions.json#/$defs/${name}` }),
    );
  }
  return dir;
}
