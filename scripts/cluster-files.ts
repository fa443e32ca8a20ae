// Which files of a rendered clusters/<env>/ tree hold Kubernetes objects. Shared by the generators
// (which write the tree and compute the impact of a change to it) and the gate (which reads it).

/** Helm values for charts this repository does not deploy (the cluster's Grafana) end so. */
export const VALUES_FRAGMENT_SUFFIX = ".values.yaml";

/** `clusters/<env>/…/*.values.yaml`: generated and drift-checked, but values, not objects. */
function isValuesFragment(file: string): boolean {
  return /^clusters\/[^/]+\//.test(file) && file.endsWith(VALUES_FRAGMENT_SUFFIX);
}

/** A YAML file whose documents are Kubernetes objects (kustomizations included). */
export function holdsObjects(file: string): boolean {
  return /\.ya?ml$/.test(file) && !isValuesFragment(file);
}
