// Pieces of the platform the end-to-end tests share: the Collector configs committed for a cluster,
// the environment an SDK fixture service runs with, and a SIGTERM stop that must end the service.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import type { CollectorConfig } from "../../apps/otel-collector/tests/render.ts";
import { type RunningProcess, untracedEnv } from "../../scripts/process.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** The Collector configs committed for a cluster, by tier (collector | front | gateway). */
export async function committedCollectorConfigs(env: string): Promise<Map<string, CollectorConfig>> {
  const dir = join(ROOT, "clusters", env, "otel-collector");
  const configs = new Map<string, CollectorConfig>();
  for (const file of (await readdir(dir)).filter((f) => f.startsWith("configmap-"))) {
    const object = parse(await readFile(join(dir, file), "utf8")) as {
      metadata: { labels: Record<string, string> };
      data: Record<string, string>;
    };
    const tier = object.metadata.labels["app.kubernetes.io/component"];
    const text = object.data["config.yaml"];
    if (tier && text) configs.set(tier, parse(text) as CollectorConfig);
  }
  return configs;
}

/** A two-tier cluster's committed front and gateway configs; throws naming the folder when it has none. */
export async function committedTwoTierConfigs(
  env: string,
): Promise<{ front: CollectorConfig; gateway: CollectorConfig }> {
  const configs = await committedCollectorConfigs(env);
  const front = configs.get("front");
  const gateway = configs.get("gateway");
  if (!front || !gateway) throw new Error(`clusters/${env}/otel-collector has no front and gateway tiers`);
  return { front, gateway };
}

/** The cluster's name as the committed tree carries it (Argo CD root Application's instance label). */
export async function clusterIdentity(env: string): Promise<{ name: string; environment: string }> {
  const configs = await committedCollectorConfigs(env);
  const receiving = configs.get("collector") ?? configs.get("front");
  const attrs = (receiving?.processors?.resource?.attributes ?? []) as { key: string; value: string }[];
  const read = (key: string) => attrs.find((a) => a.key === key)?.value ?? "";
  return { name: read("k8s.cluster.name"), environment: read("deployment.environment.name") };
}

/** The environment of a fixture service: the runner's, minus any OTEL_ or GL_ variable it happens to carry. */
export function serviceEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = untracedEnv();
  // Span metrics are pushed as in production (OTLP to the Collector), every second instead of every minute.
  return {
    ...base,
    OTEL_METRICS_EXPORTER: "otlp",
    OTEL_METRIC_EXPORT_INTERVAL: "1000",
    OTEL_LOG_LEVEL: "warn",
    ...extra,
  };
}

/** SIGTERM makes the SDK flush; the process must then end by itself (bounded). */
export async function terminate(proc: RunningProcess): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) resolve();
    else proc.child.once("exit", () => resolve());
  });
  proc.child.kill("SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000).unref());
  if ((await Promise.race([ended, timeout])) === "timeout") {
    await proc.stop(100);
    throw new Error(`service did not exit within 15 s of SIGTERM:\n${proc.output()}`);
  }
}
