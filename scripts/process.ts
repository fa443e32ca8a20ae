// Child processes for tests, benchmarks and the live phase: started with their output kept, stopped for sure, waited on with a bound.
import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { freePorts } from "./ports.ts";

// Which variables configure tracing is the SDK's to say; its tests use the helper on their own.
export { untracedEnv } from "../sdk/test/env.ts";

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A test that throws must not leave a server behind on the machine.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    child,
    output: () => output,
    async stop(graceMs = 5_000) {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `probe` until it returns a value, the process exits, or `timeoutMs` passes.
 * Bounded by design: tests never wait forever on a server that will not come up.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; process?: RunningProcess } = {},
): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const child = options.process?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `${what}: the process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${options.process?.output()}`,
      );
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const tail = options.process ? `\n--- process output ---\n${options.process.output().slice(-4000)}` : "";
  throw new Error(`${what}: not ready after ${timeoutMs} ms (${String(lastError ?? "no answer")})${tail}`);
}

/**
 * Starts a server on ports that were free a moment ago and waits until `ready` resolves. Another
 * process can take a port between "free" and "bound": the server then exits with "address already
 * in use" and is started again on new ports, up to `attempts` times. Any other failure stops the
 * server and is thrown.
 */
export async function startOnFreePorts<T>(
  count: number,
  start: (ports: number[]) => RunningProcess,
  ready: (proc: RunningProcess, ports: number[]) => Promise<T>,
  attempts = 4,
): Promise<{ proc: RunningProcess; ports: number[]; value: T }> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(count);
    const proc = start(ports);
    try {
      return { proc, ports, value: await ready(proc, ports) };
    } catch (error) {
      await proc.stop();
      // "eaddrinuse" is how Erlang servers (RabbitMQ) say it.
      if (attempt >= attempts || !/address already in use|eaddrinuse/i.test(proc.output())) throw error;
    }
  }
}
