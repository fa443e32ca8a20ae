// Where the CPU and the allocations of a traced request go: profiles the bench's service
// (fixtures/*-app.mjs) under load, uninstrumented, with bare OpenTelemetry and with this
// distribution, and prints per request, by part of the request path (profile-categories.ts), the
// CPU time and the bytes allocated, with what tracing adds over the uninstrumented service.
//
//   node sdk/bench/http-profile.ts [http|express|fastify] [seconds]
//
// Each service is pinned to one core like in http.bench.ts, warmed up, then profiled (V8's CPU
// profiler at 200 µs and its sampling heap profiler, fixtures/profile-preload.mjs) over a window
// of steady autocannon load. The CPU profile samples wall time while the service runs, so time it
// spends descheduled on a shared machine counts where it happens (mostly in socket writes, kept
// apart); the CPU time of the same window (/proc) is printed below the table for scale. The split
// between categories is what this is for.
// The profiles stay in a temporary directory (printed) for a closer look in Chrome DevTools.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { freePort } from "../../scripts/ports.ts";
import { startProcess, untracedEnv, waitFor } from "../../scripts/process.ts";
import { ensureBuilt } from "../scripts/build.ts";
import { CATEGORIES, type Category, categoryOfStack, type Frame } from "./profile-categories.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const APPS = { http: "app.mjs", express: "express-app.mjs", fastify: "fastify-app.mjs" };
const appName = (process.argv[2] ?? "http") as keyof typeof APPS;
if (!(appName in APPS)) throw new Error(`expected one of ${Object.keys(APPS).join(", ")} (got ${appName})`);
const SECONDS = Number.parseInt(process.argv[3] ?? "6", 10);
const CONNECTIONS = 10;

ensureBuilt();

const cores = availableParallelism();
const serviceCore = cores - 1;
const pinned = cores >= 2 && spawnSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)]).status === 0;

const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200).end());
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const exportEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
  OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
  OTEL_SERVICE_NAME: "bench-app",
};
const configurations: Record<string, { args: string[]; env: Record<string, string> }> = {
  uninstrumented: { args: [], env: {} },
  "bare OpenTelemetry": { args: ["--import", join(FIXTURES, "bare-otel.mjs")], env: exportEnv },
  "@greenlang/tracing": { args: ["--import", "@greenlang/tracing/register"], env: exportEnv },
};
// As in http.bench.ts: HTTP_BENCH_BASELINE_SDK=<a built sdk/ directory> profiles that build too.
if (process.env.HTTP_BENCH_BASELINE_SDK)
  configurations["@greenlang/tracing (baseline)"] = {
    args: ["--import", join(resolve(process.env.HTTP_BENCH_BASELINE_SDK), "dist", "esm", "register.js")],
    env: exportEnv,
  };

interface CpuNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
}
interface HeapNode {
  callFrame: Frame;
  selfSize: number;
  children: HeapNode[];
}

type Totals = Map<Category | "idle", number>;
interface Profiled {
  requests: number;
  totals: Totals;
  /** CPU time of the service per request over the profiled window (/proc: user + system, all threads). */
  cpuMicrosPerRequest: number;
}

/** User + system CPU time of a process so far, in microseconds (Linux /proc, clock ticks of 1/100 s). */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 1e4;
}

