// Facts fixed for every cluster by the platform's contracts (namespaces, release names, images,
// endpoints). They are not in the model because no cluster may change them: other parts of the
// repository (the charts, Terraform, the gate, dashboards) rely on them.
import { VERSIONS } from "../scripts/versions.ts";

export const NAMESPACES = {
  tempo: "tempo",
  collector: "otel-collector",
  grafana: "grafana",
  monitoring: "monitoring",
  argocd: "argocd",
} as const;

/** The service account Tempo runs as; the IRSA trust in Terraform is bound to exactly this. */
export const TEMPO_SERVICE_ACCOUNT = "tempo";

/** The images the clusters run (pinned in versions.json). */
export const IMAGES = VERSIONS.images;

/** Tempo's OTLP gRPC endpoint as the Collector sees it, per Tempo mode (the charts name the Services so). */
export const TEMPO_OTLP_ENDPOINTS = {
  monolithic: `tempo.${NAMESPACES.tempo}.svc.cluster.local:4317`,
  distributed: `tempo-distributor.${NAMESPACES.tempo}.svc.cluster.local:4317`,
} as const;

/** Tempo's query API (port 3200) as Grafana sees it, per Tempo mode. */
export const TEMPO_QUERY_URLS = {
  monolithic: `http://tempo.${NAMESPACES.tempo}.svc.cluster.local:3200`,
  distributed: `http://tempo-query-frontend.${NAMESPACES.tempo}.svc.cluster.local:3200`,
} as const;

/** Argo CD runs inside each cluster it manages. */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";

/** Label value of `app.kubernetes.io/part-of` on everything the generators write themselves (the charts use the same). */
export const PART_OF = "greenlang-tracing";
