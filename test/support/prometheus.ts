// A real Prometheus (tools/prometheus, 3.16.0) on loopback for the integration tests: its OTLP
// receiver on, configured as docs/prerequisites.md asks of the cluster's Prometheus, with a
// throw-away TSDB. Stopped and removed by `stop()`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";

/** Resource attributes the platform's Prometheus promotes to labels of every OTLP series. */
export const PROMOTED_RESOURCE_ATTRIBUTES = ["k8s.cluster.name", "deployment.environment.name", "k8s.namespace.name"];

export interface Prometheus {
  url: string;
  /** The OTLP base URL the Collector's otlp_http exporter is pointed at (it appends /v1/metrics). */
  otlpUrl: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(binary: string): Promise<Prometheus> {
  const dir = await mkdtemp(join(tmpdir(), "prometheus-"));
  const config = join(dir, "prometheus.yml");
  await writeFile(
    config,
    [
      "global:",
      "  scrape_interval: 5s",
      "otlp:",
      `  promote_resource_attributes: [${PROMOTED_RESOURCE_ATTRIBUTES.join(", ")}]`,
      "",
    ].join("\n"),
  );
  const { proc, ports } = await startOnFreePorts(
    1,
    ([listen]) =>
      startProcess(binary, [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${listen}`,
        "--web.enable-otlp-receiver",
        "--log.level=warn",
      ]),
    (started, [listen]) =>
      waitFor(
        "prometheus ready",
        async () => ((await fetch(`http://127.0.0.1:${listen}/-/ready`)).ok ? true : undefined),
        {
          process: started,
          timeoutMs: 30_000,
        },
      ),
  ).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const url = `http://127.0.0.1:${ports[0]}`;
  return {
    url,
    otlpUrl: `${url}/api/v1/otlp`,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, {
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { status: string; error?: string; data?: { result: [] } };
      if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
      return body.data?.result ?? [];
    },
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
