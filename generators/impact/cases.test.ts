// The impact report on real changes of the committed models (generators/impact/cases.ts), each
// rendered with the real charts and compared with the committed tree. The report is held whole:
// it is what a reviewer reads instead of the diff. A chart change that alters one is a change to
// what reviewers are told; update the text here with it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO } from "../tests/scratch.ts";
import { CASES, impactOfCase } from "./cases.ts";
import { formatMarkdown, formatText, unacknowledged } from "./report.ts";

const test = suite("impact of real changes");

const EXPECTED: Record<string, string> = {
  "prod keeps traces 30 days": `impact on prod:
  pods that roll: 27–40 in total
    Deployment/tempo-compactor (tempo): 4 pods roll, rolling (maxSurge 1, maxUnavailable 0); because of config (checksum/config)
    Deployment/tempo-distributor (tempo): 3–6 (HPA) pods roll, rolling (maxSurge 1, maxUnavailable 0); because of config (checksum/config)
    Deployment/tempo-metrics-generator (tempo): 2 pods roll, rolling (maxSurge 1, maxUnavailable 0); because of config (checksum/config)
    Deployment/tempo-querier (tempo): 10–20 (HPA) pods roll, rolling (maxSurge 1, maxUnavailable 0); because of config (checksum/config)
    Deployment/tempo-query-frontend (tempo): 2 pods roll, rolling (maxSurge 1, maxUnavailable 0); because of config (checksum/config)
    StatefulSet/tempo-ingester-eu-west-1a (tempo): 2 pods roll, one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready; because of config (checksum/config)
    StatefulSet/tempo-ingester-eu-west-1b (tempo): 2 pods roll, one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready; because of config (checksum/config)
    StatefulSet/tempo-ingester-eu-west-1c (tempo): 2 pods roll, one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready; because of config (checksum/config)
  retention: 336h → 720h
  updated in place:
    ConfigMap/tempo-config: data.tempo.yaml
  terraform: retention_hours 336 → 720 (in place)
`,
  "staging samples half as many ordinary traces": `impact on staging:
  pods that roll: 2 in total
    StatefulSet/otel-collector-gateway (otel-collector): 2 pods roll, one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready; because of config (checksum/config)
  tail sampling policies:
    before: drop-health-checks (drop); keep-errors (status_code); keep-slow (latency); baseline (probabilistic, 10%)
    after:  drop-health-checks (drop); keep-errors (status_code); keep-slow (latency); baseline (probabilistic, 5%)
    ordinary traces kept (no error, not slow, no service rule): 10% → 5%
  updated in place:
    ConfigMap/otel-collector-gateway: data.config.yaml
`,
  "staging adds an ingester": `impact on staging:
  replicas: StatefulSet/tempo-ingester 3 → 4
  updated in place:
    StatefulSet/tempo-ingester: spec.replicas
`,
  "prod doubles the ingesters' volumes": `impact on prod:
  storage: StatefulSet/tempo-ingester-eu-west-1a data=50Gi → data=100Gi
  storage: StatefulSet/tempo-ingester-eu-west-1b data=50Gi → data=100Gi
  storage: StatefulSet/tempo-ingester-eu-west-1c data=50Gi → data=100Gi
  RISK immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1a
    StatefulSet tempo-ingester-eu-west-1a changes spec.volumeClaimTemplates, which a running StatefulSet cannot change
    safely: the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: pause the app's automated sync (clusters/README.md), \`kubectl -n tempo delete statefulset tempo-ingester-eu-west-1a --cascade=orphan\` (the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing PersistentVolumeClaims one by one (\`kubectl -n tempo patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline
  RISK immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1b
    StatefulSet tempo-ingester-eu-west-1b changes spec.volumeClaimTemplates, which a running StatefulSet cannot change
    safely: the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: pause the app's automated sync (clusters/README.md), \`kubectl -n tempo delete statefulset tempo-ingester-eu-west-1b --cascade=orphan\` (the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing PersistentVolumeClaims one by one (\`kubectl -n tempo patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline
  RISK immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1c
    StatefulSet tempo-ingester-eu-west-1c changes spec.volumeClaimTemplates, which a running StatefulSet cannot change
    safely: the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: pause the app's automated sync (clusters/README.md), \`kubectl -n tempo delete statefulset tempo-ingester-eu-west-1c --cascade=orphan\` (the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing PersistentVolumeClaims one by one (\`kubectl -n tempo patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline
`,
  "staging moves to Kubernetes 1.34": `impact on staging:
  updated in place:
    Namespace/otel-collector: metadata.labels.pod-security.kubernetes.io/audit-version, metadata.labels.pod-security.kubernetes.io/enforce-version, metadata.labels.pod-security.kubernetes.io/warn-version
    Namespace/tempo: metadata.labels.pod-security.kubernetes.io/audit-version, metadata.labels.pod-security.kubernetes.io/enforce-version, metadata.labels.pod-security.kubernetes.io/warn-version
`,
  "prod, at 15 MB/s, removes an ingester per zone": `impact on prod:
  replicas: StatefulSet/tempo-ingester-eu-west-1a 2 → 1
  replicas: StatefulSet/tempo-ingester-eu-west-1b 2 → 1
  replicas: StatefulSet/tempo-ingester-eu-west-1c 2 → 1
  updated in place:
    StatefulSet/tempo-ingester-eu-west-1a: spec.replicas
    StatefulSet/tempo-ingester-eu-west-1b: spec.replicas
    StatefulSet/tempo-ingester-eu-west-1c: spec.replicas
  RISK scale-down@prod/StatefulSet/tempo-ingester-eu-west-1a
    StatefulSet tempo-ingester-eu-west-1a goes from 2 to 1 pods: the surplus ingesters stop at once (Parallel pod management) without flushing, and traces whose replicas all lived on them are lost
    safely: before merging, flush and leave the ring on each surplus ingester (highest ordinals first): \`kubectl -n tempo port-forward pod/tempo-ingester-eu-west-1a-<n> 3200\`, then \`curl -X POST localhost:3200/shutdown\` and wait for the pod to leave /ingester/ring; then merge
  RISK scale-down@prod/StatefulSet/tempo-ingester-eu-west-1b
    StatefulSet tempo-ingester-eu-west-1b goes from 2 to 1 pods: the surplus ingesters stop at once (Parallel pod management) without flushing, and traces whose replicas all lived on them are lost
    safely: before merging, flush and leave the ring on each surplus ingester (highest ordinals first): \`kubectl -n tempo port-forward pod/tempo-ingester-eu-west-1b-<n> 3200\`, then \`curl -X POST localhost:3200/shutdown\` and wait for the pod to leave /ingester/ring; then merge
  RISK scale-down@prod/StatefulSet/tempo-ingester-eu-west-1c
    StatefulSet tempo-ingester-eu-west-1c goes from 2 to 1 pods: the surplus ingesters stop at once (Parallel pod management) without flushing, and traces whose replicas all lived on them are lost
    safely: before merging, flush and leave the ring on each surplus ingester (highest ordinals first): \`kubectl -n tempo port-forward pod/tempo-ingester-eu-west-1c-<n> 3200\`, then \`curl -X POST localhost:3200/shutdown\` and wait for the pod to leave /ingester/ring; then merge
`,
};

