// A private S3-protocol server for the SDK's aws-sdk test: gofakes3 (tools/gofakes3, a pinned Go
// build made on first use by tools/bootstrap.sh) with its in-memory backend, on 127.0.0.1 on a
// port found free (started again on another if one was taken meanwhile). Nothing is written to
// disk; stopping it throws every bucket away. About 0.1 s to start.
import { join } from "node:path";
import { binDir } from "../../policies/live/tools.ts";
import { tcpOpen } from "../../scripts/ports.ts";
import { startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";
import { ROOT } from "../../scripts/repo-files.ts";

export interface FakeS3 {
  /** http://127.0.0.1:<port>, the endpoint an S3 client is given (with forcePathStyle). */
  endpoint: string;
  port: number;
  /** Everything the server logged so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function startFakeS3(): Promise<FakeS3> {
  const binary = join(binDir(ROOT), "gofakes3");
  const { proc, ports } = await startOnFreePorts(
    1,
    ([port]) => startProcess(binary, ["-backend", "memory", "-host", `127.0.0.1:${port}`]),
    (server, [port]) =>
      waitFor(`gofakes3 on ${port}`, () => tcpOpen(port as number), { process: server, timeoutMs: 10_000 }),
  );
  const port = ports[0] as number;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    output: proc.output,
    // In-memory data, nothing to flush: killed outright.
    stop: () => proc.stop(0),
  };
}
