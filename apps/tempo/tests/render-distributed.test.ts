// Staging and prod: distributed Tempo on S3; prod highly available.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertHardenedPod, assertLabelled, selectsAWorkload, targetOf } from "./pods.ts";
import {
  at,
  CHART_DIR,
  ciValues,
  ciValuesOf,
  find,
  helm,
  helmTemplate,
  type K8sObject,
  KUBE_VERSION,
  type Mode,
  ofKind,
  renderMode,
  tempoConfig,
  workloads,
} from "./render.ts";

const COMPONENTS = ["distributor", "ingester", "querier", "query-frontend", "compactor", "metrics-generator"];
// What each cluster's values say; the tests check they reach the objects in the forms AWS needs.
const CLUSTERS = Object.fromEntries(
  (["staging", "prod"] as const).map((mode) => {
    const values = ciValuesOf(mode);
    return [
      mode,
      {
        name: values.cluster.name as string,
        environment: mode,
        bucket: values.storage.s3.bucket as string,
        role: values.serviceAccount.roleArn as string,
      },
    ];
  }),
) as Record<"staging" | "prod", { name: string; environment: string; bucket: string; role: string }>;

/** prod's zones (ci/prod-values.yaml): one ingester StatefulSet each; staging's ring is zone-blind. */
const PROD_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const INGESTER_SETS: Record<"staging" | "prod", string[]> = {
  staging: ["tempo-ingester"],
  prod: PROD_ZONES.map((zone) => `tempo-ingester-${zone}`),
};

function ingesters(objects: K8sObject[]): K8sObject[] {
  return workloads(objects).filter((w) => targetOf(w) === "ingester");
}

function component(objects: K8sObject[], name: string): K8sObject {
  if (name === "ingester") return ingesters(objects)[0] as K8sObject;
  return find(objects, "Deployment", `tempo-${name}`);
}

/** Argo CD's sync wave of an object ("0" when unannotated). */
function waveOf(o: K8sObject): number {
  return Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0");
}

/** The zones of the ingester sets in each sync wave that holds any. */
function zonesPerWave(objects: K8sObject[]): Map<number, Set<string>> {
  const waves = new Map<number, Set<string>>();
  for (const set of ingesters(objects)) {
    const zones = waves.get(waveOf(set)) ?? new Set<string>();
    zones.add(set.spec.template.metadata.labels["tempo.greenlang.io/zone"] ?? "(zone-blind)");
    waves.set(waveOf(set), zones);
  }
  return waves;
}

