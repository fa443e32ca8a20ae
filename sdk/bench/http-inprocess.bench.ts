// CPU per request of the bench's services (services.ts) with no network at all, to compare
// builds of this SDK finely (HTTP_BENCH_BASELINE_SDK names the other build): each service runs its fixture with listen() replaced by
// fixtures/inprocess-driver.mjs, which serves the bench's request over in-memory sockets through
// Node's own HTTP parser and writer, so that per request there is no system call, no load
// generator and no kernel time, only the service's and its instrumentation's JavaScript (the
// export to the OTLP sink is real, over loopback).
//
// How the comparison is kept fair on a small shared machine whose speed drifts by ±40 % within a
// minute: every configuration of a round runs at the same time, all pinned to the
// same core, so the scheduler interleaves them every few milliseconds and a slow spell falls on
// all of them alike; each measures its own CPU time over the same window; every ratio is taken
// within a round, then the median over rounds. One build against an identical build measured
// 0.86 to 1.11 per round, medians 0.975 to 1.022 on the three routes (six rounds): a change of
// more than about 5 % shows in the median. The loopback benchmark (http.bench.ts) stays the one
// that measures what a service pays, system calls included.
//
// Each service also reports its main thread's garbage-collection pauses per request (wall time of
// the pauses, so with the core shared they include waits for it; compare within a round). They
// are where a change that keeps every request's objects alive a little too long shows: the
// Express layer wrapper once had every request's objects promoted to the old generation, which
// cost more than the wrapper's own code (src/express-instrumentation.ts).
//
//   npm run bench -- http-inprocess   (INPROCESS_BENCH_ROUNDS, INPROCESS_BENCH_SECONDS,
//                                      HTTP_BENCH_ROUTES, HTTP_BENCH_BASELINE_SDK as in http.bench.ts)
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { untracedEnv } from "../../scripts/process.ts";
import { median } from "../../scripts/stats.ts";
import { ensureBuilt } from "../scripts/build.ts";
import {
  APPS,
  baselineSdk,
  type Configuration,
  configurations,
  FIXED_YOUNG_GENERATION,
  FIXTURES,
  type Name,
  pinning,
  type Route,
  routesFrom,
  startSink,
} from "./services.ts";

function wholeNumber(variable: string, fallback: number): number {
  const value = Number.parseInt(process.env[variable] ?? String(fallback), 10);
  if (!(value >= 1)) throw new Error(`${variable}: expected a whole number ≥ 1 (got ${process.env[variable]})`);
  return value;
}
const ROUNDS = wholeNumber("INPROCESS_BENCH_ROUNDS", 6);
const SECONDS = wholeNumber("INPROCESS_BENCH_SECONDS", 3);
const ROUTES = routesFrom("HTTP_BENCH_ROUTES");
// Bounds on waiting for a service: warm-up under a full core's share divided by five processes.
const WARM_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const DRIVER = join(FIXTURES, "inprocess-driver.mjs");

ensureBuilt();

// The services share the last core; this process (and the sink) keeps off it.
const serviceCore = pinning()?.serviceCore;
const sink = await startSink();

// Builds of this SDK, against each other: the peers are left out, as bare OpenTelemetry's figure
// here moved with the length of the warm-up (on Express, ours measured 0.52 of its added CPU after
// 20,000 warm-up requests and 0.29 after 10,000) while our builds' ratio does not; the targets
// against the peers are http.bench.ts's to judge.
const all = configurations(sink.url, { peers: false });
const names = Object.keys(all) as Name[];

interface Service {
  name: Name;
  child: ChildProcess;
  /** Resolves with each line the driver prints. */
  line(): Promise<string>;
}

function start(name: Name, route: Route): Service {
  const { args, env } = all[name] as Configuration;
  const nodeArgs = [
    ...FIXED_YOUNG_GENERATION,
    "--no-warnings",
    ...args,
    "--import",
    DRIVER,
    join(FIXTURES, APPS[route]),
  ];
  const [command, commandArgs] =
    serviceCore === undefined
      ? [process.execPath, nodeArgs]
      : ["taskset", ["-c", String(serviceCore), process.execPath, ...nodeArgs]];
  const child = spawn(command as string, commandArgs as string[], {
    cwd: FIXTURES,
    env: { ...untracedEnv(), ...env, PORT: "0" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
    const parts = output.split("\n");
    output = parts.pop() as string;
    for (const part of parts) {
      const next = waiting.shift();
      if (next) next(part);
      else lines.push(part);
    }
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk;
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`${name} (${route}) exited ${code}: ${errors.slice(-2000)}`))),
  );
  exited.catch(() => {});
  return {
    name,
    child,
    line: () => {
      const ready = lines.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
    },
  };
}

