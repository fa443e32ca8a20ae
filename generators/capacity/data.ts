// The Collector throughput this repository measured (measured.json, written by
// `npm run capacity -- --measure`): spans each tier carries per CPU-second of the generated
// configs, with the Collector version and the machine they were measured on. The capacity check
// and `npm run capacity` read it; a test holds its version to the Collector the clusters run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGES } from "../platform.ts";

export const MEASURED_FILE = "generators/capacity/measured.json";
export const MEASURE_COMMAND = "npm run capacity -- --measure";

/** The Collector tiers a cluster runs: `single` (one tier, dev), or `front` and `gateway` (two-tier). */
export type TierName = "single" | "front" | "gateway";
export const TIER_NAMES: readonly TierName[] = ["single", "front", "gateway"];

export interface TierThroughput {
  /** Spans the tier accepted per CPU-second it used (median over the runs). */
  spansPerCpuSecond: number;
  /** Each run's figure, so the spread is visible. */
  runs: number[];
  /** Peak resident memory of one pod during the runs, in MiB. */
  peakRssMiB: number;
}

export interface Measured {
  $comment: string;
  /** The otelcol version measured; must equal the image the clusters run. */
  collectorVersion: string;
  measuredOn: { date: string; cpu: string; cores: number; node: string };
  /** What was sent and how, in words (load.ts has the detail). */
  load: { offeredSpansPerSecond: number; secondsPerRun: number; runs: number; protobufBytesPerSpan: number };
  /** Which cluster's committed configs each tier was measured with. */
  configs: Record<TierName, string>;
  tiers: Record<TierName, TierThroughput>;
}

/** The Collector version the clusters run (one home: generators/platform.ts). */
export function collectorVersion(): string {
  return IMAGES.collector.tag;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new Error(
    `${MEASURED_FILE}: ${path}: expected ${expected} (got ${JSON.stringify(got)}); re-create it with \`${MEASURE_COMMAND}\``,
  );
}

/** Reads and checks the measurements; throws naming the file and field when they are unusable. */
export function parseMeasured(text: string): Measured {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    fail("(file)", "JSON", (error as Error).message);
  }
  const m = data as Measured;
  if (typeof m !== "object" || m === null) fail("(file)", "an object", data);
  if (typeof m.collectorVersion !== "string") fail("collectorVersion", "a version string", m.collectorVersion);
  for (const tier of TIER_NAMES) {
    const t = m.tiers?.[tier];
    if (!(typeof t?.spansPerCpuSecond === "number" && t.spansPerCpuSecond > 0))
      fail(`tiers.${tier}.spansPerCpuSecond`, "a positive number", t?.spansPerCpuSecond);
  }
  return m;
}

let cached: Measured | undefined;

export function measured(): Measured {
  cached ??= parseMeasured(readFileSync(join(import.meta.dirname, "measured.json"), "utf8"));
  return cached;
}
