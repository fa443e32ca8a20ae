// The cluster model → values for apps/otel-collector (its values.yaml documents every key; its
// values.schema.json, enforced by helm, must accept this). Only what the model decides is passed;
// the chart's defaults hold the rest (receiver limits, memory limiter, batching, ports).

import { serviceNamespace } from "../model/rules.ts";
import type { Cluster, CollectorModel, Resources, SamplingPolicy } from "../model/types.ts";
import { IMAGES, NAMESPACES, TEMPO_OTLP_ENDPOINTS } from "../platform.ts";
import { COLLECTOR_MAX_REQUEST_BYTES } from "./otlp-limits.ts";

/** Where the Collector finds a health-check or scrape path on a span (OpenTelemetry HTTP semantic conventions). */
export const URL_PATH_ATTRIBUTE = "url.path";
export const SERVICE_NAME_ATTRIBUTE = "service.name";

function resources(r: Resources): Resources {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

/** The model's intent-level policies → the chart's policy list (same order). */
export function chartPolicy(policy: SamplingPolicy): Record<string, unknown> {
  switch (policy.type) {
    case "errors":
      return { name: policy.name, type: "status_code", statusCodes: ["ERROR"] };
    case "latency":
      return { name: policy.name, type: "latency", thresholdMs: policy.thresholdMs };
    case "probabilistic":
      return { name: policy.name, type: "probabilistic", samplingPercentage: policy.percent };
    case "services":
      return {
        name: policy.name,
        type: "string_attribute",
        key: SERVICE_NAME_ATTRIBUTE,
        values: [...policy.services],
        samplingPercentage: policy.percent,
      };
    case "drop-paths":
      return { name: policy.name, type: "drop", key: URL_PATH_ATTRIBUTE, values: [...policy.paths] };
  }
}

function receivingTier(collector: CollectorModel, storageClass: string, exporting: boolean) {
  const { front } = collector;
  return {
    replicas: front.replicas,
    resources: resources(front.resources),
    autoscaling: {
      enabled: front.autoscaling.enabled,
      minReplicas: front.replicas,
      maxReplicas: Math.max(front.autoscaling.maxReplicas, front.replicas),
      targetCPUUtilizationPercentage: front.autoscaling.targetCPUPercent,
    },
    // In single mode the receiving tier also exports to Tempo, so it holds the persistent queue.
    ...(exporting ? { persistence: { size: collector.queueVolumeSize, storageClassName: storageClass } } : {}),
  };
}

export function collectorValues(cluster: Cluster): Record<string, unknown> {
  const { identity, collector, scheduling, monitoring, network, tempo } = cluster;
  const twoTier = collector.mode === "two-tier";
  const zone = scheduling.zoneSpread === "required" ? "DoNotSchedule" : "ScheduleAnyway";
  return {
    mode: collector.mode,
    cluster: { name: identity.name, environment: identity.environment },
    image: { repository: IMAGES.collector.repository, tag: IMAGES.collector.tag },
    tempo: {
      endpoint: TEMPO_OTLP_ENDPOINTS[tempo.mode],
      maxRequestBytes: COLLECTOR_MAX_REQUEST_BYTES,
      sendingQueue: { queueSize: collector.exportQueueSize },
    },
    tls: {
      enabled: collector.tls.enabled,
      secretName: collector.tls.enabled ? collector.tls.secretName : "",
      requireClientCert: collector.tls.requireClientCert,
      minVersion: collector.tls.minVersion,
      certificate: {
        enabled: collector.tls.enabled && collector.tls.certManager,
        issuer: { kind: collector.tls.issuer.kind, name: collector.tls.issuer.name },
        duration: `${collector.tls.durationHours}h`,
        renewBefore: `${collector.tls.renewBeforeHours}h`,
      },
    },
    redaction: {
      deleteAttributes: [...collector.redaction.deleteAttributes],
      hashAttributes: [...collector.redaction.hashAttributes],
      blockedValues: [...collector.redaction.blockedValuePatterns],
    },
    ...(twoTier
      ? {
          sampling: {
            decisionWait: `${collector.sampling.decisionWaitSeconds}s`,
            numTraces: collector.sampling.numTraces,
            expectedNewTracesPerSec: collector.sampling.expectedNewTracesPerSec,
            policies: collector.sampling.policies.map(chartPolicy),
          },
        }
      : {}),
    tiers: twoTier
      ? {
          front: receivingTier(collector, scheduling.storageClass, false),
          gateway: {
            replicas: collector.gateway.replicas,
            resources: resources(collector.gateway.resources),
            persistence: { size: collector.queueVolumeSize, storageClassName: scheduling.storageClass },
          },
        }
      : { collector: receivingTier(collector, scheduling.storageClass, true) },
    topologySpread: { zone, node: "ScheduleAnyway" },
    networkPolicy: {
      allowedNamespaces: [...network.otlpClientNamespaces],
      monitoringNamespace: network.monitoringNamespace,
      tempoNamespace: NAMESPACES.tempo,
    },
    serviceMonitor: { enabled: monitoring.prometheusOperator, labels: { ...monitoring.serviceMonitorLabels } },
    metrics: { endpoint: monitoring.otlpMetricsUrl, port: urlPort(monitoring.otlpMetricsUrl) },
    logs: monitoring.otlpLogsUrl
      ? {
          endpoint: monitoring.otlpLogsUrl,
          namespace: serviceNamespace(monitoring.otlpLogsUrl) ?? "",
          port: urlPort(monitoring.otlpLogsUrl),
        }
      : { endpoint: "" },
  };
}

/** The TCP port of an http(s) URL, explicit or implied by its scheme (for the NetworkPolicy). */
function urlPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
}
