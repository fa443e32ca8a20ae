// `kustomization.yaml` of an app folder: lists every object file, so Argo CD applies exactly the
// rendered files (and nothing else that may sit in the folder).
export function kustomization(files: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [...files].sort(),
  };
}
