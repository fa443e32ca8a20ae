// A real Prometheus (tools/prometheus, 3.16.0) on loopback for the integration tests: its OTLP
// receiver on, configured as docs/prerequisites.md asks of the cluster's Prometheus, with a
// throw-away TSDB. Stopped and removed by `stop()`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/ports.ts";
import { startProcess, waitFor } from "../../scripts/process.ts";

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
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = startProcess(binary, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-otlp-receiver",
      "--log.level=warn",
    ]);
    try {
      await waitFor("prometheus ready", async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), {
        process: proc,
        timeoutMs: 30_000,
      });
    } catch (error) {
      await proc.stop();
      if (attempt < 3 && /address already in use/i.test(proc.output())) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
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
}
