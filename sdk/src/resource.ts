// The resource every span and metric carries: who emitted it (service name, version, namespace),
// where (deployment environment, Kubernetes cluster, namespace, pod and node from the downward
// API, host and process), and from which code (git commit). Later sources win: SDK defaults <
// host and process detectors < OTEL_RESOURCE_ATTRIBUTES < downward-API variables < options.
import {
  defaultResource,
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import type { TracingConfig } from "./config.ts";
import { SDK_NAME, SDK_VERSION } from "./version.ts";

/**
 * Environment variables a Deployment sets from the downward API (`fieldRef`), and the resource
 * attribute each one becomes.
 */
export const DOWNWARD_API_VARIABLES: Readonly<Record<string, string>> = {
  K8S_POD_NAME: "k8s.pod.name",
  K8S_POD_UID: "k8s.pod.uid",
  K8S_NAMESPACE_NAME: "k8s.namespace.name",
  K8S_NODE_NAME: "k8s.node.name",
};

export const ATTR_GIT_COMMIT = "vcs.ref.head.revision";

export function kubernetesAttributes(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variable, attribute] of Object.entries(DOWNWARD_API_VARIABLES)) {
    const value = env[variable]?.trim();
    if (value) out[attribute] = value;
  }
  return out;
}

/** Attributes decided by configuration, without the detectors (which read the host). */
export function configuredResourceAttributes(
  config: TracingConfig,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const explicit: Record<string, string | undefined> = {
    "service.name": config.serviceName,
    "service.version": config.serviceVersion,
    "service.namespace": config.serviceNamespace,
    "service.instance.id": config.serviceInstanceId,
    "deployment.environment.name": config.environment,
    "k8s.cluster.name": config.cluster,
    [ATTR_GIT_COMMIT]: config.gitCommit,
    "telemetry.distro.name": SDK_NAME,
    "telemetry.distro.version": SDK_VERSION,
  };
  const out: Record<string, string> = { ...config.resourceAttributes, ...kubernetesAttributes(env) };
  for (const [key, value] of Object.entries(explicit)) if (value !== undefined) out[key] = value;
  return out;
}

export function buildResource(config: TracingConfig, env: Record<string, string | undefined> = process.env): Resource {
  const detected = detectResources({ detectors: [hostDetector, processDetector] });
  return defaultResource()
    .merge(detected)
    .merge(resourceFromAttributes(configuredResourceAttributes(config, env)));
}
