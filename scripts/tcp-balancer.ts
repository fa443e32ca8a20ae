// A Kubernetes Service on loopback for the integration tests: one port whose new connections go
// round-robin to a set of backends that the test changes while clients keep sending. As with
// kube-proxy, taking a backend out only stops new connections to it; the open ones end when the
// backend closes them (a pod shutting down), which is what clients then see and retry.
import { connect, createServer, type Server, type Socket } from "node:net";
import { freePort } from "./ports.ts";

export class TcpBalancer {
  #server: Server | undefined;
  #port = 0;
  #backends: number[] = [];
  #next = 0;
  readonly #sockets = new Set<Socket>();

  get port(): number {
    return this.#port;
  }

  /** Listens on a free loopback port, on another one when a process takes it first. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const server = createServer((client) => this.#route(client));
      const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        server.once("error", resolve);
        server.listen(port, "127.0.0.1", () => resolve(undefined));
      });
      if (!error) {
        this.#server = server;
        this.#port = port;
        return;
      }
      if (error.code !== "EADDRINUSE" || attempt >= 4) throw error;
    }
  }

  add(port: number): void {
    if (!this.#backends.includes(port)) this.#backends.push(port);
  }

  /** New connections stop going to `port`; open ones are left to the backend. */
  remove(port: number): void {
    this.#backends = this.#backends.filter((p) => p !== port);
  }

  #route(client: Socket): void {
    this.#sockets.add(client);
    client.on("close", () => this.#sockets.delete(client));
    client.on("error", () => client.destroy());
    const backends = this.#backends;
    if (backends.length === 0) {
      client.destroy();
      return;
    }
    const port = backends[this.#next++ % backends.length] as number;
    const upstream = connect(port, "127.0.0.1");
    this.#sockets.add(upstream);
    upstream.on("close", () => {
      this.#sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
