// A real Prometheus (tools/prometheus, 3.16.0) on loopback for the integration tests: its OTLP
// receiver on, configured as docs/prerequisites.md asks of the cluster's Prometheus, with a
// throw-away TSDB. Stopped and removed by `stop()`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";

/** Resource attributes the platform's Prometheus promotes to labels of every OTLP series. */
export const PROMOTED_RESOURCE_ATTRIBUTES = ["k8s.cluster.name", "deployment.environment.name", "k8s.namespace.name"];

export interface ScrapeJob {
  job: string;
  /** host:port → the target labels a ServiceMonitor would give it (cluster, tier, pod, …). */
  targets: { address: string; labels: Record<string, string> }[];
}

export interface PrometheusOptions {
  /** Scrape and rule-evaluation interval. @default "5s" */
  interval?: string;
  scrape?: ScrapeJob[];
  /** Rule files (absolute paths) to evaluate. */
  ruleFiles?: string[];
  /** Store exemplars (`--enable-feature=exemplar-storage`), as the cluster's Prometheus must. */
  exemplars?: boolean;
}

export interface QueryResult {
  result: { metric: Record<string, string>; value: [number, string] }[];
  warnings: string[];
  infos: string[];
}

export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
}

export interface Prometheus {
  url: string;
  /** The OTLP base URL the Collector's otlp_http exporter is pointed at (it appends /v1/metrics). */
  otlpUrl: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Instant query with Prometheus's warnings and infos (an error is thrown). */
  queryFull(promql: string): Promise<QueryResult>;
  /** Alerts pending or firing now. */
  alerts(): Promise<ActiveAlert[]>;
  /** Exemplars of the series a selector matches, over the last `seconds`. */
  exemplars(selector: string, seconds: number): Promise<{ labels: Record<string, string> }[]>;
  stop(): Promise<void>;
}

function configText(options: PrometheusOptions): string {
  const interval = options.interval ?? "5s";
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    otlp: { promote_resource_attributes: PROMOTED_RESOURCE_ATTRIBUTES },
    ...(options.ruleFiles ? { rule_files: options.ruleFiles } : {}),
    scrape_configs: (options.scrape ?? []).map((job) => ({
      job_name: job.job,
      static_configs: job.targets.map((t) => ({ targets: [t.address], labels: t.labels })),
    })),
  };
  // JSON is YAML: no quoting rules to get wrong.
  return `${JSON.stringify(config, null, 2)}\n`;
}

export async function startPrometheus(binary: string, options: PrometheusOptions = {}): Promise<Prometheus> {
  const dir = await mkdtemp(join(tmpdir(), "prometheus-"));
  const config = join(dir, "prometheus.yml");
  await writeFile(config, configText(options));
  const { proc, ports } = await startOnFreePorts(
    1,
    ([listen]) =>
      startProcess(binary, [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${listen}`,
        "--web.enable-otlp-receiver",
        ...(options.exemplars ? ["--enable-feature=exemplar-storage"] : []),
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
  const api = async <T>(path: string, params: Record<string, string>, what: string) => {
    const response = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params)}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: T;
      warnings?: string[];
      infos?: string[];
    };
    if (body.status !== "success" || body.data === undefined) throw new Error(`${what}: ${body.error}`);
    return { data: body.data, warnings: body.warnings ?? [], infos: body.infos ?? [] };
  };
  const queryFull = async (promql: string): Promise<QueryResult> => {
    const { data, warnings, infos } = await api<{ result: QueryResult["result"] }>("query", { query: promql }, promql);
    return { result: data.result, warnings, infos };
  };
  return {
    url,
    otlpUrl: `${url}/api/v1/otlp`,
    queryFull,
    async query(promql) {
      return (await queryFull(promql)).result;
    },
    async alerts() {
      return (await api<{ alerts: ActiveAlert[] }>("alerts", {}, "alerts")).data.alerts;
    },
    async exemplars(selector, seconds) {
      const end = Date.now() / 1000;
      const { data } = await api<{ exemplars: { labels: Record<string, string> }[] }[]>(
        "query_exemplars",
        { query: selector, start: String(end - seconds), end: String(end) },
        `exemplars of ${selector}`,
      );
      return data.flatMap((series) => series.exemplars);
    },
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
