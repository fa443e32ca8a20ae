// needs tools: kube-apiserver
// The live phase on real API servers (etcd and kube-apiserver of each committed minor, on
// loopback): the committed clusters pass it; each kind of finding fires on a broken fixture; a
// model whose minor has no API server is refused by name; and, through the CLI on a scratch clone,
// growing the staging ingesters' volumes fails `validate --live --base` on the claim templates.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { removeScratch, runGenerate, scratchRepo } from "../../generators/tests/scratch.ts";
import { clusterTreeObjects, parseYamlFile } from "../engine/load.ts";
import type { K8sObject } from "../engine/types.ts";
import { runGate } from "../gate.ts";
import { canonicalQuantity } from "../rules/k8s-quantities-canonical/rule.ts";
import { liveWorkDir, makeCredentials, startApiServer, startEtcd } from "./controlplane.ts";
import { LIVE_RULES } from "./findings.ts";
import { runLivePhase } from "./phase.ts";
import { apiServerTool, binDir, declaredTools, ETCD_TOOL, ensureTools } from "./tools.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(import.meta.dirname, "fixtures");

ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));

function fixture(name: string): K8sObject[] {
  const file = `policies/live/fixtures/${name}.yaml`;
  return parseYamlFile(file, readFileSync(join(FIXTURES, `${name}.yaml`), "utf8")).objects;
}

test("every committed cluster passes the live phase (strict dry run, apply, idempotent re-apply)", async () => {
  const result = await runGate({ root: ROOT, paths: ["clusters"], configChecks: false, live: true });
  const live = result.findings.filter((f) => f.rule.startsWith("live-"));
  assert.equal(
    live.map((f) => `${f.file} ${f.kind}/${f.name} ${f.path}: ${f.message}`),
    [],
  );
  // Each cluster was really applied: the phase timed each one's three steps.
  for (const env of ["dev", "staging", "prod"]) {
    assert.ok(
      result.timings[`live:${env}:apply`] !== undefined,
      `${env} was not applied: ${JSON.stringify(result.timings)}`,
    );
  }
  assert.ok(
    result.notes.some((n) => /argocd/.test(n)),
    `the argocd namespace is a prerequisite: ${result.notes}`,
  );
});

test("each finding kind fires on its fixture, with the API server's words, and the good object stays quiet", async () => {
  const namespace = fixture("namespace");
  const objects = [
    ...namespace,
    ...fixture("good"),
    ...fixture("unknown-field"),
    ...fixture("refused-value"),
    ...fixture("pod-security"),
    ...fixture("statefulset"),
  ];
  const { findings } = await runLivePhase({
    root: ROOT,
    clusters: [
      {
        environment: "fixtures",
        minor: "1.33",
        objects,
        base: { label: "base (fixture)", objects: [...namespace, ...fixture("statefulset-base")] },
      },
    ],
  });
  const seen = findings.map(
    (f) => `${f.rule} ${f.file.replace("policies/live/fixtures/", "")} ${f.kind}/${f.name} ${f.path}`,
  );
  assert.equal(seen.sort(), [
    `${LIVE_RULES.rejected} refused-value.yaml Service/refused-value spec.ports[0].port`,
    `${LIVE_RULES.unknownField} unknown-field.yaml Deployment/unknown-field spec.template.spec.containers[name="app"].imagePullPolcy`,
    `${LIVE_RULES.upgradeRefused} statefulset.yaml StatefulSet/immutable spec.volumeClaimTemplates`,
    `${LIVE_RULES.warning} pod-security.yaml Deployment/pod-security `,
  ]);
  const message = (rule: string) => findings.find((f) => f.rule === rule)?.message ?? "";
  assert.match(message(LIVE_RULES.rejected), /v1\.33\.\d+.*must be between 1 and 65535/);
  assert.match(message(LIVE_RULES.warning), /would violate PodSecurity "restricted:latest".*privileged/);
  assert.match(
    message(LIVE_RULES.upgradeRefused),
    /running base \(fixture\).*updates to statefulset spec for fields other than/,
  );
  assert.match(
    findings.find((f) => f.rule === LIVE_RULES.upgradeRefused)?.remediation ?? "",
    /delete statefulset immutable --cascade=orphan/,
  );
});

