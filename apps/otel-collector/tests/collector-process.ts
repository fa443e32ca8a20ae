// Real Collector processes for the integration tests: free loopback ports, start with a bounded
// wait on the health_check endpoint, and a stop that always ends the process (SIGTERM, then SIGKILL).
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { freePort } from "../../../scripts/ports.ts";
import { type CollectorConfig, OTELCOL, ROOT } from "./render.ts";

export { freePort };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningCollector {
  name: string;
  pid: number;
  logs: () => string;
  stop: () => Promise<void>;
  /** SIGKILL: a crash or an OOM kill, nothing flushed. */
  kill: () => Promise<void>;
}

const running = new Set<RunningCollector>();

/** Stops every Collector still running (for test.after and crash paths). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop()));
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * `command` run with `hostsFile` as its /etc/hosts, in a private mount namespace: how a test gives
 * the Collector names the cluster's DNS would resolve (a headless Service's pod addresses) and
 * changes them while it runs. The file is bind-mounted, so rewriting it in place (same inode) is
 * what the process sees on its next lookup. `unshare` and `sh` exec, so the pid is the
 * Collector's and signals reach it. Needs root, or user namespaces (then --map-root-user).
 */
function withHostsFile(hostsFile: string, command: string[]): [string, string[]] {
  const asRoot = process.getuid?.() === 0;
  return [
    "unshare",
    [
      ...(asRoot ? [] : ["--map-root-user"]),
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      'mount --bind "$0" /etc/hosts && exec "$@"',
      hostsFile,
      ...command,
    ],
  ];
}

/**
 * Starts `otelcol --config=<dir>/<name>.yaml` and waits (bounded) until its health_check answers 200.
 * The config's health_check endpoint must be 127.0.0.1:<port>.
 */
export async function startCollector(
  name: string,
  config: CollectorConfig,
  dir: string,
  timeoutMs = 20_000,
  opts: { hostsFile?: string } = {},
): Promise<RunningCollector> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, stringify(config));
  const child = opts.hostsFile
    ? spawn(...withHostsFile(opts.hostsFile, [OTELCOL, `--config=${file}`]), {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      })
    : spawn(OTELCOL, [`--config=${file}`], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const collector: RunningCollector = {
    name,
    pid: child.pid ?? -1,
    logs: () => output,
    kill: async () => {
      running.delete(collector);
      child.kill("SIGKILL");
      await waitForExit(child, 5_000);
    },
    stop: async () => {
      running.delete(collector);
      child.kill("SIGTERM");
      if (!(await waitForExit(child, 5_000))) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
    },
  };
  running.add(collector);

  const health = `http://${config.extensions.health_check.endpoint}/`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      running.delete(collector);
      throw new Error(`${name} exited with ${child.exitCode} before becoming healthy:\n${output}`);
    }
    try {
      const response = await fetch(health, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return collector;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await collector.stop();
  throw new Error(`${name} not healthy on ${health} within ${timeoutMs} ms:\n${output}`);
}

/** Polls until `find` returns a value, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, find: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * A second Collector as the trace store: OTLP gRPC in, the `file` exporter out (one OTLP/JSON
 * document per line). Its own metrics are off so it binds nothing else. `grpcPort` fixes the OTLP
 * port, to start a store where a Collector already expects one; `maxRecvMsgSizeMiB` gives its gRPC
 * receiver the message limit of the receiver it stands in for.
 */
export async function startStore(
  dir: string,
  grpcPort?: number,
  opts: { maxRecvMsgSizeMiB?: number } = {},
): Promise<{ endpoint: string; spansFile: string; collector: RunningCollector }> {
  const [grpc, health] = [grpcPort ?? (await freePort()), await freePort()];
  const limit = opts.maxRecvMsgSizeMiB ? { max_recv_msg_size_mib: opts.maxRecvMsgSizeMiB } : {};
  const spansFile = join(dir, `store-${grpc}-spans.jsonl`);
  const collector = await startCollector(
    `store-${grpc}`,
    {
      extensions: { health_check: { endpoint: `127.0.0.1:${health}` } },
      receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${grpc}`, ...limit } } } },
      exporters: { file: { path: spansFile, flush_interval: "100ms" } },
      service: {
        extensions: ["health_check"],
        pipelines: { traces: { receivers: ["otlp"], exporters: ["file"] } },
        telemetry: { metrics: { level: "none" } },
      },
    },
    dir,
  );
  return { endpoint: `127.0.0.1:${grpc}`, spansFile, collector };
}

// biome-ignore lint/suspicious/noExplicitAny: OTLP/JSON as the file exporter writes it.
export type OtlpJson = any;

export interface StoredSpan {
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
  span: OtlpJson;
}

function flattenAttributes(
  list: { key: string; value: Record<string, unknown> }[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = Object.values(value)[0];
  return out;
}

/** Every span the store has written so far, with resource and span attributes flattened. */
export async function storedSpans(spansFile: string): Promise<StoredSpan[]> {
  let text = "";
  try {
    text = await readFile(spansFile, "utf8");
  } catch {
    return [];
  }
  const spans: StoredSpan[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line) as OtlpJson;
    for (const rs of doc.resourceSpans ?? []) {
      const resource = flattenAttributes(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? [])
          spans.push({ resource, attributes: flattenAttributes(span.attributes), span });
      }
    }
  }
  return spans;
}