/** Resolves with `promise`, or rejects naming `what` after `ms`; the timer goes with the answer. */
async function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  const timeout = new AbortController();
  const timer = sleep(ms, undefined, { signal: timeout.signal }).then(() => {
    throw new Error(`${what}: no answer within ${ms / 1000} s`);
  });
  // Aborted once the answer came: nothing is waiting on it any more.
  timer.catch(() => {});
  try {
    return await Promise.race([promise, timer]);
  } finally {
    timeout.abort();
  }
}

/** Skips the lines a service's own code prints (the fixtures print "listening") up to `expected`. */
async function until(service: Service, expected: (line: string) => boolean): Promise<string> {
  for (;;) {
    const line = await service.line();
    if (expected(line)) return line;
  }
}

/** What a service reports over the window, per request: its CPU time and its main thread's GC pauses. */
interface Report {
  cpuMicrosPerRequest: number;
  gcMicrosPerRequest: number;
}

/** One round on one route: every configuration at once, measured over the same window. */
async function round(route: Route): Promise<Record<Name, Report>> {
  const services = names.map((name) => start(name, route));
  try {
    await within(
      `${route}: warm-up`,
      WARM_TIMEOUT_MS,
      Promise.all(services.map((s) => until(s, (line) => line === "warm"))),
    );
    for (const s of services) s.child.stdin?.write("start\n");
    await sleep(SECONDS * 1000);
    for (const s of services) s.child.stdin?.write("stop\n");
    const reports = await within(
      `${route}: results`,
      STOP_TIMEOUT_MS,
      Promise.all(services.map((s) => until(s, (line) => line.startsWith("{")))),
    );
    return Object.fromEntries(services.map((s, i) => [s.name, JSON.parse(reports[i] as string) as Report])) as Record<
      Name,
      Report
    >;
  } finally {
    for (const s of services) s.child.kill("SIGKILL");
  }
}

const results = Object.fromEntries(ROUTES.map((route) => [route, [] as Record<Name, Report>[]])) as Record<
  Route,
  Record<Name, Report>[]
>;
for (let r = 0; r < ROUNDS; r++) for (const route of ROUTES) results[route].push(await round(route));
sink.close();

const list = (values: number[]) => values.map((v) => v.toFixed(3)).join(", ");
console.log(
  `In-process HTTP, ${ROUNDS} rounds of ${SECONDS} s per route, every configuration of a round at once ` +
    (serviceCore === undefined ? "(not pinned: taskset or a second core missing)" : `on core ${serviceCore}`),
);
for (const route of ROUTES) {
  const rounds = results[route];
  const cpu = (name: Name) => rounds.map((m) => m[name].cpuMicrosPerRequest);
  const added = (name: Name) => rounds.map((m) => m[name].cpuMicrosPerRequest - m.uninstrumented.cpuMicrosPerRequest);
  const gc = (name: Name) => rounds.map((m) => m[name].gcMicrosPerRequest);
  console.log(`\n  ${`${route} route`.padEnd(30)}  CPU µs/request  added µs/request  GC pauses µs/request`);
  for (const name of names)
    console.log(
      `  ${name.padEnd(30)}  ${median(cpu(name)).toFixed(1).padStart(14)}  ${(
        name === "uninstrumented" ? "—" : median(added(name)).toFixed(1)
      ).padStart(15)}  ${median(gc(name)).toFixed(2).padStart(20)}`,
    );
  const ratio = (ours: Name, reference: Name) => {
    const ourAdded = added(ours);
    const values = added(reference).map((theirs, i) => (ourAdded[i] as number) / theirs);
    return `(per round ${list(values)}): ${median(values).toFixed(3)}`;
  };
  if (baselineSdk)
    console.log(`  added CPU ours/baseline build ${ratio("@greenlang/tracing", "@greenlang/tracing (baseline)")}`);
}
console.log(`\n  OTLP export requests received by the sink: ${sink.exports()}`);
