// The chart's structural promises, as checks over a render. Each returns the problems it finds
// (empty = holds). render.test.ts runs them on every mode's real render (must be empty) and on a
// deliberately broken copy (must name the break), so none of them can pass vacuously.
import type { CollectorConfig, K8sObject, Rendered } from "./render.ts";
import { NAMESPACE, selects, workloads } from "./render.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: the Collector's ${env:…} syntax, not a JS template.
const POD_IP = "${env:MY_POD_IP}";

/** Component type of an id: "otlp_grpc/tempo" → "otlp_grpc". */
export function typeOf(id: string): string {
  return id.split("/")[0] ?? id;
}

function tracesPipelines(config: CollectorConfig): [string, CollectorConfig][] {
  return Object.entries(config.service?.pipelines ?? {}).filter(([id]) => typeOf(id) === "traces") as [
    string,
    CollectorConfig,
  ][];
}

/** memory_limiter is the first processor of every traces pipeline. */
export function memoryLimiterFirst(r: Rendered): string[] {
  const problems: string[] = [];
  for (const [tier, config] of r.configs) {
    for (const [id, pipeline] of tracesPipelines(config)) {
      const first = (pipeline.processors ?? [])[0];
      if (first === undefined || typeOf(first) !== "memory_limiter") {
        problems.push(`${tier}: pipeline ${id} starts with ${first ?? "no processor"}, not memory_limiter`);
      }
    }
  }
  return problems;
}

/** The front tier's load_balancing exporter, or undefined. */
function loadBalancer(r: Rendered): CollectorConfig | undefined {
  const exporters = r.configs.get("front")?.exporters ?? {};
  const id = Object.keys(exporters).find((e) => typeOf(e) === "load_balancing");
  return id ? exporters[id] : undefined;
}

/** tail_sampling runs only in the gateway tier, and only behind a trace-id load balancer. */
export function tailSamplingOnlyInGateway(r: Rendered): string[] {
  const problems: string[] = [];
  for (const [tier, config] of r.configs) {
    const used = tracesPipelines(config).some(([, p]) =>
      (p.processors ?? []).some((id: string) => typeOf(id) === "tail_sampling"),
    );
    if (used && tier !== "gateway") problems.push(`${tier}: runs tail_sampling outside the gateway tier`);
    if (!used && tier === "gateway") problems.push("gateway: does not run tail_sampling");
    if (used && tier === "gateway" && loadBalancer(r)?.routing_key !== "traceID") {
      problems.push("gateway: runs tail_sampling but the front tier does not load-balance by traceID");
    }
  }
  return problems;
}

/** The front tier routes by trace id to the gateway's headless Service, through DNS. */
export function loadBalancesToHeadlessService(r: Rendered): string[] {
  if (!r.configs.has("front")) return r.configs.has("gateway") ? ["gateway without a front tier"] : [];
  const lb = loadBalancer(r);
  if (!lb) return ["front: has no load_balancing exporter"];
  const problems: string[] = [];
  if (lb.routing_key !== "traceID")
    problems.push(`front: load_balancing routing_key is ${lb.routing_key}, not traceID`);
  const dns = lb.resolver?.dns;
  if (!dns) return [...problems, "front: load_balancing does not use the dns resolver"];
  const suffix = `.${NAMESPACE}.svc.cluster.local`;
  const serviceName = String(dns.hostname).endsWith(suffix) ? String(dns.hostname).slice(0, -suffix.length) : undefined;
  const service = r.objects.find((o) => o.kind === "Service" && o.metadata.name === serviceName);
  if (!service)
    return [...problems, `front: load_balancing resolves ${dns.hostname}, which is no Service of the chart`];
  if (service.spec.clusterIP !== "None")
    problems.push(`Service ${serviceName} is not headless (clusterIP ${service.spec.clusterIP})`);
  const gateway = workloads(r.objects).find((w) => w.metadata.labels?.["app.kubernetes.io/component"] === "gateway");
  if (!gateway || !selects(service.spec.selector ?? {}, gateway.spec.template.metadata.labels)) {
    problems.push(`Service ${serviceName} does not select the gateway pods`);
  }
  if (!(service.spec.ports ?? []).some((p: { port: number }) => String(p.port) === String(dns.port))) {
    problems.push(`Service ${serviceName} has no port ${dns.port}`);
  }
  return problems;
}

