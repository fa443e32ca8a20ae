// The OTLP/protobuf body of a batch of spans (ExportTraceServiceRequest), the same bytes as the
// upstream ProtobufTraceSerializer of otlp-transformer 0.300.0 writes, for less CPU: upstream walks
// the whole batch twice (once to estimate the size, once to write) into a fresh buffer, and writes
// every attribute key and value character by character. Here the batch is written once, into a
// buffer kept from one export to the next, and the encoded form of an attribute whose key and
// value repeat from span to span (the method, scheme, host, protocol, route, status code of every
// request; the resource) is kept and copied as a whole. test/otlp-encoder.test.ts compares the
// bytes with upstream's for spans of every shape.
//
// Field numbers and order follow opentelemetry-proto (trace/v1/trace.proto, common/v1/common.proto),
// including what upstream writes even when zero (dropped counts) and what it leaves out.
import type { Attributes, AttributeValue, HrTime } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

const LENGTH_DELIMITED = 2;
const VARINT = 0;
const FIXED64 = 1;
const FIXED32 = 5;
const TWO_32 = 4294967296;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
// SpanFlags: the parent's remoteness is known (bit 8), and whether it is remote (bit 9).
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;
// Bytes kept for a length before its message is written: a span takes 128 bytes to 16 KiB (a
// two-byte length); a batch's resource and scope groups, 16 KiB to 2 MiB (three).
const SPAN_LENGTH_BYTES = 2;
const GROUP_LENGTH_BYTES = 3;

