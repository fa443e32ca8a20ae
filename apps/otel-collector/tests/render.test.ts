// Assertions on the objects `helm template` renders for each mode (ci/*-values.yaml).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { INVARIANTS, workloadOfTier } from "./invariants.ts";
import {
  CHART_DIR,
  ciValues,
  ENVS,
  type Env,
  find,
  helmTemplate,
  type K8sObject,
  type Loose,
  ofKind,
  type Rendered,
  ROOT,
  render,
  selects,
  workloads,
} from "./render.ts";

const renders = new Map<Env, Rendered>();
async function rendered(env: Env): Promise<Rendered> {
  let r = renders.get(env);
  if (!r) {
    r = await render(env);
    renders.set(env, r);
  }
  return r;
}

// The cases no cluster uses today, which the chart must still render right: named overrides.
const EDGE_SAMPLING = {
  sampling: {
    decisionWait: "15s",
    numTraces: 200_000,
    expectedNewTracesPerSec: 5000,
    policies: [
      { name: "keep-errors", type: "status_code", statusCodes: ["ERROR"] },
      { name: "keep-slow", type: "latency", thresholdMs: 2000 },
      { name: "drop-health-checks", type: "drop", key: "url.path", values: ["^/(healthz|readyz|livez)$"], regex: true },
      { name: "payments-all", type: "string_attribute", key: "service.name", values: ["payments"] },
      {
        name: "checkout-route",
        type: "string_attribute",
        key: "http.route",
        values: ["/api/checkout"],
        samplingPercentage: 50,
      },
      { name: "baseline", type: "probabilistic", samplingPercentage: 5 },
    ],
  },
};
const SERVER_TLS_ONLY = { tls: { requireClientCert: false } };

const podSpecs = (r: Rendered) => workloads(r.objects).map((w) => ({ w, spec: w.spec.template.spec }));

// --- the structural promises, on every mode ------------------------------------------------------

for (const env of ENVS) {
  for (const [name, check] of Object.entries(INVARIANTS)) {
    test(`${env}: ${name} holds`, async () => {
      assert.equal(check(await rendered(env)), []);
    });
  }
}

// --- each promise fires on a broken render -------------------------------------------------------

/** A deep copy to break without touching the cached render. */
async function broken(env: Env, breakIt: (r: Rendered) => void): Promise<Rendered> {
  const copy = structuredClone(await rendered(env));
  breakIt(copy);
  return copy;
}

function assertFires(problems: string[], expected: string): void {
  assert.ok(
    problems.some((p) => p.includes(expected)),
    `expected a problem containing "${expected}", got ${JSON.stringify(problems)}`,
  );
}

test("memoryLimiterFirst fires when another processor comes first", async () => {
  const r = await broken("staging", (c) => {
    c.configs.get("front")?.service.pipelines.traces.processors.reverse();
  });
  assertFires(INVARIANTS.memoryLimiterFirst?.(r) ?? [], "front: pipeline traces starts with");
});

test("tailSamplingOnlyInGateway fires on tail_sampling in the front tier or without trace-id routing", async () => {
  const inFront = await broken("staging", (c) => {
    c.configs.get("front")?.service.pipelines.traces.processors.push("tail_sampling");
  });
  assertFires(
    INVARIANTS.tailSamplingOnlyInGateway?.(inFront) ?? [],
    "front: runs tail_sampling outside the gateway tier",
  );
  const byService = await broken("staging", (c) => {
    const front = c.configs.get("front");
    if (front) front.exporters.load_balancing.routing_key = "service";
  });
  assertFires(INVARIANTS.tailSamplingOnlyInGateway?.(byService) ?? [], "does not load-balance by traceID");
});