test("with monitoring.prometheusOperator off, a cluster renders no ServiceMonitor and applies where those CRDs are missing", async () => {
  const root = await scratchRepo();
  try {
    const model = join(root, "clusters", "dev", "cluster.ts");
    const text = readFileSync(model, "utf8");
    writeFileSync(model, text.replace(/^ {2}tempo: \{$/m, "  monitoring: { prometheusOperator: false },\n  tempo: {"));
    const run = runGenerate(root, "--env", "dev");
    assert.is(run.status, 0, run.stdout + run.stderr);
    const objects = clusterTreeObjects(root, "dev");
    assert.equal(
      objects.filter((o) => o.apiVersion.startsWith("monitoring.coreos.com/")).map((o) => o.name),
      [],
    );
    // The API server gets only the CRDs the tree uses: here none of prometheus-operator's.
    const { findings } = await runLivePhase({ root: ROOT, clusters: [{ environment: "dev", minor: "1.34", objects }] });
    assert.equal(
      findings.map((f) => `${f.rule} ${f.kind}/${f.name}: ${f.message}`),
      [],
    );
  } finally {
    await removeScratch(root);
  }
});

test("a cluster whose Kubernetes minor has no pinned API server is refused by name, on the model", async () => {
  const { findings } = await runLivePhase({
    root: ROOT,
    clusters: [{ environment: "future", minor: "1.99", objects: fixture("good") }],
  });
  assert.equal(
    findings.map((f) => [f.rule, f.file, f.path]),
    [[LIVE_RULES.kubernetesVersion, "clusters/future/cluster.ts", "identity.kubernetesVersion"]],
  );
  assert.match(findings[0]?.message ?? "", /Kubernetes 1\.99 has no API server .*tools\/kube-apiserver-1\.99\//);
  assert.match(findings[0]?.remediation ?? "", /new-minor\.sh v1\.99\./);
});

test("live findings join the gate's report and are waived like any other, with the reason kept", async () => {
  // A cluster folder of its own (the live phase applies clusters/<env>/ trees), beside this
  // repository's tools and schemas.
  const root = mkdtempSync(join(tmpdir(), "live-waiver-"));
  try {
    for (const shared of ["tools", "schemas", ".tools"]) symlinkSync(join(ROOT, shared), join(root, shared));
    const dir = join(root, "clusters", "fx");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cluster.ts"), 'export default { identity: { kubernetesVersion: "1.33.0" } };\n');
    cpSync(join(FIXTURES, "namespace.yaml"), join(dir, "namespace.yaml"));
    const reason = "a debugging pod, accepted for this fixture";
    const waived = readFileSync(join(FIXTURES, "pod-security.yaml"), "utf8").replace(
      "  namespace: fixtures\n",
      `  namespace: fixtures\n  annotations:\n    policy.greenlang.io/waive.live-warning: "${reason}"\n`,
    );
    writeFileSync(join(dir, "pod-security.yaml"), waived);
    const result = await runGate({
      root,
      paths: ["clusters/fx"],
      configChecks: false,
      live: true,
      today: "2026-12-01",
    });
    const live = result.findings.filter((f) => f.rule.startsWith("live-"));
    assert.equal(
      live.map((f) => [f.rule, f.file, f.waived, f.waiver]),
      [[LIVE_RULES.warning, "clusters/fx/pod-security.yaml", true, reason]],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the gate's canonical quantities are the ones a real API server stores", async () => {
  const quantities = [
    "1000m",
    "1500m",
    "0.5",
    "1",
    "1024Mi",
    "1536Mi",
    "1.5Gi",
    "0.5Gi",
    "2Gi",
    "1000",
    "1024",
    "0",
    "3000Mi",
    "100Mi",
  ];
  const work = liveWorkDir();
  const etcd = await startEtcd(join(binDir(ROOT), ETCD_TOOL), work);
  const server = await startApiServer(join(binDir(ROOT), apiServerTool("1.33")), {
    etcd,
    credentials: makeCredentials(work),
    prefix: "quantities",
    workDir: work,
  });
  try {
    // One container per quantity, each as a memory limit; a dry run returns what would be stored.
    const manifest = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "quantities", namespace: "default" },
      spec: {
        selector: { matchLabels: { app: "q" } },
        template: {
          metadata: { labels: { app: "q" } },
          spec: {
            containers: quantities.map((q, i) => ({
              name: `c${i}`,
              image: "x:1",
              resources: { limits: { memory: q } },
            })),
          },
        },
      },
    };
    const response = await server.client.apply("/apis/apps/v1/namespaces/default/deployments/quantities", manifest, {
      dryRun: true,
    });
    assert.is(response.status, 201, JSON.stringify(response.body));
    const stored = (
      response.body as { spec: { template: { spec: { containers: { resources: { limits: { memory: string } } }[] } } } }
    ).spec.template.spec.containers.map((c) => c.resources.limits.memory);
    assert.equal(
      quantities.map((q) => canonicalQuantity(q)),
      stored,
    );
  } finally {
    await server.stop();
    await etcd.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

/** A clone of this repository (committed state plus the working tree's changes) with its own git history. */
function scratchClone(): string {
  const dir = mkdtempSync(join(tmpdir(), "live-cli-"));
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync("git", args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  git(ROOT, "clone", "--quiet", "--shared", ROOT, dir);
  // What the working tree has beyond the last commit, so the test checks the code as it is.
  for (const file of git(ROOT, "ls-files", "--modified", "--others", "--exclude-standard")
    .split("\n")
    .filter(Boolean)) {
    try {
      cpSync(join(ROOT, file), join(dir, file), { recursive: true });
    } catch {
      rmSync(join(dir, file), { force: true }); // deleted in the working tree
    }
  }
  for (const shared of ["node_modules", ".tools"]) symlinkSync(join(ROOT, shared), join(dir, shared));
  git(dir, "add", "-A");
  git(
    dir,
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.invalid",
    "commit",
    "--quiet",
    "--allow-empty",
    "-m",
    "base",
  );
  return dir;
}

test("validate --live --base: growing tempo.ingester.volumeSize fails on the StatefulSet's volumeClaimTemplates", () => {
  const dir = scratchClone();
  try {
    const model = join(dir, "clusters", "staging", "cluster.ts");
    const text = readFileSync(model, "utf8");
    assert.match(text, /volumeSize: "20Gi"/);
    writeFileSync(model, text.replace('volumeSize: "20Gi"', 'volumeSize: "40Gi"'));
    const node = process.execPath;
    // generate's impact report refuses it until acknowledged; the offline gate accepts it, and only
    // the live upgrade check sees what the API server will say.
    const refused = spawnSync(node, ["generators/cli.ts", "--env", "staging"], { cwd: dir, encoding: "utf8" });
    assert.is(refused.status, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /immutable-field@staging\/StatefulSet\/tempo-ingester needs an acknowledgement/);
    const generate = spawnSync(
      node,
      [
        "generators/cli.ts",
        "--env",
        "staging",
        "--acknowledge",
        "immutable-field@staging/StatefulSet/tempo-ingester: the test wants the refused update",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    assert.is(generate.status, 0, generate.stdout + generate.stderr);
    const validate = spawnSync(
      node,
      ["policies/cli.ts", "clusters/staging", "--no-config-checks", "--live", "--base", "HEAD", "--format", "json"],
      { cwd: dir, encoding: "utf8", env: { ...process.env, GATE_NO_CACHE: "1" } },
    );
    assert.is(validate.status, 1, validate.stdout + validate.stderr);
    const findings = JSON.parse(validate.stdout) as {
      rule: string;
      kind: string;
      name: string;
      path: string;
      waived: boolean;
    }[];
    const open = findings.filter((f) => !f.waived).map((f) => `${f.rule} ${f.kind}/${f.name} ${f.path}`);
    assert.equal(open, [`${LIVE_RULES.upgradeRefused} StatefulSet/tempo-ingester spec.volumeClaimTemplates`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
