import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./toolchain.ts";

const BOOTSTRAP = join(ROOT, "tools", "bootstrap.sh");
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync("bash", [BOOTSTRAP, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });

// `--check` proves the no-op without doing anything: a real second run inside the suite could
// reinstall node_modules under the tests running beside it. The README quotes the measured time
// of a real second run.
test("bootstrap: after setup, every step is up to date (a second run would do nothing)", () => {
  const result = run(["--check"]);
  assert.is(result.status, 0, result.stdout + result.stderr);
  for (const step of ["node:", "npm:", "helm:", "otelcol:", "jaeger:", "kubeconform:"]) {
    assert.ok(result.stdout.includes(step), `no line for ${step}\n${result.stdout}`);
  }
  assert.not.match(result.stdout, /would /);
});

test("bootstrap --check: on an empty tools folder, names every tool it would build and fails", () => {
  const empty = mkdtempSync(join(tmpdir(), "greenlang-tools-"));
  try {
    const result = run(["--check", "tools"], {
      GREENLANG_TOOLS_DIR: empty,
      GREENLANG_TOOL_CACHE: join(empty, "cache"),
    });
    assert.is(result.status, 1, result.stdout + result.stderr);
    for (const tool of ["helm", "otelcol", "jaeger", "kubeconform"]) {
      assert.match(result.stdout, new RegExp(`${tool}: would build or restore v`));
    }
    // Tools only the live phase and its tests need are built on first use, never by a plain run.
    for (const tool of ["etcd", "kube-apiserver-1.33", "argocd", "kustomize", "gofakes3", "ferretdb"]) {
      assert.not.match(result.stdout, new RegExp(`${tool}: would`));
    }
    const named = run(["--check", "etcd", "kube-apiserver-1.33", "argocd"], {
      GREENLANG_TOOLS_DIR: empty,
      GREENLANG_TOOL_CACHE: join(empty, "cache"),
    });
    assert.is(named.status, 1, named.stdout + named.stderr);
    for (const tool of ["etcd", "kube-apiserver-1.33", "argocd"]) {
      assert.match(named.stdout, new RegExp(`${tool}: would build or restore v`));
    }
    assert.not.match(named.stdout, /helm: would/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

// Installed or not depends on the machine; either way each is a known name with a line of its own,
// and asking for them alone builds no Go tool (one function serves every Debian package).
test("bootstrap --check: Debian's servers are names it knows, each reported, with no Go tool involved", () => {
  const result = run(["--check", "redis-server", "mariadb-server", "rabbitmq-server"]);
  for (const name of ["redis-server", "mariadb-server", "rabbitmq-server"])
    assert.match(result.stdout, new RegExp(`bootstrap\\S* ${name}: `), `no line for ${name}\n${result.stdout}`);
  assert.not.match(result.stdout + result.stderr, /no tool named|helm:|otelcol:/);
});

test("bootstrap: a tool name it does not know is an error that names it", () => {
  const result = run(["--check", "kube-apiserver-1.99"]);
  assert.is(result.status, 1);
  assert.match(
    result.stderr,
    /no tool named kube-apiserver-1\.99 \(tools\/kube-apiserver-1\.99\/tool\.sh does not exist\)/,
  );
});

test("bootstrap: refuses a Go older than the pinned tools need, naming the fix", () => {
  const fakeGo = join(ROOT, "tools", "tests", "fixtures", "old-go");
  const result = run(["tools"], { PATH: `${fakeGo}:${process.env.PATH}` });
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /Go 1\.21\.0 is too old: the pinned tools need Go 1\.26 or newer/);
});

test.run();