/** Every endpoint the Collector serves (receivers, health_check, metrics reader) binds the pod IP. */
export function serversBindPodIp(r: Rendered): string[] {
  const problems: string[] = [];
  for (const [tier, config] of r.configs) {
    for (const [id, receiver] of Object.entries(config.receivers ?? {}) as [string, CollectorConfig][]) {
      for (const [protocol, settings] of Object.entries(receiver.protocols ?? {}) as [string, CollectorConfig][]) {
        if (!String(settings?.endpoint ?? "").startsWith(`${POD_IP}:`)) {
          problems.push(
            `${tier}: receivers.${id}.protocols.${protocol}.endpoint is ${settings?.endpoint ?? "unset (localhost)"}`,
          );
        }
      }
    }
    const health = config.extensions?.health_check?.endpoint;
    if (!String(health ?? "").startsWith(`${POD_IP}:`))
      problems.push(`${tier}: health_check endpoint is ${health ?? "unset"}`);
    for (const reader of config.service?.telemetry?.metrics?.readers ?? []) {
      const host = reader?.pull?.exporter?.prometheus?.host;
      if (host !== POD_IP) problems.push(`${tier}: metrics reader host is ${host ?? "unset"}`);
    }
  }
  for (const w of workloads(r.objects)) {
    for (const c of w.spec.template.spec.containers) {
      const podIp = (c.env ?? []).find((e: { name: string }) => e.name === "MY_POD_IP");
      if (podIp?.valueFrom?.fieldRef?.fieldPath !== "status.podIP") {
        problems.push(`${w.kind}/${w.metadata.name}: container ${c.name} does not set MY_POD_IP from status.podIP`);
      }
    }
  }
  return problems;
}

/** The workload whose pods read this tier's ConfigMap. */
export function workloadOfTier(r: Rendered, tier: string): K8sObject | undefined {
  return workloads(r.objects).find((w) => w.metadata.labels?.["app.kubernetes.io/component"] === tier);
}

/** Exporters to Tempo keep their sending queue in file_storage on a PersistentVolumeClaim mount. */
export function persistentSendingQueue(r: Rendered): string[] {
  const problems: string[] = [];
  let exportersSeen = 0;
  for (const [tier, config] of r.configs) {
    for (const [id, exporter] of Object.entries(config.exporters ?? {}) as [string, CollectorConfig][]) {
      if (typeOf(id) !== "otlp_grpc") continue;
      exportersSeen += 1;
      const where = `${tier}: exporters.${id}`;
      const queue = exporter.sending_queue;
      if (!queue || queue.enabled === false) {
        problems.push(`${where} has no sending queue`);
        continue;
      }
      if (!exporter.retry_on_failure || exporter.retry_on_failure.enabled === false)
        problems.push(`${where} does not retry`);
      const storage = queue.storage as string | undefined;
      if (!storage || typeOf(storage) !== "file_storage") {
        problems.push(
          `${where}.sending_queue.storage is ${storage ?? "unset"} (in-memory), not a file_storage extension`,
        );
        continue;
      }
      if (!(config.service?.extensions ?? []).includes(storage))
        problems.push(`${where}: extension ${storage} is not enabled`);
      const directory = config.extensions?.[storage]?.directory;
      const workload = workloadOfTier(r, tier);
      if (!workload) {
        problems.push(`${where}: no workload runs tier ${tier}`);
        continue;
      }
      const mounts = workload.spec.template.spec.containers.flatMap((c: K8sObject) => c.volumeMounts ?? []);
      const mount = mounts.find((m: { mountPath: string }) => m.mountPath === directory);
      const claims = (workload.spec.volumeClaimTemplates ?? []).map((c: K8sObject) => c.metadata.name);
      if (!mount)
        problems.push(`${where}: queue directory ${directory} is not a volume mount of ${workload.metadata.name}`);
      else if (!claims.includes(mount.name)) {
        problems.push(
          `${where}: queue volume ${mount.name} is not a PersistentVolumeClaim of ${workload.kind}/${workload.metadata.name}`,
        );
      }
    }
  }
  if (exportersSeen === 0) problems.push("no otlp_grpc exporter to Tempo in any tier");
  return problems;
}

export const INVARIANTS: Record<string, (r: Rendered) => string[]> = {
  memoryLimiterFirst,
  tailSamplingOnlyInGateway,
  loadBalancesToHeadlessService,
  serversBindPodIp,
  persistentSendingQueue,
};
