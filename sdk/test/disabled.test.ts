// OTEL_SDK_DISABLED=true: the preloads load nothing of the SDK (the start-up cost of a disabled
// service is node's own), for --import and --require alike; any other value still starts tracing;
// and the preloads' reading of the variable agrees with the configuration's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ensureBuilt } from "../scripts/build.ts";
import { resolveConfig } from "../src/config.ts";
import { disabledByEnvironment } from "../src/disabled.ts";
import { untracedEnv } from "./env.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
// Before the preload, a synchronous module hook records every module resolved from then on. It is
// a CommonJS file given with --require, because node runs --require preloads before --import ones.
const RECORDER = join(mkdtempSync(join(tmpdir(), "preload-")), "record.cjs");
writeFileSync(
  RECORDER,
  `globalThis.__resolved = [];
   require("node:module").registerHooks({
     resolve(specifier, context, next) { const r = next(specifier, context); globalThis.__resolved.push(r.url); return r; },
   });`,
);

function preload(flag: "--import" | "--require", env: Record<string, string>): string[] {
  const result = spawnSync(
    process.execPath,
    [
      "--require",
      RECORDER,
      flag,
      "@greenlang/tracing/register",
      "-e",
      "console.log(JSON.stringify(globalThis.__resolved))",
    ],
    {
      cwd: FIXTURES,
      env: { ...untracedEnv(), OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", ...env },
      encoding: "utf8",
      timeout: 20_000,
    },
  );
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "[]") as string[];
}

const sdkModules = (urls: string[]) => urls.filter((u) => /@opentelemetry|\/dist\/(esm|cjs)\/setup\.js$/.test(u));

test.before(() => {
  ensureBuilt();
});

test.after(() => {
  rmSync(dirname(RECORDER), { recursive: true, force: true });
});

test("disabled: neither preload loads any OpenTelemetry module or the SDK's setup", () => {
  for (const flag of ["--import", "--require"] as const) {
    const urls = preload(flag, { OTEL_SDK_DISABLED: "true" });
    assert.ok(
      urls.some((u) => u.includes("register")),
      `${flag}: the preload itself was resolved`,
    );
    assert.equal(sdkModules(urls), [], `${flag} with OTEL_SDK_DISABLED=true`);
  }
});

test("on (and on for a value that is not a yes): the preloads load the SDK", () => {
  for (const flag of ["--import", "--require"] as const) {
    assert.ok(sdkModules(preload(flag, {})).length > 10, `${flag}: tracing on`);
    assert.ok(sdkModules(preload(flag, { OTEL_SDK_DISABLED: "no" })).length > 10, `${flag}: "no" is not disabled`);
  }
});

test("the preloads read OTEL_SDK_DISABLED as the configuration does", () => {
  for (const value of ["true", "TRUE", " true ", "1", "false", "0", "no", "yes", ""]) {
    const env = { OTEL_SDK_DISABLED: value };
    assert.is(disabledByEnvironment(env), resolveConfig({}, env).disabled, JSON.stringify(value));
  }
  assert.is(disabledByEnvironment({}), false);
});

test.run();
