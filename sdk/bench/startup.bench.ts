// Start-up CPU of a service process, in one run, interleaved round by round: node alone, this
// distribution's preload with tracing disabled (OTEL_SDK_DISABLED=true) and on, and
// `@opentelemetry/auto-instrumentations-node/register` with its defaults. Each process prints its
// own process.cpuUsage() (user + system since it started, the preload included) and exits; the
// median over ROUNDS is printed with the ratios that matter: disabled against node alone (target:
// about 1, nothing of the SDK is loaded), on against auto-instrumentations-node. Exporters point at
// a closed loopback port: nothing is sent, and nothing waits on the network for CPU to be counted.
// (Elastic's EDOT is not compared: it is not a dependency of this repository.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { untracedEnv } from "../../scripts/process.ts";
import { median } from "../../scripts/stats.ts";
import { ensureBuilt } from "../scripts/build.ts";

const ROUNDS = Number.parseInt(process.env.STARTUP_BENCH_ROUNDS ?? "15", 10);
const FIXTURES = join(import.meta.dirname, "fixtures");
const PRINT_CPU = "const u = process.cpuUsage(); console.log(JSON.stringify((u.user + u.system) / 1000));";

ensureBuilt();

const base = {
  ...untracedEnv(),
  OTEL_SERVICE_NAME: "startup-bench",
  OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
  OTEL_LOG_LEVEL: "none",
};
const cases: { name: string; args: string[]; env: Record<string, string> }[] = [
  { name: "node alone", args: [], env: {} },
  {
    name: "@greenlang/tracing, disabled",
    args: ["--import", "@greenlang/tracing/register"],
    env: { OTEL_SDK_DISABLED: "true" },
  },
  { name: "@greenlang/tracing", args: ["--import", "@greenlang/tracing/register"], env: {} },
  {
    name: "auto-instrumentations-node",
    args: ["--no-warnings", "--import", "@opentelemetry/auto-instrumentations-node/register"],
    env: {},
  },
];

const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    const result = spawnSync(process.execPath, [...c.args, "-e", PRINT_CPU], {
      cwd: FIXTURES,
      env: { ...base, ...c.env },
      encoding: "utf8",
      timeout: 30_000,
    });
    if (result.status !== 0) throw new Error(`${c.name}: exited ${result.status}\n${result.stderr}`);
    samples.get(c.name)?.push(Number(result.stdout.trim().split("\n").at(-1)));
  }
}

const ms = (name: string) => median(samples.get(name) ?? []);
console.log(`start-up CPU (user + system, median of ${ROUNDS} processes each, interleaved)`);
for (const c of cases) console.log(`  ${c.name.padEnd(32)} ${ms(c.name).toFixed(0).padStart(5)} ms`);
const bare = ms("node alone");
console.log(
  `disabled / node alone: ${(ms("@greenlang/tracing, disabled") / bare).toFixed(2)} (target about 1: nothing of the SDK loads)`,
);
console.log(
  `on / auto-instrumentations-node: ${(ms("@greenlang/tracing") / ms("auto-instrumentations-node")).toFixed(2)}`,
);