for (const c of CASES) {
  test(c.name, async () => {
    const impact = await impactOfCase(REPO, c);
    assert.fixture(formatText({ clusters: [impact], acknowledged: [] }), EXPECTED[c.name] as string);
  });
}

test("the risky cases need their acknowledgement, and only theirs", async () => {
  const risky = Object.fromEntries(
    await Promise.all(CASES.map(async (c) => [c.name, (await impactOfCase(REPO, c)).risks.map((r) => r.id)] as const)),
  );
  assert.equal(risky, {
    "prod keeps traces 30 days": [],
    "staging samples half as many ordinary traces": [],
    "staging adds an ingester": [],
    "prod doubles the ingesters' volumes": [
      "immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1a",
      "immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1b",
      "immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1c",
    ],
    "staging moves to Kubernetes 1.34": [],
    "prod, at 15 MB/s, removes an ingester per zone": [
      "scale-down@prod/StatefulSet/tempo-ingester-eu-west-1a",
      "scale-down@prod/StatefulSet/tempo-ingester-eu-west-1b",
      "scale-down@prod/StatefulSet/tempo-ingester-eu-west-1c",
    ],
  });
  const scaleDown = await impactOfCase(
    REPO,
    CASES.find((c) => c.name === "prod, at 15 MB/s, removes an ingester per zone") as (typeof CASES)[0],
  );
  const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
  const report = {
    clusters: [scaleDown],
    acknowledged: zones.map((z) => ({ id: `scale-down@prod/StatefulSet/tempo-ingester-${z}`, reason: "flushed" })),
  };
  assert.equal(unacknowledged(report), []);
  assert.match(
    formatText(report),
    /RISK scale-down@prod\/StatefulSet\/tempo-ingester-eu-west-1a \(acknowledged: flushed\)/,
  );
  // Each zone's set is its own risk: acknowledging one zone leaves the other two.
  assert.is(unacknowledged({ ...report, acknowledged: report.acknowledged.slice(0, 1) }).length, 2);
  assert.is(
    unacknowledged({
      ...report,
      acknowledged: [{ id: "scale-down@staging/StatefulSet/tempo-ingester-eu-west-1a", reason: "x" }],
    }).length,
    3,
  );
});

