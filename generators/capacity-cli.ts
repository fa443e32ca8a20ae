// `npm run capacity [-- --env <name>]`: each cluster's Collector headroom per tier — the spans/s
// its model declares, what the tier's pods carry at their CPU request with the throughput measured
// here, and with one pod down. Exit 1 when a tier is short (the same check `npm run generate`
// makes, which refuses the model).
// `npm run capacity -- --measure`: re-measures that throughput with the real otelcol and the
// committed configs (about 2 minutes) and rewrites generators/capacity/measured.json.
import { join, resolve } from "node:path";
import { parseArgv } from "zx";
import { collectorCapacity, ingestSpansPerSecond } from "./capacity/check.ts";
import { MEASURED_FILE, measured, parseMeasured } from "./capacity/data.ts";
import { discoverClusters, loadCluster } from "./load.ts";
import { ModelError } from "./model/validate.ts";

const KNOWN = new Set(["_", "env", "measure", "help"]);
const args = parseArgv(process.argv.slice(2), { boolean: ["measure", "help"], string: ["env"] });
const usage = "usage: npm run capacity -- [--env <name>] | --measure";
const unknown = [
  ...Object.keys(args)
    .filter((key) => !KNOWN.has(key))
    .map((k) => `--${k}`),
  ...args._.map(String),
];
const root = resolve(import.meta.dirname, "..");
const thousands = (n: number) => Math.round(n).toLocaleString("en-US");
const percent = (n: number) => `${n >= 0 ? "+" : ""}${Math.round(n * 100)}%`;

if (args.help) {
  console.log(usage);
} else if (unknown.length > 0 || (args.measure && args.env)) {
  console.error(`capacity: unexpected ${unknown.join(", ") || "--env with --measure"}\n${usage}`);
  process.exitCode = 2;
} else if (args.measure) {
  const { measure, writeMeasured } = await import("./capacity/measure.ts");
  const data = await measure();
  // Checked as any reader will check it, before it replaces the committed figures.
  parseMeasured(JSON.stringify(data));
  await writeMeasured(join(root, MEASURED_FILE), data);
  console.log(`wrote ${MEASURED_FILE}`);
  for (const [tier, t] of Object.entries(data.tiers))
    console.log(
      `  ${tier.padEnd(8)} ${thousands(t.spansPerCpuSecond)} spans/cpu-s (runs ${t.runs.join(", ")}), peak ${t.peakRssMiB} MiB`,
    );
} else {
  const data = measured();
  const { models } = await discoverClusters(root);
  const environments = args.env ? [args.env] : models;
  console.log(
    `Collector capacity: otelcol ${data.collectorVersion}, throughput measured ${data.measuredOn.date} on ${data.measuredOn.cores} × ${data.measuredOn.cpu} (${MEASURED_FILE})`,
  );
  let short = 0;
  for (const env of environments) {
    try {
      const cluster = await loadCluster(root, env, { checkCapacity: false });
      console.log(
        `\n${env} (${cluster.identity.name}): ${cluster.tempo.ingestMBps} MB/s ÷ ${cluster.tempo.bytesPerSpan} B = ${thousands(ingestSpansPerSecond(cluster))} spans/s through every tier`,
      );
      console.log(
        "  tier      pods × CPU request   spans/cpu-s   carries (all pods)   carries (counted)       headroom",
      );
      for (const t of collectorCapacity(cluster, data)) {
        const counted =
          t.replicas > 1 ? `${t.podsCounted} pod${t.podsCounted === 1 ? "" : "s"} (one down)` : "1 pod (no spare)";
        if (t.headroom < 0) short++;
        console.log(
          `  ${t.tier.padEnd(8)}  ${`${t.replicas} × ${t.cpuRequest}`.padEnd(19)}  ${thousands(t.spansPerCpuSecond).padStart(11)}   ${thousands(t.capacity).padStart(12)} spans/s   ${`${thousands(t.capacityCounted)} by ${counted}`.padEnd(27)}  ${percent(t.headroom).padStart(6)}${t.headroom < 0 ? "  SHORT" : ""}`,
        );
      }
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      console.error(error.message);
      process.exitCode = 1;
    }
  }
  if (short > 0) {
    console.error(
      `\n${short} tier(s) cannot carry their cluster's declared ingest; npm run generate refuses those models.`,
    );
    process.exitCode = 1;
  }
}
