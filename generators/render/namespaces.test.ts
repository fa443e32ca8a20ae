import { test } from "uvu";
import * as assert from "uvu/assert";
import devInput from "../../clusters/dev/cluster.ts";
import { resolveCluster } from "../model/validate.ts";
import { namespaceObjects, podSecurityVersion } from "./namespaces.ts";

const dev = resolveCluster(devInput, "clusters/dev/cluster.ts", "dev");

test("the platform's two namespaces, Pod Security restricted at the cluster's minor", () => {
  const objects = namespaceObjects(dev);
  assert.equal(
    objects.map((o) => o.metadata.name),
    ["tempo", "otel-collector"],
  );
  for (const object of objects) {
    const labels = object.metadata.labels as Record<string, string>;
    for (const mode of ["enforce", "audit", "warn"]) {
      assert.is(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
      assert.is(labels[`pod-security.kubernetes.io/${mode}-version`], "v1.34");
    }
  }
});

test("namespaces sync first and are never pruned or deleted by Argo CD", () => {
  for (const object of namespaceObjects(dev)) {
    const annotations = object.metadata.annotations as Record<string, string>;
    assert.is(annotations["argocd.argoproj.io/sync-wave"], "-1");
    assert.is(annotations["argocd.argoproj.io/sync-options"], "Prune=false,Delete=false");
  }
});

test("podSecurityVersion keeps major and minor", () => {
  assert.is(podSecurityVersion("1.33.4"), "v1.33");
});

test.run();
