// A private MariaDB (Debian's mariadb-server, installed on first use by tools/bootstrap.sh) for the
// SDK's database tests: its own data directory and socket under a temp dir, TCP on 127.0.0.1 only
// on a port found free (started again on another if one was taken meanwhile), nothing read from
// /etc/mysql (--no-defaults). Root has no password and logs in from 127.0.0.1 only, as
// mariadb-install-db leaves it. About 2 s to initialise the data directory, 0.1 s to start.
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { tcpOpen } from "../../scripts/ports.ts";
import { startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";
import { serverDir } from "./server-dir.ts";

export interface MariaDb {
  port: number;
  /** Everything the server logged so far (for failure messages). */
  output(): string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** mariadbd refuses to run as root unless told to; elsewhere it runs as whoever starts it. */
const asUser = (): string[] => (process.getuid?.() === 0 ? ["--user=root"] : []);

export async function startMariaDb(): Promise<MariaDb> {
  const { dir, removeDir } = await serverDir("sdk-mariadb-");
  try {
    const datadir = join(dir, "data");
    const install = spawnSync(
      "mariadb-install-db",
      [
        "--no-defaults",
        `--datadir=${datadir}`,
        ...asUser(),
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (install.status !== 0)
      throw new Error(
        `mariadb-install-db exited ${install.status ?? install.signal}:\n${install.stdout}${install.stderr}`,
      );
    const { proc, ports } = await startOnFreePorts(
      1,
      ([port]) =>
        startProcess("mariadbd", [
          "--no-defaults",
          ...asUser(),
          `--datadir=${datadir}`,
          `--socket=${join(dir, "mariadbd.sock")}`,
          `--pid-file=${join(dir, "mariadbd.pid")}`,
          `--port=${port}`,
          "--bind-address=127.0.0.1",
          "--skip-name-resolve",
          "--skip-log-bin",
          // A test database of a few rows: small buffers start faster and leave the machine its memory.
          "--innodb-buffer-pool-size=16M",
        ]),
      (proc, [port]) =>
        waitFor(`mariadbd on ${port}`, () => tcpOpen(port as number), { process: proc, timeoutMs: 15_000 }),
    );
    return {
      port: ports[0] as number,
      output: proc.output,
      async stop() {
        await proc.stop();
        process.removeListener("exit", removeDir);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.removeListener("exit", removeDir);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
