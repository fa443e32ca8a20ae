// The CRD manifests the live phase installs and the strict CRD schemas come from one controller-gen
// run (schemas/build.ts): the same kinds, versions and source, so a custom resource the gate
// accepts offline is judged by the same definition on the API server.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CRD_MANIFESTS } from "./build.ts";

const read = (file: string) => JSON.parse(readFileSync(join(import.meta.dirname, "generated", file), "utf8"));

test("crd-manifests.json serves exactly the kinds and versions crds.json has schemas for", () => {
  const schemas = read("crds.json") as { source: string; kinds: Record<string, string> };
  const manifests = read(CRD_MANIFESTS) as {
    source: string;
    items: { kind: string; spec: { group: string; names: { kind: string }; versions: { name: string }[] } }[];
  };
  assert.is(manifests.source, schemas.source);
  const served = manifests.items.flatMap((crd) => {
    assert.is(crd.kind, "CustomResourceDefinition");
    return crd.spec.versions.map((v) => `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`);
  });
  assert.equal(served.sort(), Object.keys(schemas.kinds).sort());
});

test.run();
