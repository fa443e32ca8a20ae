// Runs a test file inside a private network namespace of its own (`unshare --net`, as root), where
// only a loopback interface exists. For processes that bind 0.0.0.0 whatever they are told (Argo
// CD's application controller opens its metrics port that way): inside, 0.0.0.0 is loopback only,
// so nothing listens beyond this machine, and the namespace vanishes with the test.
import { spawnSync } from "node:child_process";

const MARK = "GREENLANG_PRIVATE_NETWORK";

/**
 * Call at the top of the test file. Outside the namespace it re-runs the file inside one and ends
 * this process with that run's exit code (the run's uvu output passes through); inside, it
 * returns and the tests run. As root (CI here) a plain network namespace; otherwise inside a user
 * namespace that maps this user to root, where the kernel allows unprivileged ones. Needs `ip`.
 */
export function runInPrivateNetwork(file: string): void {
  if (process.env[MARK] === "1") return;
  const namespaces = process.getuid?.() === 0 ? ["--net"] : ["--user", "--map-root-user", "--net"];
  const result = spawnSync(
    "unshare",
    [...namespaces, "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", process.execPath, file],
    { stdio: "inherit", env: { ...process.env, [MARK]: "1" } },
  );
  if (result.error)
    throw new Error(`${file}: could not start a private network namespace (unshare): ${result.error.message}`);
  process.exit(result.status ?? 1);
}