test("loadBalancesToHeadlessService fires on a ClusterIP Service or an unknown host", async () => {
  const clusterIp = await broken("prod", (c) => {
    const svc = c.objects.find((o) => o.kind === "Service" && o.metadata.name === "otel-collector-gateway-headless");
    if (svc) svc.spec.clusterIP = "10.0.0.10";
  });
  assertFires(INVARIANTS.loadBalancesToHeadlessService?.(clusterIp) ?? [], "is not headless");
  const unknownHost = await broken("prod", (c) => {
    const front = c.configs.get("front");
    if (front) front.exporters.load_balancing.resolver.dns.hostname = "otel-gateway.otel-collector.svc.cluster.local";
  });
  assertFires(INVARIANTS.loadBalancesToHeadlessService?.(unknownHost) ?? [], "which is no Service of the chart");
});

test("serversBindPodIp fires on localhost or a missing endpoint", async () => {
  const r = await broken("dev", (c) => {
    const config = c.configs.get("collector");
    if (config) {
      config.receivers.otlp.protocols.grpc.endpoint = "localhost:4317";
      delete config.receivers.otlp.protocols.http.endpoint;
    }
  });
  const problems = INVARIANTS.serversBindPodIp?.(r) ?? [];
  assertFires(problems, "receivers.otlp.protocols.grpc.endpoint is localhost:4317");
  assertFires(problems, "receivers.otlp.protocols.http.endpoint is unset (localhost)");
});

test("persistentSendingQueue fires on an in-memory queue or a queue on a non-persistent volume", async () => {
  const inMemory = await broken("staging", (c) => {
    const gateway = c.configs.get("gateway");
    if (gateway) delete gateway.exporters["otlp_grpc/tempo"].sending_queue.storage;
  });
  assertFires(INVARIANTS.persistentSendingQueue?.(inMemory) ?? [], "(in-memory), not a file_storage extension");
  const emptyDir = await broken("dev", (c) => {
    const sts = workloadOfTier(c, "collector");
    if (sts) delete sts.spec.volumeClaimTemplates;
  });
  assertFires(INVARIANTS.persistentSendingQueue?.(emptyDir) ?? [], "is not a PersistentVolumeClaim");
});

// --- modes ---------------------------------------------------------------------------------------

test("single mode runs one StatefulSet tier without tail sampling or load balancing", async () => {
  const r = await rendered("dev");
  assert.equal([...r.configs.keys()], ["collector"]);
  assert.equal(
    workloads(r.objects).map((w) => `${w.kind}/${w.metadata.name}`),
    ["StatefulSet/otel-collector"],
  );
  const config = r.configs.get("collector") ?? {};
  assert.equal(config.service.pipelines.traces.processors, [
    "memory_limiter",
    "k8s_attributes",
    "resource",
    "attributes/redact",
    "redaction",
    "batch",
  ]);
  assert.not.ok("tail_sampling" in config.processors);
  assert.equal(Object.keys(config.exporters), ["otlp_grpc/tempo", "otlp_http/prometheus"]);
  assert.is(config.exporters["otlp_grpc/tempo"].endpoint, "tempo.tempo.svc.cluster.local:4317");
});

test("two-tier mode: front enriches and load-balances, gateway samples and exports to the distributor", async () => {
  const r = await rendered("staging");
  const front = r.configs.get("front") ?? {};
  const gateway = r.configs.get("gateway") ?? {};
  assert.equal(front.service.pipelines.traces.processors, [
    "memory_limiter",
    "k8s_attributes",
    "resource",
    "attributes/redact",
    "redaction",
  ]);
  assert.equal(front.service.pipelines.traces.exporters, ["load_balancing"]);
  assert.equal(gateway.service.pipelines.traces.processors, ["memory_limiter", "tail_sampling", "batch"]);
  assert.equal(gateway.service.pipelines.traces.exporters, ["otlp_grpc/tempo"]);
  assert.is(gateway.exporters["otlp_grpc/tempo"].endpoint, "tempo-distributor.tempo.svc.cluster.local:4317");
  assert.is(find(r.objects, "Deployment", "otel-collector-front").kind, "Deployment");
  assert.is(
    find(r.objects, "StatefulSet", "otel-collector-gateway").spec.serviceName,
    "otel-collector-gateway-headless",
  );
});