for (const mode of ["staging", "prod"] as const) {
  const t = suite(`${mode}`);
  const objects = renderMode(mode as Mode);
  const cluster = CLUSTERS[mode];

  t("renders every component, each with its own -target, and nothing monolithic", () => {
    for (const name of COMPONENTS) assert.is(targetOf(component(objects, name)), name);
    assert.is(workloads(objects).length, COMPONENTS.length - 1 + INGESTER_SETS[mode].length);
    assert.not.ok(workloads(objects).some((w) => targetOf(w) === "all"));
  });

  t("the ingesters are StatefulSets with a persistent WAL volume at /var/tempo", () => {
    assert.equal(
      ingesters(objects).map((w) => `${w.kind}/${w.metadata.name}`),
      INGESTER_SETS[mode].map((n) => `StatefulSet/${n}`),
    );
    for (const ingester of ingesters(objects)) {
      assert.is(ingester.spec.volumeClaimTemplates[0].metadata.name, "data");
      assert.is(ingester.spec.persistentVolumeClaimRetentionPolicy.whenScaled, "Retain");
      const mount = ingester.spec.template.spec.containers[0].volumeMounts.find(
        (m: { name: string }) => m.name === "data",
      );
      assert.is(mount.mountPath, "/var/tempo");
    }
    assert.is(at(tempoConfig(objects), "storage.trace.wal.path"), "/var/tempo/wal");
  });

  t("storage is S3 through IRSA: bucket, region, endpoint, no static keys", () => {
    const s3 = at(tempoConfig(objects), "storage.trace.s3") as Record<string, unknown>;
    assert.is(at(tempoConfig(objects), "storage.trace.backend"), "s3");
    assert.equal(s3, { bucket: cluster.bucket, region: "eu-west-1", endpoint: "s3.eu-west-1.amazonaws.com" });
    const sa = find(objects, "ServiceAccount", "tempo");
    assert.is(sa.metadata.annotations?.["eks.amazonaws.com/role-arn"], cluster.role);
    assert.match(cluster.role, new RegExp(`^arn:aws:iam::\\d{12}:role/${cluster.name}-tempo$`));
    assert.is(cluster.bucket, `${cluster.name}-tempo-traces`);
  });

  t("Service names match the contract and every Service selects a workload", () => {
    const distributor = find(objects, "Service", "tempo-distributor");
    const ports = distributor.spec.ports.map((p: { port: number }) => p.port);
    assert.ok(ports.includes(4317) && ports.includes(4318), "distributor Service lacks OTLP ports");
    const discovery = find(objects, "Service", "tempo-query-frontend-discovery");
    assert.is(discovery.spec.clusterIP, "None");
    const gossip = find(objects, "Service", "tempo-gossip-ring");
    assert.is(gossip.spec.clusterIP, "None");
    assert.is(gossip.spec.ports[0].port, 7946);
    for (const s of ofKind(objects, "Service"))
      assert.ok(selectsAWorkload(s, workloads(objects)), `${s.metadata.name} selects no workload`);
    const config = tempoConfig(objects);
    assert.equal(at(config, "memberlist.join_members"), ["dns+tempo-gossip-ring.tempo.svc.cluster.local:7946"]);
    assert.is(
      at(config, "querier.frontend_worker.frontend_address"),
      "tempo-query-frontend-discovery.tempo.svc.cluster.local:9095",
    );
  });

  t("the gossip Service reaches exactly the ring members: every component but the query-frontend", () => {
    const gossip = find(objects, "Service", "tempo-gossip-ring");
    const members = workloads(objects)
      .filter((w) => selectsAWorkload(gossip, [w]))
      .map((w) => w.metadata.name)
      .sort();
    assert.equal(
      members,
      [
        "tempo-compactor",
        "tempo-distributor",
        ...INGESTER_SETS[mode],
        "tempo-metrics-generator",
        "tempo-querier",
      ].sort(),
    );
  });

  t("every pod is hardened and every object labelled with the cluster", () => {
    for (const w of workloads(objects)) assertHardenedPod(w);
    for (const o of objects) assertLabelled(o, cluster);
  });

  t("HPAs target existing Deployments, which then carry no replicas", () => {
    const hpas = ofKind(objects, "HorizontalPodAutoscaler");
    assert.equal(hpas.map((h) => h.metadata.name).sort(), ["tempo-distributor", "tempo-querier"]);
    for (const hpa of hpas) {
      const target = find(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      assert.is(target.spec.replicas, undefined, `${target.metadata.name} keeps replicas under an HPA`);
    }
    assert.is(component(objects, "query-frontend").spec.replicas, 2);
  });

  t("every PDB selects an existing workload; each ingester set allows one pod down", () => {
    for (const pdb of ofKind(objects, "PodDisruptionBudget")) {
      const selector: Record<string, string> = pdb.spec.selector.matchLabels;
      const matched = workloads(objects).filter((w) =>
        Object.entries(selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v),
      );
      assert.is(matched.length, 1, `${pdb.metadata.name} selects ${matched.length} workloads`);
    }
    for (const name of INGESTER_SETS[mode])
      assert.is(find(objects, "PodDisruptionBudget", name).spec.maxUnavailable, 1);
  });

  t(
    "every ServiceMonitor lets Argo CD apply the rest of the app where the prometheus-operator CRDs are missing",
    () => {
      const monitors = ofKind(objects, "ServiceMonitor");
      assert.ok(monitors.length > 0);
      for (const monitor of monitors) {
        assert.is(
          monitor.metadata.annotations?.["argocd.argoproj.io/sync-options"],
          "SkipDryRunOnMissingResource=true",
        );
      }
    },
  );

  t("each ServiceMonitor selects exactly one Service, so no pod is scraped twice", () => {
    for (const monitor of ofKind(objects, "ServiceMonitor")) {
      const { matchLabels, matchExpressions } = monitor.spec.selector;
      const selected = ofKind(objects, "Service").filter((s) => {
        const labels = s.metadata.labels ?? {};
        const labelsMatch = Object.entries(matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v);
        const absent = (matchExpressions as { key: string; operator: string }[]).every(
          (e) => e.operator === "DoesNotExist" && !(e.key in labels),
        );
        return labelsMatch && absent;
      });
      assert.equal(
        selected.map((s) => s.metadata.name),
        [monitor.metadata.name],
        `${monitor.metadata.name} selects ${selected.length} Services`,
      );
    }
  });

  t("ServiceMonitors give job=<namespace>/<component> and the cluster label", () => {
    for (const name of COMPONENTS) {
      const monitor = find(objects, "ServiceMonitor", `tempo-${name}`);
      const relabel = Object.fromEntries(
        monitor.spec.endpoints[0].relabelings.map((r: { targetLabel: string; replacement: string }) => [
          r.targetLabel,
          r.replacement,
        ]),
      );
      assert.equal(relabel, { job: `tempo/${name}`, cluster: cluster.name });
      assert.is(monitor.spec.selector.matchLabels["app.kubernetes.io/component"], name);
    }
  });

  t.run();
}

const prod = suite("prod (high availability)");
const objects = renderMode("prod");

prod("replication factor 3 over six ingesters, two in each of three zones", () => {
  assert.is(at(tempoConfig(objects), "ingester.lifecycler.ring.replication_factor"), 3);
  assert.equal(
    ingesters(objects).map((w) => w.spec.replicas),
    [2, 2, 2],
  );
});

prod("the ring is zone-aware and each zone's ingester set is pinned to its zone and tells Tempo so", () => {
  const config = tempoConfig(objects);
  assert.is(at(config, "ingester.lifecycler.ring.zone_awareness_enabled"), true);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder that Tempo expands itself (-config.expand-env)
  assert.is(at(config, "ingester.lifecycler.availability_zone"), "${TEMPO_AVAILABILITY_ZONE}");
  for (const [i, set] of ingesters(objects).entries()) {
    const zone = PROD_ZONES[i];
    const pod = set.spec.template.spec;
    assert.equal(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [
      { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] },
    ]);
    assert.equal(pod.containers[0].env, [{ name: "TEMPO_AVAILABILITY_ZONE", value: zone }]);
    assert.is(set.spec.selector.matchLabels["tempo.greenlang.io/zone"], zone);
    // The sets share the ingester Service, which selects every zone.
    assert.is(set.spec.serviceName, "tempo-ingester");
    assert.ok(selectsAWorkload(find(objects, "Service", "tempo-ingester"), [set]));
  }
  // Every Tempo container expands the config the same way (the zone is "" outside ingesters).
  for (const w of workloads(objects))
    assert.ok(w.spec.template.spec.containers[0].args.includes("-config.expand-env=true"));
});

