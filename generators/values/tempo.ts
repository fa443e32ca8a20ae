// The cluster model → values for apps/tempo (its values.yaml documents every key; its
// values.schema.json, enforced by helm, must accept this). Only what the model decides is passed;
// the chart's defaults hold the rest (log format, ports, probes, grace periods).
import type { Cluster, Resources, ScalableWorkload } from "../model/types.ts";
import { IMAGES, NAMESPACES, TEMPO_SERVICE_ACCOUNT } from "../platform.ts";
import { distributorMaxRecvMiB } from "./otlp-limits.ts";

const MB = 1_000_000;

function bytes(megabytes: number): number {
  return Math.round(megabytes * MB);
}

function resources(r: Resources): Resources {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

function scalable(workload: ScalableWorkload) {
  return {
    replicas: workload.replicas,
    autoscaling: {
      enabled: workload.autoscaling.enabled,
      // The model's `replicas` is the floor the sizing rules were checked against.
      minReplicas: workload.replicas,
      maxReplicas: Math.max(workload.autoscaling.maxReplicas, workload.replicas),
      targetCPUUtilizationPercentage: workload.autoscaling.targetCPUPercent,
    },
    resources: resources(workload.resources),
  };
}

/** The ARN the chart puts on the `tempo` service account (`eks.amazonaws.com/role-arn`). */
export function tempoRoleArn(cluster: Cluster): string {
  return `arn:aws:iam::${cluster.identity.accountId}:role/${cluster.tempo.irsaRoleName}`;
}

export function tempoValues(cluster: Cluster): Record<string, unknown> {
  const { identity, tempo, scheduling, monitoring, network } = cluster;
  const s3 = tempo.storage.backend === "s3";
  const values: Record<string, unknown> = {
    cluster: { name: identity.name, environment: identity.environment },
    mode: tempo.mode,
    image: { repository: IMAGES.tempo.repository, tag: IMAGES.tempo.tag },
    serviceAccount: { name: TEMPO_SERVICE_ACCOUNT, roleArn: s3 ? tempoRoleArn(cluster) : "" },
    storage: {
      backend: tempo.storage.backend,
      retention: `${tempo.retentionHours}h`,
      ...(s3 ? { s3: { bucket: tempo.storage.bucket, region: tempo.storage.region } } : {}),
    },
    limits: {
      rateLimitBytes: bytes(tempo.tenantLimits.ingestionRateMB),
      burstSizeBytes: bytes(tempo.tenantLimits.ingestionBurstMB),
      maxTracesPerUser: tempo.tenantLimits.maxTracesPerUser,
      maxBytesPerTrace: bytes(tempo.tenantLimits.maxTraceSizeMB),
    },
    metricsGenerator: {
      enabled: tempo.metricsGenerator.enabled,
      processors: [...tempo.metricsGenerator.processors],
      remoteWriteUrl: monitoring.remoteWriteUrl,
      walSizeLimit: tempo.metricsGenerator.walSizeLimit,
      localBlocks: { ...tempo.metricsGenerator.localBlocks },
      ...(tempo.mode === "distributed" ? { replicas: tempo.metricsGenerator.replicas } : {}),
      resources: resources(tempo.metricsGenerator.resources),
    },
    topologySpread: {
      zoneWhenUnsatisfiable: scheduling.zoneSpread === "required" ? "DoNotSchedule" : "ScheduleAnyway",
    },
    networkPolicy: {
      collectorNamespace: NAMESPACES.collector,
      grafanaNamespace: network.grafanaNamespace,
      monitoringNamespace: network.monitoringNamespace,
    },
    serviceMonitor: { enabled: monitoring.prometheusOperator, labels: { ...monitoring.serviceMonitorLabels } },
  };
  if (tempo.mode === "monolithic") {
    values.monolithic = {
      persistence: { size: tempo.monolithic.volumeSize, storageClass: scheduling.storageClass },
      resources: resources(tempo.monolithic.resources),
    };
    // The one pod runs the distributor's receivers too.
    values.distributor = { grpcMaxRecvMsgSizeMiB: distributorMaxRecvMiB(cluster) };
    return values;
  }
  values.ingester = {
    replicas: tempo.ingester.replicas,
    replicationFactor: tempo.replicationFactor,
    zones: tempo.ingester.zoneAware ? [...scheduling.zones] : [],
    persistence: { size: tempo.ingester.volumeSize, storageClass: scheduling.storageClass },
    resources: resources(tempo.ingester.resources),
  };
  values.distributor = { ...scalable(tempo.distributor), grpcMaxRecvMsgSizeMiB: distributorMaxRecvMiB(cluster) };
  values.querier = scalable(tempo.querier);
  values.queryFrontend = {
    replicas: tempo.queryFrontend.replicas,
    resources: resources(tempo.queryFrontend.resources),
  };
  values.compactor = { replicas: tempo.compactor.replicas, resources: resources(tempo.compactor.resources) };
  return values;
}
