import { randomBytes } from "node:crypto";

/** One span as the tests describe it; encoded below as OTLP/JSON (the protocol's JSON mapping). */
export interface TestSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  serviceName: string;
  attributes?: Record<string, string | number | boolean>;
  resourceAttributes?: Record<string, string>;
  error?: boolean;
  durationMs?: number;
}

export const newTraceId = (): string => randomBytes(16).toString("hex");
export const newSpanId = (): string => randomBytes(8).toString("hex");

function attribute(key: string, value: string | number | boolean) {
  if (typeof value === "string") return { key, value: { stringValue: value } };
  if (typeof value === "boolean") return { key, value: { boolValue: value } };
  return Number.isInteger(value) ? { key, value: { intValue: String(value) } } : { key, value: { doubleValue: value } };
}

/** An ExportTraceServiceRequest in OTLP/JSON: hex ids, nanosecond timestamps as strings. */
export function exportRequest(spans: TestSpan[]) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: spans.map((span) => ({
      resource: {
        attributes: Object.entries({ "service.name": span.serviceName, ...span.resourceAttributes }).map(([k, v]) =>
          attribute(k, v),
        ),
      },
      scopeSpans: [
        {
          scope: { name: "greenlang-tests" },
          spans: [
            {
              traceId: span.traceId ?? newTraceId(),
              spanId: span.spanId ?? newSpanId(),
              ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
              name: span.name,
              kind: 2,
              startTimeUnixNano: String(now - BigInt(span.durationMs ?? 5) * 1_000_000n),
              endTimeUnixNano: String(now),
              attributes: Object.entries(span.attributes ?? {}).map(([k, v]) => attribute(k, v)),
              status: span.error ? { code: 2, message: "failed" } : { code: 1 },
            },
          ],
        },
      ],
    })),
  };
}

/** POSTs spans to an OTLP/HTTP endpoint such as `http://127.0.0.1:4318`; throws on a non-2xx answer. */
export async function sendSpans(
  baseUrl: string,
  spans: TestSpan[],
  headers: Record<string, string> = {},
): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(exportRequest(spans)),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`OTLP export to ${baseUrl} failed: ${response.status} ${await response.text()}`);
}

/** An attribute as OTLP/JSON carries it (what stores and the file exporter return). */
export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}

/** OTLP/JSON attributes as a plain record for assertions (int64 strings become numbers). */
export function attributesOf(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}