test("the markdown report is a readable PR comment: marker, table of rollouts, facts, risks as callouts", async () => {
  const retention = await impactOfCase(REPO, CASES[0] as (typeof CASES)[0]);
  const volume = await impactOfCase(REPO, CASES[3] as (typeof CASES)[0]);
  assert.fixture(formatMarkdown({ clusters: [retention, volume], acknowledged: [] }), MARKDOWN);
});

/** The PR comment for the retention and volume-size cases together (two sections of one cluster). */
const MARKDOWN = `<!-- greenlang-tracing-impact -->
## What this change does to the clusters

### prod

| workload | app | pods | how | why |
|---|---|---|---|---|
| Deployment/tempo-compactor | tempo | 4 | rolling (maxSurge 1, maxUnavailable 0) | config (checksum/config) |
| Deployment/tempo-distributor | tempo | 3–6 (HPA) | rolling (maxSurge 1, maxUnavailable 0) | config (checksum/config) |
| Deployment/tempo-metrics-generator | tempo | 2 | rolling (maxSurge 1, maxUnavailable 0) | config (checksum/config) |
| Deployment/tempo-querier | tempo | 10–20 (HPA) | rolling (maxSurge 1, maxUnavailable 0) | config (checksum/config) |
| Deployment/tempo-query-frontend | tempo | 2 | rolling (maxSurge 1, maxUnavailable 0) | config (checksum/config) |
| StatefulSet/tempo-ingester-eu-west-1a | tempo | 2 | one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready | config (checksum/config) |
| StatefulSet/tempo-ingester-eu-west-1b | tempo | 2 | one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready | config (checksum/config) |
| StatefulSet/tempo-ingester-eu-west-1c | tempo | 2 | one pod at a time (RollingUpdate, maxUnavailable 1, Parallel); each waits for the previous to be Ready | config (checksum/config) |

Pods that roll: 27–40 in total.

- retention: 336h → 720h
- updated in place:
  - ConfigMap/tempo-config: data.tempo.yaml
- terraform: retention_hours 336 → 720 (in place)

### prod

> [!CAUTION]
> **\`immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1a\`**: StatefulSet tempo-ingester-eu-west-1a changes spec.volumeClaimTemplates, which a running StatefulSet cannot change.
> Safely: the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: pause the app's automated sync (clusters/README.md), \`kubectl -n tempo delete statefulset tempo-ingester-eu-west-1a --cascade=orphan\` (the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing PersistentVolumeClaims one by one (\`kubectl -n tempo patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline.
> Acknowledge with a commit trailer \`Impact-Acknowledged: immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1a: <reason>\`.

> [!CAUTION]
> **\`immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1b\`**: StatefulSet tempo-ingester-eu-west-1b changes spec.volumeClaimTemplates, which a running StatefulSet cannot change.
> Safely: the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: pause the app's automated sync (clusters/README.md), \`kubectl -n tempo delete statefulset tempo-ingester-eu-west-1b --cascade=orphan\` (the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing PersistentVolumeClaims one by one (\`kubectl -n tempo patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline.
> Acknowledge with a commit trailer \`Impact-Acknowledged: immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1b: <reason>\`.

> [!CAUTION]
> **\`immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1c\`**: StatefulSet tempo-ingester-eu-west-1c changes spec.volumeClaimTemplates, which a running StatefulSet cannot change.
> Safely: the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: pause the app's automated sync (clusters/README.md), \`kubectl -n tempo delete statefulset tempo-ingester-eu-west-1c --cascade=orphan\` (the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing PersistentVolumeClaims one by one (\`kubectl -n tempo patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline.
> Acknowledge with a commit trailer \`Impact-Acknowledged: immutable-field@prod/StatefulSet/tempo-ingester-eu-west-1c: <reason>\`.

- storage: StatefulSet/tempo-ingester-eu-west-1a data=50Gi → data=100Gi
- storage: StatefulSet/tempo-ingester-eu-west-1b data=50Gi → data=100Gi
- storage: StatefulSet/tempo-ingester-eu-west-1c data=50Gi → data=100Gi

<sub>\`npm run impact\` — computed offline from the two rendered trees.</sub>
`;

test.run();
