// A private RabbitMQ (Debian's rabbitmq-server, installed on first use by tools/bootstrap.sh) for
// the SDK's messaging test: its own epmd, node name, Mnesia and log directories, cookie ($HOME)
// and crash dump under a temp dir; AMQP, Erlang distribution and epmd on 127.0.0.1 only, on ports
// found free (started again on others if one was taken meanwhile); no plugins, no config files
// from /etc/rabbitmq. The `guest` user works, as it does from loopback. About 6 s to start.
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tcpOpen } from "../../scripts/ports.ts";
import { type RunningProcess, startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";
import { serverDir } from "./server-dir.ts";

export interface RabbitMq {
  /** amqp://guest:guest@127.0.0.1:<port> */
  url: string;
  port: number;
  /** Everything the broker logged so far (for failure messages). */
  output(): string;
  /** Stops the broker and its epmd and removes their directories. */
  stop(): Promise<void>;
}

// Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user when run as root, which cannot
// write our temp dir; the script it wraps runs the broker as whoever starts it.
const SERVER = existsSync("/usr/lib/rabbitmq/bin/rabbitmq-server")
  ? "/usr/lib/rabbitmq/bin/rabbitmq-server"
  : "rabbitmq-server";

const listening =
  (what: string) =>
  (proc: RunningProcess, [port]: number[]) =>
    waitFor(`${what} on ${port}`, () => tcpOpen(port as number), { process: proc, timeoutMs: 20_000 });

export async function startRabbitMq(): Promise<RabbitMq> {
  const { dir, removeDir } = await serverDir("sdk-rabbitmq-");
  const started: RunningProcess[] = [];
  const stop = async () => {
    // The broker's data is thrown away, so it is killed outright: a graceful stop took 1 to 11 s
    // here, for nothing kept.
    for (const proc of started.reverse()) {
      proc.child.kill("SIGKILL");
      await proc.stop();
    }
    process.removeListener("exit", removeDir);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // Erlang nodes find each other through epmd; the machine's (port 4369, all interfaces, left
    // running after us) is not used: this one is ours, stopped with the broker.
    const epmd = await startOnFreePorts(
      1,
      ([port]) => startProcess("epmd", ["-port", String(port), "-address", "127.0.0.1"]),
      listening("epmd"),
    );
    started.push(epmd.proc);
    await writeFile(join(dir, "enabled_plugins"), "[].\n");
    await mkdir(join(dir, "mnesia"));
    await mkdir(join(dir, "log"));
    const broker = await startOnFreePorts(
      2,
      ([amqp, dist]) =>
        startProcess(SERVER, [], {
          env: {
            ...process.env,
            HOME: dir,
            RABBITMQ_NODENAME: `rabbit-${process.pid}@localhost`,
            RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
            RABBITMQ_NODE_PORT: String(amqp),
            RABBITMQ_DIST_PORT: String(dist),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
            ERL_EPMD_PORT: String(epmd.ports[0]),
            ERL_EPMD_ADDRESS: "127.0.0.1",
            ERL_CRASH_DUMP: join(dir, "erl_crash.dump"),
            RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
            RABBITMQ_LOG_BASE: join(dir, "log"),
            RABBITMQ_LOGS: "-",
            RABBITMQ_FEATURE_FLAGS_FILE: join(dir, "feature_flags"),
            RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, "enabled_plugins"),
            // Paths that do not exist: the broker's defaults, nothing from /etc/rabbitmq.
            RABBITMQ_CONFIG_FILE: join(dir, "rabbitmq"),
            RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, "advanced.config"),
            RABBITMQ_CONF_ENV_FILE: join(dir, "rabbitmq-env.conf"),
            RABBITMQ_PID_FILE: join(dir, "rabbitmq.pid"),
            // The script then execs the Erlang VM instead of staying its parent to turn SIGTERM
            // into `rabbitmqctl stop`: the child started here is the broker itself, so stopping
            // it (or this process exiting, see startProcess) cannot leave the broker behind.
            RUNNING_UNDER_SYSTEMD: "1",
          },
        }),
      listening("rabbitmq-server"),
    );
    started.push(broker.proc);
    const port = broker.ports[0] as number;
    return { url: `amqp://guest:guest@127.0.0.1:${port}`, port, output: broker.proc.output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