test("the front retries a failed batch through the ring as it then is: no queue or retry per gateway", async () => {
  const lb = (await rendered("staging")).configs.get("front")?.exporters.load_balancing;
  assert.equal(lb.protocol.otlp.sending_queue, { enabled: false });
  assert.equal(lb.protocol.otlp.retry_on_failure, { enabled: false });
  assert.is(lb.sending_queue.enabled, true);
  assert.is(lb.retry_on_failure.enabled, true);
});

test("a leaving gateway drains: preStop sleep = DNS TTL + resolver interval + decision wait + batch timeout + 3 s, inside its grace period", async () => {
  const drainOf = (r: Rendered) => {
    const spec = find(r.objects, "StatefulSet", "otel-collector-gateway").spec.template.spec;
    return { sleep: spec.containers[0].lifecycle?.preStop?.sleep?.seconds, grace: spec.terminationGracePeriodSeconds };
  };
  // 5 s + 5 s + 10 s + 1 s (200 ms rounded up) + 3 s.
  assert.equal(drainOf(await rendered("staging")), { sleep: 24, grace: 84 });
  const longer = await render("staging", {
    sampling: { decisionWait: "30s" },
    loadBalancing: { dnsInterval: "1500ms", dnsRecordTtl: "1m" },
    batch: { timeout: "2s" },
  });
  assert.equal(drainOf(longer), { sleep: 60 + 2 + 30 + 2 + 3, grace: 97 + 60 });
  // The front has no drain: its Service's clients retry elsewhere.
  const front = find((await rendered("staging")).objects, "Deployment", "otel-collector-front").spec.template.spec;
  assert.is(front.containers[0].lifecycle, undefined);
  assert.is(front.terminationGracePeriodSeconds, 60);
});

test("durations the drain is computed from must be whole ms, s or m: others are refused, naming the value", async () => {
  const result = await helmTemplate("staging", { sampling: { decisionWait: "1.5s" } });
  assert.is(result.ok, false);
  assert.match(result.stderr, /sampling\.decisionWait|decisionWait/);
});

test("the receiving tier forwards the metrics services push to Prometheus's OTLP receiver; the gateway does not", async () => {
  const endpoint = "http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/otlp";
  for (const [env, tier] of [
    ["dev", "collector"],
    ["staging", "front"],
  ] as const) {
    const r = await rendered(env);
    const config = r.configs.get(tier) ?? {};
    assert.equal(config.service.pipelines.metrics, {
      receivers: ["otlp"],
      processors: ["memory_limiter", "k8s_attributes", "resource", "batch"],
      exporters: ["otlp_http/prometheus"],
    });
    assert.is(config.exporters["otlp_http/prometheus"].endpoint, endpoint);
    // The NetworkPolicy of that tier lets it reach Prometheus, and only there on that port.
    const policy = find(r.objects, "NetworkPolicy", tier === "front" ? "otel-collector-front" : "otel-collector");
    const egress = (policy.spec.egress as Loose[]).filter((rule) => rule.ports?.some((p: Loose) => p.port === 9090));
    assert.equal(
      egress.map((rule) => rule.to),
      [[{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }]],
    );
  }
  const gateway = (await rendered("staging")).configs.get("gateway") ?? {};
  assert.not.ok("metrics" in gateway.service.pipelines);
  const off = await render("dev", { metrics: { endpoint: "" } });
  const config = off.configs.get("collector") ?? {};
  assert.not.ok("metrics" in config.service.pipelines);
  assert.not.ok("otlp_http/prometheus" in config.exporters);
  const policy = find(off.objects, "NetworkPolicy", "otel-collector");
  assert.not.ok((policy.spec.egress as Loose[]).some((rule) => rule.ports?.some((p: Loose) => p.port === 9090)));
});

test("the OTLP Service services send to selects the receiving tier in both modes", async () => {
  for (const [env, tier] of [
    ["dev", "collector"],
    ["prod", "front"],
  ] as const) {
    const r = await rendered(env);
    const svc = find(r.objects, "Service", "otel-collector");
    const workload = workloadOfTier(r, tier);
    assert.ok(
      workload && selects(svc.spec.selector, workload.spec.template.metadata.labels),
      `${env}: Service otel-collector → ${tier}`,
    );
    assert.equal(
      svc.spec.ports.map((p: { port: number }) => p.port),
      [4317, 4318],
    );
  }
});

