// A private MongoDB wire-protocol server for the SDK's mongodb test: FerretDB (tools/ferretdb, a
// pinned Go build made on first use by tools/bootstrap.sh) on its SQLite handler, with its data in
// a temp folder, on 127.0.0.1 on a port found free (started again on another if one was taken
// meanwhile). MongoDB itself is not packaged by Debian. About 0.1 s to start.
import { join } from "node:path";
import { binDir } from "../../policies/live/tools.ts";
import { tcpOpen } from "../../scripts/ports.ts";
import { startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";
import { ROOT } from "../../scripts/repo-files.ts";
import { serverDir } from "./server-dir.ts";

export interface MongoServer {
  /** mongodb://127.0.0.1:<port>/?directConnection=true */
  uri: string;
  port: number;
  /** Everything the server logged so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function startFerretDb(): Promise<MongoServer> {
  const { dir, removeDir } = await serverDir("sdk-ferretdb-");
  const binary = join(binDir(ROOT), "ferretdb");
  try {
    const { proc, ports } = await startOnFreePorts(
      1,
      ([port]) => startProcess(binary, ["-listen", `127.0.0.1:${port}`, "-sqlite", `file:${dir}/`]),
      (server, [port]) =>
        waitFor(`ferretdb on ${port}`, () => tcpOpen(port as number), { process: server, timeoutMs: 15_000 }),
    );
    const port = ports[0] as number;
    return {
      uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
      port,
      output: proc.output,
      stop: async () => {
        // Throwaway data: killed outright, then its folder removed.
        await proc.stop(0);
        removeDir();
      },
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}
