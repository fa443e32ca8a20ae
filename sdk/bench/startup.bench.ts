// Start-up CPU of a service process, in one run, interleaved round by round: node alone, then
// this distribution's preload, `@opentelemetry/auto-instrumentations-node/register` and Elastic's
// EDOT Node.js (`@elastic/opentelemetry-node`), each with its defaults, on and with
// OTEL_SDK_DISABLED=true (what a team sets to switch tracing off). Each process prints its own
// process.cpuUsage() (user + system since it started, the preload included) and exits; the median
// over ROUNDS is printed with the ratios that matter: ours disabled against node alone (target:
// about 1, nothing of the SDK is loaded), ours on against each peer on. Exporters point at a closed
// loopback port: nothing is sent, and nothing waits on the network for CPU to be counted.
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
];
// The peers, each on and disabled; --no-warnings hides their experimental-loader notices.
const PEERS = {
  "auto-instrumentations-node": "@opentelemetry/auto-instrumentations-node/register",
  "EDOT Node.js": "@elastic/opentelemetry-node",
};
for (const [name, preload] of Object.entries(PEERS)) {
  const args = ["--no-warnings", "--import", preload];
  cases.push({ name: `${name}, disabled`, args, env: { OTEL_SDK_DISABLED: "true" } }, { name, args, env: {} });
}

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
const bare = ms("node alone");
console.log(`start-up CPU (user + system, median of ${ROUNDS} processes each, interleaved)`);
for (const c of cases)
  console.log(
    `  ${c.name.padEnd(40)} ${ms(c.name).toFixed(0).padStart(5)} ms  ${(ms(c.name) / bare).toFixed(2).padStart(5)} × node alone`,
  );
console.log(
  `ours disabled / node alone: ${(ms("@greenlang/tracing, disabled") / bare).toFixed(2)} (target about 1: nothing of the SDK loads)`,
);
for (const peer of Object.keys(PEERS))
  console.log(`ours on / ${peer} on: ${(ms("@greenlang/tracing") / ms(peer)).toFixed(2)}`);