// --- values flow into the config ----------------------------------------------------------------

test("resource processor stamps cluster name and environment from values", async () => {
  for (const env of ENVS) {
    const r = await rendered(env);
    const receiving = r.configs.get(env === "dev" ? "collector" : "front") ?? {};
    const { cluster } = await ciValues(env);
    assert.match(cluster.name, new RegExp(`^greenlang-${env}-`), "the cluster's own name");
    assert.equal(receiving.processors.resource.attributes, [
      { key: "k8s.cluster.name", value: cluster.name, action: "upsert" },
      { key: "deployment.environment.name", value: env, action: "upsert" },
    ]);
  }
});

test("redaction values become delete/hash actions and masked value patterns", async () => {
  const r = await render("dev", {
    redaction: { deleteAttributes: ["card.cvv"], hashAttributes: [], blockedValues: ["^secret-.*$"] },
  });
  const config = r.configs.get("collector") ?? {};
  assert.equal(config.processors["attributes/redact"].actions, [{ key: "card.cvv", action: "delete" }]);
  assert.equal(config.processors.redaction.blocked_values, ["^secret-.*$"]);
  assert.is(config.processors.redaction.allow_all_keys, true);
});

test("empty redaction lists leave the redaction processors out of the pipeline", async () => {
  const r = await render("dev", { redaction: { deleteAttributes: [], hashAttributes: [], blockedValues: [] } });
  const config = r.configs.get("collector") ?? {};
  assert.equal(config.service.pipelines.traces.processors, ["memory_limiter", "k8s_attributes", "resource", "batch"]);
  assert.not.ok("attributes/redact" in config.processors);
  assert.not.ok("redaction" in config.processors);
});

test("sampling policies render to tail_sampling policies of the pinned release", async () => {
  const r = await render("prod", EDGE_SAMPLING);
  const policies = r.configs.get("gateway")?.processors.tail_sampling.policies;
  assert.equal(policies, [
    { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
    { name: "keep-slow", type: "latency", latency: { threshold_ms: 2000 } },
    {
      name: "drop-health-checks",
      type: "drop",
      drop: {
        drop_sub_policy: [
          {
            name: "drop-health-checks-match",
            type: "string_attribute",
            string_attribute: { key: "url.path", values: ["^/(healthz|readyz|livez)$"], enabled_regex_matching: true },
          },
        ],
      },
    },
    {
      name: "payments-all",
      type: "string_attribute",
      string_attribute: { key: "service.name", values: ["payments"], enabled_regex_matching: false },
    },
    {
      name: "checkout-route",
      type: "and",
      and: {
        and_sub_policy: [
          {
            name: "checkout-route-match",
            type: "string_attribute",
            string_attribute: { key: "http.route", values: ["/api/checkout"], enabled_regex_matching: false },
          },
          { name: "checkout-route-rate", type: "probabilistic", probabilistic: { sampling_percentage: 50 } },
        ],
      },
    },
    { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: 5 } },
  ]);
  const tail = r.configs.get("gateway")?.processors.tail_sampling;
  assert.equal([tail.decision_wait, tail.num_traces, tail.expected_new_traces_per_sec], ["15s", 200000, 5000]);
});

// --- TLS -----------------------------------------------------------------------------------------

