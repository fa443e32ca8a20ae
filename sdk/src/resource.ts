// The resource every span and metric carries: who emitted it (service name, version, namespace),
// where (deployment environment, Kubernetes cluster, namespace, pod and node from the downward
// API, host, OS, process and container, AWS where asked), and from which code (git commit). Later
// sources win: SDK defaults < detectors < OTEL_RESOURCE_ATTRIBUTES < downward-API variables <
// options.
import {
  awsBeanstalkDetector,
  awsEc2Detector,
  awsEcsDetector,
  awsEksDetector,
  awsLambdaDetector,
} from "@opentelemetry/resource-detector-aws";
import { containerDetector } from "@opentelemetry/resource-detector-container";
import {
  defaultResource,
  detectResources,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  type ResourceDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import type { ResourceDetectorName, TracingConfig } from "./config.ts";
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

/**
 * The detectors behind each name of OTEL_NODE_RESOURCE_DETECTORS. `env` has none: the
 * configuration reads OTEL_RESOURCE_ATTRIBUTES itself. `container` reads container.id from the
 * process's cgroup files; the AWS detectors answer only where their platform is (EC2 and ECS
 * metadata, the EKS API server, Lambda and Beanstalk files) and add nothing elsewhere.
 */
export const RESOURCE_DETECTOR_SETS: Readonly<Record<ResourceDetectorName, readonly ResourceDetector[]>> = {
  env: [],
  host: [hostDetector],
  os: [osDetector],
  process: [processDetector],
  container: [containerDetector],
  aws: [awsEc2Detector, awsEcsDetector, awsEksDetector, awsLambdaDetector, awsBeanstalkDetector],
};

export function buildResource(config: TracingConfig, env: Record<string, string | undefined> = process.env): Resource {
  const detected = detectResources({
    detectors: config.resourceDetectors.flatMap((name) => RESOURCE_DETECTOR_SETS[name]),
  });
  return defaultResource()
    .merge(detected)
    .merge(resourceFromAttributes(configuredResourceAttributes(config, env)));
}