prod("no sync wave holds ingesters of two zones: zone after zone, after everything else", () => {
  const waves = zonesPerWave(objects);
  assert.equal(
    [...waves].map(([wave, zones]) => [wave, [...zones]]),
    PROD_ZONES.map((zone, i) => [i + 1, [zone]]),
  );
  // Everything else (config, Services, the other components) is in wave 0, before any zone.
  for (const o of objects.filter((x) => !ingesters(objects).includes(x))) assert.is(waveOf(o), 0, o.metadata.name);
});

prod("the wave check fires when two zones share a wave", () => {
  const shared = structuredClone(objects);
  const [, second] = ingesters(shared);
  (second as K8sObject).metadata.annotations = { "argocd.argoproj.io/sync-wave": "1" };
  assert.equal([...(zonesPerWave(shared).get(1) ?? [])], ["eu-west-1a", "eu-west-1b"]);
});

prod("replicated components spread strictly over zones, then nodes; zone ingesters over their zone's nodes", () => {
  for (const w of workloads(objects)) {
    if (targetOf(w) === "ingester") {
      const [node, ...rest] = w.spec.template.spec.topologySpreadConstraints;
      assert.is(rest.length, 0, w.metadata.name);
      assert.is(node.topologyKey, "kubernetes.io/hostname", w.metadata.name);
      assert.equal(node.labelSelector.matchLabels, w.spec.selector.matchLabels);
      continue;
    }
    const [zone, node] = w.spec.template.spec.topologySpreadConstraints;
    assert.is(zone.topologyKey, "topology.kubernetes.io/zone", w.metadata.name);
    assert.is(zone.whenUnsatisfiable, "DoNotSchedule", w.metadata.name);
    assert.is(node.topologyKey, "kubernetes.io/hostname", w.metadata.name);
    assert.equal(zone.labelSelector.matchLabels, {
      "app.kubernetes.io/name": "tempo",
      "app.kubernetes.io/instance": "tempo",
      "app.kubernetes.io/component": w.metadata.labels?.["app.kubernetes.io/component"],
    });
  }
});

