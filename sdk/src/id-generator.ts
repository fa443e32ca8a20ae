// Trace and span ids from the operating system's CSPRNG, cut from a pooled block. The SDK's
// default generator draws each id from Math.random() and formats it with one Buffer call per id;
// W3C Trace Context (level 2) asks for ids that are random enough to sample on, and a predictable
// generator lets anyone who sees one id guess others. Filling 4 KiB at a time and hex-encoding the
// whole block at once makes an id a string slice: about a third of the SDK default's cost.
import { randomFillSync } from "node:crypto";
import type { IdGenerator } from "@opentelemetry/sdk-trace";

const POOL_BYTES = 4096;
const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
// All-zero ids are invalid (W3C Trace Context); one is drawn with probability 2^-64 at most.
const INVALID_TRACE_ID = "0".repeat(TRACE_ID_BYTES * 2);
const INVALID_SPAN_ID = "0".repeat(SPAN_ID_BYTES * 2);

/** Fills a buffer with random bytes; a parameter so tests can force the all-zero case. */
export type RandomFill = (buffer: Buffer) => unknown;

export class CryptoIdGenerator implements IdGenerator {
  readonly #fill: RandomFill;
  readonly #pool = Buffer.allocUnsafe(POOL_BYTES);
  #hex = "";
  #offset = POOL_BYTES;

  constructor(fill: RandomFill = randomFillSync) {
    this.#fill = fill;
  }

  generateTraceId(): string {
    return this.#next(TRACE_ID_BYTES, INVALID_TRACE_ID);
  }

  generateSpanId(): string {
    return this.#next(SPAN_ID_BYTES, INVALID_SPAN_ID);
  }

  #next(bytes: number, invalid: string): string {
    for (;;) {
      if (this.#offset + bytes > POOL_BYTES) this.#refill();
      const id = this.#hex.slice(this.#offset * 2, (this.#offset + bytes) * 2);
      this.#offset += bytes;
      if (id !== invalid) return id;
    }
  }

  #refill(): void {
    this.#fill(this.#pool);
    this.#hex = this.#pool.toString("hex");
    this.#offset = 0;
  }
}
