// sdk/ is a package of its own: copied out of this repository, it builds, type-checks, passes its
// unit tests and packs, reading nothing outside its folder. The copy gets its dependencies the
// way `npm install` would lay them out, from what the repository installed (links to the hoisted
// packages, overridden by the ones npm kept in sdk/node_modules: the registry is not needed to
// prove that no file of the repository is). The packed tarball
// holds the built ESM and CommonJS entry points with their types, and no sources or tests.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { untracedEnv } from "./env.ts";

const SDK = join(import.meta.dirname, "..");
const REPO_MODULES = join(SDK, "..", "node_modules");
// The machine's npm (the bootstrap installs Node 24 without one), run by the Node.js running this.
const NPM_CLI = realpathSync(spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim() || "npm");
// What a checkout of sdk/ holds besides installed and built files.
const NOT_COPIED = new Set(["node_modules", "dist", ".dist-staging", ".build-lock"]);
let copy = "";

test.before(() => {
  copy = join(mkdtempSync(join(tmpdir(), "sdk-standalone-")), "tracing");
  cpSync(SDK, copy, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(relative(SDK, source).split("/")[0] ?? ""),
  });
  layOutModules(join(copy, "node_modules"));
});

/**
 * node_modules for the copy: a link to each package of the repository's node_modules, then to
 * each of sdk/node_modules (versions npm could not hoist), one level down in scopes and .bin.
 */
function layOutModules(target: string): void {
  for (const source of [REPO_MODULES, join(SDK, "node_modules")]) {
    if (!existsSync(source)) continue;
    for (const entry of readdirSync(source, { withFileTypes: true })) {
      const grouped = entry.name.startsWith("@") || entry.name === ".bin";
      const names = grouped ? readdirSync(join(source, entry.name)).map((n) => join(entry.name, n)) : [entry.name];
      for (const name of names) {
        // Not the package itself (the workspace link back to sdk/): the copy resolves its own name
        // to itself, as a published package does.
        if (name === ".package-lock.json" || name === join("@greenlang", "tracing")) continue;
        mkdirSync(dirname(join(target, name)), { recursive: true });
        rmSync(join(target, name), { force: true });
        symlinkSync(realpathSync(join(source, name)), join(target, name));
      }
    }
  }
}

test.after(() => {
  if (copy) rmSync(dirname(copy), { recursive: true, force: true });
});

function npm(...args: string[]): string {
  const result = spawnSync(process.execPath, [NPM_CLI, ...args], {
    cwd: copy,
    // The package's scripts run `node`: the one running this test, first on the PATH.
    env: {
      ...untracedEnv(),
      PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      npm_config_update_notifier: "false",
    },
    encoding: "utf8",
    timeout: 240_000,
  });
  assert.is(
    result.status,
    0,
    `npm ${args.join(" ")} in a copy of sdk/ exited ${result.status}:\n${result.stdout}${result.stderr}`,
  );
  return result.stdout;
}

test("a copy of sdk/ outside the repository builds, type-checks and passes its unit tests", () => {
  npm("run", "build");
  npm("run", "typecheck");
  const out = npm("test");
  const totals = /(\d+) passed, (\d+) failed\s*$/.exec(out.trim());
  assert.ok(totals, `npm test printed no totals:\n${out}`);
  assert.is(totals?.[2], "0", out);
  assert.ok(Number(totals?.[1]) > 100, `only ${totals?.[1]} unit tests ran`);
});

test("it packs the built entry points with their types, and no sources or tests", () => {
  const [packed] = JSON.parse(npm("pack", "--dry-run", "--json", "--ignore-scripts")) as {
    name: string;
    files: { path: string }[];
  }[];
  assert.is(packed?.name, "@greenlang/tracing");
  const files = (packed?.files ?? []).map((f) => f.path);
  for (const entry of [
    "package.json",
    "README.md",
    "dist/esm/index.js",
    "dist/esm/index.d.ts",
    "dist/esm/register.js",
    "dist/esm/api.js",
    "dist/cjs/api.js",
    "dist/cjs/index.js",
    "dist/cjs/index.d.ts",
    "dist/cjs/register-cjs.js",
    "dist/cjs/package.json",
  ])
    assert.ok(files.includes(entry), `the package lacks ${entry}`);
  assert.equal(
    files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith(".test.js")),
    [],
    "sources, tests or scripts in the package",
  );
});

test.run();
