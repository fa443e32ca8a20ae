// The data folder of a private test server (MariaDB, RabbitMQ), removed with the test process.
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A new temp folder and its removal. A test file that crashes does not get to stop(): its servers
 * are killed (startProcess) and their folder goes with them, as far as a server still dying lets
 * it (never a throw here), so the removal is also registered for the process's exit.
 */
export async function serverDir(prefix: string): Promise<{ dir: string; removeDir: () => void }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const removeDir = () => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // left in the temp dir
    }
  };
  process.once("exit", removeDir);
  return { dir, removeDir };
}