/** A growable byte buffer with the protobuf primitives. */
class Writer {
  buf: Uint8Array;
  pos = 0;
  readonly #encoder = new TextEncoder();

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    if (value >= 0 && value < TWO_32) {
      let v = value >>> 0;
      while (v > 127) {
        buf[this.pos++] = (v & 127) | 128;
        v >>>= 7;
      }
      buf[this.pos++] = v;
      return;
    }
    // Beyond 32 bits: the 64-bit two's complement, seven bits at a time.
    const magnitude = Math.abs(value);
    let low = magnitude >>> 0;
    let high = (magnitude / TWO_32) >>> 0;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 127) {
      buf[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low & 127;
  }

  tag(field: number, wireType: number): void {
    // Field numbers below 16 make a one-byte tag; Span.flags (16) takes two.
    if (field > 15) {
      this.varint((field << 3) | wireType);
      return;
    }
    this.ensure(1);
    this.buf[this.pos++] = (field << 3) | wireType;
  }

  fixed32(value: number): void {
    this.ensure(4);
    const v = value >>> 0;
    const buf = this.buf;
    buf[this.pos++] = v & 255;
    buf[this.pos++] = (v >>> 8) & 255;
    buf[this.pos++] = (v >>> 16) & 255;
    buf[this.pos++] = v >>> 24;
  }

  fixed64(low: number, high: number): void {
    this.fixed32(low);
    this.fixed32(high);
  }

  double(value: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, value, true);
    this.pos += 8;
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  string(value: string): void {
    const length = value.length;
    // ASCII (nearly every key and value) is its own UTF-8: written in one pass, checked as it goes.
    const start = this.pos;
    this.varint(length);
    this.ensure(length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c > 127) {
        this.pos = start;
        this.bytes(this.#encoder.encode(value));
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** A hex id (trace or span id) as its bytes, without an intermediate array. */
  hexBytes(hex: string): void {
    const length = hex.length >> 1;
    this.varint(length);
    this.ensure(length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < 2 * length; i += 2) buf[pos++] = (nibble(hex, i) << 4) | nibble(hex, i + 1);
    this.pos = pos;
  }

  /** Bytes already encoded (a remembered attribute): small, so copied in a loop, which beats `set` there. */
  raw(value: Uint8Array): void {
    const length = value.length;
    this.ensure(length);
    if (length > 64) {
      this.buf.set(value, this.pos);
      this.pos += length;
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < length; i++) buf[pos++] = value[i] as number;
    this.pos = pos;
  }

  /**
   * Starts a length-delimited field: `reserve` bytes are kept for its length, as many as the
   * message's length usually takes (1 for small messages, 2 for a span, 3 for a batch's scope and
   * resource groups); `end` moves the content when the length takes more or fewer.
   */
  begin(reserve = 1): number {
    this.ensure(reserve);
    const start = this.pos;
    this.pos += reserve;
    return start;
  }

  end(start: number, reserve = 1): void {
    const length = this.pos - start - reserve;
    let size = 1;
    for (let v = length >>> 7; v > 0; v >>>= 7) size++;
    if (size > reserve) {
      this.ensure(size - reserve);
      this.buf.copyWithin(start + size, start + reserve, this.pos);
      this.pos += size - reserve;
    } else if (size < reserve) {
      this.buf.copyWithin(start + size, start + reserve, this.pos);
      this.pos -= reserve - size;
    }
    let v = length;
    let at = start;
    while (v > 127) {
      this.buf[at++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[at] = v;
  }
}

/** 0-9, a-f, and anything else as upstream's hexToBinary reads it (A-F included). */
function nibbleOf(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c - 55;
}
// nibbleOf for every ASCII code, looked up instead of compared.
const NIBBLES = Int16Array.from({ length: 128 }, (_, c) => nibbleOf(c));

function nibble(hex: string, i: number): number {
  const c = hex.charCodeAt(i);
  return c < 128 ? (NIBBLES[c] as number) : nibbleOf(c);
}

function hrTimeFixed64(w: Writer, time: HrTime): void {
  // seconds × 1e9 + nanoseconds as an unsigned 64-bit integer: exact in two 32-bit halves, since
  // seconds × 1e9 exceeds 2^53 for today's dates.
  const seconds = time[0];
  const nanos = time[1];
  const secondsLow = seconds & 0xffff;
  const secondsHigh = (seconds / 0x10000) >>> 0;
  const fromLow = secondsLow * 1e9;
  const fromHigh = secondsHigh * 1e9; // to be multiplied by 2^16
  const sumLow = (fromLow >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
  const low = sumLow >>> 0;
  const high = (Math.floor(fromLow / TWO_32) + ((fromHigh / 0x10000) >>> 0) + Math.floor(sumLow / TWO_32)) >>> 0;
  w.fixed64(low, high);
}

function anyValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case "string":
      w.tag(1, LENGTH_DELIMITED);
      w.string(value);
      return;
    case "boolean":
      w.tag(2, VARINT);
      w.varint(value ? 1 : 0);
      return;
    case "number":
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.tag(3, VARINT);
        w.varint(value);
      } else {
        w.tag(4, FIXED64);
        w.double(value);
      }
      return;
  }
  if (value instanceof Uint8Array) {
    w.tag(7, LENGTH_DELIMITED);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.tag(5, LENGTH_DELIMITED);
    const list = w.begin();
    for (const item of value) {
      w.tag(1, LENGTH_DELIMITED);
      const at = w.begin();
      anyValue(w, item);
      w.end(at);
    }
    w.end(list);
  } else if (typeof value === "object" && value !== null) {
    w.tag(6, LENGTH_DELIMITED);
    const list = w.begin();
    for (const key in value)
      if (Object.hasOwn(value, key)) {
        w.tag(1, LENGTH_DELIMITED);
        const at = w.begin();
        keyValue(w, key, (value as Record<string, unknown>)[key]);
        w.end(at);
      }
    w.end(list);
  }
  // undefined, null and anything else: an empty AnyValue, as upstream.
}

function keyValue(w: Writer, key: string, value: unknown): void {
  w.tag(1, LENGTH_DELIMITED);
  w.string(key);
  w.tag(2, LENGTH_DELIMITED);
  const at = w.begin();
  anyValue(w, value);
  w.end(at);
}

// Encoded KeyValue messages (with their length) of attributes that repeat, by key, then value.
// Bounded: a key with many distinct values (ids, paths) stops being remembered at MAX_VALUES, and
// long values never are.
const MAX_KEYS = 1024;
const MAX_VALUES = 64;
const MAX_CACHED_LENGTH = 128;
const remembered = new Map<string, Map<AttributeValue, Uint8Array> | null>();
const scratch = new Writer(1024);
// The batch is written here, one at a time and synchronously; the buffer stays (grown as needed)
// for the next one.
const body = new Writer(256 * 1024);

function encodedKeyValue(key: string, value: AttributeValue): Uint8Array | undefined {
  if (
    typeof value === "string"
      ? value.length > MAX_CACHED_LENGTH
      : typeof value !== "number" && typeof value !== "boolean"
  )
    return undefined;
  let values = remembered.get(key);
  if (values === null) return undefined;
  if (values === undefined) {
    if (remembered.size >= MAX_KEYS) return undefined;
    values = new Map();
    remembered.set(key, values);
  }
  let encoded = values.get(value);
  if (encoded === undefined) {
    if (values.size >= MAX_VALUES) {
      remembered.set(key, null);
      return undefined;
    }
    scratch.pos = 0;
    const at = scratch.begin();
    keyValue(scratch, key, value);
    scratch.end(at);
    encoded = scratch.buf.slice(0, scratch.pos);
    values.set(value, encoded);
  }
  return encoded;
}

function attributes(w: Writer, attrs: Attributes, field: number): void {
  for (const key in attrs) {
    if (!Object.hasOwn(attrs, key)) continue;
    const value = attrs[key];
    w.tag(field, LENGTH_DELIMITED);
    const encoded = value === undefined || value === null ? undefined : encodedKeyValue(key, value);
    if (encoded !== undefined) {
      w.raw(encoded);
      continue;
    }
    const at = w.begin();
    keyValue(w, key, value);
    w.end(at);
  }
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (isRemote ? FLAGS_IS_REMOTE : 0);
}

function span(w: Writer, s: ReadableSpan): void {
  const ctx = s.spanContext();
  w.tag(1, LENGTH_DELIMITED);
  w.hexBytes(ctx.traceId);
  w.tag(2, LENGTH_DELIMITED);
  w.hexBytes(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, LENGTH_DELIMITED);
    w.string(traceState);
  }
  const parent = s.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, LENGTH_DELIMITED);
    w.hexBytes(parent.spanId);
  }
  w.tag(5, LENGTH_DELIMITED);
  w.string(s.name);
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
  const kind = s.kind == null ? 0 : s.kind + 1;
  if (kind !== 0) {
    w.tag(6, VARINT);
    w.varint(kind);
  }
  w.tag(7, FIXED64);
  hrTimeFixed64(w, s.startTime);
  w.tag(8, FIXED64);
  hrTimeFixed64(w, s.endTime);
  if (s.attributes) attributes(w, s.attributes, 9);
  w.tag(10, VARINT);
  w.varint(s.droppedAttributesCount);
  for (const event of s.events) {
    w.tag(11, LENGTH_DELIMITED);
    const at = w.begin();
    w.tag(1, FIXED64);
    hrTimeFixed64(w, event.time);
    w.tag(2, LENGTH_DELIMITED);
    w.string(event.name);
    if (event.attributes) attributes(w, event.attributes, 3);
    w.tag(4, VARINT);
    w.varint(event.droppedAttributesCount || 0);
    w.end(at);
  }
  w.tag(12, VARINT);
  w.varint(s.droppedEventsCount);
  for (const link of s.links) {
    w.tag(13, LENGTH_DELIMITED);
    const at = w.begin();
    w.tag(1, LENGTH_DELIMITED);
    w.hexBytes(link.context.traceId);
    w.tag(2, LENGTH_DELIMITED);
    w.hexBytes(link.context.spanId);
    const linkState = link.context.traceState?.serialize();
    if (linkState) {
      w.tag(3, LENGTH_DELIMITED);
      w.string(linkState);
    }
    if (link.attributes) attributes(w, link.attributes, 4);
    w.tag(5, VARINT);
    w.varint(link.droppedAttributesCount || 0);
    w.tag(6, FIXED32);
    w.fixed32(spanFlags(link.context.traceFlags, link.context.isRemote));
    w.end(at);
  }
  w.tag(14, VARINT);
  w.varint(s.droppedLinksCount);
  w.tag(15, LENGTH_DELIMITED);
  const status = w.begin();
  if (s.status.message) {
    w.tag(2, LENGTH_DELIMITED);
    w.string(s.status.message);
  }
  w.tag(3, VARINT);
  w.varint(s.status.code);
  w.end(status);
  w.tag(16, FIXED32);
  w.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
}

