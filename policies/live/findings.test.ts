// How the API server's answers become findings: refused fields (with the Status causes), unknown
// fields (server-side apply answers those with HTTP 500), warnings, a second apply that changed
// something, and the StatefulSet change a running cluster refuses, named down to the field.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { K8sObject } from "../engine/types.ts";
import { ALL_CHECK_IDS } from "../gate.ts";
import {
  changedPaths,
  LIVE_RULES,
  refusalFindings,
  unknownFields,
  upgradeFindings,
  warningFindings,
} from "./findings.ts";

function object(kind: string, body: Record<string, unknown>): K8sObject {
  return {
    file: `clusters/x/${kind.toLowerCase()}.yaml`,
    index: 0,
    line: 2,
    apiVersion: "apps/v1",
    kind,
    namespace: "tempo",
    name: "tempo-ingester",
    body,
    environment: "x",
    scope: "clusters/x",
  };
}

const SERVER = "v1.33.13";

test("every live rule id is a check the gate knows (so it can be waived and listed)", () => {
  const ids = ALL_CHECK_IDS();
  for (const id of Object.values(LIVE_RULES)) assert.ok(ids.has(id), id);
});

test("unknown fields are read from the server-side apply error, however deeply nested", () => {
  const message =
    'failed to create typed patch object (tempo/tempo-ingester; apps/v1, Kind=StatefulSet): .spec.template.spec.containers[name="ingester"].imagePullPolcy: field not declared in schema';
  assert.equal(unknownFields(message), ['spec.template.spec.containers[name="ingester"].imagePullPolcy']);
  const [finding] = refusalFindings(object("StatefulSet", {}), 500, { message }, SERVER);
  assert.is(finding?.rule, LIVE_RULES.unknownField);
  assert.is(finding?.path, 'spec.template.spec.containers[name="ingester"].imagePullPolcy');
  assert.match(finding?.message ?? "", /v1\.33\.13/);
});

test("a refusal gives one finding per cause, each with the field the server names", () => {
  const body = {
    message: 'Service "x" is invalid: ...',
    details: {
      causes: [
        { field: "spec.ports[0].port", message: "Invalid value: 70000: must be between 1 and 65535, inclusive" },
        { field: "metadata.labels", message: 'Invalid value: "-x": a valid label must …' },
      ],
    },
  };
  const findings = refusalFindings(object("Service", {}), 422, body, SERVER);
  assert.equal(
    findings.map((f) => [f.rule, f.path]),
    [
      [LIVE_RULES.rejected, "spec.ports[0].port"],
      [LIVE_RULES.rejected, "metadata.labels"],
    ],
  );
  assert.match(findings[0]?.message ?? "", /HTTP 422.*must be between 1 and 65535/);
});

test("a refusal without causes still names the server's message", () => {
  const [finding] = refusalFindings(object("Deployment", {}), 403, { message: "forbidden by admission" }, SERVER);
  assert.is(finding?.path, "");
  assert.match(finding?.message ?? "", /refused it \(HTTP 403\): forbidden by admission/);
});

test("each admission warning is a finding", () => {
  const findings = warningFindings(
    object("Deployment", {}),
    ['would violate PodSecurity "restricted:v1.33": privileged'],
    SERVER,
  );
  assert.is(findings.length, 1);
  assert.is(findings[0]?.rule, LIVE_RULES.warning);
  assert.match(findings[0]?.message ?? "", /would violate PodSecurity/);
});

test("changedPaths names the fields that differ and ignores the server's bookkeeping", () => {
  const before = {
    metadata: { resourceVersion: "1", labels: { a: "1" } },
    spec: { replicas: 1, ports: [{ port: 1 }] },
  };
  const after = { metadata: { resourceVersion: "2", labels: { a: "2" } }, spec: { replicas: 1, ports: [{ port: 2 }] } };
  assert.equal(changedPaths(before, after), ["metadata.labels.a", "spec.ports[0].port"]);
  assert.equal(changedPaths(before, structuredClone(before)), []);
  assert.equal(changedPaths({ list: [1] }, { list: [1, 2] }), ["list"]);
});

test("a refused StatefulSet update names the immutable field that changed and the way out", () => {
  const claims = (size: string) => [
    { metadata: { name: "wal" }, spec: { resources: { requests: { storage: size } } } },
  ];
  const previous = object("StatefulSet", {
    spec: { replicas: 3, volumeClaimTemplates: claims("50Gi"), template: { a: 1 } },
  });
  const wanted = object("StatefulSet", {
    spec: { replicas: 5, volumeClaimTemplates: claims("100Gi"), template: { a: 2 } },
  });
  const body = {
    message:
      "StatefulSet.apps \"tempo-ingester\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  };
  const findings = upgradeFindings(wanted, previous, 422, body, SERVER, "main (abc)");
  assert.equal(
    findings.map((f) => [f.rule, f.path]),
    [[LIVE_RULES.upgradeRefused, "spec.volumeClaimTemplates"]],
  );
  assert.match(findings[0]?.message ?? "", /running main \(abc\)/);
  assert.match(findings[0]?.remediation ?? "", /--cascade=orphan/);
  assert.match(findings[0]?.remediation ?? "", /PersistentVolumeClaims/);
});

test("other immutable changes quote the field the server names", () => {
  const body = {
    message: "Service is invalid",
    details: { causes: [{ field: "spec.clusterIP", message: 'Invalid value: "10.0.0.2": field is immutable' }] },
  };
  const [finding] = upgradeFindings(object("Service", {}), object("Service", {}), 422, body, SERVER, "main");
  assert.is(finding?.path, "spec.clusterIP");
  assert.match(finding?.message ?? "", /field is immutable/);
});

test.run();
