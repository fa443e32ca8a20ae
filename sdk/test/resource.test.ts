// The resource: downward-API variables become k8s.* attributes, explicit settings win over
// OTEL_RESOURCE_ATTRIBUTES, and detectors add host and process; plus the exporter per protocol
// and the package version constant kept in step with package.json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { containerDetector } from "@opentelemetry/resource-detector-container";
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

test("detectors by name: none leaves host and process out; container reads container.id from the cgroup file", async () => {
  const bare = buildResource(resolveConfig({ resourceDetectors: [] }, env), env);
  assert.is(bare.attributes["host.name"], undefined);
  assert.is(bare.attributes["process.pid"], undefined);
  assert.is(bare.attributes["service.name"], "billing", "configured attributes never depend on detectors");
  // The real detector, pointed at a cgroup file as a containerd pod has it.
  const dir = mkdtempSync(join(tmpdir(), "cgroup-"));
  const id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const detector = containerDetector as unknown as { DEFAULT_CGROUP_V1_PATH: string };
  const original = detector.DEFAULT_CGROUP_V1_PATH;
  try {
    writeFileSync(join(dir, "cgroup"), `0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-${id}.scope\n`);
    detector.DEFAULT_CGROUP_V1_PATH = join(dir, "cgroup");
    const resource = buildResource(resolveConfig({ resourceDetectors: ["container"] }, env), env);
    await resource.waitForAsyncAttributes?.();
    assert.is(resource.attributes["container.id"], id);
    assert.is(resource.attributes["os.type"], undefined, "only the detectors named");
  } finally {
    detector.DEFAULT_CGROUP_V1_PATH = original;
    rmSync(dir, { recursive: true, force: true });
  }
  const os = buildResource(resolveConfig({ resourceDetectors: ["os"] }, env), env);
  assert.is(os.attributes["os.type"], "linux");
});

test("SDK_VERSION matches package.json", () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string };
  assert.is(SDK_VERSION, pkg.version);
});

test.run();
