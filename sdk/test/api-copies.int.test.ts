// An application that brings its own copy of @opentelemetry/api (the API is this package's peer
// dependency, so a bundler or an npm layout can leave two copies in one process) keeps one trace:
// a span the application starts through its copy is the parent of the spans the SDK's
// instrumentations start through theirs, across an HTTP call, and the application reads them back.
// The failure this guards against is silent: with two unconnected copies every span is its own trace.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { untracedEnv } from "../../scripts/process.ts";
import { ensureBuilt } from "../scripts/build.ts";

const SDK = join(import.meta.dirname, "..");
const REPO_MODULES = join(SDK, "..", "node_modules");
let app = "";

test.before(() => {
  ensureBuilt();
  app = mkdtempSync(join(tmpdir(), "api-copies-"));
  // The application's own API: a second physical copy, loaded as a module of its own.
  mkdirSync(join(app, "node_modules", "@opentelemetry"), { recursive: true });
  mkdirSync(join(app, "node_modules", "@greenlang"), { recursive: true });
  cpSync(join(REPO_MODULES, "@opentelemetry", "api"), join(app, "node_modules", "@opentelemetry", "api"), {
    recursive: true,
  });
  // The SDK as installed from a link: it resolves its own API from the repository's node_modules.
  symlinkSync(SDK, join(app, "node_modules", "@greenlang", "tracing"), "dir");
  writeFileSync(
    join(app, "app.mjs"),
    `import { createServer } from "node:http";
     import { createRequire } from "node:module";
     import { trace, context } from "@opentelemetry/api";
     const require = createRequire(import.meta.url);
     const server = createServer((req, res) => {
       res.end(JSON.stringify({ traceId: trace.getActiveSpan()?.spanContext().traceId, name: trace.getActiveSpan() ? "server" : "none" }));
     });
     await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
     const parent = trace.getTracer("app").startSpan("checkout");
     const seen = await context.with(trace.setSpan(context.active(), parent), async () => {
       const response = await fetch("http://127.0.0.1:" + server.address().port + "/items");
       return response.json();
     });
     parent.end();
     server.close();
     console.log(JSON.stringify({
       appApi: require.resolve("@opentelemetry/api"),
       parentTraceId: parent.spanContext().traceId,
       parentFlags: parent.spanContext().traceFlags,
       serverTraceId: seen.traceId,
     }));`,
  );
});

test.after(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

function runApp(preload: string[]): Record<string, string | number> {
  const result = spawnSync(process.execPath, [...preload, "app.mjs"], {
    cwd: app,
    env: {
      ...untracedEnv(),
      OTEL_SERVICE_NAME: "two-apis",
      OTEL_TRACES_EXPORTER: "none",
      OTEL_METRICS_EXPORTER: "none",
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, string | number>;
}

test("the application's own API copy and the SDK's share one trace", () => {
  const out = runApp(["--import", "@greenlang/tracing/register"]);
  assert.ok(String(out.appApi).startsWith(app), `the app used its own copy (${out.appApi})`);
  assert.match(String(out.parentTraceId), /^(?!0{32})[0-9a-f]{32}$/, "the app's tracer is the SDK's, not a no-op");
  assert.is(out.parentFlags, 1, "sampled");
  assert.is(out.serverTraceId, out.parentTraceId, "the instrumented client and server spans joined the app's trace");
});

test("without the SDK the same application has no trace: what the check above tells apart", () => {
  const out = runApp([]);
  assert.is(out.parentTraceId, "0".repeat(32));
  assert.is(out.serverTraceId, undefined);
});

test.run();
