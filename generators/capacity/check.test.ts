// The Collector capacity check: its arithmetic on synthetic measurements, its boundary, its
// message, the committed measurements' agreement with the Collector the clusters run, and the
// `npm run capacity` command on the committed clusters.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import devInput from "../../clusters/dev/cluster.ts";
import prodInput from "../../clusters/prod/cluster.ts";
import stagingInput from "../../clusters/staging/cluster.ts";
import { median } from "../../scripts/stats.ts";
import type { Cluster, ClusterInput } from "../model/types.ts";
import { resolveCluster } from "../model/validate.ts";
import { IMAGES } from "../platform.ts";
import { capacityIssues, collectorCapacity, ingestSpansPerSecond } from "./check.ts";
import { MEASURED_FILE, type Measured, measured, parseMeasured, TIER_NAMES } from "./data.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const inputs: Record<string, ClusterInput> = { dev: devInput, staging: stagingInput, prod: prodInput };

function cluster(env: string, change: (input: ClusterInput) => void = () => {}): Cluster {
  const input = structuredClone(inputs[env]) as ClusterInput;
  change(input);
  return resolveCluster(input, `clusters/${env}/cluster.ts`, env, { checkCapacity: false });
}

function synthetic(tiers: Record<"single" | "front" | "gateway", number>): Measured {
  const tier = (n: number) => ({ spansPerCpuSecond: n, runs: [n], peakRssMiB: 100 });
  return {
    $comment: "test",
    collectorVersion: "0.160.0",
    measuredOn: { date: "2026-12-01", cpu: "test", cores: 2, node: "v24" },
    load: { offeredSpansPerSecond: 6000, secondsPerRun: 10, runs: 1, protobufBytesPerSpan: 345 },
    configs: { single: "clusters/dev", front: "clusters/staging", gateway: "clusters/staging" },
    tiers: { single: tier(tiers.single), front: tier(tiers.front), gateway: tier(tiers.gateway) },
  };
}

test("ingest in spans per second is MB/s (10^6 bytes) over the stated bytes per span", () => {
  assert.is(ingestSpansPerSecond(cluster("staging")), 8_000);
  const smaller = cluster("staging", (i) => {
    i.tempo = { ...i.tempo, bytesPerSpan: 250 };
  });
  assert.is(ingestSpansPerSecond(smaller), 16_000);
});

test("two tiers: pods × CPU request × measured throughput, counted with one pod down", () => {
  // staging: 8,000 spans/s; front and gateway 2 × 500m.
  const [front, gateway] = collectorCapacity(
    cluster("staging"),
    synthetic({ single: 1, front: 10_000, gateway: 20_000 }),
  );
  assert.equal(
    {
      tier: front?.tier,
      capacity: front?.capacity,
      podsCounted: front?.podsCounted,
      counted: front?.capacityCounted,
      headroom: front?.headroom,
    },
    { tier: "front", capacity: 10_000, podsCounted: 1, counted: 5_000, headroom: -0.375 },
  );
  assert.equal(
    {
      tier: gateway?.tier,
      capacity: gateway?.capacity,
      counted: gateway?.capacityCounted,
      headroom: gateway?.headroom,
    },
    { tier: "gateway", capacity: 20_000, counted: 10_000, headroom: 0.25 },
  );
});

test("a one-pod tier is counted with its one pod (dev's single tier)", () => {
  const [single, ...rest] = collectorCapacity(cluster("dev"), synthetic({ single: 20_000, front: 1, gateway: 1 }));
  assert.is(rest.length, 0, "a single-mode cluster has one tier");
  // dev: 1,000 spans/s; 1 × 100m.
  assert.equal(
    { podsCounted: single?.podsCounted, counted: single?.capacityCounted },
    { podsCounted: 1, counted: 2_000 },
  );
});

test("exactly enough passes; a span per second short fails, naming the path, the numbers and the fix", () => {
  // staging's front, one pod counted at 500m: 16,000 spans/cpu-s carries exactly 8,000.
  assert.equal(capacityIssues(cluster("staging"), synthetic({ single: 1, front: 16_000, gateway: 16_000 })), []);
  const issues = capacityIssues(cluster("staging"), synthetic({ single: 1, front: 15_998, gateway: 16_000 }));
  assert.equal(issues, [
    {
      path: "collector.front.replicas",
      expected:
        "at least 3 pods at 500m CPU requested each (or more CPU per pod) to carry 8,000 spans/s with one pod down " +
        "(tempo.ingestMBps 4 MB/s ÷ tempo.bytesPerSpan 500 B): the front tier carries 15,998 spans per CPU-second, " +
        `measured on otelcol 0.160.0 (${MEASURED_FILE}), so 1 pod carries 7,999`,
      got: 2,
    },
  ]);
  // The fix it names is enough.
  const fixed = cluster("staging", (i) => {
    i.collector = { ...i.collector, front: { ...i.collector?.front, replicas: 3 } };
  });
  assert.equal(capacityIssues(fixed, synthetic({ single: 1, front: 15_998, gateway: 16_000 })), []);
});

test("measurements that cannot be used are refused with the file, the field and the command", () => {
  assert.throws(
    () => parseMeasured("{"),
    /generators\/capacity\/measured\.json: \(file\): expected JSON .*npm run capacity -- --measure/,
  );
  const data = synthetic({ single: 1, front: 1, gateway: 1 }) as unknown as { tiers: Record<string, unknown> };
  delete data.tiers.gateway;
  assert.throws(
    () => parseMeasured(JSON.stringify(data)),
    /measured\.json: tiers\.gateway\.spansPerCpuSecond: expected a positive number \(got undefined\)/,
  );
});

test("the committed measurements are of the Collector the clusters run, with every tier and its runs", () => {
  const data = measured();
  assert.is(
    data.collectorVersion,
    IMAGES.collector.tag,
    `the Collector is bumped: re-measure with \`npm run capacity -- --measure\``,
  );
  const builder = readFileSync(join(ROOT, "tools/otelcol/builder-config.yaml"), "utf8");
  assert.ok(builder.includes(`version: ${data.collectorVersion}`), "measured with the otelcol the tools build");
  for (const tier of TIER_NAMES) {
    const t = data.tiers[tier];
    assert.ok(t.runs.length >= 1, `${tier}: its runs are kept`);
    assert.is(t.spansPerCpuSecond, Math.round(median(t.runs)), `${tier}: the figure is the median of its runs`);
  }
  assert.match(
    readFileSync(join(ROOT, MEASURED_FILE), "utf8"),
    /"\$comment": "Written by `npm run capacity -- --measure`/,
  );
});

test("npm run capacity prints every cluster's tiers and exits 0 on the committed clusters; a wrong flag exits 2", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "generators/capacity-cli.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
  const all = run();
  assert.is(all.status, 0, all.stderr);
  for (const line of [
    /^dev \(greenlang-dev-euw1\): 0\.5 MB\/s ÷ 500 B = 1,000 spans\/s/m,
    /^ {2}single {4}1 × 100m/m,
    /^staging .*8,000 spans\/s/m,
    /^ {2}front {5}4 × 1 /m,
    /^ {2}gateway {3}4 × 1 /m,
  ])
    assert.match(all.stdout, line);
  const prod = run("--env", "prod");
  assert.not.match(prod.stdout, /^dev/m);
  const wrong = run("--envs", "prod");
  assert.is(wrong.status, 2);
  assert.match(wrong.stderr, /capacity: unexpected --envs/);
});

test.run();