/** The ExportTraceServiceRequest for `spans`, grouped by resource, then scope, in order of first appearance. */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const byResource = new Map<ReadableSpan["resource"], Map<ReadableSpan["instrumentationScope"], ReadableSpan[]>>();
  for (const s of spans) {
    let byScope = byResource.get(s.resource);
    if (byScope === undefined) {
      byScope = new Map();
      byResource.set(s.resource, byScope);
    }
    const list = byScope.get(s.instrumentationScope);
    if (list === undefined) byScope.set(s.instrumentationScope, [s]);
    else list.push(s);
  }
  const w = body;
  w.pos = 0;
  for (const [resource, byScope] of byResource) {
    w.tag(1, LENGTH_DELIMITED);
    const resourceSpans = w.begin(GROUP_LENGTH_BYTES);
    w.tag(1, LENGTH_DELIMITED);
    const resourceAt = w.begin();
    if (resource.attributes) attributes(w, resource.attributes, 1);
    w.tag(2, VARINT);
    w.varint(0);
    w.end(resourceAt);
    for (const [scope, list] of byScope) {
      w.tag(2, LENGTH_DELIMITED);
      const scopeSpans = w.begin(GROUP_LENGTH_BYTES);
      w.tag(1, LENGTH_DELIMITED);
      const scopeAt = w.begin();
      w.tag(1, LENGTH_DELIMITED);
      w.string(scope.name);
      if (scope.version) {
        w.tag(2, LENGTH_DELIMITED);
        w.string(scope.version);
      }
      const scopeAttributes = (scope as { attributes?: Attributes }).attributes;
      if (scopeAttributes) attributes(w, scopeAttributes, 3);
      const scopeDropped = (scope as { droppedAttributesCount?: number }).droppedAttributesCount;
      if (scopeDropped) {
        w.tag(4, VARINT);
        w.varint(scopeDropped);
      }
      w.end(scopeAt);
      for (const s of list) {
        w.tag(2, LENGTH_DELIMITED);
        const at = w.begin(SPAN_LENGTH_BYTES);
        span(w, s);
        w.end(at, SPAN_LENGTH_BYTES);
      }
      if (scope.schemaUrl) {
        w.tag(3, LENGTH_DELIMITED);
        w.string(scope.schemaUrl);
      }
      w.end(scopeSpans, GROUP_LENGTH_BYTES);
    }
    if (resource.schemaUrl) {
      w.tag(3, LENGTH_DELIMITED);
      w.string(resource.schemaUrl);
    }
    w.end(resourceSpans, GROUP_LENGTH_BYTES);
  }
  // The caller gets its own copy: the buffer is written over by the next batch.
  return w.buf.slice(0, w.pos);
}