prod("every replicated workload has a PDB, each zone's ingesters their own", () => {
  for (const name of COMPONENTS.filter((c) => c !== "ingester")) find(objects, "PodDisruptionBudget", `tempo-${name}`);
  for (const name of INGESTER_SETS.prod) find(objects, "PodDisruptionBudget", name);
  assert.not.ok(ofKind(objects, "PodDisruptionBudget").some((p) => p.metadata.name === "tempo-ingester"));
});

prod(
  "NetworkPolicies: default deny plus OTLP from the collector, queries from Grafana, scrapes from monitoring",
  () => {
    const deny = find(objects, "NetworkPolicy", "tempo-default-deny");
    assert.equal(deny.spec.podSelector, {});
    assert.equal(deny.spec.policyTypes, ["Ingress", "Egress"]);
    assert.is(deny.spec.ingress, undefined);
    const from = (name: string) => {
      const policy = find(objects, "NetworkPolicy", name);
      const rule = policy.spec.ingress[0];
      return {
        pods: policy.spec.podSelector.matchLabels["app.kubernetes.io/component"],
        namespace: rule.from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"],
        ports: rule.ports.map((p: { port: number }) => p.port),
      };
    };
    assert.equal(from("tempo-otlp-ingress"), { pods: "distributor", namespace: "otel-collector", ports: [4317, 4318] });
    assert.equal(from("tempo-query-ingress"), { pods: "query-frontend", namespace: "grafana", ports: [3200] });
    assert.equal(from("tempo-metrics-ingress"), { pods: undefined, namespace: "monitoring", ports: [3200] });
    const internal = find(objects, "NetworkPolicy", "tempo-internal");
    assert.equal(
      internal.spec.ingress[0].ports.map((p: { port: number }) => p.port),
      [3200, 9095, 7946],
    );
    const s3 = find(objects, "NetworkPolicy", "tempo-object-storage-egress");
    assert.equal(s3.spec.egress[0].ports, [{ protocol: "TCP", port: 443 }]);
    const dns = find(objects, "NetworkPolicy", "tempo-dns-egress");
    assert.equal(
      dns.spec.egress[0].ports.map((p: { protocol: string }) => p.protocol),
      ["UDP", "TCP"],
    );
    const remoteWrite = find(objects, "NetworkPolicy", "tempo-remote-write-egress");
    assert.is(remoteWrite.spec.podSelector.matchLabels["app.kubernetes.io/component"], "metrics-generator");
  },
);

prod("ServiceMonitors carry the selector labels Prometheus looks for", () => {
  for (const m of ofKind(objects, "ServiceMonitor")) assert.is(m.metadata.labels?.release, "kube-prometheus-stack");
});

prod.run();

const toggles = suite("toggles");

toggles("with autoscaling off the Deployments keep replicas and no HPA renders", () => {
  const off = renderMode("staging", ["distributor.autoscaling.enabled=false", "querier.autoscaling.enabled=false"]);
  assert.is(ofKind(off, "HorizontalPodAutoscaler").length, 0);
  const values = ciValuesOf("staging");
  assert.is(find(off, "Deployment", "tempo-distributor").spec.replicas, values.distributor.replicas);
  assert.is(find(off, "Deployment", "tempo-querier").spec.replicas, values.querier.replicas);
});

toggles("metrics-generator, NetworkPolicies and ServiceMonitors can each be turned off", () => {
  const off = renderMode("prod", [
    "metricsGenerator.enabled=false",
    "networkPolicy.enabled=false",
    "serviceMonitor.enabled=false",
  ]);
  assert.is(ofKind(off, "NetworkPolicy").length, 0);
  assert.is(ofKind(off, "ServiceMonitor").length, 0);
  assert.not.ok(workloads(off).some((w) => targetOf(w) === "metrics-generator"));
  assert.is(at(tempoConfig(off), "metrics_generator"), undefined);
  assert.is(at(tempoConfig(off), "overrides.defaults.metrics_generator"), undefined);
});

