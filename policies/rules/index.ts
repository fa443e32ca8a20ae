// Every rule of the gate, one folder each (rule.ts, bad/good fixtures, expected.yaml).
// policies/rules/rules.test.ts fails when a folder is missing from this list or vice versa.
import type { Rule } from "../engine/types.ts";
import argocdDestinationNameOrServer from "./argocd-destination-name-or-server/rule.ts";
import argocdNoEmptyNamespaceWhitelist from "./argocd-no-empty-namespace-whitelist/rule.ts";
import argocdPathExists from "./argocd-path-exists/rule.ts";
import argocdProjectContained from "./argocd-project-contained/rule.ts";
import argocdProjectPinned from "./argocd-project-pinned/rule.ts";
import argocdPruneGuarded from "./argocd-prune-guarded/rule.ts";
import k8sDefaultDenyNetworkPolicy from "./k8s-default-deny-network-policy/rule.ts";
import k8sDropAllCapabilities from "./k8s-drop-all-capabilities/rule.ts";
import k8sHpaNoReplicas from "./k8s-hpa-no-replicas/rule.ts";
import k8sHpaTargetExists from "./k8s-hpa-target-exists/rule.ts";
import k8sImagePinned from "./k8s-image-pinned/rule.ts";
import k8sNoDefaultNamespace from "./k8s-no-default-namespace/rule.ts";
import k8sNoHostNamespaces from "./k8s-no-host-namespaces/rule.ts";
import k8sNoHostPath from "./k8s-no-host-path/rule.ts";
import k8sNoHostPort from "./k8s-no-host-port/rule.ts";
import k8sNoPrivilegeEscalation from "./k8s-no-privilege-escalation/rule.ts";
import k8sNoSecretEnvLiterals from "./k8s-no-secret-env-literals/rule.ts";
import k8sNotPrivileged from "./k8s-not-privileged/rule.ts";
import k8sPdbForReplicated from "./k8s-pdb-for-replicated/rule.ts";
import k8sPdbTargetExists from "./k8s-pdb-target-exists/rule.ts";
import k8sProbes from "./k8s-probes/rule.ts";
import k8sQuantitiesCanonical from "./k8s-quantities-canonical/rule.ts";
import k8sReadOnlyRootFs from "./k8s-read-only-root-fs/rule.ts";
import k8sRecommendedLabels from "./k8s-recommended-labels/rule.ts";
import k8sRequestsLimits from "./k8s-requests-limits/rule.ts";
import k8sRunAsNonRoot from "./k8s-run-as-non-root/rule.ts";
import k8sSeccompRuntimeDefault from "./k8s-seccomp-runtime-default/rule.ts";
import k8sSecretVolumeIssued from "./k8s-secret-volume-issued/rule.ts";
import k8sServiceAccountToken from "./k8s-service-account-token/rule.ts";
import k8sServiceSelectsWorkload from "./k8s-service-selects-workload/rule.ts";
import k8sSpreadReplicated from "./k8s-spread-replicated/rule.ts";
import kustomizeResourcesMatch from "./kustomize-resources-match/rule.ts";
import otelMemoryLimiterFirst from "./otel-memory-limiter-first/rule.ts";
import otelReceiversNotLocalhost from "./otel-receivers-not-localhost/rule.ts";
import otelTailSamplingBehindLb from "./otel-tail-sampling-behind-lb/rule.ts";
import tempoIngesterZones from "./tempo-ingester-zones/rule.ts";
import tempoNoDeprecatedKeys from "./tempo-no-deprecated-keys/rule.ts";
import tempoNoLocalBackend from "./tempo-no-local-backend/rule.ts";
import tempoProdHa from "./tempo-prod-ha/rule.ts";
import tfIamNoWildcard from "./tf-iam-no-wildcard/rule.ts";
import tfIrsaExactSubject from "./tf-irsa-exact-subject/rule.ts";
import tfKmsRotation from "./tf-kms-rotation/rule.ts";
import tfProvidersPinned from "./tf-providers-pinned/rule.ts";
import tfRequiredTags from "./tf-required-tags/rule.ts";
import tfS3AbortMultipart from "./tf-s3-abort-multipart/rule.ts";
import tfS3PublicAccessBlock from "./tf-s3-public-access-block/rule.ts";
import tfS3SseKms from "./tf-s3-sse-kms/rule.ts";
import tfS3TlsOnly from "./tf-s3-tls-only/rule.ts";

export const RULES: readonly Rule[] = [
  argocdDestinationNameOrServer,
  argocdNoEmptyNamespaceWhitelist,
  argocdProjectContained,
  argocdProjectPinned,
  argocdPathExists,
  argocdPruneGuarded,
  k8sDefaultDenyNetworkPolicy,
  k8sDropAllCapabilities,
  k8sHpaNoReplicas,
  k8sHpaTargetExists,
  k8sImagePinned,
  k8sNoDefaultNamespace,
  k8sNoHostNamespaces,
  k8sNoHostPath,
  k8sNoHostPort,
  k8sNoPrivilegeEscalation,
  k8sNoSecretEnvLiterals,
  k8sNotPrivileged,
  k8sPdbForReplicated,
  k8sPdbTargetExists,
  k8sProbes,
  k8sQuantitiesCanonical,
  k8sReadOnlyRootFs,
  k8sRecommendedLabels,
  k8sRequestsLimits,
  k8sRunAsNonRoot,
  k8sSeccompRuntimeDefault,
  k8sSecretVolumeIssued,
  k8sServiceAccountToken,
  k8sServiceSelectsWorkload,
  k8sSpreadReplicated,
  kustomizeResourcesMatch,
  otelMemoryLimiterFirst,
  otelReceiversNotLocalhost,
  otelTailSamplingBehindLb,
  tempoIngesterZones,
  tempoNoDeprecatedKeys,
  tempoNoLocalBackend,
  tempoProdHa,
  tfIamNoWildcard,
  tfIrsaExactSubject,
  tfKmsRotation,
  tfProvidersPinned,
  tfRequiredTags,
  tfS3AbortMultipart,
  tfS3PublicAccessBlock,
  tfS3SseKms,
  tfS3TlsOnly,
];
