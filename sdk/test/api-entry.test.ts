// `@greenlang/tracing/api` loads no module of the SDK, from ESM and CommonJS alike, and what it
// exports works: without tracing, traced() runs the function untraced; with the distribution's
// preload, the function runs inside a span of the process's trace.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ensureBuilt } from "../scripts/build.ts";
import * as api from "../src/api.ts";
import * as main from "../src/index.ts";
import { untracedEnv } from "./env.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");

// Records every module resolved after it is installed (a synchronous module hook), imports the
// entry, calls a traced() function and prints what was loaded, what the function returned and the
// trace id it saw.
const PROBE = (load: string) => `
  const resolved = [];
  require("node:module").registerHooks({
    resolve(specifier, context, next) { const r = next(specifier, context); resolved.push(r.url); return r; },
  });
  (async () => {
    const { traced, currentTraceId } = ${load};
    let traceId;
    const add = traced("add", (a, b) => { traceId = currentTraceId(); return a + b; });
    console.log(JSON.stringify({ resolved, sum: add(2, 3), traceId }));
  })();`;

interface Probe {
  resolved: string[];
  sum: number;
  traceId: string | undefined;
}

function probe(load: string, preload: string[] = []): Probe {
  const result = spawnSync(process.execPath, [...preload, "-e", PROBE(load)], {
    cwd: FIXTURES,
    env: { ...untracedEnv(), OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none" },
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as Probe;
}

test.before(() => {
  ensureBuilt();
});

test("the api entry loads @opentelemetry/api and nothing of the SDK, from ESM and CommonJS", () => {
  for (const load of ['await import("@greenlang/tracing/api")', 'require("@greenlang/tracing/api")']) {
    const { resolved, sum, traceId } = probe(load);
    assert.is(sum, 5, `${load}: traced() runs the function`);
    assert.not.ok(traceId, `${load}: no tracing runs, so no trace`);
    assert.ok(
      resolved.some((u) => u.includes("/@opentelemetry/api/")),
      `${load}: @opentelemetry/api loaded`,
    );
    const sdk = resolved.filter((u) => /@opentelemetry\/(?!api\/)|import-in-the-middle|\/setup\.js$/.test(u));
    assert.equal(sdk, [], `${load}: modules of the SDK loaded`);
  }
});

test("with the preload running, a traced() function of the api entry runs inside a span", () => {
  const { sum, traceId } = probe('await import("@greenlang/tracing/api")', ["--import", "@greenlang/tracing/register"]);
  assert.is(sum, 5);
  assert.match(traceId ?? "", /^[0-9a-f]{32}$/);
});

test("the api entry exports the same functions as the main entry", () => {
  for (const [name, value] of Object.entries(api))
    assert.is(value, (main as Record<string, unknown>)[name], `${name} is the main entry's ${name}`);
});

test.run();
