// Head sampling: parent-based (a service always follows its caller's decision, so a trace is
// never half-kept), and for new traces a rule list: health and metrics requests are dropped,
// the first matching rule picks the ratio, otherwise the default ratio applies. Ratios use the
// SDK's trace-id-ratio sampler, which is deterministic on the trace id, so every service that
// starts spans of one trace with the same rules reaches the same decision. The default ratio is
// 1: the Collector's tail sampling then sees whole traces and keeps errors and slow requests.
import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace";
import type { SamplingRule } from "./config.ts";
import { compileGlobs, globToRegExp } from "./glob.ts";

export interface SamplerSettings {
  serviceName: string;
  ratio: number;
  rules: readonly SamplingRule[];
  ignorePaths: readonly string[];
}

/** Attribute recording the ratio a kept root span was sampled at, so backends can re-weight counts. */
export const ATTR_SAMPLING_RATIO = "gl.sampling.ratio";

const DROP: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

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

/** Samples spans that start a new trace in this service. */
export class RuleBasedRootSampler implements Sampler {
  readonly #rules: CompiledRule[];
  readonly #fallback: Sampler;
  readonly #fallbackRatio: number;
  readonly #isIgnoredPath: (path: string) => boolean;

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
    const path = attributes["url.path"];
    const route = typeof path === "string" ? path : undefined;
    if (route !== undefined && this.#isIgnoredPath(route)) return DROP;
    for (const rule of this.#rules) {
      if (rule.route && (route === undefined || !rule.route.test(route))) continue;
      if (rule.spanName && !rule.spanName.test(spanName)) continue;
      return withRatio(rule.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links), rule.ratio);
    }
    return withRatio(
      this.#fallback.shouldSample(context, traceId, spanName, spanKind, attributes, links),
      this.#fallbackRatio,
    );
  }

  toString(): string {
    return `RuleBasedRootSampler{rules=${this.#rules.length},ratio=${this.#fallbackRatio}}`;
  }
}

function withRatio(result: SamplingResult, ratio: number): SamplingResult {
  if (ratio >= 1 || result.decision !== SamplingDecision.RECORD_AND_SAMPLED) return result;
  return { ...result, attributes: { [ATTR_SAMPLING_RATIO]: ratio } };
}

/**
 * Adds constant attributes (cluster, service version) to every recorded span through its
 * sampling result: the SDK merges those into the span's initial attributes in the same pass that
 * validates the others, which is the cheapest place to stamp a value on every span.
 */
export class StampingSampler implements Sampler {
  readonly #inner: Sampler;
  readonly #attributes: Readonly<Attributes>;
  readonly #sampled: SamplingResult;
  readonly #recorded: SamplingResult;

  constructor(inner: Sampler, attributes: Attributes) {
    this.#inner = inner;
    this.#attributes = Object.freeze({ ...attributes });
    // Results are immutable and may be shared (the SamplingResult contract), so the common
    // decisions cost no allocation.
    this.#sampled = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: this.#attributes });
    this.#recorded = Object.freeze({ decision: SamplingDecision.RECORD, attributes: this.#attributes });
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.#inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision === SamplingDecision.NOT_RECORD) return result;
    if (result.attributes === undefined && result.traceState === undefined) {
      return result.decision === SamplingDecision.RECORD_AND_SAMPLED ? this.#sampled : this.#recorded;
    }
    return { ...result, attributes: { ...this.#attributes, ...result.attributes } };
  }

  toString(): string {
    return `StampingSampler{${this.#inner.toString()}}`;
  }
}

/** Parent-based rule sampling; `spanAttributes` (if any) are stamped on every recorded span. */
export function createSampler(settings: SamplerSettings, spanAttributes: Attributes = {}): Sampler {
  const sampler = new ParentBasedSampler({ root: new RuleBasedRootSampler(settings) });
  return Object.keys(spanAttributes).length === 0 ? sampler : new StampingSampler(sampler, spanAttributes);
}