/** Microseconds of CPU per category, from the sampled stacks and the time between samples. */
function cpuByCategory(profile: CpuProfile): Totals {
  const parent = new Map<number, CpuNode>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const categoryOfNode = new Map<number, Category | "idle">();
  for (const node of profile.nodes) {
    const stack: Frame[] = [];
    for (let n: CpuNode | undefined = node; n; n = parent.get(n.id)) stack.unshift(n.callFrame);
    categoryOfNode.set(node.id, categoryOfStack(stack));
  }
  const totals: Totals = new Map();
  // timeDeltas[i] is the time before sample i; charge it to the sample it ends.
  profile.samples.forEach((id, i) => {
    const category = categoryOfNode.get((byId.get(id) as CpuNode).id) as Category | "idle";
    totals.set(category, (totals.get(category) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

/** Bytes allocated per category (the sampling profile's estimate, collected objects included). */
function bytesByCategory(head: HeapNode): Totals {
  const totals: Totals = new Map();
  const walk = (node: HeapNode, stack: Frame[]) => {
    const here = [...stack, node.callFrame];
    if (node.selfSize > 0) {
      const category = categoryOfStack(here);
      totals.set(category, (totals.get(category) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(head, []);
  return totals;
}

/** Profiles one configuration under load: its CPU profile or its allocations; totals per category. */
async function profileOne(name: string, kind: "cpu" | "heap", dir: string): Promise<Profiled> {
  const port = await freePort();
  const { args, env } = configurations[name] as { args: string[]; env: Record<string, string> };
  const out = join(dir, `${name.replace(/[^a-z]+/gi, "-")}.${kind}profile`);
  const nodeArgs = [
    "--min-semi-space-size=32",
    "--max-semi-space-size=32",
    "--import",
    join(FIXTURES, "profile-preload.mjs"),
    ...args,
    join(FIXTURES, APPS[appName]),
  ];
  const [command, commandArgs] = pinned
    ? ["taskset", ["-c", String(serviceCore), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const app = startProcess(command as string, commandArgs as string[], {
    cwd: FIXTURES,
    env: { ...untracedEnv(), ...env, PORT: String(port), PROFILE_OUT: out, PROFILE_KIND: kind },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${name} app`, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
      process: app,
    });
    await autocannon({ url: `${url}/api/orders/1`, connections: CONNECTIONS, duration: 3 });
    // taskset execs node, so the child's pid is the service's.
    app.child.kill("SIGUSR2");
    await waitFor(`${name} profiler`, async () => (app.output().includes("profiling") ? true : undefined));
    const pid = app.child.pid as number;
    const cpuBefore = cpuMicros(pid);
    const result = await autocannon({ url: `${url}/api/orders/1`, connections: CONNECTIONS, duration: SECONDS });
    const cpu = cpuMicros(pid) - cpuBefore;
    app.child.kill("SIGUSR2");
    await waitFor(`${name} exit`, async () => (app.child.exitCode !== null ? true : undefined), { timeoutMs: 30_000 });
    const profile = JSON.parse(readFileSync(out, "utf8"));
    const totals =
      kind === "cpu" ? cpuByCategory(profile as CpuProfile) : bytesByCategory((profile as { head: HeapNode }).head);
    return { requests: result.requests.total, totals, cpuMicrosPerRequest: cpu / result.requests.total };
  } finally {
    await app.stop(5_000);
  }
}

const dir = mkdtempSync(join(tmpdir(), "gl-http-profile-"));
const results: Record<string, Record<"cpu" | "heap", Profiled>> = {};
for (const name of Object.keys(configurations))
  results[name] = { cpu: await profileOne(name, "cpu", dir), heap: await profileOne(name, "heap", dir) };
sink.close();

const names = Object.keys(configurations);

const per = (r: Profiled, key: Category) => (r.totals.get(key) ?? 0) / r.requests;
const cell = (s: string, width: number) => s.padStart(width);
// Short column names: the table is wide already.
const SHORT: Record<string, string> = {
  uninstrumented: "none",
  "bare OpenTelemetry": "bare OTel",
  "@greenlang/tracing": "ours",
  "@greenlang/tracing (baseline)": "baseline",
};
const short = (name: string) => SHORT[name] ?? name;
console.log(
  `${appName} route (none = uninstrumented, bare OTel = fixtures/bare-otel.mjs, ours = this build), ${SECONDS} s profiled under autocannon -c ${CONNECTIONS}${pinned ? `, service on core ${serviceCore}` : ""}; per request (profiles in ${dir})`,
);
for (const [what, unit, kind, digits] of [
  ["CPU", "µs", "cpu", 2],
  ["allocated", "bytes", "heap", 0],
] as const) {
  console.log(
    `\n${`${what} (${unit})`.padEnd(44)}${names.map((n) => cell(short(n), 12)).join("")}${names
      .slice(1)
      .map((n) => cell(`${short(n)} added`, 16))
      .join("")}`,
  );
  for (const category of [...CATEGORIES, "total"] as const) {
    const value = (name: string) => {
      const r = (results[name] as (typeof results)[string])[kind];
      return category === "total" ? CATEGORIES.reduce((sum, c) => sum + per(r, c), 0) : per(r, category);
    };
    console.log(
      `${category.padEnd(44)}${names.map((n) => cell(value(n).toFixed(digits), 12)).join("")}${names
        .slice(1)
        .map((n) => cell((value(n) - value("uninstrumented")).toFixed(digits), 16))
        .join("")}`,
    );
  }
}
// The profile's figures are sampled wall time while the service ran; the same window's CPU time
// (/proc) says how much of it was CPU.
const measured = (n: string) => (results[n] as (typeof results)[string]).cpu.cpuMicrosPerRequest;
console.log(
  `\n${"CPU measured in the window (/proc, µs)".padEnd(44)}${names.map((n) => cell(measured(n).toFixed(2), 12)).join("")}${names
    .slice(1)
    .map((n) => cell((measured(n) - measured("uninstrumented")).toFixed(2), 16))
    .join("")}`,
);
console.log(`\nrequests profiled (CPU run): ${names.map((n) => `${n} ${results[n]?.cpu.requests}`).join(", ")}`);
