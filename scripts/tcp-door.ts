// Outages on demand for the integration tests: a server stays up behind the door while its
// clients see it vanish and come back at the same address.
import { connect, createServer, type Server, type Socket } from "node:net";
import { waitFor } from "./process.ts";

/**
 * A TCP proxy on a fixed loopback port to `target`, that can be taken down (every connection
 * refused, the open ones cut, as when a server crashes or rolls) and brought back on the same port.
 */
export class TcpDoor {
  readonly port: number;
  readonly #target: number;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  constructor(port: number, target: number) {
    this.port = port;
    this.#target = target;
  }
  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#target, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    // The port was ours a moment ago; another process may take it in between: retry a few times.
    await waitFor(
      "proxy listening",
      () =>
        new Promise<true | undefined>((resolve) => {
          server.once("error", () => resolve(undefined));
          server.listen(this.port, "127.0.0.1", () => resolve(true));
        }),
      { timeoutMs: 5_000, intervalMs: 200 },
    );
    this.#server = server;
  }
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
