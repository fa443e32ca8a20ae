// The "frontend" fixture service (test/fixtures/frontend.mjs) started with the preload, as a
// service runs it: /work/:n answers, /stats flushes and returns the tracing stats. Its environment
// is ours minus any OTEL_*/GL_* of the test runner, plus `env`. Waits (bounded) until it serves.
import { join } from "node:path";
import { freePort } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, untracedEnv, waitFor } from "../../scripts/process.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");

export async function startFrontend(
  name: string,
  env: Record<string, string>,
): Promise<{ url: string; proc: RunningProcess }> {
  const port = await freePort();
  const base = untracedEnv();
  const proc = startProcess(
    process.execPath,
    ["--import", "@greenlang/tracing/register", join(FIXTURES, "frontend.mjs")],
    {
      cwd: FIXTURES,
      env: {
        ...base,
        PORT: String(port),
        OTEL_SERVICE_NAME: name,
        OTEL_LOG_LEVEL: "error",
        OTEL_BSP_SCHEDULE_DELAY: "100",
        GL_IGNORE_PATHS: "/healthz,/stats",
        ...env,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor("service", async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), { process: proc });
  return { url, proc };
}
