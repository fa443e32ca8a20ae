// Small constructors so each rule file holds only its metadata and its check.
import type {
  K8sObject,
  KubernetesRule,
  RuleContext,
  RuleMeta,
  TerraformLocation,
  TerraformModule,
  TerraformRule,
  Violation,
} from "./types.ts";

/** A rule that looks at one object at a time (it may still read the rest of its scope). */
export function objectRule(
  meta: RuleMeta & {
    /** Which objects the rule inspects; the others are skipped. */
    applies: (object: K8sObject) => boolean;
    each: (object: K8sObject, all: readonly K8sObject[], context: RuleContext) => Violation[];
  },
): KubernetesRule {
  const { applies, each, ...rest } = meta;
  return {
    ...rest,
    target: "kubernetes",
    check(objects, context) {
      const out: { object: K8sObject; violation: Violation }[] = [];
      for (const object of objects) {
        if (!applies(object)) continue;
        for (const violation of each(object, objects, context)) out.push({ object, violation });
      }
      return out;
    },
  };
}

export function scopeRule(
  meta: RuleMeta & {
    check: (objects: readonly K8sObject[], context: RuleContext) => { object: K8sObject; violation: Violation }[];
  },
): KubernetesRule {
  return { ...meta, target: "kubernetes" };
}

export function terraformRule(
  meta: RuleMeta & { check: (module: TerraformModule) => TerraformLocation[] },
): TerraformRule {
  return { ...meta, target: "terraform" };
}