toggles("a config change rolls every workload (checksum/config), a resources change does not", () => {
  const checksums = (objs: K8sObject[]) =>
    workloads(objs).map((w) => w.spec.template.metadata.annotations["checksum/config"] as string);
  const base = checksums(renderMode("prod"));
  assert.is(new Set(base).size, 1, "all workloads share one config");
  const retention = checksums(renderMode("prod", ["storage.retention=360h"]));
  assert.is.not(retention[0], base[0]);
  const resized = checksums(renderMode("prod", ["compactor.resources.limits.memory=8Gi"]));
  assert.is(resized[0], base[0]);
});

toggles("fewer ingesters than the replication factor fails with both values named", () => {
  const result = helmTemplate([ciValues("prod")], ["ingester.replicas=2"]);
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /ingester\.replicas \(2\) must be at least ingester\.replicationFactor \(3\)/);
});

toggles("zone-blind staging: one ingester set, no zone in the config, no env expansion", () => {
  const staging = renderMode("staging");
  assert.is(at(tempoConfig(staging), "ingester.lifecycler.ring.zone_awareness_enabled"), undefined);
  assert.is(at(tempoConfig(staging), "ingester.lifecycler.availability_zone"), undefined);
  for (const w of workloads(staging))
    assert.not.ok(w.spec.template.spec.containers[0].args.includes("-config.expand-env=true"));
});

toggles("zone-aware ingesters not divisible over the zones, or fewer zones than copies, fail", () => {
  const uneven = helmTemplate([ciValues("prod")], ["ingester.replicas=7"]);
  assert.is.not(uneven.status, 0);
  assert.match(uneven.stderr, /ingester\.replicas \(7\) must be a multiple of the 3 ingester\.zones/);
  const two = helmTemplate([ciValues("prod")], ["ingester.zones={eu-west-1a,eu-west-1b}"]);
  assert.is.not(two.status, 0);
  assert.match(
    two.stderr,
    /ingester\.zones \(2: eu-west-1a, eu-west-1b\) must number at least ingester\.replicationFactor \(3\)/,
  );
});

toggles('with zones, a "$" elsewhere in the config fails (expand-env would eat it); zone-blind it renders', () => {
  const url = "metricsGenerator.remoteWriteUrl=http://prometheus.monitoring:9090/api/v1/write?tenant=$TENANT";
  const zoned = helmTemplate([ciValues("prod")], [url]);
  assert.is.not(zoned.status, 0);
  assert.match(
    zoned.stderr,
    /the Tempo config contains a "\$" \(in "url: http:\/\/prometheus\.monitoring:9090\/api\/v1\/write\?tenant=\$TENANT"\)/,
  );
  assert.is(helmTemplate([ciValues("staging")], [url]).status, 0);
});

toggles("an ingester set name too long for its pods' labels fails", () => {
  const zone = "eu-west-1-lax-1a-local-zone-one";
  const args = ["template", "tracing-store", CHART_DIR, "--namespace", "tempo", "--kube-version", KUBE_VERSION];
  const result = helm([...args, "-f", ciValues("prod"), "--set", `ingester.zones={${zone},b,c}`]);
  assert.is.not(result.status, 0);
  assert.match(result.stderr, `ingester StatefulSet tracing-store-ingester-${zone} is 54 characters, at most 52`);
  assert.is(helm([...args, "-f", ciValues("prod")]).status, 0);
});

toggles("an HPA whose minimum exceeds its maximum fails", () => {
  const result = helmTemplate([ciValues("prod")], ["querier.autoscaling.minReplicas=30"]);
  assert.is.not(result.status, 0);
  assert.match(
    result.stderr,
    /querier\.autoscaling\.minReplicas \(30\) must not exceed querier\.autoscaling\.maxReplicas \(20\)/,
  );
});

toggles("a burst below the rate limit fails", () => {
  const result = helmTemplate([ciValues("prod")], ["limits.burstSizeBytes=1000"]);
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /limits\.burstSizeBytes \(1000\) must be at least limits\.rateLimitBytes/);
});

toggles.run();
