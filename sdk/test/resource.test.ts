// The resource: downward-API variables become k8s.* attributes, explicit settings win over
// OTEL_RESOURCE_ATTRIBUTES, and detectors add host and process; plus the exporter per protocol
// and the package version constant kept in step with package.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveConfig } from "../src/config.ts";
import { buildResource, configuredResourceAttributes, kubernetesAttributes } from "../src/resource.ts";
import { SDK_VERSION } from "../src/version.ts";

const env = {
  OTEL_SERVICE_NAME: "billing",
  OTEL_RESOURCE_ATTRIBUTES: "service.version=0.0.1,k8s.pod.name=stale,team=money",
  GL_SERVICE_VERSION: "3.1.0",
  GL_ENVIRONMENT: "prod",
  GL_CLUSTER: "prod-eu-1",
  GL_GIT_COMMIT: "a1b2c3d",
  K8S_POD_NAME: "billing-6f7d8-xyz12",
  K8S_POD_UID: "0d5c0f0e-1111-2222-3333-444455556666",
  K8S_NAMESPACE_NAME: "billing",
  K8S_NODE_NAME: "ip-10-0-1-7",
};

test("downward-API variables map to k8s.* attributes; blanks are skipped", () => {
  assert.equal(kubernetesAttributes({ K8S_POD_NAME: "p", K8S_NODE_NAME: " ", OTHER: "x" }), { "k8s.pod.name": "p" });
});

test("configured attributes: explicit settings and downward API win over OTEL_RESOURCE_ATTRIBUTES", () => {
  const attributes = configuredResourceAttributes(resolveConfig({}, env), env);
  assert.equal(attributes, {
    "service.name": "billing",
    "service.version": "3.1.0",
    // The pod's uid: the `instance` label Prometheus gives this pod's pushed series.
    "service.instance.id": "0d5c0f0e-1111-2222-3333-444455556666",
    "deployment.environment.name": "prod",
    "k8s.cluster.name": "prod-eu-1",
    "k8s.pod.name": "billing-6f7d8-xyz12",
    "k8s.pod.uid": "0d5c0f0e-1111-2222-3333-444455556666",
    "k8s.namespace.name": "billing",
    "k8s.node.name": "ip-10-0-1-7",
    "vcs.ref.head.revision": "a1b2c3d",
    "telemetry.distro.name": "@greenlang/tracing",
    "telemetry.distro.version": SDK_VERSION,
    team: "money",
  });
});

test("the full resource adds host, process and SDK attributes", () => {
  const resource = buildResource(resolveConfig({}, env), env);
  assert.is(resource.attributes["service.name"], "billing");
  assert.is(resource.attributes["process.pid"], process.pid);
  assert.type(resource.attributes["host.name"], "string");
  assert.is(resource.attributes["telemetry.sdk.language"], "nodejs");
});

test("SDK_VERSION matches package.json", () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string };
  assert.is(SDK_VERSION, pkg.version);
});

test.run();