test("prod: OTLP receivers use the TLS Secret mounted into the front pods and ask for client certificates", async () => {
  const r = await rendered("prod");
  const serverOnly = {
    cert_file: "/etc/otelcol/tls/tls.crt",
    key_file: "/etc/otelcol/tls/tls.key",
    min_version: "1.3",
    reload_interval: "1h",
  };
  const receivers = r.configs.get("front")?.receivers.otlp.protocols;
  for (const protocol of ["grpc", "http"])
    assert.equal(receivers[protocol].tls, { ...serverOnly, client_ca_file: "/etc/otelcol/tls/ca.crt" });
  const server = (await render("prod", SERVER_TLS_ONLY)).configs.get("front")?.receivers.otlp.protocols;
  for (const protocol of ["grpc", "http"]) assert.equal(server[protocol].tls, serverOnly);
  const spec = find(r.objects, "Deployment", "otel-collector-front").spec.template.spec;
  assert.equal(
    spec.volumes.find((v: K8sObject) => v.name === "tls"),
    { name: "tls", secret: { secretName: "otel-collector-tls" } },
  );
  assert.ok(
    spec.containers[0].volumeMounts.some(
      (m: { name: string; mountPath: string }) => m.name === "tls" && m.mountPath === "/etc/otelcol/tls",
    ),
  );
  // The gateway only hears from the front tier inside the namespace: no TLS there.
  assert.is(r.configs.get("gateway")?.receivers.otlp.protocols.grpc.tls, undefined);
});

test("prod: a cert-manager Certificate issues that Secret for every name of the OTLP Service", async () => {
  const r = await rendered("prod");
  const certificates = ofKind(r.objects, "Certificate");
  assert.equal(
    certificates.map((c) => c.metadata.name),
    ["otel-collector"],
  );
  const certificate = certificates[0] as K8sObject;
  assert.is(certificate.apiVersion, "cert-manager.io/v1");
  assert.is(certificate.metadata.annotations["argocd.argoproj.io/sync-options"], "SkipDryRunOnMissingResource=true");
  const spec = certificate.spec;
  assert.is(spec.secretName, "otel-collector-tls");
  assert.equal(spec.issuerRef, { group: "cert-manager.io", kind: "ClusterIssuer", name: "greenlang-platform-ca" });
  // The names clients reach the OTLP Service by: the one Service that selects the receiving tier.
  const service = find(r.objects, "Service", "otel-collector");
  const host = `${service.metadata.name}.${service.metadata.namespace}`;
  assert.equal(spec.dnsNames, [service.metadata.name, host, `${host}.svc`, `${host}.svc.cluster.local`]);
  assert.equal(spec.usages, ["server auth", "digital signature"]);
  assert.equal([spec.duration, spec.renewBefore], ["2160h", "720h"]);
  // Off: the Secret must come from elsewhere, and the chart renders no Certificate.
  const off = await render("prod", { tls: { certificate: { enabled: false } } });
  assert.equal(ofKind(off.objects, "Certificate"), []);
});

test("dev and staging: no TLS on the receivers and no Secret volume", async () => {
  for (const env of ["dev", "staging"] as const) {
    const r = await rendered(env);
    for (const config of r.configs.values()) {
      for (const settings of Object.values(config.receivers.otlp.protocols) as K8sObject[])
        assert.is(settings.tls, undefined);
    }
    for (const { spec } of podSpecs(r)) assert.not.ok(spec.volumes.some((v: K8sObject) => v.name === "tls"));
    assert.equal(ofKind(r.objects, "Certificate"), []);
  }
});

// --- pods: security, resources, probes, memory ---------------------------------------------------

