import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload } from "../../engine/workloads.ts";

/** The tag is what follows the last ':' after the last '/' (a registry port is not a tag). */
export function imageTag(image: string): string | null {
  const withoutDigest = image.split("@")[0] ?? "";
  const last = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  return colon >= 0 ? last.slice(colon + 1) : null;
}

export default objectRule({
  id: "k8s-image-pinned",
  severity: "error",
  title: "Images are pinned to a version tag or digest",
  rationale:
    "A missing or `latest` tag makes every pod restart a silent upgrade, and rollbacks impossible to reason about.",
  remediation: "Use an explicit version tag (grafana/tempo:2.7.2) or a digest (@sha256:…); never `latest`.",
  applies: isWorkload,
  each(object) {
    return containers(object).flatMap(({ container, path, name }) => {
      const image = typeof container.image === "string" ? container.image : "";
      if (image.includes("@sha256:")) return [];
      const tag = imageTag(image);
      if (!image) return [{ path: `${path}.image`, message: `container "${name}" has no image` }];
      if (tag === null) return [{ path: `${path}.image`, message: `image "${image}" has no tag` }];
      if (tag === "latest") return [{ path: `${path}.image`, message: `image "${image}" uses the latest tag` }];
      return [];
    });
  },
});
