// Plain attributes (a string, a number, a boolean) set on an SDK span the way Span.setAttribute
// sets them, without its check of the value: that check allocates a WeakSet per value, a
// measurable share of a span's cost when it runs for the same few attributes on every span (the
// cluster and service version at start, the status code and route of every HTTP server span).
// The value goes into the span's own attribute object with its count kept; whatever setAttribute
// would drop, warn about or count (an ended span, an empty key, undefined, the count limit) and
// any span that does not look like SpanImpl is handed to setAttribute itself.
import type { AttributeValue, Span } from "@opentelemetry/api";

/**
 * SpanImpl's attribute bookkeeping in @opentelemetry/sdk-trace 3.0.0 (private in its type
 * declarations): the span's own attribute object, how many it holds and its limits.
 */
interface SpanAttributeBook {
  attributes: Record<string, AttributeValue>;
  _attributesCount: number;
  _spanLimits: { attributeCountLimit?: number; attributeValueLengthLimit?: number };
}

function attributeBookOf(span: Span): SpanAttributeBook | undefined {
  const book = span as unknown as Partial<SpanAttributeBook>;
  return typeof book._attributesCount === "number" &&
    typeof book.attributes === "object" &&
    typeof book._spanLimits === "object"
    ? (book as SpanAttributeBook)
    : undefined;
}

export function setPlainAttribute(span: Span, key: string, value: string | number | boolean | undefined): void {
  const book = attributeBookOf(span);
  if (book === undefined || value === undefined || key.length === 0 || !span.isRecording()) {
    span.setAttribute(key, value as AttributeValue);
    return;
  }
  const isNew = !Object.hasOwn(book.attributes, key);
  if (isNew && book._attributesCount >= (book._spanLimits.attributeCountLimit ?? Number.POSITIVE_INFINITY)) {
    span.setAttribute(key, value);
    return;
  }
  const limit = book._spanLimits.attributeValueLengthLimit ?? Number.POSITIVE_INFINITY;
  // A limit of 0 or less is invalid and ignored by the SDK (with a warning of its own).
  book.attributes[key] =
    typeof value !== "string" || value.length <= limit || !(limit > 0) ? value : value.substring(0, limit);
  if (isNew) book._attributesCount++;
}