test("every pod is hardened: non-root, read-only root, no escalation, drop ALL, RuntimeDefault seccomp", async () => {
  for (const env of ENVS) {
    for (const { w, spec } of podSpecs(await rendered(env))) {
      const where = `${env} ${w.kind}/${w.metadata.name}`;
      assert.is(spec.securityContext.runAsNonRoot, true, where);
      assert.is(spec.securityContext.seccompProfile.type, "RuntimeDefault", where);
      assert.not.ok(spec.hostNetwork || spec.hostPID || spec.hostIPC, where);
      for (const c of spec.containers) {
        assert.equal(
          c.securityContext,
          {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          where,
        );
        assert.ok(
          c.resources.requests.cpu &&
            c.resources.requests.memory &&
            c.resources.limits.cpu &&
            c.resources.limits.memory,
          where,
        );
      }
    }
  }
});

test("probes hit the health_check extension's port", async () => {
  for (const env of ENVS) {
    const r = await rendered(env);
    for (const { w, spec } of podSpecs(r)) {
      const tier = w.metadata.labels["app.kubernetes.io/component"];
      const healthPort = Number(String(r.configs.get(tier)?.extensions.health_check.endpoint).split(":").pop());
      const c = spec.containers[0];
      const named = c.ports.find((p: { name: string }) => p.name === "health");
      assert.is(named.containerPort, healthPort);
      assert.is(c.readinessProbe.httpGet.port, "health");
      assert.is(c.livenessProbe.httpGet.port, "health");
    }
  }
});

function mib(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(m[1]) * (m[2] === "Gi" ? 1024 : 1);
}

test("GOMEMLIMIT is 80% of each container's memory limit", async () => {
  const seen: string[] = [];
  for (const env of ENVS) {
    for (const { spec } of podSpecs(await rendered(env))) {
      const c = spec.containers[0];
      const value = c.env.find((e: { name: string }) => e.name === "GOMEMLIMIT").value;
      assert.is(value, `${Math.floor((mib(c.resources.limits.memory) * 80) / 100)}MiB`);
      seen.push(value);
    }
  }
  const over = await render("prod", { tiers: { gateway: { resources: { limits: { cpu: "4", memory: "8Gi" } } } } });
  const gateway = find(over.objects, "StatefulSet", "otel-collector-gateway").spec.template.spec.containers[0];
  assert.is(gateway.env.find((e: { name: string }) => e.name === "GOMEMLIMIT").value, "6553MiB", "8Gi → 6553MiB");
  assert.ok(seen.length >= 5, "every tier of every cluster was checked");
});

test("only the receiving tier mounts a service account token, bound to a read-only ClusterRole", async () => {
  const r = await rendered("staging");
  assert.is(
    find(r.objects, "Deployment", "otel-collector-front").spec.template.spec.automountServiceAccountToken,
    true,
  );
  assert.is(
    find(r.objects, "StatefulSet", "otel-collector-gateway").spec.template.spec.automountServiceAccountToken,
    false,
  );
  const role = find(r.objects, "ClusterRole", "otel-collector-otel-collector-k8s-attributes");
  for (const rule of role.rules) assert.equal(rule.verbs, ["get", "list", "watch"]);
  const binding = find(r.objects, "ClusterRoleBinding", "otel-collector-otel-collector-k8s-attributes");
  assert.equal(binding.subjects, [
    { kind: "ServiceAccount", name: "otel-collector-front", namespace: "otel-collector" },
  ]);
});

// --- scaling and availability --------------------------------------------------------------------

test("HPA on the front tier only; HPA-managed workloads carry no replicas; every HPA targets a workload", async () => {
  for (const env of ["staging", "prod"] as const) {
    const r = await rendered(env);
    const hpas = ofKind(r.objects, "HorizontalPodAutoscaler");
    assert.equal(
      hpas.map((h) => h.metadata.name),
      ["otel-collector-front"],
    );
    for (const hpa of hpas) {
      const target = find(r.objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      assert.is(target.spec.replicas, undefined, `${env}: ${target.metadata.name} must leave replicas to the HPA`);
    }
    assert.ok(find(r.objects, "StatefulSet", "otel-collector-gateway").spec.replicas >= 2);
  }
  assert.equal(ofKind((await rendered("dev")).objects, "HorizontalPodAutoscaler"), []);
});

test("replicated workloads have a PDB selecting their pods and zone/node topology spread; single pods have neither", async () => {
  for (const env of ENVS) {
    const r = await rendered(env);
    const pdbs = ofKind(r.objects, "PodDisruptionBudget");
    for (const w of workloads(r.objects)) {
      const replicated = w.spec.replicas === undefined || w.spec.replicas > 1;
      const pdb = pdbs.find((p) => selects(p.spec.selector.matchLabels, w.spec.template.metadata.labels));
      const spread = w.spec.template.spec.topologySpreadConstraints ?? [];
      assert.is(Boolean(pdb), replicated, `${env} ${w.metadata.name}: PDB`);
      assert.equal(
        spread.map((s: { topologyKey: string }) => s.topologyKey),
        replicated ? ["topology.kubernetes.io/zone", "kubernetes.io/hostname"] : [],
      );
    }
    for (const pdb of pdbs) {
      assert.ok(
        workloads(r.objects).some((w) => selects(pdb.spec.selector.matchLabels, w.spec.template.metadata.labels)),
        `${env}: PDB ${pdb.metadata.name} targets no workload`,
      );
    }
  }
  const prodGateway = find((await rendered("prod")).objects, "StatefulSet", "otel-collector-gateway");
  assert.is(prodGateway.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
});

test("single mode can autoscale its StatefulSet: HPA targets it and the StatefulSet leaves replicas out", async () => {
  const r = await render("dev", {
    tiers: {
      collector: {
        autoscaling: {
          enabled: true,
          minReplicas: 2,
          maxReplicas: 4,
          targetCPUUtilizationPercentage: 70,
          targetMemoryUtilizationPercentage: 75,
        },
      },
    },
  });
  const hpa = find(r.objects, "HorizontalPodAutoscaler", "otel-collector");
  assert.equal(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "StatefulSet", name: "otel-collector" });
  const sts = find(r.objects, "StatefulSet", "otel-collector");
  assert.is(sts.spec.replicas, undefined);
  assert.ok(find(r.objects, "PodDisruptionBudget", "otel-collector"));
  assert.is(sts.spec.template.spec.topologySpreadConstraints.length, 2);
});

// --- services, network, monitoring ---------------------------------------------------------------

test("every Service selects the pods of a workload, and every port targets a named container port", async () => {
  for (const env of ENVS) {
    const r = await rendered(env);
    for (const svc of ofKind(r.objects, "Service")) {
      const backing = workloads(r.objects).filter((w) => selects(svc.spec.selector, w.spec.template.metadata.labels));
      assert.ok(backing.length > 0, `${env}: Service ${svc.metadata.name} selects no workload`);
      for (const port of svc.spec.ports) {
        for (const w of backing) {
          const names = w.spec.template.spec.containers.flatMap((c: K8sObject) =>
            c.ports.map((p: { name: string }) => p.name),
          );
          assert.ok(
            names.includes(port.targetPort),
            `${env}: ${svc.metadata.name} → ${w.metadata.name} has no port ${port.targetPort}`,
          );
        }
      }
    }
  }
});

test("NetworkPolicies: default deny, OTLP only from the allowed namespaces, gateway only from the front tier", async () => {
  const r = await rendered("prod");
  const deny = find(r.objects, "NetworkPolicy", "otel-collector-default-deny");
  assert.equal(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  const front = find(r.objects, "NetworkPolicy", "otel-collector-front");
  const allowed = (await ciValues("prod")).networkPolicy.allowedNamespaces;
  assert.ok(allowed.length > 0);
  assert.equal(front.spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values, allowed);
  const gateway = find(r.objects, "NetworkPolicy", "otel-collector-gateway");
  assert.equal(gateway.spec.ingress[0].from, [
    {
      podSelector: {
        matchLabels: {
          "app.kubernetes.io/name": "otel-collector",
          "app.kubernetes.io/instance": "otel-collector",
          "app.kubernetes.io/component": "front",
        },
      },
    },
  ]);
  assert.equal(gateway.spec.egress[1].to[0].namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "tempo" });
  const none = await render("dev", { networkPolicy: { allowedNamespaces: [] } });
  assert.ok(
    find(none.objects, "NetworkPolicy", "otel-collector").spec.ingress.every(
      (rule: K8sObject) => rule.ports[0].port !== 4317,
    ),
    "no allowed namespace → no OTLP ingress rule",
  );
});

test("logs: no pipeline without a backend; with one, egress to its namespace and port from the receiving tier only", async () => {
  for (const env of ENVS) {
    for (const config of (await rendered(env)).configs.values()) assert.is(config.service.pipelines.logs, undefined);
  }
  const r = await render("staging", {
    logs: { endpoint: "http://loki-gateway.loki.svc.cluster.local/otlp", namespace: "loki", port: 80, timeout: "10s" },
  });
  const egress = (name: string) =>
    JSON.stringify(find(r.objects, "NetworkPolicy", name).spec.egress ?? []).includes(
      '"kubernetes.io/metadata.name":"loki"',
    );
  assert.ok(egress("otel-collector-front"), "the front may reach the logs backend");
  assert.not.ok(egress("otel-collector-gateway"), "the gateway may not");
});

test("the ServiceMonitor scrapes the metrics Service, which exposes the telemetry reader's port", async () => {
  const r = await rendered("prod");
  const sm = find(r.objects, "ServiceMonitor", "otel-collector");
  const svc = find(r.objects, "Service", "otel-collector-metrics");
  assert.ok(selects(sm.spec.selector.matchLabels, svc.metadata.labels));
  assert.equal(sm.metadata.labels.release, (await ciValues("prod")).serviceMonitor.labels.release);
  assert.is(
    (await render("prod", { serviceMonitor: { labels: { release: "other" } } })).objects.find(
      (o) => o.kind === "ServiceMonitor",
    )?.metadata.labels.release,
    "other",
  );
  assert.is(svc.spec.ports[0].name, sm.spec.endpoints[0].port);
  for (const config of r.configs.values()) {
    assert.is(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port, svc.spec.ports[0].port);
  }
  const off = await render("dev", { serviceMonitor: { enabled: false } });
  assert.equal(ofKind(off.objects, "ServiceMonitor"), []);
});

test("the ServiceMonitor labels every series with its tier and its cluster, as Tempo's do", async () => {
  for (const env of ENVS) {
    const r = await rendered(env);
    const sm = find(r.objects, "ServiceMonitor", "otel-collector");
    assert.is(sm.metadata.annotations["argocd.argoproj.io/sync-options"], "SkipDryRunOnMissingResource=true");
    const values = (await ciValues(env)) as { cluster: { name: string } };
    assert.equal(sm.spec.endpoints[0].relabelings, [
      {
        action: "replace",
        sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_component"],
        targetLabel: "tier",
      },
      { action: "replace", targetLabel: "cluster", replacement: values.cluster.name },
    ]);
  }
});

// --- labels, namespace, image, determinism -------------------------------------------------------

const RECOMMENDED = ["name", "instance", "version", "component", "part-of", "managed-by"].map(
  (k) => `app.kubernetes.io/${k}`,
);

test("every object carries the recommended labels and namespaced ones live in otel-collector", async () => {
  for (const env of ENVS) {
    for (const o of (await rendered(env)).objects) {
      for (const label of RECOMMENDED)
        assert.ok(o.metadata.labels?.[label], `${env} ${o.kind}/${o.metadata.name}: ${label}`);
      if (!o.kind.startsWith("Cluster"))
        assert.is(o.metadata.namespace, "otel-collector", `${o.kind}/${o.metadata.name}`);
    }
  }
});

test("the deployed image is the contrib image of the release tools/otelcol builds for the tests", async () => {
  const chart = parse(await readFile(join(CHART_DIR, "Chart.yaml"), "utf8"));
  const builder = parse(await readFile(join(ROOT, "tools", "otelcol", "builder-config.yaml"), "utf8"));
  assert.is(chart.appVersion, builder.dist.version);
  for (const kind of ["receivers", "processors", "exporters", "extensions"]) {
    for (const { gomod } of builder[kind]) assert.ok(String(gomod).endsWith(` v${builder.dist.version}`), gomod);
  }
  for (const env of ENVS) {
    for (const { spec } of podSpecs(await rendered(env))) {
      assert.is(spec.containers[0].image, `otel/opentelemetry-collector-contrib:${chart.appVersion}`);
    }
  }
});

test("rendering is deterministic", async () => {
  const again = await render("prod");
  assert.is(again.manifest, (await rendered("prod")).manifest);
});

test.run();
