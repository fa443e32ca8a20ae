// Head sampling: parent-based (a service always follows its caller's decision, so a trace is
// never half-kept), and for new traces a rule list: health and metrics requests are dropped,
// the first matching rule picks the ratio, otherwise the default ratio applies. Ratios use the
// SDK's trace-id-ratio sampler, which is deterministic on the trace id, so every service that
// starts spans of one trace with the same rules reaches the same decision. The default ratio is
// 1: the Collector's tail sampling then sees whole traces and keeps errors and slow requests.
import { type Attributes, type Context, type Link, type SpanKind, TraceFlags, trace } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace";
import type { SamplingRule } from "./config.ts";
import { compileGlobs, globToRegExp } from "./glob.ts";
import { isValidSpanContext } from "./valid-span-context.ts";

export interface SamplerSettings {
  serviceName: string;
  ratio: number;
  rules: readonly SamplingRule[];
  ignorePaths: readonly string[];
}

/** Attribute recording the ratio a kept root span was sampled at, so backends can re-weight counts. */
export const ATTR_SAMPLING_RATIO = "gl.sampling.ratio";

const DROP: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

interface CompiledRule {
  route: RegExp | undefined;
  spanName: RegExp | undefined;
  sampler: Sampler;
  ratio: number;
}

function samplerFor(ratio: number): Sampler {
  if (ratio >= 1) return new AlwaysOnSampler();
  if (ratio <= 0) return new AlwaysOffSampler();
  return new TraceIdRatioBasedSampler(ratio);
}

/**
 * Parent-based rule sampling in one step: a span with a parent follows the parent's decision; a
 * span that starts a trace is dropped on an ignored path, else sampled by the first matching
 * rule's ratio, else by the default ratio. This runs for
 * every span the service starts, so the usual outcomes are shared immutable results (the
 * SamplingResult contract allows it) and the common configuration, keep everything but health
 * checks, decides a root span with one lookup.
 */
export class RuleBasedSampler implements Sampler {
  readonly #rules: CompiledRule[];
  readonly #fallback: Sampler;
  readonly #fallbackRatio: number;
  readonly #keepAll: boolean;
  readonly #isIgnoredPath: (path: string) => boolean;
  readonly #sampled: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });

  constructor(settings: SamplerSettings) {
    this.#rules = settings.rules
      .filter((rule) => rule.service === undefined || rule.service === settings.serviceName)
      .map((rule) => ({
        route: rule.route === undefined ? undefined : globToRegExp(rule.route),
        spanName: rule.spanName === undefined ? undefined : globToRegExp(rule.spanName),
        sampler: samplerFor(rule.ratio),
        ratio: rule.ratio,
      }));
    this.#fallback = samplerFor(settings.ratio);
    this.#fallbackRatio = settings.ratio;
    this.#keepAll = this.#rules.length === 0 && settings.ratio >= 1;
    this.#isIgnoredPath = compileGlobs(settings.ignorePaths);
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && isValidSpanContext(parent))
      return (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? this.#sampled : DROP;
    const path = attributes["url.path"];
    const route = typeof path === "string" ? path : undefined;
    if (route !== undefined && this.#isIgnoredPath(route)) return DROP;
    if (this.#keepAll) return this.#sampled;
    for (const rule of this.#rules) {
      if (rule.route && (route === undefined || !rule.route.test(route))) continue;
      if (rule.spanName && !rule.spanName.test(spanName)) continue;
      return this.#stamped(
        rule.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links),
        rule.ratio,
      );
    }
    return this.#stamped(
      this.#fallback.shouldSample(context, traceId, spanName, spanKind, attributes, links),
      this.#fallbackRatio,
    );
  }

  /** A ratio sampler's result, with the ratio recorded on kept spans. */
  #stamped(result: SamplingResult, ratio: number): SamplingResult {
    if (result.decision === SamplingDecision.NOT_RECORD) return result;
    if (
      ratio >= 1 &&
      result.decision === SamplingDecision.RECORD_AND_SAMPLED &&
      result.attributes === undefined &&
      result.traceState === undefined
    )
      return this.#sampled;
    const ratioAttribute = ratio < 1 && result.decision === SamplingDecision.RECORD_AND_SAMPLED;
    return {
      ...result,
      attributes: { ...result.attributes, ...(ratioAttribute ? { [ATTR_SAMPLING_RATIO]: ratio } : {}) },
    };
  }

  toString(): string {
    return `RuleBasedSampler{parent-based,rules=${this.#rules.length},ratio=${this.#fallbackRatio}}`;
  }
}

/** Parent-based rule sampling (the cluster and version are stamped by the enrichment processor). */
export function createSampler(settings: SamplerSettings): Sampler {
  return new RuleBasedSampler(settings);
}
